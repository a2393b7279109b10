"""Index-driven gathers and scatters along one dim: ``gather``, ``scatter``, ``scatter_add``
(``torch.gather`` / ``torch.scatter`` / ``torch.scatter_add``), as used for one-hot targets
(``zeros(10).scatter_(0, label, value=1)``) and for picking per-row entries.

For a dim ``d`` and an int64 ``index`` with the input's number of dims (every size at most the
input's, except along ``d`` for scatter's output), position ``p`` of ``index`` addresses the
input position ``p`` with coordinate ``d`` replaced by ``index[p]``:

    gather:      out[p] = input[p with p_d := index[p]]
    scatter:     out = input; out[p with p_d := index[p]] = src[p]       (or the number value)
    scatter_add: out = input; out[p with p_d := index[p]] += src[p]      (repeats add up)

gather's adjoint is scatter_add into zeros, and scatter_add's is gather, so both have second
derivatives. With repeated indices scatter keeps one of the values (PyTorch: unspecified) and
its gradient is only meaningful for distinct indices, as in PyTorch.
"""

import numpy as np

from ..dims import normalize_dim
from ..errors import DTypeError, ShapeError
from ..function import Function
from ..tensor import Tensor, wrap

__all__ = ["gather", "scatter", "scatter_add", "Gather", "ScatterAdd", "Scatter"]


def _grid(index, dim):
    """The numpy index tuple that addresses, for every position of ``index`` (an int array),
    the input position with coordinate ``dim`` replaced by its value."""
    shape = index.shape
    return tuple(index if d == dim else
                 np.arange(n).reshape((1,) * d + (n,) + (1,) * (len(shape) - d - 1))
                 for d, n in enumerate(shape))


def _check(op, input, dim, index, src=None):
    """PyTorch's checks; returns (dim as an int, index as an int64 array of >= 1 dim)."""
    if not isinstance(input, Tensor) or not isinstance(index, Tensor):
        raise TypeError(f"{op}: input and index must be Tensors")
    if index.dtype.kind not in "iu":
        raise DTypeError(f"{op}(): Expected dtype int32/int64 for index, got {index.dtype}")
    idx = index.detach().numpy()
    if idx.ndim == 0 and input.ndim <= 1:
        idx = idx.reshape(1)                       # PyTorch accepts a 0-d index on 1-d input
    nd = max(input.ndim, 1)
    if idx.ndim != nd:
        raise ShapeError(f"{op}: index of shape {tuple(index.shape)} must have the same number of "
                         f"dimensions as input of shape {tuple(input.shape)}")
    d = normalize_dim(dim, (1,) * nd, op)
    shape = input.shape if input.ndim else (1,)
    for k in range(nd):
        if k != d and idx.shape[k] > shape[k]:
            raise ShapeError(f"{op}: Size does not match at dimension {k}: index of shape "
                             f"{tuple(index.shape)} must be no larger than input of shape "
                             f"{tuple(input.shape)} apart from dimension {d}")
        if src is not None and idx.shape[k] > src.shape[k]:
            raise ShapeError(f"{op}: index of shape {tuple(index.shape)} must be no larger than "
                             "src "
                             f"of shape {tuple(src.shape)} in dimension {k}")
    if idx.size and (idx.min() < 0 or idx.max() >= shape[d]):
        bad = idx[(idx < 0) | (idx >= shape[d])].flat[0]
        raise IndexError(f"{op}: index {bad} is out of bounds for dimension {d} with size "
                         f"{shape[d]}")
    return d, idx.astype(np.int64, copy=False)


def _src_part(src, idx):
    """The leading ``idx.shape`` block of ``src`` (scatter reads only those positions)."""
    return src[tuple(slice(0, n) for n in idx.shape)]


class Gather(Function):
    """c[p] = a[p with p_dim := index[p]].  Backward: scatter-add of the gradient into zeros."""

    rule = "d/da = 1 at the gathered positions (summed over repeats)"

    @staticmethod
    def forward(ctx, a, dim, idx):
        x = a._data.reshape(a.shape or (1,))
        return x[_grid(idx, dim)].reshape(idx.shape if a.ndim else ())

    @staticmethod
    def backward(ctx, grad):
        a, dim, idx = ctx.inputs
        return ScatterAdd.apply(wrap(np.zeros(a.shape, grad.dtype)), dim, idx, grad), None, None


