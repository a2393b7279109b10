"""``viz.step_backward(loss)`` / ``viz.step_forward(loss)``: the step-through page of a real
graph, built from the engine's own run.

    with viz.record():
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    viz.step_backward(loss, collapse_modules=True).save("backprop.html")   # a step per layer

Each backward step is one node (or one layer, with ``collapse_modules``) in the order the
engine ran it (``node.run_index``), with the gradient that arrived at its output
(``node.grad_output``) and the share it sent to each input (``node.grad_inputs``). On a graph
that has not been through backward yet the page runs the backward itself: ``autograd.grad``
inside ``autograd.graph.record(into=...)``, so nothing is written to ``.grad`` and the graph
is left as it was. Forward steps follow creation order (``walk`` reversed).
"""

import numpy as np

import autograd as ag
from autograd import graph
from autograd.errors import BackwardError

from ._trace import is_elementwise, trace
from .graph import collapse_targets
from .stepper import (BackwardStep, Edge, ForwardStep, GradUpdate, Node, Operand, Share,
                      StepData, StepPage, Value)

__all__ = ["step_backward", "step_forward", "step_data"]


def step_backward(loss, params=None, names=None, modules=None, collapse_modules=False,
                  expand=False, gradient=None, title=None, rankdir="TB"):
    """The step-through page of backpropagation through the graph of ``loss``.

    Parameters
    ----------
    loss : Tensor
        Recorded with ``viz.record()`` around forward and backward, or a graph not run
        backward through yet (the page then runs the backward itself, writing no ``.grad``).
    params, names, modules, expand
        As for ``viz.draw_graph``.
    collapse_modules : bool or int
        ``True``: each leaf module call (a layer) is one node and one step; an int ``d``: each
        call at depth ``d``. Otherwise every op is a step and modules are clusters.
    gradient : array_like, optional
        dE/d loss for a loss with more than one element (when the page runs backward).
    title : str, optional
    rankdir : str
        Layout direction of the graph (TB: top down).

    Returns
    -------
    StepPage
        ``.save("page.html")`` writes one self-contained file; Jupyter shows it inline.

    Raises
    ------
    BackwardError
        When backward already freed the graph (outside ``viz.record()``), or the loss has
        more than one element and no ``gradient`` was given.
    """
    data = step_data(loss, params, names, modules, collapse_modules, expand, gradient, title)
    return StepPage(data, rankdir=rankdir)


def step_forward(loss, **kwargs):
    """The same page, opened on the forward pass (each node in creation order, with the
    values it reads and computes); ``step_backward``'s arguments."""
    page = step_backward(loss, **kwargs)
    page.data = _replace(page.data, start="forward")
    return page


def _replace(data, **changes):
    import dataclasses
    return dataclasses.replace(data, **changes)


def step_data(loss, params=None, names=None, modules=None, collapse_modules=False, expand=False,
              gradient=None, title=None):
    """The ``StepData`` of ``step_backward`` (see there)."""
    if not isinstance(loss, ag.Tensor):
        raise TypeError(f"viz.step_backward: expected a Tensor, got {type(loss).__name__}")
    tr = trace(loss, params=params, names=names, modules=modules, expand=expand)
    notes = []
    if tr.state == "released":
        raise BackwardError("viz.step_backward: backward() already freed this graph (its values "
                            "and saved tensors); put 'with viz.record():' around the forward "
                            "pass and backward(), or call step_backward before backward()")
    if tr.state == "live" and loss.grad_fn is not None:
        records = run_backward(loss, gradient)
        tr = trace(loss, params=params, names=names, modules=modules, expand=expand,
                   records=records)
        notes.append("The page ran the backward pass itself (autograd.grad inside "
                     "autograd.graph.record()): .grad is not written.")
    return _Pages(tr, collapse_modules).data(title, notes)


def run_backward(loss, gradient=None):
    """The engine's backward through ``loss``'s live graph, kept in a dict (node ->
    ``Recorded``) instead of on the nodes: ``autograd.grad`` into the leaves, so no ``.grad``
    changes and the graph stays as it was."""
    leaves = []
    seen = set()
    for node in graph.walk([loss]):
        for edge, _ in node.next_functions:
            if isinstance(edge, graph.AccumulateGrad) and id(edge.variable) not in seen:
                seen.add(id(edge.variable))
                leaves.append(edge.variable)
    seed = None if gradient is None else ag.tensor(np.asarray(gradient), dtype=loss.dtype)
    records = {}
    with graph.record(into=records):
        ag.grad(loss, leaves, grad_outputs=seed, retain_graph=True, allow_unused=True)
    return records


