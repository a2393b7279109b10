"""Normalisation ops with their own derivative rules: training-mode batch normalisation (one
node for normalise + scale + shift) and the channel window sum behind local response
normalisation. ``nn.functional.batch_norm`` / ``local_response_norm`` call these.
"""

import numpy as np

from .. import grad_mode
from ..errors import ShapeError
from ..function import Function
from ..tensor import bump_version, wrap

__all__ = ["BatchNormTrain", "batch_norm_train", "ChannelWindowSum", "channel_window_sum"]


class BatchNormTrain(Function):
    """Training-mode batch normalisation with affine parameters in one node:
    y = x̂ γ + β, x̂ = (x - μ) / sqrt(σ² + eps), μ and σ² (biased) over the axes ``dims``.

    Backward (Ioffe & Szegedy 2015, with m the count over ``dims``):
    dx = (1/sqrt(σ² + eps)) (g' - mean(g') - x̂ mean(g' x̂)), g' = g γ;
    dγ = Σ g x̂;  dβ = Σ g.
    Without ``create_graph`` x̂ is the array saved by forward; with it, x̂ is recomputed from
    x with Tensor ops, so the rule is differentiable again.
    """

    rule = "d/dx = (g' - mean(g') - xhat*mean(g' xhat)) / std, d/dgamma = sum(g xhat)"

    @staticmethod
    def forward(ctx, x, weight, bias, mean, invstd, dims, eps):
        xhat = (x._data - mean) * invstd
        out = xhat if weight is not None or bias is not None else xhat.copy()  # never share
        if weight is not None:
            out = out * weight._data.reshape(mean.shape)
        if bias is not None:
            out = out + bias._data.reshape(mean.shape)
        ctx.save_for_backward(x, weight)
        ctx.xhat = xhat
        return out.astype(x.dtype, copy=False)

    def replay(self, x, weight, bias, mean, invstd, dims, eps):
        """``Node.replay``: the batch statistics (constants of the node, functions of ``x``)
        are computed again from ``x``, as the backward rule assumes."""
        return batch_norm_train(x, weight, bias, None, None, 0.0, eps)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        _, _, _, _, invstd, dims, eps = ctx.inputs
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        shape = invstd.shape
        if grad_mode.is_grad_enabled():          # create_graph: recompute x̂ from x
            centred = x - x.mean(dims, keepdim=True)
            inv = ((centred * centred).mean(dims, keepdim=True) + eps).rsqrt()
            xhat = centred * inv
        else:
            xhat, inv = wrap(ctx.xhat), wrap(invstd)
        gx = gw = gb = None
        if need_x:
            g = grad * weight.reshape(shape) if weight is not None else grad
            gx = inv * (g - g.mean(dims, keepdim=True)
                        - xhat * (g * xhat).mean(dims, keepdim=True))
        if need_w:
            gw = (grad * xhat).sum(dims)
        if need_b:
            gb = grad.sum(dims)
        return gx, gw, gb, None, None, None, None


def batch_norm_train(input, weight, bias, running_mean, running_var, momentum, eps):
    """Batch-normalise ``input`` (N, C, *) with its batch statistics per channel and, when the
    running buffers are given, update them in place (running = (1 - momentum) running +
    momentum batch_stat, the variance unbiased: n / (n - 1)); their version counters move.

    Raises
    ------
    ShapeError
        A single value per channel.
    """
    C = input.shape[1]
    dims = (0,) + tuple(range(2, input.ndim))
    n = input._data.size // C
    if n <= 1:
        raise ShapeError(f"batch_norm: expected more than 1 value per channel when training, "
                         f"got input of shape {tuple(input.shape)}")
    x = input._data
    mean = x.mean(axis=dims, keepdims=True)
    var = np.square(x - mean).mean(axis=dims, keepdims=True)
    invstd = 1.0 / np.sqrt(var + eps)
    if running_mean is not None and running_var is not None:
        m = momentum
        rm, rv = running_mean._data, running_var._data
        rm[...] = (1 - m) * rm + m * mean.reshape(C)
        rv[...] = (1 - m) * rv + m * var.reshape(C) * (n / (n - 1))
        bump_version(running_mean)
        bump_version(running_var)
    return BatchNormTrain.apply(input, weight, bias, mean, invstd, dims, eps)


class ChannelWindowSum(Function):
    """out[:, c] = Σ a[:, j] for c - before <= j <= c + after (zero outside the channels).

    The adjoint is the same sum with ``before`` and ``after`` swapped, so the rule is
    differentiable again. One strided add per window offset (not per channel).
    """

    rule = "d/da = window sum of the gradient (window reversed)"

    @staticmethod
    def forward(ctx, a, before, after):
        x = a._data
        out = np.zeros_like(x)
        C = x.shape[1]
        for offset in range(-before, after + 1):      # out[:, c] += x[:, c + offset]
            lo, hi = max(0, -offset), min(C, C - offset)
            if lo < hi:
                out[:, lo:hi] += x[:, lo + offset:hi + offset]
        return out

    @staticmethod
    def backward(ctx, grad):
        _, before, after = ctx.inputs
        return ChannelWindowSum.apply(grad, after, before), None, None


def channel_window_sum(input, before, after):
    """Σ of ``input``'s channels c - before .. c + after for every channel c (N, C, *)."""
    return ChannelWindowSum.apply(input, int(before), int(after))
