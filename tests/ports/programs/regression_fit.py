"""A PyTorch program in the style of pytorch/examples regression/main.py (written for torch;
ported by autograd.port and run): polynomial features with ``x.mm``, a manual SGD update
through ``param.data``, smooth L1 and Huber losses, Adagrad with gradient-value clipping and
an exponential schedule, ``torch.where`` with numbers, format specs on 0-d tensors. Data and
initial weights are deterministic, so PyTorch and the port print the same numbers."""
import torch
import torch.nn.functional as F

POLY_DEGREE = 3
W_target = torch.tensor([[0.5], [-1.2], [0.8]])
b_target = torch.tensor([0.3])


def make_features(x):
    x = x.unsqueeze(1)
    return torch.cat([x ** i for i in range(1, POLY_DEGREE + 1)], 1)


def f(x):
    return x.mm(W_target) + b_target.item()


def poly_desc(W, b):
    result = "y = "
    for i, w in enumerate(W):
        result += "{:+.2f} x^{} ".format(w, i + 1)
    result += "{:+.2f}".format(b[0])
    return result


batch_x = make_features(torch.linspace(-1, 1, 32))
batch_y = f(batch_x)

fc = torch.nn.Linear(POLY_DEGREE, 1)
with torch.no_grad():
    fc.weight.data.copy_(torch.tensor([[0.1, 0.2, -0.1]]))
    fc.bias.data.zero_()
for step in range(1, 301):
    fc.zero_grad()
    output = F.smooth_l1_loss(fc(batch_x), batch_y)
    loss = output.item()
    output.backward()
    for param in fc.parameters():
        param.data.add_(-0.5 * param.grad)
print("Loss: {:.6f} after {} batches".format(loss, step))
print("==> Learned function:\t" + poly_desc(fc.weight.view(-1), fc.bias))
print("==> Actual function:\t" + poly_desc(W_target.view(-1), b_target))

model = torch.nn.Linear(POLY_DEGREE, 1)
with torch.no_grad():
    model.weight.fill_(0.0)
    model.bias.data.clamp_(0.0, 0.0)
opt = torch.optim.Adagrad(model.parameters(), lr=0.5)
sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.99)
for step in range(100):
    opt.zero_grad()
    loss = F.huber_loss(model(batch_x), batch_y, delta=0.5)
    loss.backward()
    torch.nn.utils.clip_grad_value_(model.parameters(), 0.5)
    opt.step()
    sched.step()
print(f"huber {loss:.5f} lr {sched.get_last_lr()[0]:.4f} weight {model.weight.data.mul(10).round()}")

with torch.inference_mode():
    residual = model(batch_x) - batch_y
    signs = torch.where(residual > 0, 1.0, -1.0)
print(f"residual mean {residual.abs().mean():.4f} positive {int((signs > 0).sum())}")
