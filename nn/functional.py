"""``nn.functional`` (``import nn.functional as F``): the stateless functions every layer and loss
calls, with ``torch.nn.functional``'s names, signatures and defaults.

Most are compositions of autograd ops (differentiable, twice, for free). Where one node is much
faster or more stable than the composition, the op with its own rule lives in ``autograd/ops``
(``linear``: one GEMM each way; training-mode ``batch_norm``; the window sum of
``local_response_norm``; the two binary cross-entropies) and is called from here; this module
holds no derivative rules.

Convolution and pooling are the ops of ``autograd/ops/conv.py`` and ``autograd/ops/pool.py``,
re-exported here.

The functions a user calls as one step but that record several ops (the losses, the
normalisations, ``linear``, ``dropout``, ``embedding``) are marked ``autograd.graph.composite``
with their local derivative in words: ``viz`` draws each call as one node (``expand=True``
shows the ops inside). The marker changes nothing else.

Shapes follow PyTorch: images NCHW, sequences NCL, class scores (N, C) or (N, C, d1, ...).
"""

import numpy as np

import autograd as ag
from autograd import validate
from autograd.errors import ArgumentError, DTypeError, DimError, ShapeError
from autograd.graph import composite
from autograd.ops import loss as _loss
from autograd.ops import normalization as _norm
from autograd.random import numpy_generator

from autograd.ops.linalg import linear as _linear  # noqa: E402

__all__ = [
    "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "max_pool1d", "max_pool2d",
    "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "linear",
    "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax", "pad", "dropout",
    "batch_norm", "layer_norm", "local_response_norm", "embedding", "one_hot", "flatten",
    "cross_entropy", "nll_loss", "mse_loss", "l1_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "half_squared_error", "smooth_l1_loss", "huber_loss",
    "dropout1d", "dropout2d", "pixel_shuffle", "pixel_unshuffle",
]


# -- convolution and pooling (autograd's ops) ----------------------------------------------
from autograd.ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d  # noqa: E402
from autograd.ops.pool import (adaptive_avg_pool1d, adaptive_avg_pool2d,  # noqa: E402
                               avg_pool1d, avg_pool2d, max_pool1d, max_pool2d)


