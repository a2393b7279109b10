"""The public graph API, ``autograd.graph`` (issue 10, "A public graph").

All tests of the node API live in this one file, so that the names can still change:

* ``autograd.graph.walk(roots)`` yields every node reachable from the root tensors, in the order
  backward runs them (reverse creation order), each exactly once;
* a node has ``name()`` ('MulBackward'), ``next_functions`` (one ``(node or None, 0)`` per input,
  as PyTorch; a leaf appears as an object with ``.variable``, PyTorch's AccumulateGrad),
  ``inputs_meta`` (shape and dtype per input), ``rule`` (a string), ``saved_tensors_info``
  (shape, dtype, nbytes per saved tensor), ``released`` (bool) and ``vjp(grad_output)``: the
  input gradients recomputed from the recorded inputs while the graph is alive (BackwardError
  once backward released it).

PyTorch facts used (torch 2.13.0): ``(x * c).grad_fn.next_functions`` is
``((<AccumulateGrad>, 0), (None, 0))`` for a leaf x and a constant c, and the AccumulateGrad's
``.variable is x``; ``(x * x)`` lists the same AccumulateGrad twice; calling a released node
raises RuntimeError.
"""

import importlib

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd.errors import BackwardError


def graph():
    """``autograd.graph``, imported per test so each test reports its own failure."""
    return importlib.import_module("autograd.graph")


def leaf(shape, seed=0):
    rng = np.random.default_rng(seed)
    return ag.tensor(rng.standard_normal(shape), requires_grad=True)


def is_leaf_node(node):
    return hasattr(node, "variable")


def op_nodes(roots):
    """The nodes ``walk`` yields, without the leaves' accumulators."""
    return [n for n in graph().walk(roots) if not is_leaf_node(n)]


def values(g):
    if g is None:
        return None
    return g.detach().numpy() if isinstance(g, ag.Tensor) else np.asarray(g)


# -- walk ---------------------------------------------------------------------------------------
def test_walk_follows_a_chain_in_reverse_creation_order():
    x = leaf((3,))
    a = x * 2.0
    b = a.exp()
    c = b + a
    d = c.sum()
    got = op_nodes([d])
    want = [d.grad_fn, c.grad_fn, b.grad_fn, a.grad_fn]
    assert [id(n) for n in got] == [id(n) for n in want], \
        f"walk order {[n.name() for n in got]}, expected {[n.name() for n in want]}"


def test_walk_orders_independent_branches_by_reverse_creation():
    x = leaf((3,))
    a = x * 2.0          # created first
    b = x * 3.0          # created second: backward reaches it first
    c = a + b
    d = c.sum()
    assert [id(n) for n in op_nodes([d])] == [id(d.grad_fn), id(c.grad_fn), id(b.grad_fn),
                                             id(a.grad_fn)]


def reachable(roots):
    """Every op node reachable through next_functions (independent of walk)."""
    seen, stack = {}, [r.grad_fn for r in roots if r.grad_fn is not None]
    while stack:
        n = stack.pop()
        if id(n) in seen or is_leaf_node(n):
            continue
        seen[id(n)] = n
        stack.extend(child for child, _ in n.next_functions if child is not None)
    return seen


def mlp_loss():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 5), nn.Tanh(), nn.Linear(5, 3))
    x = ag.tensor(np.linspace(-1.0, 1.0, 8, dtype=np.float32).reshape(2, 4))
    out = model(x)
    return F.cross_entropy(out, ag.tensor([0, 2])) + (out * out).mean(), model


def test_walk_is_a_reverse_topological_order_visiting_each_node_once():
    loss, _ = mlp_loss()
    order = list(graph().walk([loss]))
    ids = [id(n) for n in order]
    assert len(ids) == len(set(ids)), "walk yielded a node twice"
    position = {id(n): i for i, n in enumerate(order)}
    assert set(reachable([loss])) <= set(position), "walk missed reachable nodes"
    for n in order:
        if is_leaf_node(n):
            continue
        for child, _ in n.next_functions:
            if child is not None and id(child) in position:
                assert position[id(child)] > position[id(n)], \
                    f"{child.name()} comes before its consumer {n.name()}"


