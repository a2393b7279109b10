"""Make the README's pictures: backpropagation drawn by ``viz``.

    python -m examples.readme_figures [--docs | --out DIR] [--quick]

writes into runs/readme_figures/ by default; ``--docs`` refreshes docs/img (the README's).

Every drawing follows the natural order: forward and ``backward()`` inside ``viz.record()``,
then draw. Also written: two step-through pages (the neuron, LeNet-5 a layer per step), to
open in a browser.

1. the slides' four-pixel neuron, forward and backward (weighted sum -1.075, squashed by tanh);
2. ``x * x``: two edges, two gradient shares that add up;
3. the slides' 1-2-2-1 sigmoid network: the chain rule from one first-layer weight to the error,
   two paths, each a product of local derivatives, their sum equal to the weight's gradient;
4. LeNet-5's backward view, one node per layer, coloured by gradient magnitude;
5. ResNet-50 collapsed to its 16 bottleneck blocks;
6. the slides' toy ConvNet: the three 3x3 features and the X after conv -> ReLU -> pool;
7. a small network trained on Fashion-MNIST: loss/accuracy per epoch and confusion matrix
   (skipped with a message when the dataset is not installed; ``--quick`` trains less).

Every figure is deterministic (fixed seeds); the script takes about half a minute.
(``docs/img/stepper.png``, the screenshot of the page, comes from the browser test:
``UPDATE_DOCS_IMG=1 pytest tests/viz/test_stepper.py -k screenshot``.)
"""

import argparse
import time
from pathlib import Path

from . import _common  # before numpy: one BLAS thread, as in every example

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import viz

ROOT = Path(__file__).resolve().parents[1]


def four_pixel(out):
    """The slides' neuron: inputs 0.50, 0.00, -0.75, 0.75; weights -0.2, 0.0, 0.8, -0.5."""
    x = ag.tensor([0.50, 0.00, -0.75, 0.75])
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], requires_grad=True)
    with viz.record():
        s = (w * x).sum()                 # -1.075
        y = s.tanh()
        t = ag.tensor(1.0)                # "horizontal": the right answer is 1
        E = 0.5 * (y - t) ** 2
        E.backward()
    names = {"x": x, "w": w, "s": s, "y": y, "t": t, "E": E}
    viz.render(viz.draw_graph(E, names=names, title="the four-pixel neuron: forward, "
                              "values and gradients"), out / "neuron_forward.svg")
    viz.render(viz.draw_backward(E, names=names), out / "neuron_backward.svg")
    viz.step_backward(E, names=names, title="The four-pixel neuron: backpropagation step by "
                      "step").save(out / "neuron_backprop.html")


def x_times_x(out):
    x = ag.tensor(3.0, requires_grad=True)
    with viz.record():
        y = x * x
        y.backward()
    viz.render(viz.draw_backward(y, names={"x": x, "y": y}, legend=False,
                                 title="y = x * x: two edges, dy/dx = 3 + 3 = 6"),
               out / "x_times_x.svg")


def sigmoid_network(out):
    """The slides' simple network: one input, two hidden layers of two sigmoids, one output."""
    x, t = ag.tensor(0.5), ag.tensor(1.0)
    w1 = [ag.tensor(v, requires_grad=True) for v in (0.1, -0.3)]
    w2 = [[ag.tensor(v, requires_grad=True) for v in row] for row in ((0.4, 0.7), (-0.6, 0.2))]
    w3 = [ag.tensor(v, requires_grad=True) for v in (0.9, -0.4)]
    with viz.record():
        h1 = [(w1[j] * x).sigmoid() for j in range(2)]
        h2 = [(w2[0][j] * h1[0] + w2[1][j] * h1[1]).sigmoid() for j in range(2)]
        y = (w3[0] * h2[0] + w3[1] * h2[1]).sigmoid()
        E = 0.5 * (y - t) ** 2
        E.backward()
    names = {"x": x, "t": t, "y": y, "E": E, "w1_0": w1[0], "w1_1": w1[1], "h1_0": h1[0],
             "h1_1": h1[1], "h2_0": h2[0], "h2_1": h2[1], "w3_0": w3[0], "w3_1": w3[1]}
    names |= {f"w2_{i}{j}": w2[i][j] for i in range(2) for j in range(2)}
    g = viz.draw_chain(E, w1[0], names=names, show_saved=False)
    viz.render(g, out / "chain_rule.svg")
    assert np.allclose(g.chain.value, w1[0].grad.numpy())     # the sum of products is the grad
    return g.chain


