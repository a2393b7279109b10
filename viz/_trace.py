"""Reading a recorded graph for pictures: its tensors and ops, operand-order edges, values and
the engine's gradients.

``trace(root)`` reads the graph that computed ``root`` through ``autograd.graph`` only: the one
traversal (``walk``) and the node API (``next_functions``, ``inputs``, ``inputs_meta``,
``rule``, ``saved_bytes``, ``groups``). It takes a snapshot: for every tensor its name, role,
shape, dtype and a value summary (while the value is alive); for every op its name, local
derivative rule and constant arguments; and the gradients the engine computed:

* after a backward inside ``viz.record()`` (``autograd.graph.record()``), every node kept the
  gradient it received and the shares it sent to its inputs: dE/dt of every tensor and the
  share along every edge are known ("recorded");
* otherwise only what backward stored in ``.grad`` (leaves, ``retain_grad`` tensors), and
  ``Trace.note`` says how to see the rest.

viz computes no gradient itself. Calls of composite functions (``nn.functional.cross_entropy``
and the others marked ``autograd.graph.composite``) become one op unless ``expand=True``.
"""

import inspect
import math
import numbers

import numpy as np

from autograd import Tensor, graph

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


def array_of(t):
    """The values of a Tensor (or a gradient Tensor) as an ndarray, nothing recorded."""
    return t.detach().numpy() if isinstance(t, Tensor) else np.asarray(t)


class TensorNode:
    """One tensor of the graph, as drawn.

    Attributes
    ----------
    key : str            the DOT node id (``t0``, ``t1``, ... inputs before consumers)
    tensor : Tensor or None   the tensor, while something keeps it alive (None once backward
                         freed an intermediate, or for a number operand)
    number : number or None   a Python number operand (the 0.5 of ``0.5 * x``)
    name : str or None   its parameter / variable name, if known
    label : str          ``name``, else an automatic name after the op that made it (``mul2``)
    role : str           one of ``param leaf input const intermediate output loss``
    shape, dtype         shape tuple and dtype name (kept after the values were freed)
    value : str or None  value summary, None when the value was freed
    grad : ndarray or None   dE/d(this tensor): recorded by backward, or ``.grad``
    op : OpNode or None  the op that produced it
    module : int or None the index of the module call that produced it
    consumers : list of (OpNode, position)
    """

    __slots__ = ("key", "tensor", "number", "name", "label", "role", "shape", "dtype", "value",
                 "grad", "op", "module", "consumers")

    def __init__(self, key, tensor=None, meta=None, number=None):
        self.key, self.tensor, self.number = key, tensor, number
        self.name = self.label = None
        self.role = "intermediate"
        if tensor is not None:
            self.shape, self.dtype = tuple(tensor.shape), np.dtype(tensor.dtype).name
            self.value = summarize(array_of(tensor))
        elif meta is not None:
            self.shape, self.dtype, self.value = tuple(meta.shape), np.dtype(meta.dtype).name, None
        else:                                    # a Python number operand
            self.shape, self.dtype = (), type(number).__name__
            self.value = fmt(number)
        self.grad = None
        self.op = None
        self.module = None
        self.consumers = []

    @property
    def numel(self):
        return int(np.prod(self.shape, dtype=np.int64))

    def array(self):
        """Its values as an ndarray, or None when they were freed."""
        if self.tensor is not None:
            return array_of(self.tensor)
        return None if self.number is None else np.asarray(self.number)

    def __repr__(self):
        return f"<TensorNode {self.key} {self.label} {tuple(self.shape)}>"


