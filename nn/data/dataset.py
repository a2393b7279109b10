"""Datasets (``torch.utils.data``): ``Dataset``, ``TensorDataset``, ``ArrayDataset``, ``Subset``,
``random_split``.

A dataset is anything with ``__len__`` and ``__getitem__(i)`` returning one sample. The
framework's datasets also offer ``get_batch(indices)``, which returns a whole collated batch
with one fancy-index per array; ``DataLoader`` uses it when present, so building a batch
costs no per-sample Python loop.
"""

import numpy as np

import autograd
from autograd.random import numpy_generator
from autograd.errors import ArgumentError, ShapeError
from autograd import Tensor

__all__ = ["Dataset", "TensorDataset", "ArrayDataset", "Subset", "random_split"]


class Dataset:
    """Base class: subclasses define ``__len__`` and ``__getitem__(index)``.

    ``get_batch(indices)`` collates ``self[i]`` for each index; array-backed subclasses
    override it with a vectorised version.
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def get_batch(self, indices):
        """The samples at ``indices`` (an int array) collated into one batch."""
        from .dataloader import default_collate
        return default_collate([self[int(i)] for i in indices])


def _as_tensor(x):
    return x if isinstance(x, Tensor) else autograd.from_numpy(np.asarray(x))


def _rows(t, index):
    """Rows of a Tensor as a new Tensor (public API only: survives ``.data`` becoming a
    Tensor)."""
    return autograd.from_numpy(t.detach().numpy()[index])


class TensorDataset(Dataset):
    """Samples are the rows of tensors that share their first dimension.

    ``TensorDataset(x, y)[i] == (x[i], y[i])``; ``get_batch(idx) == (x[idx], y[idx])``.

    Parameters
    ----------
    *tensors : Tensor or ndarray, each shape (N, ...)

    Raises
    ------
    ShapeError
        When the tensors disagree on N (or one is 0-d).
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ArgumentError("TensorDataset needs at least one tensor")
        self.tensors = tuple(_as_tensor(t) for t in tensors)
        sizes = [t.shape[0] if t.ndim else None for t in self.tensors]
        if None in sizes or len(set(sizes)) != 1:
            raise ShapeError(f"TensorDataset: all tensors need the same first dimension, got "
                             f"shapes {[t.shape for t in self.tensors]}")

    def __len__(self):
        return self.tensors[0].shape[0]

    def __getitem__(self, index):
        return tuple(_rows(t, index) for t in self.tensors)

    def get_batch(self, indices):
        return tuple(_rows(t, indices) for t in self.tensors)


class ArrayDataset(Dataset):
    """Labelled examples held in two arrays: ``data`` (N, ...) and ``targets`` (N,).

    The base of the framework's image datasets (``FashionMNIST``, ``XODataset``,
    ``FourPixelDataset``). A sample is ``(image Tensor, label int)``, as in torchvision;
    ``transform`` / ``target_transform`` (callables) are applied per sample when given, and
    without them ``get_batch`` is one fancy-index.

    Attributes
    ----------
    data : Tensor, float32, shape (N, C, H, W)
    targets : Tensor, int64, shape (N,)
    classes : list of str
    """

    classes = []

    def __init__(self, data, targets, transform=None, target_transform=None):
        self.data, self.targets = _as_tensor(data), _as_tensor(targets)
        if self.data.ndim == 0 or self.targets.shape != (self.data.shape[0],):
            raise ShapeError(f"{type(self).__name__}: data (N, ...) and targets (N,) disagree: "
                             f"shapes {tuple(self.data.shape)} and {tuple(self.targets.shape)}")
        self.transform, self.target_transform = transform, target_transform

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        image, label = _rows(self.data, index), int(self.targets.detach().numpy()[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label

    def get_batch(self, indices):
        if self.transform is not None or self.target_transform is not None:
            return super().get_batch(indices)
        return _rows(self.data, indices), _rows(self.targets, indices)

    def __repr__(self):
        return (f"{type(self).__name__}(n={len(self)}, image shape={tuple(self.data.shape[1:])}, "
                f"classes={len(self.classes)})")


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, index):
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices):
        inner = self.indices[indices]
        if hasattr(self.dataset, "get_batch"):
            return self.dataset.get_batch(inner)
        return Dataset.get_batch(self.dataset, inner)


def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into non-overlapping random ``Subset``s of the given lengths.

    Parameters
    ----------
    dataset : Dataset
    lengths : sequence of int (summing to ``len(dataset)``) or of float fractions (summing
        to 1; the rounding remainder goes one by one to the first subsets, as in PyTorch)
    generator : numpy.random.Generator, optional
        Defaults to the framework's generator (``autograd.manual_seed``).

    Raises
    ------
    ArgumentError
        When the lengths do not add up (a ValueError).
    """
    n = len(dataset)
    lengths = list(lengths)
    if lengths and all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1) < 1e-6:
        fractions = lengths
        lengths = [int(np.floor(n * f)) for f in fractions]
        for i in range(n - sum(lengths)):
            lengths[i % len(lengths)] += 1
    if any(isinstance(x, bool) or not isinstance(x, (int, np.integer)) or x < 0
           for x in lengths) or sum(lengths) != n:
        raise ArgumentError(f"random_split: lengths {lengths} must be non-negative ints summing to "
                         f"the dataset's length {n}, or fractions summing to 1")
    order = numpy_generator(generator).permutation(n)
    bounds = np.cumsum([0] + [int(x) for x in lengths])
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
