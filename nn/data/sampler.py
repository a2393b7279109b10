"""Samplers (``torch.utils.data.sampler``): which indices a ``DataLoader`` visits, and in
what order. Random ones draw from ``generator`` (a ``numpy.random.Generator``) or, without
one, from the framework's generator at each epoch (``autograd.manual_seed``).

    train = DataLoader(dataset, batch_size=64, sampler=SubsetRandomSampler(range(50000)))
    valid = DataLoader(dataset, batch_size=64, sampler=range(50000, 60000))
"""

import numpy as np

from autograd.random import numpy_generator

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler",
           "WeightedRandomSampler", "BatchSampler"]


def _generator(generator):
    # looked up at each draw: manual_seed reseeds the default generator
    return numpy_generator(generator)


class Sampler:
    """Base class: an iterable of dataset indices (subclasses define ``__iter__`` and
    usually ``__len__``)."""

    def __init__(self, data_source=None):
        pass

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """A random order of the dataset's indices; with ``replacement``, ``num_samples`` draws
    with repetition. ``num_samples`` larger than the dataset without replacement takes
    successive permutations (as torch).

    Raises
    ------
    ValueError
        For a ``num_samples`` that is not a positive int.
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source, self.replacement, self.generator = data_source, replacement, generator
        self._num_samples = num_samples
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={self.num_samples}")

    @property
    def num_samples(self):
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):
        n, rng = len(self.data_source), _generator(self.generator)
        if self.replacement:
            return iter(rng.integers(0, n, size=self.num_samples).tolist())
        whole, rest = divmod(self.num_samples, n)
        order = [rng.permutation(n) for _ in range(whole)] + [rng.permutation(n)[:rest]]
        return iter(np.concatenate(order).tolist())

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given ``indices`` in a random order each epoch."""

    def __init__(self, indices, generator=None):
        self.indices, self.generator = indices, generator

    def __iter__(self):
        order = _generator(self.generator).permutation(len(self.indices))
        return iter([self.indices[i] for i in order])

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability proportional to ``weights``.

    Raises
    ------
    ValueError
        For a bad ``num_samples``, negative weights, or more samples than weights without
        replacement.
    """

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        weights = np.asarray(weights, dtype=np.float64).reshape(-1)
        if (weights < 0).any() or not weights.sum() > 0:
            raise ValueError("WeightedRandomSampler: weights must be non-negative with a "
                             "positive sum")
        if not replacement and num_samples > np.count_nonzero(weights):
            raise ValueError(f"WeightedRandomSampler: cannot draw {num_samples} samples "
                             f"without replacement from {np.count_nonzero(weights)} nonzero "
                             "weights")
        self.weights, self.num_samples = weights, num_samples
        self.replacement, self.generator = replacement, generator

    def __iter__(self):
        drawn = _generator(self.generator).choice(len(self.weights), size=self.num_samples,
                                                  replace=self.replacement,
                                                  p=self.weights / self.weights.sum())
        return iter(drawn.tolist())

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """Lists of ``batch_size`` indices from ``sampler`` (the last one shorter unless
    ``drop_last``).

    Raises
    ------
    ValueError
        For a batch_size that is not a positive int, or a non-bool drop_last.
    """

    def __init__(self, sampler, batch_size, drop_last):
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got "
                             f"drop_last={drop_last}")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
