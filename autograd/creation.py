"""Tensor constructors with PyTorch's names, signatures and defaults (float32 unless told
otherwise).

Random constructors draw from ``generator=`` or the default generator (``autograd.random``),
so ``manual_seed`` makes runs reproducible. Every constructor takes ``device=`` ('cpu' only)
and checks its sizes: a negative size or a zero ``arange`` step is a clear error naming the
constructor.
"""

import numbers

import numpy as np

from . import dtypes, validate
from .device import as_device
from .errors import ArgumentError, ArgumentTypeError, ShapeError
from .random import numpy_generator
from .tensor import Tensor, as_array, wrap

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "eye",
           "arange", "linspace", "randn", "rand", "randint", "randperm", "zeros_like",
           "ones_like", "full_like", "randn_like", "rand_like", "empty_like", "normal",
           "size_arg"]


def size_arg(size, op):
    """``zeros(2, 3)`` / ``zeros((2, 3))`` / ``zeros([2, 3])`` as a tuple of non-negative
    ints.

    Raises
    ------
    ShapeError
        A negative size; ArgumentTypeError for a non-integer one.
    """
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    out = []
    for s in size:
        if isinstance(s, Tensor):
            s = s.item()
        if isinstance(s, bool) or not isinstance(s, (numbers.Integral, np.integer)):
            raise ArgumentTypeError(f"{op}: sizes must be ints, got {type(s).__name__} {s!r} in "
                            f"{tuple(size)}")
        if s < 0:
            raise ShapeError(f"{op}: negative dimension {s} in size {tuple(size)}")
        out.append(int(s))
    return tuple(out)


def _make(array, dtype, requires_grad, device, op, default=np.float32):
    as_device(device, op)
    dt = dtypes.check_supported(default if dtype is None else dtype, op)
    t = wrap(np.asarray(array, dtype=dt))
    return t.requires_grad_(True) if requires_grad else t


def tensor(data, *, dtype=None, device=None, requires_grad=False):
    """A new leaf tensor holding a copy of ``data`` (``torch.tensor``).

    Python floats give float32, ints int64, bools bool; ndarrays keep their dtype (a float64
    array gives a float64 tensor). ``dtype`` overrides.

    Raises
    ------
    DTypeError
        Unsupported data (complex, object, strings) or ``requires_grad=True`` with an integer
        or bool dtype.
    ShapeError
        Ragged nested lists.
    """
    as_device(device, "tensor")
    t = wrap(as_array(data, dtype, "tensor"))
    return t.requires_grad_(True) if requires_grad else t


def as_tensor(data, dtype=None, device=None):
    """``data`` as a Tensor, without copying when it already is one (or an ndarray) of the
    right dtype (``torch.as_tensor``)."""
    as_device(device, "as_tensor")
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    if isinstance(data, np.ndarray) and (dtype is None or data.dtype == np.dtype(dtype)):
        dtypes.check_supported(data.dtype, "as_tensor")
        return wrap(data)
    return wrap(as_array(data, dtype, "as_tensor"))


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray`` (its dtype kept; ``torch.from_numpy``). A numpy
    scalar (what numpy returns for 0-d arithmetic) becomes a 0-d tensor.

    Raises
    ------
    TypeError
        When ``ndarray`` is not an ndarray or a numpy scalar; DTypeError for unsupported dtypes.
    """
    if isinstance(ndarray, np.generic):
        ndarray = np.asarray(ndarray)
    if not isinstance(ndarray, np.ndarray):
        raise ArgumentTypeError(f"from_numpy: expected an np.ndarray, got {type(ndarray).__name__}")
    dtypes.check_supported(ndarray.dtype, "from_numpy")
    return wrap(ndarray)


def zeros(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros of shape ``size`` (``zeros(2, 3)`` or ``zeros((2, 3))``); float32
    unless ``dtype``."""
    shape = size_arg(size, "zeros")
    return _make(np.zeros(shape), dtype, requires_grad, device, "zeros")


