"""The recorded graph: its nodes, the one traversal, and the one place gradients are fitted.

Every op that records makes a ``Node`` (for ``Function`` ops the node is the ``ctx``) and hangs
it on its result as ``grad_fn``. This module is the public view of that graph, used by the
engine, ``viz``, ``nn.summary`` and the tests:

``walk(roots)``
    every node reachable from ``roots``, each once, in the order backward runs them: reverse
    creation order. A node's consumers were all created after it, so when it comes up every
    gradient it will receive has been sent (the same priority PyTorch's engine gives its
    ``sequence_nr``); no consumer counting pass is needed.
``Node``
    ``name()``, ``next_functions``, ``inputs`` (while alive), ``inputs_meta``, ``rule``,
    ``saved_tensors_info``, ``released``, and ``vjp(grad_output)``: the node's local
    vector-Jacobian product recomputed from the recorded inputs while the graph is alive
    (before backward, with ``retain_graph=True``, or inside ``record()``).
``record()``
    the opt-in that keeps graphs after backward, with the gradient each node received
    (``node.grad_output``), the ones it sent (``node.grad_inputs``) and its place in the run
    (``node.run_index``): what ``viz`` needs to draw a graph after ``loss.backward()``.
``fit_gradient``
    the one place a rule's raw output is made a gradient for its input: summed over
    broadcast axes back to the input's shape, cast to its dtype, and refused (``ShapeError``)
    when no summing can give that shape. Rules stay pure math.
``Group``, ``composite``
    the nodes one call recorded (a composite function such as ``cross_entropy``, a module
    call), so that a picture can draw them as one box: ``node in group``, and the node of the
    call's result lists it in ``node.groups``. Nothing is added to the recording path.

After backward without ``retain_graph`` a node is *released*: it drops its inputs and what it
saved, keeping only its edges (``next_functions``) and the inputs' metadata, so a kept loss
(``history.append(loss)``) holds no activations. Nodes never refer to their own output, so a
graph has no reference cycles and is freed by reference counting as soon as its last tensor is.
"""

import collections
import functools
import heapq
import inspect
import weakref

import numpy as np

from . import grad_mode
from .errors import BackwardError, InplaceError, ShapeError
from .tensor import Tensor, clock, wrap

_grad_enabled = grad_mode.grad_enabled.get

__all__ = ["Node", "walk", "record", "fit_gradient", "TensorMeta", "SavedInfo",
           "AccumulateGrad", "Recorded", "Group", "GroupInput", "composite", "record_hooks",
           "recorded"]


#: Shape and dtype of a node's input, kept after the node is released.
TensorMeta = collections.namedtuple("TensorMeta", ["shape", "dtype", "requires_grad"])
#: One array a node keeps for its backward (``Node.saved_tensors_info``).
SavedInfo = collections.namedtuple("SavedInfo", ["shape", "dtype", "nbytes"])
#: What a backward inside ``record()`` kept for one node (see ``record``).
Recorded = collections.namedtuple("Recorded", ["run_index", "grad_output", "grad_inputs"])


