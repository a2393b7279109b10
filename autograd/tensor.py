"""``Tensor``: a numpy array that records the operations applied to it (define-by-run).

This module holds the storage, the properties and the autograd attributes. The operators and
op methods (``+``, ``exp``, ``sum``, ``reshape``, ``backward``, ...) are attached by
``autograd/tensor_methods.py`` once the ops exist, so the import order is one way:
``tensor -> graph -> function -> ops -> tensor_methods -> engine``.

Storage and versions
--------------------
The values live in ``Tensor._data`` (an ndarray; inside ``autograd`` only). ``Tensor.data`` is
PyTorch's: another Tensor on the same storage, cut from the graph. Every in-place write bumps
the storage's *version counter*, one object shared by a tensor and all its views, aliases,
``detach()`` and ``.data`` (PyTorch's shared version counter). The counter holds the tick of the
last write, from the same clock that numbers graph nodes, so a node knows that a tensor it saved
is stale when the tensor's counter is younger than the node. Counters are made lazily: a tensor
that was never viewed or written has none.
"""

import itertools
import numbers

import numpy as np

from . import dtypes as _dtypes
from .errors import ArgumentTypeError, BackwardError, DTypeError, ShapeError
from .size import Size

__all__ = ["Tensor"]

_new = object.__new__
_ndarray = np.ndarray
_DTYPE_OF = _dtypes.DTYPES.get
_tuple_new = tuple.__new__

#: One clock for graph nodes (their creation order) and in-place writes (their version ticks).
clock = itertools.count(1)


class Version:
    """A storage's version counter, shared by every Tensor that views that storage.

    ``tick`` is the clock value of the last in-place write (0: never written); ``shared`` is
    True once a second Tensor (a view, an alias, ``detach()``) uses the storage.
    """

    __slots__ = ("tick", "shared")

    def __init__(self):
        self.tick = 0
        self.shared = False


def wrap(array):
    """A new leaf Tensor around ``array`` without copying (the ops' constructor; numpy scalars
    from 0-d arithmetic become 0-d arrays)."""
    t = _new(Tensor)
    t._data = array if type(array) is _ndarray else np.asarray(array)
    t._grad = None
    t.requires_grad = False
    t.grad_fn = None
    t._version = None
    t._hooks = None
    return t


def alias(tensor, array=None):
    """A new leaf Tensor on ``tensor``'s storage (or on ``array``, a view of it) sharing its
    version counter: ``detach()``, ``.data`` and the view ops use it."""
    t = wrap(tensor._data if array is None else array)
    t._version = share_version(tensor)
    return t


def share_version(tensor):
    """``tensor``'s version counter, made if it had none, marked as shared."""
    v = tensor._version
    if v is None:
        v = tensor._version = Version()
    v.shared = True
    return v


def version_of(tensor):
    """``tensor``'s version counter, made if it had none (not marked as shared)."""
    v = tensor._version
    if v is None:
        v = tensor._version = Version()
    return v


def bump_version(tensor):
    """Record an in-place write to ``tensor``'s storage (stale for nodes older than now)."""
    v = tensor._version
    if v is None:
        v = tensor._version = Version()
    v.tick = next(clock)


def as_array(data, dtype=None, op="tensor"):
    """``data`` as a new ndarray with PyTorch's dtype rules (``torch.tensor``).

    Python floats (and lists of them) become the default float dtype (float32), Python ints
    int64, bools bool; ndarrays and numpy scalars keep their dtype; ``dtype`` overrides.

    Raises
    ------
    DTypeError
        Unsupported dtypes (complex, object, strings), naming the dtype.
    ShapeError
        Ragged nested sequences.
    """
    if isinstance(data, Tensor):
        data = data._data
    elif isinstance(data, (list, tuple)):
        data = _unwrap_nested(data)
    want = None if dtype is None else _dtypes.check_supported(dtype, op)
    try:
        arr = np.array(data, dtype=want)
    except ValueError as e:
        if "inhomogeneous" in str(e) or "sequence" in str(e):
            raise ShapeError(f"{op}: the nested sequences have different lengths (ragged), so "
                             "they do not form a tensor") from None
        raise DTypeError(f"{op}: cannot make a tensor of dtype {want} from {data!r:.80}: {e}"
                         ) from None
    except TypeError as e:
        raise DTypeError(f"{op}: cannot make a tensor from {type(data).__name__}: {e}"
                         ) from None
    if want is None and not isinstance(data, (np.ndarray, np.generic)):
        if arr.dtype.kind == "f":
            arr = arr.astype(_dtypes.get_default_dtype(), copy=False)
        elif arr.dtype.kind in "iu":
            arr = arr.astype(np.int64, copy=False)
    _dtypes.check_supported(arr.dtype, op)
    return arr


