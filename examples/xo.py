"""The slides' toy ConvNet: is a 9x9 image an X or an O?

Part 1 runs the slides' three hand-made 3x3 features (diagonal, x-cross, anti-diagonal) over
the slides' X: filter (convolve, divide by the 9 pixels), ReLU, max-pool 2x2 stride 2 keeping
the partial edge window (ceil_mode), and checks every number against the slides.

Part 2 learns its own features from scratch: a small ConvNet (conv-ReLU-pool twice, then
fully connected votes) trained on generated X's and O's including the slides' "trickier
cases" (translation, scaling, rotation, stroke weight). It reports held-out accuracy, the
votes table of the slides' X before and after training (class, right answer, actual answer,
error, total: the slides' backprop table), and writes the learned features, the feature maps
of the slides' X, the loss and accuracy curves (PNG) and the backprop graph of one image (SVG)
to runs/xo/.

    python -m examples.xo [--epochs 4] [--train-size 1000] [--lr 0.01]

Source: SLIDES.md section 3 (after Brandon Rohrer, "How convolutional neural networks work").
"""

import sys
import time
from pathlib import Path

from . import _common  # first: one BLAS thread unless asked otherwise (see _common)

import numpy as np
from tqdm import tqdm

import autograd as ag
import nn
from nn.data import DataLoader, XODataset
from nn.data.xo import canonical_x


# --- The slides' numbers (section 3), as literal data ---------------------------------------
SLIDE_X = canonical_x().astype(np.float32)   # the slides' X (nn.data tests it against them)

FEATURE_NAMES = ("diagonal", "x-cross", "anti-diagonal")
SLIDE_FEATURES = np.array([
    [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]],
    [[1, -1, 1], [-1, 1, -1], [1, -1, 1]],
    [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]]], dtype=np.float32)

SLIDE_DIAGONAL_MAP = np.array([
    [0.77, -0.11, 0.11, 0.33, 0.55, -0.11, 0.33],
    [-0.11, 1.00, -0.11, 0.33, -0.11, 0.11, -0.11],
    [0.11, -0.11, 1.00, -0.33, 0.11, -0.11, 0.55],
    [0.33, 0.33, -0.33, 0.55, -0.33, 0.33, 0.33],
    [0.55, -0.11, 0.11, -0.33, 1.00, -0.11, 0.11],
    [-0.11, 0.11, -0.11, 0.33, -0.11, 1.00, -0.11],
    [0.33, -0.11, 0.55, 0.33, 0.11, -0.11, 0.77]])
SLIDE_XCROSS_MAP = np.array([
    [0.33, -0.55, 0.11, -0.11, 0.11, -0.55, 0.33],
    [-0.55, 0.55, -0.55, 0.33, -0.55, 0.55, -0.55],
    [0.11, -0.55, 0.55, -0.77, 0.55, -0.55, 0.11],
    [-0.11, 0.33, -0.77, 1.00, -0.77, 0.33, -0.11],
    [0.11, -0.55, 0.55, -0.77, 0.55, -0.55, 0.11],
    [-0.55, 0.55, -0.55, 0.33, -0.55, 0.55, -0.55],
    [0.33, -0.55, 0.11, -0.11, 0.11, -0.55, 0.33]])
SLIDE_MAPS = np.stack([SLIDE_DIAGONAL_MAP, SLIDE_XCROSS_MAP, SLIDE_DIAGONAL_MAP[:, ::-1]])
SLIDE_RELU_DIAGONAL_ROW0 = [0.77, 0, 0.11, 0.33, 0.55, 0, 0.33]
SLIDE_POOLED = np.array([
    [[1.00, 0.33, 0.55, 0.33], [0.33, 1.00, 0.33, 0.55],
     [0.55, 0.33, 1.00, 0.11], [0.33, 0.55, 0.11, 0.77]],
    [[0.55, 0.33, 0.55, 0.33], [0.33, 1.00, 0.55, 0.11],
     [0.55, 0.55, 0.55, 0.11], [0.33, 0.11, 0.11, 0.33]],
    [[0.33, 0.55, 1.00, 0.77], [0.55, 0.55, 1.00, 0.33],
     [1.00, 1.00, 0.11, 0.55], [0.77, 0.33, 0.55, 0.33]]])
SLIDE_TOLERANCE = 0.01      # the slides truncate to two decimals (7/9 shows as 0.77)


def slide_features(image=SLIDE_X):
    """Filter, ReLU and pool ``image`` (9x9) with the slides' three features.

    Returns ``(maps, relu_maps, pooled)`` as ndarrays of shapes (3, 7, 7), (3, 7, 7), (3, 4, 4):
    ``conv2d(x, features) / 9`` (the slides' "multiply, add, divide by the number of
    pixels"), ``relu``, then ``max_pool2d(kernel 2, stride 2, ceil_mode=True)``.
    """
    x = ag.tensor(image.reshape(1, 1, 9, 9))
    w = ag.tensor(SLIDE_FEATURES.reshape(3, 1, 3, 3))
    maps = ag.conv2d(x, w) / 9
    relu_maps = maps.relu()
    pooled = ag.max_pool2d(relu_maps, 2, stride=2, ceil_mode=True)
    return maps.numpy()[0], relu_maps.numpy()[0], pooled.numpy()[0]


