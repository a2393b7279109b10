"""autograd: a numpy tensor library with define-by-run reverse-mode differentiation.

    import autograd as ag
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], requires_grad=True)
    x = ag.tensor([0.5, 0.0, -0.75, 0.75])
    s = (w * x).sum()            # the slides' four-pixel weighted sum: -1.075
    s.backward()                 # w.grad == x

The public API mirrors ``torch``: ``Tensor``, constructors (``tensor``, ``zeros``, ``randn``,
...), ``no_grad``/``enable_grad``, ``grad``, ``Function`` for custom ops, ``gradcheck`` /
``gradgradcheck``, the op functions at the top level (``autograd.exp``, ``autograd.cat``), and
``autograd.graph`` (the recorded graph). A PyTorch program's ``torch.nn``, ``torch.optim``,
``torch.utils.data`` resolve to this project's ``nn`` packages on first use, so ``import
autograd`` stays light (it imports neither ``nn`` nor ``viz``). Importing changes nothing
process-wide (see ``tune_allocator`` for the one opt-in).
"""

import importlib as _importlib
import warnings as _warnings

import numpy as _np

from . import dims, dtypes, errors, validate  # noqa: F401
from . import graph  # noqa: F401
from . import tensor_methods as _tensor_methods  # noqa: F401  (attaches Tensor's methods)
from ._alloc import tune_allocator  # noqa: F401
from .anomaly_mode import (detect_anomaly, is_anomaly_check_nan_enabled,  # noqa: F401
                           is_anomaly_enabled, set_detect_anomaly)
from .creation import (arange, as_tensor, empty, empty_like, eye, from_numpy,  # noqa: F401
                       full, full_like, linspace, normal, ones, ones_like, rand, rand_like,
                       randint, randn, randn_like, randperm, tensor, zeros, zeros_like)
from .device import accelerator, backends, cuda, device, mps  # noqa: F401
from . import dtypes as _dtypes
from .dtypes import dtype  # noqa: F401
from .engine import backward, grad  # noqa: F401
from .errors import (AnomalyError, ArgumentError, ArgumentTypeError,  # noqa: F401
                     AutogradError, BackwardError, DimError, DTypeError, GradcheckError,
                     InplaceError, ShapeError)
from .function import Function, FunctionCtx  # noqa: F401
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, no_grad,  # noqa: F401
                        set_grad_enabled)
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401
from .ops.activation import (leaky_relu, log_softmax, logsumexp, relu, sigmoid,  # noqa: F401
                             softmax, tanh)
from .ops.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d  # noqa: F401
from .ops.elementwise import clamp, where  # noqa: F401
from .ops.index import gather, scatter, scatter_add  # noqa: F401
from .ops.linalg import addmm, bmm, dot, matmul, mm, mv, outer  # noqa: F401
from .ops.pool import (adaptive_avg_pool1d, adaptive_avg_pool2d, avg_pool1d,  # noqa: F401
                       avg_pool2d, max_pool1d, max_pool2d)
from .ops.reduction import (amax, amin, argmax, argmin, max, mean, min, norm,  # noqa: F401
                            std, sum, var)
from .ops.shape import (broadcast_to, cat, chunk, concatenate, flatten, movedim,  # noqa: F401
                        narrow, pad, permute, reshape, split, squeeze, stack, t, transpose,
                        unflatten, unsqueeze)
from .printing import get_printoptions, set_printoptions  # noqa: F401
from .random import (Generator, default_generator, get_rng_state, initial_seed,  # noqa: F401
                     manual_seed, seed, set_rng_state)
from .out import accepts_out as _accepts_out
from .size import Size  # noqa: F401
from .tensor import Tensor  # noqa: F401
from .serialization import load, save  # noqa: F401  (after .tensor: it saves Tensors)
from .utils import hooks as _hooks  # noqa: F401

float16, float32, float64, uint8, int8, int16, int32, int64, bool_ = (
    _dtypes.as_dtype(t) for t in (_np.float16, _np.float32, _np.float64, _np.uint8, _np.int8,
                                  _np.int16, _np.int32, _np.int64, _np.bool_))
half, float, double, long, int, short = (float16, float32, float64, int64, int32,  # noqa: A001
                                         int16)
bool = bool_  # noqa: A001  (torch.bool)


def get_default_dtype():
    """The dtype of tensors made from Python floats: ``autograd.float32`` (PyTorch's)."""
    return float32


def set_default_dtype(d):
    """Only float32 can be the default here (``torch.set_default_dtype``).

    Raises
    ------
    NotImplementedError
        For any other dtype: the framework's promotion tables assume float32.
    """
    if _dtypes.as_dtype(d) != float32:
        raise NotImplementedError(f"set_default_dtype({d}): only autograd.float32 can be the "
                                  "default dtype here")


