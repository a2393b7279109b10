"""viz.draw_chain: the chain-rule product along the path(s) from a weight to the error equals
the weight's gradient (slides, section 1), with the numbers written on the drawing.

Most tests use the natural order: forward and ``backward()`` inside ``viz.record()``, then
draw; the products are checked against ``.grad`` and against central differences.
"""

import html
import math
import re

import numpy as np
import pytest

import autograd as ag
import viz
from autograd.errors import BackwardError
from autograd.gradcheck import numerical_jacobian


def texts(graph):
    svg = graph.pipe(format="svg").decode("utf-8")
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def sig(v):
    return 1 / (1 + math.exp(-v))


# -- the four-pixel neuron, one scalar weight per pixel ------------------------------------------
def four_pixel_scalar():
    xs = [ag.tensor(v, dtype=ag.float64) for v in (0.50, 0.00, -0.75, 0.75)]
    ws = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in (-0.2, 0.0, 0.8, -0.5)]
    s = ws[0] * xs[0]
    for w, x in zip(ws[1:], xs[1:]):
        s = s + w * x
    y = s.tanh()                    # the slides' squashing (the sigmoid's rescaled twin)
    names = {f"w{i}": w for i, w in enumerate(ws)} | {f"x{i}": x for i, x in enumerate(xs)}
    names |= {"s": s, "y": y}
    return ws, xs, s, y, names


def test_four_pixel_chain_factors_and_product_equal_grad():
    with viz.record():
        ws, xs, s, y, names = four_pixel_scalar()
        y.backward()
    assert s.item() == pytest.approx(-1.075)
    g = viz.draw_chain(y, ws[2], names=names)
    chain = g.chain
    assert chain.n_paths == 1 and chain.paths[0].scalar
    # dy/dw2 = d(w2 x2)/dw2 * d(+)/d. * d(+)/d. * dtanh/ds = x2 * 1 * 1 * (1 - tanh(s)^2)
    expected = [-0.75, 1.0, 1.0, 1 - math.tanh(-1.075) ** 2]
    np.testing.assert_allclose(chain.paths[0].factors, expected, rtol=1e-12)
    np.testing.assert_allclose(chain.value, ws[2].grad.numpy(force=True), rtol=1e-12)
    np.testing.assert_allclose(chain.grad, ws[2].grad.numpy(force=True), rtol=1e-12)
    np.testing.assert_allclose(chain.value, np.prod(expected), rtol=1e-12)
    assert float(chain) == pytest.approx(float(ws[2].grad), rel=1e-12)
    t = texts(g)
    assert "\u2202mul3/\u2202w2 = -0.75" in t                # the step's label on its edge
    product = f"= -0.75 \u00d7 1 \u00d7 1 \u00d7 {expected[3]:.4g} = {np.prod(expected):.4g}"
    assert any(product in line for line in t)
    assert any(line.startswith("backpropagation's dy/dw2 = ") for line in t)


def test_before_backward_the_chain_is_drawn_and_backprop_is_not_computed_yet():
    ws, xs, s, y, names = four_pixel_scalar()
    g = viz.draw_chain(y, ws[2], names=names)           # local derivatives: node.vjp
    assert g.chain.grad is None and ws[2].grad is None
    assert any("not computed yet" in line for line in texts(g))
    y.backward()
    np.testing.assert_allclose(g.chain.value, ws[2].grad.numpy(force=True), rtol=1e-12)


def test_four_pixel_vector_path_shows_vector_jacobian_products():
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], dtype=ag.float64, requires_grad=True)
    x = ag.tensor([0.50, 0.00, -0.75, 0.75], dtype=ag.float64)
    with viz.record():
        y = (w * x).sum().tanh()
        y.backward()
    g = viz.draw_chain(y, "w", names={"w": w, "x": x, "y": y})
    chain = g.chain
    assert chain.n_paths == 1 and not chain.paths[0].scalar
    np.testing.assert_allclose(chain.value, w.grad.numpy(force=True), rtol=1e-12)
    np.testing.assert_allclose(chain.value, (1 - math.tanh(-1.075) ** 2) * x.numpy(force=True),
                               rtol=1e-12)
    numeric = numerical_jacobian(lambda w_: (w_ * x).sum().tanh(),
                                 [ag.tensor(w.detach().numpy(), requires_grad=True)])[0]
    np.testing.assert_allclose(chain.value, np.ravel(numeric), rtol=1e-7, atol=1e-10)
    assert "vector-Jacobian" in chain.formula
    assert any(line.startswith("vjp: [") for line in texts(g))