def check_against_slides(maps, relu_maps, pooled):
    """Raise AssertionError unless every number matches the slides (within 0.01)."""
    def close(ours, theirs, what):
        gap = np.abs(np.asarray(ours) - np.asarray(theirs)).max()
        if gap > SLIDE_TOLERANCE:        # not `assert`: the check must survive python -O
            raise AssertionError(f"{what} differs from the slides by {gap:.3f}")
        return float(gap)
    gaps = [close(maps, SLIDE_MAPS, "filtered maps"),
            close(relu_maps[0, 0], SLIDE_RELU_DIAGONAL_ROW0, "ReLU'd diagonal map, row 1"),
            close(relu_maps, np.maximum(SLIDE_MAPS, 0), "ReLU'd maps"),
            close(pooled, SLIDE_POOLED, "pooled maps")]
    return max(gaps)


def print_maps(title, maps):
    """Print the three maps side by side, truncated to two decimals as the slides print them
    (7/9 = 0.777... shows as 0.77)."""
    print(title)
    shown = np.trunc(np.asarray(maps) * 100) / 100 + 0.0          # + 0.0: no "-0.00"
    width = len(" ".join(["00.00"] * maps.shape[-1]))
    print("   ".join(name.ljust(width) for name in FEATURE_NAMES).rstrip())
    for r in range(maps.shape[1]):
        print("   ".join(" ".join(f"{v:5.2f}" for v in shown[k, r]) for k in range(len(maps))))


def part1():
    """The slides' fixed features on the slides' X; returns the largest gap to the slides."""
    maps, relu_maps, pooled = slide_features()
    print("== Part 1: the slides' three features on the slides' X ==")
    print_maps("filtered (convolve, divide by 9): 9x9 -> 7x7", maps)
    print_maps("\nReLU (negatives to zero)", relu_maps)
    print_maps("\nmax-pooled 2x2, stride 2, edge window kept (ceil_mode): 7x7 -> 4x4", pooled)
    gap = check_against_slides(maps, relu_maps, pooled)
    print(f"\nall equal to the slides' maps (largest difference before truncation {gap:.4f} "
          f"<= {SLIDE_TOLERANCE})")
    return gap


# --- Part 2: learn the features ---------------------------------------------------------------
class XONet(nn.Module):
    """The slides' layer stack: (convolution -> ReLU -> max pooling) twice, then fully
    connected layers where every value gets a vote; one vote (logit) per class.

    Shapes for a (N, 1, 9, 9) input: conv1 3x3 -> (N, 8, 7, 7), pool 2/2 ceil -> (N, 8, 4, 4),
    conv2 3x3 pad 1 -> (N, 16, 4, 4), pool 2/2 -> (N, 16, 2, 2), fc1 64 -> 32, fc2 32 -> 2.
    """

    def __init__(self, features=8, hidden=32, num_classes=2):
        super().__init__()
        self.conv1 = nn.Conv2d(1, features, 3)
        self.pool1 = nn.MaxPool2d(2, 2, ceil_mode=True)
        self.conv2 = nn.Conv2d(features, 2 * features, 3, padding=1)
        self.pool2 = nn.MaxPool2d(2, 2, ceil_mode=True)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Linear(2 * features * 2 * 2, hidden)
        self.fc2 = nn.Linear(hidden, num_classes)
        self.relu = nn.ReLU()

    def forward(self, x):
        """x : Tensor, shape=(N, 1, 9, 9) -> votes (logits), shape=(N, num_classes)."""
        x = self.pool1(self.relu(self.conv1(x)))
        x = self.pool2(self.relu(self.conv2(x)))
        return self.fc2(self.relu(self.fc1(self.flatten(x))))


