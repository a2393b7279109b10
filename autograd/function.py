"""``Function``: how an operation with its own derivative enters the graph (PyTorch's
``autograd.Function``), for the framework's ops and for yours.

An op is a subclass with two static methods side by side::

    class SmoothAbs(autograd.Function):
        rule = "d/da = a / sqrt(a^2 + 1)"          # shown by viz

        @staticmethod
        def forward(ctx, a):                       # recording is off here
            out = np.sqrt(a.numpy(force=True) ** 2 + 1)
            ctx.save_for_backward(a)
            return out                             # an ndarray or a Tensor

        @staticmethod
        def backward(ctx, grad):                   # Tensors in, one gradient per input out
            (a,) = ctx.saved_tensors
            return grad * a / (a * a + 1).sqrt()   # Tensor ops: differentiable again

``SmoothAbs.apply(x)`` runs ``forward`` with recording off and, when recording is on and an
input requires grad, makes the ``ctx`` (an instance of the class, a ``graph.Node``) the result's
``grad_fn``. PyTorch's newer style also works: ``forward(*args)`` without ``ctx`` plus a
``setup_context(ctx, inputs, output)`` static method.

Backward rules written with Tensor ops are differentiable again (``create_graph=True``). They
may return gradients of any shape that broadcasting the input could give: the graph's
``fit_gradient`` sums them back, so the rules stay pure math. Without ``create_graph`` the
engine calls ``backward`` with recording off.
"""

import numpy as np

from . import grad_mode
from .errors import BackwardError
from .graph import Node, edges_of, fit_gradient, meta_of, record_hooks, recorded
from .tensor import Tensor, alias, clock, share_version, version_of, wrap

__all__ = ["Function", "FunctionCtx"]

_grad_enabled = grad_mode.grad_enabled.get
_set_grad, _reset_grad = grad_mode.grad_enabled.set, grad_mode.grad_enabled.reset
_new = object.__new__
_next = clock.__next__


class _Output:
    """Stands in, among saved tensors, for the node's own output (kept as an array)."""

    __slots__ = ()

    def __repr__(self):
        return "<the node's output>"


_OUTPUT = _Output()


