"""Tensor's operators and op methods, attached to ``Tensor`` once the ops exist (so the import
graph runs one way: ``tensor -> graph -> function -> ops -> tensor_methods``).

Each method is one line that calls an op; the ufunc operators go straight to the table's
recording path (``ops/ufuncs.py``). In-place methods follow PyTorch:

* with nothing to record (``no_grad``, or no operand requires grad) they write the storage
  and bump its version counter, so nodes that saved it refuse to backpropagate
  (``InplaceError``) instead of using the new values;
* while recording, on a non-leaf, they compute the op out of place on the old values, write the
  result into the storage and make the new node the tensor's ``grad_fn`` (``x += y`` in a
  ResNet block works); on a leaf that requires grad, or on a storage a recorded view shares,
  they raise ``InplaceError`` (PyTorch rebases views' histories; here that would be silently
  wrong, so it is refused).
"""

import weakref

import numpy as np

from . import dtypes, engine, grad_mode, validate
from .device import device, parse_to
from .dims import normalize_dim
from .errors import (ArgumentError, BackwardError, DeviceError, DTypeError, InplaceError,
                     ShapeError)
from .ops import activation as act
from .ops import elementwise as el
from .ops import index as ix
from .ops import linalg as la
from .ops import reduction as red
from .ops import shape as sh
from .ops import ufuncs as uf
from .random import numpy_generator
from .tensor import Tensor, bump_version, is_number, wrap
from .utils.hooks import RemovableHandle

__all__ = []

_grad_enabled = grad_mode.grad_enabled.get
_unary, _binary, _rbinary = uf.unary, uf.binary, uf.rbinary
_CPU = device("cpu")


def _shape_args(shape):
    """Accept both ``reshape(2, 3)`` and ``reshape((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def _value(x):
    return x._data if isinstance(x, Tensor) else x


def _compare(ufunc, a, b):
    """A bool Tensor, no gradient (``==``, ``<``, ...)."""
    if not isinstance(b, Tensor) and not is_number(b):
        if isinstance(b, (list, tuple, np.ndarray)):
            b = np.asarray(b)
        else:
            return NotImplemented
    try:
        return wrap(ufunc(a._data, _value(b)))
    except ValueError:
        raise ShapeError(f"{ufunc.__name__}: shapes {tuple(a.shape)} and {np.shape(_value(b))} are "
                         "not broadcastable") from None


def _bitwise(ufunc, a, b):
    if a.dtype.kind not in "biu":
        raise DTypeError(f"{ufunc.__name__}: needs bool or integer tensors, got {a.dtype}")
    return wrap(ufunc(a._data, _value(b)))


# -- the in-place machinery ----------------------------------------------------------------
def _recording(self, *others):
    return _grad_enabled() and (self.requires_grad or any(
        isinstance(o, Tensor) and o.requires_grad for o in others))


def _check_rebase(self, op):
    if self.grad_fn is None and self.requires_grad:
        raise InplaceError(f"{op}: a leaf tensor that requires grad (shape {tuple(self.shape)}) "
                           "cannot "
                           "be modified in place while recording; wrap the update in "
                           "autograd.no_grad(), or use the out-of-place op")
    v = self._version
    if v is not None and v.shared:
        raise InplaceError(f"{op}: the tensor (shape {tuple(self.shape)}) shares its storage "
                           "with a "
                           "recorded view (or is one); modifying it in place while recording "
                           "would leave that view's gradient wrong; use the out-of-place op")


def _cast_error(op, result, self):
    # PyTorch: RuntimeError "result type Float can't be cast to the desired output type Long"
    return InplaceError(f"{op}: result type {result} can't be cast to the tensor's dtype "
                        f"{self.dtype} in place (shape {tuple(self.shape)})")


def _check_inplace_dtype(op, self, other, true_division=False):
    """Refuse an in-place op whose result has a higher category than ``self`` (int += 1.5)."""
    kind = self._data.dtype.kind
    if kind == "f":
        return
    if true_division:
        raise _cast_error(op, dtypes.get_default_dtype(), self)
    if isinstance(other, Tensor) or dtypes.is_number_like(other):
        result = dtypes.result_type(self, other)
        if dtypes.category(result) > dtypes.category(self._data.dtype):
            raise _cast_error(op, result, self)


def _store(self, array, op):
    """Write ``array`` (the new values) into ``self``'s storage and bump its version."""
    if array.shape != self._data.shape:
        raise ShapeError(f"{op}: the result has shape {tuple(array.shape)} but the tensor "
                         "written in "
                         f"place has shape {tuple(self.shape)} (an in-place op cannot broadcast "
                         "the "
                         "tensor itself)")
    if dtypes.category(array.dtype) > dtypes.category(self._data.dtype):
        raise _cast_error(op, array.dtype, self)
    try:
        np.copyto(self._data, array, casting="unsafe")
    except ValueError:
        raise InplaceError(f"{op}: the tensor (shape {tuple(self.shape)}) is a read-only view "
                           "(e.g. "
                           "from expand); clone() it before writing in place") from None
    bump_version(self)


