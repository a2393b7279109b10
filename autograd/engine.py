"""Reverse mode: ``backward`` and ``grad``.

One pass over ``graph.walk(roots)``, which yields each node once in reverse creation order, so a
node comes up only after every consumer has sent it its gradient. Each node runs its rule once
on the sum of what it received; ``graph.fit_gradient`` turns each result into a gradient for
that input (unbroadcast, cast, checked). Gradients wait in a dict keyed by node and are
dropped as soon as the node has run.

Without ``create_graph`` the gradients are ndarrays and the rules run on ndarrays with
recording off (nothing is recorded, nothing is wrapped); with it they are Tensors and the
rules are recorded, so the gradients can be differentiated again. Leaves receive the sum of
their gradients, hooks first, *added* to ``.grad`` (PyTorch's accumulation). Unless
``retain_graph`` (or ``graph.record()``), each node is released right after it ran.
"""

import heapq
import threading

import numpy as np

from . import anomaly_mode, grad_mode
from .errors import BackwardError, DTypeError, ShapeError
from .graph import keep_record
from .tensor import Tensor, bump_version, wrap

__all__ = ["backward", "grad"]

_grad_enabled, _keep_graphs = grad_mode.grad_enabled, grad_mode.keep_graphs
#: Writes to ``.grad``: two threads backpropagating into one shared parameter must not lose a
#: contribution (PyTorch's AccumulateGrad holds a mutex for the same reason).
_grad_lock = threading.Lock()
_ndarray = np.ndarray
#: Leaf gradients of at most this many elements are summed once at the end of backward
#: (one numpy call for all of them instead of one per contribution); larger ones as they come.
_DEFERRED_SUM_SIZE = 1024
_MAX_PARTS = 256