def train(model, loader, test_set, epochs, lr, progress=True):
    """Adam on the cross-entropy of the votes; returns the history: mean training loss and
    held-out accuracy per epoch."""
    optimizer = nn.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"train_loss": [], "test_accuracy": []}
    for epoch in range(1, epochs + 1):
        model.train()
        total, count = 0.0, 0
        for images, labels in tqdm(loader, desc=f"xo epoch {epoch}/{epochs}", leave=False,
                                   disable=_common.bar_disable(not progress), file=sys.stderr):
            loss = loss_fn(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
            count += len(labels)
        history["train_loss"].append(total / count)
        history["test_accuracy"].append(accuracy(model, test_set))
    return history


def accuracy(model, dataset):
    predicted = votes(model, dataset.data.numpy()).argmax(1)
    return float((predicted == dataset.targets.numpy()).mean())


def votes(model, images):
    """Each class's vote as a probability (softmax of the logits), shape (N, 2)."""
    model.eval()
    with ag.no_grad():
        return model(ag.tensor(images)).softmax(1).numpy()


def votes_table(model, image, label, classes):
    """The slides' backprop table for one image: class, right answer, actual answer, error."""
    actual = votes(model, image[None])[0]
    right = np.eye(len(classes))[label]
    rows = [[c, float(r), float(a), float(abs(r - a))] for c, r, a in zip(classes, right, actual)]
    total = float(np.abs(right - actual).sum())
    return rows, total


def print_votes(model, image, label, title):
    rows, total = votes_table(model, image, label, XODataset.classes)
    print(f"\nvotes for {title}:")
    print(_common.table(rows + [["total", "", "", total]],
                        ["class", "right answer", "actual answer", "error"], floatfmt="{:.3f}"))
    return {"rows": rows, "total": total}


def part2(args, out):
    """Train on generated X's and O's; report accuracy, the votes tables and the pictures."""
    import viz
    print(f"\n== Part 2: a ConvNet learns its own features from {args.train_size} generated "
          "X's and O's (translated, scaled, rotated, thick and thin) ==")
    train_set = XODataset(n=args.train_size, seed=args.seed)
    test_set = XODataset(n=args.test_size, seed=args.seed + 1)         # held out
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, seed=args.seed)
    model = XONet(features=args.features)
    tables = {"the slides' X, before training": print_votes(
        model, SLIDE_X[None], 0, "the slides' X, before training (random features)")}

    tic = time.perf_counter()
    history = train(model, loader, test_set, args.epochs, args.lr, not args.no_progress)
    seconds = time.perf_counter() - tic
    print(f"\n{'epoch':>5}  {'train loss':>10}  {'held-out accuracy':>17}")
    for epoch, (loss, acc) in enumerate(zip(*history.values()), start=1):
        print(f"{epoch:5d}  {loss:10.4f}  {acc:17.2%}")
    test_images, test_labels = test_set.data.numpy(), test_set.targets.numpy()
    wrong = int((votes(model, test_images).argmax(1) != test_labels).sum())
    print(f"held-out accuracy: {history['test_accuracy'][-1]:.2%} on {len(test_set)} new "
          f"images ({wrong} wrong), {seconds:.1f} s of training")

    for title, image, label in [("the slides' X, after training", SLIDE_X[None], 0),
                                ("a held-out O", *_first(test_images, test_labels, 1))]:
        tables[title] = print_votes(model, image, label, title)

    files = {"history": out / "xo_history.png", "filters": out / "xo_filters.png",
             "feature_maps": out / "xo_feature_maps.png"}
    viz.plot_history(history, path=files["history"])
    viz.plot_filters(model.conv1, path=files["filters"])
    viz.plot_feature_maps(model, ag.tensor(SLIDE_X[None, None]), path=files["feature_maps"])
    files["graph"] = _common.save_svg(_graph(model, SLIDE_X), out / "xo_graph.svg")
    return {"test_accuracy": history["test_accuracy"], "train_loss": history["train_loss"],
            "final_test_accuracy": history["test_accuracy"][-1], "seconds": seconds,
            "votes": tables, "files": {k: str(v) for k, v in files.items() if v}}


def _first(images, labels, label):
    k = int(np.flatnonzero(labels == label)[0])
    return images[k], label


def _graph(model, image):
    """The backprop graph of the error on one image (layers collapsed to one node each)."""
    import viz
    model.train()
    model.zero_grad()
    with viz.record():                     # module calls, values and every gradient
        loss = nn.CrossEntropyLoss()(model(ag.tensor(image[None, None])), ag.tensor([0]))
        loss.backward()
    return viz.draw_graph(loss, collapse_modules=True, rankdir="TB",
                          title="XONet: the error on the slides' X")


def main(argv=None):
    parser = _common.make_parser("xo", __doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=4, help="passes over the training set")
    parser.add_argument("--train-size", type=int, default=1000, help="generated images")
    parser.add_argument("--test-size", type=int, default=1000, help="held-out images")
    parser.add_argument("--batch-size", type=int, default=32, help="images per Adam step")
    parser.add_argument("--lr", type=float, default=0.01, help="Adam learning rate")
    parser.add_argument("--features", type=int, default=8, help="filters in conv1")
    args = parser.parse_args(argv)
    _common.seed_everything(args.seed)
    out = _common.run_dir(args)
    gap = part1()
    metrics = {"slides_max_difference": gap}
    metrics.update(part2(args, out))
    _common.write_json(out / "metrics.json", metrics)
    print(f"\nwrote {out}/: metrics.json, "
          + ", ".join(sorted(Path(p).name for p in metrics["files"].values())))
    return metrics


if __name__ == "__main__":
    main()
