"""The slides' tiny fully connected network, one backpropagation step at a time.

One input, two hidden layers of two sigmoid nodes, one sigmoid output; error
E = 1/2 (y - t)^2. For every node the framework computes (slides, section 1)

    x_j = sum_i w_ij y_i + b_j        total input
    y_j = f(x_j)                      output, f = sigmoid
    dE/dx_j = f'(x_j) dE/dy_j         f'(x) = f(x) (1 - f(x))
    dE/dw_ij = y_i dE/dx_j
    dE/dy_i = sum_j w_ij dE/dx_j

and each backpropagated number is checked against the numerical gradient (central
differences: nudge it up and down a bit and see how E changes). Then the update rule
w <- w - alpha dE/dw is applied a few times and E goes down. The graph of E with every value
and gradient on it is rendered to SVG.

    python -m examples.tiny_network [--input 0.5] [--target 1.0] [--lr 1.0] [--steps 20]
"""

import sys

from . import _common  # first: one BLAS thread unless asked otherwise (see _common)

import numpy as np
from tqdm import tqdm

import autograd as ag


SIZES = (1, 2, 2, 1)


def value(t):
    """The values of a tensor (or of its .grad) as an ndarray, for the tables."""
    return t.detach().numpy()


def init_params(rng):
    """Weights and biases of the 1-2-2-1 network, float64: ``[(W1, b1), (W2, b2), (W3, b3)]``
    with ``W`` of shape (n_in, n_out) so that ``W[i, j]`` is the slides' w_ij."""
    return [(ag.tensor(rng.normal(0.0, 1.0, (n_in, n_out)), requires_grad=True),
             ag.tensor(rng.normal(0.0, 0.5, n_out), requires_grad=True))
            for n_in, n_out in zip(SIZES[:-1], SIZES[1:])]


def forward(params, y0, target, x_offsets=None, y_offsets=None):
    """Run the network on the input ``y0`` (shape (1, 1): one example, one input node);
    return ``(E, xs, ys)``. Layers are row vectors (1, n), so x = y @ W + b is one matmul.

    ``xs[l]``/``ys[l]`` are layer l's total inputs and outputs (``ys[0]`` is the input, which
    has no total input, so ``xs[0]`` is None). ``x_offsets``/``y_offsets`` add a constant to
    every x or y: at zero they change nothing, and the derivative of E with respect to them
    *is* dE/dx and dE/dy, which is how the numerical check nudges a single node.
    """
    if y_offsets is not None:
        y0 = y0 + y_offsets[0]
    ys, xs = [y0], [None]
    for layer, (w, b) in enumerate(params, start=1):
        x = ys[-1] @ w + b
        if x_offsets is not None:
            x = x + x_offsets[layer]
        y = x.sigmoid()
        if y_offsets is not None:
            y = y + y_offsets[layer]
        xs.append(x)
        ys.append(y)
    error = 0.5 * ((ys[-1] - target) ** 2).sum()
    return error, xs, ys


def backprop(params, y0, target):
    """Forward and backward once; every x and y keeps its gradient (``retain_grad``), and
    ``viz.record()`` keeps the graph with every value and gradient for the picture."""
    import viz
    for w, b in params:
        w.grad = b.grad = None
    y0 = ag.tensor(y0.numpy(), requires_grad=True)          # so dE/dy for the input, too
    with viz.record():
        error, xs, ys = forward(params, y0, target)
        for t in xs[1:] + ys[1:]:
            t.retain_grad()
        error.backward()
    return error, xs, ys


def numerical_node_grads(params, y0, target, eps=1e-6):
    """dE/dx and dE/dy for every node by central differences (two forward passes each)."""
    def nudge(kind, layer, j, delta):
        offsets = [np.zeros(n) for n in SIZES]
        offsets[layer][j] = delta
        offsets = [ag.tensor(o) for o in offsets]
        kw = {"x_offsets" if kind == "x" else "y_offsets": offsets}
        with ag.no_grad():
            return forward(params, y0, target, **kw)[0].item()

    def slope(kind, layer, j):
        return (nudge(kind, layer, j, eps) - nudge(kind, layer, j, -eps)) / (2 * eps)

    dx = [None] + [[slope("x", l, j) for j in range(n)] for l, n in enumerate(SIZES) if l]
    dy = [[slope("y", l, j) for j in range(n)] for l, n in enumerate(SIZES)]
    return dx, dy


def node_table(xs, ys, num_dx, num_dy, y0):
    """Rows (layer, node, x, y, dE/dx, dE/dy, numerical dE/dx, numerical dE/dy)."""
    rows = []
    for layer, n in enumerate(SIZES):
        for j in range(n):
            if layer == 0:
                rows.append(["input", j, "", float(value(y0)[0, j]), "",
                             float(value(y0.grad)[0, j]), "", num_dy[0][j]])
                continue
            name = "output" if layer == len(SIZES) - 1 else f"hidden {layer}"
            rows.append([name, j, float(value(xs[layer])[0, j]), float(value(ys[layer])[0, j]),
                         float(value(xs[layer].grad)[0, j]), float(value(ys[layer].grad)[0, j]),
                         num_dx[layer][j], num_dy[layer][j]])
    return rows


def check_slide_rules(params, xs, ys, y0):
    """Recompute every gradient by the slides' formulas from the framework's numbers; return
    the largest disagreement (should be ~1e-16: the framework *is* those formulas)."""
    worst = 0.0
    ys = [y0] + ys[1:]
    for layer, (w, b) in enumerate(params, start=1):
        y, dx, dy = value(ys[layer])[0], value(xs[layer].grad)[0], value(ys[layer].grad)[0]
        worst = max(worst, np.abs(y * (1 - y) * dy - dx).max())           # dE/dx = f'(x) dE/dy
        worst = max(worst, np.abs(np.outer(value(ys[layer - 1])[0], dx) - value(w.grad)).max())
        worst = max(worst, np.abs(value(w) @ dx - value(ys[layer - 1].grad)[0]).max())
        worst = max(worst, np.abs(dx - value(b.grad)).max())                # dE/db = dE/dx
    return float(worst)