def _unwrap_nested(seq):
    """Lists of Tensors (``tensor([t1, t2])``) as lists of arrays."""
    return [x._data if isinstance(x, Tensor) else
            _unwrap_nested(x) if isinstance(x, (list, tuple)) else x for x in seq]


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
    data : Tensor
        The same values, detached from the graph (PyTorch's ``.data``): in-place changes to it
        change this tensor and are seen by the version counter; assigning replaces the values.
    grad : Tensor or None
        The gradient accumulated by ``backward`` (leaves, or non-leaves after ``retain_grad``).
        Gradients *accumulate* over calls to ``backward``, as in PyTorch: clear them between
        steps (``optimizer.zero_grad()``). Assigning checks shape and dtype.
    grad_fn : graph node or None
        The op that produced this tensor (None for leaves).

    Raises
    ------
    DTypeError
        Unsupported data, or an integer or bool tensor asked to require gradients.
    """

    __slots__ = ("_data", "_grad", "requires_grad", "grad_fn", "_version", "_hooks",
                 "__weakref__")
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected operators

    def __init__(self, data, requires_grad=False, dtype=None):
        self._data = as_array(data, dtype)
        self._grad = None
        self.grad_fn = None
        self._version = None
        self._hooks = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # -- properties ------------------------------------------------------------------------
    shape = property(lambda self: _tuple_new(Size, self._data.shape),
                     doc="The shape, an ``autograd.Size`` (a tuple of ints).")
    dtype = property(lambda self: _DTYPE_OF(self._data.dtype) or
                     _dtypes.as_dtype(self._data.dtype),
                     doc="The element type, an ``autograd.dtype`` (equal to the numpy dtype).")
    ndim = property(lambda self: self._data.ndim, doc="Number of dimensions.")
    is_leaf = property(lambda self: self.grad_fn is None,
                       doc="True for tensors not produced by a recorded op.")
    itemsize = property(lambda self: self._data.itemsize, doc="Bytes per element.")
    nbytes = property(lambda self: self._data.nbytes, doc="Bytes of the values.")

    @property
    def data(self):
        """A detached Tensor sharing this tensor's storage and version counter."""
        return alias(self)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise ArgumentTypeError(f"data: expected a Tensor, got {type(value).__name__}")
        bump_version(self)         # nodes that saved the old values must not use the new ones
        self._data = value._data

    @property
    def grad(self):
        """The accumulated gradient (see the class docstring)."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise ArgumentTypeError(f"grad: assigned grad must be a Tensor or None, got "
                                        f"{type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise ShapeError(f"grad: assigned grad of shape {tuple(value.shape)} does not "
                                 "match "
                                 f"the tensor's shape {tuple(self.shape)}")
            if value._data.dtype != self._data.dtype:
                raise DTypeError(f"grad: assigned grad of dtype {value.dtype} does not match "
                                 f"the tensor's dtype {self.dtype} (shape {tuple(self.shape)})")
        self._grad = value

    def size(self, dim=None):
        """The shape (an ``autograd.Size``), or its entry at ``dim``."""
        return _tuple_new(Size, self._data.shape) if dim is None else self._data.shape[dim]

    def dim(self):
        """The number of dimensions (``ndim``)."""
        return self._data.ndim

    def numel(self):
        """The number of elements."""
        return self._data.size

    nelement = numel

    def element_size(self):
        """Bytes per element."""
        return self._data.itemsize

    def __len__(self):
        if self._data.ndim == 0:
            raise ArgumentTypeError("len() of a 0-d tensor")
        return len(self._data)

    def numpy(self, *, force=False):
        """The values as an ndarray, sharing memory (``torch.Tensor.numpy``).

        Raises
        ------
        BackwardError
            When the tensor requires grad and ``force`` is False (use ``detach().numpy()``); a
            RuntimeError, as PyTorch raises.
        """
        if self.requires_grad and not force:
            raise BackwardError("numpy(): can't call numpy() on a tensor that requires grad; "
                               "use tensor.detach().numpy()")
        return self._data

    def __array__(self, dtype=None, copy=None):
        if copy:
            return np.array(self._data, dtype=dtype, copy=True)
        return self._data if dtype is None else self._data.astype(dtype, copy=False)

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise ShapeError(f"item(): the tensor has {self._data.size} elements, not 1 "
                             f"(shape {tuple(self.shape)})")
        return self._data.item()

    def tolist(self):
        """The values as (nested) Python lists of numbers."""
        return self._data.tolist()

    def __bool__(self):
        if self._data.size != 1:
            raise ShapeError(f"bool(): the truth value of a tensor with {self._data.size} "
                             "elements is ambiguous; use .any() or .all()")
        return bool(self._data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise ArgumentTypeError("only one-element integer tensors can be used as an index")
        return int(self._data.item())

    __hash__ = object.__hash__  # __eq__ is elementwise, identity stays the hash

    def __repr__(self):
        from .printing import tensor_repr
        return tensor_repr(self._data, self.dtype, self.grad_fn, self.requires_grad)

    def __format__(self, spec):
        """A 0-d tensor formats as its Python number for every spec (``f"{loss:.4f}"``,
        ``f"{label}"`` prints ``5``); other tensors take only the empty spec (their repr), as in
        PyTorch.

        Raises
        ------
        TypeError
            A non-empty format spec on a tensor with dimensions.
        """
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        if spec:
            raise TypeError(f"unsupported format string passed to Tensor.__format__ (a tensor "
                            f"of shape {tuple(self.shape)}; only 0-d tensors take format "
                            "specs: use .item() or index one element)")
        return repr(self)

    # -- autograd --------------------------------------------------------------------------
    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place (leaves only); returns self.

        Raises
        ------
        DTypeError
            For integer or bool tensors (only floating point tensors have gradients).
        BackwardError
            ``requires_grad_(False)`` on a non-leaf (use ``detach()``).
        """
        if requires_grad and self._data.dtype.kind != "f":
            raise DTypeError(f"requires_grad_: only floating point tensors can require "
                             f"gradients, got dtype {self._data.dtype} (shape "
                             f"{tuple(self.shape)})")
        if not requires_grad and self.grad_fn is not None:
            raise BackwardError("requires_grad_(False) on a non-leaf tensor; use detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self):
        """A new leaf sharing the storage (and its version counter), cut from the graph."""
        return alias(self)

    def detach_(self):
        """Cut this tensor from the graph in place (it becomes a leaf); returns self."""
        self.grad_fn = None
        self.requires_grad = False
        return self


def is_number(x):
    """True for Python and numpy scalars (bool, int, float), the "wrapped numbers" of
    promotion."""
    return isinstance(x, (numbers.Number, np.generic)) and not isinstance(x, complex)
