"""Elementwise ops that are not plain ufuncs: ``where``, ``clamp`` (scalar or tensor bounds),
the dtype cast and ``clone``. (The ufuncs, ``+ - * / **`` and ``exp``/``log``/..., are the
table in ``ops/ufuncs.py``.)

Backward rules return gradients in the output's shape; ``graph.fit_gradient`` sums them back
to each input's shape and casts them to its dtype. Masks (``a >= lo``) are constants.
"""

import numpy as np

from .. import dtypes, validate
from ..errors import ArgumentError, ArgumentTypeError, DTypeError, ShapeError
from ..function import Function
from ..tensor import Tensor, wrap

__all__ = ["where", "clamp", "Where", "Clamp", "Cast", "Clone"]


class Where(Function):
    """c = a where cond else b (cond a bool ndarray, a constant)."""

    rule = "d/da = cond, d/db = not cond"

    @staticmethod
    def forward(ctx, cond, a, b):
        try:
            return np.where(cond, a._data, b._data)
        except ValueError:
            raise ShapeError(f"where: condition {np.shape(cond)}, input {tuple(a.shape)} and other "
                             f"{tuple(b.shape)} are not broadcastable") from None

    @staticmethod
    def backward(ctx, grad):
        cond = ctx.inputs[0]
        zero = wrap(np.zeros((), dtype=grad.dtype))
        ga = Where.apply(cond, grad, zero) if ctx.needs_input_grad[1] else None
        gb = Where.apply(cond, zero, grad) if ctx.needs_input_grad[2] else None
        return None, ga, gb


def where(condition, input, other):
    """``input`` where ``condition`` is true, else ``other`` (``torch.where``).

    ``condition``: a bool Tensor or array; ``input``/``other``: Tensors or Python numbers (at
    least one a Tensor), promoted to one dtype as PyTorch does (``where(c, x, 0.0)`` keeps
    ``x``'s float32).

    Raises
    ------
    ShapeError
        Condition and operands not broadcastable.
    DTypeError
        A condition that is not bool (PyTorch: "where expected condition to be a boolean
        tensor").
    ArgumentTypeError
        ``input``/``other`` neither Tensors nor numbers, or a condition that is not a Tensor or
        an array.
    """
    if isinstance(condition, Tensor):
        cond = condition._data
    elif isinstance(condition, (np.ndarray, np.bool_, bool)):
        cond = np.asarray(condition)
    else:
        raise ArgumentTypeError(f"where(): argument 'condition' (position 1) must be Tensor, "
                                f"not {type(condition).__name__}")
    if cond.dtype != np.bool_:
        raise DTypeError(f"where: expected condition to be a boolean tensor, got dtype "
                         f"{cond.dtype} (shape {cond.shape})")
    validate.tensor_or_number(input, "where", "input", 2)
    validate.tensor_or_number(other, "where", "other", 3)
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        dtype = dtypes.result_type(input, other)
        input, other = wrap(np.asarray(input, dtype)), wrap(np.asarray(other, dtype))
    dtype = dtypes.result_type(input, other)
    return Where.apply(cond, _as(input, dtype), _as(other, dtype))


def _as(x, dtype):
    """``x`` (a Tensor or a number) as a Tensor of ``dtype`` (a differentiable cast)."""
    if isinstance(x, Tensor):
        return x if x._data.dtype == dtype else x.to(dtype)
    return wrap(np.asarray(x, dtype=dtype))


class Clamp(Function):
    """c = min(max(a, lo), hi), with lo/hi None, numbers or Tensors.

    dc/da = 1 where lo <= a <= hi; a Tensor bound gets the gradient where it clamps (lo only
    while lo < hi), as PyTorch's ``clamp_backward_min_max``.
    """

    rule = "d/da = 1 if min <= a <= max else 0"

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a, *(b for b in (lo, hi) if isinstance(b, Tensor)))
        x = a._data
        dtype = dtypes.result_type(a, *(b for b in (lo, hi) if b is not None))
        try:
            return np.clip(x, _value(lo), _value(hi)).astype(dtype, copy=False)
        except ValueError:
            raise ShapeError(f"clamp: input {tuple(a.shape)} and bounds "
                             f"{_shape(lo)}, {_shape(hi)} are not broadcastable") from None

    @staticmethod
    def backward(ctx, grad):
        a, lo, hi = ctx.inputs
        ctx.saved_tensors                      # the in-place check
        inside = None
        if lo is not None:
            inside = a >= lo
        if hi is not None:
            inside = a <= hi if inside is None else inside & (a <= hi)
        need_a, need_lo, need_hi = ctx.needs_input_grad
        # masks multiply: np.where costs a mispredicted branch per element (ops/ufuncs.py)
        ga = grad * inside if need_a else None
        glo = ghi = None
        if need_lo:
            glo = grad * (a < lo if hi is None else (a < lo) & (lo < hi))
        if need_hi:
            ghi = grad * (a > hi if lo is None else (a > hi) | (hi < lo))
        return ga, glo, ghi


def _value(b):
    return b._data if isinstance(b, Tensor) else b


def _shape(b):
    return b.shape if isinstance(b, Tensor) else ()


def clamp(input, min=None, max=None):
    """Limit ``input`` to [min, max] (``torch.clamp``); each bound None, a number or a Tensor
    (broadcastable). With min > max every element becomes max, as in PyTorch. The result
    dtype is PyTorch's promotion of the input and the bounds (an int tensor clamped to float
    bounds is float32).

    Raises
    ------
    ArgumentError
        Both bounds None.
    ArgumentTypeError
        A non-Tensor input, or a bound that is neither a Tensor nor a number.
    """
    validate.tensor(input, "clamp")
    if min is None and max is None:
        raise ArgumentError("clamp: at least one of min and max must not be None")
    for name, b in (("min", min), ("max", max)):
        if b is not None:
            validate.tensor_or_number(b, "clamp", name)
    return Clamp.apply(input, min, max)


class Cast(Function):
    """c = a converted to ``dtype``.  dc/da = 1 (the gradient is cast back by the graph)."""

    rule = "d/da = 1"

    @staticmethod
    def forward(ctx, a, dtype):
        return a._data.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Clone(Function):
    """c = a copy of a.  dc/da = 1."""

    rule = "d/da = 1"

    @staticmethod
    def forward(ctx, a):
        return a._data.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad
