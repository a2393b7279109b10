"""Reverse-mode traversal: ``backward`` and ``grad``, and the one place gradients are processed.

The graph is walked without recursion (HIPS autograd's scheme): a first pass counts, for every
node, how many of its consumers lie between it and the root; the second pass pops nodes whose
consumers have all sent their gradient, so each node runs its backward rule exactly once, with
the sum of its incoming gradients. Gradients live in a dict and are dropped as soon as used.

Everything an op's rule should not have to think about happens in ``_fit``: summing a
broadcast gradient back to the input's shape, casting it to the input's dtype, and refusing a
gradient whose shape cannot belong to the input. Leaves then receive the sum of their
gradients (hooks first) *added* to ``.grad``, as in PyTorch: gradients accumulate across calls.
"""

import weakref

import numpy as np

from . import grad_mode
from .errors import BackwardError, ShapeError
from .function import _FREED
from .tensor import Tensor

__all__ = ["backward", "grad"]

_mode = grad_mode._mode


def backward(tensor, gradient=None, retain_graph=False, create_graph=False, inputs=None):
    """Accumulate the gradient of ``tensor`` into the ``.grad`` of the graph's leaves.

    Parameters
    ----------
    tensor : Tensor
        The root (usually a scalar loss).
    gradient : Tensor or array_like, optional
        d(final)/d(tensor), same shape as ``tensor``; defaults to 1 for one-element roots.
    retain_graph : bool
        Keep saved tensors so that backward can run through this graph again.
    create_graph : bool
        Record the backward pass itself, so the gradients can be differentiated again.
    inputs : sequence of Tensor, optional
        Accumulate only into these tensors.

    Raises
    ------
    BackwardError
        If ``tensor`` does not require grad, or is not a scalar and no ``gradient`` is given.
    """
    if not tensor.requires_grad:
        raise BackwardError(f"backward: the tensor (shape {tensor.shape}) does not require grad "
                            "and has no grad_fn; did you create it under no_grad()?")
    seed = _seed(tensor, gradient, "backward")
    only = None if inputs is None else {id(t) for t in _as_tuple(inputs)}
    _run((tensor,), (seed,), retain_graph or create_graph, create_graph, accumulate_into=only)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """Return the gradients of ``outputs`` with respect to ``inputs`` (a tuple, one per input).

    Unlike ``backward`` nothing is written to ``.grad``. ``retain_graph`` defaults to
    ``create_graph`` (PyTorch's rule).

    Raises
    ------
    BackwardError
        For a non-scalar output without ``grad_outputs``, or an input the outputs do not
        depend on (unless ``allow_unused=True``, which gives None for it).
    """
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    grad_outputs = _as_tuple(grad_outputs)
    for t in outputs:
        if not t.requires_grad:
            raise BackwardError(f"grad: an output (shape {t.shape}) does not require grad")
    seeds = tuple(_seed(t, g, "grad") for t, g in zip(outputs, grad_outputs))
    if retain_graph is None:
        retain_graph = create_graph
    results = _run(outputs, seeds, retain_graph, create_graph, capture=inputs)
    for i, (t, g) in enumerate(zip(inputs, results)):
        if g is None and not allow_unused:
            raise BackwardError(f"grad: input {i} (shape {t.shape}) was not used to compute the "
                                "outputs; pass allow_unused=True to get None for it")
    return results


# -- the traversal ---------------------------------------------------------------------------
def _run(roots, seeds, retain_graph, create_graph, accumulate_into=None, capture=None):
    """Propagate ``seeds`` from ``roots`` to the leaves.

    With ``capture`` (a tuple of tensors) return their gradients and touch no ``.grad``;
    otherwise accumulate into leaves (all of them, or the ids in ``accumulate_into``).
    """
    pending = _count_consumers(roots)
    grads = {}          # node -> summed gradient of its output
    leaf_grads = {}     # id(leaf) -> [leaf, summed gradient, owned]
    # Without create_graph, sums are plain numpy (no graph to record); with it, Tensor ops.
    add = _add_recorded if create_graph else _add_plain
    ready = []
    for root, seed in zip(roots, seeds):
        node = root.grad_fn
        if node is None:
            _to_leaf(leaf_grads, root, seed, add)
        else:
            old = grads.get(node)
            grads[node] = seed if old is None else add(old, seed)
            if pending[node] == 0 and node not in ready:
                ready.append(node)

    by_node = {}
    if capture is not None:
        by_node = {t.grad_fn: t for t in capture if t.grad_fn is not None}
        captured = {}
    with grad_mode.set_grad_enabled(create_graph):
        while ready:
            node = ready.pop()
            g = grads.pop(node)
            if node._hooks:
                g = _call_hooks(node._hooks, g)
            if node in by_node:
                captured[id(by_node[node])] = g
            in_grads = node.backward(node, g)
            if in_grads.__class__ is not tuple:
                in_grads = (in_grads,)
            inputs = node.inputs
            if len(in_grads) != len(inputs):
                raise BackwardError(f"{type(node).__name__}.backward returned {len(in_grads)} "
                                    f"gradients for {len(inputs)} inputs")
            for inp, need, gi in zip(inputs, node.needs_input_grad, in_grads):
                if not need or gi is None:
                    continue
                gd, xd = gi.data, inp.data    # common case: already the right shape and dtype
                if gi.__class__ is not Tensor or gd.shape != xd.shape or gd.dtype is not xd.dtype:
                    gi = _fit(node, inp, gi)
                parent = inp.grad_fn
                if parent is None:             # a leaf: sum here, write .grad at the end
                    _to_leaf(leaf_grads, inp, gi, add)
                    continue
                old = grads.get(parent)
                grads[parent] = gi if old is None else add(old, gi)
                left = pending[parent] - 1
                pending[parent] = left
                if left == 0:
                    ready.append(parent)
            if not retain_graph:
                node._saved = _FREED           # free the saved tensors (Function._release)

        if capture is not None:
            wanted = {id(t) for t in capture if t.grad_fn is None}
            for key, (leaf, g, _) in leaf_grads.items():
                if key in wanted:
                    captured[key] = _call_hooks(leaf._hooks, g) if leaf._hooks else g
            return tuple(captured.get(id(t)) for t in capture)
        for key, (leaf, g, owned) in leaf_grads.items():
            if accumulate_into is None or key in accumulate_into:
                _accumulate(leaf, g, create_graph, owned)
    return None


