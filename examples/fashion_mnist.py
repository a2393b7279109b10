"""The main job: LeNet-5 trained from scratch on Fashion-MNIST (real images).

60,000 training and 10,000 test images of clothes, 28x28 grey, 10 classes (Xiao, Rasul and
Vollgraf 2017), read from Debian's dataset-fashion-mnist files by ``nn.data.FashionMNIST``.
The model is ``nn.models.lenet5()``, the slides' CONV-POOL-CONV-POOL-FC-FC network
(LeCun et al. 1998). Published baselines for "2 Conv+pooling" on Fashion-MNIST: 87.6% and
91.6%; humans: 83.5%.

Writes to runs/RUN_NAME/: metrics.json (test_accuracy, train_loss, seconds_per_epoch, ...),
history.png (loss and accuracy curves), confusion_matrix.png, feature_maps.png (what conv1 and
conv2 see in one test image), filters.png (conv1's learned 5x5 filters), graph.svg (the backprop
graph of one batch, collapsed to layers), and checkpoint_epochN.npz after every epoch (model,
optimizer, epoch, data-loader and RNG state: ``--resume`` continues exactly where it stopped).

    python -m examples.fashion_mnist                       # the default run (a few minutes)
    python -m examples.fashion_mnist --optimizer sgd --lr 0.05 --epochs 5
    python -m examples.fashion_mnist --limit 2000 --epochs 1 --run-name smoke
    python -m examples.fashion_mnist --epochs 5 --resume   # continue the last run

If the dataset is not installed the example says how to install it and runs examples.xo
instead.
"""

import os
import sys
import time
from pathlib import Path

from . import _common  # first: one BLAS thread unless asked otherwise (see _common)

import numpy as np
from tqdm import tqdm

import autograd as ag
import nn
from nn.data import DataLoader, FashionMNIST, TensorDataset
from nn.data.fashion_mnist import find_fashion_mnist


# Training-set statistics of Fashion-MNIST's pixels in [0, 1]; inputs are standardised with
# them (as torchvision's Normalize((0.2860,), (0.3530,)) recipes do): a well-scaled input
# lets one learning rate suit every layer.
MEAN, STD = 0.2860, 0.3530


def parse_args(argv=None):
    parser = _common.make_parser("fashion_mnist", __doc__.split("\n\n")[0])
    parser.add_argument("--optimizer", choices=("sgd", "adam"), default="adam",
                        help="SGD with momentum 0.9, or Adam")
    parser.add_argument("--epochs", type=int, default=5, help="passes over the training set")
    parser.add_argument("--batch-size", type=int, default=32, help="images per SGD/Adam step")
    parser.add_argument("--lr", type=float, default=None,
                        help="learning rate (default: 0.05 for sgd, 0.002 for adam)")
    parser.add_argument("--schedule", choices=("cosine", "none"), default="cosine",
                        help="learning rate per epoch: cosine annealing to 0 over --epochs "
                             "(Loshchilov and Hutter 2017), or constant")
    parser.add_argument("--limit", type=int, default=None,
                        help="use only the first LIMIT training and test images (smoke tests; "
                             "default: all)")
    parser.add_argument("--resume", nargs="?", const="last", default=None, metavar="CHECKPOINT",
                        help="continue from CHECKPOINT, or (no value) from the run's last one "
                             "(default: start afresh)")
    parser.add_argument("--no-pictures", action="store_true",
                        help="skip the PNG and SVG outputs (metrics and checkpoints only)")
    parser.add_argument("--data-root", default=None,
                        help="folder with the IDX files; must exist (default: "
                             "$FASHION_MNIST_DIR, then /usr/share/datasets/fashion-mnist, else "
                             "examples.xo runs instead)")
    args = parser.parse_args(argv)
    if args.data_root is not None and not os.path.isdir(args.data_root):
        parser.error(f"--data-root {args.data_root}: no such folder (leave the option out to "
                     "use $FASHION_MNIST_DIR or Debian's /usr/share/datasets/fashion-mnist)")
    if args.lr is None:
        args.lr = 0.05 if args.optimizer == "sgd" else 0.002
    return args


def load_data(args):
    """Standardised train and test sets as ``TensorDataset(images, labels)``, images
    (N, 1, 28, 28) float32, labels (N,) int64; raises FileNotFoundError when not installed."""
    sets = []
    for train in (True, False):
        raw = FashionMNIST(root=args.data_root, train=train)
        x, y = raw.data.numpy(), raw.targets.numpy()
        if args.limit:
            x, y = x[:args.limit], y[:args.limit]
        sets.append(TensorDataset(ag.tensor((x - MEAN) / STD), ag.tensor(y)))
    return sets[0], sets[1], FashionMNIST.classes


def dataset_installed(root=None):
    """True when both Fashion-MNIST splits can be found (see ``nn.data.FashionMNIST``)."""
    try:
        for train in (True, False):
            find_fashion_mnist(root, train)
    except FileNotFoundError:
        return False
    return True