# -- linear --------------------------------------------------------------------------------
@composite(rule="d/dinput = G @ weight, d/dweight = G^T @ input, d/dbias = sum(G)")
def linear(input, weight, bias=None):
    """y = x Wᵀ + b (``torch.nn.functional.linear``; see ``autograd.ops.linalg.linear``).

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
    return _linear(input, weight, bias)


# -- activations ---------------------------------------------------------------------------
def relu(input, inplace=False):
    """max(x, 0), elementwise (the slides' ReLU; gradient 0 at 0). ``inplace`` is accepted for
    PyTorch compatibility and ignored: the result is always a new tensor."""
    return ag.relu(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x if x > 0 else negative_slope * x, elementwise (``inplace`` ignored)."""
    return ag.leaky_relu(input, negative_slope)


def sigmoid(input):
    """1 / (1 + e^-x), elementwise (stable for large |x|)."""
    return ag.sigmoid(input)      # ag's functions check their arguments (``autograd.validate``)


def tanh(input):
    """tanh(x), elementwise."""
    return ag.tanh(input)


def _softmax_dim(ndim):
    # PyTorch's implicit choice when dim is None (deprecated there, kept for compatibility)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, dtype=None):
    """e^x / Σ_dim e^x (stable: the maximum is subtracted first)."""
    validate.tensor(input, "softmax")
    if dtype is not None:
        input = input.to(dtype)
    return ag.softmax(input, _softmax_dim(input.ndim) if dim is None else dim)


def log_softmax(input, dim=None, dtype=None):
    """x - logsumexp_dim(x) (stable; use with ``nll_loss``)."""
    validate.tensor(input, "log_softmax")
    if dtype is not None:
        input = input.to(dtype)
    return ag.log_softmax(input, _softmax_dim(input.ndim) if dim is None else dim)


# -- shape ---------------------------------------------------------------------------------
def pad(input, pad, mode="constant", value=0.0):
    """Constant padding; ``pad`` = (last_left, last_right, prev_left, prev_right, ...)."""
    return ag.pad(input, pad, mode, value)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one (``torch.flatten``)."""
    return ag.flatten(input, start_dim, end_dim)


# -- dropout -------------------------------------------------------------------------------
@composite(rule="d/dinput = mask / (1 - p)")
def dropout(input, p=0.5, training=True, inplace=False, generator=None):
    """Inverted dropout (Srivastava et al. 2014; AlexNet's "dropout 0.5"): in training each
    element is zeroed with probability ``p`` and the survivors are scaled by 1/(1-p), so the
    expected value is unchanged and evaluation is the identity.

    The mask is drawn from ``generator`` or the default generator (``autograd.manual_seed``
    makes it reproducible). ``inplace`` is ignored.

    Raises
    ------
    ArgumentError
        When p is not in [0, 1] (ArgumentTypeError when it is not a number).
    ArgumentTypeError
        A non-Tensor input.
    DTypeError
        A non-floating input in training (PyTorch: "result type Float can't be cast").
    """
    validate.tensor(input, "dropout")
    p = validate.probability(p, "p (dropout probability)", "dropout")
    if not training or p == 0.0:
        return input
    validate.floating(input, "dropout")
    if p == 1.0:
        return input * 0.0
    return _drop(input, p, input.shape, generator)


def _drop(input, p, mask_shape, generator):
    """input times a kept-with-probability-(1-p) mask of ``mask_shape`` (broadcast), scaled
    by 1/(1-p)."""
    keep = numpy_generator(generator).random(mask_shape) >= p
    scale = np.asarray(1.0 / (1.0 - p), dtype=input.dtype)
    return input * ag.from_numpy(keep * scale)


def _channel_dropout(op, input, p, training, spatial, generator):
    """Dropout of whole channels: a (N, C) (or unbatched (C,)) mask, broadcast over the
    ``spatial`` trailing dims (Tompson et al. 2015, "Efficient Object Localization Using
    Convolutional Networks": neighbouring pixels are correlated, so single pixels carry no
    information that dropout could remove)."""
    validate.tensor(input, op)
    p = validate.probability(p, "p (dropout probability)", op)
    if input.ndim not in (spatial + 1, spatial + 2):
        raise ShapeError(f"{op}: expected a {spatial + 1}-D (unbatched) or {spatial + 2}-D "
                         f"(batched) input, got shape {tuple(input.shape)}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    return _drop(input, p, input.shape[:-spatial] + (1,) * spatial, generator)


def dropout1d(input, p=0.5, training=True, inplace=False, generator=None):
    """Channel dropout of (N, C, L) or (C, L) input: each channel is zeroed with probability
    ``p`` and the rest scaled by 1/(1-p) (``F.dropout1d``). ``inplace`` is ignored.

    Raises ArgumentError for p outside [0, 1], ShapeError for other input dims."""
    return _channel_dropout("dropout1d", input, p, training, 1, generator)


def dropout2d(input, p=0.5, training=True, inplace=False, generator=None):
    """Channel dropout of (N, C, H, W) or (C, H, W) input: each feature map is zeroed with
    probability ``p`` and the rest scaled by 1/(1-p) (``F.dropout2d``). ``inplace`` is
    ignored.

    Raises ArgumentError for p outside [0, 1], ShapeError for other input dims."""
    return _channel_dropout("dropout2d", input, p, training, 2, generator)


# -- pixel shuffle -------------------------------------------------------------------------
def pixel_shuffle(input, upscale_factor):
    """(*, C r², H, W) -> (*, C, H r, W r): each group of r² channels becomes an r x r block of
    pixels (Shi et al. 2016, "Real-Time Single Image and Video Super-Resolution Using an
    Efficient Sub-Pixel Convolutional Neural Network"; ``F.pixel_shuffle``). Output channel c,
    pixel (h r + i, w r + j) is input channel c r² + i r + j, pixel (h, w). A reshape and a
    permutation, so its gradient is ``pixel_unshuffle``.

    Raises
    ------
    ShapeError
        Fewer than 3 dims, or channels not divisible by r².
    """
    validate.tensor(input, "pixel_shuffle")
    r = validate.integer(upscale_factor, "upscale_factor", "pixel_shuffle", minimum=1)
    if input.ndim < 3:
        raise ShapeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got "
                         f"input with {input.ndim} dimension(s)")
    *batch, c, h, w = input.shape
    if r <= 0 or c % (r * r):
        raise ShapeError(f"pixel_shuffle expects its input's 'channel' dimension to be "
                         f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                         f"is not divisible by {r * r}")
    n = len(batch)
    x = input.reshape(*batch, c // (r * r), r, r, h, w)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(*batch, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r², H, W), the inverse of ``pixel_shuffle``
    (``F.pixel_unshuffle``).

    Raises
    ------
    ShapeError
        Fewer than 3 dims, or height or width not divisible by r.
    """
    validate.tensor(input, "pixel_unshuffle")
    r = validate.integer(downscale_factor, "downscale_factor", "pixel_unshuffle", minimum=1)
    if input.ndim < 3:
        raise ShapeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but "
                         f"got input with {input.ndim} dimension(s)")
    *batch, c, h, w = input.shape
    for name, size, dim in (("height", h, -2), ("width", w, -1)):
        if r <= 0 or size % r:
            raise ShapeError(f"pixel_unshuffle expects {name} to be divisible by "
                             f"downscale_factor, but input.size({dim})={size} is not divisible "
                             f"by {r}")
    n = len(batch)
    x = input.reshape(*batch, c, h // r, r, w // r, r)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(*batch, c * r * r, h // r, w // r)


# -- normalisation -------------------------------------------------------------------------
def _channel_shape(input, op):
    if input.ndim < 2:
        raise ShapeError(f"{op}: expected input of shape (N, C, ...), got {tuple(input.shape)}")
    return (1, input.shape[1]) + (1,) * (input.ndim - 2)


@composite(rule="d/dinput = (g' - mean(g') - x̂ mean(g' x̂)) / std (training), "
                "g' / sqrt(running_var + eps) (eval), g' = G weight")
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
    ShapeError
        Training with a single value per channel.
    ArgumentTypeError
        A non-Tensor input, buffer or affine parameter.
    """
    validate.tensor(input, "batch_norm")
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        validate.optional_tensor(t, "batch_norm", name)
    shape = _channel_shape(input, "batch_norm")
    C = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and t.shape != (C,):
            raise ShapeError(f"batch_norm: {name} of shape {tuple(t.shape)} does not fit input of "
                             f"shape {tuple(input.shape)} (expected ({C},))")
    if training:
        return _norm.batch_norm_train(input, weight, bias, running_mean, running_var,
                                      momentum, eps)
    if running_mean is None or running_var is None:
        raise ArgumentError("batch_norm: running_mean and running_var are needed in eval mode")
    scale = 1.0 / np.sqrt(running_var.numpy() + eps)
    recording = ag.is_grad_enabled() and any(
        t is not None and t.requires_grad for t in (input, weight, bias))
    dtype = input.dtype
    if not recording:       # inference: fold everything into one scale and one shift
        a = scale if weight is None else scale * weight.detach().numpy()
        b = -running_mean.numpy() * a + (0 if bias is None else bias.detach().numpy())
        return ag.from_numpy(input.detach().numpy() * a.reshape(shape).astype(dtype, copy=False)
                             + b.reshape(shape).astype(dtype, copy=False))
    mean = ag.from_numpy(running_mean.numpy().reshape(shape).astype(dtype, copy=False))
    out = (input - mean) * ag.from_numpy(scale.reshape(shape).astype(dtype, copy=False))
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


@composite(rule="d/dinput = (g' - mean(g') - x̂ mean(g' x̂)) / std, g' = G weight")
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation (Ba et al. 2016) over the trailing ``normalized_shape`` dims, with
    the biased variance; then y = x̂ γ + β (γ, β of shape ``normalized_shape``).

    Raises
    ------
    ShapeError
        When the input's trailing dims are not ``normalized_shape``, or weight/bias do not
        have that shape.
    """
    op = "layer_norm"
    validate.tensor(input, op)
    normalized_shape = validate.shape(normalized_shape, "normalized_shape", op)
    k = len(normalized_shape)
    if input.shape[input.ndim - k:] != normalized_shape or k > input.ndim:
        raise ShapeError(f"layer_norm: input of shape {tuple(input.shape)} does not end with "
                         f"normalized_shape {normalized_shape}")
    for name, t in (("weight", weight), ("bias", bias)):
        if validate.optional_tensor(t, op, name) is not None and t.shape != normalized_shape:
            raise ShapeError(f"layer_norm: {name} of shape {t.shape} does not match "
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


@composite(rule="d/dinput = quotient rule over each channel window")
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
    ArgumentError, ArgumentTypeError
        A ``size`` that is not a positive int.
    """
    op = "local_response_norm"
    validate.tensor(input, op)
    size = validate.integer(size, "size", op, minimum=1)
    alpha, beta, k = (validate.number(v, name, op) for v, name in
                      ((alpha, "alpha"), (beta, "beta"), (k, "k")))
    if input.ndim < 3:
        raise ShapeError(f"local_response_norm: expected input of shape (N, C, *) with at "
                         f"least 3 dims, got {tuple(input.shape)}")
    total = _norm.channel_window_sum(input * input, size // 2, (size - 1) // 2)
    return input / (total * (alpha / size) + k) ** beta


# -- embedding -----------------------------------------------------------------------------
def _check_indices(op, indices, n):
    validate.tensor(indices, op)
    if indices.dtype.kind not in "iu":
        raise DTypeError(f"{op}: expected integer indices (int64), got dtype {indices.dtype}")
    return indices


@composite(rule="d/dweight = G added into the picked rows")
def embedding(input, weight, padding_idx=None):
    """Rows of ``weight`` picked by integer ``input`` (a lookup table).

    Parameters
    ----------
    input : Tensor, integer, any shape S
    weight : Tensor, shape=(num_embeddings, embedding_dim)
    padding_idx : int, optional
        The row at this index receives no gradient; negative counts from the end; must lie in
        [-num_embeddings, num_embeddings).

    Returns
    -------
    Tensor, shape=S + (embedding_dim,)

    Raises
    ------
    DTypeError
        Non-integer indices.
    DimError
        An index outside [0, num_embeddings) (an IndexError, as PyTorch raises).
    ArgumentError
        ``padding_idx`` outside [-num_embeddings, num_embeddings) (PyTorch's check).
    ArgumentTypeError
        Indices or weight that are not Tensors (PyTorch refuses lists too).
    """
    validate.tensor(weight, "embedding", "weight", 2)
    input = _check_indices("embedding", input, weight.shape[0])
    idx = input.numpy()
    n = weight.shape[0]
    if padding_idx is not None and not -n <= validate.integer(padding_idx, "padding_idx",
                                                              "embedding") < n:
        raise ArgumentError(f"embedding: padding_idx {padding_idx} must be within "
                            f"num_embeddings ({n}) (weight shape {tuple(weight.shape)})")
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx[(idx < 0) | (idx >= n)][0]
        raise DimError(f"embedding: index {bad} is out of range for {n} embeddings "
                       f"(weight shape {tuple(weight.shape)})")
    out = weight[idx]
    if padding_idx is not None:
        padding_idx = padding_idx % n
        keep = (idx != padding_idx)[..., None]
        out = ag.where(keep, out, out.detach())      # no gradient into the padding row
    return out


def one_hot(tensor, num_classes=-1):
    """(..., num_classes) int64 tensor with a 1 at each index of integer ``tensor``.

    ``num_classes=-1`` means max(tensor) + 1.
    """
    tensor = _check_indices("one_hot", tensor, num_classes)
    num_classes = validate.integer(num_classes, "num_classes", "one_hot", minimum=-1)
    idx = tensor.numpy()
    if num_classes < 0:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        raise ArgumentError(f"one_hot: class values must be in [0, {num_classes}), got range "
                         f"[{idx.min()}, {idx.max()}]")
    return ag.from_numpy((idx[..., None] == np.arange(num_classes)).astype(np.int64))


# -- losses --------------------------------------------------------------------------------
def _reduce(loss, reduction, op):
    reduction = validate.reduction(reduction, op)
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _check_same_shape(op, input, target):
    validate.tensor(input, op, "input", 1)
    validate.tensor(target, op, "target", 2)
    if input.shape != target.shape:
        raise ShapeError(f"{op}: input shape {tuple(input.shape)} and target shape "
                         f"{tuple(target.shape)} "
                         "differ (they must be equal)")
    if input.dtype.kind != "f":
        raise DTypeError(f"{op}: input must be floating point, got {input.dtype}")
    return target if target.dtype == input.dtype else target.to(input.dtype)


@composite(rule="d/dinput = 2 (input - target), / n for 'mean'")
def mse_loss(input, target, reduction="mean"):
    """Mean squared error (x - t)², reduced by ``reduction``; input and target of equal shape.

    Raises ShapeError when the shapes differ, DTypeError for a non-float input."""
    target = _check_same_shape("mse_loss", input, target)
    validate.reduction(reduction, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction, "mse_loss")


@composite(rule="d/dinput = sign(input - target), / n for 'mean'")
def l1_loss(input, target, reduction="mean"):
    """Mean absolute error |x - t|; input and target of equal shape."""
    target = _check_same_shape("l1_loss", input, target)
    validate.reduction(reduction, "l1_loss")
    return _reduce((input - target).abs(), reduction, "l1_loss")


@composite(rule="d/dinput = clamp(input - target, -beta, beta) / beta")
def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """Smooth L1 loss (Girshick 2015, Fast R-CNN; ``F.smooth_l1_loss``): per element
    0.5 d²/beta where |d| < beta, else |d| - 0.5 beta, with d = input - target. Quadratic
    near 0 and linear beyond beta, so outliers pull with a gradient of at most 1; ``beta=0``
    is the L1 loss. Input and target of equal shape.

    Raises
    ------
    ArgumentError
        A negative ``beta`` (PyTorch raises RuntimeError with the same words).
    ShapeError, DTypeError
        Different shapes, non-float input.
    """
    if validate.number(beta, "beta", "smooth_l1_loss") < 0:
        raise ArgumentError("smooth_l1_loss does not support negative values for beta.")
    target = _check_same_shape("smooth_l1_loss", input, target)
    validate.reduction(reduction, "smooth_l1_loss")
    diff = input - target
    d = diff.abs()
    if beta == 0:
        return _reduce(d, reduction, "smooth_l1_loss")
    # the square of diff (not of |diff|): twice differentiable at 0 as well
    loss = ag.where(d < beta, diff * diff * (0.5 / beta), d - 0.5 * beta)
    return _reduce(loss, reduction, "smooth_l1_loss")


@composite(rule="d/dinput = clamp(input - target, -delta, delta)")
def huber_loss(input, target, reduction="mean", delta=1.0):
    """Huber loss (Huber 1964; ``F.huber_loss``): per element 0.5 d² where |d| < delta, else
    delta (|d| - 0.5 delta), with d = input - target; ``delta`` times ``smooth_l1_loss`` with
    ``beta=delta`` (the same for delta = 1).

    Raises
    ------
    ArgumentError
        ``delta <= 0`` (PyTorch raises RuntimeError with the same words).
    ShapeError, DTypeError
        Different shapes, non-float input.
    """
    if validate.number(delta, "delta", "huber_loss") <= 0:
        raise ArgumentError("huber_loss does not support non-positive values for delta.")
    target = _check_same_shape("huber_loss", input, target)
    validate.reduction(reduction, "huber_loss")
    diff = input - target
    d = diff.abs()
    loss = ag.where(d < delta, diff * diff * 0.5, (d - 0.5 * delta) * delta)
    return _reduce(loss, reduction, "huber_loss")


@composite(rule="d/dinput = input - target")
def half_squared_error(input, target, reduction="sum"):
    """The slides' error E = 1/2 (y - t)² (SLIDES section 1), so dE/dy = y - t; summed by
    default."""
    target = _check_same_shape("half_squared_error", input, target)
    validate.reduction(reduction, "half_squared_error")
    diff = input - target
    return _reduce(diff * diff * 0.5, reduction, "half_squared_error")


def _class_layout(op, input, target):
    """Check (N, C, d...) scores against (N, d...) class indices; 1-D input is one sample."""
    validate.tensor(input, op, "input", 1)
    validate.tensor(target, op, "target", 2)
    if input.ndim == 0:
        raise ShapeError(f"{op}: input must have a class dimension, got shape {tuple(input.shape)}")
    if input.dtype.kind != "f":
        raise DTypeError(f"{op}: input must be floating point scores, got {input.dtype}")
    expected = tuple(input.shape[:1] + input.shape[2:]) if input.ndim > 1 else ()
    if target.shape != expected:
        raise ShapeError(f"{op}: input of shape {tuple(input.shape)} needs class-index target of "
                         f"shape {expected}, got target of shape {tuple(target.shape)}")


def _target_coefficients(op, input, target, weight, ignore_index):
    """coef[n, c, ...] = w[t_n] where c == t_n (and t_n != ignore_index), else 0."""
    C = input.shape[1] if input.ndim > 1 else input.shape[0]
    t = target.numpy()
    if t.dtype.kind not in "iu":
        raise DTypeError(f"{op}: class-index target must be an integer tensor (int64), got "
                         f"dtype {t.dtype} (input shape {tuple(input.shape)}, target shape "
                         f"{tuple(target.shape)}; for class probabilities pass a float target of "
                         f"the input's shape to cross_entropy)")
    valid = t != ignore_index
    bad = valid & ((t < 0) | (t >= C))
    if bad.any():
        raise DimError(f"{op}: target {t[bad].flat[0]} is out of bounds for {C} classes "
                       f"(input shape {tuple(input.shape)})")
    safe = np.where(valid, t, 0)
    if validate.optional_tensor(weight, op, "weight") is not None:
        if weight.shape != (C,):
            raise ShapeError(f"{op}: weight of shape {tuple(weight.shape)} does not fit {C} "
                             "classes")
        picked = weight.detach().numpy()[safe] * valid
    else:
        picked = valid.astype(input.dtype)
    picked = picked.astype(input.dtype, copy=False)
    axis = 1 if input.ndim > 1 else 0
    coef = np.zeros(input.shape, dtype=input.dtype)
    np.put_along_axis(coef, np.expand_dims(safe, axis), np.expand_dims(picked, axis), axis)
    return coef, picked


@composite(rule="d/dinput = -weight[target] at the target class, / sum of weights for 'mean'")
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
    ShapeError, DTypeError, DimError
        Target of the wrong shape, dtype or out-of-range class (DimError, an IndexError); the
        message names both shapes.
    """
    _class_layout("nll_loss", input, target)
    validate.reduction(reduction, "nll_loss")
    return _nll("nll_loss", input, target, weight, ignore_index, reduction)


def _nll(op, input, target, weight, ignore_index, reduction):
    coef, picked = _target_coefficients(op, input, target, weight, ignore_index)
    losses = -(input * ag.from_numpy(coef)).sum(1 if input.ndim > 1 else 0)
    if reduction == "mean":
        return _mean_over(losses.sum(), picked.sum(), input.dtype)
    return _reduce(losses, reduction, op)


def _mean_over(total, denom, dtype):
    """``total / denom`` for a weighted mean; with nothing to average (every target is
    ``ignore_index``) the value is nan and the gradient zero, as in PyTorch."""
    if denom == 0:
        return total * 0.0 + float("nan")
    return total / ag.from_numpy(np.asarray(denom, dtype=dtype))


@composite(rule="d/dinput = softmax(input) - onehot(target), / N for 'mean'")
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
    ShapeError, DTypeError, DimError
        Mis-shaped or mis-typed target, out-of-range class (DimError, an IndexError); the
        message names the shapes.
    ArgumentError, ArgumentTypeError
        A bad ``reduction`` or ``label_smoothing``, a non-Tensor input or target.
    """
    op = "cross_entropy"
    validate.tensor(input, op, "input", 1)
    validate.tensor(target, op, "target", 2)
    label_smoothing = validate.probability(label_smoothing, "label_smoothing", op)
    if input.ndim == 0:
        raise ShapeError(f"cross_entropy: input must have a class dimension, got shape "
                         f"{tuple(input.shape)}")
    validate.reduction(reduction, "cross_entropy")
    class_dim = 1 if input.ndim > 1 else 0
    logp = ag.log_softmax(input, class_dim)
    if isinstance(target, ag.Tensor) and target.dtype.kind == "f" and target.shape == input.shape:
        return _soft_cross_entropy(logp, target, weight, reduction, label_smoothing, class_dim)
    _class_layout("cross_entropy", input, target)
    loss = _nll("cross_entropy", logp, target, weight, ignore_index, reduction)
    if label_smoothing == 0.0:
        return loss
    C = input.shape[class_dim]
    w = 1.0 if weight is None else weight.reshape((C,) + (1,) * (input.ndim - 1 - class_dim))
    valid = target.numpy() != ignore_index
    smooth = -(logp * w).sum(class_dim) * ag.from_numpy(valid.astype(input.dtype))
    if reduction == "mean":
        if weight is None:
            denom = valid.sum()
        else:
            denom = weight.detach().numpy()[np.where(valid, target.numpy(), 0)][valid].sum()
        smooth = _mean_over(smooth.sum(), denom, input.dtype)
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


@composite(rule="d/dinput = (input - target) / (input (1 - input)), / n for 'mean'")
def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """Binary cross-entropy of probabilities ``input`` in [0, 1] against ``target``:
    -w (t log x + (1 - t) log(1 - x)), logs clamped at -100 as PyTorch does.

    Raises
    ------
    ShapeError
        Input and target shapes differ.
    ArgumentError
        Input values outside [0, 1], or nan (pass logits to
        ``binary_cross_entropy_with_logits``).
    """
    target = _check_same_shape("binary_cross_entropy", input, target)
    validate.reduction(reduction, "binary_cross_entropy")
    validate.optional_tensor(weight, "binary_cross_entropy", "weight")
    x = input.detach().numpy()
    if x.size and not ((x >= 0) & (x <= 1)).all():       # nan fails both, as in PyTorch
        raise ArgumentError(f"binary_cross_entropy: all elements of input (shape "
                            f"{tuple(input.shape)}) should be between 0 and 1, got range "
                            f"[{x.min()}, {x.max()}]")
    loss = _loss.BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy")


@composite(rule="d/dinput = sigmoid(input) - target, / n for 'mean'")
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
    op = "binary_cross_entropy_with_logits"
    target = _check_same_shape(op, input, target)
    validate.reduction(reduction, op)
    validate.optional_tensor(weight, op, "weight")
    validate.optional_tensor(pos_weight, op, "pos_weight")
    loss = _loss.BinaryCrossEntropyWithLogits.apply(input, target, pos_weight)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")