class OpNode:
    """One recorded operation, or one call of a composite function drawn as one.

    Attributes
    ----------
    key : str                       DOT node id (``f0``, ``f1``, ...)
    fn : autograd.graph.Node        the node (for a composite call: the node of its result)
    members : tuple of Node         the nodes it stands for (``(fn,)`` for one op)
    group : Group or None           the composite call (``autograd.graph.composite``)
    name, rule : str                ``Mul`` (the node's ``name()`` without ``Backward``) or
                                    ``cross_entropy``, and the local derivative in words
    args : str                      its constant arguments (``dim=1``), for the label
    inputs : list of (position, argname, TensorNode)   tensor operands in operand order
    flows : set of int              the positions a gradient flows to (inputs requiring grad)
    output : TensorNode
    edge_grads : dict position -> ndarray   the share of the gradient sent to each operand
    run_index : int or None         its place in the recorded backward (0 ran first)
    """

    __slots__ = ("key", "fn", "members", "group", "name", "rule", "args", "inputs", "flows",
                 "output", "module", "edge_grads", "run_index", "member_edges")

    def __init__(self, key, fn, members=None, group=None):
        self.key, self.fn, self.group = key, fn, group
        self.members = tuple(members) if members else (fn,)
        if group is not None:
            self.name, self.rule = group.label, group.rule or ""
        else:
            self.name = op_name(fn)
            self.rule = fn.rule or ""
        self.args = ""
        self.inputs = []
        self.flows = set()
        self.output = None
        self.module = None
        self.edge_grads = {}
        self.run_index = None
        self.member_edges = None      # composite: position -> [(member node, its position)]

    @property
    def released(self):
        """True when backward freed what its nodes recorded (values, saved tensors)."""
        return any(n.released for n in self.members)

    @property
    def saved_bytes(self):
        """Bytes its nodes keep alive for backward (0 once released)."""
        return sum(n.saved_bytes for n in self.members)

    @property
    def saved_shapes(self):
        return [tuple(info.shape) for n in self.members for info in n.saved_tensors_info]

    def __repr__(self):
        return f"<OpNode {self.key} {self.name}>"


def op_name(node):
    """``Mul`` for a ``MulBackward`` node: the op's name as the user wrote it."""
    name = node.name()
    return name[:-len("Backward")] if name.endswith("Backward") else name


class Trace:
    """A snapshot of the graph that computed ``root`` (see ``viz.trace``).

    Attributes
    ----------
    root : TensorNode
    tensors : list of TensorNode    creation order (operands before the ops that use them)
    ops : list of OpNode            same order
    grad_source : str
        ``"recorded"`` (dE/dt of every tensor, kept by a backward inside ``viz.record()``),
        ``".grad"`` (only what backward stored: leaves and ``retain_grad`` tensors) or
        ``"none"``.
    state : str
        ``"recorded"``, ``"live"`` (no backward yet) or ``"released"`` (backward freed it).
    note : str
        What is missing and how to see it ("" when everything is there).
    modules : list of ModuleCall    the module calls found on the graph (may be empty)
    """

    def __init__(self, root, tensors, ops, grad_source, state, note, modules):
        self.root, self.tensors, self.ops = root, tensors, ops
        self.grad_source, self.state, self.note = grad_source, state, note
        self.modules = modules
        self._by_id = {}
        self._by_node = {}
        for n in tensors:
            if n.tensor is not None:
                self._by_id.setdefault(id(n.tensor), n)
        for op in ops:
            for m in op.members:
                self._by_node[m] = op.output

    def node(self, tensor):
        """The TensorNode of ``tensor`` (KeyError if the tensor is not in the graph)."""
        found = self._by_id.get(id(tensor))
        if found is None and getattr(tensor, "grad_fn", None) is not None:
            found = self._by_node.get(tensor.grad_fn)
        if found is None:
            raise KeyError(f"a tensor of shape {tuple(tensor.shape)} is not in the graph")
        return found

    def output_of(self, node):
        """The TensorNode of a graph node's output (None if the node is not drawn)."""
        return self._by_node.get(node)

    def __contains__(self, tensor):
        try:
            self.node(tensor)
        except KeyError:
            return False
        return True

    def __len__(self):
        return len(self.tensors) + len(self.ops)

    def grad(self, tensor):
        """dE/d``tensor`` as an ndarray, or None when unknown."""
        return self.node(tensor).grad

    def __repr__(self):
        return (f"<Trace of {len(self.tensors)} tensors and {len(self.ops)} ops, "
                f"gradients: {self.grad_source}>")


