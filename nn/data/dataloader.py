"""``DataLoader``: batches of a dataset, optionally reshuffled every epoch, resumable mid-epoch."""

import math
from collections.abc import Mapping, Sequence

import numpy as np

import autograd
from autograd.random import numpy_generator
from autograd import validate
from autograd.errors import ArgumentError, ShapeError
from autograd import Tensor

__all__ = ["DataLoader", "default_collate"]


def default_collate(batch):
    """Stack a list of samples into a batch (``torch.utils.data.default_collate``).

    Tensors and ndarrays are stacked along a new first dimension (dtype kept); numpy scalars
    become a Tensor of their dtype; Python ints an int64 Tensor, floats a float64 Tensor,
    bools a bool Tensor; strings stay a list. Dicts are collated key by key, namedtuples
    field by field into the same namedtuple, and tuples and lists field by field into a list
    (as PyTorch does: ``(image, label)`` samples give ``[images, labels]``).

    Raises
    ------
    TypeError
        For an element type it cannot collate (e.g. a PIL image: add ``transforms.ToTensor()``),
        or an ndarray of strings/objects.
    ShapeError
        When the tensors/arrays of one field have different shapes, or sequence samples have
        different lengths.
    """
    if not batch:
        raise ValueError("default_collate: empty batch")
    elem = batch[0]
    if isinstance(elem, Tensor):
        return autograd.from_numpy(_stack([t.detach().numpy() for t in batch]))
    if isinstance(elem, np.ndarray) or (isinstance(elem, np.generic)
                                        and not isinstance(elem, (np.str_, np.bytes_))):
        if np.asarray(elem).dtype.kind in "USO":
            raise TypeError(_COLLATE_TYPES.format(np.asarray(elem).dtype))
        return autograd.from_numpy(_stack([np.asarray(a) for a in batch]))
    if isinstance(elem, bool):
        return autograd.from_numpy(np.array(batch, dtype=np.bool_))
    if isinstance(elem, int):
        return autograd.from_numpy(np.array(batch, dtype=np.int64))
    if isinstance(elem, float):
        return autograd.from_numpy(np.array(batch, dtype=np.float64))
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise ShapeError("default_collate: each element in list of batch should be of "
                             f"equal size, got lengths {sorted({len(s) for s in batch})}")
        fields = [default_collate(list(field)) for field in zip(*batch)]
        if isinstance(elem, tuple) and hasattr(elem, "_fields"):        # a namedtuple
            return type(elem)(*fields)
        return fields
    hint = " (apply transforms.ToTensor() to images)" if type(elem).__module__.startswith(
        "PIL") else ""
    raise TypeError(_COLLATE_TYPES.format(type(elem)) + hint)


_COLLATE_TYPES = ("default_collate: cannot collate {}: batch must contain tensors, numpy "
                  "arrays, numbers, dicts or lists")


def _stack(arrays):
    shapes = {a.shape for a in arrays}
    if len(shapes) != 1:
        raise ShapeError(f"default_collate: stack expects each tensor to be equal size, got "
                         f"different shapes {sorted(shapes)}")
    return np.stack(arrays)


