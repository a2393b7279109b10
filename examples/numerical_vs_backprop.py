"""Why backpropagation: the numerical gradient is very expensive (slides, section 1).

"For each weight, adjust it up and down a bit and see how the error changes" needs two forward
passes per weight, so one gradient costs 2W forward passes of a network with W weights:
O(W^2) work in total. Backpropagation gets every slope from one forward and one backward
pass: O(W). This example times both on fully connected tanh networks of growing width,
checks that they agree, prints a table and plots seconds against W (log-log PNG).

For the larger networks the numerical gradient is timed on a random sample of weights and
scaled up to all W (marked "est." in the table): the full run would take minutes. Both
timings keep the fastest of several runs (the machine may be shared).

    python -m examples.numerical_vs_backprop [--widths 2 4 8 16 32 64 128 256] [--batch 32]
"""

import sys
import time

from . import _common  # first: one BLAS thread unless asked otherwise (see _common)

import numpy as np
from tqdm import tqdm

import autograd as ag


def make_network(width, depth, rng):
    """``depth`` square tanh layers of ``width`` neurons then one output, float64 weights."""
    sizes = [width] * (depth + 1) + [1]
    return [(ag.tensor(rng.normal(0, 1 / np.sqrt(n_in), (n_in, n_out)), requires_grad=True),
             ag.tensor(np.zeros(n_out), requires_grad=True))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def error(params, x, target):
    """E = 1/2 mean (y - t)^2 of the network on the batch ``x``."""
    h = x
    for k, (w, b) in enumerate(params):
        h = h @ w + b
        if k < len(params) - 1:
            h = h.tanh()
    return 0.5 * ((h - target) ** 2).mean()


def backprop_gradient(params, x, target):
    """All slopes dE/dw in one forward and one backward pass."""
    for w, b in params:
        w.grad = b.grad = None
    error(params, x, target).backward()
    return [t.grad.numpy().copy() for wb in params for t in wb]


def numerical_gradient(params, x, target, entries, eps=1e-6):
    """dE/dw for the chosen ``entries`` (pairs (tensor index, flat element index)) by central
    differences: nudge the weight up and down, run the network twice, see how E changes."""
    flat = [t for wb in params for t in wb]
    slopes = []
    with ag.no_grad():
        for t, j in entries:
            w = flat[t].detach().numpy().reshape(-1)   # a view: writes reach the weight
            orig = w[j]
            w[j] = orig + eps
            up = error(params, x, target).item()
            w[j] = orig - eps
            down = error(params, x, target).item()
            w[j] = orig
            slopes.append((up - down) / (2 * eps))
    return np.array(slopes)


CHUNK = 4


def best_time(fn, repeat):
    """The fastest of ``repeat`` runs of ``fn()`` (the least disturbed by other processes)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(width, args, rng):
    """Time both gradients for one network; returns a dict (one row of the table)."""
    params = make_network(width, args.depth, rng)
    x = ag.tensor(rng.normal(size=(args.batch, width)))
    target = ag.tensor(rng.normal(size=(args.batch, 1)))
    flat = [t for wb in params for t in wb]
    n_weights = sum(t.numel() for t in flat)
    entries = [(t, j) for t, p in enumerate(flat) for j in range(p.numel())]
    sampled = n_weights > args.max_numerical
    if sampled:
        pick = rng.choice(len(entries), args.max_numerical, replace=False)
        entries = [entries[i] for i in np.sort(pick)]

    backprop_s = best_time(lambda: backprop_gradient(params, x, target), args.repeat)
    # Time the numerical gradient in short chunks (CHUNK weights, 2 * CHUNK forward passes)
    # and keep the fastest chunk's cost per weight: like the backprop timing, a short run that
    # no other process interrupted (on a busy machine long runs always pay for the others).
    numeric, per_weight = [], float("inf")
    for chunk in np.array_split(np.arange(len(entries)), max(1, len(entries) // CHUNK)):
        start = time.perf_counter()
        numeric.append(numerical_gradient(params, x, target, [entries[i] for i in chunk]))
        per_weight = min(per_weight, (time.perf_counter() - start) / len(chunk))
    numeric = np.concatenate(numeric)
    numerical_s = per_weight * n_weights
    analytic = backprop_gradient(params, x, target)
    analytic = np.array([analytic[t].reshape(-1)[j] for t, j in entries])
    return {"width": width, "weights": n_weights, "forward_passes": 2 * n_weights,
            "numerical_seconds": numerical_s, "numerical_estimated": sampled,
            "backprop_seconds": backprop_s, "ratio": numerical_s / backprop_s,
            "max_abs_difference": float(np.abs(numeric - analytic).max())}


def growth_exponent(rows, key):
    """Slope of log(seconds) against log(W) over the larger half of the sizes."""
    half = rows[len(rows) // 2:] if len(rows) >= 4 else rows
    if len(half) < 2:
        return float("nan")
    w = np.log([r["weights"] for r in half])
    s = np.log([r[key] for r in half])
    return float(np.polyfit(w, s, 1)[0])


def plot(rows, path):
    """Log-log plot of seconds per gradient against the number of weights."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    w = np.array([r["weights"] for r in rows], float)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.loglog(w, [r["numerical_seconds"] for r in rows], "o-", color="tab:red",
              label="numerical (2 forward passes per weight)")
    ax.loglog(w, [r["backprop_seconds"] for r in rows], "s-", color="tab:blue",
              label="backpropagation (1 forward + 1 backward)")
    for power, style, key in ((1, ":", "backprop_seconds"), (2, "--", "numerical_seconds")):
        ref = rows[-1][key] * (w / w[-1]) ** power
        ax.loglog(w, ref, style, color="gray", linewidth=1, label=f"~ W^{power}")
    ax.set_xlabel("number of weights W")
    ax.set_ylabel("seconds per full gradient")
    ax.set_title("Numerical gradient vs backpropagation")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def main(argv=None):
    parser = _common.make_parser("numerical_vs_backprop", __doc__.split("\n\n")[0])
    parser.add_argument("--widths", type=int, nargs="+", default=[2, 4, 8, 16, 32, 64, 128, 256],
                        help="hidden layer widths (network sizes) to time")
    parser.add_argument("--depth", type=int, default=2, help="hidden layers")
    parser.add_argument("--batch", type=int, default=32, help="examples per forward pass")
    parser.add_argument("--repeat", type=int, default=20,
                        help="backprop timings (the fastest is kept)")
    parser.add_argument("--max-numerical", type=int, default=1000,
                        help="time the numerical gradient on at most this many weights, "
                             "then scale to all of them")
    args = parser.parse_args(argv)
    _common.seed_everything(args.seed)
    out = _common.run_dir(args)
    rng = np.random.default_rng(args.seed)

    rows = [measure(width, args, rng) for width in
            tqdm(args.widths, desc="sizes", disable=_common.bar_disable(args.no_progress),
                 file=sys.stderr)]
    print(_common.table(
        [[r["width"], r["weights"], r["forward_passes"],
          f"{r['numerical_seconds']:.4f}" + (" est." if r["numerical_estimated"] else ""),
          f"{r['backprop_seconds']:.5f}", f"{r['ratio']:.0f}x", f"{r['max_abs_difference']:.1e}"]
         for r in rows],
        ["width", "weights W", "fwd passes (numerical)", "numerical s", "backprop s",
         "numerical/backprop", "max |difference|"]))
    exps = {k: growth_exponent(rows, f"{k}_seconds") for k in ("numerical", "backprop")}
    print(f"time grows like W^{exps['numerical']:.2f} (numerical) and W^{exps['backprop']:.2f} "
          "(backprop) over the larger networks; theory: W^2 and W^1 (small networks are "
          "dominated by the fixed per-op cost, so their exponents are lower)")

    png = plot(rows, out / "numerical_vs_backprop.png")
    metrics = {"rows": rows, "exponents": exps, "plot": str(png)}
    _common.write_json(out / "metrics.json", metrics)
    print(f"wrote {png} and {out}/metrics.json")
    return metrics


if __name__ == "__main__":
    main()
