"""The argument checks every op, layer and ``nn.functional`` function calls (issue 11).

One small function per kind of argument. Each returns the argument in its checked form (an int,
a tuple of ints, a normalised dim) and raises the framework's error (``autograd.errors``) with
a message that names the op, the argument and the bad value or shape::

    stride = validate.int_tuple(stride, 2, "stride", "conv2d", minimum=1)
    # conv2d: stride must be an int or a tuple of 2 ints, got (1.5, 1.5) (ArgumentTypeError)
    # conv2d: stride must be positive, got (0, 0)                         (ArgumentError)

PyTorch's checks are the reference (torch/nn/modules/conv.py, aten/src/ATen/native/
ConvUtils.h, Pool.h, torch/csrc/utils/python_arg_parser.cpp): integer arguments refuse floats
(``stride=1.5``, which would otherwise be truncated) and bools, as PyTorch's argument parser
does; sizes may be 0 where an empty tensor makes sense (``Linear(0, 3)``) and must be positive
where a window needs an element (kernel sizes, strides, dilations, groups).

Errors: ``ArgumentTypeError`` (a TypeError) for the wrong type, ``ArgumentError`` (a
ValueError) for a bad value, ``ShapeError``/``DimError``/``DTypeError`` for tensors of the
wrong shape, dim or dtype.
"""

import math
import numbers

import numpy as np

from .dims import normalize_dim
from .errors import ArgumentError, ArgumentTypeError, DTypeError, ShapeError
from .tensor import Tensor, is_number

__all__ = ["tensor", "optional_tensor", "tensor_or_number", "tensors", "integer", "int_tuple",
           "size", "shape", "dim", "number", "probability", "reduction", "choice", "ndim",
           "spatial_input", "floating", "kernel_size", "stride", "padding", "dilation", "groups",
           "channels_divisible", "output_padding", "pool_padding", "divisor_override",
           "output_size", "finite"]

_Tensor = Tensor


# -- tensors ----------------------------------------------------------------------------------
def _not_a_tensor(value, op, name, position):
    where = f" (position {position})" if position else ""
    return ArgumentTypeError(f"{op}(): argument '{name}'{where} must be Tensor, not "
                             f"{type(value).__name__}")


def tensor(value, op, name="input", position=1):
    """``value`` if it is a Tensor; else PyTorch's TypeError "relu(): argument 'input'
    (position 1) must be Tensor, not float" (``ArgumentTypeError``)."""
    if value.__class__ is _Tensor or isinstance(value, _Tensor):
        return value
    raise _not_a_tensor(value, op, name, position)


def optional_tensor(value, op, name, position=None):
    """``value`` if it is None or a Tensor (an optional ``bias``, ``weight``, ...)."""
    if value is None or isinstance(value, _Tensor):
        return value
    raise _not_a_tensor(value, op, name, position)


def tensor_or_number(value, op, name, position=None):
    """``value`` if it is a Tensor or a real number (``clamp``'s bounds, ``where``'s branches);
    lists, strings and complex numbers are refused."""
    if isinstance(value, _Tensor) or is_number(value):
        return value
    where = f" (position {position})" if position else ""
    raise ArgumentTypeError(f"{op}(): argument '{name}'{where} must be Tensor or a number, not "
                            f"{type(value).__name__}")


def tensors(values, op, name="tensors"):
    """A sequence of Tensors (``cat``, ``stack``) as a tuple; a Tensor itself is refused, as
    PyTorch does (iterating it would silently join its rows)."""
    if isinstance(values, _Tensor) or not isinstance(values, (list, tuple)):
        raise ArgumentTypeError(f"{op}(): argument '{name}' (position 1) must be a tuple or "
                                f"list of Tensors, not {type(values).__name__}")
    for i, x in enumerate(values):
        if not isinstance(x, _Tensor):
            raise ArgumentTypeError(f"{op}(): expected Tensor as element {i} in argument "
                                    f"'{name}', but got {type(x).__name__}")
    return tuple(values)


# -- integers and sizes -------------------------------------------------------------------------
def _is_int(value):
    return (isinstance(value, (numbers.Integral, np.integer))
            and not isinstance(value, (bool, np.bool_)))


