"""Reading a recorded graph: its tensors and ops, operand-order edges, values and gradients.

``trace(root)`` walks back from ``root`` through ``grad_fn.inputs`` (iteratively: a graph of
any depth is fine) and takes a snapshot: for every tensor its name, role, shape, dtype and a
value summary; for every op its name, local derivative rule (``Function.rule``) and constant
arguments; and, when asked and while the graph is still alive, the gradient dE/dt of every
tensor and the share of it that flows along every edge. The snapshot is what ``draw_graph``,
``draw_backward`` and ``draw_chain`` draw. Nothing in the graph is changed: gradients come
from calling each op's ``backward`` directly (no hooks run, no ``.grad`` is written).
"""

import inspect
import math

import numpy as np

import autograd

from autograd import Tensor
from autograd.errors import BackwardError
from autograd.grad_mode import no_grad

__all__ = ["Trace", "TensorNode", "OpNode", "trace", "summarize", "fmt"]

#: Tensors with at most this many elements show every value; larger ones show min/mean/max.
SMALL = 6

ROLES = ("param", "leaf", "input", "const", "intermediate", "output", "loss")


def fmt(x):
    """A number in 4 significant digits (-1.075, 0.5, 1.234e-05); bools and ints as is."""
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.4g}"


def summarize(array):
    """The values of a small array (``[0.5, 0, -0.75]``), else ``min .. mean .. max``."""
    a = np.asarray(array)
    if a.size == 0:
        return "empty"
    if a.size == 1:
        return fmt(a.reshape(-1)[0])
    if a.size <= SMALL:
        return "[" + ", ".join(fmt(v) for v in a.reshape(-1)) + "]"
    if a.dtype.kind == "b":
        return f"{int(a.sum())} of {a.size} True"
    if a.dtype.kind in "iu":
        return f"min {a.min()} max {a.max()}"
    with np.errstate(all="ignore"):
        return f"min {fmt(a.min())} mean {fmt(a.mean())} max {fmt(a.max())}"


def rms(array):
    """Root mean square of a gradient (NaN for empty arrays): the magnitude that is coloured."""
    a = np.asarray(array, dtype=np.float64)
    if a.size == 0:
        return math.nan
    with np.errstate(all="ignore"):
        return float(np.sqrt(np.mean(a * a)))


class TensorNode:
    """One tensor of the graph, as drawn.

    Attributes
    ----------
    key : str            the DOT node id (``t0``, ``t1``, ... inputs before consumers)
    tensor : Tensor      the tensor itself (kept alive by the trace)
    name : str or None   its parameter / variable name, if known
    label : str          ``name``, else an automatic name after the op that made it (``mul2``)
    role : str           one of ``param leaf input const intermediate output loss``
    shape, dtype, value  shape tuple, dtype name, value summary (a snapshot)
    grad : ndarray or None   dE/d(this tensor) (computed, or ``.grad``), see ``Trace.grad_source``
    op : OpNode or None  the op that produced it
    module : int or None the index of the module call that produced it (``trace_modules``)
    """

    __slots__ = ("key", "tensor", "name", "label", "role", "shape", "dtype", "value", "grad",
                 "op", "module", "consumers")

    def __init__(self, key, tensor):
        self.key, self.tensor = key, tensor
        self.name = self.label = None
        self.role = "intermediate"
        self.shape = tuple(tensor.shape)
        self.dtype = np.dtype(tensor.dtype).name     # "float32", as numpy names it
        self.value = summarize(tensor.detach().numpy())
        self.grad = None
        self.op = None
        self.module = None
        self.consumers = []          # (OpNode, position) in the order they were recorded

    @property
    def numel(self):
        return int(np.prod(self.shape, dtype=np.int64))

    def __repr__(self):
        return f"<TensorNode {self.key} {self.label} {tuple(self.shape)}>"


