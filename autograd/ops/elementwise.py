"""Elementwise arithmetic with numpy broadcasting: each op's forward and backward side by side.

Backward rules return gradients in the *output's* shape; the engine sums them back to each
input's shape (broadcasting) and casts them to its dtype. Masks in the rules (``a > 0``,
``a == b``) are constants: their derivative is zero almost everywhere, which is exactly right
for second derivatives.
"""

import numpy as np

from ..errors import ShapeError
from ..function import Function
from ..tensor import Tensor

_wrap = Tensor._wrap


def _broadcast_error(op_name, a, b):
    """The error for operands numpy could not broadcast together."""
    return ShapeError(f"{op_name}: shapes {a.shape} and {b.shape} are not broadcastable")


def ufunc_result(op, a, b):
    """``op.ufunc`` applied to two Tensors' data, wrapped; a broadcasting failure names ``op``.

    Shared by the op's ``forward`` and by ``Tensor``'s no-record fast path, so both compute
    the same thing.
    """
    try:
        return _wrap(op.ufunc(a.data, b.data))
    except ValueError:
        raise _broadcast_error(op.__name__.lower(), a, b) from None


def _const(array):
    """A constant Tensor (no graph) for masks and other non-differentiable factors."""
    return _wrap(array)


class Add(Function):
    """c = a + b (the slides' sum rule: dc/da = 1, dc/db = 1)."""

    rule = "d/da = 1, d/db = 1"

    ufunc = staticmethod(np.add)

    @staticmethod
    def forward(ctx, a, b):
        return ufunc_result(Add, a, b)

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Function):
    """c = a - b.  dc/da = 1, dc/db = -1."""

    rule = "d/da = 1, d/db = -1"

    ufunc = staticmethod(np.subtract)

    @staticmethod
    def forward(ctx, a, b):
        return ufunc_result(Sub, a, b)

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad if ctx.needs_input_grad[1] else None