def test_walk_from_two_roots_visits_the_shared_part_once():
    x = leaf((3,))
    shared = x.exp()
    y1, y2 = (shared * 2.0).sum(), (shared + 1.0).sum()
    nodes = op_nodes([y1, y2])
    assert sum(n is shared.grad_fn for n in nodes) == 1
    assert {id(n) for n in nodes} == set(reachable([y1, y2]))


# -- node metadata -----------------------------------------------------------------------------
def test_name_is_the_op_name_with_backward():
    x, c = leaf((2,)), ag.tensor([3.0, 4.0], dtype=ag.float64)
    assert (x * c).grad_fn.name() == "MulBackward"
    for t in (x + c, x.exp(), x.sum()):
        assert t.grad_fn.name().endswith("Backward"), t.grad_fn.name()


def test_next_functions_has_one_entry_per_input_as_pytorch():
    x, c = leaf((2,)), ag.tensor([3.0, 4.0], dtype=ag.float64)
    nf = (x * c).grad_fn.next_functions
    assert len(nf) == 2, f"one entry per input, PyTorch: ((AccumulateGrad, 0), (None, 0)); {nf}"
    assert nf[0][0].variable is x and nf[0][1] == 0
    assert nf[1] == (None, 0)
    nf = (c * x).grad_fn.next_functions
    assert nf[0] == (None, 0) and nf[1][0].variable is x


def test_next_functions_of_x_times_x_lists_the_leaf_twice():
    x = leaf((2,))
    (first, i), (second, j) = (x * x).grad_fn.next_functions
    assert first.variable is x and second.variable is x and i == j == 0


def test_next_functions_links_to_the_producing_node():
    x = leaf((2,))
    e = x.exp()
    nf = (e * x).grad_fn.next_functions
    assert nf[0] == (e.grad_fn, 0) and nf[1][0].variable is x


def test_inputs_meta_gives_shape_and_dtype_per_input():
    a, b = leaf((2, 3)), ag.tensor(np.ones((3, 4), np.float32), requires_grad=True)
    meta = (a @ b.double()).grad_fn.inputs_meta
    assert [(m.shape, np.dtype(m.dtype)) for m in meta] == [((2, 3), np.float64),
                                                           ((3, 4), np.float64)]


def test_rule_is_a_string():
    rule = (leaf((2,)) * leaf((2,), 1)).grad_fn.rule
    assert isinstance(rule, str) and rule.strip()


def test_saved_tensors_info_gives_shape_dtype_and_bytes():
    # MulBackward saves both operands (PyTorch: self and other) when both require grad
    a, b = leaf((2, 3)), leaf((3,), 1)
    info = (a * b).grad_fn.saved_tensors_info
    assert sorted(i.shape for i in info) == [(2, 3), (3,)]
    for i in info:
        assert np.dtype(i.dtype) == np.float64
        assert i.nbytes == int(np.prod(i.shape)) * 8


# -- released -----------------------------------------------------------------------------------
def test_released_after_backward_and_not_with_retain_graph():
    x = leaf((3,))
    y = (x.exp() * x).sum()
    assert not any(n.released for n in op_nodes([y]))
    y.backward(retain_graph=True)
    assert not any(n.released for n in op_nodes([y])), "retain_graph=True must keep the graph"
    y.backward()
    assert all(n.released for n in op_nodes([y]))


def test_a_released_node_keeps_its_metadata_and_edges():
    x = leaf((2, 3))
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    assert node.released
    assert node.name() == "ExpBackward"
    assert node.next_functions[0][0].variable is x
    assert [m.shape for m in node.inputs_meta] == [(2, 3)]


# -- vjp ----------------------------------------------------------------------------------------
def conv_inputs():
    return leaf((2, 3, 5, 5)), leaf((4, 3, 3, 3), 1), leaf((4,), 2)


def positive_leaf(shape, seed=0):
    rng = np.random.default_rng(seed)
    return ag.tensor(rng.uniform(0.5, 2.0, shape), requires_grad=True)


