"""A PyTorch program (written for torch + torchvision, never run with them here): an MLP on
MNIST-format files with torchvision's datasets, transforms, DataLoader, make_grid/save_image,
read_image, ImageFolder and FakeData. tests/ports/test_vision_data_program.py ports it with
autograd.port and runs it."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms
from torchvision.io import ImageReadMode, read_image
from torchvision.utils import make_grid, save_image

parser = argparse.ArgumentParser(description="vision data smoke program")
parser.add_argument("--root", default="data", help="folder holding FashionMNIST/raw")
parser.add_argument("--folder", default="images", help="an ImageFolder tree")
parser.add_argument("--out", default="grid.png", help="where the test-image grid goes")
parser.add_argument("--epochs", type=int, default=2, help="training epochs")
args = parser.parse_args()

torch.manual_seed(0)
train_transform = transforms.Compose([
    transforms.RandomCrop(28, padding=2),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize((0.5,), (0.5,)),
])
train = datasets.FashionMNIST(args.root, train=True, download=True, transform=train_transform)
test = datasets.FashionMNIST(args.root, train=False, transform=transforms.ToTensor())
print(f"train {len(train)} test {len(test)} data {tuple(train.data.shape)} {train.data.dtype}")
train_part, valid_part = random_split(train, [len(train) - 8, 8])
loader = DataLoader(train_part, batch_size=8, shuffle=True, num_workers=2, pin_memory=True)

model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 32), nn.ReLU(), nn.Linear(32, 10))
optimizer = optim.SGD(model.parameters(), lr=0.05)
for epoch in range(args.epochs):
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.4f} batch {tuple(images.shape)} {labels.dtype}")

model.eval()
with torch.no_grad():
    images, labels = next(iter(DataLoader(test, batch_size=16)))
    correct = (model(images).argmax(1) == labels).sum().item()
print(f"test accuracy {correct}/{len(labels)}")

grid = make_grid(images, nrow=4, padding=2, normalize=True)
save_image(images, args.out, nrow=4, normalize=True)
print(f"grid {tuple(grid.shape)} file {tuple(read_image(args.out).shape)} "
      f"gray {tuple(read_image(args.out, ImageReadMode.GRAY).shape)}")

folder = datasets.ImageFolder(args.folder, transform=transforms.Compose([
    transforms.Resize(8), transforms.CenterCrop(8), transforms.Grayscale(), transforms.ToTensor()]))
xb, yb = next(iter(DataLoader(folder, batch_size=4)))
print(f"folder {tuple(xb.shape)} {yb.tolist()} {folder.classes}")

fake = datasets.FakeData(size=6, image_size=(3, 8, 8), num_classes=3,
                         transform=transforms.ToTensor())
print(f"fake {len(fake)} {tuple(fake[0][0].shape)} {fake[0][1] in range(3)}")
