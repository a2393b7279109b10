"""``Size`` (``torch.Size``): the shape of a tensor, a tuple of ints that prints as PyTorch's
(``autograd.Size([64, 1, 28, 28])``) and keeps being a ``Size`` when sliced or added to."""

import numpy as np

__all__ = ["Size"]


class Size(tuple):
    """A tuple of ints (``tensor.shape``, ``tensor.size()``): equal to the plain tuple,
    usable wherever numpy takes a shape; slices and ``+`` give ``Size`` again."""

    __slots__ = ()

    def __new__(cls, sizes=()):
        return super().__new__(cls, (int(s) for s in sizes))

    def __repr__(self):
        return f"autograd.Size([{', '.join(str(s) for s in self)}])"

    __str__ = __repr__

    def __getitem__(self, index, _get=tuple.__getitem__, _new=tuple.__new__):
        if index.__class__ is slice:
            return _new(Size, _get(self, index))
        return _get(self, index)

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __reduce__(self):
        return Size, (tuple(self),)

    def numel(self):
        """The number of elements of a tensor of this shape (1 for ``Size([])``)."""
        return int(np.prod(self, dtype=np.int64))
