"""MNIST-format datasets (``torchvision.datasets.mnist``): ``MNIST``, ``FashionMNIST``,
``KMNIST``, read from IDX files (gzip-compressed or not) with ``nn.data.read_idx``."""

import os
import warnings

import numpy as np
from PIL import Image

import autograd
from autograd.errors import DatasetNotFoundError

from ..fashion_mnist import SYSTEM_DIR, read_idx
from .vision import VisionDataset

__all__ = ["MNIST", "FashionMNIST", "KMNIST"]


def _renamed(old, new):
    """A property ``old`` that warns as torchvision does and returns ``new``."""
    def get(self):
        warnings.warn(f"{old} has been renamed {new}", stacklevel=2)
        return getattr(self, new)
    return property(get, doc=f"Old name of ``{new}`` (warns).")


class MNIST(VisionDataset):
    """MNIST (LeCun et al. 1998) read from the four IDX files in ``root/MNIST/raw``
    (``torchvision.datasets.MNIST``); each file may be gzip-compressed (``.gz``) or not.

    Parameters
    ----------
    root : str or path
        The directory holding ``<ClassName>/raw/`` (``MNIST``, ``FashionMNIST``, ``KMNIST``).
    train : bool, default True
        ``train-*-idx?-ubyte`` (60,000 images) or ``t10k-*`` (10,000).
    transform, target_transform : callable, optional
        Applied to the PIL image (mode 'L', 28x28) / the int label of each sample.
    download : bool, default False
        Accepted; the files must already be there (this framework has no downloader).

    Attributes
    ----------
    data : Tensor, uint8, (N, 28, 28)
    targets : Tensor, int64, (N,)
    classes : list of str; class_to_idx : dict

    Raises
    ------
    DatasetNotFoundError
        (a RuntimeError and FileNotFoundError) when a file is missing, naming the folder.
    TypeError / ValueError
        When a file is not an IDX file of uint8 images (N, H, W) / labels (N,).
    """

    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]
    where_to_get = ""                   # a hint for the not-found message

    def __init__(self, root, train=True, transform=None, target_transform=None,
                 download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        split = "train" if train else "t10k"
        images = self._find(f"{split}-images-idx3-ubyte", download)
        labels = self._find(f"{split}-labels-idx1-ubyte", download)
        data, targets = read_idx(images), read_idx(labels)
        if data.dtype != np.uint8 or targets.dtype != np.uint8:
            raise TypeError(f"{type(self).__name__}: expected uint8 IDX files, got "
                            f"{data.dtype} ({images}) and {targets.dtype} ({labels})")
        if data.ndim != 3 or targets.ndim != 1 or len(data) != len(targets):
            raise ValueError(f"{type(self).__name__}: expected images (N, H, W) and labels (N,),"
                             f" got {tuple(data.shape)} ({images}) and {tuple(targets.shape)} "
                             f"({labels})")
        self.data = autograd.from_numpy(data)
        self.targets = autograd.from_numpy(targets.astype(np.int64))

    @property
    def raw_folder(self):
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, type(self).__name__, "processed")

    @property
    def class_to_idx(self):
        return {name: i for i, name in enumerate(self.classes)}

    def _find(self, stem, download):
        for name in (stem, stem + ".gz"):
            path = os.path.join(self.raw_folder, name)
            if os.path.isfile(path):
                return path
        asked = "download=True was given, but this framework downloads nothing (no network)" \
            if download else "Dataset not found"
        raise DatasetNotFoundError(
            f"{type(self).__name__}: {asked}: {stem} (or {stem}.gz) is not in {self.raw_folder}."
            f" Put the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            f"t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each possibly .gz) there"
            + self.where_to_get)

    def __getitem__(self, index):
        """``(PIL image mode 'L', int target)`` after the transforms."""
        image = Image.fromarray(self.data.numpy()[index])
        return self.apply_transforms(image, int(self.targets.numpy()[index]))

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"

    # torchvision's old names, with its warnings
    train_labels = _renamed("train_labels", "targets")
    test_labels = _renamed("test_labels", "targets")
    train_data = _renamed("train_data", "data")
    test_data = _renamed("test_data", "data")


class FashionMNIST(MNIST):
    """Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) from ``root/FashionMNIST/raw``; see
    ``MNIST`` (same files, same interface, clothing classes)."""

    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
    where_to_get = (f" (Debian's dataset-fashion-mnist package installs them in {SYSTEM_DIR}:"
                    " link or copy them)")


class KMNIST(MNIST):
    """Kuzushiji-MNIST (Clanuwat et al. 2018) from ``root/KMNIST/raw``; see ``MNIST``."""

    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]
