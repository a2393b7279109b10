"""A PyTorch program in the style of the tutorial polynomial_custom_function.py (written for
torch; ported by autograd.port and run): a custom ``torch.autograd.Function`` with
``ctx.save_for_backward``, trained by hand under ``no_grad``; ``torch.autograd.grad`` with
``create_graph`` and ``torch.autograd.gradcheck`` on the same Function."""
import math

import torch


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


dtype = torch.float
device = torch.device("cpu")
x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
b = torch.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
c = torch.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
d = torch.full((), 0.3, device=device, dtype=dtype, requires_grad=True)

learning_rate = 5e-6
for t in range(500):
    P3 = LegendrePolynomial3.apply
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, f"{loss.item():.4f}")
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
print(f"Result: y = a + {b.item():.4f} * P3(c + {d.item():.4f} x), |a|, |c| < 1e-6: "
      f"{abs(a.item()) < 1e-6 and abs(c.item()) < 1e-6}")     # a, c: +-1e-9, sign is noise

z = torch.tensor([0.3, -0.7], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad(LegendrePolynomial3.apply(z).sum(), z, create_graph=True)
(gg,) = torch.autograd.grad(g.sum(), z)
print(f"grad {g.detach().tolist()} second {gg.tolist()}")
print("gradcheck", torch.autograd.gradcheck(LegendrePolynomial3.apply, (z,)))
