"""``nn.functional`` (``import nn.functional as F``): the stateless functions every layer and loss
calls, with ``torch.nn.functional``'s names, signatures and defaults.

Most are compositions of autograd ops (differentiable, twice, for free). Dedicated ``Function``s
are used where one node is much faster or more stable than the composition: ``linear`` (one
GEMM each way), ``binary_cross_entropy`` (PyTorch's clamped logs) and
``binary_cross_entropy_with_logits`` (the stable softplus form). Their backward rules are
written with Tensor ops, so second derivatives work too.

Convolution and pooling are the ops of ``autograd/ops/conv.py`` and ``autograd/ops/pool.py``,
re-exported here.

Shapes follow PyTorch: images NCHW, sequences NCL, class scores (N, C) or (N, C, d1, ...).
"""

import numpy as np

import autograd.creation as _creation
from autograd.errors import DTypeError, ShapeError
from autograd.function import Function
from autograd import grad_mode as _grad_mode
from autograd.ops import activation as _act
from autograd.ops import shape as _shape
from autograd.ops.elementwise import where as _where
from autograd.tensor import Tensor

_wrap = Tensor._wrap

__all__ = [
    "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d",
    "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "linear",
    "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax", "pad", "dropout",
    "batch_norm", "layer_norm", "local_response_norm", "embedding", "one_hot", "flatten",
    "cross_entropy", "nll_loss", "mse_loss", "l1_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "half_squared_error",
]


# -- convolution and pooling (autograd's ops) ----------------------------------------------
from autograd.ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d  # noqa: E402
from autograd.ops.pool import (adaptive_avg_pool1d, adaptive_avg_pool2d,  # noqa: E402
                               avg_pool1d, avg_pool2d, max_pool1d, max_pool2d)


# -- linear --------------------------------------------------------------------------------
class Linear(Function):
    """y = x Wᵀ + b over the last axis of x (one node instead of transpose, matmul and add).

    dy/dx = G W, dy/dW = Gᵀ x (summed over all leading axes), dy/db = Σ G.
    """

    rule = "d/dx = G @ W, d/dW = G^T @ x, d/db = sum(G)"

    @staticmethod
    def forward(ctx, x, weight, bias):
        out = np.matmul(x.data, weight.data.T)
        if bias is not None:
            out += bias.data
        ctx.save_for_backward(x, weight)
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        g2 = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
        gx = grad @ weight if need_x else None
        gw = g2.mT @ x.reshape(-1, x.shape[-1]) if need_w else None
        gb = g2.sum(0) if need_b else None
        return gx, gw, gb


def linear(input, weight, bias=None):
    """y = x Wᵀ + b (``torch.nn.functional.linear``).

    Parameters
    ----------
    input : Tensor, shape=(*, in_features)
    weight : Tensor, shape=(out_features, in_features)
    bias : Tensor, shape=(out_features,), optional

    Returns
    -------
    Tensor, shape=(*, out_features)

    Raises
    ------
    ShapeError
        When ``input.shape[-1] != in_features`` or the bias is not (out_features,).
    """
    w_shape, x_shape = weight.data.shape, input.data.shape     # .data: the hot path
    if len(w_shape) != 2 or not x_shape or x_shape[-1] != w_shape[1]:
        raise ShapeError(f"linear: input of shape {input.shape} does not fit weight of shape "
                         f"{weight.shape} (expected input (*, {weight.shape[-1]}))")
    if bias is not None and bias.data.shape != (w_shape[0],):
        raise ShapeError(f"linear: bias of shape {bias.shape} does not fit weight of shape "
                         f"{weight.shape} (expected ({weight.shape[0]},))")
    return Linear.apply(input, weight, bias)


