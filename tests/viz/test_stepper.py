"""The step-through page: its data model, the HTML it writes, ``viz.step_backward`` on real
graphs, and the page in a real browser.

The browser tests load the saved file from disk in headless Chromium, click through it, read
the highlighted node and the numbers the page shows, and compare them with the engine: its
order (``autograd.graph.walk``, ``node.run_index``), the gradient each node received and sent
(``node.grad_output``, ``node.grad_inputs``), ``.grad`` after backward, and central
differences.
"""

import json
import os
import re
import time
from pathlib import Path

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
import viz
from autograd import graph
from autograd.errors import BackwardError
from autograd.gradcheck import numerical_jacobian
from viz.stepper import (BackwardStep, Edge, Node, StepData, StepPage, Value, build_html)

ROOT = Path(__file__).resolve().parents[2]
NUM = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def numbers(text):
    return [float(x) for x in NUM.findall(text)]


# -- the data model and the file ------------------------------------------------------------
def test_value_small_and_large():
    v = Value.of(np.array([0.5, 0.0, -0.75]))
    assert v.numbers == (0.5, 0.0, -0.75) and v.text == "[0.5, 0, -0.75]"
    assert v.norm == pytest.approx(np.sqrt(0.25 + 0.5625))
    assert Value.of(np.float64(-1.075)).text == "-1.075"
    big = Value.of(np.ones((6, 1, 5, 5)))
    assert big.numbers is None and big.shape == (6, 1, 5, 5)
    assert big.text == "(6, 1, 5, 5) norm 12.25 rms 1"
    assert Value.of(ag.tensor([2.0, 3.0], requires_grad=True)).numbers == (2.0, 3.0)


def test_check_names_the_bad_id():
    nodes = (Node("t0", "x", "input"), Node("f0", "Neg", "op"), Node("t1", "y", "loss"))
    ok = StepData("ok", "t1", nodes, (Edge("t0", "f0"), Edge("f0", "t1")))
    assert ok.check() is ok
    with pytest.raises(ValueError, match="kind 'tensor'"):
        StepData("k", "t0", (Node("t0", "x", "tensor"),), ()).check()
    with pytest.raises(ValueError, match="used twice"):
        StepData("d", "t0", nodes + (Node("t0", "z", "input"),), ()).check()
    step = BackwardStep("f9", "t1", Value.of(1.0), "", ())
    with pytest.raises(ValueError, match="backward step 1 names node 'f9'"):
        StepData("s", "t1", nodes, (), backward=(step,)).check()


