"""Reductions: sum, mean, var/std, max/min (with indices), amax/amin, argmax/argmin, vector
norms.

``dim`` is None (all axes), an int or a tuple of ints, negative counting from the end, checked
by ``autograd.dims`` (a 0-d tensor takes dim 0 or -1); ``keepdim`` keeps reduced axes as size
1, as in PyTorch. Over an empty axis ``sum`` gives 0, ``mean``/``var`` nan, and
``max``/``min``/``argmax`` raise, as PyTorch does.

Ties in max/min: the gradient goes to the *first* occurrence of the extreme value, the index
that ``argmax``/``argmin`` (and ``max(dim)``'s ``indices``) return; the same rule as
``max_pool2d``. ``amax``/``amin`` split it evenly among ties, as PyTorch's do.
"""

import builtins
import math
from collections import namedtuple

import numpy as np

from .. import validate
from ..dims import normalize_dim, normalize_dims
from ..errors import ArgumentError, DTypeError, DimError, EmptyReductionError
from ..function import Function
from ..tensor import wrap

__all__ = ["sum", "mean", "var", "std", "max", "min", "amax", "amin", "argmax", "argmin",
           "norm", "vector_norm", "values_indices"]

#: What ``max``/``min`` with ``dim`` return, as ``torch.return_types``.
values_indices = namedtuple("values_indices", ["values", "indices"])


def _kept_shape(shape, dims):
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _expand_back(grad, in_shape, dims, keepdim):
    """Broadcast a reduced gradient back over the reduced axes of ``in_shape``."""
    if not keepdim and in_shape:
        grad = grad.reshape(_kept_shape(in_shape, dims))
    return grad.expand(in_shape)


def _count(shape, dims):
    return math.prod(shape[d] for d in dims)


class Sum(Function):
    """c = Σ_dim a (the slides' sum rule)."""

    rule = "d/da = 1"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        x = a._data
        out = np.sum(x, axis=dims, keepdims=keepdim)
        if x.dtype.kind in "biu":                 # PyTorch: integer sums are int64
            out = np.asarray(out).astype(np.int64, copy=False)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, dims, keepdim = ctx.inputs
        return _expand_back(grad, a.shape, dims, keepdim), None, None


