"""Helpers shared by the model zoo: torchvision's weight initialisations, done in place.

Every initialiser overwrites ``param.data`` in place with one vectorised draw from the
framework's seeded generator (``autograd.manual_seed`` reseeds it), so building VGG16's 138M
parameters costs one pass over memory per tensor and no float64 temporaries.
"""

import math

import numpy as np

from autograd import creation

import nn


def _rng():
    # read at call time: manual_seed() rebinds creation.default_generator
    return creation.default_generator


def normal_(param, mean=0.0, std=1.0):
    """Fill ``param`` with N(mean, std^2) samples (``torch.nn.init.normal_``)."""
    data = param.data
    if data.dtype in (np.float32, np.float64) and data.flags.c_contiguous:
        _rng().standard_normal(out=data, dtype=data.dtype)
    else:  # generators only write float32/float64 contiguous buffers
        data[...] = _rng().standard_normal(data.shape)
    data *= std
    data += mean
    return param


def trunc_normal_(param, std=1.0, a=-2.0, b=2.0):
    """N(0, std^2) truncated to [a*std, b*std] by redrawing the out-of-range entries.

    This is ``scipy.stats.truncnorm(a, b, scale=std)``, which torchvision's GoogLeNet uses;
    each redraw round is vectorised (about 5% of entries are redrawn for a=-2, b=2).
    """
    data = param.data
    z = _rng().standard_normal(data.shape).astype(data.dtype)
    bad = (z < a) | (z > b)
    while bad.any():
        z[bad] = _rng().standard_normal(int(bad.sum()))
        bad = (z < a) | (z > b)
    data[...] = z * std
    return param


def constant_(param, value):
    """Fill ``param`` (or buffer) with ``value``."""
    param.data[...] = value
    return param


def kaiming_normal_(param, mode="fan_in", gain=math.sqrt(2.0)):
    """He et al. 2015 init: N(0, gain^2 / fan), fan = fan_in or fan_out of a conv/linear weight.

    ``gain = sqrt(2)`` is PyTorch's value for ReLU (and its default ``leaky_relu`` with a=0).
    """
    shape = param.data.shape
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    fan = (shape[1] if mode == "fan_in" else shape[0]) * receptive
    return normal_(param, 0.0, gain / math.sqrt(fan))


def zero_bias(module):
    """Zero ``module.bias`` when it has one."""
    if getattr(module, "bias", None) is not None:
        constant_(module.bias, 0.0)


def init_batchnorm(module):
    """BatchNorm as torchvision initialises it: weight 1, bias 0."""
    if getattr(module, "weight", None) is not None:
        constant_(module.weight, 1.0)
        constant_(module.bias, 0.0)


class _Identity(nn.Module):
    """Returns its input (a stand-in for a pooling layer a small-input model skips)."""

    def forward(self, x):
        return x


Identity = getattr(nn, "Identity", _Identity)