def promote_types(type1, type2):
    """``torch.promote_types``: the dtype both convert to (a float beats any integer)."""
    return _dtypes.as_dtype(_dtypes.promote_types(_np.dtype(type1), _np.dtype(type2)))


def _method(name, doc, out=True):
    """``torch.name(input, ...)`` as ``input.name(...)``, with ``out=`` unless ``out=False``; a
    non-Tensor input is an ``ArgumentTypeError`` (PyTorch: "exp(): argument 'input' (position
    1) must be Tensor, not float")."""
    def fn(input, *args, **kwargs):
        return getattr(validate.tensor(input, name), name)(*args, **kwargs)
    fn.__name__, fn.__qualname__, fn.__doc__ = name, name, doc
    return _accepts_out(fn) if out else fn


def _arithmetic(name, doc):
    """``add``/``sub``/``mul``/``div``: as ``_method``, but a number is also accepted as the
    ``input`` (``torch.add(2, x)``, ``torch.add(2, 3)``), as a 0-d tensor of its own dtype."""
    def fn(input, other, *args, **kwargs):
        if not isinstance(input, Tensor):
            validate.tensor_or_number(input, name, "input", 1)
            input = tensor(input)
        return getattr(input, name)(other, *args, **kwargs)
    fn.__name__, fn.__qualname__, fn.__doc__ = name, name, doc
    return _accepts_out(fn)


def _tensors_only(name, doc):
    """``maximum``/``minimum``: both arguments must be Tensors, as in PyTorch (use ``clamp``
    for a number)."""
    def fn(input, other):
        validate.tensor(other, name, "other", 2)
        return getattr(validate.tensor(input, name), name)(other)
    fn.__name__, fn.__qualname__, fn.__doc__ = name, name, doc
    return _accepts_out(fn)


exp = _method("exp", "e^x, elementwise (integers give float32).")
log = _method("log", "Natural logarithm, elementwise (-inf at 0, nan below, as PyTorch).")
log1p = _method("log1p", "ln(1 + x), elementwise, accurate for small x.")
expm1 = _method("expm1", "e^x - 1, elementwise, accurate for small x.")
sqrt = _method("sqrt", "Square root, elementwise.")
rsqrt = _method("rsqrt", "1 / sqrt(x), elementwise.")
reciprocal = _method("reciprocal", "1 / x, elementwise.")
square = _method("square", "x * x, elementwise.")
abs = _method("abs", "|x|, elementwise (gradient 0 at 0).")  # noqa: A001
neg = _method("neg", "-x, elementwise.")
negative = neg
sign = _method("sign", "Sign of x: -1, 0 or 1 (gradient 0).")
sin = _method("sin", "sin(x), elementwise.")
cos = _method("cos", "cos(x), elementwise.")
tan = _method("tan", "tan(x), elementwise.")
maximum = _tensors_only("maximum", "Elementwise maximum of two Tensors (``torch.maximum``); "
                        "ties split the gradient.")
minimum = _tensors_only("minimum", "Elementwise minimum of two Tensors (``torch.minimum``); "
                        "ties split the gradient.")
add = _arithmetic("add", "input + alpha * other, with broadcasting (``torch.add``).")
sub = _arithmetic("sub", "input - alpha * other, with broadcasting (``torch.sub``).")
mul = _arithmetic("mul", "input * other, with broadcasting (``torch.mul``).")
div = _arithmetic("div", "input / other, true division unless ``rounding_mode`` "
                  "(``torch.div``).")
subtract, multiply, divide, true_divide = sub, mul, div, div
eq = _method("eq", "input == other, a bool tensor.")
ne = _method("ne", "input != other, a bool tensor.")
lt = _method("lt", "input < other, a bool tensor.")
le = _method("le", "input <= other, a bool tensor.")
gt = _method("gt", "input > other, a bool tensor.")
ge = _method("ge", "input >= other, a bool tensor.")
isnan = _method("isnan", "A bool tensor: where input is nan.")
isinf = _method("isinf", "A bool tensor: where input is +-inf.")
isfinite = _method("isfinite", "A bool tensor: where input is finite.")
allclose = _method("allclose", "True if all elements are close (``torch.allclose``).",
                   out=False)