class DataLoader:
    """Iterate over a dataset in batches (``torch.utils.data.DataLoader``, single process).

    Parameters (PyTorch's, in PyTorch's order)
    ----------
    dataset : Dataset
        Anything with ``__len__`` and ``__getitem__``; if it has ``get_batch(indices)`` (the
        framework's datasets do) and no ``collate_fn`` is given, each batch is fetched in
        one vectorised call.
    batch_size : int, default 1
    shuffle : bool, default False
        Draw a new random order every epoch.
    sampler : iterable of indices, optional
        The order of the samples (e.g. ``SubsetRandomSampler``; a ``range`` works too).
        Excludes ``shuffle``.
    batch_sampler : iterable of index lists, optional
        Whole batches of indices (``BatchSampler``). Excludes ``batch_size``, ``shuffle``,
        ``sampler`` and ``drop_last``.
    num_workers, pin_memory, timeout, worker_init_fn, multiprocessing_context,
    prefetch_factor, persistent_workers, pin_memory_device, in_order :
        Accepted for PyTorch compatibility and ignored: batches are always built in the
        calling process (one vectorised fancy-index is faster than worker processes for
        in-memory arrays), in order.
    collate_fn : callable, optional
        Turns a list of samples into a batch (default: ``default_collate``).
    drop_last : bool, default False
        Drop the last batch when it is smaller than ``batch_size``.
    generator : numpy.random.Generator, optional
        The source of the shuffling order.
    seed : int, optional (keyword only; the framework's addition)
        Seed of a new generator when none is given; without either, the generator is seeded
        from the framework's (``autograd.manual_seed``), so runs are reproducible.

    Resuming: ``state_dict()`` captures the generator and, mid-epoch, how many batches of the
    current epoch were already handed out; after ``load_state_dict`` the next ``iter()``
    rebuilds that epoch's order and continues with the following batch (with a ``sampler``
    the order is the sampler's, which keeps its own state).

    Raises
    ------
    ArgumentError
        For a batch_size that is not a positive int, a negative num_workers, or options that
        exclude each other (a ValueError).
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True, seed=None):
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ArgumentError("DataLoader: batch_sampler option is mutually exclusive with "
                                 "batch_size, shuffle, sampler, and drop_last")
        elif batch_size is None:
            raise ArgumentError("DataLoader: batch_size=None (no batching) is not supported; "
                                "use a positive int")
        elif isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:       # a ValueError for a float too, as PyTorch's
            raise ArgumentError(f"DataLoader: batch_size must be a positive int, got "
                                f"{batch_size!r}")
        if sampler is not None and shuffle:
            raise ArgumentError("DataLoader: sampler option is mutually exclusive with shuffle")
        validate.integer(num_workers, "num_workers", "DataLoader", minimum=0)
        self.dataset = dataset
        self.batch_size = None if batch_sampler is not None else int(batch_size)
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.collate_fn = collate_fn
        self.num_workers, self.pin_memory = num_workers, pin_memory
        if generator is None and shuffle:
            if seed is None:
                seed = int(numpy_generator().integers(2 ** 63))
            generator = np.random.default_rng(seed)
        self.generator = generator
        self._epoch_start = None    # generator state before this epoch's permutation
        self._done = 0              # batches of the current epoch handed out
        self._in_epoch = False
        self._skip = 0              # batches to skip at the next iter() (after a resume)

    def __len__(self):
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler) if self.sampler is not None else len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def _batches(self):
        """This epoch's batches of indices (int arrays)."""
        if self.batch_sampler is not None:
            return [np.asarray(list(b), dtype=np.int64) for b in self.batch_sampler]
        if self.sampler is not None:
            order = np.fromiter(iter(self.sampler), dtype=np.int64)
        elif self.shuffle:
            self._epoch_start = self.generator.bit_generator.state
            order = self.generator.permutation(len(self.dataset))
        else:
            order = np.arange(len(self.dataset))
        bs = self.batch_size
        stops = range(bs, len(order) + (1 if self.drop_last else bs), bs)
        return [order[stop - bs:stop] for stop in stops]

    def __iter__(self):
        batches = self._batches()
        skip, self._skip = self._skip, 0
        self._done, self._in_epoch = skip, True
        fetch = self._fetch_function()
        for b in range(skip, len(batches)):
            batch = fetch(batches[b])
            self._done = b + 1
            yield batch
        self._in_epoch = False

    def _fetch_function(self):
        if self.collate_fn is None and hasattr(self.dataset, "get_batch"):
            # a tuple of fields comes back as a list, as default_collate gives it
            return lambda idx: _as_list(self.dataset.get_batch(idx))
        collate = self.collate_fn or default_collate
        return lambda idx: collate([self.dataset[int(i)] for i in idx])

    # -- resuming --------------------------------------------------------------------------
    def state_dict(self):
        """Where the loader is: generator state and batches done in the current epoch."""
        if self._in_epoch:
            generator, done = self._epoch_start, self._done
        else:                       # between epochs, or loaded and not yet iterated
            generator, done = None, self._skip
        if generator is None and self.generator is not None:
            generator = self.generator.bit_generator.state
        return {"generator": generator, "batches_done": done, "dataset_length": len(self.dataset),
                "batch_size": self.batch_size}

    def load_state_dict(self, state_dict):
        """Restore a ``state_dict``: the next ``iter()`` continues where the saved run was.

        Raises
        ------
        ValueError
            When the dataset length or batch size differ from the saved ones, or a generator
            state is given to a loader without a generator.
        """
        if state_dict["dataset_length"] != len(self.dataset) \
                or state_dict["batch_size"] != self.batch_size:
            raise ValueError(f"DataLoader.load_state_dict: saved for {state_dict['dataset_length']}"
                             f" samples in batches of {state_dict['batch_size']}, this loader has "
                             f"{len(self.dataset)} in batches of {self.batch_size}")
        generator = state_dict["generator"]
        if generator is not None:
            if self.generator is None:
                raise ValueError("DataLoader.load_state_dict: the state has a generator, this "
                                 "loader has none (shuffle=False and no generator)")
            self.generator.bit_generator.state = _plain(generator)
        self._skip = int(state_dict["batches_done"])
        self._in_epoch = False


def _as_list(batch):
    return list(batch) if type(batch) is tuple else batch


def _plain(obj):
    """A generator state as numpy wants it (a checkpoint returns its arrays as Tensors)."""
    if isinstance(obj, Tensor):
        return obj.detach().numpy()
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return obj