class OpNode:
    """One recorded operation (a ``Function`` instance).

    Attributes
    ----------
    key : str                       DOT node id (``f0``, ``f1``, ...)
    fn : Function                   the node
    name, rule : str                ``type(fn).__name__`` and ``type(fn).rule``
    args : str                      its non-tensor arguments (``dim=1``), for the label
    inputs : list of (position, argname, TensorNode)   tensor operands in operand order
    output : TensorNode
    edge_grads : dict position -> ndarray   the gradient this op sends to each operand
    """

    __slots__ = ("key", "fn", "name", "rule", "args", "inputs", "output", "module", "edge_grads")

    def __init__(self, key, fn):
        self.key, self.fn = key, fn
        self.name = type(fn).__name__
        self.rule = getattr(type(fn), "rule", "") or ""
        self.args = ""
        self.inputs = []
        self.output = None
        self.module = None
        self.edge_grads = {}

    def __repr__(self):
        return f"<OpNode {self.key} {self.name}>"


class Trace:
    """A snapshot of the graph that computed ``root`` (see ``viz.trace``).

    Attributes
    ----------
    root : TensorNode
    tensors : list of TensorNode    topological order (operands before the ops that use them)
    ops : list of OpNode            same order
    grad_source : str
        ``"computed"`` (dE/dt of every tensor, from the live graph), ``".grad"`` (only what
        ``backward`` stored: leaves and ``retain_grad`` tensors) or ``"none"``.
    note : str
        Why intermediate gradients are missing, when they are ("" otherwise).
    modules : ModuleTrace or None   the module calls recorded by ``viz.trace_modules``
    """

    def __init__(self, root, tensors, ops, grad_source, note, modules):
        self.root, self.tensors, self.ops = root, tensors, ops
        self.grad_source, self.note, self.modules = grad_source, note, modules
        self._by_id = {id(n.tensor): n for n in tensors}

    def node(self, tensor):
        """The TensorNode of ``tensor`` (KeyError if the tensor is not in the graph)."""
        return self._by_id[id(tensor)]

    def __contains__(self, tensor):
        return id(tensor) in self._by_id

    def __len__(self):
        return len(self.tensors) + len(self.ops)

    def grad(self, tensor):
        """dE/d``tensor`` as an ndarray, or None when unknown."""
        return self.node(tensor).grad

    def __repr__(self):
        return (f"<Trace of {len(self.tensors)} tensors and {len(self.ops)} ops, "
                f"gradients: {self.grad_source}>")


# -- the walk ---------------------------------------------------------------------------------
def _walk(root):
    """Every tensor reachable from ``root`` through ``grad_fn.inputs``, operands before results.

    Iterative depth-first post-order, so a 10,000-op chain needs no recursion.
    """
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        t, done = stack.pop()
        if done:
            order.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append((t, True))
        fn = t.grad_fn
        if fn is not None:
            for inp in reversed(fn.inputs or ()):      # released: nothing left to walk
                if isinstance(inp, Tensor) and id(inp) not in seen:
                    stack.append((inp, False))
    return order


_ARGNAMES = {}


def _argnames(cls, n):
    """The names of ``cls.forward``'s positional parameters (after ctx), for ``n`` operands:
    the letters the rule uses (``a``, ``b``; ``tensors[2]`` for ``*tensors``)."""
    names = _ARGNAMES.get(cls)
    if names is None:
        names, var = [], None
        try:
            params = list(inspect.signature(cls.forward).parameters.values())[1:]
        except (TypeError, ValueError, AttributeError):   # table ops: their rules say a, b
            params = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD)
                      for n in ("a", "b")]
        for p in params:
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                names.append(p.name)
            elif p.kind == p.VAR_POSITIONAL:
                var = p.name
                break
        names = _ARGNAMES[cls] = (tuple(names), var)
    fixed, var = names
    out = list(fixed[:n])
    for i in range(len(out), n):
        out.append(f"{var}[{i - len(fixed)}]" if var else f"in{i}")
    return out


