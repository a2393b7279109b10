"""viz.draw_graph / draw_backward: rendered with the real ``dot`` to SVG and read back.

The natural order: forward and ``backward()`` inside ``viz.record()``, then draw; every number
is checked against what the engine computed (``.grad``, ``autograd.grad``).

Numbers are the slides' (four-pixel neuron: inputs 0.50, 0.00, -0.75, 0.75, weights -0.2, 0.0,
0.8, -0.5, weighted sum -1.075; the 1-2-2-1 sigmoid network with E = 1/2 (y - t)^2).
"""

import html
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import autograd as ag
import viz
from viz.graph import GRAD_PALETTE

ROOT = Path(__file__).resolve().parents[2]


def svg_of(graph):
    return graph.pipe(format="svg").decode("utf-8")


def texts(svg):
    """Every piece of text drawn in the SVG, unescaped, without the no-break spaces that pad
    table cells (``viz.graph._row``)."""
    return [html.unescape(t).strip("\u00a0") for t in
            re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def node_count(svg):
    return svg.count('class="node"')


def edges(svg):
    """Edge titles (``t0->f0``) in drawing order."""
    return [html.unescape(t) for t in
            re.findall(r'<g id="edge\d+" class="edge">\s*<title>([^<]*)</title>', svg)]


def four_pixel():
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], requires_grad=True)
    x = ag.tensor([0.50, 0.00, -0.75, 0.75])
    s = (w * x).sum()
    return w, x, s


# -- the four-pixel neuron --------------------------------------------------------------------
def test_four_pixel_neuron_nodes_values_shapes_and_grads():
    with viz.record():
        w, x, s = four_pixel()
        s.backward()
    g = viz.draw_graph(s, names={"w": w, "x": x, "s": s}, legend=False)
    svg = svg_of(g)
    t = texts(svg)
    # w, x, w*x, s and the two ops Mul and Sum
    assert node_count(svg) == 6
    assert "data -1.075" in t                              # the slides' weighted sum
    assert "data [-0.2, 0, 0.8, -0.5]" in t
    assert "data [0.5, 0, -0.75, 0.75]" in t
    assert "data [-0.1, 0, -0.6, -0.375]" in t             # the weighted pixels
    assert t.count("(4,) float32") == 3 and "scalar float32" in t
    assert "Mul" in t and "d/da = b, d/db = a" in t and "Sum" in t
    assert "grad [0.5, 0, -0.75, 0.75]" in t               # dS/dw = x = w.grad
    assert viz.summarize(w.grad.numpy()) == "[0.5, 0, -0.75, 0.75]"
    assert "grad [1, 1, 1, 1]" in t                        # dS/d(w*x), kept by record()
    # operand order: w is Mul's operand 0 (a), x operand 1 (b)
    assert f'{g.trace.node(w).key} -> f0 [label="0: a"]' in g.source
    assert f'{g.trace.node(x).key} -> f0 [label="1: b"]' in g.source
    assert "0: a" in t and "1: b" in t


def test_before_backward_values_are_drawn_and_gradients_not_computed_yet():
    w, x, s = four_pixel()
    g = viz.draw_graph(s, names={"w": w, "x": x, "s": s})
    t = texts(svg_of(g))
    assert "data -1.075" in t and not any(line.startswith("grad ") for line in t)
    assert any("gradients not computed yet" in line for line in t)
    assert g.trace.state == "live" and w.grad is None


def test_graph_is_not_changed_and_backward_still_works():
    w, x, s = four_pixel()
    y = w * 2
    y.retain_grad()
    loss = (y * x).sum() + s
    viz.draw_graph(loss)
    viz.draw_backward(loss)
    assert w.grad is None and y.grad is None                # viz wrote no gradient
    loss.backward()                                       # saved tensors were not freed
    np.testing.assert_allclose(w.grad.numpy(force=True), 3 * x.numpy(force=True), rtol=1e-6)
    np.testing.assert_allclose(y.grad.numpy(force=True), x.numpy(force=True), rtol=1e-6)


