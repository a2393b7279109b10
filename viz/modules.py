"""Which module call produced which node: each call is an ``autograd.graph.Group``.

Inside ``viz.record()`` every module call is recorded (global forward hooks); with
``viz.trace_modules(model)`` the calls of one model's submodules are. Either way a call becomes
a ``Group`` of kind ``"module"`` attached to the nodes of its output, so a drawing finds the
calls on the graph itself, with no list to keep:

    with viz.record():
        loss = loss_fn(model(x), y)
        loss.backward()
    viz.draw_graph(loss)                                # a cluster per module call
    viz.draw_graph(loss, collapse_modules=True)         # one node per layer

Works with any object that has PyTorch's ``named_modules()``/``named_children()`` and
``register_forward_pre_hook``/``register_forward_hook``.
"""

import inspect

from autograd import graph

__all__ = ["trace_modules", "ModuleTrace", "ModuleCall", "CallRecorder"]


def _join(prefix, name):
    return f"{prefix}.{name}" if prefix else name


_INPUT_NAMES = {}


def _input_names(module):
    """The names of ``module.forward``'s positional parameters (``input``, ``target``)."""
    cls = type(module)
    names = _INPUT_NAMES.get(cls)
    if names is None:
        try:
            params = inspect.signature(module.forward).parameters.values()
            names = tuple(p.name for p in params
                          if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
        except (TypeError, ValueError):
            names = ()
        _INPUT_NAMES[cls] = names
    return names


class CallRecorder:
    """Forward pre-hook and hook that make every module call a ``Group`` (kind "module"),
    labelled with the module's qualified name (``layer1.0.conv1``; ``""`` for an outermost
    call) and linked to the enclosing call (``parent``).

    Parameters
    ----------
    names : dict id(module) -> str, optional
        Qualified names (a model's ``named_modules()``); by default each call is named from
        the enclosing call's ``named_children()``.
    """

    def __init__(self, names=None):
        self.names = names
        self.stack = []
        self.done = []              # ended groups, in completion order

    def pre(self, module, args):
        parent = self.stack[-1] if self.stack else None
        group = graph.Group(self._name(module, parent), "module", module)
        group.parent = parent
        self.stack.append(group.start())

    def post(self, module, args, output):
        """End the call's group; returns the nodes of its output that got it."""
        while self.stack:                       # an exception may have skipped inner calls
            group = self.stack.pop()
            if group.owner is module:
                break
        else:
            return ()
        self.done.append(group)
        return group.end(output, args, None, _input_names(module))

    def _name(self, module, parent):
        if self.names is not None:
            return self.names.get(id(module), type(module).__name__)
        if parent is None:
            return ""
        owner = parent.owner
        for name, child in owner.named_children():
            if child is module:
                return _join(parent.label, name)
        for name, sub in owner.named_modules():
            if sub is module and name:
                return _join(parent.label, name)
        return _join(parent.label, type(module).__name__)


class ModuleCall:
    """One call of one module, as found on the graph.

    Attributes
    ----------
    index : int            completion order (inner calls complete before the calls around them)
    name : str             qualified name (``layer1.0.conv1``; ``""`` for an outermost call)
    module : Module
    group : autograd.graph.Group
    title : str            ``name`` (or the class name), with ``#2`` for a second call
    parent : int or None   the index of the enclosing call
    depth : int            0 for the model, 1 for its children, ...
    output_nodes : list    the graph nodes of its outputs
    inputs : list of Tensor   its Tensor arguments still alive
    """

    def __init__(self, index, group, title):
        self.index, self.group, self.title = index, group, title
        self.name, self.module = group.label, group.owner
        self.parent = None
        self.children = []
        self.depth = 0 if self.name == "" else self.name.count(".") + 1
        self.output_nodes = []

    @property
    def inputs(self):
        return [t for t in (gi.ref() for gi in self.group.inputs) if t is not None]

    @property
    def is_leaf_module(self):
        return not any(True for _ in self.module.children())

    def qualified_parameters(self):
        """``(qualified name, parameter)`` for an outermost call's module (its
        ``named_parameters()``); inner calls' parameters are named through it."""
        if self.parent is not None or not hasattr(self.module, "named_parameters"):
            return []
        return [(_join(self.name, n), p) for n, p in self.module.named_parameters()]

    def describe(self):
        """What the layer does, for its box: a convolution or pooling as ``Conv2d(1, 6)
        kernel 5x5, stride 1, padding 2`` (its window), any other module as its class name
        and ``extra_repr`` (``Linear(in_features=400, out_features=120, bias=True)``)."""
        name = type(self.module).__name__
        window = _window(self.module)
        if window is not None:
            channels = [getattr(self.module, k, None) for k in ("in_channels", "out_channels")]
            head = f"{name}({channels[0]}, {channels[1]})" if None not in channels else name
            return f"{head} {window}"
        extra = ""
        if hasattr(self.module, "extra_repr"):
            try:
                extra = self.module.extra_repr()
            except Exception:       # a broken extra_repr must not break a drawing
                extra = ""
        text = f"{name}({extra})"
        return text if len(text) <= 120 else text[:117] + "...)"

    def __repr__(self):
        return f"<ModuleCall {self.index} {self.title}>"


def _window(module):
    """``kernel 5x5, stride 2, padding 1`` from PyTorch's kernel_size/stride/padding
    attributes (ints or tuples); None for a module without a window."""
    if not all(hasattr(module, k) for k in ("kernel_size", "stride")):
        return None

    def text(v):
        v = tuple(v) if isinstance(v, (tuple, list)) else (v,)
        return str(v[0]) if len(set(v)) == 1 else "x".join(map(str, v))

    kernel = module.kernel_size
    if not isinstance(kernel, (tuple, list)):      # a square window of a 2-d layer: 2x2
        kernel = (kernel, kernel) if type(module).__name__.endswith("2d") else (kernel,)
    kernel = "x".join(map(str, kernel))
    parts = [f"kernel {kernel}"]
    stride = module.stride if module.stride is not None else module.kernel_size
    parts.append(f"stride {text(stride)}")
    padding = getattr(module, "padding", 0)
    parts.append(f"padding {padding if isinstance(padding, str) else text(padding)}")
    dilation = getattr(module, "dilation", 1)
    if text(dilation) != "1":
        parts.append(f"dilation {text(dilation)}")
    if getattr(module, "groups", 1) != 1:
        parts.append(f"groups {module.groups}")
    if getattr(module, "ceil_mode", False):
        parts.append("ceil_mode")
    return ", ".join(parts)


# -- the calls of one graph -------------------------------------------------------------------
def find_calls(nodes, node_of=None):
    """The module calls whose groups are attached to ``nodes`` (and the calls around them),
    as ModuleCalls in completion order, linked to their parents."""
    outputs = {}
    for n in nodes:
        for g in n.groups:
            if g.kind == "module":
                outputs.setdefault(g, []).append(n)
    groups = set(outputs)
    for g in list(groups):
        p = g.parent
        while p is not None and p not in groups:
            groups.add(p)
            p = p.parent
    children = {}
    for g in sorted(groups):                              # start order
        children.setdefault(g.parent if g.parent in groups else None, []).append(g)
    order = []

    def post_order(g):                                    # completion order, iteratively
        stack = [(g, False)]
        while stack:
            item, done = stack.pop()
            if done:
                order.append(item)
                continue
            stack.append((item, True))
            stack.extend((c, False) for c in reversed(children.get(item, ())))
    for g in children.get(None, ()):
        post_order(g)
    return _calls(order, outputs)


def _calls(order, outputs):
    counts, titles = {}, {}
    for g in sorted(order):                               # #2 counts calls in call order
        base = g.label or type(g.owner).__name__
        counts[base] = counts.get(base, 0) + 1
        titles[g] = base if counts[base] == 1 else f"{base} #{counts[base]}"
    calls = [ModuleCall(i, g, titles[g]) for i, g in enumerate(order)]
    index = {c.group: c for c in calls}
    for c in calls:
        parent = index.get(c.group.parent)
        if parent is not None:
            c.parent = parent.index
            parent.children.append(c)
        c.output_nodes = outputs.get(c.group, [])
    return calls


def innermost(calls, node):
    """The innermost call during which ``node`` was recorded (None outside every call)."""
    level = [c for c in calls if c.parent is None]
    found = None
    while True:
        for c in level:
            if node in c.group:
                found, level = c, sorted(c.children, key=lambda x: x.group)
                break
        else:
            return found


def assign_calls(tr, calls, nodes):
    """Set ``.module`` on the trace's ops and tensors: the innermost call that made them;
    parameters and buffers go to the first call of the module that owns them, other leaves
    made inside a module (constants) to the module of the ops that use them."""
    if not calls:
        return
    for op in tr.ops:
        call = innermost(calls, op.fn)
        if call is not None:
            op.module = op.output.module = call.index
    owner = {}
    for call in sorted(calls, key=lambda c: c.group, reverse=True):   # the first call wins
        for kind in ("named_parameters", "named_buffers"):
            items = getattr(call.module, kind, None)
            for name, t in (items(recurse=False) if items is not None else ()):
                owner[id(t)] = (call, name)
    fed = {id(t) for call in calls for t in call.inputs}
    for node in tr.tensors:
        if node.op is not None or node.tensor is None:
            continue
        found = owner.get(id(node.tensor))
        if found is not None:
            call, name = found
            node.module = call.index
            if node.name is None and node.role != "param":
                node.name = node.label = _join(call.name, name)
        elif node.consumers and node.role != "param" and id(node.tensor) not in fed:
            mods = {op.module for op, _ in node.consumers}
            if len(mods) == 1:
                node.module = mods.pop()


# -- trace_modules ---------------------------------------------------------------------------
class ModuleTrace:
    """The module calls of one model recorded while the ``trace_modules`` context was open.

    Attributes
    ----------
    model : Module
    calls : list of ModuleCall   completion order (inner before outer)
    """

    def __init__(self, model):
        if not hasattr(model, "named_modules"):
            raise TypeError(f"viz.trace_modules: expected an nn.Module, got "
                            f"{type(model).__name__}")
        self.model = model
        self.calls = []
        self._handles = []
        self._recorder = None
        self._keep = []
        self._outputs = {}

    def __enter__(self):
        from .recording import active
        names = {id(m): name for name, m in self.model.named_modules()}
        self._recorder = CallRecorder(names)
        if active() is not None:      # viz.record() already records every call: no 2nd group
            self._shared, self._start = active(), len(active().calls)
            return self
        self._shared = None
        for _, module in self.model.named_modules():
            self._handles.append(module.register_forward_pre_hook(self._recorder.pre))
            self._handles.append(module.register_forward_hook(self._post))
        return self

    def _post(self, module, args, output):
        nodes = self._recorder.post(module, args, output)
        if nodes:                               # the call's tensors stay alive with the trace
            self._outputs[self._recorder.done[-1]] = list(nodes)
            self._keep.append((args, output))

    def __exit__(self, *exc):
        for h in self._handles:
            h.remove()
        self._handles = []
        if self._shared is not None:
            mine = {id(m) for m in self.model.modules()}
            done = [g for g in self._shared.calls[self._start:] if id(g.owner) in mine]
            self.calls = _calls(done, {})
            return False
        self.calls = _calls(self._recorder.done, self._outputs)
        return False

    def __repr__(self):
        return f"<ModuleTrace of {type(self.model).__name__}: {len(self.calls)} calls>"


def trace_modules(model):
    """Context manager: record which call of ``model``'s submodules produced which node
    (forward hooks; inside ``viz.record()`` every module call is recorded without it).

    Parameters
    ----------
    model : nn.Module (anything with ``named_modules`` and ``register_forward_hook``)

    Returns
    -------
    ModuleTrace
        Its ``model`` names the parameters (``modules=`` of the draw functions); the calls are
        found on the graph. The hooks are removed when the ``with`` block ends.

    Raises
    ------
    TypeError
        If ``model`` is not a Module.
    """
    return ModuleTrace(model)
