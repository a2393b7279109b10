"""The slides' four-pixel network: is a 2x2 image solid, vertical, diagonal or horizontal?

Part 1 replays the slides' numbers: one neuron's weighted sum of the inputs
(0.50, 0.00, -0.75, 0.75) with the weights (-0.2, 0.0, 0.8, -0.5) is -1.075, and the error
table of a horizontal image whose answers are (0.5, 0.75, -0.25, -0.75) totals 3.25.

Part 2 trains a small tanh network from scratch on random 2x2 images (nn.data) with nothing but the
engine: a forward pass, ``E.backward()``, and the slides' update rule
``w <- w - alpha * dE/dw``. Then it prints the same error table for a held-out horizontal
image and renders the backprop graph of one step (SVG).

    python -m examples.four_pixel [--epochs 400] [--lr 0.5] [--hidden 8]

Source: SLIDES.md section 2 (after Brandon Rohrer, "How neural networks work").
"""

import sys

from . import _common  # first: one BLAS thread unless asked otherwise (see _common)

import numpy as np
from tqdm import tqdm

import autograd as ag
from nn.data import make_four_pixel
from nn.data.four_pixel import CLASSES  # solid, vertical, diagonal, horizontal


# The slides' numbers (section 2).
SLIDE_INPUTS = [0.50, 0.00, -0.75, 0.75]
SLIDE_WEIGHTS = [-0.2, 0.0, 0.8, -0.5]
SLIDE_TRUTH = [0.0, 0.0, 0.0, 1.0]          # the image is horizontal
SLIDE_ANSWERS = [0.5, 0.75, -0.25, -0.75]


def four_pixel_images(n, seed):
    """``n`` 2x2 images from ``nn.data.make_four_pixel`` (a class's sign pattern, a random
    overall sign, a random brightness in [0.25, 1] per pixel), flattened for the network.

    Returns ``(x, labels)``: x float32 of shape (n, 4), pixels (top-left, top-right,
    bottom-left, bottom-right); labels int64 of shape (n,), indices into ``CLASSES``.
    """
    images, labels = make_four_pixel(n, seed=seed)
    return images.reshape(n, 4), labels


def slide_neuron():
    """The slides' single neuron: the weighted sum of four pixels (-1.075), then tanh."""
    x, w = ag.tensor(SLIDE_INPUTS), ag.tensor(SLIDE_WEIGHTS, requires_grad=True)
    s = (w * x).sum()
    return s, s.tanh()


def error_table(truth, answers):
    """Rows (class, truth, answer, |truth - answer|) and the total error, the slides' table."""
    truth, answers = np.asarray(truth, float), np.asarray(answers, float)
    errors = np.abs(truth - answers)
    rows = [[c, float(t), float(a), float(e)] for c, t, a, e in zip(CLASSES, truth, answers,
                                                                        errors)]
    return rows, float(errors.sum())


def print_error_table(truth, answers, title):
    rows, total = error_table(truth, answers)
    print(title)
    print(_common.table(rows + [["total", "", "", total]],
                        ["class", "truth", "answer", "error"], floatfmt="{:.2f}"))
    return total


class FourPixelNet:
    """4 pixels -> ``hidden`` tanh neurons -> 4 tanh outputs (one vote per class, in [-1, 1]).

    Plain tensors, no ``nn``: each layer is ``y = tanh(x @ W + b)``, the slides' neuron
    "sum the weighted inputs, then squash", for a whole batch at once.
    """

    def __init__(self, hidden=8, scale=0.5):
        self.w1 = (ag.randn(4, hidden) * scale).requires_grad_()
        self.b1 = ag.zeros(hidden, requires_grad=True)
        self.w2 = (ag.randn(hidden, 4) * scale).requires_grad_()
        self.b2 = ag.zeros(4, requires_grad=True)

    def parameters(self):
        return [self.w1, self.b1, self.w2, self.b2]

    def __call__(self, x):
        h = (x @ self.w1 + self.b1).tanh()
        return (h @ self.w2 + self.b2).tanh()


def half_squared_error(answers, truth):
    """E = 1/2 sum (answer - truth)^2 over the classes, averaged over the batch (slides)."""
    return 0.5 * ((answers - truth) ** 2).sum() / answers.shape[0]


