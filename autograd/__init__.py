"""autograd: a numpy tensor library with define-by-run reverse-mode differentiation.

    import autograd as ag
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], requires_grad=True)
    x = ag.tensor([0.5, 0.0, -0.75, 0.75])
    s = (w * x).sum()            # the slides' four-pixel weighted sum: -1.075
    s.backward()                 # w.grad == x

The public API mirrors ``torch``: ``Tensor``, constructors (``tensor``, ``zeros``, ``randn``,
...), ``no_grad``/``enable_grad``, ``grad``, ``Function`` for custom ops, ``gradcheck`` /
``gradgradcheck``, and the op functions at the top level (``autograd.exp``, ``autograd.cat``).
"""

import numpy as _np

from . import _alloc, errors  # noqa: F401  (_alloc: see its docstring)
from .creation import (arange, as_tensor, empty, eye, from_numpy, full, full_like,  # noqa: F401
                       linspace, manual_seed, ones, ones_like, rand, rand_like, randint, randn,
                       randn_like, randperm, tensor, zeros, zeros_like)
from .engine import grad  # noqa: F401
from .errors import (AutogradError, BackwardError, DTypeError, GradcheckError,  # noqa: F401
                     InplaceError, ShapeError)
from .function import Function  # noqa: F401
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401
from .ops.activation import (leaky_relu, log_softmax, logsumexp, relu, sigmoid,  # noqa: F401
                             softmax, tanh)
from .ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d  # noqa: F401
from .ops.elementwise import clamp, maximum, minimum, pow, where  # noqa: F401
from .ops.linalg import bmm, matmul, mm  # noqa: F401
from .ops.pool import (adaptive_avg_pool1d, adaptive_avg_pool2d, avg_pool1d,  # noqa: F401
                       avg_pool2d, max_pool1d, max_pool2d)
from .ops.reduction import argmax, argmin, max, mean, min, norm, sum, var  # noqa: F401
from .ops.shape import (broadcast_to, cat, chunk, concatenate, flatten, pad,  # noqa: F401
                        split, squeeze, stack, transpose, unsqueeze)
from .tensor import Tensor  # noqa: F401
from .serialization import load, save  # noqa: F401  (after .tensor: it saves Tensors)

float16, float32, float64 = _np.float16, _np.float32, _np.float64
int32, int64, bool_ = _np.int32, _np.int64, _np.bool_
float, double, long = float32, float64, int64  # noqa: A001  (torch.float is float32)


def _unary(method, doc):
    def fn(input):
        return getattr(input, method)()
    fn.__name__, fn.__doc__ = method, doc
    return fn


exp = _unary("exp", "e^x, elementwise.")
log = _unary("log", "Natural logarithm, elementwise.")
sqrt = _unary("sqrt", "Square root, elementwise.")
abs = _unary("abs", "|x|, elementwise (gradient 0 at 0).")  # noqa: A001
neg = _unary("neg", "-x, elementwise.")
sign = _unary("sign", "Sign of x (no gradient).")


def add(input, other):
    """input + other, elementwise with broadcasting (``torch.add``); ShapeError if not
    broadcastable."""
    return input + other


def sub(input, other):
    """input - other, elementwise with broadcasting (``torch.sub``); ShapeError if not
    broadcastable."""
    return input - other


def mul(input, other):
    """input * other, elementwise with broadcasting (``torch.mul``); ShapeError if not
    broadcastable."""
    return input * other


def div(input, other):
    """input / other, elementwise with broadcasting (``torch.div``); ShapeError if not
    broadcastable."""
    return input / other


def reshape(input, shape):
    """The same elements in ``shape`` (one size may be -1); ShapeError if the sizes differ."""
    return input.reshape(shape)


def permute(input, dims):
    """The axes reordered as ``dims`` (``torch.permute``); ShapeError if not a permutation."""
    return input.permute(*dims)


def std(input, dim=None, unbiased=True, keepdim=False):
    """Standard deviation over ``dim`` (square root of ``var``; ``unbiased`` divides by n - 1)."""
    return input.std(dim, unbiased, keepdim)


def is_tensor(obj):
    """True if ``obj`` is a Tensor (or a subclass such as ``nn.Parameter``)."""
    return isinstance(obj, Tensor)


def numel(input):
    """The number of elements of ``input``."""
    return input.numel()