# (name, inputs, f): one op on leaves -- node.vjp(g) must equal the .grad backward(g) leaves
VJP_CASES = [
    ("mul_broadcast", lambda: (leaf((2, 3)), leaf((3,), 1)), lambda a, b: a * b),
    ("div", lambda: (leaf((2, 3)), positive_leaf((2, 3), 1)), lambda a, b: a / b),
    ("matmul", lambda: (leaf((2, 3)), leaf((3, 4), 1)), lambda a, b: a @ b),
    ("exp", lambda: (leaf((2, 3)),), lambda a: a.exp()),
    ("tanh", lambda: (leaf((2, 3)),), lambda a: a.tanh()),
    ("sum_dim", lambda: (leaf((2, 3, 4)),), lambda a: a.sum(1)),
    ("softmax", lambda: (leaf((2, 5)),), lambda a: a.softmax(-1)),
    ("getitem", lambda: (leaf((3, 4)),), lambda a: a[[0, 2, 0]]),
    ("conv2d", conv_inputs, lambda x, w, b: ag.conv2d(x, w, b, stride=2, padding=1)),
    ("max_pool2d", lambda: (leaf((1, 2, 4, 4)),), lambda a: ag.max_pool2d(a, 2)),
]


@pytest.mark.parametrize("make_inputs, f", [c[1:] for c in VJP_CASES],
                         ids=[c[0] for c in VJP_CASES])
def test_vjp_equals_what_backward_accumulates(make_inputs, f):
    inputs = make_inputs()
    out = f(*inputs)
    g = ag.tensor(np.random.default_rng(7).standard_normal(out.shape))
    vjp = out.grad_fn.vjp(g)
    assert len(vjp) == len(inputs), f"one gradient per input, got {len(vjp)}"
    out.backward(g)
    for i, (got, x) in enumerate(zip(vjp, inputs)):
        assert values(got).shape == x.shape, f"input {i}: vjp shape {values(got).shape}"
        np.testing.assert_allclose(values(got), x.grad.numpy(), rtol=1e-12, atol=1e-12,
                                   err_msg=f"input {i}")


def test_vjp_gives_none_for_an_input_that_does_not_require_grad():
    # torch 2.13.0: (x * c).grad_fn(ones(2)) -> (tensor([3., 4.]), None)
    x, c = leaf((2,)), ag.tensor([3.0, 4.0], dtype=ag.float64)
    gx, gc = (x * c).grad_fn.vjp(ag.ones(2, dtype=ag.float64))
    np.testing.assert_array_equal(values(gx), [3.0, 4.0])
    assert gc is None


def test_vjp_of_an_intermediate_node_uses_its_recorded_inputs():
    x = leaf((2, 3))
    h = x.tanh()
    h.retain_grad()
    out = (h * h).sum()
    g = ag.tensor(np.ones(()))
    (gh,) = out.grad_fn.vjp(g)                    # SumBackward: ones like h*h
    (gx,) = h.grad_fn.vjp(2 * h.detach())         # TanhBackward at the recorded x
    out.backward()
    np.testing.assert_array_equal(values(gh), np.ones((2, 3)))
    np.testing.assert_allclose(values(gx), x.grad.numpy(), rtol=1e-12)


def test_vjp_after_release_raises_backward_error():
    x = leaf((3,))
    y = x.exp()
    node = y.grad_fn
    y.sum().backward()
    with pytest.raises(BackwardError):
        node.vjp(ag.ones(3, dtype=ag.float64))


def test_vjp_still_works_after_backward_with_retain_graph():
    x = leaf((3,))
    y = x.exp()
    y.sum().backward(retain_graph=True)
    (g,) = y.grad_fn.vjp(ag.ones(3, dtype=ag.float64))
    np.testing.assert_allclose(values(g), np.exp(x.detach().numpy()), rtol=1e-12)


# -- record() -------------------------------------------------------------------------------------
def neuron():
    """The slides' four-pixel neuron, E = 1/2 (tanh(w . x) - 1)^2, in float64."""
    x = ag.tensor([0.50, 0.00, -0.75, 0.75], dtype=ag.float64)
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], dtype=ag.float64, requires_grad=True)
    s = (w * x).sum()
    return w, x, s, 0.5 * (s.tanh() - 1.0) ** 2