# -- reading one node's inputs ----------------------------------------------------------------
def node_inputs(node):
    """``(position, kind, source, meta, tensor)`` per input of ``node``, in operand order.

    kind ``"node"`` (source: the producing node), ``"leaf"`` (source: the leaf Tensor that
    requires grad), ``"data"`` (a Tensor that does not: source None) or ``"value"`` (a number or
    another constant: source the value). ``tensor`` is the input Tensor while the node is alive.
    """
    alive = node.inputs
    edges = iter(node.next_functions)
    for i, meta in enumerate(node.inputs_meta):
        if isinstance(meta, graph.TensorMeta):
            edge = next(edges)[0]
            t = alive[i] if alive is not None else None
            if isinstance(edge, graph.Node):
                yield i, "node", edge, meta, t
            elif isinstance(edge, graph.AccumulateGrad):
                yield i, "leaf", edge.variable, meta, edge.variable
            else:
                yield i, "data", None, meta, t
        else:
            value = alive[i] if alive is not None else meta
            if value is not None:
                yield i, "value", value, None, None


_ARGNAMES = {}


def argnames(node, n):
    """The names of ``node``'s ``n`` inputs, the letters its rule uses: the parameters of a
    ``Function``'s ``forward`` (after ctx; ``tensors[2]`` for ``*tensors``), ``a, b`` for a
    table op's operands and its rule's names for extra parameters (``a, p`` for ``a ** p``)."""
    cls = type(node)
    names = _ARGNAMES.get(cls)
    if names is None:
        names = _ARGNAMES[cls] = _signature_names(cls)
    fixed, var = names
    out = list(fixed[:n])
    for i in range(len(out), n):
        out.append(f"{var}[{i - len(fixed)}]" if var else f"in{i}")
    return out


def _signature_names(cls):
    forward = getattr(cls, "forward", None)
    arity = getattr(cls, "arity", None)
    if forward is None and isinstance(arity, int):          # a table op: a, b (+ parameters)
        extra = []
        rule = getattr(cls, "vjp_rule", None)
        if rule is not None:
            try:
                extra = list(inspect.signature(rule).parameters)[2 + arity:-1]
            except (TypeError, ValueError):
                extra = []
        return tuple("ab"[:arity]) + tuple(extra), None
    names, var = [], None
    try:
        params = list(inspect.signature(forward).parameters.values())[1:]
    except (TypeError, ValueError):
        return ("a", "b"), None
    for p in params:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            names.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            var = p.name
            break
    return tuple(names), var


def is_elementwise(node):
    """A node of the elementwise table (``autograd/ops/ufuncs.py``: ``Mul``, ``Tanh``, ...),
    whose rows have an ``arity`` and no ``forward``."""
    cls = type(node)
    return getattr(cls, "forward", None) is None and isinstance(getattr(cls, "arity", None), int)


def is_operand(node, position, value):
    """A number among a table op's operands (the 0.5 of ``0.5 * x``) is drawn as a constant
    node; a number elsewhere (the exponent of ``x ** 2``, a dim) is an argument."""
    return (isinstance(value, numbers.Number) and not isinstance(value, bool)
            and is_elementwise(node) and position < type(node).arity)


def const_repr(value):
    if isinstance(value, np.ndarray):
        return f"array{tuple(value.shape)}"
    text = repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


# -- names ----------------------------------------------------------------------------------------
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
    named = []
    if names:
        for k, v in names.items():
            if isinstance(k, Tensor):          # {tensor: "name"}
                k, v = v, k
            if isinstance(k, str) and isinstance(v, Tensor) and not k.startswith("_"):
                out.setdefault(id(v), k)     # parameter names and the first name win
                named.append(v)
    return out, param_ids, named


# -- composite calls ----------------------------------------------------------------------------
def _composites(nodes, consumers):
    """member node -> (Group, output node) for the composite calls drawn as one op: the
    outermost calls (a node belongs to the call it was recorded in: ``node in group``), when
    nothing outside a call reads one of its intermediate results."""
    found = {}
    for n in nodes:
        for g in n.groups:
            if g.kind == "function" and g not in found:
                found[g] = n
    claimed = {}
    for g in sorted(found):                            # enclosing calls first
        out = found[g]
        if out in claimed:
            continue
        members = [n for n in nodes if n in g and n not in claimed]
        inner = set(members) - {out}
        if any(c not in inner and c is not out for m in inner for c, _ in consumers.get(m, ())):
            continue                                   # an inner result is used elsewhere
        for m in members:
            claimed[m] = (g, out)
    return claimed