def test_page_is_one_self_contained_file(tmp_path, examples):
    data, _ = examples.neuron()
    page = StepPage(data)
    path = page.save(tmp_path / "neuron.html")
    text = Path(path).read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") == 1
    # nothing is fetched: no external script, style, image, font or frame
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=|@import|url\(\s*['\"]?https?:", text)
    for w in re.findall(r"https?://[^\s\"'<>)]+", text):
        assert w.startswith("http://www.w3.org/"), w           # only XML namespaces
    blob = re.search(r'<script type="application/json" id="stepper-data">(.*?)</script>', text,
                     re.S).group(1)
    got = json.loads(blob)
    assert [s["node"] for s in got["backward"]] == [s.node for s in data.backward]
    assert all("{{" not in part for part in text.split("<script")[:1])   # templates filled
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "&lt;svg" in frame


def test_templates_ship_with_the_package():
    cfg = (ROOT / "setup.cfg").read_text()
    assert "templates/*.html" in cfg and "templates/*.js" in cfg and "templates/*.css" in cfg
    for name in ("stepper.html", "stepper.js", "stepper.css"):
        assert (ROOT / "viz" / "templates" / name).is_file()


def test_a_closing_script_tag_in_a_label_cannot_break_the_page():
    nodes = (Node("t0", "</script><b>x", "input"), Node("f0", "Neg", "op"),
             Node("t1", "y", "loss"))
    html = build_html(StepData("t", "t1", nodes, (Edge("t0", "f0"), Edge("f0", "t1"))))
    assert html.count("</script>") == 2          # the data block and the code block


# -- the page in Chromium -------------------------------------------------------------------
def open_page(browser, data, path):
    StepPage(data).save(path)
    start = time.perf_counter()
    browser.get(Path(path).as_uri())
    ready = None
    while ready is None and time.perf_counter() - start < 20:
        ready = browser.execute_script("return document.documentElement.dataset.ready || null")
        if ready is None:
            time.sleep(0.02)
    assert ready is not None, "the page never finished its first render"
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    return float(ready), time.perf_counter() - start


def shown(browser):
    """What the page shows now: highlighted node, card heading's node, arriving, shares, grads."""
    return browser.execute_script("""
      const q = (s) => document.querySelector(s);
      const rows = (s) => Array.from(document.querySelectorAll(s));
      const cur = q('#graph g.node.cur, #graph g.cluster.cur');
      return {
        highlighted: cur ? cur.dataset.node : null,
        heading: q('#node-label').dataset.node,
        counter: q('#counter').textContent,
        arriving: q('#arriving') ? q('#arriving td.v').textContent : null,
        shares: rows('#shares tr[data-to]').map(r => [r.dataset.to,
                                                     r.querySelector('.num').textContent]),
        grads: Object.fromEntries(rows('#grads tr[data-leaf]').map(r => [r.dataset.leaf,
                 r.querySelector('.num') ? r.querySelector('.num').textContent : null])),
        hot: rows('#graph g.edge.hot').length,
        result: q('#result') ? q('#result td.v').textContent : null,
      };""")


def click(browser, id_, times=1):
    button = browser.find_element("id", id_)
    for _ in range(times):
        button.click()


def close(text, expected, rel=2e-3):
    """The page prints 4 significant digits."""
    got = numbers(text)
    want = np.ravel(expected).astype(float)
    assert len(got) == want.size, (text, want)
    np.testing.assert_allclose(got, want, rtol=rel, atol=1e-12)


def engine_order(root, names=None):
    """The page ids of the nodes in the order the engine ran them, and the nodes."""
    tr = viz.trace(root, names=names)
    nodes = list(graph.walk([root]))
    assert [n.run_index for n in nodes] == list(range(len(nodes)))    # walk's order is the run
    return [tr.output_of(n).op.key for n in nodes], nodes


def test_neuron_backward_step_by_step(browser, tmp_path, examples):
    data, names = examples.neuron()
    ids, nodes = engine_order(names["E"], names)
    assert [s.node for s in data.backward] == ids
    open_page(browser, data, tmp_path / "neuron.html")
    first = shown(browser)
    assert first["highlighted"] == data.root and first["counter"] == "step 0 of 6"
    for n, (step, node) in enumerate(zip(data.backward, nodes), 1):
        click(browser, "next")
        s = shown(browser)
        assert s["highlighted"] == s["heading"] == ids[n - 1], n       # the engine's order
        assert s["counter"] == f"step {n} of {len(data.backward)}"
        close(s["arriving"], node.grad_output.numpy())               # what the node received
        assert [to for to, _ in s["shares"]] == [x.to for x in step.shares]
        sent = [g for (e, _), g in zip(node.next_functions, [
            g for g, m in zip(node.grad_inputs, node.inputs_meta)
            if isinstance(m, graph.TensorMeta)]) if e is not None]
        assert len(sent) == len(s["shares"])
        for (_, text), x, g in zip(s["shares"], step.shares, sent):
            close(text, g.numpy())                                   # what the node sent
            if x.local is not None:      # the slides' product: local x arriving = share
                np.testing.assert_allclose(np.multiply(x.local.numbers, step.arriving.numbers),
                                           x.value.numbers, rtol=1e-12)
        assert s["hot"] == 1 + len(step.shares)                    # out-edge and in-edges
    # after the last step, w.grad as shown = what backward() stored = central differences
    w, x, t = names["w"], names["x"], names["t"]
    wid = next(n.id for n in data.nodes if n.label == "w")
    close(shown(browser)["grads"][wid], w.grad.numpy())

    def error(w_):
        return 0.5 * ((w_ * x).sum().tanh() - t) ** 2
    numeric = numerical_jacobian(error, [ag.tensor(w.detach().numpy(), requires_grad=True)])
    close(shown(browser)["grads"][wid], numeric[0])
    # the slides' numbers: weighted sum -1.075, dE/dw = x * (y - t)(1 - y^2)
    y = np.tanh(-1.075)
    np.testing.assert_allclose(w.grad.numpy(), x.numpy() * (y - 1) * (1 - y * y), rtol=1e-12)


def test_neuron_forward_mode_previous_and_keys(browser, tmp_path, examples):
    from selenium.webdriver.common.keys import Keys
    data, names = examples.neuron()
    open_page(browser, data, tmp_path / "neuron.html")
    click(browser, "mode-forward")
    click(browser, "next", 2)
    s = shown(browser)
    assert s["highlighted"] == data.forward[1].node and s["counter"] == "step 2 of 6"
    close(s["result"], [-1.075])                                  # the weighted sum
    click(browser, "prev")
    assert shown(browser)["highlighted"] == data.forward[0].node
    close(shown(browser)["result"], (names["w"] * names["x"]).detach().numpy())
    body = browser.find_element("tag name", "body")
    body.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert shown(browser)["highlighted"] == data.forward[3].node
    body.send_keys(Keys.END)
    assert shown(browser)["counter"] == "step 6 of 6"
    body.send_keys("b")                                           # back to the backward pass
    assert shown(browser)["counter"] == "step 0 of 6"
    body.send_keys(Keys.ARROW_RIGHT)
    assert shown(browser)["highlighted"] == data.backward[0].node


def test_jump_by_select_and_by_clicking_a_node(browser, tmp_path, examples):
    from selenium.webdriver.support.ui import Select
    data, _ = examples.sigmoid_network()
    open_page(browser, data, tmp_path / "net.html")
    Select(browser.find_element("id", "jump")).select_by_value("7")
    assert shown(browser)["highlighted"] == data.backward[6].node
    target = data.backward[12].node
    browser.execute_script(
        "document.querySelector('#graph g.node[data-node=\"' + arguments[0] + '\"]')"
        ".dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
    s = shown(browser)
    assert s["highlighted"] == target and s["counter"].startswith("step 13 ")


def test_play_runs_to_the_end_and_pauses(browser, tmp_path, examples):
    data, _ = examples.neuron()
    open_page(browser, data, tmp_path / "neuron.html")
    browser.execute_script("window.setInterval = ((f) => (g, ms) => f(g, 5))(window.setInterval)")
    click(browser, "play")
    deadline = time.time() + 5
    while shown(browser)["counter"] != "step 6 of 6" and time.time() < deadline:
        time.sleep(0.02)
    assert shown(browser)["counter"] == "step 6 of 6"
    assert browser.find_element("id", "play").text == "Play"        # paused at the end


def test_sigmoid_network_leaves_fill_in_to_their_grad(browser, tmp_path, examples):
    data, names = examples.sigmoid_network()
    open_page(browser, data, tmp_path / "net.html")
    weights = {n.id: n.label for n in data.nodes if n.kind == "param"}
    seen_none = shown(browser)["grads"]
    assert set(seen_none) == set(weights) and all(v is None for v in seen_none.values())
    click(browser, "last")
    final = shown(browser)["grads"]
    for nid, label in weights.items():
        close(final[nid], names[label].grad.numpy())
    close(final[next(k for k, v in weights.items() if v == "w1_0")], [-0.000327], rel=5e-3)
    # half way: exactly the leaves that the first k steps reached have a .grad
    click(browser, "first")
    k = len(data.backward) // 2
    click(browser, "next", k)
    half = shown(browser)["grads"]
    reached = {g.leaf for s in data.backward[:k] for g in s.grads}
    assert 0 < len(reached) < len(weights)
    assert {nid for nid, v in half.items() if v is not None} == reached
    last = {}
    for s in data.backward[:k]:
        last.update({g.leaf: g.total for g in s.grads})
    for nid in reached:
        close(half[nid], last[nid].numbers)


def lenet_page(**kwargs):
    ag.manual_seed(0)
    model = nn.models.lenet5()
    x, y = ag.randn(2, 1, 28, 28), ag.tensor(np.array([3, 1]))
    with viz.record():
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    return viz.step_backward(loss, **kwargs), model, loss


def test_lenet5_a_step_per_layer(browser, tmp_path):
    page, model, loss = lenet_page(collapse_modules=True)
    data = page.data
    kinds = {n.id: n for n in data.nodes}
    steps = [kinds[s.node] for s in data.backward]
    # cross_entropy (one node), then fc3, relu, fc2, ..., conv1: a step per layer
    assert [n.label for n in steps] == ["cross_entropy", "fc3", "relu #4", "fc2", "relu #3", "fc1",
                                        "flatten", "pool2", "relu #2", "conv2", "pool1", "relu",
                                        "conv1"]
    assert all(n.kind == "module" for n in steps[1:]) and kinds[data.root].kind == "loss"
    box = next(n for n in data.nodes if n.label == "LeNet5")          # the model's cluster
    assert box.kind == "module" and {n.parent for n in steps[1:]} == {box.id}
    fc3 = data.backward[1]
    assert [kinds[x.to].label for x in fc3.shares] == ["relu4", "fc3.weight", "fc3.bias"]
    # the gradient arriving at fc3's output is what its Linear node received in backward
    call = next(c for c in viz.trace(loss).modules if c.title == "fc3")
    (node,) = call.output_nodes
    np.testing.assert_allclose(fc3.arriving.norm, np.linalg.norm(node.grad_output.numpy()),
                               rtol=1e-6)
    open_page(browser, data, tmp_path / "lenet.html")
    click(browser, "next", 2)
    s = shown(browser)
    assert s["highlighted"] == fc3.node and s["arriving"] == fc3.arriving.text
    click(browser, "last")
    grads = shown(browser)["grads"]
    for name, p in model.named_parameters():
        nid = next(n.id for n in data.nodes if n.label == name)
        text = grads[nid]
        got = Value.of(p.grad.numpy()).text
        assert text == got, name                       # every parameter's .grad, as shown


def test_before_backward_the_page_runs_the_backward_itself():
    x = ag.tensor([0.50, 0.00, -0.75, 0.75], dtype=ag.float64)
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], dtype=ag.float64, requires_grad=True)
    E = 0.5 * ((w * x).sum().tanh() - 1.0) ** 2
    data = viz.step_backward(E).data
    assert w.grad is None and all(n.grad_output is None for n in graph.walk([E]))
    assert "ran the backward pass itself" in data.notes[0]
    ids, _ = engine_order_after(E)
    assert [s.node for s in data.backward] == ids
    np.testing.assert_allclose(data.backward[-1].grads[0].total.numbers, w.grad.numpy())


def engine_order_after(E):
    """Backward inside record() on the same graph (still alive), then its order."""
    with viz.record():
        E.backward()
    return engine_order(E)


def test_after_backward_outside_record_the_error_says_how_to_see_it():
    x = ag.tensor([0.5, -0.25], dtype=ag.float64)
    w = ag.tensor([1.0, 2.0], dtype=ag.float64, requires_grad=True)
    E = (w * x).sum().tanh()
    E.backward()
    with pytest.raises(BackwardError, match="viz.record"):
        viz.step_backward(E)
    with viz.record():                           # the hint, followed
        E = (w * x).sum().tanh()
        E.backward()
    page = viz.step_forward(E)
    assert page.data.start == "forward" and len(page.data.forward) == 3
    assert [f.result.text for f in page.data.forward] == ["[0.5, -0.5]", "0", "0"]


def test_a_1000_node_model_page_opens_in_under_2_seconds(browser, tmp_path):
    ag.manual_seed(0)
    model = nn.models.resnet101(num_classes=10)
    x, y = ag.randn(2, 3, 32, 32), ag.tensor(np.array([3, 1]))
    with viz.record():
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    data = viz.step_data(loss)                              # module clusters, a step per op
    clusters = {n.parent for n in data.nodes if n.parent}
    assert len(data.nodes) >= 1000 and len(clusters) > 100
    ready_ms, wall = open_page(browser, data, tmp_path / "resnet.html")
    print(f"\n{len(data.nodes):,}-node page (ResNet-101, {len(clusters)} module clusters): "
          f"first render {ready_ms:.0f} ms after navigation start, {wall:.2f} s wall clock")
    assert ready_ms < 2000
    click(browser, "next", 3)
    assert shown(browser)["highlighted"] == data.backward[2].node
    start = time.perf_counter()
    from selenium.webdriver.support.ui import Select
    Select(browser.find_element("id", "jump")).select_by_value(str(len(data.backward) // 2))
    jump = time.perf_counter() - start
    assert shown(browser)["highlighted"] == data.backward[len(data.backward) // 2 - 1].node
    assert jump < 1.0


def test_screenshot_of_a_middle_step(browser, tmp_path, examples):
    """docs/img/stepper.png: the neuron half way through backward (set UPDATE_DOCS_IMG=1 to
    rewrite the committed picture; otherwise it goes to a temporary folder)."""
    data, _ = examples.neuron()
    open_page(browser, data, tmp_path / "neuron.html")
    browser.set_window_size(900, 760)
    click(browser, "next", 4)
    assert shown(browser)["highlighted"] == data.backward[3].node
    out = (ROOT / "docs" / "img" / "stepper.png" if os.environ.get("UPDATE_DOCS_IMG")
           else tmp_path / "stepper.png")
    assert browser.save_screenshot(str(out))
    from matplotlib.image import imread
    h, w = imread(str(out)).shape[:2]
    assert w == browser.execute_script("return window.innerWidth") and h > 400
