"""Datasets with torchvision's interface (``torchvision.datasets``): ``MNIST``,
``FashionMNIST``, ``KMNIST``, ``CIFAR10``, ``CIFAR100``, ``FakeData``, ``DatasetFolder``,
``ImageFolder``.

    from nn.data import datasets, transforms
    train = datasets.MNIST("../data", train=True, transform=transforms.ToTensor())
    image, label = train[0]          # float32 Tensor (1, 28, 28) in [0, 1], int

As in torchvision, a sample is ``(PIL image, int)`` before any ``transform``; ``.data`` /
``.targets`` hold the raw uint8 images and int64 labels. Nothing is downloaded (there is no
network): ``download=True`` accepts files already in place and otherwise raises
``DatasetNotFoundError`` saying where to put them. The framework's own
``nn.data.FashionMNIST`` is a different, faster thing: it finds the files by itself
(``$FASHION_MNIST_DIR``, Debian's package) and gives float32 Tensors (1, 28, 28) directly.
"""

from .cifar import CIFAR10, CIFAR100
from .fakedata import FakeData
from .folder import (IMG_EXTENSIONS, DatasetFolder, ImageFolder, default_loader, find_classes,
                     has_file_allowed_extension, is_image_file, make_dataset, pil_loader)
from .mnist import KMNIST, MNIST, FashionMNIST
from .vision import StandardTransform, VisionDataset

__all__ = ["VisionDataset", "StandardTransform", "MNIST", "FashionMNIST", "KMNIST", "CIFAR10",
           "CIFAR100", "FakeData", "DatasetFolder", "ImageFolder", "IMG_EXTENSIONS",
           "find_classes", "make_dataset", "has_file_allowed_extension", "is_image_file",
           "pil_loader", "default_loader"]
