"""Fixtures for the viz tests: step records built from autograd computations, and a browser.

``step_data`` is a throwaway adapter (until ``autograd/graph.py`` gives the engine's own order
and vector-Jacobian products): it walks ``grad_fn.inputs`` from the root, orders the ops
topologically, and gets every number from public calls: the forward values from the tensors,
each op's share from ``autograd.grad(output, its inputs, grad_outputs=arriving)``, which
differentiates through that op alone.
"""

import os
import shutil
import tempfile

import numpy as np
import pytest

import autograd as ag
from viz.stepper import (BackwardStep, Edge, ForwardStep, GradUpdate, Node, Operand, Share,
                         StepData, Value)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1"]

#: ops whose Jacobian is diagonal (or a row, for a one-element output): share = local * arriving
ELEMENTWISE = {"Add", "Sub", "Mul", "Div", "Neg", "Tanh", "Sigmoid", "Exp", "Log", "PowScalar",
               "Pow", "ReLU", "Sqrt"}


def _topo(root):
    """Tensors reachable from ``root`` through grad_fn.inputs, operands before results."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        t, done = stack.pop()
        if done:
            order.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append((t, True))
        if t.grad_fn is not None:
            stack.extend((x, False) for x in reversed(t.grad_fn.inputs)
                         if isinstance(x, ag.Tensor) and id(x) not in seen)
    return order


def _kind(t, root, params, named):
    if t is root:
        return "loss"
    if id(t) in params:
        return "param"
    if t.grad_fn is not None:
        return "intermediate"
    if t.requires_grad:
        return "leaf"
    return "const" if t.ndim == 0 and not named else "input"


def step_data(root, names, title, params=()):
    """StepData for the graph of ``root`` (one element): nodes, edges, forward and backward
    steps; ``names`` maps names to tensors, ``params`` are drawn as parameters."""
    label_of = {id(t): n for n, t in names.items()}
    named = set(label_of)
    params = {id(p) for p in params}
    order = _topo(root)
    tid = {id(t): f"t{i}" for i, t in enumerate(order)}
    nodes, edges, ops, counts = [], [], [], {}
    for t in order:
        fn = t.grad_fn
        if fn is not None:
            name = type(fn).__name__
            counts[name] = counts.get(name, 0) + 1
            oid = f"f{len(ops)}"
            ops.append((oid, t, fn))
            nodes.append(Node(oid, name, "op", detail=type(fn).rule))
            for x in fn.inputs:
                if isinstance(x, ag.Tensor):
                    edges.append(Edge(tid[id(x)], oid))
            edges.append(Edge(oid, tid[id(t)]))
        label = label_of.get(id(t)) or (f"{type(fn).__name__.lower()}{counts[type(fn).__name__]}"
                                        if fn is not None else "c")
        label_of[id(t)] = label
    grads = _backward(root, ops, tid, label_of)
    for t in order:
        kind = _kind(t, root, params, id(t) in named)
        g = grads["final"].get(tid[id(t)])
        nodes.append(Node(tid[id(t)], label_of[id(t)], kind, detail=str(t.dtype),
                          value=Value.of(t.detach().numpy()), grad=g))
    forward = [ForwardStep(oid, tid[id(t)], tuple(
        Operand(tid[id(x)], slot, Value.of(x.detach().numpy()))
        for x, slot in zip(fn.inputs, "abcdefgh") if isinstance(x, ag.Tensor)),
        Value.of(t.detach().numpy()),
        f"{label_of[id(t)]} = {type(fn).__name__}("
        + ", ".join(label_of[id(x)] if isinstance(x, ag.Tensor) else repr(x) for x in fn.inputs
                    if x is not None and x is not False)
        + ")") for oid, t, fn in ops]
    return StepData(title, tid[id(root)], tuple(nodes), tuple(edges), tuple(forward),
                    tuple(grads["steps"]))


def _backward(root, ops, tid, label_of):
    """The backward records in reverse topological order (every consumer before its operand)."""
    arriving = {id(root): np.ones(root.shape, dtype=np.float64)}
    totals, steps = {}, []
    for oid, out, fn in reversed(ops):
        g = arriving.get(id(out))
        if g is None:
            continue
        inputs = [(x, slot) for x, slot in zip(fn.inputs, "abcdefgh")
                  if isinstance(x, ag.Tensor) and x.requires_grad]
        got = ag.grad(out, [x for x, _ in inputs], grad_outputs=ag.tensor(g, dtype=out.dtype),
                      retain_graph=True, allow_unused=True)
        shares, updates = [], []
        for (x, slot), share in zip(inputs, got):
            if share is None:
                continue
            share = share.numpy().astype(np.float64)
            local = None
            if type(fn).__name__ in ELEMENTWISE or out.numel() == 1:
                ones = ag.ones(out.shape, dtype=out.dtype)
                local = Value.of(ag.grad(out, [x], grad_outputs=ones, retain_graph=True)[0])
            shares.append(Share(tid[id(x)], slot, Value.of(share), local))
            arriving[id(x)] = arriving.get(id(x), 0) + share
            if x.grad_fn is None:
                totals[id(x)] = arriving[id(x)]
                updates.append(GradUpdate(tid[id(x)], Value.of(share), Value.of(totals[id(x)])))
        steps.append(BackwardStep(oid, tid[id(out)], Value.of(g), type(fn).rule, tuple(shares),
                                  tuple(updates)))
    final = {tid[k]: Value.of(v) for k, v in arriving.items() if k in tid}
    return {"steps": steps, "final": final}


def neuron():
    """The slides' four-pixel neuron: weighted sum -1.075, tanh, E = 1/2 (y - t)^2."""
    x = ag.tensor([0.50, 0.00, -0.75, 0.75], dtype=ag.float64)
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], dtype=ag.float64, requires_grad=True)
    s = (w * x).sum()
    y = s.tanh()
    t = ag.tensor(1.0, dtype=ag.float64)
    E = 0.5 * (y - t) ** 2
    names = {"x": x, "w": w, "s": s, "y": y, "t": t, "E": E}
    return step_data(E, names, "The four-pixel neuron: backpropagation step by step",
                     params=[w]), names