def test_after_backward_outside_record_the_picture_says_how_to_see_the_rest():
    w, x, s = four_pixel()
    s.backward()
    g = viz.draw_graph(s, names={"w": w, "x": x})
    svg = svg_of(g)
    t = texts(svg)
    assert "grad [0.5, 0, -0.75, 0.75]" in t              # w.grad, stored by backward
    assert "data [-0.2, 0, 0.8, -0.5]" in t               # the leaf w is alive
    assert "data [-0.1, 0, -0.6, -0.375]" not in t        # w * x: freed by backward
    assert "(4,) float32" in t                            # ...its shape is still known
    assert not any(line.startswith("grad [1, 1, 1, 1]") for line in t)
    hint = " ".join(t)
    assert "backward() freed" in hint and "with viz.record():" in hint
    # the hint, followed: every value and gradient is there
    with viz.record():
        w2, x2, s2 = four_pixel()
        s2.backward()
    t2 = texts(svg_of(viz.draw_graph(s2, names={"w": w2, "x": x2})))
    assert "grad [1, 1, 1, 1]" in t2 and "data [-0.1, 0, -0.6, -0.375]" in t2
    assert not any("freed" in line for line in t2)


# -- the slides' 1-2-2-1 sigmoid network ---------------------------------------------------------
def sigmoid_net():
    """input -> 2 sigmoid -> 2 sigmoid -> 1 sigmoid output, E = 1/2 (y - t)^2, scalar weights."""
    x, t = ag.tensor(0.5), ag.tensor(1.0)
    p = {}
    for j, (w, b) in enumerate(((0.1, 0.05), (-0.3, 0.2))):
        p[f"w1{j}"] = ag.tensor(w, requires_grad=True)
        p[f"b1{j}"] = ag.tensor(b, requires_grad=True)
    for j, row in enumerate(((0.4, -0.6), (0.7, 0.2))):
        for i, w in enumerate(row):
            p[f"w2{i}{j}"] = ag.tensor(w, requires_grad=True)   # from hidden-1 i to hidden-2 j
    for i, w in enumerate((0.9, -0.4)):
        p[f"w3{i}"] = ag.tensor(w, requires_grad=True)
    h1 = [(p[f"w1{j}"] * x + p[f"b1{j}"]).sigmoid() for j in range(2)]
    h2 = [(p[f"w20{j}"] * h1[0] + p[f"w21{j}"] * h1[1]).sigmoid() for j in range(2)]
    y = (p["w30"] * h2[0] + p["w31"] * h2[1]).sigmoid()
    E = 0.5 * (y - t) ** 2
    names = {"x": x, "t": t, "y": y, "E": E, "h1_0": h1[0], "h1_1": h1[1], "h2_0": h2[0],
             "h2_1": h2[1]}
    return p, names, E


def test_sigmoid_network_nodes_labels_and_grads():
    with viz.record():
        p, names, E = sigmoid_net()
        E.backward()
    g = viz.draw_graph(E, params=p, names=names, legend=False)
    svg = svg_of(g)
    # tensors: x, t, the constant 1/2, 10 parameters, 2 x (w*x, +b, sigmoid) in layer 1,
    # 2 x (2 products, sum, sigmoid) in layer 2, the same 4 for the output, then y - t,
    # its square and 1/2 * it: 3 + 10 + 6 + 8 + 4 + 3 = 34; ops: 6 + 8 + 4 + 3 = 21
    assert node_count(svg) == 34 + 21
    t = texts(svg)
    assert sum(s == "Sigmoid" for s in t) == 5
    assert "d/da = sigmoid(a)*(1 - sigmoid(a))" in t
    y = names["y"].item()
    assert f"data {viz.summarize(y)}" in t
    assert f"data {viz.summarize(E.item())}" in t
    for name in p:                                         # parameters are named
        assert name in t
    for name, w in p.items():                             # .grad after backward, per weight
        assert f"grad {viz.summarize(w.grad.numpy(force=True))}" in t
    # every intermediate gradient is the engine's (autograd.grad on a fresh copy)
    p2, names2, E2 = sigmoid_net()
    want = ag.grad(E2, [names2["h2_0"], names2["y"]])
    tr = g.trace
    for key, g2 in zip(("h2_0", "y"), want):
        np.testing.assert_allclose(tr.node(names[key]).grad, g2.numpy(), rtol=1e-6)


def test_roles_are_distinct_and_explained_by_the_legend():
    p, names, E = sigmoid_net()
    tr = viz.trace(E, params=p, names=names)
    roles = {n.label: n.role for n in tr.tensors}
    assert roles["w10"] == "param" and roles["x"] == "input" and roles["E"] == "loss"
    assert [n.role for n in tr.tensors if n.role == "const"] == ["const"]   # the 1/2
    src = viz.draw_graph(tr).source
    for text in ("parameter", "input / constant data", "scalar constant", "loss (root)",
                 "operation: name, local derivative"):
        assert text in src
    assert "leaf (requires grad)" not in src               # no unnamed leaf in this graph