def _rebase(self, op, compute, uses_values, *others):
    """In place while recording: ``compute`` the op out of place on the old values, store the
    result, and take the new node as ``grad_fn``."""
    _check_rebase(self, op)
    old = wrap(self._data.copy() if uses_values else self._data)
    old.grad_fn, old.requires_grad = self.grad_fn, self.requires_grad
    result = compute(old)
    _store(self, result._data, op)
    self.grad_fn, self.requires_grad = result.grad_fn, result.requires_grad
    return self


def _inplace(self, op, compute, *others, uses_values=True):
    """An in-place op whose new values are ``compute(self)`` (any op of the framework)."""
    if _recording(self, *others):
        return _rebase(self, op, compute, uses_values, *others)
    with grad_mode.no_grad():
        result = compute(self)
    _store(self, result._data, op)
    return self


def _inplace_ufunc(self, op, cls, other, uses_values=True):
    """``self = cls(self, other)`` in place; without recording, one numpy ufunc with ``out=``
    (no temporary: the optimizers' hot path)."""
    _check_inplace_dtype(op, self, other, true_division=cls is uf.Div)
    if _recording(self, other):
        return _rebase(self, op, lambda t: _binary(cls, t, other), uses_values, other)
    x = self._data
    y = other._data if isinstance(other, Tensor) else other
    if isinstance(y, np.generic):
        y = y.item()
    try:
        cls.ufunc(x, y, out=x)
    except TypeError:      # numpy's UFuncTypeError: the result cannot be cast to x's dtype
        raise _cast_error(op, np.result_type(x, y), self) from None
    except ValueError as e:
        if "read-only" in str(e):
            raise InplaceError(f"{op}: the tensor (shape {tuple(self.shape)}) is a read-only view "
                               "(e.g. from expand); clone() it first") from None
        raise ShapeError(f"{op}: an operand of shape {np.shape(y)} cannot be broadcast to the "
                         f"tensor's shape {tuple(self.shape)} in place") from None
    bump_version(self)
    return self


def _fill_random(self, op, draw):
    """Fill ``self`` in place with ``draw(array)`` (which writes into ``array``)."""
    if _grad_enabled() and self.requires_grad:
        _check_rebase(self, op)
    draw(self._data)
    bump_version(self)
    return self


def _draw_into(x, sample):
    """``sample(out=, dtype=)`` straight into ``x`` when numpy can (float32/64, contiguous: no
    float64 temporary), else through a float64 draw."""
    if x.dtype in (np.float32, np.float64) and x.flags.c_contiguous:
        sample(out=x, dtype=x.dtype)
    else:
        x[...] = sample(size=x.shape)


def _cast(self, dtype, copy=False):
    if dtype is None or dtype == self._data.dtype:
        return self.clone() if copy else self
    if dtype.kind != "f":                   # integer results carry no gradient
        return wrap(self._data.astype(dtype))
    return el.Cast.apply(self, dtype)


def _scaled_product(a, b, value):
    """value * a * b in PyTorch's order ((value * a) * b)."""
    return a * b if value == 1 else a * value * b


def _scaled_quotient(a, b, value):
    """value * a / b in PyTorch's order ((value * a) / b)."""
    return a / b if value == 1 else a * value / b


class _ValuesIndices(tuple):
    """``(values, indices)`` with names, as PyTorch's ``torch.return_types`` of sort/topk."""

    __slots__ = ()

    def __new__(cls, values, indices):
        return super().__new__(cls, (values, indices))

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])