class AccumulateGrad:
    """The edge to a leaf in ``next_functions`` (PyTorch's ``AccumulateGrad``): ``variable`` is
    the leaf tensor whose ``.grad`` receives the gradient."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        self.variable = variable

    def name(self):
        return "AccumulateGrad"

    def __eq__(self, other):
        return isinstance(other, AccumulateGrad) and other.variable is self.variable

    def __hash__(self):
        return id(self.variable)

    def __repr__(self):
        return f"<AccumulateGrad of shape {tuple(self.variable.shape)}>"


class Node:
    """A recorded operation (the result's ``grad_fn``).

    Attributes
    ----------
    inputs : tuple or None
        The op's arguments in operand order (``x * x`` has two edges to ``x``); None once
        released.
    needs_input_grad : tuple of bool
        Per input: a Tensor that requires grad.
    rule : str
        The local derivative in words, e.g. ``"d/da = b, d/db = a"`` (shown by ``viz``).
    grad_output, grad_inputs, run_index
        Set by backward inside ``record()`` (None otherwise).
    """

    # _seq: creation tick (traversal order, and "saved tensor is stale" when a write is younger)
    # _out, _outv: the node's own output array and its version counter, for rules that use the
    # output (exp, sigmoid, ...): kept as an array, not a Tensor, so there is no cycle.
    # (No __dict__ here: table ops' nodes stay small and quick to make; Function adds one
    # for the state ops keep on ``ctx``. Slots are set when first needed, never read before.)
    # _edges: per input, its producing node, the leaf Tensor itself (if it requires grad) or
    #   None; set when the node is recorded, kept after release (PyTorch's next_functions)
    # _meta: per input, (shape, dtype) for a Tensor, (value,) for another constant, None for
    #   an array; set when recorded (table ops) or released (Functions)
    # _fit: a table op's forward broadcast or promoted, so its gradients need fitting
    # _kept: what record() kept (a Recorded); _groups: the Groups whose result this node is
    __slots__ = ("inputs", "needs_input_grad", "_edges", "_seq", "_hooks", "_saved", "_out",
                 "_outv", "_fit", "_meta", "_kept", "_groups", "__weakref__")

    rule = ""

    # -- what record() kept ------------------------------------------------------------------
    @property
    def grad_output(self):
        """The gradient this node received in the last backward inside ``record()``."""
        return self._kept_field(1)

    @property
    def grad_inputs(self):
        """The gradients it sent to its inputs then (None where no gradient flowed)."""
        return self._kept_field(2)

    @property
    def run_index(self):
        """Its place in that backward's order (0 ran first)."""
        return self._kept_field(0)

    def _kept_field(self, i):
        try:
            return self._kept[i]
        except AttributeError:
            return None

    @property
    def groups(self):
        """The ``Group`` calls whose result this node computed, innermost first (``()`` for
        most nodes): how a picture finds ``cross_entropy`` or a module call in the graph."""
        try:
            return self._groups
        except AttributeError:
            return ()

    # -- the public node API -----------------------------------------------------------------
    def name(self):
        """The node's display name, e.g. ``MulBackward`` (PyTorch: ``MulBackward0``)."""
        return type(self).__name__ + "Backward"

    @property
    def released(self):
        """True once a backward without ``retain_graph`` freed what this node recorded."""
        return self.inputs is None

    @property
    def next_functions(self):
        """(node, 0) per Tensor input, as PyTorch shows them: the producing node, an
        ``AccumulateGrad`` for a leaf that requires grad, None for a Tensor that does not
        (arguments that are not Tensors, such as a dim, have no entry)."""
        edges = self._edges
        return tuple((_edge_view(edges[i]), 0) for i in self._tensor_positions())

    def _tensor_positions(self):
        return [i for i, m in enumerate(self.inputs_meta) if isinstance(m, TensorMeta)]

    @property
    def inputs_meta(self):
        """Per input: a ``TensorMeta(shape, dtype, requires_grad)`` for a Tensor, None for an
        array, the value itself for other constants (a dim, a stride, a geometry)."""
        if self.inputs is not None:
            return tuple(_meta(x) for x in self.inputs)
        return tuple(m if m is None else m[0] if len(m) == 1 else
                     TensorMeta(m[0], m[1], e is not None) for m, e in zip(self._meta,
                                                                           self._edges))

    @property
    def saved_tensors_info(self):
        """(shape, dtype, nbytes) of each array this node keeps for backward (empty once
        released)."""
        if self.inputs is None:
            return ()
        return tuple(SavedInfo(a.shape, a.dtype, a.nbytes) for a in self._saved_arrays())

    @property
    def saved_bytes(self):
        """Bytes this node keeps alive for backward."""
        return sum(nbytes for _, _, nbytes in self.saved_tensors_info)

    def vjp(self, grad_output):
        """The gradients this node sends to its Tensor inputs for ``grad_output`` (the gradient
        of its output), one per Tensor input in ``next_functions`` order (None where no
        gradient flows), fitted to the inputs' shapes.

        Recomputed from the recorded inputs; differentiable when recording is on.

        Raises
        ------
        BackwardError
            Once the node was released by a backward without ``retain_graph``.
        """
        self._check_alive()
        g = grad_output if isinstance(grad_output, Tensor) else Tensor(grad_output)
        grads = self._backward_tensors(g)
        return tuple(grads[i] for i in self._tensor_positions())

    def replay(self, *inputs):
        """The node's op run again on ``inputs`` (in the positions of ``self.inputs``): a new
        result, recorded when recording is on and an input requires grad. Ops that keep
        constants computed from their inputs (batch norm's statistics) compute them again.
        ``autograd.testing.check_graph`` uses it for its central differences.
        """
        return type(self).apply(*inputs)

    def __repr__(self):
        return f"<{self.name()}>"

    def __lt__(self, other):
        # heapq is a min-heap; the traversal wants the latest-created node first
        return self._seq > other._seq

    # -- what op classes provide -----------------------------------------------------------
    def _backward_arrays(self, grad):
        """One gradient per input (an ndarray, or None), fitted to the input (``fit_gradient``),
        for the ndarray ``grad`` of the output; nothing is recorded."""
        raise NotImplementedError

    def _backward_tensors(self, grad):
        """The same with Tensors, differentiable when recording is on (``create_graph``)."""
        raise NotImplementedError

    def _saved_arrays(self):
        """The arrays this node keeps for backward (for ``saved_tensors_info``)."""
        return ()

    # -- engine support --------------------------------------------------------------------
    def _release(self):
        """Drop the inputs and what was saved (backward without retain_graph); the edges and
        the inputs' metadata stay."""
        self.inputs = self._out = None

    def _check_alive(self):
        if self.inputs is None:
            raise BackwardError(
                f"{self.name()}: trying to backward through the graph a second time (its saved "
                "values were freed by the first backward); pass retain_graph=True to the first "
                "backward or grad call, or use autograd.graph.record()")

    def _stale(self, tensor):
        """The error for a saved ``tensor`` written in place after this node was recorded."""
        return InplaceError(
            f"{self.name()}: a tensor of shape {tuple(tensor.shape)} needed for its gradient was "
            "modified in place after it was used (directly or through a view, detach() or "
            ".data); use an out-of-place op or clone() it first")

    def _check_versions(self, *tensors):
        """Raise if any of ``tensors`` was written in place after this node was recorded."""
        seq = self._seq
        for t in tensors:
            v = t._version
            if v is not None and v.tick > seq:
                raise self._stale(t)


def edges_of(inputs, needs):
    """The ``_edges`` of a node recorded on ``inputs``."""
    return tuple((x.grad_fn or x) if need else None for x, need in zip(inputs, needs))


def meta_of(inputs):
    """The ``_meta`` of a node's ``inputs`` (see ``Node``)."""
    return tuple((x._data.shape, x._data.dtype) if isinstance(x, Tensor) else
                 None if isinstance(x, np.ndarray) else (x,) for x in inputs)


def _edge_view(e):
    if e is None or isinstance(e, Node):
        return e
    return AccumulateGrad(e)


def _meta(x):
    if isinstance(x, Tensor):
        return TensorMeta(x._data.shape, x._data.dtype, x.requires_grad)
    return None if isinstance(x, np.ndarray) else x


# -- the hook point of anomaly mode --------------------------------------------------------
#: Functions called as ``hook(node)`` with every node as it is recorded; empty unless
#: ``autograd.detect_anomaly()`` is active in some thread (it adds the one that keeps each
#: node's forward stack). The recording paths (``Function.apply`` and the ufunc table's)
#: test ``if record_hooks:`` once per recorded op -- one global load while it is empty, so
#: anomaly mode costs nothing else when it is off (measured: bench/instructions.py). The list
#: object is never rebound: modules that bind it at import see every change.
record_hooks = []


def recorded(node):
    """Call every ``record_hooks`` function with ``node`` (the recording paths call this only
    when the list is not empty)."""
    for hook in tuple(record_hooks):
        hook(node)


# -- the one traversal -----------------------------------------------------------------------
def walk(roots):
    """Every node reachable from ``roots`` (Tensors or nodes), each once, latest-created first:
    the order in which backward runs them. Each node's parents are queued before it is yielded,
    so the consumer may release it.
    """
    heap, seen = [], set()
    for r in roots:
        node = r.grad_fn if isinstance(r, Tensor) else r
        if node is not None and node not in seen:
            seen.add(node)
            heap.append(node)
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        node = pop(heap)
        for e in node._edges:
            if e is not None and not isinstance(e, Tensor) and e not in seen:
                seen.add(e)
                push(heap, e)
        yield node


# -- the one place a rule's output becomes an input's gradient -------------------------------
def fit_gradient(node, x, g):
    """``g`` (an ndarray or Tensor from ``node``'s rule) as the gradient of input ``x``: summed
    over the axes broadcasting added or stretched, cast to ``x``'s dtype.

    Raises
    ------
    ShapeError
        When ``g`` cannot have come from broadcasting ``x`` (a wrong rule or hook).
    """
    shape, dtype = x._data.shape, x._data.dtype
    if type(g) is Tensor or isinstance(g, Tensor):
        if g.shape != shape:
            _check_broadcast(node, g.shape, shape)
            g = g.sum_to_size(shape)
        return g if g.dtype == dtype else g.to(dtype)
    if type(g) is not np.ndarray:
        if not isinstance(g, (np.ndarray, np.generic)):
            raise BackwardError(f"{node.name()}: the backward rule returned "
                                f"{type(g).__name__}, not a gradient")
        g = np.asarray(g)
    if g.shape != shape:
        _check_broadcast(node, g.shape, shape)
        g = sum_to_array(g, shape)
    return g if g.dtype is dtype or g.dtype == dtype else g.astype(dtype)


def _check_broadcast(node, gshape, shape):
    lead = len(gshape) - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, gshape[lead:])):
        raise ShapeError(f"{type(node).__name__}.backward returned a gradient of shape "
                         f"{tuple(gshape)} for an input of shape {tuple(shape)}")