def backward(tensor, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradient of ``tensor`` into the ``.grad`` of the graph's leaves
    (``Tensor.backward``).

    Parameters
    ----------
    tensor : Tensor
        The root (usually a scalar loss).
    gradient : Tensor or array_like, optional
        d(final)/d(tensor), same shape as ``tensor``; defaults to 1 for one-element roots.
    retain_graph : bool, optional
        Keep the graph so that backward can run through it again (default: ``create_graph``).
    create_graph : bool
        Record the backward pass itself, so the gradients can be differentiated again.
    inputs : Tensor or sequence of Tensor, optional
        Accumulate only into these (leaves or not).

    Raises
    ------
    BackwardError
        If ``tensor`` does not require grad, or is not a scalar and no ``gradient`` is given.
    """
    if not tensor.requires_grad:
        raise BackwardError(f"backward: the tensor (shape {tuple(tensor.shape)}) does not "
                            "require grad "
                            "and has no grad_fn; did you create it under no_grad()?")
    seed = _seed(tensor, gradient, "backward", create_graph)
    retain = create_graph if retain_graph is None else retain_graph
    targets = None if inputs is None else _as_tuple(inputs)
    if targets is not None and not targets:
        raise BackwardError("backward: inputs= is an empty sequence")
    found = _run((tensor,), (seed,), retain, create_graph, targets)
    if targets is not None:
        for t, g in zip(targets, found):
            if g is not None:
                with _grad_lock:
                    _accumulate(t, g, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=None, materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, one per input
    (``torch.autograd.grad``); nothing is written to ``.grad``.

    ``retain_graph`` defaults to ``create_graph``. ``allow_unused=True`` gives None for an input
    the outputs do not depend on (``materialize_grads=True``: zeros instead).

    Raises
    ------
    BackwardError
        For a non-scalar output without ``grad_outputs``, or an unused input without
        ``allow_unused``.
    """
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    if allow_unused is None:
        allow_unused = materialize_grads
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    grad_outputs = _as_tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise BackwardError(f"grad: {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    for t in outputs:
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise BackwardError(f"grad: an output (shape {getattr(t, 'shape', '?')}) does not "
                                "require grad")
    for t in inputs:
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise BackwardError(f"grad: an input (shape {getattr(t, 'shape', '?')}) does not "
                                "require grad")
    seeds = tuple(_seed(t, g, "grad", create_graph) for t, g in zip(outputs, grad_outputs))
    retain = create_graph if retain_graph is None else retain_graph
    found = _run(outputs, seeds, retain, create_graph, inputs)
    results = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None:
            if not allow_unused:
                raise BackwardError(f"grad: input {i} (shape {tuple(t.shape)}) was not used to "
                                    "compute "
                                    "the outputs; pass allow_unused=True to get None for it")
            if materialize_grads:
                g = np.zeros(t.shape, dtype=t.dtype)
        results.append(None if g is None else g if isinstance(g, Tensor) else wrap(g))
    return tuple(results)


# -- the pass ----------------------------------------------------------------------------------
def _run(roots, seeds, retain_graph, create_graph, targets):
    """Propagate ``seeds`` from ``roots``. Without ``targets`` accumulate into every leaf's
    ``.grad``; with them, return each target's gradient (None if none reached it) and touch
    no ``.grad``.

    The loop is ``graph.walk``'s traversal (a heap of nodes keyed by reverse creation order)
    driven by the gradients: a node enters the heap with its first gradient, so nodes no
    gradient reaches are never visited. Written out flat: it runs once per node.
    """
    keep = _keep_graphs.get()
    retain_graph = retain_graph or keep
    check = anomaly_mode.is_anomaly_check_nan_enabled()    # detect_anomaly(): NaN/inf check
    grads = {}            # node -> gradient of its output, summed so far
    leaf_sums = {}        # leaf -> its one gradient, [parts] to sum, or (sum so far,)
    heap = []
    for root, seed in zip(roots, seeds):
        node = root.grad_fn
        if node is None:
            _to_leaf(leaf_sums, root, seed)
        elif node in grads:
            grads[node] = grads[node] + seed
        else:
            grads[node] = seed
            heapq.heappush(heap, node)
    watched = {} if targets is None else {t.grad_fn: t for t in targets if t.grad_fn is not None}
    found = {}
    pop, push = heapq.heappop, heapq.heappush
    token = _grad_enabled.set(create_graph)
    try:
        index = 0
        while heap:
            node = pop(heap)
            g = grads.pop(node)
            if node._hooks:
                g = _call_hooks(node._hooks, g, node, create_graph)
            if watched and node in watched:
                found[watched[node]] = g
            fitted = node._backward_tensors(g) if create_graph else node._backward_arrays(g)
            if check:
                anomaly_mode.check_gradients(node, fitted)
            for e, gi in zip(node._edges, fitted):
                if e is None or gi is None:
                    continue
                if type(e) is Tensor or isinstance(e, Tensor):     # a leaf
                    entry = leaf_sums.get(e)
                    if entry is None:
                        leaf_sums[e] = gi
                    elif type(entry) is list:          # small: summed at the end
                        entry.append(gi)
                        if len(entry) > _MAX_PARTS:
                            entry[:] = [_sum_parts(entry)]
                    elif type(entry) is tuple:         # large: (sum so far,)
                        leaf_sums[e] = (entry[0] + gi,)
                    else:
                        leaf_sums[e] = _two_parts(entry, gi)
                else:
                    old = grads.get(e)
                    if old is None:
                        grads[e] = gi
                        push(heap, e)
                    else:
                        grads[e] = old + gi
            if keep:
                keep_record(node, index, g, fitted)
                index += 1
            elif not retain_graph:
                node._release()
    finally:
        _grad_enabled.reset(token)
    if targets is not None:
        for t in targets:
            if t.grad_fn is None and t in leaf_sums:
                g = _total(leaf_sums[t])
                found[t] = _call_hooks(t._hooks, g, t, create_graph) if t._hooks else g
        return tuple(found.get(t) for t in targets)
    with grad_mode.set_grad_enabled(create_graph), _grad_lock:
        for leaf, entry in leaf_sums.items():
            _accumulate(leaf, _total(entry), create_graph, type(entry) is not _ndarray)
    return None


def _two_parts(first, second):
    """A leaf's second gradient: small arrays are kept as a list of parts (summed once, at the
    end: one numpy call instead of one per part); Tensors (``create_graph``) and large arrays
    are added as they come, kept as ``(sum,)``."""
    if type(first) is not _ndarray or first.size > _DEFERRED_SUM_SIZE:
        return (first + second,)
    return [first, second]


def _sum_parts(parts):
    """The sum of a list of gradient parts of one shape and dtype."""
    if len(parts) == 1:
        return parts[0]
    if type(parts[0]) is not _ndarray:
        total = parts[0]
        for p in parts[1:]:
            total = total + p
        return total
    return np.add.reduce(np.asarray(parts), axis=0)


def _total(entry):
    """A leaf's gradient from its ``leaf_sums`` entry."""
    if type(entry) is list:
        return _sum_parts(entry)
    return entry[0] if type(entry) is tuple else entry


def _to_leaf(leaf_sums, leaf, g):
    """Add ``g`` to what ``leaf`` received in this pass (see the loop in ``_run``)."""
    entry = leaf_sums.get(leaf)
    if entry is None:
        leaf_sums[leaf] = g
    elif type(entry) is list:
        entry.append(g)
    elif type(entry) is tuple:
        leaf_sums[leaf] = (entry[0] + g,)
    else:
        leaf_sums[leaf] = _two_parts(entry, g)


def _accumulate(leaf, g, create_graph, owned=False):
    """``leaf.grad += g`` (PyTorch's accumulation), never aliasing another tensor's storage."""
    if leaf._hooks:
        g = _call_hooks(leaf._hooks, g, leaf, create_graph)
        owned = False
    if isinstance(g, Tensor):
        if leaf._grad is None:
            leaf._grad = g if create_graph else wrap(np.array(g._data, copy=True))
        else:
            leaf._grad = leaf._grad + g
        return
    current = leaf._grad
    if g.dtype != leaf._data.dtype:            # a rule that promoted (fitted graphs never do)
        g, owned = g.astype(leaf._data.dtype), True
    if current is None:
        leaf._grad = wrap(g if owned and type(g) is np.ndarray else np.array(g, copy=True))
    elif current.requires_grad:
        leaf._grad = current + wrap(g)
    else:
        data = current._data
        data += g                               # in place, as PyTorch: .grad keeps its identity
        bump_version(current)


def _seed(tensor, gradient, where, create_graph):
    """The starting gradient for a root: ``gradient`` checked, or 1 for one-element roots
    (an ndarray, or a Tensor when ``create_graph``)."""
    if gradient is None:
        if tensor._data.size != 1:
            raise BackwardError(
                f"{where}: the tensor has shape {tuple(tensor.shape)}; a gradient can only be "
                "implied "
                "for one-element outputs, so pass gradient= (backward) or grad_outputs= (grad)")
        g = np.ones_like(tensor._data)
    elif isinstance(gradient, Tensor):
        if gradient.shape != tensor.shape:
            raise ShapeError(f"{where}: gradient has shape {tuple(gradient.shape)} but the "
                             "tensor has "
                             f"shape {tuple(tensor.shape)}")
        if create_graph:
            return gradient if gradient.dtype == tensor.dtype else gradient.to(tensor.dtype)
        g = gradient._data.astype(tensor.dtype, copy=False)
    else:
        g = np.asarray(gradient, dtype=tensor.dtype)
        if g.shape != tensor.shape:
            raise ShapeError(f"{where}: gradient has shape {tuple(g.shape)} but the tensor has "
                             f"shape {tuple(tensor.shape)}")
    return wrap(g) if create_graph else g


def _as_tuple(x):
    if isinstance(x, Tensor):
        return (x,)
    return tuple(x)


# -- hooks -------------------------------------------------------------------------------------
def _call_hooks(hooks, g, owner, create_graph):
    """Run ``hook(grad)`` for each hook (retain_grad's last, so ``.grad`` sees what the others
    made of it); a returned gradient replaces ``g`` after a shape and dtype check."""
    as_tensor = g if isinstance(g, Tensor) else wrap(g)
    shape, dtype = tuple(as_tensor.shape), as_tensor.dtype
    for hook in sorted(hooks.values(), key=lambda h: getattr(h, "retains_grad", None) is not None):
        out = hook(as_tensor)
        if out is None:
            continue
        if not isinstance(out, Tensor):
            raise BackwardError(f"hook {getattr(hook, '__name__', hook)!r} returned "
                                f"{type(out).__name__}; a hook must return a Tensor or None")
        if out.shape != shape:
            raise ShapeError(f"hook {getattr(hook, '__name__', hook)!r} returned a gradient of "
                             f"shape {tuple(out.shape)} for a tensor of shape {shape}")
        if out.dtype != dtype:
            raise DTypeError(f"hook {getattr(hook, '__name__', hook)!r} returned a gradient of "
                             f"dtype {out.dtype} for a tensor of dtype {dtype}")
        as_tensor = out
    return as_tensor if isinstance(g, Tensor) else as_tensor._data
