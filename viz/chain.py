"""The chain rule along the path(s) from one weight to the error, with the numbers.

The slides (section 1): the error's derivative with respect to a weight is the product of the
local derivatives along the path from the weight to the error,

    d err/d weight = d a/d weight * d b/d a * ... * d err/d z,

and when the weight reaches the error along several paths, the products add up.
``draw_chain(loss, w)`` finds every path from ``w`` to ``loss`` in the recorded graph,
highlights it, labels each step with its local derivative (the node's ``vjp`` of
dE/d(output) = 1) and writes the product: the sum of the products equals ``w.grad``.

When a tensor along a path has more than one element, a local derivative is a Jacobian
matrix, not a number. Then each step is shown as what backpropagation actually computes:
the vector-Jacobian product (d out/d in)^T . dE/d out, and a path's contribution is the
chain of those products started from dE/dE = 1.
"""

import numpy as np

import autograd as ag
from autograd.errors import BackwardError
from autograd.graph import TensorMeta

from ._trace import fmt, summarize
from .graph import _emit, _options, as_trace

__all__ = ["draw_chain", "Chain", "ChainPath"]


class ChainPath:
    """One path from the weight to the error.

    Attributes
    ----------
    steps : list of (TensorNode, OpNode, int, TensorNode)
        ``(input, op, operand position, output)``, from the weight to the error.
    factors : list of float or None
        The local derivative d output/d input of each step, when every tensor on the path
        has one element (a scalar path); None otherwise.
    value : ndarray
        This path's contribution to dE/d weight (the product of ``factors`` for a scalar
        path; the chain of vector-Jacobian products otherwise).
    """

    def __init__(self, steps, factors, value):
        self.steps, self.factors, self.value = steps, factors, value

    @property
    def scalar(self):
        return self.factors is not None

    def symbols(self):
        """``["d mul1/d w", "d add1/d mul1", ...]``: the factors' names, weight to error."""
        return [f"\u2202{out.label}/\u2202{src.label}" for src, _, _, out in self.steps]

    def formula(self):
        """``d mul1/d w · d add1/d mul1 = 0.5 × 1 = 0.5`` (or the vjp chain's summary)."""
        left = " \u00b7 ".join(self.symbols()) or "1"
        if self.scalar:
            nums = " \u00d7 ".join(fmt(f) for f in self.factors) or "1"
            return f"{left} = {nums} = {summarize(self.value)}"
        return f"{left} = {summarize(self.value)}  (vector-Jacobian products)"

    def __repr__(self):
        return f"<ChainPath {self.formula()}>"


class Chain:
    """The chain rule for one weight: the paths, their products and their sum.

    Attributes
    ----------
    weight, root : TensorNode
    paths : list of ChainPath   empty when there are more than ``max_paths`` paths
    n_paths : int               how many paths lead from the weight to the error
    value : ndarray             the sum over paths (same shape as the weight)
    grad : ndarray or None      dE/d weight computed by backpropagation (None before backward)
    formula : str               the text written under the drawing
    """

    def __init__(self, weight, root, paths, n_paths, value, grad, formula):
        self.weight, self.root, self.paths, self.n_paths = weight, root, paths, n_paths
        self.value, self.grad, self.formula = value, grad, formula

    def __float__(self):
        """The value of a one-element weight's derivative (TypeError otherwise)."""
        if np.size(self.value) != 1:
            raise TypeError(f"float(Chain): the weight has shape {tuple(self.weight.shape)}, "
                            "use .value")
        return float(np.asarray(self.value).reshape(-1)[0])

    def __repr__(self):
        return (f"<Chain d{self.root.label}/d{self.weight.label} over {self.n_paths} path(s) "
                f"= {summarize(self.value)}>")


def local_vjp(op, grad_out):
    """The shares ``op`` sends to its operands for dE/d(output) = ``grad_out``, by position:
    its node's ``vjp`` (the local derivative, recomputed from the recorded inputs).

    Raises
    ------
    BackwardError
        When backward freed the node (outside ``viz.record()``).
    """
    node = op.fn
    positions = [i for i, m in enumerate(node.inputs_meta) if isinstance(m, TensorMeta)]
    with ag.no_grad():
        grads = node.vjp(ag.from_numpy(np.ascontiguousarray(grad_out)))
    return {pos: g.detach().numpy() for pos, g in zip(positions, grads)
            if g is not None and pos in op.flows}