def sum_to_array(x, shape):
    """Sum ndarray ``x`` over the axes that broadcasting ``shape`` to ``x.shape`` added or
    stretched (the adjoint of ``np.broadcast_to``)."""
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and x.shape[i + lead] != 1)
    out = np.sum(x, axis=axes, keepdims=True) if axes else x
    return out.reshape(shape) if lead or out.shape != shape else out


# -- the recording opt-in --------------------------------------------------------------------
class record:
    """Keep every graph backward runs through in this thread, with its gradients.

    Inside ``with autograd.graph.record():`` backward acts as with ``retain_graph=True`` and
    stores on each node the gradient it received (``grad_output``), the gradients it sent to
    its inputs (``grad_inputs``, fitted to their shapes) and the order it ran in
    (``run_index``, 0 first), and non-leaf tensors' gradients stay reachable that way. Outside
    it graphs are freed by backward as in PyTorch. ``viz.record()`` builds on this.

    Parameters
    ----------
    into : dict, optional
        Store each node's ``Recorded(run_index, grad_output, grad_inputs)`` in ``into[node]``
        instead of on the node: a backward that leaves the graph as it found it (how ``viz``
        runs one on a graph the user has not run backward through yet).
    """

    def __init__(self, into=None):
        self.into = into

    def __enter__(self):
        self._token = grad_mode.keep_graphs.set(self)      # truthy: the engine keeps graphs
        return self

    def __exit__(self, *exc):
        grad_mode.keep_graphs.reset(self._token)
        return False


