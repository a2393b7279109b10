"""The natural order, as a new user writes it: forward, ``loss.backward()``, then each draw call.

Inside ``viz.record()`` every draw works after backward and shows the engine's numbers, checked
here against ``.grad`` and against central differences (of the loss with respect to a weight,
and with respect to an intermediate activation through an offset added to it). Outside it, a
draw after backward says in the picture how to see the rest, and the hint, followed, works.
"""

import html
import re

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
import viz
from autograd.errors import BackwardError
from viz.stepper import Value

EPS = 1e-6


class MLP(nn.Module):
    """2 -> 3 -> 2, tanh; ``offset`` is added to the hidden pre-activation (0: no change; its
    derivative is dE/d(hidden), which the central differences below nudge)."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(2, 3), nn.Linear(3, 2)

    def forward(self, x, offset=0.0):
        return self.fc2((self.fc1(x) + offset).tanh())


def setup():
    ag.manual_seed(3)
    model = MLP().double()
    x = ag.tensor([[0.5, -1.0], [0.25, 2.0]], dtype=ag.float64)
    y = ag.tensor(np.array([1, 0]))
    return model, x, y


def loss_of(model, x, y, offset=0.0):
    return F.cross_entropy(model(x, offset), y)


def texts(graph):
    svg = graph.pipe(format="svg").decode("utf-8")
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def central(f, shape):
    """d f / d(each element of a zero offset of ``shape``) by central differences."""
    out = np.zeros(shape)
    for i in np.ndindex(*shape):
        e = np.zeros(shape)
        e[i] = EPS
        out[i] = (f(e) - f(-e)) / (2 * EPS)
    return out


def test_every_draw_after_backward_shows_the_engines_numbers():
    model, x, y = setup()
    with viz.record():
        loss = loss_of(model, x, y)
        loss.backward()
    tr = viz.trace(loss)
    assert tr.state == "recorded" and tr.note == ""
    w = model.fc1.weight
    # a weight: the drawn gradient is .grad and the central difference
    numeric_w = central(lambda d: loss_of(_shifted(model, d), x, y).item(), tuple(w.shape))
    np.testing.assert_allclose(tr.node(w).grad, w.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(tr.node(w).grad, numeric_w, rtol=1e-6, atol=1e-9)
    # an intermediate: dE/d(hidden pre-activation), recorded by the engine, = the difference
    hidden = next(op.output for op in tr.ops if op.name == "Tanh").op.inputs[0][2]
    numeric_h = central(lambda d: loss_of(model, x, y, ag.tensor(d)).item(), (2, 3))
    np.testing.assert_allclose(hidden.grad, numeric_h, rtol=1e-6, atol=1e-9)
    # draw_graph and draw_backward print those numbers; cross_entropy is one node
    t = texts(viz.draw_graph(loss))
    assert f"grad {viz.summarize(w.grad.numpy())}" in " ".join(t)     # (wrapped lines)
    assert sum(line == "cross_entropy" for line in t) == 1
    tb = " ".join(texts(viz.draw_backward(loss)))
    assert f"dloss/dfc1.weight = {viz.summarize(w.grad.numpy())}" in tb
    # draw_chain: the sum of the path products is .grad
    chain = viz.draw_chain(loss, w).chain
    np.testing.assert_allclose(chain.value, w.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(chain.grad, w.grad.numpy(), rtol=1e-12)
    # step_backward: the last update of fc1.weight is its .grad
    data = viz.step_backward(loss).data
    wid = tr.node(w).key
    (last,) = [g for s in data.backward for g in s.grads if g.leaf == wid]
    assert last.total.text == Value.of(w.grad.numpy()).text
    assert last.total.norm == pytest.approx(np.linalg.norm(w.grad.numpy()), rel=1e-12)


def _shifted(model, delta):
    """A copy of ``model`` with ``delta`` added to fc1's weight."""
    import copy
    other = copy.deepcopy(model)
    with ag.no_grad():
        other.fc1.weight.add_(ag.tensor(delta))
    return other


def test_outside_record_each_draw_says_how_to_see_the_rest_and_the_hint_works():
    model, x, y = setup()
    loss = loss_of(model, x, y)
    loss.backward()                                   # the graph is freed, as in PyTorch
    hint = "with viz.record():"
    for draw in (viz.draw_graph, viz.draw_backward):
        t = " ".join(texts(draw(loss)))
        assert "backward() freed" in t and hint in t
        assert viz.summarize(model.fc1.weight.grad.numpy()) in t      # leaves keep .grad
    for call in (lambda: viz.draw_chain(loss, model.fc1.weight), lambda: viz.step_backward(loss)):
        with pytest.raises(BackwardError, match="viz.record"):
            call()
    model.zero_grad()
    with viz.record():                                # the hint, followed
        loss = loss_of(model, x, y)
        loss.backward()
    for draw in (viz.draw_graph, viz.draw_backward):
        assert "freed" not in " ".join(texts(draw(loss)))
    viz.draw_chain(loss, model.fc1.weight)
    assert len(viz.step_backward(loss).data.backward) == len(viz.trace(loss).ops)


def test_before_backward_drawing_works_and_says_gradients_are_not_computed_yet():
    model, x, y = setup()
    loss = loss_of(model, x, y)
    for draw in (viz.draw_graph, viz.draw_backward):
        t = " ".join(texts(draw(loss)))
        assert "gradients not computed yet" in t and "loss.backward()" in t
    assert model.fc1.weight.grad is None
    loss.backward()                                   # the drawings changed nothing
    assert model.fc1.weight.grad is not None


def test_module_calls_name_parameters_and_the_collapsed_view_has_a_node_per_layer():
    model, x, y = setup()
    with viz.record():
        loss = loss_of(model, x, y)
        loss.backward()
    tr = viz.trace(loss)
    assert [c.title for c in tr.modules] == ["fc1", "fc2", "MLP"]
    assert tr.node(model.fc2.bias).label == "fc2.bias" and tr.node(model.fc2.bias).role == "param"
    g = viz.draw_graph(loss, collapse_modules=True)
    assert "fc1.weight" not in g.source and "Linear(in_features=2, out_features=3" in g.source