def _count_paths(tr):
    """tensor key -> number of differentiable paths from it to the root."""
    count = {tr.root.key: 1}
    for node in reversed(tr.tensors):
        if node is tr.root:
            continue
        n = 0
        for op, pos in node.consumers:
            if pos in op.flows:
                n += count.get(op.output.key, 0)
        count[node.key] = n
    return count


def _enumerate(w, root, count):
    """Every path from ``w`` to the root as a list of steps (iterative depth first)."""
    paths, stack = [], [(w, [])]
    while stack:
        node, steps = stack.pop()
        if node is root:
            paths.append(steps)
            continue
        for op, pos in reversed(node.consumers):
            if pos in op.flows and count.get(op.output.key, 0):
                stack.append((op.output, steps + [(node, op, pos, op.output)]))
    return paths


def _path_value(steps, root):
    """The path's factors (scalar path), its contribution to dE/d weight, and the share
    flowing back along each step (weight to error)."""
    scalar = all(src.numel == 1 and out.numel == 1 for src, _, _, out in steps)
    if scalar:
        factors = []
        for src, op, pos, out in steps:
            local = local_vjp(op, np.ones(out.shape, dtype=out.dtype)).get(pos)
            factors.append(float(np.asarray(local, dtype=np.float64).reshape(-1)[0]))
        value = np.prod(np.asarray(factors, dtype=np.float64)) if factors else np.float64(1.0)
        return factors, np.asarray(value), None
    g = np.ones(root.shape, dtype=root.dtype)
    shares = []
    for src, op, pos, out in reversed(steps):
        g = local_vjp(op, g)[pos]
        shares.append(g)
    return None, np.asarray(g), shares[::-1]


def draw_chain(loss, weight, params=None, names=None, modules=None, max_paths=16, prune=False,
               **kwargs):
    """Highlight the path(s) from ``weight`` to ``loss`` and write the chain-rule product.

    Parameters
    ----------
    loss : Tensor or Trace
        The error, whose graph is alive: recorded with ``viz.record()`` around forward and
        backward (then ``Chain.grad`` is backpropagation's value), or not run backward
        through yet. The local derivatives are each node's ``vjp``.
    weight : Tensor or str
        The weight (any tensor in the graph), or its name in ``params``/``names``.
    params, names, modules
        As for ``draw_graph`` (names make the formula readable: ``names=locals()``).
    max_paths : int
        Enumerate at most this many paths; with more (deep residual nets) the drawing
        highlights all of them and gives their sum (backpropagation's value).
    prune : bool
        Draw only the paths and the operands of their operations (for large graphs);
        by default the rest of the graph is drawn faded.
    **kwargs
        Passed to ``draw_graph`` (``rankdir``, ``show_values``, ``max_nodes``, ...).

    Returns
    -------
    Graph
        ``graph.chain`` is a ``Chain``: ``.value`` (the sum of the path products, shape of the
        weight), ``.paths`` (each with ``.factors`` for scalar paths), ``.grad`` (what
        backpropagation computed) and ``.formula``.

    Raises
    ------
    BackwardError
        When ``backward()`` outside ``viz.record()`` freed the graph (the message says so).
    ValueError
        When ``weight`` is not in the graph or ``loss`` does not depend on it.
    """
    tr = as_trace(loss, params, names, modules, None, True, expand=True)
    if tr.state == "released":
        raise BackwardError("draw_chain needs the live graph, and backward() freed it (its "
                            "values and saved tensors); put 'with viz.record():' around the "
                            "forward pass and backward()")
    w = _find(tr, weight)
    count = _count_paths(tr)
    n_paths = count.get(w.key, 0)
    if n_paths == 0:
        raise ValueError(f"draw_chain: {tr.root.label} does not depend on {w.label} through "
                         "differentiable operations")
    paths, path_shares = [], []
    if n_paths <= max_paths:
        for steps in _enumerate(w, tr.root, count):
            factors, value, shares = _path_value(steps, tr.root)
            paths.append(ChainPath(steps, factors, value))
            path_shares.append(shares)
        value = sum((p.value for p in paths[1:]), paths[0].value)
    else:
        value = w.grad
    if value is not None and np.size(value) == w.numel:
        value = np.asarray(value).reshape(w.shape)

    on = _on_paths(tr, w, count)
    edge_labels = {}
    for p, shares in zip(paths, path_shares):
        for i, (src, op, pos, out) in enumerate(p.steps):
            if p.scalar:
                text = f"\u2202{out.label}/\u2202{src.label} = {fmt(p.factors[i])}"
            else:                    # the total share when recorded, else this path's
                share = op.edge_grads.get(pos, shares[i])
                text = "vjp: " + (summarize(share) if share.size <= 6
                                  else f"rms {_rms_text(share)}")
            edge_labels[(src.key, op.key, pos)] = text
    lines = _formula_lines(tr, w, paths, n_paths, value)
    formula = "\n".join(lines)
    o = _options(show_values=kwargs.pop("show_values", True), show_grads=True,
                 show_shapes=kwargs.pop("show_shapes", True),
                 show_saved=kwargs.pop("show_saved", False),
                 rankdir=kwargs.pop("rankdir", "TB"),
                 collapse_modules=False, max_nodes=kwargs.pop("max_nodes", None),
                 backward=False, legend=kwargs.pop("legend", True),
                 show_rules=kwargs.pop("show_rules", True), title=kwargs.pop("title", None),
                 root_label=tr.root.label or "E", highlight=on, edge_labels=edge_labels,
                 notes=lines, keep=_with_operands(tr, on) if prune else None)
    if kwargs:
        raise TypeError(f"draw_chain: unexpected arguments {sorted(kwargs)}")
    g = _emit(tr, o)
    g.chain = Chain(w, tr.root, paths, n_paths, value, w.grad, formula)
    return g


