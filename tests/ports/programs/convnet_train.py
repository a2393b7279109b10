"""A PyTorch program in the style of pytorch/examples mnist/main.py (written for torch; here it
is ported by autograd.port and run): a small ConvNet on deterministic synthetic images, with
devices, DataLoader, Adadelta, StepLR, gradient clipping, unbatched inference, and a
save/load round trip of the state dict. Weights are set from a formula, so PyTorch and the
port print the same numbers."""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.fc1 = nn.Linear(8 * 4 * 4, 16)
        self.fc2 = nn.Linear(16, 3)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)


def fill_deterministically(model):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            n = p.numel()
            values = torch.sin(torch.arange(n, dtype=torch.float32) * 0.7 + i) / math.sqrt(n)
            p.copy_(values.view_as(p))


def main():
    parser = argparse.ArgumentParser(description="ConvNet port check")
    parser.add_argument("--epochs", type=int, default=2, help="epochs (default: 2)")
    parser.add_argument("--lr", type=float, default=1.0, help="learning rate (default: 1.0)")
    parser.add_argument("--no-accel", action="store_true", help="disables accelerator")
    args = parser.parse_args()

    use_accel = not args.no_accel and torch.accelerator.is_available()
    device = torch.accelerator.current_accelerator() if use_accel else torch.device("cpu")
    print(f"device {device} cuda {torch.cuda.is_available()} mps "
          f"{torch.backends.mps.is_available()}")

    n = 24
    grid = torch.linspace(-1, 1, 12)
    images = torch.stack([torch.outer(torch.sin(grid * (k % 3 + 1)), torch.cos(grid * (k % 5)))
                          for k in range(n)]).unsqueeze(1)
    labels = torch.tensor([k % 3 for k in range(n)])
    print(f"data {images.shape} {images.dtype} labels {labels.dtype}")
    loader = DataLoader(TensorDataset(images, labels), batch_size=8, shuffle=False)

    model = Net().to(device)
    fill_deterministically(model)
    model.dropout1.p = 0.0                    # keeps the runs of both frameworks identical
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    for epoch in range(1, args.epochs + 1):
        model.train()
        for data, target in loader:
            data, target = data.to(device), target.to(device)
            assert not data.is_cuda
            optimizer.zero_grad()
            loss = F.nll_loss(model(data), target)
            loss.backward()
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=10.0)
            optimizer.step()
        scheduler.step()
        print(f"epoch {epoch} loss {loss.item():.4f} grad norm {norm:.4f} "
              f"lr {scheduler.get_last_lr()[0]:.3f}")

    model.eval()
    with torch.no_grad():
        out = model(images.to(device))
        correct = out.argmax(dim=1, keepdim=True).eq(labels.view(-1, 1)).sum().item()
        single = model.conv1(images[0])                  # unbatched (C, H, W)
    print(f"correct {correct}/{n} single {single.shape}")

    torch.save(model.state_dict(), "convnet.pt")
    again = Net()
    again.load_state_dict(torch.load("convnet.pt", map_location=device, weights_only=True))
    again.eval()
    with torch.no_grad():
        same = torch.equal(again(images), out)
    print(f"reloaded equal {same} keys {list(again.state_dict())[:2]}")


if __name__ == "__main__":
    main()