def test_record_keeps_the_graph_and_each_nodes_gradients():
    w, x, s, E = neuron()
    with graph().record():
        E.backward()
    nodes = op_nodes([E])
    assert not any(n.released for n in nodes)                 # as with retain_graph=True
    assert [n.run_index for n in nodes] == list(range(len(nodes)))    # walk's order is the run
    y = np.tanh(-1.075)
    np.testing.assert_allclose(values(E.grad_fn.grad_output), 1.0)
    # Mul(0.5, square): the share to the square is 0.5, none to the number
    gi = E.grad_fn.grad_inputs
    np.testing.assert_allclose(values(gi[1]), 0.5)
    np.testing.assert_allclose(values(s.grad_fn.grad_output), (y - 1) * (1 - y * y))
    mul = s.grad_fn.next_functions[0][0]
    np.testing.assert_allclose(values(mul.grad_inputs[0]), w.grad.numpy())
    assert mul.grad_inputs[0].shape == (4,)
    E.backward()                                              # kept: a second backward works
    np.testing.assert_allclose(w.grad.numpy(), 2 * values(mul.grad_inputs[0]))


def test_outside_record_nothing_is_kept():
    w, x, s, E = neuron()
    E.backward()
    assert all(n.run_index is None and n.grad_output is None for n in op_nodes([E]))


def test_record_into_a_dict_leaves_the_nodes_as_they_were():
    w, x, s, E = neuron()
    into = {}
    with graph().record(into=into):
        (gw,) = ag.grad(E, [w])
    nodes = op_nodes([E])
    assert set(into) == set(nodes) and not any(n.released for n in nodes)
    assert all(n.grad_output is None for n in nodes) and w.grad is None
    rec = into[s.grad_fn.next_functions[0][0]]
    assert isinstance(rec, graph().Recorded) and rec.run_index == len(nodes) - 1
    np.testing.assert_allclose(values(rec.grad_inputs[0]), gw.numpy(), rtol=1e-12)


# -- groups and composite functions ---------------------------------------------------------------
def test_a_composite_call_is_a_group_on_the_node_of_its_result():
    w, x, s, _ = neuron()
    t = ag.tensor([0.0, 1.0, 0.0, 0.0], dtype=ag.float64)
    loss = F.mse_loss(w * x, t, reduction="sum")
    (group,) = loss.grad_fn.groups
    assert group.kind == "function" and group.label == "mse_loss" and group.owner.__name__ == \
        "mse_loss" and "2 (input - target)" in group.rule
    assert [(i.name, i.meta.shape) for i in group.inputs] == [("input", (4,)), ("target", (4,))]
    assert group.inputs[1].ref() is t and group.options == (("reduction", "sum"),)
    inside = [n.name() for n in op_nodes([loss]) if n in group]
    assert inside == ["SumBackward", "MulBackward", "SubBackward"]      # not w * x: before
    assert s.grad_fn not in group and (w * x).grad_fn not in group     # not after either
    assert F.mse_loss.__name__ == "mse_loss" and "Mean squared error" in F.mse_loss.__doc__


def test_groups_keep_no_tensor_alive_and_cost_nothing_without_recording():
    import gc
    import weakref
    x = leaf((3,))
    h = x * 2.0
    ref = weakref.ref(h)
    loss = F.mse_loss(h, ag.zeros(3, dtype=ag.float64))
    del h
    loss.backward()                        # released: the node drops h; the group holds no ref
    gc.collect()
    assert ref() is None and loss.grad_fn.groups[0].inputs[0].ref() is None
    with ag.no_grad():
        assert F.mse_loss(x, x).grad_fn is None


def test_a_group_by_hand_nests_and_sorts_by_start():
    G = graph().Group
    x = leaf((2,))
    outer = G("outer", "module").start()
    inner = G("inner", "module").start()
    a = x.exp()
    assert inner.end(a, (x,)) == (a.grad_fn,)
    b = a * 3.0
    assert outer.end(b) == (b.grad_fn,) and G("empty").start().end(x) == ()
    assert a.grad_fn.groups == (inner,) and b.grad_fn.groups == (outer,)
    assert a.grad_fn in outer and b.grad_fn not in inner
    assert sorted([inner, outer]) == [outer, inner]
    assert inner.inputs[0].name == "input" and inner.inputs[0].ref() is x
