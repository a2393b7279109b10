"""Activations ("squashing" functions) and the softmax family, forward and backward side by side.

All are numerically stable: sigmoid never evaluates e^x for large positive x, and the softmax
family subtracts the maximum before exponentiating, so sigmoid(±1000) and
log_softmax([1000, 0, -1000]) are finite with finite gradients.
"""

import numpy as np

from ..function import Function
from ..tensor import Tensor

_wrap = Tensor._wrap


def _keepdim_shape(shape, dim):
    """``shape`` with the reduced axis (or tuple of axes) ``dim`` kept as size 1."""
    shape = list(shape)
    for d in (dim if isinstance(dim, tuple) else (dim,)):
        shape[d] = 1
    return tuple(shape)


def _stable_logsumexp(x, dim):
    m = np.max(x, axis=dim, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        return np.log(np.sum(np.exp(x - m), axis=dim, keepdims=True)) + m


class Sigmoid(Function):
    """b = 1 / (1 + e^-a); the slides' rule db/da = σ(a)(1 - σ(a))."""

    rule = "d/da = sigmoid(a)*(1 - sigmoid(a))"

    @staticmethod
    def forward(ctx, a):
        x = a.data
        e = np.exp(-np.abs(x))                     # never overflows
        out = _wrap(np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return grad * s * (1 - s)


class Tanh(Function):
    """b = tanh(a), the sigmoid rescaled to (-1, 1).  db/da = 1 - tanh(a)²."""

    rule = "d/da = 1 - tanh(a)^2"

    @staticmethod
    def forward(ctx, a):
        out = _wrap(np.tanh(a.data))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (t,) = ctx.saved_tensors
        return grad * (1 - t * t)


class ReLU(Function):
    """b = a if a > 0 else 0; the slides' rule db/da = 1 if a > 0 else 0 (0 at a == 0)."""

    rule = "d/da = 1 if a > 0 else 0"

    @staticmethod
    def forward(ctx, a):
        out = _wrap(np.maximum(a.data, 0))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * _wrap(out.data > 0)


class LeakyReLU(Function):
    """b = a if a > 0 else slope * a.  db/da = 1 if a > 0 else slope."""

    rule = "d/da = 1 if a > 0 else negative_slope"

    @staticmethod
    def forward(ctx, a, negative_slope=0.01):
        ctx.save_for_backward(a)
        ctx.slope = negative_slope
        return _wrap(np.where(a.data > 0, a.data, a.data * negative_slope).astype(a.dtype))

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        factor = np.where(a.data > 0, 1, ctx.slope).astype(grad.dtype)
        return grad * _wrap(factor), None


class LogSumExp(Function):
    """c = log Σ_dim e^a.  dc/da = softmax(a) along dim."""

    rule = "d/da = softmax(a)"

    @staticmethod
    def forward(ctx, a, dim, keepdim=False):
        out = _stable_logsumexp(a.data, dim)
        ctx.dim, ctx.keepdim = dim, keepdim
        result = _wrap(out if keepdim else np.squeeze(out, axis=dim))
        ctx.save_for_backward(a, result)
        return result

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        if not ctx.keepdim:
            shape = _keepdim_shape(a.shape, ctx.dim)
            grad, out = grad.reshape(shape), out.reshape(shape)
        return grad * (a - out).exp(), None, None


class Softmax(Function):
    """s = e^a / Σ_dim e^a.  Backward: s * (g - Σ_dim g s)."""

    rule = "d/da_i s_j = s_j (δ_ij - s_i)"

    @staticmethod
    def forward(ctx, a, dim):
        x = a.data
        e = np.exp(x - np.max(x, axis=dim, keepdims=True))
        out = _wrap(e / np.sum(e, axis=dim, keepdims=True))
        ctx.dim = dim
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return s * (grad - (grad * s).sum(ctx.dim, keepdim=True)), None


class LogSoftmax(Function):
    """l = a - logsumexp(a).  Backward: g - e^l Σ_dim g."""

    rule = "d/da_i l_j = δ_ij - softmax_i"

    @staticmethod
    def forward(ctx, a, dim):
        out = _wrap(a.data - _stable_logsumexp(a.data, dim))
        ctx.dim = dim
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad - out.exp() * grad.sum(ctx.dim, keepdim=True), None


def sigmoid(input):
    """Logistic sigmoid 1/(1+e^-x), elementwise; any shape, floating dtype."""
    return Sigmoid.apply(input)


def tanh(input):
    """Hyperbolic tangent, elementwise."""
    return Tanh.apply(input)


def relu(input):
    """max(x, 0), elementwise (gradient 0 at x == 0, as PyTorch)."""
    return ReLU.apply(input)


def leaky_relu(input, negative_slope=0.01):
    """x if x > 0 else negative_slope * x (``torch.nn.functional.leaky_relu``)."""
    return LeakyReLU.apply(input, negative_slope)


def softmax(input, dim):
    """Softmax along ``dim`` (stable: the maximum is subtracted first)."""
    return Softmax.apply(input, dim)


def log_softmax(input, dim):
    """log(softmax(x)) along ``dim``, computed as x - logsumexp(x) (stable)."""
    return LogSoftmax.apply(input, dim)


def logsumexp(input, dim, keepdim=False):
    """log Σ exp(x) along ``dim`` (stable)."""
    return LogSumExp.apply(input, dim, keepdim)
