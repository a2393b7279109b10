"""CIFAR-10 and CIFAR-100 (``torchvision.datasets.cifar``) from their python batches."""

import os
import pickle
import tarfile

import numpy as np
from PIL import Image

from autograd.errors import DatasetNotFoundError

from .vision import VisionDataset

__all__ = ["CIFAR10", "CIFAR100"]


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles the CIFAR batches (dicts of lists, strings and numpy arrays) and nothing
    else: any other class in the file is refused, so a file cannot run code."""
    _ALLOWED = {("numpy.core.multiarray", "_reconstruct"),
                ("numpy._core.multiarray", "_reconstruct"),
                ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode")}

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"CIFAR: refusing to unpickle {module}.{name}")


def _unpickle(path):
    with open(path, "rb") as f:
        try:
            return _ArrayUnpickler(f, encoding="latin1").load()
        except (pickle.UnpicklingError, EOFError, ValueError) as exc:
            raise ValueError(f"CIFAR: {path} is not a CIFAR batch file ({exc})") from exc


class CIFAR10(VisionDataset):
    """CIFAR-10 (Krizhevsky 2009): 60,000 32x32 RGB images of 10 classes, read from the python
    batches in ``root/cifar-10-batches-py`` (``torchvision.datasets.CIFAR10``).

    With ``download=True`` an archive ``root/cifar-10-python.tar.gz`` already in place is
    extracted; nothing is downloaded. Samples are ``(PIL image 'RGB', int)``.

    Attributes
    ----------
    data : ndarray, uint8, (N, 32, 32, 3) (HWC, as torchvision)
    targets : list of int
    classes : list of str (from ``batches.meta``); class_to_idx : dict

    Raises
    ------
    DatasetNotFoundError
        When a batch file is missing (naming the folder).
    ValueError
        When a file is not a CIFAR batch (only numpy arrays, lists and strings are unpickled).
    """

    base_folder = "cifar-10-batches-py"
    filename = "cifar-10-python.tar.gz"
    train_list = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                  "data_batch_5"]
    test_list = ["test_batch"]
    meta = {"filename": "batches.meta", "key": "label_names"}

    def __init__(self, root, train=True, transform=None, target_transform=None,
                 download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        folder = os.path.join(self.root, self.base_folder)
        names = (self.train_list if train else self.test_list) + [self.meta["filename"]]
        archive = os.path.join(self.root, self.filename)
        if download and not os.path.isdir(folder) and os.path.isfile(archive):
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(self.root, filter="data")
        missing = [n for n in names if not os.path.isfile(os.path.join(folder, n))]
        if missing:
            asked = "download=True was given, but this framework downloads nothing" \
                if download else "Dataset not found"
            raise DatasetNotFoundError(
                f"{type(self).__name__}: {asked}: {', '.join(missing)} not in {folder}. "
                f"Extract {self.filename} (the python version) into {self.root}, or put "
                f"the archive there and pass download=True")
        batches = [_unpickle(os.path.join(folder, n)) for n in names[:-1]]
        self.data = np.vstack([b["data"] for b in batches]).reshape(-1, 3, 32, 32) \
            .transpose(0, 2, 3, 1)
        self.targets = [int(t) for b in batches for t in b.get("labels", b.get("fine_labels"))]
        self.classes = list(_unpickle(os.path.join(folder, names[-1]))[self.meta["key"]])
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index):
        """``(PIL image 'RGB' 32x32, int target)`` after the transforms."""
        return self.apply_transforms(Image.fromarray(self.data[index]), self.targets[index])

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100 from ``root/cifar-100-python`` (fine labels); see ``CIFAR10``."""

    base_folder = "cifar-100-python"
    filename = "cifar-100-python.tar.gz"
    train_list = ["train"]
    test_list = ["test"]
    meta = {"filename": "meta", "key": "fine_label_names"}