isclose = _method("isclose", "A bool tensor: where elements are close (``torch.isclose``).")
equal = _method("equal", "True if both tensors have the same shape and elements.", out=False)
clone = _method("clone", "A copy (differentiable).")
masked_fill = _method("masked_fill", "``value`` where ``mask`` is true, else input.")
logical_not = _method("logical_not", "Elementwise not, a bool tensor.")
logical_and = _method("logical_and", "Elementwise and, a bool tensor.")
logical_or = _method("logical_or", "Elementwise or, a bool tensor.")
floor = _method("floor", "floor(x), elementwise (gradient 0).")
ceil = _method("ceil", "ceil(x), elementwise (gradient 0).")
round = _method("round", "x rounded to the nearest integer, halves to even.")  # noqa: A001
trunc = _method("trunc", "x rounded towards zero (gradient 0).")
fix = trunc
sort = _method("sort", "(values, indices) sorted along ``dim`` (``torch.sort``).", out=False)
argsort = _method("argsort", "Indices that sort ``input`` along ``dim``.", out=False)
topk = _method("topk", "(values, indices) of the k largest entries along ``dim``.", out=False)
flip = _method("flip", "The entries reversed along ``dims``.")
cumsum = _method("cumsum", "Running sums along ``dim``.")
index_select = _method("index_select", "Entries at ``index`` along ``dim``.")
masked_select = _method("masked_select", "The entries where ``mask`` is True, as 1-D.")
all = _method("all", "True where all entries (along ``dim``) are nonzero.")  # noqa: A001
any = _method("any", "True where any entry (along ``dim``) is nonzero.")  # noqa: A001
unbind = _method("unbind", "The slices along ``dim``, as a tuple.", out=False)
addcmul = _method("addcmul", "input + value * tensor1 * tensor2.")
addcdiv = _method("addcdiv", "input + value * tensor1 / tensor2.")
lerp = _method("lerp", "input + weight * (end - input).")
sigmoid = _accepts_out(sigmoid)
tanh = _accepts_out(tanh)
clamp = _accepts_out(clamp)
matmul, mm, bmm, addmm, mv, dot, outer = (_accepts_out(f) for f in (matmul, mm, bmm, addmm, mv,
                                                                    dot, outer))
cat, concatenate, stack = _accepts_out(cat), _accepts_out(concatenate), _accepts_out(stack)
gather, scatter, scatter_add = (_accepts_out(f) for f in (gather, scatter, scatter_add))


clip = clamp


def pow(input, exponent):  # noqa: A001
    """``input ** exponent`` (``torch.pow``): a Tensor to a Tensor or number power, or a number
    to a Tensor power.

    Raises
    ------
    ArgumentTypeError
        When neither argument is a Tensor.
    """
    if isinstance(input, Tensor):
        return input ** exponent
    if isinstance(exponent, Tensor):
        return input ** exponent            # Tensor.__rpow__
    raise ArgumentTypeError(f"pow(): at least one of input and exponent must be a Tensor, "
                            f"got {type(input).__name__} and {type(exponent).__name__}")


def is_tensor(obj):
    """True if ``obj`` is a Tensor (or a subclass such as ``nn.Parameter``)."""
    return isinstance(obj, Tensor)


def numel(input):
    """The number of elements of ``input``."""
    return input.numel()


def is_floating_point(input):
    """True for float16/32/64 tensors."""
    return input.is_floating_point()


# -- PyTorch's sub-packages, resolved on first use -------------------------------------------
_LAZY = {
    "nn": "nn", "optim": "nn.optim", "utils": "autograd.utils", "testing": "autograd.testing",
    "linalg": "autograd.linalg", "autograd": "autograd", "serialization": "autograd",
}


_UNSUPPORTED = {
    "compile": "torch.compile (graph compilation)", "jit": "TorchScript (torch.jit)",
    "onnx": "ONNX export", "distributed": "distributed training",
    "sparse_coo_tensor": "sparse tensors", "complex64": "complex dtypes",
    "complex128": "complex dtypes", "cfloat": "complex dtypes", "bfloat16": "bfloat16",
}


def __getattr__(name):
    target = _LAZY.get(name)
    if target is not None:
        return _importlib.import_module(target)
    if name in _UNSUPPORTED:
        raise AttributeError(f"autograd.{name}: {_UNSUPPORTED[name]} is not supported by this "
                             "framework (see the README's 'Porting a PyTorch program')")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


# -- the import names are shared with unrelated packages on PyPI ------------------------------
_OWN_DISTRIBUTION = "autograd-convnets"


def _normalized(name):
    return name.lower().replace("_", "-").replace(".", "-")


def _warn_about_shared_names():
    """Warn (``UserWarning``) when another installed distribution provides ``autograd``, ``nn``
    or ``viz``: PyPI's ``autograd`` (HIPS) and others use the same top-level names, and two
    of them in one environment overwrite each other's files. Only warns; changes no filter."""
    try:
        from importlib.metadata import packages_distributions
        owners = packages_distributions()
    except Exception:                # broken metadata must not stop the import
        return
    for name in ("autograd", "nn", "viz"):
        others = sorted({d for d in owners.get(name, ())
                         if _normalized(d) != _OWN_DISTRIBUTION})
        if others:
            _warnings.warn(
                f"the top-level package {name!r} is also provided by the installed "
                f"distribution(s) {', '.join(others)}, unrelated to {_OWN_DISTRIBUTION}; they "
                f"overwrite each other's files. Install {_OWN_DISTRIBUTION} into its own "
                "virtual environment", UserWarning, stacklevel=3)


_warn_about_shared_names()
