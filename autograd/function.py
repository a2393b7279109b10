"""``Function``: the one way an operation enters the graph (PyTorch's ``autograd.Function``).

An op is a subclass with two static methods side by side::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):           # Tensors in, recording off
            ctx.save_for_backward(a, b)
            return Tensor._wrap(a.data * b.data)

        @staticmethod
        def backward(ctx, grad):          # Tensors in, Tensors out (one per forward input)
            a, b = ctx.saved_tensors
            return grad * b, grad * a

``Mul.apply(a, b)`` runs ``forward`` with recording off and, when recording is on and an input
requires grad, makes the ``Mul`` instance (the ``ctx``) the result's ``grad_fn``: the graph node
that holds the inputs in operand order and what was saved for backward.

Backward rules are written with the framework's own ops, so they are differentiable again
(``create_graph=True``). Each rule returns gradients of any broadcastable shape: the engine sums
them back to the input's shape, so the rules stay pure math.
"""

import collections

import numpy as np

from . import grad_mode
from .errors import BackwardError, InplaceError

__all__ = ["Function"]

_mode = grad_mode._mode


class Function:
    """Base class of every differentiable operation; instances are the graph's nodes (``ctx``).

    Attributes
    ----------
    inputs : tuple
        The positional arguments of ``forward`` in order (Tensors and constants).
    needs_input_grad : tuple of bool
        One per input: whether it is a Tensor that requires grad.
    """

    # The engine's fields are slots (fast to read on the hot path); ``__dict__`` stays for the
    # state ops and users keep on ``ctx``.
    __slots__ = ("inputs", "needs_input_grad", "_saved", "_stamp", "_hooks", "__dict__",
                 "__weakref__")

    #: The op's local derivative, shown by ``viz`` (e.g. ``"d/da = b, d/db = a"``).
    rule = ""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        """Compute the result from Tensors (recording is off here); return one Tensor."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_output):
        """Return the gradient for each forward input (a Tensor, or None), given ``grad_output``."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run the op on ``args`` and record it in the graph when recording is on.

        Raises
        ------
        TypeError
            When ``forward`` returns something other than a Tensor.
        """
        ctx = _new(cls)
        ctx._saved = None
        if not _mode.enabled:                  # nothing to record (e.g. inside a backward rule)
            out = cls.forward(ctx, *args, **kwargs) if kwargs else cls.forward(ctx, *args)
            if out.__class__ is not _Tensor and not isinstance(out, _Tensor):
                raise _not_a_tensor(cls, out)
            return out
        _mode.enabled = False                  # forward never records, even with Tensor ops
        try:
            out = cls.forward(ctx, *args, **kwargs) if kwargs else cls.forward(ctx, *args)
        finally:
            _mode.enabled = True
        if out.__class__ is not _Tensor and not isinstance(out, _Tensor):
            raise _not_a_tensor(cls, out)
        # Spelled out for one and two inputs: this runs for every recorded op.
        if len(args) == 2:
            a, b = args
            needs = (isinstance(a, _Tensor) and a.requires_grad,
                     isinstance(b, _Tensor) and b.requires_grad)
        elif len(args) == 1:
            a = args[0]
            needs = (isinstance(a, _Tensor) and a.requires_grad,)
        else:
            needs = tuple([isinstance(a, _Tensor) and a.requires_grad for a in args])
        if True in needs:
            ctx.inputs = args
            ctx.needs_input_grad = needs
            ctx._hooks = None
            out.requires_grad = True
            out.grad_fn = ctx
        return out

    # -- saving for backward -------------------------------------------------------------
    def save_for_backward(self, *tensors):
        """Keep Tensors (or None) for ``backward``; in-place changes to them are detected."""
        self._saved = tensors
        self._stamp = _inplace_clock.now

    @property
    def saved_tensors(self):
        """The tuple given to ``save_for_backward``.

        Raises
        ------
        BackwardError
            When the graph was freed by an earlier ``backward`` without ``retain_graph=True``.
        InplaceError
            When a saved tensor was modified in place after it was saved.
        """
        saved = self._saved
        if saved is None or saved is _FREED:
            if saved is _FREED:
                raise BackwardError(
                    f"{type(self).__name__}: trying to backward through the graph a second time "
                    "(its saved tensors were freed by the first backward); pass "
                    "retain_graph=True to the first backward or grad call")
            return ()
        if _inplace_clock.now != self._stamp:      # something was modified in place since
            for t in saved:
                if t is not None and (t._version > self._stamp or
                                      _inplace_clock.overwritten_since(self._stamp, t.data)):
                    raise InplaceError(
                        f"{type(self).__name__}: a tensor of shape {t.shape} saved for backward "
                        "was modified in place after it was saved; use an out-of-place op or "
                        "clone() it first")
        return saved

    def _release(self):
        """Free what was saved for backward (called by the engine unless ``retain_graph``)."""
        self._saved = _FREED

    @property
    def _released(self):
        """True once backward freed the saved tensors."""
        return self._saved is _FREED

    @property
    def next_functions(self):
        """(grad_fn or leaf tensor, index) per input that requires grad, as PyTorch shows it."""
        return tuple((a.grad_fn if a.grad_fn is not None else a, 0)
                     for a, need in zip(self.inputs, self.needs_input_grad) if need)

    def name(self):
        """The node's display name, e.g. ``MulBackward``."""
        return type(self).__name__ + "Backward"

    def __repr__(self):
        return f"<{self.name()}>"


def _not_a_tensor(cls, out):
    return TypeError(f"{cls.__name__}.forward must return a Tensor, got {type(out).__name__}")


class _InplaceClock:
    """Counts in-place modifications process-wide. A tensor's ``_version`` is the clock value
    of its last in-place change, so a node only checks its saved tensors when the clock moved
    since it saved them (in-place ops are rare; the check is then one comparison).

    Views and ``detach()`` share memory with their base but are other Tensors, so the clock
    also remembers the last ``RECENT`` arrays written in place: a saved tensor whose memory
    overlaps one written after it was saved is stale too (PyTorch's shared version counter).
    """

    RECENT = 256
    __slots__ = ("now", "recent")

    def __init__(self):
        self.now = 0
        self.recent = collections.deque(maxlen=self.RECENT)   # (tick, ndarray)

    def tick(self, array):
        self.now += 1
        self.recent.append((self.now, array))
        return self.now

    def overwritten_since(self, stamp, array):
        """True if memory of ``array`` was written in place after clock value ``stamp``."""
        for tick, written in reversed(self.recent):
            if tick <= stamp:
                break
            if np.may_share_memory(array, written):
                return True
        return False


_inplace_clock = _InplaceClock()


class _Freed:
    """Stands in for saved tensors that backward freed (compared by identity)."""

    __slots__ = ()

    def __repr__(self):
        return "<freed by backward>"


_FREED = _Freed()
_new = object.__new__


from .tensor import Tensor as _Tensor  # noqa: E402  (tensor.py imports this module)