# -- the 1-2-2-1 sigmoid network -------------------------------------------------------------------
def sigmoid_net():
    x, t = ag.tensor(0.5, dtype=ag.float64), ag.tensor(1.0, dtype=ag.float64)
    vals = {"w10": 0.1, "w11": -0.3, "b10": 0.05, "b11": 0.2, "w200": 0.4, "w210": -0.6,
            "w201": 0.7, "w211": 0.2, "w30": 0.9, "w31": -0.4}
    p = {k: ag.tensor(v, dtype=ag.float64, requires_grad=True) for k, v in vals.items()}
    h1 = [(p[f"w1{j}"] * x + p[f"b1{j}"]).sigmoid() for j in range(2)]
    h2 = [(p[f"w20{j}"] * h1[0] + p[f"w21{j}"] * h1[1]).sigmoid() for j in range(2)]
    y = (p["w30"] * h2[0] + p["w31"] * h2[1]).sigmoid()
    E = 0.5 * (y - t) ** 2
    return vals, p, E, x


def slides_backprop(v, x=0.5, t=1.0):
    """The slides' rules by hand: dE/dy = y - t, dE/dx = f'(x) dE/dy, dE/dw_ij = y_i dE/dx_j,
    dE/dy_i = sum_j w_ij dE/dx_j."""
    y1 = [sig(v[f"w1{j}"] * x + v[f"b1{j}"]) for j in range(2)]
    y2 = [sig(v[f"w20{j}"] * y1[0] + v[f"w21{j}"] * y1[1]) for j in range(2)]
    y = sig(v["w30"] * y2[0] + v["w31"] * y2[1])
    dx3 = y * (1 - y) * (y - t)
    g = {f"w3{i}": y2[i] * dx3 for i in range(2)}
    dx2 = [y2[j] * (1 - y2[j]) * v[f"w3{j}"] * dx3 for j in range(2)]
    g |= {f"w2{i}{j}": y1[i] * dx2[j] for i in range(2) for j in range(2)}
    dx1 = [y1[i] * (1 - y1[i]) * sum(v[f"w2{i}{j}"] * dx2[j] for j in range(2))
           for i in range(2)]
    g |= {f"w1{i}": x * dx1[i] for i in range(2)} | {f"b1{i}": dx1[i] for i in range(2)}
    return g, y2, y


def test_sigmoid_network_chain_equals_slides_backprop_and_grad():
    with viz.record():
        vals, p, E, x = sigmoid_net()
        E.backward()
    expected, y2, y = slides_backprop(vals)
    chains = {name: viz.draw_chain(E, name, params=p).chain for name in p}
    for name, w in p.items():
        np.testing.assert_allclose(chains[name].value, expected[name], rtol=1e-10,
                                   err_msg=name)
        np.testing.assert_allclose(chains[name].value, w.grad.numpy(force=True), rtol=1e-10,
                                   err_msg=name)
    # a first-layer weight reaches the error through both second-layer nodes: two products
    assert chains["w10"].n_paths == 2 and chains["b11"].n_paths == 2
    assert chains["w30"].n_paths == 1 and chains["w201"].n_paths == 1
    # w30 -> (w30 * y2_0) -> + -> sigmoid -> y - t -> square -> 1/2 *
    f = chains["w30"].paths[0].factors
    np.testing.assert_allclose(f, [y2[0], 1, y * (1 - y), 1, 2 * (y - 1.0), 0.5], rtol=1e-10)


