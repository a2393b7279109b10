"""``Tensor``: a numpy array that records the operations applied to it (define-by-run).

Storage and properties live here; every operator and method is one line that calls an op's
``Function.apply`` (the ops and their derivative rules are in ``autograd/ops/``).
"""

import numbers

import numpy as np

from . import grad_mode
from .errors import DTypeError, InplaceError

__all__ = ["Tensor"]

_mode = grad_mode._mode
_new = object.__new__
_ndarray = np.ndarray


def _default_array(data, dtype=None):
    """Turn ``data`` into an ndarray with PyTorch's dtype rules.

    ndarrays and numpy scalars keep their dtype; Python floats (and lists of them) become
    float32, Python ints int64, bools bool. ``dtype`` overrides all of these.
    """
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        return np.array(data, dtype=np.dtype(dtype))
    if isinstance(data, (np.ndarray, np.generic)):
        return np.array(data)
    arr = np.array(data)
    if arr.dtype == np.float64:
        return arr.astype(np.float32)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    if arr.dtype.kind not in "fb":
        raise DTypeError(f"tensor(): cannot make a tensor from data of dtype {arr.dtype}")
    return arr


class Tensor:
    """An n-dimensional array that can take part in automatic differentiation.

    Parameters
    ----------
    data : array_like
        Values; copied. Python floats become float32 (as in PyTorch), ndarrays keep their dtype.
    requires_grad : bool
        Record operations on this tensor so that ``backward`` computes ``.grad`` for it.
    dtype : numpy dtype, optional

    Attributes
    ----------
    data : numpy.ndarray
        The values.
    grad : Tensor or None
        The gradient accumulated by ``backward`` (leaves only, or after ``retain_grad``);
        assignable, ``x.grad = None`` clears it. Gradients *accumulate* over calls to
        ``backward``, as in PyTorch: clear them between steps (``optimizer.zero_grad()``).
    grad_fn : Function or None
        The op that produced this tensor (None for leaves).

    Raises
    ------
    DTypeError
        When an integer or bool tensor is asked to require gradients.
    """

    # _version: the in-place clock's value at this tensor's last in-place change (see function.py)
    __slots__ = ("data", "grad", "requires_grad", "grad_fn", "_version", "_hooks",
                 "__weakref__")
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected operators

    def __init__(self, data, requires_grad=False, dtype=None):
        self.data = _default_array(data, dtype)
        self.grad = None
        self.grad_fn = None
        self._version = 0
        self._hooks = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @staticmethod
    def _wrap(array):
        """A new leaf around ``array`` without copying (the ops' fast path)."""
        t = _new(Tensor)
        t.data = array if array.__class__ is _ndarray else np.asarray(array)
        t.grad = None
        t.requires_grad = False
        t.grad_fn = None
        t._version = 0
        t._hooks = None
        return t

    # -- properties ------------------------------------------------------------------------
    shape = property(lambda self: self.data.shape, doc="The shape, a tuple of ints.")
    dtype = property(lambda self: self.data.dtype, doc="The numpy dtype.")
    ndim = property(lambda self: self.data.ndim, doc="Number of dimensions.")
    is_leaf = property(lambda self: self.grad_fn is None,
                       doc="True for tensors not produced by a recorded op.")
    device = property(lambda self: "cpu", doc="Always 'cpu' (numpy storage).")
    T = property(lambda self: self.permute(*range(self.ndim - 1, -1, -1)),
                 doc="All dimensions reversed.")
    mT = property(lambda self: self.transpose(-2, -1), doc="The last two dimensions swapped.")

    def size(self, dim=None):
        """The shape, or its entry at ``dim``."""
        return self.data.shape if dim is None else self.data.shape[dim]

    def dim(self):
        return self.data.ndim

    def numel(self):
        return self.data.size

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def numpy(self):
        """The data as an ndarray (shared, not copied); refused when it requires grad."""
        if self.requires_grad:
            raise RuntimeError("numpy(): the tensor requires grad; call tensor.detach().numpy()")
        return self.data

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item(): the tensor has {self.data.size} elements, not 1 "
                             f"(shape {self.shape})")
        return self.data.item()

    def tolist(self):
        return self.data.tolist()

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(f"the truth value of a tensor with {self.data.size} elements is "
                             "ambiguous; use .any() or .all()")
        return bool(self.data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.data.dtype.kind not in "iu" or self.data.size != 1:
            raise TypeError("only one-element integer tensors can be used as an index")
        return int(self.data.item())

    __hash__ = object.__hash__  # __eq__ is elementwise, identity stays the hash

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(",
                               precision=4, threshold=200)
        extra = ""
        if self.dtype not in (np.float32, np.int64, np.bool_):
            extra += f", dtype={self.dtype}"
        if self.grad_fn is not None:
            extra += f", grad_fn={self.grad_fn!r}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    # -- autograd --------------------------------------------------------------------------
    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place (leaves only); returns self.

        Raises
        ------
        DTypeError
            For integer or bool tensors (only floating point tensors have gradients).
        """
        if requires_grad and self.data.dtype.kind not in "fc":
            raise DTypeError(f"only floating point tensors can require gradients, "
                             f"got dtype {self.data.dtype} (shape {self.shape})")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("requires_grad_(False) on a non-leaf tensor; use detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def backward(self, gradient=None, retain_graph=False, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (see ``autograd.engine``).

        ``gradient`` (same shape as self) is required unless self has one element.
        """
        _engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def detach(self):
        """A new leaf sharing the data, cut from the graph."""
        return Tensor._wrap(self.data)

    def detach_(self):
        self.grad_fn = None
        self.requires_grad = False
        return self

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        _engine.retain_grad(self)

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; a non-None return
        replaces the gradient. Returns a handle whose ``remove()`` unregisters it."""
        return _engine.register_hook(self, hook)

    # -- arithmetic operators (elementwise, broadcasting) ----------------------------------
    def __add__(self, other):
        return _arith(_el.Add, self, other)

    def __radd__(self, other):
        return _arith(_el.Add, _operand(other, self), self)

    def __sub__(self, other):
        return _arith(_el.Sub, self, other)

    def __rsub__(self, other):
        return _arith(_el.Sub, _operand(other, self), self)

    def __mul__(self, other):
        return _arith(_el.Mul, self, other)

    def __rmul__(self, other):
        return _arith(_el.Mul, _operand(other, self), self)

    def __truediv__(self, other):
        return _el.Div.apply(self, _operand(other, self))

    def __rtruediv__(self, other):
        return _el.Div.apply(_operand(other, self), self)

    def __pow__(self, exponent):
        return _el.pow(self, exponent)

    def __rpow__(self, base):
        return _el.Pow.apply(_operand(base, self), self)

    def __neg__(self):
        return _el.Neg.apply(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return _el.Abs.apply(self)

    def __matmul__(self, other):
        return _la.matmul(self, _operand(other, self))

    def __rmatmul__(self, other):
        return _la.matmul(_operand(other, self), self)

    # comparisons: bool tensors, no gradient
    def __eq__(self, other):
        return Tensor._wrap(self.data == _value(other))

    def __ne__(self, other):
        return Tensor._wrap(self.data != _value(other))

    def __lt__(self, other):
        return Tensor._wrap(self.data < _value(other))

    def __le__(self, other):
        return Tensor._wrap(self.data <= _value(other))

    def __gt__(self, other):
        return Tensor._wrap(self.data > _value(other))

    def __ge__(self, other):
        return Tensor._wrap(self.data >= _value(other))

    def __invert__(self):
        return Tensor._wrap(~self.data)

    def __and__(self, other):
        return Tensor._wrap(self.data & _value(other))

    def __or__(self, other):
        return Tensor._wrap(self.data | _value(other))

    eq, ne, lt, le, gt, ge = __eq__, __ne__, __lt__, __le__, __gt__, __ge__
    add, sub, mul, div, matmul = __add__, __sub__, __mul__, __truediv__, __matmul__
    neg, abs = __neg__, __abs__
    subtract, multiply, divide, true_divide = sub, mul, div, div

    def pow(self, exponent):
        return _el.pow(self, exponent)

    # -- elementwise functions -------------------------------------------------------------
    def exp(self):
        return _el.Exp.apply(self)

    def log(self):
        return _el.Log.apply(self)

    def sqrt(self):
        return _el.Sqrt.apply(self)

    def rsqrt(self):
        return _el.Sqrt.apply(self).reciprocal()

    def reciprocal(self):
        return _el.Div.apply(_operand(1.0, self), self)

    def square(self):
        return _el.Mul.apply(self, self)

    def sign(self):
        return Tensor._wrap(np.sign(self.data))

    def clamp(self, min=None, max=None):
        return _el.Clamp.apply(self, min, max)

    clip = clamp

    def maximum(self, other):
        return _el.Maximum.apply(self, _operand(other, self))

    def minimum(self, other):
        return _el.Minimum.apply(self, _operand(other, self))

    def sigmoid(self):
        return _act.Sigmoid.apply(self)

    def tanh(self):
        return _act.Tanh.apply(self)

    def relu(self):
        return _act.ReLU.apply(self)

    def softmax(self, dim):
        return _act.Softmax.apply(self, dim)

    def log_softmax(self, dim):
        return _act.LogSoftmax.apply(self, dim)

    def logsumexp(self, dim, keepdim=False):
        return _act.LogSumExp.apply(self, dim, keepdim)

    def masked_fill(self, mask, value):
        return _el.where(mask, _operand(value, self), self)

    # -- reductions ------------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False):
        return _red.Sum.apply(self, dim, keepdim)

    def mean(self, dim=None, keepdim=False):
        return _red.Mean.apply(self, dim, keepdim)

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return _red.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return _red.var(self, dim, unbiased, keepdim, correction=correction).sqrt()

    def max(self, dim=None, keepdim=False):
        return _red.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return _red.min(self, dim, keepdim)

    def amax(self, dim=None, keepdim=False):
        return _red.max(self, dim, keepdim)[0] if dim is not None else _red.max(self)

    def argmax(self, dim=None, keepdim=False):
        return _red.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return _red.argmin(self, dim, keepdim)

    def all(self):
        return Tensor._wrap(np.all(self.data))

    def any(self):
        return Tensor._wrap(np.any(self.data))

    def norm(self, p=2):
        return _red.norm(self, p)

    # -- shape -----------------------------------------------------------------------------
    def reshape(self, *shape):
        return _sh.Reshape.apply(self, _shape_arg(shape))

    view = reshape

    def view_as(self, other):
        return _sh.Reshape.apply(self, other.shape)

    def transpose(self, dim0, dim1):
        return _sh.transpose(self, dim0, dim1)

    def t(self):
        return _sh.transpose(self, 0, 1) if self.ndim == 2 else self

    def permute(self, *dims):
        return _sh.Permute.apply(self, _shape_arg(dims))

    def flatten(self, start_dim=0, end_dim=-1):
        return _sh.flatten(self, start_dim, end_dim)

    def squeeze(self, dim=None):
        return _sh.squeeze(self, dim)

    def unsqueeze(self, dim):
        return _sh.unsqueeze(self, dim)

    def expand(self, *sizes):
        return _sh.expand(self, _shape_arg(sizes))

    def expand_as(self, other):
        return _sh.expand(self, other.shape)

    def broadcast_to(self, shape):
        return _sh.expand(self, tuple(shape))

    def __getitem__(self, index):
        return _sh.getitem(self, index)

    def split(self, split_size, dim=0):
        return _sh.split(self, split_size, dim)

    def chunk(self, chunks, dim=0):
        return _sh.chunk(self, chunks, dim)

    def contiguous(self):
        return self

    def clone(self):
        return _el.Clone.apply(self)

    # -- dtype and device ------------------------------------------------------------------
    def to(self, *args, dtype=None, **kwargs):
        """``to(dtype)`` (differentiable cast), ``to("cpu")`` (no-op), ``to(other_tensor)``."""
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif not (isinstance(a, str) and a == "cpu"):
                dtype = a
        if dtype is None or np.dtype(dtype) == self.dtype:
            return self
        if np.dtype(dtype).kind not in "fc":   # integer results carry no gradient
            return Tensor._wrap(self.data.astype(dtype))
        return _el.Cast.apply(self, np.dtype(dtype))

    def type(self, dtype):
        return self.to(dtype)

    def cpu(self):
        return self

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def half(self):
        return self.to(np.float16)

    def long(self):
        return self.to(np.int64)

    def int(self):
        return self.to(np.int32)

    def bool(self):
        return self.to(np.bool_)

    def type_as(self, other):
        return self.to(other.dtype)

    def is_floating_point(self):
        return self.data.dtype.kind == "f"

    # -- in-place (bump the version counter so stale saved tensors are caught) -------------
    def _inplace(self, op_name):
        if _mode.enabled and self.requires_grad:
            kind = "a leaf" if self.grad_fn is None else "a"
            raise InplaceError(
                f"{op_name}: {kind} tensor that requires grad (shape {self.shape}) cannot be "
                "modified in place while recording; use the out-of-place op, or no_grad()")
        self._mark_modified()
        return self.data

    def _mark_modified(self):
        """Record that ``data`` was written in place, so stale saved copies are detected."""
        self._version = _function._inplace_clock.tick(self.data)

    def zero_(self):
        self._inplace("zero_")[...] = 0
        return self

    def fill_(self, value):
        self._inplace("fill_")[...] = _value(value)
        return self

    def copy_(self, src):
        self._inplace("copy_")[...] = _value(src)
        return self

    def add_(self, other, alpha=1):
        data = self._inplace("add_")
        data += _value(other) * alpha if alpha != 1 else _value(other)
        return self

    def sub_(self, other, alpha=1):
        return self.add_(other, alpha=-alpha)

    def mul_(self, other):
        data = self._inplace("mul_")
        data *= _value(other)
        return self

    def div_(self, other):
        data = self._inplace("div_")
        data /= _value(other)
        return self

    def clamp_(self, min=None, max=None):
        data = self._inplace("clamp_")
        np.clip(data, min, max, out=data)
        return self

    def __setitem__(self, index, value):
        self._inplace("__setitem__")[_index_value(index)] = _value(value)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)


def _arith(op, a, b):
    """``op.apply(a, b)`` for ``+ - *`` (``b`` may be a number); when nothing is recorded
    (``no_grad``, and every backward rule unless ``create_graph=True``) just the op's ufunc,
    without a graph node."""
    if b.__class__ is not Tensor:
        b = _operand(b, a)
    if _mode.enabled:
        return op.apply(a, b)
    return _el.ufunc_result(op, a, b)


def _value(x):
    """The ndarray (or Python scalar) behind ``x``."""
    return x.data if isinstance(x, Tensor) else x


def _index_value(index):
    if isinstance(index, tuple):
        return tuple(_value(i) for i in index)
    return _value(index)


def _operand(x, like):
    """``x`` as a Tensor: Python scalars take ``like``'s dtype (PyTorch: scalars don't promote),
    except a float scalar with an integer tensor, which gives float32."""
    if x.__class__ is Tensor or isinstance(x, Tensor):
        return x
    if isinstance(x, numbers.Number) and not isinstance(x, np.generic):
        kind = like.data.dtype.kind
        if kind in "fc" or (kind in "iu" and not isinstance(x, float)) or isinstance(x, bool):
            return Tensor._wrap(np.asarray(x, dtype=like.data.dtype))
        return Tensor._wrap(np.asarray(x, dtype=np.float32))
    return Tensor(x)


def _shape_arg(shape):
    """Accept both ``reshape(2, 3)`` and ``reshape((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


from . import engine as _engine  # noqa: E402  (the modules below import Tensor)
from . import function as _function  # noqa: E402
from .ops import activation as _act  # noqa: E402
from .ops import elementwise as _el  # noqa: E402
from .ops import linalg as _la  # noqa: E402
from .ops import reduction as _red  # noqa: E402
from .ops import shape as _sh  # noqa: E402