def ones(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of ones of shape ``size``; float32 unless ``dtype``."""
    return _make(np.ones(size_arg(size, "ones")), dtype, requires_grad, device, "ones")


def empty(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of shape ``size`` (zero-filled here: numpy has no cheaper safe choice)."""
    return _make(np.zeros(size_arg(size, "empty")), dtype, requires_grad, device, "empty")


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False):
    """``size`` filled with ``fill_value``; the dtype follows the value as in PyTorch (bool,
    int64 for ints, float32 for floats) unless ``dtype`` is given."""
    shape = size_arg((size,), "full")
    value = fill_value._data.item() if isinstance(fill_value, Tensor) else fill_value
    default = dtypes.scalar_dtype(validate.number(value, "fill_value", "full")
                                  if not isinstance(value, bool) else value)
    return _make(np.full(shape, fill_value), dtype, requires_grad, device, "full",
                 default=default)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    """The (n, m or n) identity matrix; float32 unless ``dtype``."""
    n, m = size_arg((n, n if m is None else m), "eye")
    return _make(np.eye(n, m), dtype, requires_grad, device, "eye")


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 for integer arguments,
    else float32 (``torch.arange``).

    Raises
    ------
    ArgumentError
        A zero step, a step whose sign cannot reach ``end``, or a bound that is nan or inf.
    ArgumentTypeError
        A bound or step that is not a number.
    """
    if end is None:
        start, end = 0, start
    start, end, step = (validate.finite(v.item() if isinstance(v, Tensor) else v, name,
                                        "arange")
                        for v, name in ((start, "start"), (end, "end"), (step, "step")))
    if step == 0:
        raise ArgumentError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise ArgumentError(f"arange: upper bound and larger bound inconsistent with step sign "
                         f"(start {start}, end {end}, step {step})")
    ints = all(isinstance(v, (numbers.Integral, np.integer)) for v in (start, end, step))
    return _make(np.arange(start, end, step), dtype, requires_grad, device, "arange",
                 default=np.int64 if ints else np.float32)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive; float32 unless
    ``dtype``."""
    (steps,) = size_arg((steps,), "linspace")
    return _make(np.linspace(start, end, steps), dtype, requires_grad, device, "linspace")


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples of shape ``size``."""
    shape = size_arg(size, "randn")
    return _make(numpy_generator(generator).standard_normal(shape), dtype, requires_grad,
                 device, "randn")


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1) of shape ``size``."""
    shape = size_arg(size, "rand")
    return _make(numpy_generator(generator).random(shape), dtype, requires_grad, device, "rand")


def randint(low, high=None, size=(), *, generator=None, dtype=None, device=None,
            requires_grad=False):
    """Integers in [low, high) of shape ``size`` (int64; ``torch.randint(low=0, high, size)``).

    Raises
    ------
    ArgumentError
        ``high <= low``.
    """
    if high is None:
        low, high = 0, low
    low, high = validate.integer(low, "low", "randint"), validate.integer(high, "high", "randint")
    if high <= low:
        raise ArgumentError(f"randint: expected low < high, got low={low}, high={high}")
    shape = size_arg((size,), "randint")
    return _make(numpy_generator(generator).integers(low, high, size=shape), dtype,
                 requires_grad, device, "randint", default=np.int64)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0..n-1 (int64)."""
    (n,) = size_arg((n,), "randperm")
    return _make(numpy_generator(generator).permutation(n), dtype, requires_grad, device,
                 "randperm", default=np.int64)


def normal(mean, std, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False):
    """Normal samples with ``mean`` and ``std`` (numbers with ``size``, or Tensors broadcast
    together; ``torch.normal``)."""
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    shape = size_arg((size,), "normal") if size is not None else np.broadcast(m, s).shape
    like = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    default = like.dtype if like is not None else np.float32
    return _make(numpy_generator(generator).normal(m, s, size=shape), dtype or default,
                 requires_grad, device, "normal")


def _like(input, array, dtype, requires_grad, device, op):
    return _make(array, dtype or input.dtype, requires_grad, device, op)


def zeros_like(input, *, dtype=None, device=None, requires_grad=False):
    """Zeros with ``input``'s shape and (unless given) dtype."""
    return _like(input, np.zeros(input.shape), dtype, requires_grad, device, "zeros_like")


def ones_like(input, *, dtype=None, device=None, requires_grad=False):
    """Ones with ``input``'s shape and (unless given) dtype."""
    return _like(input, np.ones(input.shape), dtype, requires_grad, device, "ones_like")


def empty_like(input, *, dtype=None, device=None, requires_grad=False):
    """A tensor with ``input``'s shape and dtype (zero-filled)."""
    return _like(input, np.zeros(input.shape), dtype, requires_grad, device, "empty_like")


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False):
    """``fill_value`` everywhere, with ``input``'s shape and (unless given) dtype."""
    return _like(input, np.full(input.shape, fill_value), dtype, requires_grad, device,
                 "full_like")


def randn_like(input, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples with ``input``'s shape and (unless given) dtype."""
    return _like(input, numpy_generator(generator).standard_normal(input.shape), dtype,
                 requires_grad, device, "randn_like")


def rand_like(input, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Uniform [0, 1) samples with ``input``'s shape and (unless given) dtype."""
    return _like(input, numpy_generator(generator).random(input.shape), dtype, requires_grad,
                 device, "rand_like")