# -- activations ---------------------------------------------------------------------------
def relu(input, inplace=False):
    """max(x, 0), elementwise (the slides' ReLU; gradient 0 at 0). ``inplace`` is accepted for
    PyTorch compatibility and ignored: the result is always a new tensor."""
    return _act.ReLU.apply(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x if x > 0 else negative_slope * x, elementwise (``inplace`` ignored)."""
    return _act.LeakyReLU.apply(input, negative_slope)


def sigmoid(input):
    """1 / (1 + e^-x), elementwise (stable for large |x|)."""
    return _act.Sigmoid.apply(input)


def tanh(input):
    """tanh(x), elementwise."""
    return _act.Tanh.apply(input)


def _softmax_dim(ndim):
    # PyTorch's implicit choice when dim is None (deprecated there, kept for compatibility)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, dtype=None):
    """e^x / Σ_dim e^x (stable: the maximum is subtracted first)."""
    if dtype is not None:
        input = input.to(dtype)
    return _act.Softmax.apply(input, _softmax_dim(input.ndim) if dim is None else dim)


def log_softmax(input, dim=None, dtype=None):
    """x - logsumexp_dim(x) (stable; use with ``nll_loss``)."""
    if dtype is not None:
        input = input.to(dtype)
    return _act.LogSoftmax.apply(input, _softmax_dim(input.ndim) if dim is None else dim)


# -- shape ---------------------------------------------------------------------------------
def pad(input, pad, mode="constant", value=0.0):
    """Constant padding; ``pad`` = (last_left, last_right, prev_left, prev_right, ...)."""
    return _shape.pad(input, pad, mode, value)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one (``torch.flatten``)."""
    return _shape.flatten(input, start_dim, end_dim)


# -- dropout -------------------------------------------------------------------------------
def dropout(input, p=0.5, training=True, inplace=False, generator=None):
    """Inverted dropout (Srivastava et al. 2014; AlexNet's "dropout 0.5"): in training each
    element is zeroed with probability ``p`` and the survivors are scaled by 1/(1-p), so the
    expected value is unchanged and evaluation is the identity.

    The mask is drawn from ``generator`` or ``autograd.creation.default_generator``
    (``autograd.manual_seed`` makes it reproducible). ``inplace`` is ignored.

    Raises
    ------
    ValueError
        When p is not in [0, 1].
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * _wrap(np.zeros((), dtype=input.dtype))
    rng = _creation.default_generator if generator is None else generator
    keep = rng.random(input.shape) >= p
    scale = np.asarray(1.0 / (1.0 - p), dtype=input.dtype)
    return input * _wrap(keep * scale)


# -- normalisation -------------------------------------------------------------------------
def _channel_shape(input, op):
    if input.ndim < 2:
        raise ShapeError(f"{op}: expected input of shape (N, C, ...), got {input.shape}")
    return (1, input.shape[1]) + (1,) * (input.ndim - 2)


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
        xhat = (x.data - mean) * invstd
        out = xhat if weight is not None or bias is not None else xhat.copy()  # never share
        if weight is not None:
            out = out * weight.data.reshape(mean.shape)
        if bias is not None:
            out = out + bias.data.reshape(mean.shape)
        ctx.save_for_backward(x, weight)
        ctx.xhat, ctx.invstd, ctx.dims, ctx.eps = xhat, invstd, dims, eps
        return _wrap(out.astype(x.dtype, copy=False))

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        dims, shape = ctx.dims, ctx.invstd.shape
        if _grad_mode.is_grad_enabled():          # create_graph: recompute x̂ from x
            centred = x - x.mean(dims, keepdim=True)
            invstd = ((centred * centred).mean(dims, keepdim=True) + ctx.eps).rsqrt()
            xhat = centred * invstd
        else:
            xhat, invstd = _wrap(ctx.xhat), _wrap(ctx.invstd)
        gx = gw = gb = None
        if need_x:
            g = grad * weight.reshape(shape) if weight is not None else grad
            gx = invstd * (g - g.mean(dims, keepdim=True)
                           - xhat * (g * xhat).mean(dims, keepdim=True))
        if need_w:
            gw = (grad * xhat).sum(dims)
        if need_b:
            gb = grad.sum(dims)
        return gx, gw, gb, None, None, None, None


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Batch normalisation (Ioffe & Szegedy 2015) over (N, C) or (N, C, *) input, per channel C.

    Training: normalise with the batch mean and the biased batch variance, and (when running
    buffers are given) update them in place: running = (1 - momentum) running + momentum
    batch_stat, the variance unbiased (n / (n - 1)). Evaluation: normalise with the running
    statistics. Then y = x̂ γ + β with ``weight`` γ and ``bias`` β of shape (C,).

    Raises
    ------
    ShapeError
        Input with fewer than 2 dims, or buffers/affine parameters not of shape (C,).
    ValueError
        Training with a single value per channel.
    """
    shape = _channel_shape(input, "batch_norm")
    C = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.shape != (C,):
            raise ShapeError(f"batch_norm: {name} of shape {t.shape} does not fit input of "
                             f"shape {input.shape} (expected ({C},))")
    if training:
        dims = (0,) + tuple(range(2, input.ndim))
        n = input.data.size // C
        if n <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input of shape {input.shape}")
        x = input.data
        mean = x.mean(axis=dims, keepdims=True)
        var = np.square(x - mean).mean(axis=dims, keepdims=True)
        invstd = 1.0 / np.sqrt(var + eps)
        if running_mean is not None and running_var is not None:
            m = momentum
            rm, rv = running_mean.data, running_var.data
            rm[...] = (1 - m) * rm + m * mean.reshape(C)
            rv[...] = (1 - m) * rv + m * var.reshape(C) * (n / (n - 1))
            running_mean._mark_modified()
            running_var._mark_modified()
        return BatchNormTrain.apply(input, weight, bias, mean, invstd, dims, eps)
    if running_mean is None or running_var is None:
        raise ValueError("batch_norm: running_mean and running_var are needed in eval mode")
    scale = 1.0 / np.sqrt(running_var.data + eps)
    recording = _grad_mode.is_grad_enabled() and any(
        t is not None and t.requires_grad for t in (input, weight, bias))
    if not recording:       # inference: fold everything into one scale and one shift
        a = scale if weight is None else scale * weight.data
        b = -running_mean.data * a + (0 if bias is None else bias.data)
        dtype = input.dtype
        return _wrap(input.data * a.reshape(shape).astype(dtype, copy=False)
                     + b.reshape(shape).astype(dtype, copy=False))
    out = (input - _wrap(running_mean.data.reshape(shape).astype(input.dtype, copy=False))) \
        * _wrap(scale.reshape(shape).astype(input.dtype, copy=False))
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation (Ba et al. 2016) over the trailing ``normalized_shape`` dims, with
    the biased variance; then y = x̂ γ + β (γ, β of shape ``normalized_shape``).

    Raises
    ------
    ShapeError
        When the input's trailing dims are not ``normalized_shape``.
    """
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) \
        else tuple(normalized_shape)
    k = len(normalized_shape)
    if input.shape[input.ndim - k:] != normalized_shape or k > input.ndim:
        raise ShapeError(f"layer_norm: input of shape {input.shape} does not end with "
                         f"normalized_shape {normalized_shape}")
    dims = tuple(range(input.ndim - k, input.ndim))
    centred = input - input.mean(dims, keepdim=True)
    var = (centred * centred).mean(dims, keepdim=True)
    out = centred * (var + eps).rsqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


class ChannelWindowSum(Function):
    """out[:, c] = Σ a[:, j] for c - before <= j <= c + after (zero outside the channels).

    The adjoint is the same sum with ``before`` and ``after`` swapped, so the rule is
    differentiable again. One strided add per window offset (not per channel).
    """

    rule = "d/da = window sum of the gradient (window reversed)"

    @staticmethod
    def forward(ctx, a, before, after):
        x = a.data
        out = np.zeros_like(x)
        C = x.shape[1]
        for offset in range(-before, after + 1):      # out[:, c] += x[:, c + offset]
            lo, hi = max(0, -offset), min(C, C - offset)
            if lo < hi:
                out[:, lo:hi] += x[:, lo + offset:hi + offset]
        ctx.window = (before, after)
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        before, after = ctx.window
        return ChannelWindowSum.apply(grad, after, before), None, None


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Local response normalisation across channels (Krizhevsky et al. 2012; AlexNet's NORM):

        b_c = a_c / (k + alpha/n * Σ_{c' in window(c)} a_c'^2)^beta,

    the window being ``size`` = n neighbouring channels (size//2 before, (size-1)//2 after,
    zero-padded at the ends), PyTorch's formula.

    Parameters
    ----------
    input : Tensor, shape=(N, C, *) with at least 3 dims

    Raises
    ------
    ShapeError
        Input with fewer than 3 dims.
    """
    if input.ndim < 3:
        raise ShapeError(f"local_response_norm: expected input of shape (N, C, *) with at "
                         f"least 3 dims, got {input.shape}")
    total = ChannelWindowSum.apply(input * input, size // 2, (size - 1) // 2)
    return input / (total * (alpha / size) + k) ** beta


# -- embedding -----------------------------------------------------------------------------
def _check_indices(op, indices, n):
    if not isinstance(indices, Tensor):
        indices = Tensor(indices)
    if indices.dtype.kind not in "iu":
        raise DTypeError(f"{op}: expected integer indices (int64), got dtype {indices.dtype}")
    return indices


def embedding(input, weight, padding_idx=None):
    """Rows of ``weight`` picked by integer ``input`` (a lookup table).

    Parameters
    ----------
    input : Tensor, integer, any shape S
    weight : Tensor, shape=(num_embeddings, embedding_dim)
    padding_idx : int, optional
        The row at this index receives no gradient.

    Returns
    -------
    Tensor, shape=S + (embedding_dim,)

    Raises
    ------
    DTypeError
        Non-integer indices.
    IndexError
        An index outside [0, num_embeddings).
    """
    input = _check_indices("embedding", input, weight.shape[0])
    idx = input.data
    n = weight.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx[(idx < 0) | (idx >= n)][0]
        raise IndexError(f"embedding: index {bad} is out of range for {n} embeddings "
                         f"(weight shape {weight.shape})")
    out = weight[idx]
    if padding_idx is not None:
        padding_idx = padding_idx % n
        keep = (idx != padding_idx)[..., None]
        out = _where(keep, out, out.detach())      # no gradient into the padding row
    return out


def one_hot(tensor, num_classes=-1):
    """(..., num_classes) int64 tensor with a 1 at each index of integer ``tensor``.

    ``num_classes=-1`` means max(tensor) + 1.
    """
    tensor = _check_indices("one_hot", tensor, num_classes)
    idx = tensor.data
    if num_classes < 0:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        raise ValueError(f"one_hot: class values must be in [0, {num_classes}), got range "
                         f"[{idx.min()}, {idx.max()}]")
    return _wrap((idx[..., None] == np.arange(num_classes)).astype(np.int64))


# -- losses --------------------------------------------------------------------------------
_REDUCTIONS = ("mean", "sum", "none")


def _reduce(loss, reduction, op):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{op}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _check_reduction(reduction, op):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _check_same_shape(op, input, target):
    if not isinstance(target, Tensor):
        raise TypeError(f"{op}: target must be a Tensor, got {type(target).__name__}")
    if input.shape != target.shape:
        raise ShapeError(f"{op}: input shape {input.shape} and target shape {target.shape} "
                         "differ (they must be equal)")
    if input.dtype.kind != "f":
        raise DTypeError(f"{op}: input must be floating point, got {input.dtype}")
    return target if target.dtype == input.dtype else target.to(input.dtype)


def mse_loss(input, target, reduction="mean"):
    """Mean squared error (x - t)², reduced by ``reduction``; input and target of equal shape.

    Raises ShapeError when the shapes differ, DTypeError for a non-float input."""
    target = _check_same_shape("mse_loss", input, target)
    _check_reduction(reduction, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction, "mse_loss")


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error |x - t|; input and target of equal shape."""
    target = _check_same_shape("l1_loss", input, target)
    _check_reduction(reduction, "l1_loss")
    return _reduce((input - target).abs(), reduction, "l1_loss")


def half_squared_error(input, target, reduction="sum"):
    """The slides' error E = 1/2 (y - t)² (SLIDES section 1), so dE/dy = y - t; summed by
    default."""
    target = _check_same_shape("half_squared_error", input, target)
    _check_reduction(reduction, "half_squared_error")
    diff = input - target
    return _reduce(diff * diff * 0.5, reduction, "half_squared_error")


def _class_layout(op, input, target):
    """Check (N, C, d...) scores against (N, d...) class indices; 1-D input is one sample."""
    if input.ndim == 0:
        raise ShapeError(f"{op}: input must have a class dimension, got shape {input.shape}")
    if input.dtype.kind != "f":
        raise DTypeError(f"{op}: input must be floating point scores, got {input.dtype}")
    if not isinstance(target, Tensor):
        raise TypeError(f"{op}: target must be a Tensor, got {type(target).__name__}")
    expected = input.shape[:1] + input.shape[2:] if input.ndim > 1 else ()
    if target.shape != expected:
        raise ShapeError(f"{op}: input of shape {input.shape} needs class-index target of "
                         f"shape {expected}, got target of shape {target.shape}")


def _target_coefficients(op, input, target, weight, ignore_index):
    """coef[n, c, ...] = w[t_n] where c == t_n (and t_n != ignore_index), else 0."""
    C = input.shape[1] if input.ndim > 1 else input.shape[0]
    t = target.data
    if t.dtype.kind not in "iu":
        raise DTypeError(f"{op}: class-index target must be an integer tensor (int64), got "
                         f"dtype {t.dtype} (input shape {input.shape}, target shape "
                         f"{target.shape}; for class probabilities pass a float target of "
                         f"the input's shape to cross_entropy)")
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= C))
    if bad.any():
        raise IndexError(f"{op}: target {t[bad].flat[0]} is out of bounds for {C} classes "
                         f"(input shape {input.shape})")
    safe = np.where(valid, t, 0)
    if weight is not None:
        if weight.shape != (C,):
            raise ShapeError(f"{op}: weight of shape {weight.shape} does not fit {C} classes")
        picked = weight.data[safe] * valid
    else:
        picked = valid.astype(input.dtype)
    picked = picked.astype(input.dtype, copy=False)
    axis = 1 if input.ndim > 1 else 0
    coef = np.zeros(input.shape, dtype=input.dtype)
    np.put_along_axis(coef, np.expand_dims(safe, axis), np.expand_dims(picked, axis), axis)
    return coef, picked


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood -w[t] · input[t] of log-probabilities (``F.nll_loss``).

    Parameters
    ----------
    input : Tensor, shape=(N, C) or (N, C, d1, ...) or (C,), log-probabilities
    target : Tensor, int64, shape=(N,) or (N, d1, ...) or (), class indices in [0, C)
    weight : Tensor, shape=(C,), optional per-class weights
    ignore_index : int
        Targets equal to it contribute nothing (and do not count in the mean).
    reduction : 'mean' (Σ loss / Σ w[t]), 'sum' or 'none'

    Raises
    ------
    ShapeError, DTypeError, IndexError
        Target of the wrong shape, dtype or out-of-range class; the message names both shapes.
    """
    _class_layout("nll_loss", input, target)
    _check_reduction(reduction, "nll_loss")
    return _nll("nll_loss", input, target, weight, ignore_index, reduction)


def _nll(op, input, target, weight, ignore_index, reduction):
    coef, picked = _target_coefficients(op, input, target, weight, ignore_index)
    losses = -(input * _wrap(coef)).sum(1 if input.ndim > 1 else 0)
    if reduction == "mean":
        return losses.sum() / _wrap(np.asarray(picked.sum(), dtype=input.dtype))
    return _reduce(losses, reduction, op)


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Softmax cross-entropy from raw scores (logits): ``nll_loss(log_softmax(input, 1), ...)``.

    The log-softmax subtracts the maximum first, so logits of 1000 give a finite loss and
    gradient. The gradient with respect to the logits is softmax(x) - onehot(t) (per sample,
    divided by N for 'mean').

    Parameters
    ----------
    input : Tensor, shape=(N, C) or (N, C, d1, ...) or (C,), float
    target : Tensor
        Class indices, int64 of shape (N,) / (N, d1, ...) / (); or class probabilities, float
        of the input's shape.
    weight, ignore_index, reduction : as ``nll_loss``
    label_smoothing : float in [0, 1]
        Mix the target with the uniform distribution (Szegedy et al. 2016), PyTorch's rule.

    Raises
    ------
    ShapeError, DTypeError, IndexError
        Mis-shaped or mis-typed target, out-of-range class; the message names the shapes.
    """
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got "
                         f"{label_smoothing}")
    if input.ndim == 0:
        raise ShapeError(f"cross_entropy: input must have a class dimension, got shape "
                         f"{input.shape}")
    _check_reduction(reduction, "cross_entropy")
    class_dim = 1 if input.ndim > 1 else 0
    logp = _act.LogSoftmax.apply(input, class_dim)
    if isinstance(target, Tensor) and target.dtype.kind == "f" and target.shape == input.shape:
        return _soft_cross_entropy(logp, target, weight, reduction, label_smoothing, class_dim)
    _class_layout("cross_entropy", input, target)
    loss = _nll("cross_entropy", logp, target, weight, ignore_index, reduction)
    if label_smoothing == 0.0:
        return loss
    C = input.shape[class_dim]
    w = 1.0 if weight is None else weight.reshape((C,) + (1,) * (input.ndim - 1 - class_dim))
    valid = target.data != ignore_index
    smooth = -(logp * w).sum(class_dim) * _wrap(valid.astype(input.dtype))
    if reduction == "mean":
        if weight is None:
            denom = valid.sum()
        else:
            denom = weight.data[np.where(valid, target.data, 0)][valid].sum()
        smooth = smooth.sum() / _wrap(np.asarray(denom, dtype=input.dtype))
    else:
        smooth = _reduce(smooth, reduction, "cross_entropy")
    smooth = smooth * (label_smoothing / C)
    return loss * (1 - label_smoothing) + smooth


def _soft_cross_entropy(logp, target, weight, reduction, label_smoothing, class_dim):
    """Cross-entropy against class probabilities: -Σ_c w_c t_c log p_c per sample."""
    C = logp.shape[class_dim]
    if label_smoothing:
        target = target * (1 - label_smoothing) + label_smoothing / C
    prod = logp * target
    if weight is not None:
        prod = prod * weight.reshape((C,) + (1,) * (logp.ndim - 1 - class_dim))
    return _reduce(-prod.sum(class_dim), reduction, "cross_entropy")


class BinaryCrossEntropy(Function):
    """ℓ = -(t log x + (1 - t) log(1 - x)), each log clamped at -100 (PyTorch), elementwise.

    dℓ/dx = (x - t) / max(x (1 - x), 1e-12);  dℓ/dt = log(1 - x) - log(x) (clamped logs).
    """

    rule = "d/dx = (x - t) / (x (1 - x)), d/dt = log(1-x) - log(x)"

    @staticmethod
    def forward(ctx, x, t):
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(x.data), -100)
            log_1mx = np.maximum(np.log(1 - x.data), -100)
        ctx.save_for_backward(x, t)
        return _wrap(-(t.data * log_x + (1 - t.data) * log_1mx))

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


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """Binary cross-entropy of probabilities ``input`` in [0, 1] against ``target``:
    -w (t log x + (1 - t) log(1 - x)), logs clamped at -100 as PyTorch does.

    Raises
    ------
    ShapeError
        Input and target shapes differ.
    ValueError
        Input values outside [0, 1] (pass logits to ``binary_cross_entropy_with_logits``).
    """
    target = _check_same_shape("binary_cross_entropy", input, target)
    _check_reduction(reduction, "binary_cross_entropy")
    x = input.data
    if x.size and (np.nanmin(x) < 0 or np.nanmax(x) > 1):
        raise ValueError(f"binary_cross_entropy: all elements of input (shape {input.shape}) "
                         f"should be between 0 and 1, got range [{x.min()}, {x.max()}]")
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy")


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
        sp = _softplus_neg(x.data)
        if pos_weight is None:
            out = (1 - t.data) * x.data + sp
        else:
            out = (1 - t.data) * x.data + (1 + (pos_weight.data - 1) * t.data) * sp
        ctx.save_for_backward(x, t, pos_weight)
        return _wrap(out.astype(x.dtype, copy=False))

    @staticmethod
    def backward(ctx, grad):
        x, t, p = ctx.saved_tensors
        need_x, need_t, need_p = ctx.needs_input_grad
        sig_neg = _act.Sigmoid.apply(-x)
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


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean",
                                     pos_weight=None):
    """Sigmoid + binary cross-entropy in one stable step, from logits ``input``:
    ℓ = -w [p t log σ(x) + (1 - t) log(1 - σ(x))], finite for any x (e.g. ±1000).

    Parameters
    ----------
    input, target : Tensor, equal shapes; target in [0, 1]
    weight : Tensor, broadcastable to the input, optional
    pos_weight : Tensor, broadcastable (usually (C,)), optional weight of positive examples

    Raises
    ------
    ShapeError
        Input and target shapes differ.
    """
    target = _check_same_shape("binary_cross_entropy_with_logits", input, target)
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    loss = BinaryCrossEntropyWithLogits.apply(input, target, pos_weight)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")

