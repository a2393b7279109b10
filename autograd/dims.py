"""The one dimension normaliser every op that takes ``dim`` calls.

PyTorch's rules: a dim counts from the end when negative; a tensor with n >= 1 dims accepts
[-n, n - 1]; a 0-d tensor accepts 0 and -1 (as if it had one dim); anything else is an
``IndexError`` "Dimension out of range" (here ``DimError``, also a ``ShapeError``), naming the
op.
"""

import numbers

import numpy as np

from .errors import ArgumentTypeError, DimError

__all__ = ["normalize_dim", "normalize_dims"]


def _ndim(shape):
    return shape if isinstance(shape, int) else len(shape)


def normalize_dim(dim, shape, op, extra=0):
    """``dim`` as an int in [0, max(ndim + extra, 1)) for a tensor of ``shape`` (or of ``shape``
    dims, an int); ``extra=1`` for ops that insert an axis (``unsqueeze``, ``stack``).

    Raises
    ------
    DimError
        Out of range, naming ``op``, the range and ``dim``.
    ArgumentTypeError
        ``dim`` not an integer (also a TypeError).
    """
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (numbers.Integral, np.integer)):
        raise ArgumentTypeError(f"{op}: dim must be an int, got {type(dim).__name__} {dim!r}")
    ndim = _ndim(shape)
    bound = max(ndim + extra, 1)
    if not -bound <= dim < bound:
        where = f"shape {tuple(shape)}" if not isinstance(shape, int) else f"{ndim} dimensions"
        raise DimError(f"{op}: dim {dim} is out of range for a tensor of {where} (expected a "
                       f"dim in [{-bound}, {bound - 1}]: dimension out of range)")
    return int(dim) % bound


def normalize_dims(dim, shape, op):
    """A reduction's ``dim`` (None, an int, or a sequence of ints) as a sorted tuple of
    distinct axes of a tensor of ``shape`` (or of that many dims; None or ``()``: every axis,
    as PyTorch's ``sum(())``). For a 0-d tensor the result is ``()``.

    Raises
    ------
    DimError
        An axis out of range, or repeated.
    ArgumentTypeError
        A ``dim`` that is neither an int nor a sequence of ints.
    """
    ndim = _ndim(shape)
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (numbers.Integral, np.integer)) and not isinstance(dim, bool):
        dims = (dim,)
    elif isinstance(dim, (list, tuple)):
        dims = tuple(dim)
        if not dims:
            return tuple(range(ndim))
    else:
        raise ArgumentTypeError(f"{op}: dim must be an int or a tuple of ints, got "
                                f"{type(dim).__name__} {dim!r}")
    out = [normalize_dim(d, shape, op) for d in dims]
    if len(set(out)) != len(out):
        raise DimError(f"{op}: dim {tuple(dims)} names an axis more than once")
    return tuple(sorted(out)) if ndim else ()
