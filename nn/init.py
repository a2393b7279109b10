"""Weight initialisation, in place (``torch.nn.init``).

Every function fills the tensor in place with recording off (its version counter moves, as
for any in-place write) and returns it. Random values come from ``generator`` when given, else
from the default generator (``autograd.manual_seed`` reseeds it), so runs are reproducible;
they are drawn directly in the tensor's dtype, so VGG16's 138M float32 parameters cost no
float64 temporaries. The model zoo uses these functions too: this is the one init library.

Sources: Glorot & Bengio 2010 (xavier_*), He et al. 2015 (kaiming_*), Saxe et al. 2014
(orthogonal_), PyTorch's ``calculate_gain`` table and ``trunc_normal_`` (absolute bounds).
"""

import math
import warnings

import numpy as np

import autograd as ag
from autograd.random import numpy_generator

__all__ = ["calculate_gain", "uniform_", "normal_", "trunc_normal_", "constant_", "zeros_",
           "ones_", "eye_", "orthogonal_", "xavier_uniform_", "xavier_normal_",
           "kaiming_uniform_", "kaiming_normal_", "_calculate_fan_in_and_fan_out"]


def _check(tensor, name):
    if not isinstance(tensor, ag.Tensor):
        raise TypeError(f"init.{name}: expected a Tensor, got {type(tensor).__name__}")


def _copy_in(tensor, values, name):
    """Write ``values`` (an ndarray or a number) into ``tensor`` with recording off."""
    _check(tensor, name)
    with ag.no_grad():
        if isinstance(values, np.ndarray):
            tensor.copy_(ag.from_numpy(values))
        else:
            tensor.fill_(values)
    return tensor


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for ``nonlinearity`` (PyTorch's table).

    linear, conv*, sigmoid: 1; tanh: 5/3; relu: sqrt(2); leaky_relu: sqrt(2 / (1 + slope^2))
    with slope ``param`` (default 0.01); selu: 3/4.

    Raises
    ------
    ValueError
        For an unknown nonlinearity or a bad ``param``.
    """
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
              "conv_transpose2d", "conv_transpose3d", "sigmoid")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def _calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight: (in, out) of a Linear weight (out, in); for a conv weight
    (out, in, *kernel) both are multiplied by the kernel's size.

    Raises
    ------
    ValueError
        For tensors with fewer than 2 dimensions.
    """
    if tensor.ndim < 2:
        raise ValueError(f"fan in and fan out can not be computed for a tensor with fewer than "
                         f"2 dimensions (shape {tuple(tensor.shape)})")
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode {mode!r} is not supported, use 'fan_in' or 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor, a=0.0, b=1.0, generator=None):
    """Fill with samples of U(a, b)."""
    _check(tensor, "uniform_")
    with ag.no_grad():
        return tensor.uniform_(a, b, generator=generator)


def normal_(tensor, mean=0.0, std=1.0, generator=None):
    """Fill with samples of N(mean, std^2)."""
    _check(tensor, "normal_")
    with ag.no_grad():
        return tensor.normal_(mean, std, generator=generator)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None):
    """Fill with N(mean, std^2) samples redrawn until they fall in [a, b] (absolute bounds, as
    ``torch.nn.init.trunc_normal_``; torchvision's GoogLeNet passes std=0.01, a=-2, b=2)."""
    _check(tensor, "trunc_normal_")
    rng = numpy_generator(generator)
    values = ag.empty(tensor.shape, dtype=tensor.dtype).normal_(mean, std, generator=generator)
    x = values.numpy()                     # a fresh tensor of our own: written directly
    bad = (x < a) | (x > b)
    while bad.any():                       # rejection sampling; a few rounds at most
        x[bad] = rng.normal(mean, std, int(bad.sum()))
        bad = (x < a) | (x > b)
    return _copy_in(tensor, x, "trunc_normal_")


def constant_(tensor, val):
    """Fill with the value ``val``."""
    return _copy_in(tensor, val, "constant_")


def zeros_(tensor):
    """Fill ``tensor`` with 0 in place (no gradient recorded); returns it."""
    return _copy_in(tensor, 0, "zeros_")


def ones_(tensor):
    """Fill ``tensor`` with 1 in place (no gradient recorded); returns it."""
    return _copy_in(tensor, 1, "ones_")


def eye_(tensor):
    """Fill a 2-D tensor with the identity matrix."""
    if tensor.ndim != 2:
        raise ValueError(f"eye_: only 2-D tensors are supported, got shape {tuple(tensor.shape)}")
    return _copy_in(tensor, np.eye(*tensor.shape), "eye_")


def orthogonal_(tensor, gain=1.0, generator=None):
    """A (semi-)orthogonal matrix, times ``gain`` (Saxe et al. 2014; ``torch.nn.init.
    orthogonal_``): the Q of a QR decomposition of a normal matrix, signs fixed by R's
    diagonal; a tensor with more than 2 dims is treated as (shape[0], the rest).

    Raises
    ------
    ValueError
        Fewer than 2 dimensions.
    """
    _check(tensor, "orthogonal_")
    if tensor.ndim < 2:
        raise ValueError(f"orthogonal_: only tensors with 2 or more dimensions are supported, "
                         f"got shape {tuple(tensor.shape)}")
    rows = tensor.shape[0]
    cols = tensor.numel() // rows if rows else 0
    flat = numpy_generator(generator).standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q = q * np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _copy_in(tensor, (gain * q).reshape(tensor.shape), "orthogonal_")


def xavier_uniform_(tensor, gain=1.0, generator=None):
    """U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)) (Glorot & Bengio 2010)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain=1.0, generator=None):
    """N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)) (Glorot & Bengio 2010)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _empty(tensor):
    """PyTorch's rule for the fan-based inits: a zero-element tensor (``Linear(0, 3)``) is left
    as it is, with a warning, instead of dividing by a fan of 0."""
    if tensor.numel() == 0:
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=3)
        return True
    return False


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """U(-bound, bound), bound = gain * sqrt(3 / fan) (He et al. 2015).

    ``a`` is the negative slope of a leaky ReLU (the gain's ``param``); ``mode`` chooses
    fan_in (keeps the forward variance) or fan_out (the backward one). Linear and Conv layers
    use ``a=sqrt(5)``, which gives bound = 1/sqrt(fan_in), as PyTorch does. A zero-element
    tensor is left unchanged (with a warning, as PyTorch).
    """
    if _empty(tensor):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu", generator=None):
    """N(0, std^2), std = gain / sqrt(fan) (He et al. 2015); arguments as kaiming_uniform_."""
    if _empty(tensor):
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


# PyTorch's deprecated spellings without the trailing underscore
uniform, normal, constant, orthogonal = uniform_, normal_, constant_, orthogonal_
xavier_uniform, xavier_normal = xavier_uniform_, xavier_normal_
kaiming_uniform, kaiming_normal = kaiming_uniform_, kaiming_normal_