def _const_repr(value):
    if isinstance(value, np.ndarray):
        return f"array{tuple(value.shape)}"
    text = repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def _name_map(params, names):
    """id(tensor) -> name, and the ids of parameters, from ``params`` and ``names``."""
    out, param_ids = {}, set()
    if params is not None:
        if hasattr(params, "named_parameters"):
            items = params.named_parameters()
        elif isinstance(params, dict):
            items = params.items()
        else:
            items = params
        for name, p in items:
            if not isinstance(p, Tensor):
                raise TypeError(f"viz: params must map names to Tensors, got {type(p).__name__} "
                                f"for {name!r}")
            out.setdefault(id(p), name)
            param_ids.add(id(p))
    if names:
        for k, v in names.items():
            if isinstance(k, Tensor):          # {tensor: "name"}
                k, v = v, k
            if isinstance(k, str) and isinstance(v, Tensor) and not k.startswith("_"):
                out.setdefault(id(v), k)     # parameter names and the first name win
    return out, param_ids


def trace(root, params=None, names=None, modules=None, outputs=None, grads=True, gradient=None):
    """Snapshot the graph that computed ``root``: tensors, ops, values and gradients.

    Parameters
    ----------
    root : Tensor
        The result to draw back from (usually the loss).
    params : nn.Module, dict name -> Tensor, or iterable of (name, Tensor), optional
        Parameters, drawn as such and named (``model.named_parameters()`` names).
    names : dict, optional
        More names: ``{"x": x}`` or ``{x: "x"}``; ``names=locals()`` names every variable
        (non-Tensor values and names starting with ``_`` are ignored).
    modules : ModuleTrace, optional
        From ``with viz.trace_modules(model) as modules: ...``: which module call produced
        which tensor (clusters), and the model's parameter names.
    outputs : Tensor or sequence of Tensor, optional
        Tensors to mark as the network's output (the root is marked output or loss anyway).
    grads : bool
        Compute dE/d at every tensor and every edge while the graph is alive (one extra
        backward pass through each op's ``backward``; no hook runs and no ``.grad`` is
        written). When the graph was freed by ``backward()`` (without ``retain_graph=True``),
        only the ``.grad`` that backward stored is shown and ``Trace.note`` says why.
    gradient : array_like, optional
        dE/d``root`` when ``root`` has more than one element (as ``Tensor.backward``).

    Returns
    -------
    Trace

    Raises
    ------
    TypeError
        If ``root`` is not a Tensor or ``params`` holds something else than Tensors.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"viz.trace: root must be a Tensor, got {type(root).__name__}")
    if modules is not None and params is None:
        params = modules.model
    name_of, param_ids = _name_map(params, names)
    order = _walk(root)

    tensors, ops, by_id, op_of = [], [], {}, {}
    counters = {}
    for t in order:
        node = TensorNode(f"t{len(tensors)}", t)
        tensors.append(node)
        by_id[id(t)] = node
        fn = t.grad_fn
        if fn is not None:
            op = OpNode(f"f{len(ops)}", fn)
            ops.append(op)
            op_of[id(fn)] = op
            op.output, node.op = node, op
            argnames = _argnames(type(fn), len(fn.inputs))
            consts = []
            for pos, (inp, aname) in enumerate(zip(fn.inputs, argnames)):
                if isinstance(inp, Tensor):
                    src = by_id[id(inp)]
                    op.inputs.append((pos, aname, src))
                    src.consumers.append((op, pos))
                elif inp is not None and inp is not False:
                    consts.append(f"{aname}={_const_repr(inp)}")
            op.args = ", ".join(consts)
            lower = op.name.lower()
            counters[lower] = counters.get(lower, 0) + 1
            node.label = f"{lower}{counters[lower]}"
        _assign_role(node, t, root, name_of, param_ids)

    out_ids = {id(t) for t in _as_list(outputs)}
    if modules is not None:
        out_ids |= modules.output_ids()
    for node in tensors:
        if id(node.tensor) in out_ids and node.role in ("intermediate", "leaf"):
            node.role = "output"

    grad_source, note = _gradients(root, tensors, ops, grads, gradient)
    tr = Trace(by_id[id(root)], tensors, ops, grad_source, note, modules)
    if modules is not None:
        modules.assign(tr)
    return tr


def _assign_role(node, t, root, name_of, param_ids):
    node.name = name_of.get(id(t))
    if node.name is not None:
        node.label = node.name
    if t is root:
        node.role = "loss" if t.detach().numpy().size == 1 else "output"
        node.label = node.name or ("loss" if t.detach().numpy().size == 1 else "output")
    elif id(t) in param_ids:
        node.role = "param"
    elif t.grad_fn is not None:
        node.role = "intermediate"
    elif t.requires_grad:
        node.role = "leaf"
    elif t.detach().numpy().ndim == 0 and node.name is None:
        node.role = "const"
    else:
        node.role = "input"
    if node.label is None:
        node.label = {"param": "param", "leaf": "leaf", "input": "input"}.get(node.role, "")


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, Tensor):
        return [x]
    return list(x)


# -- gradients ----------------------------------------------------------------------------------
def _sum_to(a, shape):
    """Sum a broadcast gradient back to ``shape`` (what the engine does for every op)."""
    if a.shape == shape:
        return a
    lead = a.ndim - len(shape)
    if lead > 0:
        a = a.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and a.shape[i] != 1)
    if axes:
        a = a.sum(axis=axes, keepdims=True)
    return a.reshape(shape)


def vjp(op, grad_out):
    """The gradients ``op`` sends to its operands given dE/d(output) (ndarrays), by position.

    Calls the op's own ``backward`` with recording off; no hook runs, nothing is stored.

    Raises
    ------
    BackwardError
        When the op's saved tensors were freed by an earlier ``backward``.
    """
    fn = op.fn
    with no_grad():
        grads = fn.vjp(autograd.from_numpy(np.asarray(grad_out)))
    positions = [i for i, x in enumerate(fn.inputs) if isinstance(x, Tensor)]
    out = dict(zip(positions, grads))
    result = {}
    for pos, _, src in op.inputs:
        g = out.get(pos)
        if g is None or not fn.needs_input_grad[pos]:
            continue
        g = g.detach().numpy()
        if g.shape != src.shape:
            g = _sum_to(g, src.shape)
        result[pos] = g.astype(src.tensor.dtype, copy=False)
    return result


def is_released(fn):
    """True when ``backward`` has freed what ``fn`` saved (graph no longer differentiable)."""
    return bool(fn.released)


def _gradients(root, tensors, ops, want, gradient):
    """Fill ``TensorNode.grad`` and ``OpNode.edge_grads``; return (grad_source, note)."""
    stored = _stored_grads(tensors)
    if not want:
        return (".grad" if stored else "none", "")
    note = ""
    if root.grad_fn is None:
        note = "the root is a leaf: nothing to differentiate"
    elif any(is_released(op.fn) for op in ops):
        note = ("intermediate gradients unavailable: backward() freed this graph; draw before "
                "backward, use viz.trace(loss) first, or backward(retain_graph=True)")
    elif gradient is None and root.detach().numpy().size != 1:
        note = (f"the root has shape {tuple(root.shape)}: pass gradient= to see dE/d at every "
                "node")
    if note:
        return (".grad" if stored else "none", note)
    seed = (np.ones_like(root.detach().numpy()) if gradient is None
            else np.broadcast_to(np.asarray(getattr(gradient, "data", gradient),
                                            dtype=root.detach().numpy().dtype), root.shape))
    grads = {tensors[-1].key: seed}
    try:
        for node in reversed(tensors):      # every consumer runs before the tensor it uses
            g = grads.get(node.key)
            node.grad = g
            if node.op is None or g is None:
                continue
            for pos, gi in vjp(node.op, g).items():
                node.op.edge_grads[pos] = gi
                src = next(s for p, _, s in node.op.inputs if p == pos)
                old = grads.get(src.key)
                grads[src.key] = gi if old is None else old + gi
    except BackwardError as exc:           # freed half-way (e.g. a shared subgraph)
        for node in tensors:
            node.grad = None
        for op in ops:
            op.edge_grads = {}
        _stored_grads(tensors)
        return (".grad", f"intermediate gradients unavailable: {exc}")
    return ("computed", "")


def _stored_grads(tensors):
    """Use what ``backward`` stored in ``.grad``; True if any tensor has one."""
    found = False
    for node in tensors:
        g = node.tensor.grad
        if g is not None:
            node.grad = np.array(g.detach().numpy(), copy=True)
            found = True
    return found
