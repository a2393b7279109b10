"""What every example shares: its command line, its seed, its output folder, its files.

Each example is ``python -m examples.NAME [options]`` and also ``examples.NAME.main(argv)``
(the smoke tests call ``main`` in-process with tiny sizes and a temporary ``--runs-dir``).
Outputs go to ``RUNS_DIR/RUN_NAME/`` (default ``runs/NAME/``).

Importing this module first (before numpy) makes BLAS single-threaded unless the user set
OPENBLAS_NUM_THREADS/OMP_NUM_THREADS/MKL_NUM_THREADS: on a busy 2-core machine a two-thread
OpenBLAS matmul was measured 10x slower than a one-thread one (LeNet-5 training step at batch
64: 660 ms with two threads vs 57-70 ms with one, machine load ~7), because the threads wait
for each other. BLAS reads the variables once, when numpy is first imported.
"""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

import autograd as ag  # noqa: E402


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """argparse's "(default: X)" after every option's help, unless the help already says its
    default (options whose default is None explain it in words): one default per option."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "default" in text or action.default is None:
            return text
        return super()._get_help_string(action)


def make_parser(name, description, seed=0):
    """An ``argparse`` parser with the options every example has.

    ``--seed``, ``--runs-dir`` (root of the output folders, default ``runs``), ``--run-name``
    (default ``name``) and ``--no-progress`` (hide the tqdm bars). Every option's help shows
    its default once (``HelpFormatter``).
    """
    parser = argparse.ArgumentParser(
        prog=f"python -m examples.{name}", description=description,
        formatter_class=HelpFormatter)
    parser.add_argument("--seed", type=int, default=seed, help="random seed (numpy, autograd)")
    parser.add_argument("--runs-dir", default="runs", help="root folder of the outputs")
    parser.add_argument("--run-name", default=name,
                        help="outputs go to RUNS_DIR/RUN_NAME/")
    parser.add_argument("--no-progress", action="store_true",
                        help="hide the progress bars (they show only on a terminal anyway)")
    return parser


def bar_disable(no_progress):
    """tqdm's ``disable``: True to hide the bar, None to let tqdm hide it when the output is
    not a terminal (a log file or a pipe gets no ``\r`` updates)."""
    return True if no_progress else None


def seed_everything(seed):
    """Seed every generator an example touches: Python's, numpy's legacy global one, and the
    one behind ``autograd.randn``/``nn.init`` (``autograd.manual_seed``)."""
    random.seed(seed)
    np.random.seed(seed)
    ag.manual_seed(seed)


def run_dir(args):
    """The example's output folder ``RUNS_DIR/RUN_NAME``, created if missing."""
    path = Path(args.runs_dir) / args.run_name
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_json(path, obj):
    """Write ``obj`` as indented JSON atomically (a reader never sees half a file)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=2) + "\n")
    os.replace(tmp, path)
    return path


def save_svg(graph, path):
    """Render a ``graphviz`` graph (from ``viz.draw_graph``/``draw_chain``) to ``path`` (.svg).

    Returns the path written, or None (with a note on stderr) when Graphviz's ``dot`` program
    is missing: the examples still run without it.
    """
    import viz
    try:
        return Path(viz.render(graph, path))
    except viz.DotNotFoundError as exc:
        print(f"note: skipped {Path(path).name}: {exc}", file=sys.stderr)
        return None


def table(rows, headers, floatfmt="{:.4f}"):
    """Format ``rows`` (lists of values) as an aligned plain-text table, floats with
    ``floatfmt``; returns the string (the slides' tables: class, truth, answer, error)."""
    def cell(v):
        return floatfmt.format(v) if isinstance(v, (float, np.floating)) else str(v)
    cells = [[cell(v) for v in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.rjust(w) for c, w in zip(r, widths))  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells])
