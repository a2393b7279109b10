"""``check_graph(loss)``: every recorded node's vector-Jacobian product against central
differences, at the node's own recorded inputs, in float64.

``gradcheck`` tests one function from its inputs to its outputs; a wrong rule deep inside a
network shows there only as a slightly wrong gradient of the whole thing. ``check_graph`` looks
at each node of a graph you already built::

    loss = F.cross_entropy(model(images), labels)     # before backward (or retain_graph=True)
    autograd.testing.check_graph(loss)                # GradcheckError names the faulty node

For each node (in the order the forward pass recorded them) it makes float64 copies of the
node's inputs, runs the node's op again on them (``node.replay``), draws a random output
gradient v and compares the node's rule, ``vjp(v)``, with the central differences of
``<v, op(inputs)>``, element by element for inputs of up to ``max_elements`` values and along
random directions for larger ones. Points where the op has a kink (a ReLU at 0, tied maxima
in a max pool) have one-sided differences that disagree; they are skipped, not failed.
The first faulty node raises ``GradcheckError`` with its op, its inputs' shapes, the
analytical and numerical values and where it was created (the forward stack when the graph
was recorded under ``autograd.detect_anomaly()``).
"""

import collections
import traceback

import numpy as np

from .. import anomaly_mode
from ..creation import from_numpy
from ..errors import BackwardError, GradcheckError
from ..grad_mode import enable_grad, no_grad
from ..graph import TensorMeta, walk
from ..tensor import Tensor

__all__ = ["check_graph", "GraphCheck"]

#: What ``check_graph`` did: nodes checked, values compared, values skipped at kinks, and
#: the names of the nodes it could not check (no float64 result, e.g. a cast).
GraphCheck = collections.namedtuple("GraphCheck", ["nodes", "values", "kinks", "skipped"])


def check_graph(loss, eps=1e-6, atol=1e-5, rtol=1e-3, max_elements=512, directions=3, seed=0):
    """Check the vector-Jacobian product of every node recorded for ``loss``.

    Parameters
    ----------
    loss : Tensor or sequence of Tensor
        The root(s) of a graph that is still alive: call it before ``backward``, or after a
        ``backward(retain_graph=True)``, or inside ``autograd.graph.record()``.
    eps : float
        Step of the central differences (in float64).
    atol, rtol : float
        A value passes if ``|analytical - numerical| <= atol + rtol * |numerical|``.
    max_elements : int
        Inputs with more values are checked along ``directions`` random directions instead of
        element by element (two op evaluations per element or direction).
    seed : int
        For the random output gradients and directions.

    Returns
    -------
    GraphCheck
        (nodes checked, values compared, values skipped at kinks, names of unchecked nodes).

    Raises
    ------
    GradcheckError
        Naming the first faulty node (in recording order): its op, its inputs' shapes and
        dtypes, the input and element (or direction), the analytical and numerical values, and
        where the node was created.
    BackwardError
        When the graph was already released by a backward without ``retain_graph``.
    """
    __tracebackhide__ = True          # pytest: show the caller's line, not these frames
    roots = (loss,) if isinstance(loss, Tensor) else tuple(loss)
    nodes = list(walk(roots))[::-1]   # recording order: the earliest faulty node first
    rng = np.random.default_rng(seed)
    totals = [0, 0, 0, []]
    for index, node in enumerate(nodes):
        if node.released:
            raise BackwardError(f"check_graph: {node.name()} was released by a backward without "
                                "retain_graph=True; call check_graph before backward, or pass "
                                "retain_graph=True, or build the graph inside "
                                "autograd.graph.record()")
        counts = _check_node(node, f"node {index + 1} of {len(nodes)}", rng, eps, atol, rtol,
                             max_elements, directions)
        if counts is None:
            totals[3].append(node.name())
            continue
        totals[0] += 1
        totals[1] += counts[0]
        totals[2] += counts[1]
    return GraphCheck(*totals)