class Function(Node):
    """Base class of differentiable operations; instances are the graph's nodes (the ``ctx``).

    Class attributes
    ----------------
    rule : str
        The local derivative, shown by ``viz``.
    is_view : bool
        The result may share the first input's storage (reshape, indexing, ...): it then shares
        its version counter too, so in-place writes through either are seen by both.
    """

    __slots__ = ("__dict__",)
    is_view = False

    @staticmethod
    def forward(ctx, *args):
        """Compute the result (a Tensor or an ndarray) from the inputs; recording is off."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad_output):
        """Return one gradient (a Tensor, or None) per forward input, given ``grad_output``."""
        raise NotImplementedError

    setup_context = None

    @classmethod
    def apply(cls, *args):
        """Run the op on ``args`` and record it when recording is on and an input requires grad.

        Returns
        -------
        Tensor

        Raises
        ------
        TypeError
            When ``forward`` returns something other than a Tensor or an ndarray.
        """
        ctx = _new(cls)
        needs = tuple([isinstance(a, Tensor) and a.requires_grad for a in args])
        ctx.needs_input_grad = needs
        ctx._saved = ctx._out = ctx._outv = ctx._hooks = None
        record = True in needs and _grad_enabled()
        if record:
            token = _set_grad(False)           # forward never records, even with Tensor ops
            try:
                out = _run_forward(cls, ctx, args)
            finally:
                _reset_grad(token)
        else:
            out = _run_forward(cls, ctx, args)
        if cls.is_view:
            _share_if_view(out, args[0])
        if record:
            ctx.inputs = args
            ctx._edges = edges_of(args, needs)
            ctx._seq = _next()
            if record_hooks:                   # anomaly mode (graph.record_hooks)
                recorded(ctx)
            if ctx._saved is not None:
                _keep_output_as_array(ctx, out)
            out.grad_fn = ctx
            out.requires_grad = True
        return out

    # -- saving for backward -------------------------------------------------------------
    def save_for_backward(self, *tensors):
        """Keep Tensors (or None) for ``backward``; in-place changes to them are detected.

        Raises
        ------
        TypeError
            For anything else (keep other values as attributes of ``ctx``).
        """
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"{type(self).__name__}.save_for_backward: argument {i} is a "
                                f"{type(t).__name__}; only Tensors (or None) can be saved, keep "
                                "other values as attributes of ctx")
        self._saved = tensors

    @property
    def saved_tensors(self):
        """The tuple given to ``save_for_backward`` (the node's own output, if saved, comes
        back as a Tensor with this node as its ``grad_fn``).

        Raises
        ------
        BackwardError
            When the graph was freed by an earlier ``backward`` without ``retain_graph=True``.
        InplaceError
            When a saved tensor was modified in place after it was saved.
        """
        self._check_alive()
        saved = self._saved
        if not saved:
            return ()
        seq = self._seq
        out = []
        for t in saved:
            if t is _OUTPUT:
                if self._outv.tick > seq:
                    raise self._stale(wrap(self._out))
                t = wrap(self._out)
                t._version, t.grad_fn, t.requires_grad = self._outv, self, True
            elif t is not None:
                v = t._version
                if v is not None and v.tick > seq:
                    raise self._stale(t)
            out.append(t)
        return tuple(out)

    def _release(self):
        self._meta = meta_of(self.inputs)
        self.inputs = self._saved = self._out = None
        extra = self.__dict__
        if extra:                             # arrays the op kept on its ctx
            for key in [k for k, v in extra.items() if isinstance(v, (np.ndarray, Tensor))]:
                del extra[key]

    def _saved_arrays(self):
        saved = self._saved or ()
        arrays = [self._out if t is _OUTPUT else t._data for t in saved if t is not None]
        extra = [v for v in self.__dict__.values() if isinstance(v, np.ndarray)]
        return tuple(arrays + extra)

    # -- the engine's entry points -------------------------------------------------------
    def _backward_arrays(self, grad):
        grads = self._call_backward(wrap(grad))
        out = []
        for x, need, g in zip(self.inputs, self.needs_input_grad, grads):
            if g is None or not need:
                out.append(None)
                continue
            g = g._data
            xd = x._data
            if g.shape != xd.shape or g.dtype != xd.dtype:
                g = fit_gradient(self, x, g)
            out.append(g)
        return out

    def _backward_tensors(self, grad):
        return tuple(None if g is None or not need else fit_gradient(self, x, g)
                     for x, need, g in zip(self.inputs, self.needs_input_grad,
                                           self._call_backward(grad)))

    def _call_backward(self, grad):
        """``backward`` checked: one gradient per input, Tensors (ndarrays are wrapped)."""
        self._check_alive()
        grads = type(self).backward(self, grad)
        if type(grads) is not tuple:
            grads = tuple(grads) if isinstance(grads, list) else (grads,)
        if len(grads) != len(self.inputs):
            raise BackwardError(f"{type(self).__name__}.backward returned {len(grads)} "
                                f"gradients for {len(self.inputs)} inputs")
        return [wrap(g) if isinstance(g, (np.ndarray, np.generic)) else g for g in grads]


#: PyTorch's name for the ``ctx`` argument's type.
FunctionCtx = Function


def _run_forward(cls, ctx, args):
    if cls.setup_context is not None:
        out = _as_output(cls, cls.forward(*args), args)
        cls.setup_context(ctx, args, out)
        return out
    return _as_output(cls, cls.forward(ctx, *args), args)


def _as_output(cls, out, args):
    """``forward``'s result as a fresh Tensor (an input returned as-is becomes an alias, so the
    input keeps its own ``grad_fn``)."""
    if type(out) is Tensor or isinstance(out, Tensor):
        for a in args:
            if out is a:
                return alias(a)
        return out
    if isinstance(out, (np.ndarray, np.generic)):
        return wrap(out)
    raise TypeError(f"{cls.__name__}.forward must return a Tensor or an ndarray, got "
                    f"{type(out).__name__}")


def _keep_output_as_array(ctx, out):
    """A node that saved its own output keeps the array and the version counter, not the
    Tensor: the Tensor refers to the node (``grad_fn``), so keeping it would make a cycle."""
    saved, data = ctx._saved, out._data
    if any(t is out or t is not None and t._data is data for t in saved):
        ctx._saved = tuple(_OUTPUT if t is out or t is not None and t._data is data else t
                           for t in saved)
        ctx._out = data
        ctx._outv = version_of(out)


def _root(array):
    while array.base is not None and isinstance(array.base, np.ndarray):
        array = array.base
    return array


def _share_if_view(out, base):
    """Give ``out`` ``base``'s version counter when numpy made it a view of ``base``."""
    if isinstance(base, Tensor) and _root(out._data) is _root(base._data):
        out._version = share_version(base)