def make_optimizer(model, args):
    if args.optimizer == "sgd":
        return nn.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    return nn.optim.Adam(model.parameters(), lr=args.lr)


def make_scheduler(optimizer, args):
    if args.schedule == "cosine":
        return nn.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    return None


def train_one_epoch(model, loader, loss_fn, optimizer, epoch, args):
    """One pass over the training set; returns the mean training loss."""
    model.train()
    total, count = 0.0, 0
    bar = tqdm(loader, desc=f"epoch {epoch}/{args.epochs}", leave=False,
               disable=_common.bar_disable(args.no_progress), file=sys.stderr)
    for images, labels in bar:
        loss = loss_fn(model(images), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
        bar.set_postfix(loss=f"{total / count:.4f}", refresh=False)  # drawn at tqdm's pace
    return total / max(count, 1)


def evaluate(model, dataset, loss_fn, batch_size=1000):
    """``(predicted classes, mean loss)`` over a whole dataset (evaluation mode, no graph)."""
    model.eval()
    preds, total = [], 0.0
    with ag.no_grad():
        for images, labels in DataLoader(dataset, batch_size=batch_size):
            logits = model(images)
            preds.append(logits.argmax(1).numpy())
            total += loss_fn(logits, labels).item() * len(labels)
    return np.concatenate(preds), total / max(len(dataset), 1)


# -- checkpoints ----------------------------------------------------------------------------
def checkpoint_path(out, epoch):
    return out / f"checkpoint_epoch{epoch}.npz"


def last_checkpoint(out):
    found = sorted(out.glob("checkpoint_epoch*.npz"),
                   key=lambda p: int(p.stem.removeprefix("checkpoint_epoch")))
    if not found:
        raise FileNotFoundError(f"--resume: no checkpoint_epoch*.npz in {out}")
    return found[-1]


def save_checkpoint(path, model, optimizer, loader, epoch, history, args):
    """Everything needed to continue exactly: weights, optimizer moments, the epoch, the
    loader's shuffling generator and the framework's random generator. (The cosine schedule
    is a closed form of the epoch: ``load_checkpoint`` recomputes it.)"""
    nn.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
             "epoch": epoch, "loader": loader.state_dict(),
             "rng": ag.get_rng_state(),
             "history": history,
             "config": {"optimizer": args.optimizer, "lr": args.lr, "schedule": args.schedule,
                        "batch_size": args.batch_size, "limit": args.limit or 0,
                        "seed": args.seed}}, path)


def load_checkpoint(path, model, optimizer, scheduler, loader, args):
    """Restore a checkpoint into the objects; returns ``(epoch, history)``."""
    ckpt = nn.load(path)
    config = ckpt["config"]
    for key in ("optimizer", "batch_size", "schedule"):
        if config[key] != getattr(args, key):
            raise ValueError(f"--resume: {path} was trained with --{key.replace('_', '-')} "
                             f"{config[key]}, not {getattr(args, key)}")
    model.load_state_dict(ckpt["model"])
    optimizer.load_state_dict(ckpt["optimizer"])
    epoch = int(ckpt["epoch"])
    if scheduler is not None:       # the learning rate of the next epoch of this run's schedule
        scheduler.last_epoch = epoch - 1
        scheduler.step()
    loader.load_state_dict(ckpt["loader"])
    ag.set_rng_state(ckpt["rng"])
    history = {k: [float(v) for v in _plain(vals)] for k, vals in ckpt["history"].items()}
    return epoch, history


def _plain(obj):
    """A loaded checkpoint's Tensors back to numbers/arrays (generator states are dicts)."""
    if isinstance(obj, ag.Tensor):
        return obj.tolist() if obj.ndim else obj.item()
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(_plain(v) for v in obj)
    return obj


