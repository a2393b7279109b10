"""The dtypes a Tensor can hold and PyTorch's type-promotion rules.

Supported: bool, uint8, int8, int16, int32, int64, float16, float32, float64 (numpy dtypes).
Complex, object, string and datetime arrays are refused with a ``DTypeError`` naming the dtype.

Promotion follows ``torch.result_type`` (aten/src/ATen/native/TypeProperties.cpp): operands are
ranked in three classes, tensors with dimensions, zero-dimensional tensors, and Python (or
numpy) scalars ("wrapped numbers"); each class promotes within itself, and a lower class only
matters when its *category* (bool < integer < floating) is higher than the classes above it.
So a float32 tensor stays float32 with a Python float, a float64 0-d tensor or ``np.float64(2)``,
while an int64 tensor times 2.5 gives the default float dtype, float32. Between a float and an
integer dtype the float wins (int64 * float32 is float32, where numpy gives float64).
"""

import numbers

import numpy as np

from .errors import DTypeError

__all__ = ["SUPPORTED", "get_default_dtype", "promote_types", "result_type", "check_supported",
           "is_floating", "category", "dtype", "as_dtype", "DTYPES"]

SUPPORTED = tuple(np.dtype(t) for t in (np.bool_, np.uint8, np.int8, np.int16, np.int32,
                                        np.int64, np.float16, np.float32, np.float64))
_SUPPORTED = frozenset(SUPPORTED)
_DEFAULT_FLOAT = np.dtype(np.float32)
_INT64 = np.dtype(np.int64)
_BOOL = np.dtype(np.bool_)
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def get_default_dtype():
    """The dtype of floating point tensors made from Python floats: float32 (PyTorch's)."""
    return _DEFAULT_FLOAT


def category(dtype):
    """0 for bool, 1 for integers, 2 for floating point."""
    return _CATEGORY[dtype.kind]


def is_floating(dtype):
    """True for float16/32/64."""
    return dtype.kind == "f"


def check_supported(dtype, op):
    """``dtype`` as an ``np.dtype`` if a Tensor can hold it, else a ``DTypeError`` naming
    ``op`` and the dtype."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise DTypeError(f"{op}: {dtype!r} is not a dtype") from None
    if dt not in _SUPPORTED:
        raise DTypeError(f"{op}: dtype {dt} is not supported (supported: bool, uint8, int8, "
                         "int16, int32, int64, float16, float32, float64)")
    return dt


def promote_types(a, b):
    """``torch.promote_types``: the smallest dtype both ``a`` and ``b`` convert to, except that
    a floating dtype beats any integer one (int64 + float16 -> float16)."""
    if a is b or a == b:
        return a
    ka, kb = a.kind, b.kind
    if ka == "f" and kb != "f":
        return a
    if kb == "f" and ka != "f":
        return b
    return np.promote_types(a, b)


def _promote(current, dtype):
    return dtype if current is None else promote_types(current, dtype)


def is_number_like(x):
    """True for Python and numpy scalars (not complex)."""
    return isinstance(x, (numbers.Number, np.generic)) and not isinstance(x, complex)


def scalar_dtype(value):
    """The dtype a Python or numpy scalar stands for in promotion (a "wrapped number"): bool,
    int64 for integers, the default float dtype for floats."""
    if isinstance(value, (bool, np.bool_)):
        return _BOOL
    if isinstance(value, (numbers.Integral, np.integer)):
        return _INT64
    if isinstance(value, (numbers.Real, np.floating)):
        return _DEFAULT_FLOAT
    raise DTypeError(f"cannot use {type(value).__name__} {value!r} as a number "
                     "(complex numbers are not supported)")


def _combine(higher, lower):
    """``combine_categories``: ``lower`` only counts when its category is higher."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return promote_types(higher, lower)
    return higher


def result_type(*operands):
    """``torch.result_type`` of Tensors (anything with ``.dtype`` and ``.ndim``) and scalars."""
    dim = zero = wrapped = None
    for x in operands:
        if isinstance(x, (numbers.Number, np.generic)):
            wrapped = _promote(wrapped, scalar_dtype(x))
        elif x.ndim:
            dim = _promote(dim, x.dtype)
        else:
            zero = _promote(zero, x.dtype)
    return _combine(dim, _combine(zero, wrapped))


# -- the public dtype objects (``autograd.float32``, ``Tensor.dtype``) ---------------------
class dtype:
    """A tensor element type (``torch.dtype``): ``autograd.float32``, ``autograd.int64``, ...

    One object per supported numpy dtype, printed as PyTorch prints its dtypes but with this
    framework's name (``autograd.float32``). It stands for its numpy dtype everywhere: it
    compares equal to it (``t.dtype == np.float32``, ``np.dtype('float32') == t.dtype``), hashes
    like it, and numpy accepts it wherever a dtype is expected (``np.zeros(3, t.dtype)``,
    ``np.dtype(t.dtype)``), through numpy's protocol of a ``.dtype`` attribute holding the
    ``np.dtype``. Attributes numpy's dtype has (``kind``, ``itemsize``, ``char``, ...) read
    through; PyTorch's ``is_floating_point``, ``is_signed``, ``is_complex`` and ``itemsize``
    are there too.
    """

    __slots__ = ("dtype", "name", "kind", "itemsize")

    def __init__(self, np_dtype):
        self.dtype = np.dtype(np_dtype)
        self.name, self.kind, self.itemsize = self.dtype.name, self.dtype.kind, \
            self.dtype.itemsize

    is_floating_point = property(lambda self: self.kind == "f")
    is_complex = property(lambda self: False)
    is_signed = property(lambda self: self.kind in "if")

    def __getattr__(self, name):             # numpy's other dtype attributes (char, type, ...)
        return getattr(self.dtype, name)

    def __eq__(self, other):
        if isinstance(other, dtype):
            return self.dtype == other.dtype
        if isinstance(other, np.dtype) or (isinstance(other, type) and
                                           issubclass(other, np.generic)):
            return self.dtype == np.dtype(other)
        return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return f"autograd.{_PUBLIC_NAME[self.name]}"

    __str__ = __repr__

    def __reduce__(self):
        return as_dtype, (self.name,)

    def to_real(self):
        return self


_PUBLIC_NAME = {"bool": "bool", "uint8": "uint8", "int8": "int8", "int16": "int16",
                "int32": "int32", "int64": "int64", "float16": "float16", "float32": "float32",
                "float64": "float64"}
#: np.dtype -> the framework's dtype object, one per supported dtype.
DTYPES = {d: dtype(d) for d in SUPPORTED}


def as_dtype(value):
    """The framework's dtype object for ``value`` (a dtype object, an ``np.dtype``, a numpy
    scalar type or a name); DTypeError for unsupported ones."""
    if isinstance(value, dtype):
        return value
    try:
        return DTYPES[np.dtype(value)]
    except KeyError:
        d = np.dtype(value)
        native = DTYPES.get(d.newbyteorder("="))      # big-endian arrays (IDX files)
        if native is None:
            check_supported(d, "dtype")
        return native
    except TypeError:
        raise DTypeError(f"{value!r} is not a dtype") from None