# -- the snapshot -------------------------------------------------------------------------------
def trace(root, params=None, names=None, modules=None, outputs=None, grads=True, expand=False,
          records=None):
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
        From ``with viz.trace_modules(model) as modules: ...`` (its model names the
        parameters). Module calls recorded inside ``viz.record()`` are found without it.
    outputs : Tensor or sequence of Tensor, optional
        Tensors to mark as the network's output (the root is marked output or loss anyway).
    grads : bool
        Read the gradients (recorded, else ``.grad``); False leaves them out.
    expand : bool
        Draw the ops inside composite calls (``cross_entropy``, ``mse_loss``, ...) instead of
        one node per call.
    records : dict, optional
        node -> ``autograd.graph.Recorded`` from ``autograd.graph.record(into=...)``, used
        instead of what the nodes kept.

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
    from .modules import find_calls, assign_calls
    if modules is not None and params is None:
        params = modules.model
    name_of, param_ids, named = _name_map(params, names)
    nodes = list(graph.walk([root]))[::-1]              # creation order
    b = _Builder(root, nodes, name_of, param_ids, named, records)
    b.build(expand)
    calls = find_calls(nodes, b.node_of)
    tr_modules = calls
    for call in calls:
        for name, p in call.qualified_parameters():
            if id(p) not in name_of:
                name_of[id(p)] = name
                param_ids.add(id(p))
    b.roles(outputs, calls)
    state, source, note = b.gradients(grads)
    tr = Trace(b.tensor_of_root, b.tensors, b.ops, source, state, note, tr_modules)
    assign_calls(tr, calls, nodes)
    _label_targets(tr)
    return tr