def weight_table(params, xs, ys):
    """Rows (weight, value, dE/dw from backward, y_i * dE/dx_j by the slides' rule)."""
    rows = []
    for layer, (w, _) in enumerate(params, start=1):
        for i, j in np.ndindex(*w.shape):
            rows.append([f"w{layer}[{i},{j}]", float(value(w)[i, j]), float(value(w.grad)[i, j]),
                         float(value(ys[layer - 1])[0, i] * value(xs[layer].grad)[0, j])])
    return rows


def main(argv=None):
    parser = _common.make_parser("tiny_network", __doc__.split("\n\n")[0])
    parser.add_argument("--input", type=float, default=0.5, help="the input y_0")
    parser.add_argument("--target", type=float, default=1.0, help="the target t")
    parser.add_argument("--lr", type=float, default=1.0, help="learning rate alpha")
    parser.add_argument("--steps", type=int, default=20, help="update steps to show")
    args = parser.parse_args(argv)
    _common.seed_everything(args.seed)
    out = _common.run_dir(args)
    np.set_printoptions(precision=4, suppress=True)

    params = init_params(np.random.default_rng(args.seed))
    y0 = ag.tensor([[args.input]], dtype=np.float64)
    target = ag.tensor([[args.target]], dtype=np.float64)

    error, xs, ys = backprop(params, y0, target)
    y0 = ys[0]
    num_dx, num_dy = numerical_node_grads(params, y0.detach(), target)
    print(f"== One step of backpropagation: input {args.input}, target {args.target}, "
          f"E = 1/2 (y - t)^2 = {error.item():.6f} ==")
    rows = node_table(xs, ys, num_dx, num_dy, y0)
    print(_common.table(rows, ["layer", "node", "x", "y", "dE/dx", "dE/dy",
                               "numeric dE/dx", "numeric dE/dy"], floatfmt="{:+.6f}"))
    node_gap = max(abs(r[i] - r[i + 2]) for r in rows for i in (4, 5)
                   if not isinstance(r[i], str))
    print(f"largest |backprop - numerical| over the nodes: {node_gap:.1e}")

    print("\n== Weights: dE/dw_ij from backward() and y_i * dE/dx_j by the slides' rule ==")
    print(_common.table(weight_table(params, xs, ys),
                        ["weight", "w", "dE/dw", "y_i dE/dx_j"], floatfmt="{:+.6f}"))
    rule_gap = check_slide_rules(params, xs, ys, y0)
    print(f"largest disagreement with the slides' formulas: {rule_gap:.1e}")
    flat = [t for wb in params for t in wb]
    gradcheck_ok = ag.gradcheck(lambda *p: forward(list(zip(p[::2], p[1::2])), y0.detach(),
                                                   target)[0], flat)
    print(f"autograd.gradcheck(E, all weights and biases): {gradcheck_ok}")

    graph_path = _common.save_svg(_draw(error, params, xs, ys), out / "tiny_network_graph.svg")

    print(f"\n== The update rule w <- w - {args.lr} dE/dw, {args.steps} steps ==")
    errors = descend(params, y0.detach(), target, args.lr, args.steps, not args.no_progress)
    shown = sorted({0, 1, 2, 5, 10, args.steps} & set(range(args.steps + 1)))
    for step in shown:
        print(f"step {step:3d}: E = {errors[step]:.6f}")
    decreasing = all(b < a for a, b in zip(errors, errors[1:]))
    print(f"E decreased at every step: {decreasing}")

    metrics = {"error": error.item(), "nodes": rows, "max_node_gap": node_gap,
               "max_rule_gap": rule_gap, "gradcheck": bool(gradcheck_ok),
               "errors_per_step": errors, "decreasing": decreasing,
               "graph": graph_path and str(graph_path)}
    _common.write_json(out / "metrics.json", metrics)
    print(f"\nwrote {out}/metrics.json" + (f" and {graph_path}" if graph_path else ""))
    return metrics


def descend(params, y0, target, lr, steps, progress=True):
    """``steps`` updates w <- w - lr dE/dw; returns E before each step and after the last."""
    errors = []
    for _ in tqdm(range(steps), desc="tiny_network", disable=_common.bar_disable(not progress),
                  file=sys.stderr):
        for w, b in params:
            w.grad = b.grad = None
        error = forward(params, y0, target)[0]
        error.backward()
        with ag.no_grad():
            for t in (t for wb in params for t in wb):
                t -= lr * t.grad                  # in place, under no_grad (as SGD)
        errors.append(error.item())
    with ag.no_grad():
        errors.append(forward(params, y0, target)[0].item())
    return errors


def _draw(error, params, xs, ys):
    """The graph of E with the slides' names: w1, b1, x1 (total inputs), y1 (outputs), ..."""
    import viz
    names = {"y0 (input)": ys[0], "E": error}
    for layer, (w, b) in enumerate(params, start=1):
        names.update({f"w{layer}": w, f"b{layer}": b, f"x{layer}": xs[layer],
                      f"y{layer}": ys[layer]})
    return viz.draw_graph(error, names=names, title="1-2-2-1 sigmoid network, "
                          "E = 1/2 (y - t)^2: values and dE/d(.) on every node")


if __name__ == "__main__":
    main()