def integer(value, name, op, minimum=None):
    """``value`` as a Python int (not a bool, not a float such as 1.0 or 1.5: PyTorch refuses
    them), at least ``minimum`` when given.

    Raises
    ------
    ArgumentTypeError
        Not an int.
    ArgumentError
        Below ``minimum``.
    """
    if not _is_int(value):
        raise ArgumentTypeError(f"{op}: {name} must be an int, got {type(value).__name__} "
                                f"{value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ArgumentError(f"{op}: {name} must be {_bound(minimum)}, got {value}")
    return value


def _bound(minimum):
    return {0: "non-negative", 1: "positive"}.get(minimum, f"at least {minimum}")


def int_tuple(value, n, name, op, minimum=None):
    """An int or a sequence of ``n`` ints (a 1-sequence counts for all ``n``, as PyTorch's
    ``expand_param_if_needed``) as a tuple of ``n`` Python ints, each at least ``minimum``.

    Raises
    ------
    ArgumentTypeError
        A float, bool, string or other non-int (``stride=(1.5, 1.5)``).
    ArgumentError
        The wrong number of values, or a value below ``minimum``.
    """
    if _is_int(value):
        values = (int(value),) * n
    else:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise ArgumentTypeError(f"{op}: {name} must be an int or a tuple of {n} ints, got "
                                    f"{type(value).__name__} {value!r}")
        if not all(_is_int(v) for v in value):
            raise ArgumentTypeError(f"{op}: {name} must be an int or a tuple of {n} ints, got "
                                    f"{tuple(value)!r}")
        values = tuple(int(v) for v in value)
        if len(values) == 1:
            values *= n
        elif len(values) != n:
            raise ArgumentError(f"{op}: expected {name} to be a single int or a tuple of {n} "
                                f"ints, got {name}={values}")
    if minimum is not None and any(v < minimum for v in values):
        raise ArgumentError(f"{op}: {name} must be {_bound(minimum)}, got {values}")
    return values


def size(value, name, op):
    """A layer size (``in_features``, ``channels``, ``num_embeddings``): an int >= 0 (PyTorch
    builds empty weights for 0)."""
    return integer(value, name, op, minimum=0)


def shape(value, name, op):
    """A shape argument (``LayerNorm``'s ``normalized_shape``): an int or a sequence of ints,
    each >= 0, as a tuple."""
    if _is_int(value):
        value = (value,)
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ArgumentTypeError(f"{op}: {name} must be an int or a tuple of ints, got "
                                f"{type(value).__name__} {value!r}")
    return tuple(integer(v, name, op, minimum=0) for v in value)


def dim(value, shape_or_ndim, op, extra=0):
    """A ``dim`` argument normalised to [0, ndim) (``autograd.dims.normalize_dim``): a
    ``DimError`` out of range, an ``ArgumentTypeError`` for a non-int."""
    return normalize_dim(value, shape_or_ndim, op, extra)


# -- numbers and choices --------------------------------------------------------------------------
def number(value, name, op, minimum=None):
    """A real number (int or float, not a string or a complex), at least ``minimum``."""
    if not is_number(value) or isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(f"{op}: {name} must be a number, got {type(value).__name__} "
                                f"{value!r}")
    if minimum is not None and not value >= minimum:       # also refuses nan
        raise ArgumentError(f"{op}: {name} must be >= {minimum}, got {value}")
    return value


def probability(value, name, op):
    """A probability in [0, 1] (``Dropout``'s ``p``, ``label_smoothing``); nan is refused."""
    value = number(value, name, op)
    if not 0.0 <= value <= 1.0:
        raise ArgumentError(f"{op}: {name} has to be between 0 and 1, but got {value}")
    return value


def reduction(value, op):
    """A loss's ``reduction``: 'mean', 'sum' or 'none'."""
    return choice(value, ("mean", "sum", "none"), "reduction", op)


def choice(value, options, name, op):
    """One of ``options`` (strings), else an ``ArgumentError`` listing them."""
    if not isinstance(value, str) or value not in options:
        listed = ", ".join(repr(o) for o in options)
        raise ArgumentError(f"{op}: {name} must be one of {listed}, got {value!r}")
    return value


# -- tensors of the right kind ----------------------------------------------------------------------
def ndim(x, ndims, op, layout):
    """Raise a ShapeError unless ``x`` has one of ``ndims`` (an int or a tuple) dimensions;
    ``layout`` names them, e.g. "(N, C, H, W)"."""
    allowed = (ndims,) if isinstance(ndims, int) else tuple(ndims)
    if x.ndim not in allowed:
        want = " or ".join(f"{d}-D" for d in allowed)
        raise ShapeError(f"{op}: expected a {want} input {layout}, got shape {tuple(x.shape)}")
    return x


def spatial_input(x, n, op, layout):
    """The input of an ``n``-D convolution or pooling: a Tensor with ``n + 2`` dims (batched)
    or ``n + 1`` (unbatched, as PyTorch accepts). Returns (the batched input, whether a batch
    dim was added); the op squeezes it off its result again.

    Raises
    ------
    ArgumentTypeError
        Not a Tensor.
    ShapeError
        Another number of dims.
    """
    tensor(x, op)
    if x.ndim == n + 1:
        return x.unsqueeze(0), True
    if x.ndim != n + 2:
        raise ShapeError(f"{op}: expected a {n + 1}-D (unbatched) or {n + 2}-D (batched) input "
                         f"{layout}, got shape {tuple(x.shape)}")
    return x, False


def floating(x, op, name="input"):
    """Raise a DTypeError unless ``x`` is a floating-point Tensor."""
    if x.dtype.kind != "f":
        raise DTypeError(f"{op}: expected a floating-point {name}, got dtype {x.dtype} (shape "
                         f"{tuple(x.shape)})")
    return x


# -- convolution and pooling arguments --------------------------------------------------------------
def kernel_size(value, n, op):
    """A kernel size: an int or ``n`` ints, each positive."""
    return int_tuple(value, n, "kernel_size", op, minimum=1)


def stride(value, n, op, default=None):
    """A stride: an int or ``n`` positive ints; pooling's None (or an empty sequence, as
    PyTorch accepts) means ``default`` (the kernel size)."""
    if default is not None and (value is None or isinstance(value, (list, tuple))
                                and len(value) == 0):
        return default
    return int_tuple(value, n, "stride", op, minimum=1)


def padding(value, n, op, strings=()):
    """A padding: an int or ``n`` non-negative ints, or one of ``strings`` ('same', 'valid'
    for convolutions)."""
    if isinstance(value, str):
        if value in strings:
            return value
        allowed = " or ".join(repr(s) for s in strings) if strings else "no string"
        raise ArgumentError(f"{op}: invalid padding string {value!r} (expected {allowed}, an "
                            f"int or a tuple of {n} ints)")
    return int_tuple(value, n, "padding", op, minimum=0)


def dilation(value, n, op):
    """A dilation: an int or ``n`` ints, each positive."""
    return int_tuple(value, n, "dilation", op, minimum=1)


def groups(value, op):
    """A convolution's ``groups``: a positive int."""
    return integer(value, "groups", op, minimum=1)


def channels_divisible(in_channels, out_channels, groups, op):
    """Both channel counts divisible by ``groups`` (a layer's constructor check)."""
    for name, c in (("in_channels", in_channels), ("out_channels", out_channels)):
        if c % groups:
            raise ArgumentError(f"{op}: {name}={c} must be divisible by groups={groups}")


def output_padding(value, stride, dilation, op):
    """A transposed convolution's ``output_padding``: non-negative ints, each smaller than the
    stride or the dilation of its axis (PyTorch's rule)."""
    out = int_tuple(value, len(stride), "output_padding", op, minimum=0)
    if any(q >= s and q >= d for q, s, d in zip(out, stride, dilation)):
        raise ArgumentError(f"{op}: output_padding {out} must be smaller than either stride "
                            f"{stride} or dilation {dilation}")
    return out


def pool_padding(value, kernel, op, dilation=None):
    """A pooling padding: non-negative ints of at most half the (dilated) kernel size."""
    pad = int_tuple(value, len(kernel), "padding", op, minimum=0)
    if dilation is None:
        dilation = (1,) * len(kernel)
    effective = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if any(p > k // 2 for p, k in zip(pad, effective)):
        raise ArgumentError(f"{op}: padding should be at most half of the effective kernel "
                            f"size, got padding {pad} for kernel_size {tuple(kernel)}"
                            f"{'' if effective == tuple(kernel) else f' (dilated {effective})'}")
    return pad


def divisor_override(value, op):
    """``avg_pool2d``'s divisor_override: None or a non-zero int (PyTorch allows negative
    ones)."""
    if value is None:
        return None
    value = integer(value, "divisor_override", op)
    if value == 0:
        raise ArgumentError(f"{op}: divisor_override must be non-zero, got 0")
    return value


def output_size(value, in_sizes, op):
    """An adaptive pooling's output size: an int or one int (or None: keep that input size)
    per spatial axis, each >= 0 (0 gives an empty output, as PyTorch), as a tuple of ints."""
    n = len(in_sizes)
    if value is None or _is_int(value):
        value = (value,) * n
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise ArgumentTypeError(f"{op}: output_size must be an int or a tuple of {n} ints, got "
                                f"{type(value).__name__} {value!r}")
    if len(value) != n:
        raise ArgumentError(f"{op}: output_size must have {n} values, got {tuple(value)}")
    out = tuple(s if v is None else integer(v, "output_size", op) for v, s in zip(value,
                                                                                in_sizes))
    if any(v < 0 for v in out):
        raise ArgumentError(f"{op}: elements of output_size must be >= 0, got {tuple(value)}")
    return out


def finite(value, name, op):
    """A finite real number (``arange``'s bounds)."""
    value = number(value, name, op)
    if not math.isfinite(value):
        raise ArgumentError(f"{op}: {name} must be finite, got {value}")
    return value