class ScatterAdd(Function):
    """c = a; c[p with p_dim := index[p]] += s[p].  Backward: d/da = g, d/ds = gather(g)."""

    rule = "d/da = 1, d/ds = 1 at the scattered positions"

    @staticmethod
    def forward(ctx, a, dim, idx, s):
        out = a._data.reshape(a.shape or (1,)).copy()
        np.add.at(out, _grid(idx, dim), _src_part(s._data.reshape(s.shape or (1,)), idx))
        return out.reshape(a.shape)

    @staticmethod
    def backward(ctx, grad):
        a, dim, idx, s = ctx.inputs
        gs = None
        if ctx.needs_input_grad[3]:
            gs = _padded(Gather.apply(grad, dim, idx), s.shape)
        return grad, None, None, gs


class Scatter(Function):
    """c = a; c[p with p_dim := index[p]] = s[p] (``s`` a Tensor, or a number).
    Backward: d/da = g with the written positions zeroed, d/ds = gather(g)."""

    rule = "d/da = 1 outside the written positions, d/ds = 1 at them"

    @staticmethod
    def forward(ctx, a, dim, idx, s):
        out = a._data.reshape(a.shape or (1,)).copy()
        value = _src_part(s._data.reshape(s.shape or (1,)), idx) if isinstance(s, Tensor) else s
        out[_grid(idx, dim)] = value
        return out.reshape(a.shape)

    @staticmethod
    def backward(ctx, grad):
        a, dim, idx, s = ctx.inputs
        ga = gs = None
        if ctx.needs_input_grad[0]:
            ga = Scatter.apply(grad, dim, idx, 0.0)
        if isinstance(s, Tensor) and ctx.needs_input_grad[3]:
            gs = _padded(Gather.apply(grad, dim, idx), s.shape)
        return ga, None, None, gs


def _padded(t, shape):
    """``t`` (the gradient of the block of src that was read) padded with zeros to
    ``shape``."""
    if tuple(t.shape) == tuple(shape):
        return t
    from .shape import pad
    widths = []
    for n, m in reversed(list(zip(t.shape, shape))):
        widths += [0, m - n]
    return pad(t, widths)


def gather(input, dim, index, *, sparse_grad=False):
    """Values of ``input`` picked along ``dim`` by ``index`` (``torch.gather``); the result has
    the index's shape.

    Parameters
    ----------
    input : Tensor
    dim : int
    index : Tensor, int64, the input's number of dims, sizes <= input's except along ``dim``

    Raises
    ------
    DTypeError
        A non-integer index. ShapeError: dims or sizes that do not fit. IndexError: an index
        out of range (naming the value and the size).
    """
    d, idx = _check("gather", input, dim, index)
    return Gather.apply(input, d, idx)


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """A copy of ``input`` with ``src[p]`` (or the number ``value``) written at position ``p``
    with coordinate ``dim`` replaced by ``index[p]`` (``torch.scatter``).
    ``reduce='add'`` adds instead (``'multiply'`` is not supported).

    Raises
    ------
    ValueError
        Neither or both of ``src`` and ``value``; an unknown ``reduce``.
    DTypeError, ShapeError, IndexError
        As ``gather``.
    """
    if src is not None and not isinstance(src, Tensor):    # scatter(dim, index, 1.0)
        if value is not None:
            raise ValueError("scatter: give exactly one of src and value")
        src, value = None, src
    if (src is None) == (value is None):
        raise ValueError("scatter: give exactly one of src (a Tensor) and value (a number)")
    if reduce not in (None, "add"):
        raise ValueError(f"scatter: reduce must be None or 'add', got {reduce!r}")
    d, idx = _check("scatter", input, dim, index, src)
    if reduce == "add":
        if src is None:
            src = wrap(np.full(idx.shape, value, dtype=input.dtype))
        return ScatterAdd.apply(input, d, idx, src.to(input.dtype))
    if src is None:
        return Scatter.apply(input, d, idx, np.asarray(value, dtype=input.dtype).item())
    return Scatter.apply(input, d, idx, src.to(input.dtype))


def scatter_add(input, dim, index, src):
    """A copy of ``input`` with ``src[p]`` added at position ``p`` with coordinate ``dim``
    replaced by ``index[p]``; repeated indices add up (``torch.scatter_add``).

    Raises
    ------
    DTypeError, ShapeError, IndexError
        As ``gather``.
    """
    d, idx = _check("scatter_add", input, dim, index, src)
    return ScatterAdd.apply(input, d, idx, src.to(input.dtype))