class _Pages:
    """Turn a Trace into StepData: nodes (tensors, ops, modules), edges, steps."""

    def __init__(self, tr, collapse):
        self.tr = tr
        self.calls = tr.modules or []
        self.unit = {}                       # op key -> collapsed call index
        targets = collapse_targets(self.calls, collapse)
        for op in tr.ops:
            if op.module is not None and targets.get(op.module) is not None:
                self.unit[op.key] = targets[op.module]
        self.collapsed = set(self.unit.values())

    # -- which drawn item stands for a trace item -------------------------------------------
    def _rep(self, key):
        """The drawn id of an op: itself, or the collapsed call it sits in (``m3``)."""
        return f"m{self.unit[key]}" if key in self.unit else key

    def _hidden_tensor(self, tn):
        """A tensor drawn inside a collapsed call's box: a result only its own call reads, or
        a constant only it uses."""
        if tn.op is not None:
            inside = self.unit.get(tn.op.key)
            return (inside is not None and tn is not self.tr.root
                    and all(self.unit.get(c.key) == inside for c, _ in tn.consumers))
        users = {self.unit.get(op.key) for op, _ in tn.consumers}
        return tn.role == "const" and len(users) == 1 and None not in users

    def _collapsed_around(self, index):
        while index is not None:
            if index in self.collapsed:
                return index
            index = self.calls[index].parent
        return None

    def _cluster(self, index):
        """The id of the cluster a node of module call ``index`` sits in (None: top level);
        nodes of a collapsed call sit next to its box."""
        around = self._collapsed_around(index)
        if around is not None:
            index = self.calls[around].parent
        return None if index is None else f"m{index}"

    # -- nodes and edges ----------------------------------------------------------------
    def nodes_and_edges(self):
        tr = self.tr
        nodes, edges, seen = [], [], set()
        for tn in tr.tensors:
            if not self._hidden_tensor(tn):
                shape = "scalar" if tn.shape == () else str(tn.shape)
                nodes.append(Node(tn.key, tn.label or tn.role, tn.role,
                                  detail=f"{shape} {tn.dtype}", value=_value(tn.array()),
                                  grad=_value(tn.grad), parent=self._cluster(tn.module)))
        for op in tr.ops:
            rep = self._rep(op.key)
            if rep == op.key:
                nodes.append(Node(op.key, op.name, "op", detail=op.args or op.rule,
                                  parent=self._cluster(op.module)))
            ends = [(src.key, rep) for _, _, src in op.inputs if not self._hidden_tensor(src)]
            if not self._hidden_tensor(op.output):
                ends.append((rep, op.output.key))
            for a, b in ends:
                if a != b and (a, b) not in seen:
                    seen.add((a, b))
                    edges.append(Edge(a, b))
        shown = {n.parent for n in nodes if n.parent is not None}
        shown |= {f"m{i}" for i in self.collapsed}
        for call in self.calls:                   # the calls around them frame them too
            if f"m{call.index}" in shown:
                p = call.parent
                while p is not None:
                    shown.add(f"m{p}")
                    p = self.calls[p].parent
        for call in self.calls:
            if f"m{call.index}" in shown:
                nodes.append(Node(f"m{call.index}", call.title, "module",
                                  detail=call.describe(), parent=self._cluster(call.parent)))
        return nodes, edges

    # -- steps ------------------------------------------------------------------------------
    def _units(self):
        """Drawn step units in creation order: (id, output TensorNodes, member ops)."""
        units, index = [], {}
        for op in self.tr.ops:
            rep = self._rep(op.key)
            if rep not in index:
                index[rep] = len(units)
                units.append([rep, [], []])
            units[index[rep]][2].append(op)
        for unit in units:
            members = unit[2]
            keys = {op.key for op in members}
            outs = [op.output for op in members
                    if not self._hidden_tensor(op.output) or op.output is self.tr.root]
            unit[1] = outs or [members[-1].output]
            unit.append(keys)
        return units

    def _external(self, members, keys):
        """(source TensorNode, slot, [(op, position)]) for each input from outside the unit."""
        out = {}
        for op in members:
            for pos, aname, src in op.inputs:
                if src.op is not None and src.op.key in keys:
                    continue
                if self._hidden_tensor(src):
                    continue
                entry = out.setdefault(src.key, [src, aname, []])
                entry[2].append((op, pos))
        return list(out.values())

    def backward_steps(self):
        steps, totals = [], {}
        units = [u for u in self._units() if any(op.run_index is not None for op in u[2])]
        units.sort(key=lambda u: min(op.run_index for op in u[2] if op.run_index is not None))
        for uid, outs, members, keys in units:
            out = outs[0]
            if out.grad is None:
                continue
            arriving = out.grad
            shares, updates = [], []
            single = len(members) == 1 and uid == members[0].key
            for src, slot, uses in self._external(members, keys):
                # one op: a share per edge (x * x sends two); a layer: one per input
                for edges in ([[u] for u in uses] if single else [uses]):
                    got = [op.edge_grads[pos] for op, pos in edges if pos in op.edge_grads]
                    if not got:
                        continue
                    share = sum(got[1:], got[0])
                    local = _local(members[0], edges[0][1], arriving, share) if single else \
                        _row(arriving, share)
                    shares.append(Share(src.key, slot, Value.of(share), local))
                    if src.op is None and src.role in ("param", "leaf"):
                        totals[src.key] = totals.get(src.key, 0) + share
                        updates.append(GradUpdate(src.key, Value.of(share),
                                                  Value.of(totals[src.key])))
            rule = members[0].rule if single else self._unit_rule(uid, members)
            steps.append(BackwardStep(uid, out.key, Value.of(arriving), rule, tuple(shares),
                                      tuple(updates)))
        return steps

    def _unit_rule(self, uid, members):
        if len(members) == 1:
            return members[0].rule
        names = list(dict.fromkeys(op.name for op in members))
        return (f"{len(members)} ops ({', '.join(names[:6])}{', ...' if len(names) > 6 else ''})"
                ": the vector-Jacobian products of its ops, one after another")

    def forward_steps(self):
        steps = []
        for uid, outs, members, keys in self._units():
            out = outs[0]
            result = out.array()
            if result is None:
                return []
            external = self._external(members, keys)
            inputs = [Operand(src.key, slot, Value.of(src.array())) for src, slot, _ in external
                      if src.array() is not None]
            args = ", ".join(src.label or src.role for src, _, _ in external)
            name = members[0].name if uid == members[0].key else \
                self.calls[int(uid[1:])].title
            steps.append(ForwardStep(uid, out.key, tuple(inputs), Value.of(result),
                                     f"{out.label} = {name}({args})"))
        return steps

    def data(self, title, notes):
        nodes, edges = self.nodes_and_edges()
        root = self.tr.root
        back = self.backward_steps()
        title = title or (f"Backpropagation through {root.label or 'the loss'}: "
                          f"{len(back)} steps")
        return StepData(title, root.key, tuple(nodes), tuple(edges),
                        tuple(self.forward_steps()), tuple(back), tuple(notes)).check()


def _value(a):
    return None if a is None else Value.of(a)


def _row(arriving, share):
    """d out/d in for a one-element output: share / arriving (the row of the Jacobian)."""
    a = np.asarray(arriving, dtype=np.float64)
    if a.size != 1 or float(a.reshape(-1)[0]) == 0:
        return None
    return Value.of(np.asarray(share, dtype=np.float64) / float(a.reshape(-1)[0]))


def _local(op, pos, arriving, share):
    """The local derivative where share = local * arriving elementwise: table ops whose input
    has the output's shape (d out/d in by ``node.vjp`` of ones), and one-element outputs."""
    if np.size(arriving) == 1:
        return _row(arriving, share)
    if (len(op.members) > 1 or not is_elementwise(op.fn) or op.released
            or np.shape(share) != np.shape(arriving)):
        return None
    from .chain import local_vjp
    ones = np.ones(np.shape(arriving), dtype=np.asarray(arriving).dtype)
    local = local_vjp(op, ones).get(pos)
    return None if local is None else Value.of(local)