def keep_record(node, index, grad, grads):
    """Store what ``record()`` keeps for ``node`` (the engine calls it)."""
    kept = Recorded(index, grad if isinstance(grad, Tensor) else wrap(grad),
                    tuple(None if g is None else g if isinstance(g, Tensor) else wrap(g)
                          for g in grads))
    active = grad_mode.keep_graphs.get()
    into = getattr(active, "into", None)
    if into is not None:
        into[node] = kept
    else:
        node._kept = kept


# -- groups: one call of several ops, shown as one -------------------------------------------
#: A Tensor argument of a group's call: its parameter name, ``TensorMeta`` and a weak
#: reference (``ref()`` gives the Tensor while something else keeps it alive, else None).
GroupInput = collections.namedtuple("GroupInput", ["name", "meta", "ref"])


class Group:
    """The nodes recorded during one call of a function or a module, to show them as one unit.

    ``start()`` before the call, ``end(output, args, kwargs)`` after it: every node recorded in
    between is ``in`` the group (creation ticks are compared, so recording itself is not
    slowed down), and the nodes of the Tensors in ``output`` list the group in
    ``node.groups``, which is how a picture finds it from the graph. ``composite`` does this
    for a function (``nn.functional``'s losses and normalisations); ``viz.record()`` for each
    module call.

    Attributes
    ----------
    label : str
        What a picture calls it: ``cross_entropy``, ``conv1``.
    kind : str
        ``"function"`` (a ``composite`` function) or ``"module"`` (a module call).
    owner : object
        The function or module called.
    rule : str
        The local derivative of the whole call, in words ("" when not given).
    inputs : tuple of GroupInput
        The call's Tensor arguments: name, ``TensorMeta``, weak reference. A group keeps no
        tensor alive (activations are freed as without it).
    options : tuple of (str, object)
        The other arguments that were passed (``("reduction", "sum")``), not Tensors.
    parent : Group or None
        The enclosing call, when the caller knows it (``viz.record()`` sets it for modules).
    """

    __slots__ = ("label", "kind", "owner", "rule", "inputs", "options", "parent", "_first",
                 "_last", "__weakref__")

    def __init__(self, label, kind="function", owner=None, rule=""):
        self.label, self.kind, self.owner, self.rule = label, kind, owner, rule
        self.inputs, self.options, self.parent = (), (), None
        self._first = self._last = None

    def start(self):
        """Mark the start of the call (before its first op); returns the group."""
        self._first = next(clock)
        return self

    def end(self, output, args=(), kwargs=None, names=None):
        """Mark the end of the call and attach the group to the nodes of ``output``'s Tensors
        (found in tuples, lists and dicts) that the call recorded; ``args``/``kwargs`` become
        ``inputs`` and ``options``, named by ``names`` (the parameter names, in order; default
        ``input``, ``input1``, ...). Returns the nodes that got the group (empty when the call
        recorded nothing, e.g. under ``no_grad``).
        """
        self._last = next(clock)
        tagged = []
        for t in (output,) if isinstance(output, Tensor) else _tensors_in(output):
            node = t.grad_fn
            if node is not None and node in self:
                groups = getattr(node, "_groups", ())
                if self not in groups:
                    node._groups = groups + (self,)
                    tagged.append(node)
        if tagged:
            self._arguments(args, kwargs or {}, names)
        return tuple(tagged)

    def _arguments(self, args, kwargs, names):
        inputs, options = [], []
        n = len(names) if names else 0
        for i, value in enumerate(args):
            name = names[i] if i < n else "input" if i == 0 else f"input{i}"
            if isinstance(value, Tensor):
                inputs.append(GroupInput(name, _meta(value), weakref.ref(value)))
            elif not isinstance(value, (tuple, list, dict)):
                options.append((name, value))
        for name, value in kwargs.items():
            if isinstance(value, Tensor):
                inputs.append(GroupInput(name, _meta(value), weakref.ref(value)))
            else:
                options.append((name, value))
        self.inputs, self.options = tuple(inputs), tuple(options)

    def __contains__(self, node):
        """True when ``node`` was recorded during the call (after ``start()``, before
        ``end()``; a group not ended yet contains what was recorded so far)."""
        if self._first is None or not isinstance(node, Node):
            return False
        return self._first < node._seq and (self._last is None or node._seq < self._last)

    def __lt__(self, other):
        """Groups sort by the start of their call (an enclosing call sorts first)."""
        return self._first < other._first

    def __repr__(self):
        return f"<Group {self.kind} {self.label!r}>"