def test_chain_drawing_highlights_only_the_paths():
    with viz.record():
        vals, p, E, x = sigmoid_net()
        E.backward()
    g = viz.draw_chain(E, p["w31"], params=p)
    src = g.source
    tr = g.trace
    w = tr.node(p["w31"])
    on_edge = next(line for line in src.splitlines() if line.strip().startswith(f"{w.key} ->"))
    assert "penwidth=2.5" in on_edge and "\u2202" in on_edge
    other = tr.node(p["w10"])            # not on w31's path: drawn faded
    off = next(line for line in src.splitlines() if line.strip().startswith(f"{other.key} ->"))
    assert "penwidth" not in off and "#c8c8c8" in off


def test_prune_draws_only_the_paths_and_their_operands():
    vals, p, E, x = sigmoid_net()
    full = viz.draw_chain(E, p["w31"], params=p)
    pruned = viz.draw_chain(E, p["w31"], params=p, prune=True, legend=False)
    tr = pruned.trace
    count = len(re.findall(r"^\s*[tf]\d+ \[", pruned.source, re.M))
    # w31 * h2_1 -> + (with w30 * h2_0) -> sigmoid -> - t -> ^2 -> 1/2 *: 6 ops, their 6
    # outputs, and the operands w31, h2_1, mul(w30, h2_0), t and the constant 1/2
    assert count == 6 + 6 + 5
    assert f"{tr.node(p['w10']).key} [" not in pruned.source
    assert f"{tr.node(p['w10']).key} [" in full.source
    np.testing.assert_allclose(pruned.chain.value, full.chain.value)
    E.backward()
    np.testing.assert_allclose(pruned.chain.value, p["w31"].grad.numpy(), rtol=1e-12)


def test_many_paths_sum_to_the_gradient():
    x = ag.tensor(0.3, dtype=ag.float64, requires_grad=True)
    with viz.record():
        h = x
        for _ in range(5):                 # h*h + h: three edges per level, 3^5 paths
            h = h * h + h
        h.backward()
    g = viz.draw_chain(h, x, max_paths=300)
    assert g.chain.n_paths == 243 and len(g.chain.paths) == 243
    few = viz.draw_chain(h, x).chain     # more than max_paths: the sum by backpropagation
    assert few.paths == [] and few.n_paths == 243
    assert "243 paths" in few.formula
    np.testing.assert_allclose(g.chain.value, x.grad.numpy(force=True), rtol=1e-10)
    np.testing.assert_allclose(few.value, x.grad.numpy(force=True), rtol=1e-10)


def test_chain_errors():
    vals, p, E, x = sigmoid_net()
    with pytest.raises(ValueError, match="not in the graph"):
        viz.draw_chain(E, ag.tensor(1.0, requires_grad=True))
    with pytest.raises(ValueError, match="no tensor named"):
        viz.draw_chain(E, "nope", params=p)
    with pytest.raises(ValueError, match="does not depend"):
        viz.draw_chain(E, x)
    E.backward()                      # outside viz.record(): the graph is freed
    with pytest.raises(BackwardError, match="freed") as err:
        viz.draw_chain(E, p["w10"])
    assert "viz.record()" in str(err.value)
    with viz.record():                # the hint, followed
        vals, p, E, x = sigmoid_net()
        E.backward()
    chain = viz.draw_chain(E, p["w10"]).chain
    np.testing.assert_allclose(chain.value, p["w10"].grad.numpy(), rtol=1e-12)


def test_vector_paths_sum_to_the_gradient():
    x = ag.tensor([0.3, -0.2, 0.5], dtype=ag.float64, requires_grad=True)
    W = ag.tensor([[0.5, -1.0, 0.2], [0.1, 0.4, -0.3]], dtype=ag.float64, requires_grad=True)

    def f(x):
        h = x
        for _ in range(3):
            h = h * h + h                        # 3^3 paths through vectors
        return (W @ h).tanh().sum()
    with viz.record():
        E = f(x)
        E.backward()
    chain = viz.draw_chain(E, x, max_paths=30).chain
    assert chain.n_paths == 27 and not any(p.scalar for p in chain.paths)
    np.testing.assert_allclose(chain.value, x.grad.numpy(force=True), rtol=1e-10)
    numeric = numerical_jacobian(f, [ag.tensor(x.detach().numpy(), requires_grad=True)])[0]
    np.testing.assert_allclose(chain.value, np.ravel(numeric), rtol=1e-6, atol=1e-9)