_TYPE_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor",
               "int64": "LongTensor", "int32": "IntTensor", "int16": "ShortTensor",
               "int8": "CharTensor", "uint8": "ByteTensor", "bool": "BoolTensor"}


class TensorMethods:
    """The definitions attached to ``Tensor`` (see the module docstring)."""

    # -- arithmetic operators (elementwise, broadcasting, PyTorch's promotion) -------------
    __add__ = uf.binary_operator(uf.Add)

    def __radd__(self, other):
        return _rbinary(uf.Add, self, other)

    __sub__ = uf.binary_operator(uf.Sub)

    def __rsub__(self, other):
        return _rbinary(uf.Sub, self, other)

    __mul__ = uf.binary_operator(uf.Mul)

    def __rmul__(self, other):
        return _rbinary(uf.Mul, self, other)

    __truediv__ = uf.binary_operator(uf.Div)

    def __rtruediv__(self, other):
        return _rbinary(uf.Div, self, other)

    def __pow__(self, exponent):
        if isinstance(exponent, Tensor):
            return _binary(uf.Pow, self, exponent)
        return _unary(uf.PowScalar, self, exponent.item() if isinstance(exponent, np.generic)
                      else exponent)

    def __rpow__(self, base):
        return _rbinary(uf.Pow, self, base)

    def __floordiv__(self, other):
        return wrap(np.floor_divide(self._data, _value(other)))   # no gradient, as PyTorch

    def __rfloordiv__(self, other):
        return wrap(np.floor_divide(_value(other), self._data))

    def __mod__(self, other):
        return wrap(np.mod(self._data, _value(other)))

    __neg__ = uf.unary_operator(uf.Neg)

    def __pos__(self):
        return self

    __abs__ = uf.unary_operator(uf.Abs)

    def __matmul__(self, other):
        return la.matmul(self, other)

    def __rmatmul__(self, other):
        return la.matmul(wrap(np.asarray(other)), self)

    # comparisons and logic: bool tensors, no gradient
    def __eq__(self, other):
        return _compare(np.equal, self, other)

    def __ne__(self, other):
        return _compare(np.not_equal, self, other)

    def __lt__(self, other):
        return _compare(np.less, self, other)

    def __le__(self, other):
        return _compare(np.less_equal, self, other)

    def __gt__(self, other):
        return _compare(np.greater, self, other)

    def __ge__(self, other):
        return _compare(np.greater_equal, self, other)

    def __invert__(self):
        return wrap(np.logical_not(self._data) if self.dtype == np.bool_ else ~self._data)

    def __and__(self, other):
        return _bitwise(np.bitwise_and, self, other)

    def __or__(self, other):
        return _bitwise(np.bitwise_or, self, other)

    def __xor__(self, other):
        return _bitwise(np.bitwise_xor, self, other)

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    __hash__ = Tensor.__hash__

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    greater, less, greater_equal, less_equal = gt, lt, ge, le

    def equal(self, other):
        """True if both have the same shape and elements (``torch.equal``)."""
        return self.shape == other.shape and bool(np.array_equal(self._data, other._data))

    def logical_not(self):
        return wrap(np.logical_not(self._data))

    def logical_and(self, other):
        return wrap(np.logical_and(self._data, _value(other)))

    def logical_or(self, other):
        return wrap(np.logical_or(self._data, _value(other)))

    def isnan(self):
        return wrap(np.isnan(self._data))

    def isinf(self):
        return wrap(np.isinf(self._data))

    def isfinite(self):
        return wrap(np.isfinite(self._data))

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        """True if all elements are close (``torch.allclose``)."""
        return bool(np.allclose(self._data, _value(other), rtol, atol, equal_nan))

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return wrap(np.isclose(self._data, _value(other), rtol, atol, equal_nan))

    # -- named arithmetic ------------------------------------------------------------------
    def add(self, other, *, alpha=1):
        """self + alpha * other (``torch.add``)."""
        return _binary(uf.Add, self, other if alpha == 1 else other * alpha)

    def sub(self, other, *, alpha=1):
        """self - alpha * other (``torch.sub``)."""
        return _binary(uf.Sub, self, other if alpha == 1 else other * alpha)

    def mul(self, other):
        return _binary(uf.Mul, self, other)

    def div(self, other, *, rounding_mode=None):
        """True division, or ``rounding_mode`` 'floor'/'trunc' (no gradient then)."""
        if rounding_mode is None:
            return _binary(uf.Div, self, other)
        rounded = {"floor": np.floor_divide, "trunc": lambda a, b: np.trunc(a / b)}
        if rounding_mode not in rounded:
            raise ArgumentError(f"div: rounding_mode must be None, 'floor' or 'trunc', got "
                             f"{rounding_mode!r}")
        return wrap(np.asarray(rounded[rounding_mode](self._data, _value(other))))

    subtract, multiply, divide, true_divide = sub, mul, div, div
    matmul = __matmul__

    def mm(self, mat2):
        return la.mm(self, mat2)

    def bmm(self, mat2):
        return la.bmm(self, mat2)

    def mv(self, vec):
        return la.mv(self, vec)

    def dot(self, other):
        return la.dot(self, other)

    def outer(self, vec2):
        return la.outer(self, vec2)

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        return la.addmm(self, mat1, mat2, beta=beta, alpha=alpha)

    def pow(self, exponent):
        return self.__pow__(exponent)

    neg = uf.unary_operator(uf.Neg)

    negative = neg

    abs = uf.unary_operator(uf.Abs)

    absolute = abs

    exp = uf.unary_operator(uf.Exp)

    def log(self):
        return _unary(uf.Log, self)

    def log1p(self):
        return _unary(uf.Log1p, self)

    def expm1(self):
        return _unary(uf.Expm1, self)

    def sqrt(self):
        return _unary(uf.Sqrt, self)

    def rsqrt(self):
        return _unary(uf.Rsqrt, self)

    def reciprocal(self):
        return _unary(uf.Reciprocal, self)

    def square(self):
        return _binary(uf.Mul, self, self)

    sign = uf.unary_operator(uf.Sign)

    def floor(self):
        return _unary(uf.Floor, self)

    def ceil(self):
        return _unary(uf.Ceil, self)

    def round(self, *, decimals=0):
        if decimals:
            scale = 10.0 ** decimals
            return (self * scale).round() / scale
        return _unary(uf.Round, self)

    def trunc(self):
        return _unary(uf.Trunc, self)

    fix = trunc

    sin = uf.unary_operator(uf.Sin)

    cos = uf.unary_operator(uf.Cos)

    tan = uf.unary_operator(uf.Tan)

    sigmoid = uf.unary_operator(uf.Sigmoid)

    tanh = uf.unary_operator(uf.Tanh)

    relu = uf.unary_operator(uf.ReLU)

    def clamp(self, min=None, max=None):
        return el.clamp(self, min, max)

    clip = clamp

    def clamp_min(self, min):
        return el.clamp(self, min, None)

    def clamp_max(self, max):
        return el.clamp(self, None, max)

    def maximum(self, other):
        """Elementwise maximum with Tensor ``other`` (PyTorch refuses numbers here: use
        ``clamp(min=...)``)."""
        return _binary(uf.Maximum, self, validate.tensor(other, "maximum", "other", 1))

    def minimum(self, other):
        """Elementwise minimum with Tensor ``other`` (``clamp(max=...)`` for a number)."""
        return _binary(uf.Minimum, self, validate.tensor(other, "minimum", "other", 1))

    def softmax(self, dim, dtype=None):
        return act.softmax(self, dim, dtype)

    def log_softmax(self, dim, dtype=None):
        return act.log_softmax(self, dim, dtype)

    def logsumexp(self, dim, keepdim=False):
        return act.logsumexp(self, dim, keepdim)

    def addcmul(self, tensor1, tensor2, *, value=1):
        """self + value * tensor1 * tensor2 (``torch.addcmul``)."""
        return self + _scaled_product(tensor1, tensor2, value)

    def addcdiv(self, tensor1, tensor2, *, value=1):
        """self + value * tensor1 / tensor2 (``torch.addcdiv``)."""
        return self + _scaled_quotient(tensor1, tensor2, value)

    def lerp(self, end, weight):
        """Linear interpolation self + weight * (end - self) (``torch.lerp``)."""
        return self + (end - self) * weight

    def masked_fill(self, mask, value):
        return el.where(mask, value, self)

    def where(self, condition, other):
        return el.where(condition, self, other)

    # -- reductions ------------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False, *, dtype=None):
        return red.sum(self, dim, keepdim, dtype=dtype)

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        return red.mean(self, dim, keepdim, dtype=dtype)

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return red.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return red.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim=None, keepdim=False):
        if isinstance(dim, Tensor):                 # torch.max(a, b) is maximum
            return self.maximum(dim)
        return red.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        return red.min(self, dim, keepdim)

    def amax(self, dim=(), keepdim=False):
        return red.amax(self, dim, keepdim)

    def amin(self, dim=(), keepdim=False):
        return red.amin(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return red.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return red.argmin(self, dim, keepdim)

    def all(self, dim=None, keepdim=False):
        axis = None if dim is None else red.normalize_dims(dim, self.shape, "all")
        return wrap(np.all(self._data, axis=axis, keepdims=keepdim))

    def any(self, dim=None, keepdim=False):
        axis = None if dim is None else red.normalize_dims(dim, self.shape, "any")
        return wrap(np.any(self._data, axis=axis, keepdims=keepdim))

    def sort(self, dim=-1, descending=False, stable=False):
        """(values, indices) sorted along ``dim`` (``torch.sort``); values are differentiable
        (a gather), ties keep their order."""
        indices = self.argsort(dim, descending, stable=True)
        return _ValuesIndices(self.gather(normalize_dim(dim, self.shape, "sort"), indices),
                              indices)

    def argsort(self, dim=-1, descending=False, stable=False):
        """Indices (int64) that sort the tensor along ``dim`` (``torch.argsort``); stable."""
        d = normalize_dim(dim, self.shape, "argsort")
        x = self._data
        if self.ndim == 0:
            return wrap(np.zeros((), np.int64))
        if descending:       # negate (in a signed type) so that the stable sort keeps ties
            x = ~x if x.dtype.kind == "b" else -(x.astype(np.int64) if x.dtype.kind in "iu"
                                                 else x)
        idx = np.argsort(x, axis=d, kind="stable")
        return wrap(idx.astype(np.int64, copy=False))

    def topk(self, k, dim=-1, largest=True, sorted=True):
        """(values, indices) of the ``k`` largest (or smallest) entries along ``dim``
        (``torch.topk``); values are differentiable.

        Raises
        ------
        ValueError
            ``k`` larger than the size of ``dim``.
        """
        d = normalize_dim(dim, self.shape, "topk")
        n = self.shape[d] if self.ndim else 1
        if not 0 <= k <= n:
            raise ValueError(f"topk: k ({k}) is out of range for dimension {d} of size {n} "
                             f"(shape {tuple(self.shape)})")
        indices = sh.narrow(self.argsort(d, descending=largest), d, 0, k) if self.ndim else \
            self.argsort()
        return _ValuesIndices(self.gather(d, indices), indices)

    def flip(self, *dims):
        """The entries in reverse order along ``dims`` (``torch.flip``), a copy."""
        dims = red.normalize_dims(_shape_args(dims), self.shape, "flip")
        index = tuple(slice(None, None, -1) if i in dims else slice(None)
                      for i in range(self.ndim))
        return sh.getitem(self, index).clone()

    def cumsum(self, dim, *, dtype=None):
        """Running sums along ``dim`` (``torch.cumsum``); the gradient is the reversed
        running sum of the gradient."""
        x = self if dtype is None else self.to(dtype)
        return red.cumsum(x, normalize_dim(dim, self.shape, "cumsum"))

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return red.norm(self, p, dim, keepdim, dtype)

    # -- shape -----------------------------------------------------------------------------
    def reshape(self, *shape):
        return sh.reshape(self, _shape_args(shape))

    def view(self, *shape):
        """A view with ``shape``; ShapeError where PyTorch's ``view`` would refuse (numpy
        would have to copy), so writes through it always reach the original."""
        try:
            out = sh.reshape(self, _shape_args(shape))
        except ShapeError as e:
            raise type(e)(str(e).replace("reshape:", "view:", 1)) from None
        if out is not self and self._data.size and not np.shares_memory(out._data, self._data):
            raise ShapeError(f"view: shape {_shape_args(shape)} is not compatible with the "
                             f"input's size and stride (shape {tuple(self.shape)}); use reshape()")
        return out

    def view_as(self, other):
        return self.view(other.shape)

    def reshape_as(self, other):
        return sh.reshape(self, other.shape)

    def transpose(self, dim0, dim1):
        return sh.transpose(self, dim0, dim1)

    swapaxes = transpose

    def t(self):
        return sh.t(self)

    def permute(self, *dims):
        return sh.permute(self, _shape_args(dims))

    def movedim(self, source, destination):
        return sh.movedim(self, source, destination)

    def flatten(self, start_dim=0, end_dim=-1):
        return sh.flatten(self, start_dim, end_dim)

    def unflatten(self, dim, sizes):
        return sh.unflatten(self, dim, sizes)

    def squeeze(self, dim=None):
        return sh.squeeze(self, dim)

    def unsqueeze(self, dim):
        return sh.unsqueeze(self, dim)

    def expand(self, *sizes):
        return sh.expand(self, _shape_args(sizes))

    def expand_as(self, other):
        return sh.expand(self, other.shape)

    def broadcast_to(self, shape):
        return sh.expand(self, tuple(shape))

    def sum_to_size(self, *size):
        return sh.sum_to(self, _shape_args(size))

    def repeat(self, *sizes):
        """Tile the tensor ``sizes`` times along each dim (``torch.Tensor.repeat``)."""
        sizes = tuple(validate.integer(s, "repeats", "repeat", minimum=0)
                      for s in _shape_args(sizes))
        if len(sizes) < self.ndim:
            raise ShapeError(f"repeat: {len(sizes)} repeats for a tensor of {self.ndim} dims")
        x = self.reshape((1,) * (len(sizes) - self.ndim) + self.shape)
        pairs = tuple(v for s in x.shape for v in (1, s))
        expanded = tuple(v for r, s in zip(sizes, x.shape) for v in (r, s))
        return x.reshape(pairs).expand(expanded).reshape(
            tuple(r * s for r, s in zip(sizes, x.shape)))

    def __getitem__(self, index):
        return sh.getitem(self, index)

    def gather(self, dim, index, *, sparse_grad=False):
        return ix.gather(self, dim, index)

    def scatter(self, dim, index, src=None, *, value=None, reduce=None):
        return ix.scatter(self, dim, index, src, value=value, reduce=reduce)

    def scatter_add(self, dim, index, src):
        return ix.scatter_add(self, dim, index, src)

    def index_select(self, dim, index):
        """The entries at ``index`` (a 1-D or 0-d integer tensor) along ``dim``
        (``torch.index_select``); differentiable like indexing."""
        d = normalize_dim(dim, self.shape, "index_select")
        if not isinstance(index, Tensor) or index.dtype.kind not in "iu" or index.ndim > 1:
            raise DTypeError(f"index_select(): index must be a 1-D integer tensor, got "
                             f"{getattr(index, 'dtype', type(index).__name__)} of shape "
                             f"{getattr(index, 'shape', None)}")
        return sh.getitem(self, (slice(None),) * d + (index.reshape(-1),))

    def masked_select(self, mask):
        """The 1-D tensor of the entries where the bool ``mask`` (broadcast) is True."""
        shape = np.broadcast_shapes(self.shape, mask.shape)
        return sh.getitem(self.expand(shape), mask.expand(shape))

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self)))

    def split(self, split_size, dim=0):
        return sh.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return sh.chunk(self, chunks, dim)

    def unbind(self, dim=0):
        return tuple(t.squeeze(dim) for t in sh.split(self, 1, dim))

    def narrow(self, dim, start, length):
        return sh.narrow(self, dim, start, length)

    def contiguous(self):
        return self if self._data.flags.c_contiguous else self.clone()

    def is_contiguous(self):
        return bool(self._data.flags.c_contiguous)

    def clone(self):
        return el.Clone.apply(self)

    T = property(lambda self: self.permute(*range(self.ndim - 1, -1, -1)),
                 doc="All dimensions reversed.")
    mT = property(lambda self: self.transpose(-2, -1), doc="The last two dimensions swapped.")

    # -- dtype and device ------------------------------------------------------------------
    def to(self, *args, dtype=None, device=None, copy=False, non_blocking=False):
        """``to(dtype)`` (differentiable cast), ``to('cpu')``/``to(device)`` (the CPU: no-op),
        ``to(other)`` (other's dtype); ``copy=True`` always copies.

        Raises
        ------
        DeviceError
            For a device other than the CPU (a RuntimeError).
        """
        return _cast(self, parse_to(args, dtype, device, "to"), copy)

    def type(self, dtype=None):
        """The type name (``'torch.FloatTensor'`` style) without argument, else a cast."""
        if dtype is None:
            return "autograd." + _TYPE_NAMES.get(self.dtype.name, "Tensor")
        return self.to(dtype)

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        raise DeviceError("cuda(): this framework runs on the CPU only (numpy storage); "
                           "remove .cuda() or use .to(device) with device 'cpu'")

    device = property(lambda self: _CPU, doc="Always the CPU.")
    is_cuda = property(lambda self: False, doc="Always False: tensors live on the CPU.")

    def float(self):
        return _cast(self, np.dtype(np.float32))

    def double(self):
        return _cast(self, np.dtype(np.float64))

    def half(self):
        return _cast(self, np.dtype(np.float16))

    def long(self):
        return _cast(self, np.dtype(np.int64))

    def int(self):
        return _cast(self, np.dtype(np.int32))

    def bool(self):
        return _cast(self, np.dtype(np.bool_))

    def byte(self):
        return _cast(self, np.dtype(np.uint8))

    def type_as(self, other):
        return _cast(self, other.dtype)

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        from .creation import tensor
        return tensor(data, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        from .creation import zeros
        return zeros(*size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        from .creation import ones
        return ones(*size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        from .creation import full
        return full(size, fill_value, dtype=dtype or self.dtype, device=device,
                    requires_grad=requires_grad)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return self.new_zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)

    # -- autograd --------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (see ``autograd.engine``).

        ``gradient`` (same shape as self) is required unless self has one element.
        """
        engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a returned Tensor (of
        the same shape and dtype) replaces the gradient. Returns a ``RemovableHandle``.

        Raises
        ------
        BackwardError
            When the tensor does not require grad (a RuntimeError, as PyTorch raises).
        """
        if not self.requires_grad:
            raise BackwardError("register_hook: cannot register a hook on a tensor that "
                                "doesn't require gradient")
        owner = self if self.grad_fn is None else self.grad_fn
        if owner._hooks is None:
            owner._hooks = {}
        handle = RemovableHandle(owner._hooks)
        owner._hooks[handle.id] = hook
        return handle

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        if self.grad_fn is None or self.retains_grad:
            return
        ref = weakref.ref(self)           # the node must not keep its own output alive

        def store(g):
            t = ref()
            if t is not None:
                g = g if g.requires_grad else wrap(np.array(g._data, copy=True))
                t._grad = g if t._grad is None else t._grad + g

        store.retains_grad = ref
        self.register_hook(store)

    @property
    def retains_grad(self):
        """True after ``retain_grad()`` on a non-leaf."""
        hooks = self.grad_fn._hooks if self.grad_fn is not None else None
        return bool(hooks) and any(getattr(h, "retains_grad", None) is not None and
                                   h.retains_grad() is self for h in hooks.values())

    # -- in place --------------------------------------------------------------------------
    def add_(self, other, *, alpha=1):
        return _inplace_ufunc(self, "add_", uf.Add, other if alpha == 1 else other * alpha,
                              uses_values=False)

    def sub_(self, other, *, alpha=1):
        return _inplace_ufunc(self, "sub_", uf.Sub, other if alpha == 1 else other * alpha,
                              uses_values=False)

    def mul_(self, other):
        return _inplace_ufunc(self, "mul_", uf.Mul, other)

    def div_(self, other):
        return _inplace_ufunc(self, "div_", uf.Div, other)

    __iadd__, __isub__, __imul__, __itruediv__ = add_, sub_, mul_, div_

    def pow_(self, exponent):
        return _inplace(self, "pow_", lambda t: t ** exponent, exponent)

    def neg_(self):
        return _inplace(self, "neg_", lambda t: -t, uses_values=False)

    def exp_(self):
        return _inplace(self, "exp_", lambda t: t.exp())

    def sqrt_(self):
        return _inplace(self, "sqrt_", lambda t: t.sqrt())

    def relu_(self):
        return _inplace(self, "relu_", lambda t: t.relu())

    def sigmoid_(self):
        return _inplace(self, "sigmoid_", lambda t: t.sigmoid())

    def tanh_(self):
        return _inplace(self, "tanh_", lambda t: t.tanh())

    def clamp_(self, min=None, max=None):
        return _inplace(self, "clamp_", lambda t: el.clamp(t, min, max), min, max)

    clip_ = clamp_

    def masked_fill_(self, mask, value):
        return _inplace(self, "masked_fill_", lambda t: el.where(mask, value, t), value)

    def addcmul_(self, tensor1, tensor2, *, value=1):
        """self += value * tensor1 * tensor2 (``torch.Tensor.addcmul_``)."""
        return _inplace(self, "addcmul_", lambda t: t + _scaled_product(tensor1, tensor2, value),
                        tensor1, tensor2, uses_values=False)

    def addcdiv_(self, tensor1, tensor2, *, value=1):
        """self += value * tensor1 / tensor2 (``torch.Tensor.addcdiv_``)."""
        return _inplace(self, "addcdiv_", lambda t: t + _scaled_quotient(tensor1, tensor2, value),
                        tensor1, tensor2, uses_values=False)

    def lerp_(self, end, weight):
        """self += weight * (end - self) (``torch.Tensor.lerp_``)."""
        return _inplace(self, "lerp_", lambda t: t.lerp(end, weight), end, weight)

    def scatter_(self, dim, index, src=None, *, value=None, reduce=None):
        """``scatter`` in place (``torch.Tensor.scatter_``): the one-hot idiom
        ``zeros(10).scatter_(0, label, value=1)``."""
        return _inplace(self, "scatter_", lambda t: ix.scatter(t, dim, index, src, value=value,
                                                               reduce=reduce), src)

    def scatter_add_(self, dim, index, src):
        """``scatter_add`` in place (``torch.Tensor.scatter_add_``)."""
        return _inplace(self, "scatter_add_", lambda t: ix.scatter_add(t, dim, index, src), src,
                        uses_values=False)

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        if _recording(self, value):
            return _rebase(self, "fill_", lambda t: t * 0 + value, False, value)
        self._data[...] = _value(value)
        bump_version(self)
        return self

    def copy_(self, src, non_blocking=False):
        """Copy ``src`` (broadcast, cast to this dtype) into this tensor."""
        if not isinstance(src, Tensor):
            src = wrap(np.asarray(src))
        if _recording(self, src):
            return _rebase(self, "copy_", lambda t: _cast(src, self._data.dtype)
                           .expand(self.shape) + t * 0, False, src)
        try:
            np.copyto(self._data, src._data, casting="unsafe")
        except ValueError:
            raise ShapeError(f"copy_: source of shape {tuple(src.shape)} cannot be broadcast to "
                             f"{tuple(self.shape)}") from None
        bump_version(self)
        return self

    def __setitem__(self, index, value):
        if _recording(self, value):
            _rebase(self, "__setitem__", lambda t: sh.setitem(t, index, value), False, value)
            return
        sh.assign(self, index, value)
        bump_version(self)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        """Fill with N(mean, std^2) samples drawn in the tensor's dtype
        (``torch.Tensor.normal_``)."""
        rng = numpy_generator(generator)

        def draw(x):
            _draw_into(x, rng.standard_normal)
            if std != 1:
                x *= std
            if mean != 0:
                x += mean
        return _fill_random(self, "normal_", draw)

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        """Fill with U(a, b) samples drawn in the tensor's dtype (``torch.Tensor.uniform_``)."""
        rng = numpy_generator(generator)

        def draw(x):
            _draw_into(x, rng.random)
            if b - a != 1:
                x *= b - a
            if a != 0:
                x += a
        return _fill_random(self, "uniform_", draw)

    def bernoulli_(self, p=0.5, *, generator=None):
        """Fill with 1 (probability ``p``) or 0."""
        rng = numpy_generator(generator)

        def draw(x):
            x[...] = rng.random(x.shape) < p
        return _fill_random(self, "bernoulli_", draw)


def _attach():
    for name, value in vars(TensorMethods).items():
        if name.startswith("__") and name not in _DUNDERS:
            continue
        setattr(Tensor, name, value)


_DUNDERS = {n for n in vars(TensorMethods) if n.startswith("__") and n.endswith("__")} - {
    "__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__firstlineno__",
    "__static_attributes__"}

_attach()