class _Builder:
    """The state of one ``trace`` call (kept together so each step is a short method)."""

    def __init__(self, root, nodes, name_of, param_ids, named, records):
        self.root, self.nodes, self.records = root, nodes, records
        self.name_of, self.param_ids = name_of, param_ids
        self.tensors, self.ops = [], []
        self.by_node, self.by_id, self.node_of = {}, {}, {}
        self.consumers = {}
        self.out_tensor = {root.grad_fn: root} if root.grad_fn is not None else {}
        for t in named:
            if t.grad_fn is not None:
                self.out_tensor.setdefault(t.grad_fn, t)
        self.counters = {}

    # tensors
    def _new_tensor(self, tensor=None, meta=None, number=None):
        tn = TensorNode(f"t{len(self.tensors)}", tensor, meta, number)
        self.tensors.append(tn)
        return tn

    def _source(self, kind, src, meta, t):
        """The TensorNode of one input (made on first use)."""
        if kind == "node":
            return self.by_node[src]
        if kind == "value":
            tn = self._new_tensor(number=src)
            tn.role = "const"
            return tn
        if t is None:                       # data freed by backward: shape only, per use
            tn = self._new_tensor(meta=meta)
            tn.role = "input"
            return tn
        tn = self.by_id.get(id(t))
        if tn is None:
            tn = self.by_id[id(t)] = self._new_tensor(tensor=t)
        return tn

    def build(self, expand):
        for n in self.nodes:
            for pos, kind, src, _, t in node_inputs(n):
                if kind == "node":
                    self.consumers.setdefault(src, []).append((n, pos))
                    if t is not None:
                        self.out_tensor.setdefault(src, t)
        if self.root.grad_fn is None:
            self.tensor_of_root = self._source("leaf", self.root, None, self.root)
            return
        composites = {} if expand else _composites(self.nodes, self.consumers)
        for n in self.nodes:
            group, out = composites.get(n, (None, None))
            if group is None:
                self._primitive(n)
            elif n is out:
                self._composite(group, out, [m for m in self.nodes
                                             if composites.get(m, (None,))[0] is group])
        self.tensor_of_root = self.by_node[self.root.grad_fn]

    def _op(self, fn, members=None, group=None):
        op = OpNode(f"f{len(self.ops)}", fn, members, group)
        self.ops.append(op)
        out = self._new_tensor(tensor=self.out_tensor.get(fn), meta=_output_meta(fn, self))
        op.output, out.op = out, op
        for m in op.members:
            self.by_node[m] = out
            self.node_of[m] = op
        lower = op.name.lower()
        self.counters[lower] = self.counters.get(lower, 0) + 1
        out.label = f"{lower}{self.counters[lower]}"
        return op

    def _link(self, op, pos, aname, tn, flows):
        op.inputs.append((pos, aname, tn))
        tn.consumers.append((op, pos))
        if flows:
            op.flows.add(pos)

    def _primitive(self, n):
        inputs = list(node_inputs(n))
        anames = argnames(n, len(n.inputs_meta))
        consts = []
        pending = []
        for pos, kind, src, meta, t in inputs:
            if kind == "value" and not is_operand(n, pos, src):
                if src is not False:
                    window = window_text(src)
                    consts.append(window if window is not None
                                  else f"{anames[pos]}={const_repr(src)}")
                continue
            pending.append((pos, anames[pos], self._source(kind, src, meta, t),
                            kind in ("node", "leaf")))
        op = self._op(n)
        op.args = ", ".join(consts)
        for pos, aname, tn, flows in pending:
            self._link(op, pos, aname, tn, flows)

    def _composite(self, group, out, members):
        inner = set(members)
        external = {}                    # key -> [TensorNode, [(member node, its position)]]
        for m in members:
            for pos, kind, src, meta, t in node_inputs(m):
                if kind == "node" and src in inner or kind in ("data", "value"):
                    continue                   # internal results and constants stay inside
                key = src if kind == "node" else id(src)
                if key not in external:
                    external[key] = [self._source(kind, src, meta, t), []]
                external[key][1].append((m, pos))
        op = self._op(out, members, group)
        op.args = ", ".join(f"{k}={const_repr(v)}" for k, v in group.options)
        self._composite_inputs(op, group, external)

    def _composite_inputs(self, op, group, external):
        """Name the call's inputs by its parameters (``input``, ``target``): the graph inputs
        matched to the call's Tensor arguments, then its arguments that need no gradient (a
        target, which may only have become numbers inside) as data inputs."""
        slots = {}                                   # external key -> parameter name
        for gi in group.inputs:
            t = gi.ref()
            if t is not None:
                key = t.grad_fn if t.grad_fn is not None else id(t)
                if key in external and key not in slots:
                    slots[key] = gi.name
        spare = [gi.name for gi in group.inputs
                 if gi.meta.requires_grad and gi.name not in slots.values()]
        op.member_edges = {}
        for pos, (key, (tn, edges)) in enumerate(external.items()):
            name = slots.get(key) or (spare.pop(0) if spare else f"in{pos}")
            self._link(op, pos, name, tn, True)
            op.member_edges[pos] = edges
        pos = len(external)
        for gi in group.inputs:
            if gi.meta.requires_grad or gi.name in slots.values():
                continue
            t = gi.ref()
            tn = self._source("data", None, gi.meta, t)
            if t is None or self.name_of.get(id(t)) is None:
                tn.label = gi.name
            self._link(op, pos, gi.name, tn, False)
            pos += 1

    # roles and names
    def roles(self, outputs, calls):
        out_ids = {id(t) for t in _as_list(outputs)}
        out_nodes = {n for call in calls if call.parent is None for n in call.output_nodes}
        for tn in self.tensors:
            _assign_role(tn, self)
            if tn.role in ("intermediate", "leaf") and (
                    tn.tensor is not None and id(tn.tensor) in out_ids
                    or tn.op is not None and tn.op.fn in out_nodes):
                tn.role = "output"

    # gradients
    def _record(self, node):
        if self.records is not None:
            return self.records.get(node)
        if node.run_index is None:
            return None
        return graph.Recorded(node.run_index, node.grad_output, node.grad_inputs)

    def gradients(self, want):
        recs = {m: self._record(m) for op in self.ops for m in op.members}
        recorded = any(r is not None for r in recs.values())
        released = any(op.released for op in self.ops)
        state = "recorded" if recorded else "released" if released else "live"
        if not want:
            return state, "none", ""
        if recorded:
            self._recorded_gradients(recs)
            return state, "recorded", ""
        found = False
        for tn in self.tensors:
            t = tn.tensor
            g = t.grad if t is not None and tn.role != "const" else None
            if g is not None:
                tn.grad = np.array(array_of(g), copy=True)
                found = True
        return state, ".grad" if found else "none", _missing_note(state, self.tensor_of_root)

    def _recorded_gradients(self, recs):
        for op in self.ops:
            rec = recs.get(op.fn)
            if rec is None:
                continue
            op.run_index = min(r.run_index for r in (recs.get(m) for m in op.members)
                               if r is not None)
            op.output.grad = array_of(rec.grad_output)
            edges = op.member_edges
            for pos, _, _ in op.inputs:
                if pos not in op.flows:
                    continue
                parts = edges[pos] if edges is not None else [(op.fn, pos)]
                shares = [recs[m].grad_inputs[p] for m, p in parts
                          if recs.get(m) is not None and recs[m].grad_inputs[p] is not None]
                if shares:
                    total = array_of(shares[0])
                    for s in shares[1:]:
                        total = total + array_of(s)
                    op.edge_grads[pos] = total
        for tn in self.tensors:                 # a leaf's gradient: the sum of its shares
            if tn.op is None:
                shares = [op.edge_grads[pos] for op, pos in tn.consumers if pos in op.edge_grads]
                if shares:
                    tn.grad = sum(shares[1:], shares[0])


