"""Reductions: sum, mean, var/std, max/min (with indices), argmax/argmin, norm.

``dim`` is None (all axes), an int or a tuple of ints, negative counting from the end;
``keepdim`` keeps reduced axes as size 1, as in PyTorch.

Ties in max/min: the gradient goes to the *first* occurrence of the extreme value, the index
that ``argmax``/``argmin`` (and ``max(dim)``'s ``indices``) return; the same rule as
``max_pool2d``. (``torch.max(x)`` without ``dim`` splits it evenly among ties instead.)
"""

import builtins
from collections import namedtuple

import numpy as np

from ..errors import ShapeError
from ..function import Function
from ..tensor import Tensor

_wrap = Tensor._wrap

#: What ``max``/``min`` with ``dim`` return, as ``torch.return_types``.
values_indices = namedtuple("values_indices", ["values", "indices"])


def normalize_dims(dim, ndim, op_name):
    """``dim`` as a sorted tuple of non-negative axes (all axes for None or an empty tuple,
    as PyTorch's ``sum(())``).

    Raises ShapeError naming ``op_name`` for an axis outside [-ndim, ndim).
    """
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    if not dims:
        return tuple(range(ndim))
    bound = builtins.max(ndim, 1)
    out = []
    for d in dims:
        if not -bound <= d < bound:
            raise ShapeError(f"{op_name}: dim {d} is out of range for a tensor with {ndim} "
                             f"dimensions")
        out.append(int(d) % bound)
    return tuple(sorted(set(out)))


def _kept_shape(shape, dims):
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _expand_back(grad, in_shape, dims, keepdim):
    """Broadcast a reduced gradient back over the reduced axes of ``in_shape``."""
    if not keepdim:
        grad = grad.reshape(_kept_shape(in_shape, dims) if in_shape else ())
    return grad.expand(in_shape)


