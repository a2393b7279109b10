"""Tensor constructors with PyTorch's names and defaults (float32 unless told otherwise).

Random constructors draw from one seeded ``numpy.random.Generator`` (``manual_seed``) or from a
``generator=`` passed in, so runs are reproducible.
"""

import numpy as np

from .tensor import Tensor, _shape_arg

__all__ = ["tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "eye",
           "arange", "linspace", "randn", "rand", "randint", "randperm", "zeros_like",
           "ones_like", "full_like", "randn_like", "rand_like", "manual_seed", "default_generator"]

default_generator = np.random.default_rng(0)


def manual_seed(seed):
    """Reseed the generator behind ``randn``/``rand``/``randint``/``randperm`` and ``nn.init``."""
    global default_generator
    default_generator = np.random.default_rng(seed)
    return default_generator


def _gen(generator):
    return default_generator if generator is None else generator


def _make(array, dtype, requires_grad, default=np.float32):
    array = np.asarray(array, dtype=default if dtype is None else np.dtype(dtype))
    return Tensor._wrap(array).requires_grad_(requires_grad) if requires_grad \
        else Tensor._wrap(array)


def tensor(data, requires_grad=False, dtype=None):
    """A new leaf tensor holding a copy of ``data`` (``torch.tensor``).

    Python floats give float32, ints int64, bools bool; ndarrays keep their dtype (a float64
    array gives a float64 tensor). ``dtype`` overrides.

    Raises
    ------
    DTypeError
        ``requires_grad=True`` with an integer or bool dtype.
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def as_tensor(data, dtype=None):
    """``data`` as a Tensor, without copying when it already is one of the right dtype."""
    if isinstance(data, Tensor) and (dtype is None or data.dtype == np.dtype(dtype)):
        return data
    return Tensor(data, dtype=dtype)


def from_numpy(array):
    """A tensor sharing memory with ``array`` (its dtype kept)."""
    return Tensor._wrap(np.asarray(array))


def zeros(*size, dtype=None, requires_grad=False):
    """A tensor of zeros of shape ``size`` (``zeros(2, 3)`` or ``zeros((2, 3))``); float32 unless
    ``dtype``."""
    return _make(np.zeros(_shape_arg(size), dtype=dtype or np.float32), dtype, requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    """A tensor of ones of shape ``size``; float32 unless ``dtype``."""
    return _make(np.ones(_shape_arg(size), dtype=dtype or np.float32), dtype, requires_grad)


def empty(*size, dtype=None, requires_grad=False):
    """A tensor of shape ``size`` (zero-filled here: numpy has no cheaper safe choice)."""
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, requires_grad=False):
    """``size`` filled with ``fill_value``; the dtype follows the value as in PyTorch (bool,
    int64 for ints, float32 for floats) unless ``dtype`` is given."""
    default = (np.bool_ if isinstance(fill_value, (bool, np.bool_)) else
               np.int64 if isinstance(fill_value, (int, np.integer)) else np.float32)
    return _make(np.full(tuple(size), fill_value), dtype, requires_grad, default=default)


def eye(n, m=None, dtype=None, requires_grad=False):
    """The (n, m or n) identity matrix; float32 unless ``dtype``."""
    return _make(np.eye(n, m), dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    """Values from ``start`` to ``end`` (exclusive); int64 for integer arguments, else float32."""
    if end is None:
        start, end = 0, start
    ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
    return _make(np.arange(start, end, step), dtype, requires_grad,
                 default=np.int64 if ints else np.float32)


def linspace(start, end, steps, dtype=None, requires_grad=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive; float32 unless
    ``dtype``."""
    return _make(np.linspace(start, end, steps), dtype, requires_grad)


def randn(*size, dtype=None, requires_grad=False, generator=None):
    """Standard normal samples of shape ``size``."""
    return _make(_gen(generator).standard_normal(_shape_arg(size)), dtype, requires_grad)


def rand(*size, dtype=None, requires_grad=False, generator=None):
    """Uniform samples in [0, 1) of shape ``size``."""
    return _make(_gen(generator).random(_shape_arg(size)), dtype, requires_grad)


def randint(low, high=None, size=(), dtype=None, generator=None):
    """Integers in [low, high) (int64)."""
    if high is None:
        low, high = 0, low
    return _make(_gen(generator).integers(low, high, size=tuple(size)), dtype, False,
                 default=np.int64)


def randperm(n, dtype=None, generator=None):
    """A random permutation of 0..n-1 (int64)."""
    return _make(_gen(generator).permutation(n), dtype, False, default=np.int64)


def zeros_like(input, dtype=None, requires_grad=False):
    """Zeros with ``input``'s shape and (unless given) dtype."""
    return _make(np.zeros(input.shape), dtype or input.dtype, requires_grad)


def ones_like(input, dtype=None, requires_grad=False):
    """Ones with ``input``'s shape and (unless given) dtype."""
    return _make(np.ones(input.shape), dtype or input.dtype, requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad=False):
    """``fill_value`` everywhere, with ``input``'s shape and (unless given) dtype."""
    return _make(np.full(input.shape, fill_value), dtype or input.dtype, requires_grad)


def randn_like(input, dtype=None, requires_grad=False, generator=None):
    """Standard normal samples with ``input``'s shape and (unless given) dtype."""
    return _make(_gen(generator).standard_normal(input.shape), dtype or input.dtype,
                 requires_grad)


def rand_like(input, dtype=None, requires_grad=False, generator=None):
    """Uniform [0, 1) samples with ``input``'s shape and (unless given) dtype."""
    return _make(_gen(generator).random(input.shape), dtype or input.dtype, requires_grad)
