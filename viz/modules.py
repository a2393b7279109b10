"""Which module produced which tensor: forward hooks on every submodule of a model.

    with viz.trace_modules(model) as modules:
        loss = loss_fn(model(x), y)
    viz.draw_graph(loss, modules=modules)                       # a cluster per module call
    viz.draw_graph(loss, modules=modules, collapse_modules=True)   # one node per layer

Works with any object that has PyTorch's ``named_modules()`` and ``register_forward_hook``
(``hook(module, args, output)``, returning a handle with ``remove()``).
"""

from autograd import Tensor

__all__ = ["trace_modules", "ModuleTrace", "ModuleCall"]


class ModuleCall:
    """One call of one module: its qualified name, inputs and outputs, in completion order.

    Attributes
    ----------
    index : int            completion order (inner modules complete before outer ones)
    name : str             qualified name (``layer1.0.conv1``; ``""`` for the model itself)
    module : Module
    inputs, outputs : list of Tensor
    title : str            ``name`` (or the model's class name), with ``#2`` for a second call
    parent : int or None   the index of the enclosing module call
    depth : int            0 for the model, 1 for its children, ...
    """

    def __init__(self, index, name, module, inputs, outputs, occurrence):
        self.index, self.name, self.module = index, name, module
        self.inputs, self.outputs = inputs, outputs
        base = name or type(module).__name__
        self.title = base if occurrence == 1 else f"{base} #{occurrence}"
        self.parent = None
        self.depth = 0 if name == "" else name.count(".") + 1

    @property
    def is_leaf_module(self):
        return not any(True for _ in self.module.children())

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


def _tensors(obj):
    """The Tensors in a module's args or output (tuples, lists and dicts are searched)."""
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


class ModuleTrace:
    """The module calls recorded while the ``trace_modules`` context was open."""

    def __init__(self, model):
        if not hasattr(model, "named_modules"):
            raise TypeError(f"viz.trace_modules: expected an nn.Module, got "
                            f"{type(model).__name__}")
        self.model = model
        self.calls = []
        self._handles = []
        self._counts = {}

    def __enter__(self):
        for name, module in self.model.named_modules():
            self._handles.append(module.register_forward_hook(self._hook(name)))
        return self

    def __exit__(self, *exc):
        for h in self._handles:
            h.remove()
        self._handles = []
        self._link_parents()
        return False

    def _hook(self, name):
        def hook(module, args, output):
            n = self._counts[name] = self._counts.get(name, 0) + 1
            self.calls.append(ModuleCall(len(self.calls), name, module, _tensors(args),
                                         _tensors(output), n))
        return hook

    def _link_parents(self):
        """Each call's parent: the first later-completing call of the nearest named ancestor
        (containers that are never called, like ModuleList, are skipped)."""
        for call in self.calls:
            if call.name == "":
                continue
            prefix = call.name
            while call.parent is None and prefix:
                prefix = prefix.rpartition(".")[0]
                for later in self.calls[call.index + 1:]:
                    if later.name == prefix:
                        call.parent = later.index
                        break

    def output_ids(self):
        """ids of the model's own outputs (the top-level call)."""
        return {id(t) for c in self.calls if c.name == "" for t in c.outputs}

    def ancestors(self, index):
        """The call ``index`` and its enclosing calls, innermost first."""
        out = []
        while index is not None:
            out.append(index)
            index = self.calls[index].parent
        return out

    def assign(self, tr):
        """Set ``.module`` on the trace's ops and tensors: the innermost call that made them.

        Calls are visited in completion order (inner before outer); walking back from a
        call's outputs to its inputs claims every op not yet claimed by an inner call.
        """
        ops_by_fn = {id(op.fn): op for op in tr.ops}
        for call in self.calls:
            stop = {id(t) for t in call.inputs}
            stack = [t for t in call.outputs if t in tr]
            seen = set()
            while stack:
                t = stack.pop()
                if id(t) in stop or t.grad_fn is None or id(t.grad_fn) in seen:
                    continue
                seen.add(id(t.grad_fn))
                op = ops_by_fn.get(id(t.grad_fn))
                if op is None:
                    continue
                if op.module is None:
                    op.module = call.index
                    op.output.module = call.index
                stack.extend(x for x in t.grad_fn.inputs if isinstance(x, Tensor))
        first_call = {}
        for call in self.calls:
            first_call.setdefault(call.name, call.index)
        for name, p in self.model.named_parameters():
            if p in tr:
                owner = name.rpartition(".")[0]
                tr.node(p).module = first_call.get(owner)
        for name, b in self.model.named_buffers():
            if b in tr:
                node = tr.node(b)
                node.module = first_call.get(name.rpartition(".")[0])
                if node.name is None:
                    node.name = node.label = name
        # other leaves made inside a module (constants, reshaped buffers) sit with the ops
        # that use them; a module's inputs (the data) stay outside it
        inputs = {id(t) for call in self.calls for t in call.inputs}
        for node in tr.tensors:
            if (node.op is None and node.module is None and node.consumers
                    and node.role != "param" and id(node.tensor) not in inputs):
                owners = {op.module for op, _ in node.consumers}
                if len(owners) == 1:
                    node.module = owners.pop()

    def __repr__(self):
        return f"<ModuleTrace of {type(self.model).__name__}: {len(self.calls)} calls>"


def trace_modules(model):
    """Context manager: record which module call produced which tensor (forward hooks).

    Parameters
    ----------
    model : nn.Module (anything with ``named_modules`` and ``register_forward_hook``)

    Returns
    -------
    ModuleTrace
        Pass it as ``modules=`` to ``draw_graph``/``draw_backward``/``trace``. The hooks are
        removed when the ``with`` block ends.

    Raises
    ------
    TypeError
        If ``model`` is not a Module.
    """
    return ModuleTrace(model)
