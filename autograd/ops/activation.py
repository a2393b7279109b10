"""The softmax family along a dim, forward and backward side by side, and the functional forms
of the activations (``sigmoid``, ``tanh``, ``relu``, ``leaky_relu`` are rows of the ufunc
table).

All are numerically stable: sigmoid never evaluates e^x for large positive x, and the softmax
family subtracts the maximum before exponentiating, so sigmoid(±1000) and
log_softmax([1000, 0, -1000]) are finite with finite gradients. A 0-d tensor takes dim 0 or
-1, as in PyTorch.
"""

import numpy as np

from .. import validate
from ..dims import normalize_dim, normalize_dims
from ..errors import DimError
from ..function import Function
from ..tensor import wrap
from . import ufuncs

__all__ = ["sigmoid", "tanh", "relu", "leaky_relu", "softmax", "log_softmax", "logsumexp",
           "Softmax", "LogSoftmax", "LogSumExp"]


def _stable_logsumexp(x, axis):
    if x.size == 0:                     # log of an empty sum: -inf (PyTorch's value)
        with np.errstate(divide="ignore"):
            return np.log(np.sum(np.exp(x), axis=axis, keepdims=True))
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m


def _as_1d(x):
    """0-d arrays as shape (1,), so that axis 0 exists (PyTorch treats them as 1-d here)."""
    return x.reshape(1) if x.ndim == 0 else x


class LogSumExp(Function):
    """c = log Σ_dims e^a.  dc/da = softmax(a) over dims."""

    rule = "d/da = softmax(a)"

    @staticmethod
    def forward(ctx, a, dims, keepdim):
        x = a._data
        if x.ndim == 0:
            return x.copy()
        out = _stable_logsumexp(x, dims)
        return out if keepdim else np.squeeze(out, axis=dims)

    @staticmethod
    def backward(ctx, grad):
        a, dims, keepdim = ctx.inputs
        out = LogSumExp.apply(a, dims, True)      # recomputed: differentiable again
        if a.ndim and not keepdim:
            grad = grad.reshape(out.shape)
        return grad * (a - out).exp(), None, None


class Softmax(Function):
    """s = e^a / Σ_dim e^a.  Backward: s * (g - Σ_dim g s)."""

    rule = "d/da_i s_j = s_j (δ_ij - s_i)"

    @staticmethod
    def forward(ctx, a, axis):
        x = _as_1d(a._data)
        if x.size == 0:
            out = wrap(a._data.copy())
            ctx.save_for_backward(out)
            return out
        with np.errstate(invalid="ignore"):      # inf - inf: nan, as in PyTorch
            e = np.exp(x - np.max(x, axis=axis, keepdims=True))
            out = wrap((e / np.sum(e, axis=axis, keepdims=True)).reshape(a.shape))
        ctx.save_for_backward(out)            # the output itself: differentiable again
        return out

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        axis = ctx.inputs[1] if s.ndim else ()
        return s * (grad - (grad * s).sum(axis, keepdim=True)), None


class LogSoftmax(Function):
    """l = a - logsumexp(a).  Backward: g - e^l Σ_dim g."""

    rule = "d/da_i l_j = δ_ij - softmax_i"

    @staticmethod
    def forward(ctx, a, axis):
        x = _as_1d(a._data)
        with np.errstate(invalid="ignore"):      # inf - inf: nan, as in PyTorch
            out = wrap((x - _stable_logsumexp(x, axis)).reshape(a.shape))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        axis = ctx.inputs[1] if out.ndim else ()
        return grad - out.exp() * grad.sum(axis, keepdim=True), None


def sigmoid(input):
    """Logistic sigmoid 1/(1+e^-x), elementwise (stable); integer input gives float32."""
    return ufuncs.unary(ufuncs.Sigmoid, validate.tensor(input, "sigmoid"))


def tanh(input):
    """Hyperbolic tangent, elementwise."""
    return ufuncs.unary(ufuncs.Tanh, validate.tensor(input, "tanh"))


def relu(input):
    """max(x, 0), elementwise (gradient 0 at x == 0, as PyTorch).

    Raises ArgumentTypeError for a non-Tensor (PyTorch: "relu(): argument 'input' (position 1)
    must be Tensor, not float")."""
    return ufuncs.unary(ufuncs.ReLU, validate.tensor(input, "relu"))


def leaky_relu(input, negative_slope=0.01):
    """x if x > 0 else negative_slope * x (``torch.nn.functional.leaky_relu``)."""
    validate.tensor(input, "leaky_relu")
    return ufuncs.unary(ufuncs.LeakyReLU, input,
                        validate.number(negative_slope, "negative_slope", "leaky_relu"))


def softmax(input, dim, dtype=None):
    """Softmax along ``dim`` (stable: the maximum is subtracted first).

    Raises
    ------
    DimError
        ``dim`` out of range.
    """
    validate.tensor(input, "softmax")
    if dtype is not None:
        input = input.to(dtype)
    return Softmax.apply(input, normalize_dim(dim, input.shape, "softmax"))


def log_softmax(input, dim, dtype=None):
    """log(softmax(x)) along ``dim``, computed as x - logsumexp(x) (stable)."""
    validate.tensor(input, "log_softmax")
    if dtype is not None:
        input = input.to(dtype)
    return LogSoftmax.apply(input, normalize_dim(dim, input.shape, "log_softmax"))


def logsumexp(input, dim, keepdim=False):
    """log Σ exp(x) over ``dim`` (an int or a tuple of ints; stable)."""
    validate.tensor(input, "logsumexp")
    if isinstance(dim, (tuple, list)) and not dim:
        raise DimError("logsumexp: dim must name at least one dimension")
    dims = normalize_dims(dim, input.shape, "logsumexp")
    return LogSumExp.apply(input, dims, bool(keepdim))