def sigmoid_network():
    """The slides' 1-2-2-1 sigmoid network (one input, two layers of two sigmoids, one output)."""
    x, t = ag.tensor(0.5, dtype=ag.float64), ag.tensor(1.0, dtype=ag.float64)
    w1 = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in (0.1, -0.3)]
    w2 = [[ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in row]
          for row in ((0.4, 0.7), (-0.6, 0.2))]
    w3 = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in (0.9, -0.4)]
    h1 = [(w1[j] * x).sigmoid() for j in range(2)]
    h2 = [(w2[0][j] * h1[0] + w2[1][j] * h1[1]).sigmoid() for j in range(2)]
    y = (w3[0] * h2[0] + w3[1] * h2[1]).sigmoid()
    E = 0.5 * (y - t) ** 2
    names = {"x": x, "t": t, "y": y, "E": E, "w1_0": w1[0], "w1_1": w1[1], "h1_0": h1[0],
             "h1_1": h1[1], "h2_0": h2[0], "h2_1": h2[1], "w3_0": w3[0], "w3_1": w3[1]}
    names |= {f"w2_{i}{j}": w2[i][j] for i in range(2) for j in range(2)}
    params = [w1[0], w1[1], w3[0], w3[1]] + [w for row in w2 for w in row]
    return step_data(E, names, "The 1-2-2-1 sigmoid network", params=params), names


def synthetic_chain(n_nodes=1000, seed=0):
    """A made-up deep chain with ``n_nodes`` nodes: per layer a parameter, Mul, a tensor, Tanh,
    a tensor (5 nodes), every value and gradient a random (8, 8) array; no engine involved."""
    rng = np.random.default_rng(seed)
    arr = lambda: rng.standard_normal((8, 8))   # noqa: E731
    nodes = [Node("t0", "x", "input", value=Value.of(arr()))]
    edges, forward, backward = [], [], []
    prev, layers = "t0", (n_nodes - 1) // 5
    for i in range(layers):
        w, m, a, f, g = (f"w{i}", f"m{i}", f"a{i}", f"fm{i}", f"ft{i}")
        last = i == layers - 1
        nodes += [Node(w, f"w{i}", "param", value=Value.of(arr()), grad=Value.of(arr())),
                  Node(f, "Mul", "op", detail="d/da = b, d/db = a"),
                  Node(m, f"mul{i}", "intermediate", value=Value.of(arr()), grad=Value.of(arr())),
                  Node(g, "Tanh", "op", detail="d/da = 1 - out^2"),
                  Node(a, "loss" if last else f"h{i}", "loss" if last else "intermediate",
                       value=Value.of(arr()), grad=Value.of(arr()))]
        edges += [Edge(prev, f), Edge(w, f), Edge(f, m), Edge(m, g), Edge(g, a)]
        forward += [ForwardStep(f, m, (Operand(prev, "a", Value.of(arr())),
                                       Operand(w, "b", Value.of(arr()))), Value.of(arr())),
                    ForwardStep(g, a, (Operand(m, "a", Value.of(arr())),), Value.of(arr()))]
        backward[:0] = [BackwardStep(f, m, Value.of(arr()), "d/da = b, d/db = a",
                                     (Share(prev, "a", Value.of(arr())),
                                      Share(w, "b", Value.of(arr()))),
                                     (GradUpdate(w, Value.of(arr()), Value.of(arr())),)),
                        BackwardStep(g, a, Value.of(arr()), "d/da = 1 - out^2",
                                     (Share(m, "a", Value.of(arr()), Value.of(arr())),))]
        prev = a
    return StepData(f"synthetic chain of {len(nodes):,} nodes", prev, tuple(nodes), tuple(edges),
                    tuple(forward), tuple(backward))


# -- the browser ---------------------------------------------------------------------------
def browser_missing():
    """Why no browser test can run here ('' when Chromium, ChromeDriver and Selenium exist)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path, pkg in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"{path} not found: apt-get install {pkg} (make system-deps does it as root)"
    return ""


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through /usr/bin/chromedriver (no driver or browser downloads).

    Skips when it is missing, except under CI=true, where a missing browser fails the run.
    """
    why = browser_missing()
    if why:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but no browser for the stepper tests: {why}")
        pytest.skip(f"no headless browser: {why}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="stepper-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in CHROME_FLAGS + [f"--user-data-dir={profile}", "--window-size=900,760"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def examples():
    """The step-record builders (conftest modules are not importable with importlib mode)."""
    import types
    return types.SimpleNamespace(neuron=neuron, sigmoid_network=sigmoid_network,
                                 synthetic_chain=synthetic_chain, step_data=step_data)
