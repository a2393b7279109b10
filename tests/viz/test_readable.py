"""Pictures people can read: every drawing fits a 900 px column (675 pt) with text of at least
9 pt at that width, long labels are wrapped, layers show their window, targets say so."""

import re
import shutil

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
import viz

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz's dot")
COLUMN_PT = 900 * 72 / 96          # a 900 px column, in the SVG's points


def svg_of(graph):
    return graph.pipe(format="svg").decode()


def width_pt(svg):
    return float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))


def smallest_font_at_column_width(svg):
    scale = min(1.0, COLUMN_PT / width_pt(svg))
    return min(float(f) for f in re.findall(r'font-size="([\d.]+)"', svg)) * scale


def neuron():
    x = ag.tensor([0.50, 0.00, -0.75, 0.75])
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], requires_grad=True)
    s = (w * x).sum()
    y = s.tanh()
    t = ag.tensor(1.0)
    E = 0.5 * (y - t) ** 2
    return E, {"x": x, "w": w, "s": s, "y": y, "t": t, "E": E}


@pytest.mark.parametrize("backward", [False, True])
def test_the_neuron_fits_a_column_with_legible_text(backward):
    E, names = neuron()
    svg = svg_of(viz.draw_graph(E, names=names, backward=backward))
    assert width_pt(svg) <= COLUMN_PT
    assert smallest_font_at_column_width(svg) >= 9


def test_the_chain_rule_picture_fits_and_its_formula_is_wrapped():
    x, t = ag.tensor(0.5), ag.tensor(1.0)
    w = [ag.tensor(v, requires_grad=True) for v in (0.1, 0.4, 0.7, 0.9, -0.4)]
    h = (w[0] * x).sigmoid()
    y = (w[3] * (w[1] * h).sigmoid() + w[4] * (w[2] * h).sigmoid()).sigmoid()
    E = 0.5 * (y - t) ** 2
    g = viz.draw_chain(E, w[0], names={"w0": w[0], "E": E})
    svg = svg_of(g)
    assert width_pt(svg) <= COLUMN_PT and smallest_font_at_column_width(svg) >= 9
    assert max(len(line) for line in g.chain.formula.splitlines()) > 100   # long formulas...
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert max(len(t) for t in texts) <= 100                               # ...drawn wrapped


def test_lenet_collapsed_fits_shows_windows_and_labels_the_target():
    ag.manual_seed(0)
    model = nn.models.lenet5()
    g = viz.draw_model(model, input_shape=(1, 1, 28, 28), backward=True, collapse_modules=True)
    svg = svg_of(g)
    assert width_pt(svg) <= COLUMN_PT and smallest_font_at_column_width(svg) >= 9
    assert "Conv2d(1, 6) kernel 5x5, stride 1, padding 2" in svg
    labels = {n.label: n.role for n in g.trace.tensors if n.role == "input"}
    assert labels == {"input": "input", "target": "input"}   # the image, and the one-hot labels


def test_targets_are_labelled_by_the_loss_functions_parameter_name():
    logits = ag.randn(2, 3, requires_grad=True)
    y = ag.tensor(np.array([0, 2]))
    loss = F.cross_entropy(logits, y)
    tr = viz.trace(loss)
    (op,) = tr.ops                             # cross_entropy: one node, not its 8 ops
    assert op.name == "cross_entropy" and "softmax(input) - onehot(target)" in op.rule
    assert [(a, n.label, n.role) for _, a, n in op.inputs] == [
        ("input", "leaf", "leaf"), ("target", "target", "input")]
    assert tr.node(y).label == "target" and tr.node(y).value == "[0, 2]"
    expanded = viz.trace(loss, expand=True)    # the ops inside: y only became numbers there
    assert len(expanded.ops) > 4 and "target" not in [n.label for n in expanded.tensors]
    with viz.record():
        out = nn.Sequential(nn.Linear(3, 3))(ag.randn(2, 3))
        loss = F.mse_loss(out, ag.randn(2, 3))
    g = viz.draw_graph(loss)
    assert sorted(n.label for n in g.trace.tensors if n.role == "input") == ["input", "target"]


def test_wrap_breaks_at_spaces_and_commas():
    from viz.graph import wrap
    assert wrap("kernel 5x5, stride 1, padding 2", 14) == ["kernel 5x5,", "stride 1,", "padding 2"]
    assert wrap("averyveryverylongword", 5) == ["averyveryverylongword"]
    assert wrap("", 10) == []