def test_x_times_x_has_two_edges_and_the_backward_view_sums_them():
    x = ag.tensor(3.0, requires_grad=True)
    with viz.record():
        y = x * x
        y.backward()
    g = viz.draw_graph(y, names={"x": x, "y": y}, legend=False)
    svg = svg_of(g)
    assert edges(svg).count("t0->f0") == 2
    assert node_count(svg) == 3
    b = svg_of(viz.draw_backward(y, names={"x": x, "y": y}, legend=False))
    t = texts(b)
    assert "0: dy/da = 3" in t and "1: dy/db = 3" in t    # each operand's share: the other
    assert "dy/dx = 6" in t                               # ...summed at x: 2x
    assert "dir=back" in viz.draw_backward(y).source


def test_backward_view_colours_vanishing_gradients():
    x = ag.tensor(0.5, requires_grad=True)
    with viz.record():
        h = x
        for _ in range(12):                 # each sigmoid scales the gradient by <= 1/4
            h = h.sigmoid()
        h.backward()
    tr = viz.trace(h)
    src = viz.draw_backward(tr, legend=True).source
    assert tr.node(x).grad is not None and abs(tr.node(x).grad) < 1e-6
    np.testing.assert_allclose(tr.node(x).grad, x.grad.numpy())
    x_line = next(line for line in src.splitlines() if line.lstrip().startswith("t0 "))
    root_line = next(line for line in src.splitlines()
                     if line.lstrip().startswith(f"{tr.root.key} "))
    assert GRAD_PALETTE[0] in x_line           # the vanished gradient: bottom of the scale
    assert GRAD_PALETTE[-1] in root_line       # dh/dh = 1: top of the scale
    assert "gradient RMS (log scale)" in src


def test_create_graph_draws_the_gradient_graph():
    x = ag.tensor(2.0, requires_grad=True)
    y = x ** 3
    (dx,) = ag.grad(y, [x], create_graph=True)
    assert dx.grad_fn is not None
    with viz.record():
        dx.backward()                                      # d(3x^2)/dx into x.grad
    g = viz.draw_graph(dx, names={"x": x})
    t = texts(svg_of(g))
    assert "data 12" in t                                 # dy/dx = 3x^2
    assert "grad 12" in t                                 # d(3x^2)/dx = 6x at x = 2
    assert "x" in t


def test_ten_thousand_node_graph():
    x = ag.tensor(0.5, requires_grad=True)
    h = x
    for _ in range(5000):
        h = h.tanh()
    tr = viz.trace(h)                                      # iterative: no recursion limit
    assert len(tr) == 10001
    full = viz.draw_graph(tr, max_nodes=None, legend=False).source
    assert len(re.findall(r"^\s*[tf]\d+ \[", full, re.M)) == 10001
    g = viz.draw_graph(tr, max_nodes=200, legend=False)
    svg = svg_of(g)
    assert node_count(svg) == 201                           # 200 nearest the root + "more"
    assert any("9,801 more nodes" in s for s in texts(svg))


def test_show_saved_and_rules_rows():
    w, x, s = four_pixel()
    src = viz.draw_graph(s, show_saved=True).source
    assert "saved 32 B: (4,), (4,)" in src               # Mul saved both float32 operands
    assert s.grad_fn.next_functions[0][0].saved_bytes == 32
    with viz.record():
        s.backward()
    assert "saved 32 B: (4,), (4,)" in viz.draw_graph(s, show_saved=True).source
    w, x, s = four_pixel()
    s.backward()
    assert "saved: freed by backward()" in viz.draw_graph(s, show_saved=True).source
    assert "d/da = b" not in viz.draw_graph(s, show_rules=False).source


