"""Datasets and batching (``torch.utils.data``) and torchvision's data side.

    from nn.data import DataLoader, FashionMNIST, XODataset
    loader = DataLoader(FashionMNIST(train=True), batch_size=64, shuffle=True, seed=0)
    for images, labels in loader:          # (64, 1, 28, 28) float32, (64,) int64
        ...

torchvision's modules, with its semantics (PIL images, Pillow underneath), are the submodules
``nn.data.datasets`` (MNIST, FashionMNIST, FakeData, ImageFolder, ...), ``nn.data.transforms``,
``nn.data.utils`` (make_grid, save_image) and ``nn.data.io`` (read_image); they are imported on
first use, so ``import nn`` does not load Pillow.

Two FashionMNIST classes, on purpose: ``nn.data.FashionMNIST`` is the framework's convenience
loader (finds the files itself, gives float32 Tensors (1, 28, 28) in [0, 1] and batches with
one fancy-index); ``nn.data.datasets.FashionMNIST`` is torchvision's (``root/FashionMNIST/raw``,
PIL images, uint8 ``.data``), for ported scripts.
"""

import importlib

from .dataloader import DataLoader, default_collate  # noqa: F401
from .dataset import ArrayDataset, Dataset, Subset, TensorDataset, random_split  # noqa: F401
from .fashion_mnist import FashionMNIST, read_idx  # noqa: F401
from .four_pixel import FourPixelDataset, make_four_pixel  # noqa: F401
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,  # noqa: F401
                      SubsetRandomSampler, WeightedRandomSampler)
from .xo import XODataset, canonical_o, canonical_x, make_xo  # noqa: F401

__all__ = ["Dataset", "TensorDataset", "ArrayDataset", "Subset", "random_split", "DataLoader",
           "default_collate", "FashionMNIST", "read_idx", "XODataset", "make_xo", "canonical_x",
           "canonical_o", "FourPixelDataset", "make_four_pixel", "Sampler", "SequentialSampler",
           "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
           "datasets", "transforms", "utils", "io"]

_LAZY = ("datasets", "transforms", "utils", "io")


def __getattr__(name):
    """``nn.data.datasets`` & co. are imported on first access (they need Pillow)."""
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
