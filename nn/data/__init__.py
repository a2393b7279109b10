"""Datasets and batching (``torch.utils.data`` and torchvision's dataset interface).

    from nn.data import DataLoader, FashionMNIST, XODataset
    loader = DataLoader(FashionMNIST(train=True), batch_size=64, shuffle=True, seed=0)
    for images, labels in loader:          # (64, 1, 28, 28) float32, (64,) int64
        ...
"""

from .dataloader import DataLoader, default_collate  # noqa: F401
from .dataset import ArrayDataset, Dataset, Subset, TensorDataset, random_split  # noqa: F401
from .fashion_mnist import FashionMNIST, read_idx  # noqa: F401
from .four_pixel import FourPixelDataset, make_four_pixel  # noqa: F401
from .xo import XODataset, canonical_o, canonical_x, make_xo  # noqa: F401

__all__ = ["Dataset", "TensorDataset", "ArrayDataset", "Subset", "random_split", "DataLoader",
           "default_collate", "FashionMNIST", "read_idx", "XODataset", "make_xo", "canonical_x",
           "canonical_o", "FourPixelDataset", "make_four_pixel"]