def _output_meta(node, builder):
    """Shape and dtype of ``node``'s output: from a consumer's ``inputs_meta`` (kept after
    release) or the root."""
    if node is builder.root.grad_fn:
        r = builder.root
        return graph.TensorMeta(tuple(r.shape), r.dtype, True)
    for consumer, pos in builder.consumers.get(node, ()):
        return consumer.inputs_meta[pos]
    return graph.TensorMeta((), np.dtype(np.float32), True)


def _missing_note(state, root):
    label = "loss" if root.label in (None, "", "loss") else root.label
    if root.op is None:
        return "the root is a leaf: nothing to differentiate"
    if state == "live":
        return (f"gradients not computed yet: {label}.backward() computes them; "
                "inside 'with viz.record():' every intermediate one is kept")
    return ("backward() freed the intermediate values and gradients (as PyTorch does); to see "
            "them, put 'with viz.record():' around the forward pass and backward()")


def _assign_role(node, b):
    t = node.tensor
    node.name = b.name_of.get(id(t)) if t is not None else None
    if node.name is not None:
        node.label = node.name
    if node.op is not None and node.op.fn is b.root.grad_fn or t is b.root:
        one = node.numel == 1
        node.role = "loss" if one else "output"
        node.label = node.name or ("loss" if one else "output")
    elif t is not None and id(t) in b.param_ids:
        node.role = "param"
    elif node.op is not None:
        node.role = "intermediate"
    elif node.role == "const":
        pass
    elif t is not None and t.requires_grad:
        node.role = "leaf"
    else:
        node.role = "input"
    if node.label is None:
        node.label = {"param": "param", "leaf": "leaf", "input": "input",
                      "const": node.value}.get(node.role, "")


def _label_targets(tr):
    """With module calls known, data that is no module's input and comes from no module (the
    labels or targets the loss compares with) is labelled ``target`` instead of ``input``."""
    if not tr.modules:
        return
    fed = {id(t) for call in tr.modules for t in call.inputs}
    for node in tr.tensors:
        if (node.role == "input" and node.name is None and node.module is None
                and node.label == "input" and node.tensor is not None
                and id(node.tensor) not in fed):
            node.label = "target"


def _as_list(x):
    if x is None:
        return []
    if isinstance(x, Tensor):
        return [x]
    return list(x)


def window_text(geo):
    """``kernel 5x5, stride 2, padding 1`` for an object with kernel/stride/pads (the window
    geometry conv and pool ops keep); dilation and groups only when they are not 1."""
    kernel, stride, pads = (getattr(geo, k, None) for k in ("kernel", "stride", "pads"))
    if kernel is None or stride is None or pads is None:
        return None

    def same(values):
        values = tuple(values)
        return str(values[0]) if len(set(values)) == 1 else "x".join(map(str, values))
    flat = [p for pair in pads for p in (pair if isinstance(pair, tuple) else (pair,))]
    parts = [f"kernel {'x'.join(map(str, kernel))}", f"stride {same(stride)}",
             f"padding {same(flat)}"]
    dilation = tuple(getattr(geo, "dilation", ()) or ())
    if dilation and set(dilation) != {1}:
        parts.append(f"dilation {same(dilation)}")
    if getattr(geo, "groups", 1) != 1:
        parts.append(f"groups {geo.groups}")
    return ", ".join(parts)