def _rms_text(a):
    if a is None:
        return "?"
    a = np.asarray(a, dtype=np.float64)
    return f"{np.sqrt(np.mean(a * a)):.3g}"


def _find(tr, weight):
    if isinstance(weight, str):
        for node in tr.tensors:
            if node.name == weight:
                return node
        raise ValueError(f"draw_chain: no tensor named {weight!r} in the graph (names: "
                         f"{sorted(n.name for n in tr.tensors if n.name)})")
    if weight not in tr:
        raise ValueError(f"draw_chain: the weight (shape {tuple(weight.shape)}) is not in the "
                         "graph of the loss")
    return tr.node(weight)


def _on_paths(tr, w, count):
    """Keys of the tensors and ops on some path from ``w`` to the root."""
    on, stack = {w.key}, [w]
    while stack:
        node = stack.pop()
        for op, pos in node.consumers:
            if pos in op.flows and count.get(op.output.key, 0):
                on.add(op.key)
                if op.output.key not in on:
                    on.add(op.output.key)
                    stack.append(op.output)
    return on


def _with_operands(tr, on):
    """``on`` plus every operand of the ops on the paths (what their derivatives use)."""
    keep = set(on)
    for op in tr.ops:
        if op.key in on:
            keep.update(src.key for _, _, src in op.inputs)
    return keep


def _formula_lines(tr, w, paths, n_paths, value):
    E, W = tr.root.label or "E", w.label
    head = f"d{E}/d{W}"
    lines = [f"chain rule: {head} = product of the local derivatives along each path from "
             f"{W} to {E}, summed over the paths"]
    if not paths and value is None:
        lines.append(f"{n_paths:,} paths (more than max_paths): their sum is backpropagation's "
                     f"value, known after {E}.backward() inside 'with viz.record():'")
    elif not paths:
        lines.append(f"{n_paths:,} paths (more than max_paths): their sum, by backpropagation, "
                     f"{head} = {summarize(value)}")
    elif len(paths) == 1:
        lines.append(f"{head} = {paths[0].formula()}")
    else:
        for i, p in enumerate(paths, 1):
            lines.append(f"path {i}: {p.formula()}")
        lines.append(f"{head} = sum over {len(paths)} paths = {summarize(value)}")
    if paths and not all(p.scalar for p in paths):
        lines.append("non-scalar tensors on the path: each red edge shows the vector-Jacobian "
                     f"product (d out/d in)^T \u00b7 d{E}/d out that flows back along it")
    if w.grad is None:
        lines.append(f"backpropagation's d{E}/d{W}: not computed yet ({E}.backward() inside "
                     "'with viz.record():' computes it)")
    else:
        lines.append(f"backpropagation's d{E}/d{W} = {summarize(w.grad)}")
    return lines