def _add_plain(a, b):
    return Tensor._wrap(a.data + b.data)


def _add_recorded(a, b):
    return a + b


def _to_leaf(leaf_grads, leaf, g, add):
    """Add ``g`` to what ``leaf`` received in this pass. Entries are [leaf, sum, owned]: after
    a second contribution the sum is a fresh array the engine owns (no copy needed later)."""
    entry = leaf_grads.get(id(leaf))
    if entry is None:
        leaf_grads[id(leaf)] = [leaf, g, False]
    else:
        entry[1] = add(entry[1], g)
        entry[2] = True


def _count_consumers(roots):
    """Map each node reachable from ``roots`` to the number of edges that lead into it."""
    pending = {}
    stack = [r.grad_fn for r in roots if r.grad_fn is not None]
    for node in stack:
        pending[node] = 0
    while stack:
        node = stack.pop()
        for inp, need in zip(node.inputs, node.needs_input_grad):
            if need:
                parent = inp.grad_fn
                if parent is not None:
                    if parent in pending:
                        pending[parent] += 1
                    else:
                        pending[parent] = 1
                        stack.append(parent)
    return pending


def _fit(node, inp, g):
    """Make ``g`` a gradient for ``inp``: sum out broadcast axes, cast to its dtype, check."""
    if g.__class__ is not Tensor and not isinstance(g, Tensor):
        raise BackwardError(f"{type(node).__name__}.backward must return Tensors or None, "
                            f"got {type(g).__name__}")
    gd, xd = g.data, inp.data
    if gd.shape != xd.shape:
        g = _sum_to(node, g, xd.shape)
    if gd.dtype is not xd.dtype and gd.dtype != xd.dtype:
        g = g.to(xd.dtype)
    return g


def _sum_to(node, g, shape):
    gshape = g.data.shape
    lead = len(gshape) - len(shape)
    if lead < 0 or any(s != 1 and s != gs for s, gs in zip(shape, gshape[lead:])):
        raise ShapeError(f"{type(node).__name__}.backward returned a gradient of shape {gshape} "
                         f"for an input of shape {shape}")
    return _shape_ops.sum_to(g, shape)


def _accumulate(leaf, g, create_graph, owned=False):
    """``leaf.grad += g`` (PyTorch's accumulation), never aliasing another tensor's storage:
    a gradient the engine does not own (it may be shared with another input) is copied."""
    if leaf._hooks:
        g = _call_hooks(leaf._hooks, g)
        owned = False
    if leaf.grad is None:
        leaf.grad = g if create_graph or owned else Tensor._wrap(np.array(g.data, copy=True))
    elif create_graph or leaf.grad.requires_grad:
        leaf.grad = leaf.grad + g
    else:
        leaf.grad.data = leaf.grad.data + g.data


def _seed(tensor, gradient, where):
    """The starting gradient for a root: ``gradient`` checked, or 1 for one-element roots."""
    if gradient is None:
        if tensor.data.size != 1:
            raise BackwardError(
                f"{where}: the tensor has shape {tensor.shape}; a gradient can only be implied "
                "for one-element outputs, so pass gradient= (backward) or grad_outputs= (grad)")
        return Tensor._wrap(np.ones_like(tensor.data))
    if not isinstance(gradient, Tensor):
        gradient = Tensor(np.asarray(gradient, dtype=tensor.dtype))
    if gradient.shape != tensor.shape:
        raise ShapeError(f"{where}: gradient has shape {gradient.shape} but the tensor has "
                         f"shape {tensor.shape}")
    return gradient


def _as_tuple(x):
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


# -- hooks -----------------------------------------------------------------------------------
class RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` unregisters the hook."""

    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self):
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def _call_hooks(hooks, g):
    # retain_grad's hook runs last (stable sort), so .grad sees what the other hooks made of g
    for hook in sorted(hooks, key=lambda h: getattr(h, "retains_grad", False)):
        out = hook(g)
        if out is not None:
            g = out
    return g


def register_hook(tensor, hook):
    """Register ``hook(grad) -> grad or None`` on ``tensor`` (see ``Tensor.register_hook``)."""
    if not tensor.requires_grad:
        raise BackwardError("register_hook: the tensor does not require grad")
    owner = tensor if tensor.grad_fn is None else tensor.grad_fn
    if owner._hooks is None:
        owner._hooks = []
    owner._hooks.append(hook)
    return RemovableHandle(owner._hooks, hook)


def retain_grad(tensor):
    """Make backward store the gradient of non-leaf ``tensor`` in its ``.grad``."""
    if tensor.grad_fn is None:
        return
    ref = weakref.ref(tensor)   # the node must not keep its own output alive

    def store(g):
        t = ref()
        if t is not None:
            t.grad = g if t.grad is None else t.grad + g

    store.retains_grad = True
    register_hook(tensor, store)


from .ops import shape as _shape_ops  # noqa: E402