def test_module_clusters_and_collapse():
    nn = pytest.importorskip("nn")

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(2, 3)
            self.act = nn.Sigmoid()
            self.fc2 = nn.Linear(3, 1)

        def forward(self, x):
            return self.fc2(self.act(self.fc1(x)))

    ag.manual_seed(0)
    model = Net()
    with viz.trace_modules(model) as mods:
        out = model(ag.randn(4, 2))
    loss = (out ** 2).mean()
    assert [c.title for c in mods.calls] == ["fc1", "act", "fc2", "Net"]
    assert model.fc1._forward_hooks == {}                    # hooks removed on exit
    g = viz.draw_graph(loss, modules=mods)
    src = g.source
    for i, title in enumerate(("fc1: Linear", "act: Sigmoid", "fc2: Linear", "Net: Net")):
        assert f"subgraph cluster_m{i} {{" in src and title in src
    tr = g.trace
    assert tr.node(model.fc1.weight).name == "fc1.weight"
    assert tr.node(model.fc1.weight).module == 0 and tr.node(model.fc2.bias).module == 2
    assert tr.node(out).role == "output" and tr.node(out).module == 2
    body = src[src.index("subgraph cluster_m0 {"):]
    body = body[:body.index("}")]
    assert f"{tr.node(model.fc1.weight).key} [" in body      # fc1's weight inside fc1's box
    svg = svg_of(g)
    assert svg.count('class="cluster"') == 4

    c = viz.draw_graph(loss, modules=mods, collapse_modules=True, legend=False)
    csvg = svg_of(c)
    t = texts(csvg)
    assert "Linear(in_features=2, out_features=3, bias=True)" in t
    assert "9 parameters" in t and "4 parameters" in t       # fc1: 2*3+3, fc2: 3+1
    assert "out (4, 3)" in t and "out (4, 1)" in t            # each call's own output
    assert "fc1.weight" not in csvg                          # inside the collapsed node
    assert re.search(r"<title>m0&#45;&gt;m1</title>", csvg)   # fc1 -> act -> fc2
    assert re.search(r"<title>m1&#45;&gt;m2</title>", csvg)
    whole = viz.draw_graph(loss, modules=mods, collapse_modules=0, legend=False).source
    assert "m3 [" in whole and "m0 [" not in whole           # depth 0: the whole model


def test_jupyter_display_and_no_tensor_hooks():
    w, x, s = four_pixel()
    g = viz.draw_graph(s)
    bundle = g._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert not hasattr(ag.Tensor, "_repr_svg_")
    assert not hasattr(ag.Tensor, "_repr_mimebundle_")


def test_missing_dot_says_how_to_install(tmp_path, monkeypatch):
    w, x, s = four_pixel()
    g = viz.draw_graph(s)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(viz.DotNotFoundError, match="apt-get install graphviz"):
        viz.render(g, tmp_path / "g.svg")
    with pytest.raises(viz.DotNotFoundError, match="graphviz.org"):
        g.pipe(format="svg")
    with pytest.raises(viz.DotNotFoundError):
        g._repr_mimebundle_()
    assert "digraph" in g.source                             # DOT text needs no program
    viz.render(g, tmp_path / "g.dot")
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
    # a plain graphviz.Digraph gets the same translation from viz.render
    import graphviz
    with pytest.raises(viz.DotNotFoundError):
        viz.render(graphviz.Digraph(), tmp_path / "h.png")