class Sum(Function):
    """c = Σ_dim a (the slides' sum rule: dc/da = 1 for every summed element)."""

    rule = "d/da = 1"

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        dims = normalize_dims(dim, a.ndim, "sum")
        ctx.meta = (a.shape, dims, keepdim)
        return _wrap(np.sum(a.data, axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        shape, dims, keepdim = ctx.meta
        return _expand_back(grad, shape, dims, keepdim), None, None


class Mean(Function):
    """c = (1/n) Σ_dim a.  dc/da = 1/n."""

    rule = "d/da = 1/n"

    @staticmethod
    def forward(ctx, a, dim=None, keepdim=False):
        if a.dtype.kind not in "fc":
            raise TypeError(f"mean: needs a floating point tensor, got {a.dtype}")
        dims = normalize_dims(dim, a.ndim, "mean")
        ctx.meta = (a.shape, dims, keepdim)
        return _wrap(np.mean(a.data, axis=dims, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        shape, dims, keepdim = ctx.meta
        n = int(np.prod([shape[d] for d in dims]))
        return _expand_back(grad / n, shape, dims, keepdim), None, None


def var(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """Variance Σ(x - mean)² / (n - correction); ``unbiased=True`` means correction 1."""
    if correction is None:
        correction = 1 if unbiased else 0
    dims = normalize_dims(dim, input.ndim, "var")
    n = int(np.prod([input.shape[d] for d in dims]))
    centred = input - input.mean(dims, keepdim=True)
    return (centred * centred).sum(dims, keepdim=keepdim) / builtins.max(n - correction, 0)


class _Extreme(Function):
    """Max or min over ``dim``; the gradient goes to the first extreme element."""

    pick = None  # np.argmax or np.argmin

    @staticmethod
    def forward(ctx, a, dim, idx):
        x = a.data if dim is not None else a.data.reshape(-1)
        axis = 0 if dim is None else dim
        ctx.meta = (a.shape, axis, idx, dim)
        return _wrap(np.take_along_axis(x, idx, axis=axis))   # keepdim shape

    @staticmethod
    def backward(ctx, grad):
        shape, axis, idx, dim = ctx.meta
        flat_shape = shape if dim is not None else (int(np.prod(shape)),)
        mask = np.zeros(flat_shape, dtype=grad.dtype)
        np.put_along_axis(mask, idx, 1, axis=axis)
        g = grad * _wrap(mask)
        return (g if dim is not None else g.reshape(shape)), None, None


class Max(_Extreme):
    """The maximum over ``dim``; the gradient goes to the first maximal element."""

    rule = "d/da = 1 at the (first) maximum, else 0"
    pick = staticmethod(np.argmax)


class Min(_Extreme):
    """The minimum over ``dim``; the gradient goes to the first minimal element."""

    rule = "d/da = 1 at the (first) minimum, else 0"
    pick = staticmethod(np.argmin)


def _extreme(cls, input, dim, keepdim):
    name = cls.__name__.lower()
    if input.data.size == 0:
        raise ShapeError(f"{name}: cannot reduce an empty tensor (shape {input.shape})")
    if dim is None:
        idx = cls.pick(input.data.reshape(-1), axis=0, keepdims=True)
        return cls.apply(input, None, idx).reshape(())
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{name}: dim must be an int, got {dim!r} (reduce one axis at a "
                        "time)")
    axis = normalize_dims(dim, input.ndim, name)[0] if input.ndim else 0
    x = input.data if input.ndim else input.data.reshape(1)
    idx = cls.pick(x, axis=axis, keepdims=True)
    out = cls.apply(input if input.ndim else input.reshape(1), axis, idx)
    indices = _wrap(idx.astype(np.int64))
    if not keepdim or input.ndim == 0:
        out, indices = out.reshape(input.shape[:axis] + input.shape[axis + 1:]), \
            _wrap(np.squeeze(indices.data, axis=axis))
    return values_indices(out, indices)


def max(input, dim=None, keepdim=False):
    """The maximum of all elements, or ``(values, indices)`` along ``dim`` (``torch.max``).

    Ties: gradient and index go to the first occurrence.
    """
    return _extreme(Max, input, dim, keepdim)


def min(input, dim=None, keepdim=False):
    """The minimum of all elements, or ``(values, indices)`` along ``dim`` (``torch.min``)."""
    return _extreme(Min, input, dim, keepdim)


def argmax(input, dim=None, keepdim=False):
    """Index of the (first) maximum, flattened when ``dim`` is None; int64, no gradient."""
    if dim is None:
        return _wrap(np.asarray(np.argmax(input.data), dtype=np.int64))
    return _wrap(np.argmax(input.data, axis=dim, keepdims=keepdim).astype(np.int64))


def argmin(input, dim=None, keepdim=False):
    """Index of the (first) minimum, flattened when ``dim`` is None; int64, no gradient."""
    if dim is None:
        return _wrap(np.asarray(np.argmin(input.data), dtype=np.int64))
    return _wrap(np.argmin(input.data, axis=dim, keepdims=keepdim).astype(np.int64))


def sum(input, dim=None, keepdim=False):
    """Σ over ``dim`` (all elements when None)."""
    return Sum.apply(input, dim, keepdim)


def mean(input, dim=None, keepdim=False):
    """Arithmetic mean over ``dim`` (all elements when None)."""
    return Mean.apply(input, dim, keepdim)


class Norm2(Function):
    """c = ||a||_2 = sqrt(Σ a²) over all elements.  dc/da = a / c, and 0 where c == 0 (the
    subgradient PyTorch picks, instead of 0/0 = nan)."""

    rule = "d/da = a / ||a||"

    @staticmethod
    def forward(ctx, a):
        dtype = a.dtype if a.dtype.kind == "f" else np.float32
        x = a.data.astype(dtype, copy=False)
        out = _wrap(np.asarray(np.sqrt(np.sum(x * x)), dtype=dtype))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        if out.data == 0:
            return grad * _wrap(np.zeros(a.shape, dtype=a.dtype))
        return grad * a / out


def norm(input, p=2):
    """The p-norm of all elements, (Σ|x|^p)^(1/p); for p=2 the gradient at 0 is 0."""
    if p == 2:
        return Norm2.apply(input)
    return (input.abs() ** p).sum() ** (1.0 / p)
