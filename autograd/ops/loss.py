"""Loss ops with their own derivative rules, where one node is more stable than the
composition: binary cross-entropy of probabilities (PyTorch's clamped logs) and of logits (the
stable softplus form). ``nn.functional`` calls these; their rules are Tensor ops, so second
derivatives work.
"""

import numpy as np

from ..function import Function
from . import ufuncs

__all__ = ["BinaryCrossEntropy", "BinaryCrossEntropyWithLogits"]


class BinaryCrossEntropy(Function):
    """ℓ = -(t log x + (1 - t) log(1 - x)), each log clamped at -100 (PyTorch), elementwise.

    dℓ/dx = (x - t) / max(x (1 - x), 1e-12);  dℓ/dt = log(1 - x) - log(x) (clamped logs).
    """

    rule = "d/dx = (x - t) / (x (1 - x)), d/dt = log(1-x) - log(x)"

    @staticmethod
    def forward(ctx, x, t):
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x._data), -100)
            log_1mx = np.maximum(np.log(1 - x._data), -100)
        ctx.save_for_backward(x, t)
        return -(t._data * log_x + (1 - t._data) * log_1mx)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        need_x, need_t = ctx.needs_input_grad
        gx = grad * (x - t) / (x * (1 - x)).clamp(min=1e-12) if need_x else None
        gt = None
        if need_t:
            gt = grad * ((1 - x).clamp(min=np.exp(-100.0)).log()
                         - x.clamp(min=np.exp(-100.0)).log())
        return gx, gt


def _softplus_neg(x):
    """log(1 + e^-x) for an ndarray, stably: max(-x, 0) + log1p(e^-|x|)."""
    return np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))


class BinaryCrossEntropyWithLogits(Function):
    """ℓ = (1 - t) x + (1 + (p - 1) t) log(1 + e^-x), elementwise, from logits x (p: pos_weight).

    The softplus is computed as max(-x, 0) + log1p(e^-|x|): no overflow for any x.
    dℓ/dx = (1 - t) - (1 + (p - 1) t) σ(-x), which is σ(x) - t for p = 1;
    dℓ/dt = -x + (p - 1) log(1 + e^-x);  dℓ/dp = t log(1 + e^-x).
    """

    rule = "d/dx = sigmoid(x) - t (p = 1)"

    @staticmethod
    def forward(ctx, x, t, pos_weight):
        sp = _softplus_neg(x._data)
        if pos_weight is None:
            out = (1 - t._data) * x._data + sp
        else:
            out = (1 - t._data) * x._data + (1 + (pos_weight._data - 1) * t._data) * sp
        ctx.save_for_backward(x, t, pos_weight)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        x, t, p = ctx.saved_tensors
        need_x, need_t, need_p = ctx.needs_input_grad
        sig_neg = ufuncs.unary(ufuncs.Sigmoid, -x)
        lw = 1 if p is None else (p - 1) * t + 1
        gx = grad * ((1 - t) - lw * sig_neg) if need_x else None
        gt = gp = None
        if need_t and p is None:
            gt = grad * -x
        elif need_t or need_p:
            sp = (-x).relu() + ((-x.abs()).exp() + 1).log()     # softplus(-x), differentiable
            gt = grad * (-x + (p - 1) * sp) if need_t else None
            gp = grad * t * sp if need_p else None
        return gx, gt, gp