def test_render_formats(tmp_path):
    w, x, s = four_pixel()
    g = viz.draw_graph(s)
    assert (Path(viz.render(g, tmp_path / "a.png")).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n")
    assert Path(viz.render(g, tmp_path / "b.svg")).read_text().lstrip().startswith("<?xml")
    assert Path(viz.render(g, tmp_path / "c", format="svg")).read_text().count("<svg") == 1


def test_bad_arguments():
    w, x, s = four_pixel()
    with pytest.raises(TypeError, match="Tensor or a Trace"):
        viz.draw_graph(3.0)
    with pytest.raises(ValueError, match="rankdir"):
        viz.draw_graph(s, rankdir="XY")
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw_graph(s, max_nodes=0)
    with pytest.raises(TypeError, match="params"):
        viz.draw_graph(s, params={"w": 1.0})
    with pytest.raises(ValueError, match="needs module calls"):
        viz.draw_graph(s, collapse_modules=True)


def test_a_non_scalar_root_shows_the_gradient_backward_was_given():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = w * 3
    tr = viz.trace(y)
    assert tr.grad_source == "none" and "not computed yet" in tr.note
    with viz.record():
        y.backward(gradient=ag.tensor([1.0, -1.0]))
    tr = viz.trace(y)
    assert tr.grad_source == "recorded" and tr.root.role == "output"
    np.testing.assert_allclose(tr.node(w).grad, [3.0, -3.0])
    np.testing.assert_allclose(tr.root.grad, [1.0, -1.0])


def test_import_viz_is_cheap():
    code = ("import sys, viz; print('matplotlib' in sys.modules, 'graphviz' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.stdout.split() == ["False", "False"]


def test_resnet50_collapses_to_readable_blocks():
    nn = pytest.importorskip("nn")
    models = pytest.importorskip("nn.models")
    ag.manual_seed(0)
    model = models.resnet50(num_classes=10, small_input=True).eval()
    with viz.trace_modules(model) as mods:
        out = model(ag.randn(1, 3, 16, 16))
    tr = viz.trace(out, modules=mods, grads=False)
    full = viz.draw_graph(tr, max_nodes=None)
    assert len(tr) > 500                                     # unreadable as one picture
    blocks = viz.draw_graph(tr, collapse_modules=2, legend=False)
    svg = svg_of(blocks)
    t = texts(svg)
    names = [f"layer{i}.{j}" for i, n in enumerate((3, 4, 6, 3), 1) for j in range(n)]
    for name in names:                                       # the 16 bottleneck blocks
        assert name in t
    assert sum(s == "Bottleneck()" for s in t) == 16
    assert node_count(svg) < 40 and svg.count('class="cluster"') == 5   # model + 4 stages
    layers = viz.draw_graph(tr, collapse_modules=True, legend=False, max_nodes=None).source
    assert layers.count("Conv2d(") == 53                      # every convolution one node
    assert full.source.count("[label=") > layers.count("[label=")


# -- property: what viz draws is what the engine computed, on random graphs ---------------------
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_LEAF_SHAPES = [(3,), (2, 3), (1, 3), ()]
_UNARY = [lambda a: a.tanh(), lambda a: a.sigmoid(), lambda a: a * a]
_BINARY = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b]


@st.composite
def programs(draw):
    n_leaves = draw(st.integers(2, 4))
    shapes = [draw(st.sampled_from(_LEAF_SHAPES)) for _ in range(n_leaves)]
    steps = []
    for k in range(draw(st.integers(1, 8))):
        pool = n_leaves + k
        if draw(st.booleans()):
            steps.append(("u", draw(st.integers(0, 2)), draw(st.integers(0, pool - 1)), None))
        else:
            steps.append(("b", draw(st.integers(0, 2)), draw(st.integers(0, pool - 1)),
                          draw(st.integers(0, pool - 1))))
    seed = draw(st.integers(0, 2 ** 16))
    return shapes, steps, seed


@given(programs())
def test_trace_gradients_match_the_engine_on_random_graphs(program):
    shapes, steps, seed = program
    rng = np.random.default_rng(seed)
    leaves = [ag.tensor(rng.uniform(-1, 1, s), dtype=ag.float64, requires_grad=True)
              for s in shapes]
    pool = list(leaves)
    for kind, f, i, j in steps:
        pool.append(_UNARY[f](pool[i]) if kind == "u" else _BINARY[f](pool[i], pool[j]))
    root = sum(t.sum() for t in pool[len(leaves):])
    used = [t for t in pool if t in viz.trace(root)]
    expected = ag.grad(root, used, retain_graph=True, allow_unused=True)
    with viz.record():
        root.backward()
    tr = viz.trace(root)
    assert tr.grad_source == "recorded"
    for t, g in zip(used, expected):
        got = tr.node(t).grad
        if g is None:
            assert got is None or not np.any(got)
        else:
            np.testing.assert_allclose(got, g.numpy(force=True), rtol=1e-12, atol=1e-12)
            if t.grad_fn is None:                                  # a leaf: its .grad too
                np.testing.assert_allclose(t.grad.numpy(), got, rtol=1e-12, atol=1e-12)
    src = viz.draw_graph(tr, legend=False, show_grads=True).source
    n_nodes = len(re.findall(r"^\s*[tf]\d+ \[", src, re.M))
    assert n_nodes == len(tr) == len(tr.tensors) + len(tr.ops)
    # one edge per operand, in operand order, even when an operand repeats
    assert src.count(" -> f") == sum(len(op.inputs) for op in tr.ops)


def test_a_leaf_root_and_names_from_locals():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    tr = viz.trace(w)
    assert len(tr) == 1 and tr.root.role == "output"          # two elements: not a loss
    assert "leaf" in tr.note
    a = ag.tensor(2.0, requires_grad=True)
    b = a * 3
    c = b                                       # a second name: the first one wins
    assert viz.trace(c, names=locals()).node(b).label == "b"
    assert viz.trace(c, names={b: "bee"}).node(b).label == "bee"