def train(net, x, labels, epochs, lr, progress=True):
    """Full-batch gradient descent with the slides' update rule; returns the loss per epoch."""
    truth = ag.tensor(np.eye(4, dtype=np.float32)[labels])
    x = ag.tensor(x)
    losses = []
    for _ in tqdm(range(epochs), desc="four_pixel", disable=_common.bar_disable(not progress),
                  file=sys.stderr):
        loss = half_squared_error(net(x), truth)
        for p in net.parameters():
            p.grad = None
        loss.backward()
        with ag.no_grad():
            for p in net.parameters():
                p.data -= lr * p.grad           # w <- w - alpha * dE/dw
        losses.append(loss.item())
    return losses


def accuracy(net, x, labels):
    with ag.no_grad():
        votes = net(ag.tensor(x)).numpy()
    return float((votes.argmax(1) == labels).mean())


def main(argv=None):
    parser = _common.make_parser("four_pixel", __doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=400, help="full-batch gradient steps")
    parser.add_argument("--lr", type=float, default=0.5, help="learning rate alpha")
    parser.add_argument("--hidden", type=int, default=8, help="hidden tanh neurons")
    parser.add_argument("--train-size", type=int, default=512, help="generated training images")
    parser.add_argument("--test-size", type=int, default=512, help="held-out images")
    args = parser.parse_args(argv)
    _common.seed_everything(args.seed)
    out = _common.run_dir(args)

    print("== The slides' neuron ==")
    s, squashed = slide_neuron()
    print(f"inputs  {SLIDE_INPUTS}\nweights {SLIDE_WEIGHTS}")
    print(f"weighted sum = {s.item():.3f}   squashed (tanh) = {squashed.item():.3f}")
    slide_total = print_error_table(SLIDE_TRUTH, SLIDE_ANSWERS,
                                    "\n== The slides' error table (a horizontal image) ==")

    print(f"\n== Training a 4-{args.hidden}-4 tanh network from scratch ==")
    x_train, y_train = four_pixel_images(args.train_size, seed=args.seed)
    x_test, y_test = four_pixel_images(args.test_size, seed=args.seed + 1)   # held out
    net = FourPixelNet(args.hidden)
    losses = train(net, x_train, y_train, args.epochs, args.lr, not args.no_progress)
    acc = accuracy(net, x_test, y_test)
    print(f"loss: {losses[0]:.4f} (epoch 1) -> {losses[-1]:.4f} (epoch {len(losses)})")
    print(f"held-out accuracy: {acc:.1%} on {args.test_size} new images")

    # The same table as the slides, for the trained network on a held-out horizontal image.
    k = int(np.flatnonzero(y_test == 3)[0])
    with ag.no_grad():
        answers = net(ag.tensor(x_test[k:k + 1])).numpy()[0]
    print(f"\ninput pixels {[round(float(v), 2) for v in x_test[k]]}")
    trained_total = print_error_table(SLIDE_TRUTH, answers,
                                      "== Trained network, a held-out horizontal image ==")

    graph = _draw_step(net, x_test[k:k + 1], y_test[k:k + 1])
    svg = _common.save_svg(graph, out / "four_pixel_graph.svg") if graph is not None else None
    metrics = {"weighted_sum": s.item(), "slide_total_error": slide_total,
               "train_loss": losses, "test_accuracy": acc,
               "trained_total_error": trained_total, "graph": svg and str(svg)}
    _common.write_json(out / "metrics.json", metrics)
    print(f"\nwrote {out}/metrics.json" + (f" and {svg}" if svg else ""))
    return metrics


def _draw_step(net, x, label):
    """The backprop graph of one image's error (values and gradients on every node)."""
    import viz
    for p in net.parameters():
        p.grad = None
    with viz.record():                     # keep every value and gradient for the picture
        loss = half_squared_error(net(ag.tensor(x)),
                                  ag.tensor(np.eye(4, dtype=np.float32)[label]))
        loss.backward()
    w1, b1, w2, b2 = net.parameters()
    return viz.draw_graph(loss, names={"w1": w1, "b1": b1, "w2": w2, "b2": b2, "E": loss},
                          title="four-pixel network, one held-out image: values and dE/d(.)")


if __name__ == "__main__":
    main()