class Mul(Function):
    """c = a * b (the slides' weight rule: dc/da = b, dc/db = a)."""

    rule = "d/da = b, d/db = a"

    ufunc = staticmethod(np.multiply)

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return ufunc_result(Mul, a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad * b if need_a else None, grad * a if need_b else None


class Div(Function):
    """c = a / b.  dc/da = 1/b, dc/db = -a/b²."""

    rule = "d/da = 1/b, d/db = -a/b^2"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                return _wrap(a.data / b.data)
            except ValueError:
                raise _broadcast_error("div", a, b) from None

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        ga = grad / b if need_a else None
        gb = -grad * a / (b * b) if need_b else None
        return ga, gb


class Neg(Function):
    """c = -a.  dc/da = -1."""

    rule = "d/da = -1"

    @staticmethod
    def forward(ctx, a):
        return _wrap(np.negative(a.data))

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Pow(Function):
    """c = a ** b, elementwise, b a tensor.  dc/da = b a^(b-1), dc/db = a^b ln a."""

    rule = "d/da = b*a^(b-1), d/db = a^b*ln(a)"

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(divide="ignore", invalid="ignore"):
            try:
                out = _wrap(a.data ** b.data)
            except ValueError:
                raise _broadcast_error("pow", a, b) from None
        ctx.save_for_backward(a, b)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        ga = grad * b * a ** (b - 1) if need_a else None
        gb = None
        if need_b:
            # a^b ln a, with the limit 0 where a == 0 (0^b is flat in b for b > 0)
            safe = where(a.data > 0, a, _const(np.ones_like(a.data)))
            gb = grad * a ** b * safe.log()
        return ga, gb


class PowScalar(Function):
    """c = a ** p for a Python number p.  dc/da = p a^(p-1)."""

    rule = "d/da = p*a^(p-1)"

    @staticmethod
    def forward(ctx, a, p):
        ctx.save_for_backward(a)
        ctx.p = p
        x = a.data
        if x.dtype.kind in "iub" and not float(p).is_integer():
            x = x.astype(np.float32)   # int ** 0.5 is float (casting p to int would give **0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _wrap(np.power(x, np.asarray(p, dtype=x.dtype)))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        p = ctx.p
        if p == 0:
            return grad * 0.0, None
        if p == 1:
            return grad, None
        return grad * p * PowScalar.apply(a, p - 1), None


def pow(input, exponent):
    """``input ** exponent`` with a tensor or a Python number as exponent (``torch.pow``)."""
    if isinstance(exponent, Tensor):
        return Pow.apply(input, exponent)
    if isinstance(input, Tensor):
        return PowScalar.apply(input, exponent)
    raise TypeError("pow: at least one argument must be a Tensor")


class Exp(Function):
    """c = e^a.  dc/da = e^a = c."""

    rule = "d/da = exp(a)"

    @staticmethod
    def forward(ctx, a):
        out = _wrap(np.exp(a.data))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    """c = ln a.  dc/da = 1/a."""

    rule = "d/da = 1/a"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _wrap(np.log(a.data))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad / a


class Sqrt(Function):
    """c = √a.  dc/da = 1/(2√a)."""

    rule = "d/da = 1/(2*sqrt(a))"

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            out = _wrap(np.sqrt(a.data))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad / (out * 2.0)


class Abs(Function):
    """c = |a|.  dc/da = sign(a) (0 at a == 0, as PyTorch)."""

    rule = "d/da = sign(a)"

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _wrap(np.abs(a.data))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad * _const(np.sign(a.data))


class Clamp(Function):
    """c = min(max(a, lo), hi).  dc/da = 1 where lo <= a <= hi, else 0 (as PyTorch)."""

    rule = "d/da = 1 if min <= a <= max else 0"

    @staticmethod
    def forward(ctx, a, min=None, max=None):
        if min is None and max is None:
            raise ValueError("clamp: at least one of min and max must be given")
        ctx.save_for_backward(a)
        ctx.bounds = (min, max)
        return _wrap(np.clip(a.data, min, max))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        lo, hi = ctx.bounds
        inside = np.ones(a.shape, dtype=bool)
        if lo is not None:
            inside &= a.data >= lo
        if hi is not None:
            inside &= a.data <= hi
        return grad * _const(inside.astype(grad.dtype)), None, None


def clamp(input, min=None, max=None):
    """Limit ``input`` to [min, max] (``torch.clamp``); either bound may be None."""
    return Clamp.apply(input, min, max)


class _Pick(Function):
    """c = the larger (Maximum) or smaller (Minimum) of a and b, elementwise.

    dc/da = 1 where a wins, 0 where b wins; ties split the gradient equally (as
    ``torch.maximum``/``torch.minimum``).
    """

    pick = None   # np.maximum or np.minimum
    wins = None   # np.greater or np.less: where a is picked over b

    @classmethod
    def forward(cls, ctx, a, b):
        ctx.save_for_backward(a, b)
        try:
            return _wrap(cls.pick(a.data, b.data))
        except ValueError:
            raise _broadcast_error(cls.__name__.lower(), a, b) from None

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        share_a = (type(ctx).wins(a.data, b.data) + 0.5 * (a.data == b.data)).astype(grad.dtype)
        return grad * _const(share_a), grad * _const(1 - share_a)


class Maximum(_Pick):
    """c = max(a, b) elementwise (``torch.maximum``); ties split the gradient."""

    rule = "d/da = 1 if a > b (1/2 if a == b), d/db = 1 - d/da"
    pick, wins = staticmethod(np.maximum), staticmethod(np.greater)


class Minimum(_Pick):
    """c = min(a, b) elementwise (``torch.minimum``); ties split the gradient."""

    rule = "d/da = 1 if a < b (1/2 if a == b), d/db = 1 - d/da"
    pick, wins = staticmethod(np.minimum), staticmethod(np.less)


def maximum(input, other):
    """Elementwise maximum (``torch.maximum``)."""
    return Maximum.apply(input, other)


def minimum(input, other):
    """Elementwise minimum (``torch.minimum``)."""
    return Minimum.apply(input, other)


class Where(Function):
    """c = a where cond else b.  dc/da = cond, dc/db = not cond (cond carries no gradient)."""

    rule = "d/da = cond, d/db = 1 - cond"

    @staticmethod
    def forward(ctx, cond, a, b):
        ctx.mask = cond
        try:
            return _wrap(np.where(cond, a.data, b.data))
        except ValueError:
            raise ShapeError(f"where: condition {np.shape(cond)}, input {a.shape} and other "
                             f"{b.shape} are not broadcastable") from None

    @staticmethod
    def backward(ctx, grad):
        mask = ctx.mask
        zero = _const(np.zeros((), dtype=grad.dtype))
        ga = Where.apply(mask, grad, zero) if ctx.needs_input_grad[1] else None
        gb = Where.apply(mask, zero, grad) if ctx.needs_input_grad[2] else None
        return None, ga, gb


def where(condition, input, other):
    """``input`` where ``condition`` is true, else ``other`` (``torch.where``).

    ``condition`` is a bool Tensor or array; ``input``/``other`` are Tensors or numbers.
    """
    cond = condition.data if isinstance(condition, Tensor) else np.asarray(condition)
    if cond.dtype != np.bool_:
        cond = cond.astype(bool)
    like = input if isinstance(input, Tensor) else other
    if not isinstance(like, Tensor):
        raise TypeError("where: input or other must be a Tensor")
    return Where.apply(cond, _tensor_operand(input, like), _tensor_operand(other, like))


def _tensor_operand(x, like):
    from ..tensor import _operand
    return _operand(x, like)


class Cast(Function):
    """c = a converted to ``dtype``.  dc/da = 1 (the gradient is cast back by the engine)."""

    rule = "d/da = 1"

    @staticmethod
    def forward(ctx, a, dtype):
        return _wrap(a.data.astype(dtype))

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Clone(Function):
    """c = a copy of a.  dc/da = 1."""

    rule = "d/da = 1"

    @staticmethod
    def forward(ctx, a):
        return _wrap(a.data.copy())

    @staticmethod
    def backward(ctx, grad):
        return grad