def _tensors_in(obj):
    """The Tensors in ``obj``, searching tuples, lists and dicts."""
    out, stack = [], [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, Tensor):
            out.append(x)
        elif isinstance(x, (tuple, list)):
            stack.extend(reversed(x))
        elif isinstance(x, dict):
            stack.extend(reversed(list(x.values())))
    return out


def composite(fn=None, *, name=None, rule=""):
    """Decorator: a function made of several recorded ops (``cross_entropy``, ``mse_loss``,
    ``batch_norm``) is drawn as one op. Each call that records is a ``Group`` of kind
    ``"function"`` labelled ``name`` (default: the function's name) with the local derivative
    ``rule``, attached to the node of its result; ``viz`` draws the group as one node unless
    asked to expand it. The function itself, its signature and its docstring are unchanged,
    and under ``no_grad`` it is called directly.

    Usage: ``@composite(rule="d/dinput = 2 (input - target) / n")`` or ``@composite``.
    """
    def decorate(f):
        label = name or f.__name__
        try:
            params = tuple(inspect.signature(f).parameters)
        except (TypeError, ValueError):
            params = ()

        @functools.wraps(f)
        def call(*args, **kwargs):
            if not _grad_enabled():
                return f(*args, **kwargs)
            first = next(clock)
            out = f(*args, **kwargs)
            node = getattr(out, "grad_fn", None) if isinstance(out, Tensor) else False
            if node is None or node is not False and node._seq < first:
                return out                        # recorded nothing (inputs need no grad)
            group = Group(label, "function", f, rule)
            group._first = first
            group.end(out, args, kwargs, params)
            return out

        call.__wrapped__ = f
        return call

    return decorate(fn) if fn is not None else decorate