def _copies(node):
    """float64 copies of the node's Tensor inputs (other Tensors copied as they are, other
    arguments kept), requiring grad where the node needs a gradient."""
    out = []
    for x, need in zip(node.inputs, node.needs_input_grad):
        if isinstance(x, Tensor):
            data = x.detach().numpy()
            data = data.astype(np.float64) if data.dtype.kind == "f" else data.copy()
            x = from_numpy(data)
            if need:
                x.requires_grad_(True)
        out.append(x)
    return out


def _check_node(node, where, rng, eps, atol, rtol, max_elements, directions):
    """(values compared, values skipped) for one node, or None when it cannot be checked."""
    __tracebackhide__ = True
    if not any(node.needs_input_grad):
        return None
    inputs = _copies(node)
    with enable_grad():
        out = node.replay(*inputs)
    if not isinstance(out, Tensor) or out.dtype != np.float64 or out.grad_fn is None:
        return None
    v = rng.standard_normal(out.shape)
    positions = [i for i, x in enumerate(inputs) if isinstance(x, Tensor)]
    grads = dict(zip(positions, out.grad_fn.vjp(from_numpy(v))))

    def f():
        with no_grad():
            return float(np.sum(v * node.replay(*inputs).numpy()))

    compared = skipped = 0
    for i, x in enumerate(inputs):
        if not node.needs_input_grad[i]:
            continue
        g = grads.get(i)
        analytic = np.zeros(x.shape) if g is None else g.detach().numpy().astype(np.float64)
        probes = _probes(x, rng, max_elements, directions)
        for label, direction in probes:
            numeric, kink = _directional(f, x, direction, eps, atol, rtol)
            if kink:
                skipped += 1
                continue
            compared += 1
            value = float(np.sum(analytic * direction))
            if abs(value - numeric) > atol + rtol * abs(numeric):
                raise _faulty(node, where, i, label, value, numeric, eps)
    return compared, skipped


def _probes(x, rng, max_elements, directions):
    """(label, direction) pairs: the unit vectors of every element, or random unit
    directions for a large input."""
    n = x.numel()
    if n <= max_elements:
        for j in range(n):
            e = np.zeros(n)
            e[j] = 1.0
            yield f"element {tuple(int(k) for k in np.unravel_index(j, x.shape))}", \
                e.reshape(x.shape)
        return
    for k in range(directions):
        u = rng.standard_normal(x.shape)
        yield f"random direction {k} (an input of {n} values)", u / np.linalg.norm(u)


def _directional(f, x, direction, eps, atol, rtol):
    """The central difference of ``f`` along ``direction`` at ``x`` (perturbed in place and
    restored), and whether the two one-sided differences disagree (a kink)."""
    data = x.detach().numpy()
    orig = data.copy()
    f0 = f()
    data[...] = orig + eps * direction
    fp = f()
    data[...] = orig - eps * direction
    fm = f()
    data[...] = orig
    central = (fp - fm) / (2 * eps)
    forward, backward = (fp - f0) / eps, (f0 - fm) / eps
    return central, abs(forward - backward) > atol + rtol * abs(central)


def _faulty(node, where, i, label, analytic, numeric, eps):
    metas = node.inputs_meta
    shapes = ", ".join(f"{tuple(m.shape)} {m.dtype}" + (" (requires grad)" if m.requires_grad
                                                         else "")
                       if isinstance(m, TensorMeta) else type(m).__name__ for m in metas)
    stack = anomaly_mode.creation_stack(node)
    if stack is None:
        created = ("  created at: unknown (record the forward pass under "
                   "autograd.detect_anomaly() to see where each node was created)")
    else:
        created = "  created at:\n" + "".join(
            "    " + line for line in "".join(traceback.format_list(stack)).splitlines(True))
    op = type(node).__name__
    rule = f" (rule: {node.rule})" if node.rule else ""
    return GradcheckError(
        f"check_graph: {where}, {node.name()}, has a vector-Jacobian product that disagrees "
        f"with central differences\n"
        f"  op: {op}{rule}\n"
        f"  inputs: {shapes}\n"
        f"  gradient for input {i}, {label}: analytical {analytic!r} vs numerical "
        f"{numeric!r} (float64, eps {eps})\n{created.rstrip()}",
        analytical=analytic, numerical=numeric)