def lenet(out):
    """LeNet-5 on one random digit-sized image, cross-entropy against class 0."""
    ag.manual_seed(0)
    model = nn.models.lenet5()
    image, label = ag.randn(1, 1, 28, 28), ag.tensor(np.array([0]))
    with viz.record():
        loss = F.cross_entropy(model(image), label)
        loss.backward()
    viz.render(viz.draw_backward(loss, collapse_modules=True), out / "lenet5_backward.svg")
    viz.step_backward(loss, collapse_modules=True, title="LeNet-5: backpropagation, a layer "
                      "per step").save(out / "lenet5_backprop.html")


def resnet50(out):
    ag.manual_seed(0)
    model = nn.models.resnet50().eval()
    g = viz.draw_model(model, input_shape=(1, 3, 64, 64), collapse_modules=2, rankdir="TB",
                       show_values=False, legend=False)
    viz.render(g, out / "resnet50_blocks.svg")


def slides_convnet(out):
    """Conv with the slides' three features (divided by the 9 pixels), ReLU, 2x2 max pool."""
    x = -np.ones((9, 9), dtype=np.float32)           # the slides' X: two diagonals, 1..7
    for i in range(1, 8):
        x[i, i] = x[i, 8 - i] = 1
    features = np.array([[[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
                         [[1, -1, 1], [-1, 1, -1], [1, -1, 1]],
                         [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]]], dtype=np.float32)
    conv = nn.Conv2d(1, 3, 3, bias=False)
    with ag.no_grad():
        conv.weight.data[...] = ag.tensor(features[:, None] / 9)
    model = nn.Sequential(conv, nn.ReLU(), nn.MaxPool2d(2, 2, ceil_mode=True))
    viz.plot_filters(features[:, None], path=out / "slides_features.png", figsize=(4, 1.8),
                     dpi=100, cols=3)
    viz.plot_feature_maps(model, ag.tensor(x[None]), max_channels=3,
                          path=out / "slides_feature_maps.png", figsize=(5.2, 5), dpi=100)


def fashion(out, quick):
    """A 784-64-10 network on a Fashion-MNIST subset: what training looks like."""
    try:
        from nn.data import FashionMNIST
        train, test = FashionMNIST(train=True), FashionMNIST(train=False)
    except (FileNotFoundError, ImportError) as exc:
        print(f"skipping the Fashion-MNIST figures: {exc}")
        return
    n_train, n_test, epochs = (2000, 500, 3) if quick else (6000, 2000, 6)
    xs, ys = train.data.numpy()[:n_train].reshape(n_train, -1), train.targets.numpy()[:n_train]
    xt, yt = test.data.numpy()[:n_test].reshape(n_test, -1), test.targets.numpy()[:n_test]
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = nn.optim.Adam(model.parameters(), lr=2e-3)
    rng = np.random.default_rng(0)
    history = {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
    for _ in range(epochs):
        order = rng.permutation(n_train)
        losses, correct = [], 0
        for i in range(0, n_train, 100):
            idx = order[i:i + 100]
            logits = model(ag.tensor(xs[idx]))
            loss = F.cross_entropy(logits, ag.tensor(ys[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            correct += int((logits.argmax(1).numpy() == ys[idx]).sum())
        with ag.no_grad():
            logits = model(ag.tensor(xt))
            history["test_loss"].append(F.cross_entropy(logits, ag.tensor(yt)).item())
        history["train_loss"].append(float(np.mean(losses)))
        history["train_accuracy"].append(correct / n_train)
        history["test_accuracy"].append(float((logits.argmax(1).numpy() == yt).mean()))
    viz.plot_history(history, path=out / "history.png", figsize=(8, 3.2), dpi=100)
    viz.plot_confusion_matrix(yt, logits.argmax(1).numpy(), FashionMNIST.classes,
                              path=out / "confusion_matrix.png", figsize=(6.5, 5.5), dpi=100)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m examples.readme_figures",
                                description=__doc__.splitlines()[0],
                                formatter_class=_common.HelpFormatter)
    p.add_argument("--out", default=None,
                   help="output directory (default: runs/readme_figures, or docs/img with --docs)")
    p.add_argument("--docs", action="store_true",
                   help="write into docs/img, replacing the README's pictures")
    p.add_argument("--quick", action="store_true", help="train less (for tests)")
    args = p.parse_args(argv)
    docs = ROOT / "docs" / "img"
    out = Path(args.out or (docs if args.docs else ROOT / "runs" / "readme_figures"))
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    four_pixel(out)
    x_times_x(out)
    chain = sigmoid_network(out)
    print(chain.formula)
    lenet(out)
    resnet50(out)
    slides_convnet(out)
    fashion(out, args.quick)
    for f in sorted(out.iterdir()):
        print(f"{f.name:28s} {f.stat().st_size / 1024:7.1f} KiB")
    print(f"done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