# -- the run ----------------------------------------------------------------------------------
def main(argv=None):
    args = parse_args(argv)
    try:
        train_set, test_set, classes = load_data(args)
    except FileNotFoundError as exc:
        if args.data_root is not None:       # asked for this folder: no silent substitute
            raise SystemExit(f"fashion_mnist: --data-root {args.data_root}: {exc}")
        print(f"Fashion-MNIST is not installed: {exc}\n"
              "Install it with:  sudo apt-get install dataset-fashion-mnist\n"
              "Running the toy ConvNet (python -m examples.xo) instead.\n")
        from . import xo
        return xo.main(["--seed", str(args.seed), "--runs-dir", args.runs_dir]
                       + (["--no-progress"] if args.no_progress else []))

    _common.seed_everything(args.seed)
    out = _common.run_dir(args)
    model = nn.models.lenet5()
    optimizer = make_optimizer(model, args)
    scheduler = make_scheduler(optimizer, args)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, seed=args.seed)
    history = {"train_loss": [], "test_loss": [], "test_accuracy": [], "seconds_per_epoch": []}
    start = 0
    if args.resume:
        try:
            path = last_checkpoint(out) if args.resume == "last" else Path(args.resume)
            start, history = load_checkpoint(path, model, optimizer, scheduler, loader, args)
        except (FileNotFoundError, nn.CheckpointError, ValueError) as exc:
            raise SystemExit(f"python -m examples.fashion_mnist: error: {exc}") from exc
        print(f"resumed from {path} (after epoch {start})")

    n_params = sum(p.numel() for p in model.parameters())
    print(f"LeNet-5 ({n_params:,} parameters) on Fashion-MNIST: {len(train_set):,} training, "
          f"{len(test_set):,} test images; {args.optimizer} lr={args.lr} ({args.schedule}), "
          f"batch {args.batch_size}, {args.epochs} epochs")
    labels = test_set.tensors[1].numpy()
    for epoch in range(start + 1, args.epochs + 1):
        tic = time.perf_counter()
        train_loss = train_one_epoch(model, loader, loss_fn, optimizer, epoch, args)
        seconds = time.perf_counter() - tic
        if scheduler is not None:
            scheduler.step()
        preds, test_loss = evaluate(model, test_set, loss_fn)
        accuracy = float((preds == labels).mean())
        for key, value in zip(history, (train_loss, test_loss, accuracy, seconds)):
            history[key].append(value)
        print(f"epoch {epoch}: train loss {train_loss:.4f}  test loss {test_loss:.4f}  "
              f"test accuracy {accuracy:.2%}  ({seconds:.1f} s training)", flush=True)
        save_checkpoint(checkpoint_path(out, epoch), model, optimizer, loader, epoch, history,
                        args)
        write_metrics(out, history, args, n_params, len(train_set), len(test_set))

    pictures = {}
    if not args.no_pictures:
        preds, _ = evaluate(model, test_set, loss_fn)
        pictures = draw_pictures(out, model, test_set, preds, classes, history, loss_fn)
    metrics = write_metrics(out, history, args, n_params, len(train_set), len(test_set),
                            pictures)
    print(f"wrote {out}/: " + ", ".join(["metrics.json", "checkpoint_epoch*.npz"] + sorted(
        Path(p).name for p in pictures.values() if p)))
    return metrics


def write_metrics(out, history, args, n_params, n_train, n_test, pictures=None):
    metrics = dict(history)
    metrics.update({"final_test_accuracy": history["test_accuracy"][-1]
                    if history["test_accuracy"] else None,
                    "epochs": len(history["test_accuracy"]), "optimizer": args.optimizer,
                    "lr": args.lr, "schedule": args.schedule, "batch_size": args.batch_size,
                    "seed": args.seed,
                    "parameters": n_params, "train_images": n_train, "test_images": n_test})
    if pictures:
        metrics["files"] = {k: str(v) for k, v in pictures.items() if v}
    _common.write_json(out / "metrics.json", metrics)
    return metrics


def draw_pictures(out, model, test_set, preds, classes, history, loss_fn):
    """The run's pictures: PNG figures (matplotlib) and the graph of one batch (SVG)."""
    import viz
    labels = test_set.tensors[1].numpy()
    image = test_set.tensors[0][:1]               # the first test image, (1, 1, 28, 28)
    files = {"history": out / "history.png", "confusion_matrix": out / "confusion_matrix.png",
             "feature_maps": out / "feature_maps.png", "filters": out / "filters.png"}
    viz.plot_history({k: v for k, v in history.items() if k != "seconds_per_epoch"},
                     path=files["history"])
    viz.plot_confusion_matrix(labels, preds, classes, path=files["confusion_matrix"])
    model.eval()
    viz.plot_feature_maps(model, ag.tensor(image), max_channels=8, path=files["feature_maps"])
    viz.plot_filters(model.conv1, path=files["filters"])
    files["graph"] = _common.save_svg(batch_graph(model, test_set, loss_fn), out / "graph.svg")
    return files


def batch_graph(model, dataset, loss_fn, batch_size=4):
    """The backprop graph of one small batch, each layer collapsed to one node (so that the
    picture stays readable), with values and gradients (dE/d...) on every tensor."""
    import viz
    images, labels = dataset.get_batch(np.arange(min(batch_size, len(dataset))))
    model.train()
    model.zero_grad()
    with viz.record():                     # module calls, values and every gradient
        loss = loss_fn(model(images), labels)
        loss.backward()
    return viz.draw_graph(loss, collapse_modules=True, rankdir="TB",
                          title=f"LeNet-5, one batch of {len(labels)} Fashion-MNIST images")


if __name__ == "__main__":
    # a program may change the process's allocator (importing autograd never does): glibc
    # keeps the step's large buffers instead of unmapping them; measured ~10% less CPU time
    # per epoch (25.7-26.7 s -> 22.5-24.1 s, 68k -> 54k minor page faults), same numbers
    ag.tune_allocator()
    main()