class Mean(Function):
    """c = (1/n) Σ_dim a (nan over an empty axis)."""

    rule = "d/da = 1/n"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        x = a._data
        n = _count(x.shape, dims)
        total = np.sum(x, axis=dims, keepdims=keepdim)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(total / x.dtype.type(n) if n else total * np.nan, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        a, dims, keepdim = ctx.inputs
        n = _count(a.shape, dims)
        return _expand_back(grad / builtins.max(n, 1), a.shape, dims, keepdim), None, None


def _float_input(input, op):
    if input.dtype.kind != "f":
        raise DTypeError(f"{op}: needs a floating point tensor, got dtype {input.dtype} "
                         f"(shape {tuple(input.shape)})")


def sum(input, dim=None, keepdim=False, *, dtype=None):
    """Σ over ``dim`` (all elements when None); integer and bool inputs sum to int64."""
    validate.tensor(input, "sum")
    if dtype is not None:
        input = input.to(dtype)
    return Sum.apply(input, normalize_dims(dim, input.shape, "sum"), bool(keepdim))


def mean(input, dim=None, keepdim=False, *, dtype=None):
    """Arithmetic mean over ``dim`` (all elements when None); nan over an empty axis.

    Raises
    ------
    DTypeError
        For integer input (PyTorch: "could not infer output dtype"), unless ``dtype`` is given.
    """
    validate.tensor(input, "mean")
    if dtype is not None:
        input = input.to(dtype)
    _float_input(input, "mean")
    return Mean.apply(input, normalize_dims(dim, input.shape, "mean"), bool(keepdim))


def var(input, dim=None, unbiased=True, keepdim=False, *, correction=None, _op="var"):
    """Variance Σ(x - mean)² / (n - correction); ``unbiased=True`` means correction 1.
    Fewer than ``correction + 1`` values give nan, as in PyTorch."""
    validate.tensor(input, _op)
    _float_input(input, _op)
    if correction is None:
        correction = 1 if unbiased else 0
    dims = normalize_dims(dim, input.shape, _op)
    n = _count(input.shape, dims)
    centred = input - input.mean(dims, keepdim=True)
    total = (centred * centred).sum(dims, keepdim=keepdim)
    dof = n - correction
    return total / dof if dof > 0 else total * float("nan")


def std(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """Standard deviation: the square root of ``var``. Its gradient at a zero deviation is 0
    (not nan), as PyTorch's."""
    return _Sqrt0.apply(var(input, dim, unbiased, keepdim, correction=correction, _op="std"))


class _Sqrt0(Function):
    """c = sqrt(a) whose gradient is 0 where a == 0 (std of a constant)."""

    rule = "d/da = 1/(2*sqrt(a)), 0 at a == 0"

    @staticmethod
    def forward(ctx, a):
        out = wrap(np.sqrt(a._data))
        ctx.save_for_backward(out)            # the output itself: differentiable again
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        safe = out + (out == 0)
        return grad / (safe * 2) * (out != 0)


# -- max / min ---------------------------------------------------------------------------
class _Pick(Function):
    """The element of ``a`` at ``idx`` along ``axis`` (keepdim shape): max/min's values."""

    rule = "d/da = 1 at the selected element, else 0"

    @staticmethod
    def forward(ctx, a, axis, idx):
        return np.take_along_axis(a._data, idx, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        a, axis, idx = ctx.inputs
        return _Place.apply(grad, a.shape, axis, idx), None, None


class _Place(Function):
    """zeros(shape) with ``g`` put at ``idx`` along ``axis`` (the adjoint of ``_Pick``)."""

    rule = "d/dg = gather at the selected elements"

    @staticmethod
    def forward(ctx, g, shape, axis, idx):
        out = np.zeros(shape, dtype=g.dtype)
        np.put_along_axis(out, idx, g._data, axis=axis)
        return out

    @staticmethod
    def backward(ctx, grad):
        g, shape, axis, idx = ctx.inputs
        return _Pick.apply(grad, axis, idx), None, None, None


def _extreme(name, pick, input, dim, keepdim):
    validate.tensor(input, name)
    if dim is None:
        if input._data.size == 0:
            raise EmptyReductionError(f"{name}(): cannot reduce an empty tensor (shape "
                                      f"{tuple(input.shape)}) without a dim; specify the reduction "
                                      "dim with the 'dim' argument")
        flat = input.reshape(-1)
        idx = pick(flat._data, axis=0, keepdims=True)
        return _Pick.apply(flat, 0, idx).reshape(())
    axis = normalize_dim(dim, input.shape, name)
    x = input if input.ndim else input.reshape(1)
    if x.shape[axis] == 0:
        raise DimError(f"{name}(): expected reduction dim {dim} to have non-zero size "
                       f"(shape {tuple(input.shape)})")
    idx = pick(x._data, axis=axis, keepdims=True)
    values = _Pick.apply(x, axis, idx)
    indices = idx.astype(np.int64)
    if not keepdim or input.ndim == 0:
        values = values.squeeze(axis) if input.ndim else values.reshape(())
        indices = np.squeeze(indices, axis=axis)
    return values_indices(values, wrap(indices))


def max(input, dim=None, keepdim=False):
    """The maximum of all elements, or ``(values, indices)`` along ``dim`` (``torch.max``).

    Ties: gradient and index go to the first occurrence.

    Raises
    ------
    RuntimeError
        Without ``dim`` on an empty tensor; DimError for an empty ``dim``.
    """
    return _extreme("max", np.argmax, input, dim, keepdim)


def min(input, dim=None, keepdim=False):
    """The minimum of all elements, or ``(values, indices)`` along ``dim`` (``torch.min``)."""
    return _extreme("min", np.argmin, input, dim, keepdim)


def _arg(name, pick, input, dim, keepdim):
    x = validate.tensor(input, name)._data
    if dim is None:
        if x.size == 0:                       # PyTorch raises IndexError here (max: Runtime)
            raise DimError(f"{name}(): cannot reduce an empty tensor (shape {tuple(input.shape)}) "
                           "without a dim; specify the reduction dim")
        return wrap(np.asarray(pick(x), dtype=np.int64))
    axis = normalize_dim(dim, x.shape, name)
    x = x if x.ndim else x.reshape(1)
    if x.shape[axis] == 0:
        raise DimError(f"{name}(): expected reduction dim {dim} to have non-zero size "
                       f"(shape {tuple(input.shape)})")
    out = pick(x, axis=axis, keepdims=bool(keepdim) and input.ndim > 0).astype(np.int64)
    return wrap(out.reshape(()) if input.ndim == 0 else out)


def argmax(input, dim=None, keepdim=False):
    """Index of the (first) maximum, flattened when ``dim`` is None; int64, no gradient."""
    return _arg("argmax", np.argmax, input, dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    """Index of the (first) minimum, flattened when ``dim`` is None; int64, no gradient."""
    return _arg("argmin", np.argmin, input, dim, keepdim)


class _Amax(Function):
    """c = max over ``dims`` (amax/amin); ties share the gradient evenly (PyTorch)."""

    rule = "d/da = 1/k at each of the k extreme elements, else 0"

    @staticmethod
    def forward(ctx, a, dims, keepdim, reduce):
        return reduce(a._data, axis=dims, keepdims=keepdim)

    @staticmethod
    def backward(ctx, grad):
        a, dims, keepdim, reduce = ctx.inputs
        top = wrap(reduce(a._data, axis=dims, keepdims=True))
        mask = a == top
        share = mask / mask.sum(dims, keepdim=True)
        return _expand_back(grad, a.shape, dims, keepdim) * share, None, None, None


def _amax(name, reduce, input, dim, keepdim):
    dims = normalize_dims(dim, validate.tensor(input, name).shape, name)
    if any(input.shape[d] == 0 for d in dims) or (dim is None and input._data.size == 0):
        raise DimError(f"{name}(): expected reduction dims {dim} to have non-zero size "
                       f"(shape {tuple(input.shape)})")
    return _Amax.apply(input, dims, bool(keepdim), reduce)


def amax(input, dim=(), keepdim=False):
    """The maximum over ``dim`` (all axes for ``()``/None); ties split the gradient."""
    return _amax("amax", np.amax, input, dim, keepdim)


def amin(input, dim=(), keepdim=False):
    """The minimum over ``dim`` (all axes for ``()``/None); ties split the gradient."""
    return _amax("amin", np.amin, input, dim, keepdim)


# -- norms -------------------------------------------------------------------------------
class _Norm2(Function):
    """c = sqrt(Σ_dims a²).  dc/da = a / c, 0 where c == 0 (PyTorch's subgradient)."""

    rule = "d/da = a / ||a||"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        x = a._data
        out = wrap(np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim)))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        _, dims, keepdim = ctx.inputs
        n = _expand_back(out, a.shape, dims, keepdim)
        g = _expand_back(grad, a.shape, dims, keepdim)
        safe = n + (n == 0)
        return g * a / safe * (n != 0), None, None


class CountNonzero(Function):
    """The 0-"norm": the number of nonzero elements over ``dims``, in ``a``'s dtype. Piecewise
    constant, so its gradient is absent (PyTorch's ``norm_backward`` returns an undefined
    tensor for p = 0): backward runs and leaves ``a.grad`` None."""

    rule = "d/da = 0 (no gradient flows)"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        x = a._data
        return np.count_nonzero(x, axis=dims, keepdims=keepdim).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return None, None, None


class Cumsum(Function):
    """c_i = Σ_{j <= i} a_j along ``dim``.  Backward: the reversed running sum of the
    gradient (each a_j feeds every later c_i)."""

    rule = "d/da_j = Σ_{i >= j} g_i"

    @staticmethod
    def forward(ctx, a, dim):
        x = a._data
        return np.cumsum(x, axis=dim, dtype=np.int64 if x.dtype.kind in "biu" else x.dtype) \
            if x.ndim else x.copy()

    @staticmethod
    def backward(ctx, grad):
        dim = ctx.inputs[1]
        if grad.ndim == 0:
            return grad, None
        flipped = tuple(slice(None, None, -1) if i == dim else slice(None)
                        for i in range(grad.ndim))
        return Cumsum.apply(grad[flipped], dim)[flipped], None


def cumsum(input, dim):
    """Running sums along ``dim`` (an int already in range); integers sum in int64."""
    return Cumsum.apply(input, dim)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, _op="vector_norm"):
    """``torch.linalg.vector_norm``: (Σ|x|^ord)^(1/ord) over ``dim`` (all elements when None).

    ``ord`` may be any real number, ``inf`` (max |x|), ``-inf`` (min |x|) or 0 (the number of
    nonzero elements, gradient 0). At x = 0 the gradient is 0 (PyTorch's subgradient).

    Raises
    ------
    DTypeError
        Integer input. ArgumentTypeError: an ``ord`` that is not a number.
    """
    validate.tensor(x, _op)
    ord = validate.number(ord, "ord" if _op == "vector_norm" else "p", _op)
    if dtype is not None:
        x = x.to(dtype)
    _float_input(x, _op)
    dims = normalize_dims(dim, x.shape, _op)
    if ord == 2:
        return _Norm2.apply(x, dims, bool(keepdim))
    a = x.abs()
    if ord == float("inf"):
        return a.amax(dims, keepdim)
    if ord == float("-inf"):
        return a.amin(dims, keepdim)
    if ord == 0:
        return CountNonzero.apply(x, dims, bool(keepdim))
    if ord == 1:
        return a.sum(dims, keepdim)
    return (a ** ord).sum(dims, keepdim) ** (1.0 / ord)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """``torch.norm``: the vector p-norm of the elements over ``dim`` (all when None).

    ``p`` is a number, ``inf``/``-inf``, or ``'fro'`` (the 2-norm, Frobenius for matrices).

    Raises
    ------
    ArgumentError
        An unsupported ``p`` (e.g. ``'nuc'``, matrix norms are not implemented).
    """
    if isinstance(p, str):
        if p != "fro":
            raise ArgumentError(f"norm: p={p!r} is not supported (use a number, inf or 'fro')")
        p = 2
    return vector_norm(input, p, dim, keepdim, dtype=dtype, _op="norm")
