"""Instructions per op of the op chain, counted with valgrind's callgrind: ours, PyTorch, numpy.

    python bench/instructions.py                                   # ours + numpy floor
    python bench/instructions.py --torch-python /work/torchref/bin/python   # + PyTorch
    python bench/instructions.py --sides ours --counts 2,7,12      # check it is linear
    python bench/instructions.py --sides ours,bare                 # + an engine with no features

The workload is the per-op overhead row of bench/run.py: 1,000 links ``y = y * b + c`` (2,000
ops: a mul and an add per link) on 1-element float32 tensors, ``b`` and ``c`` leaves requiring
grad, then ``y.backward(ones)``: forward + backward. The numpy floor is the same chain with its
reverse pass typed out (``numpy_floor.chain``): six 1-element ufunc calls per link, no objects.

Method: the difference of two runs. Each side runs in its own process under
``valgrind --tool=callgrind`` twice, doing the chain ``n1`` and then ``n2`` times (2 and 12 by
default), and callgrind counts every instruction the process executes (``totals:``).
Interpreter start-up, imports, building the tensors and the first-call costs are the same in
both runs, so they cancel in the difference:

    instructions per op = (I(n2) - I(n1)) / ((n2 - n1) * 2,000)

Why not ``--toggle-collect``: it toggles on a C function's name, and a Python-level region has
none of its own (toggling on the eval loop counts everything). Each side is alone in its
process (only its framework imported), so the cyclic garbage collector walks only that side's
objects; bench/run.py, which has both frameworks in one process, shows what that adds in time.
Counts barely depend on the machine (``PYTHONHASHSEED=0``, every thread pool at 1 thread):
repeated runs agree within ~0.5% for ours and ~1.5% for PyTorch, so one pair of runs is
enough; ``--counts 2,7,12`` prints the figure of each consecutive pair to check that the cost
is linear in the number of chains.
Callgrind runs Python ~50x slower: ours and the numpy floor take ~1 minute, PyTorch (its
import alone is ~5 billion instructions) a few minutes.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OPS_PER_LINK = 2
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


# -- the worker: the chain n times, in the process callgrind watches -------------------------
def work(side, chains):
    """Run the forward + backward chain ``chains`` times on ``side`` alone."""
    sys.path[:0] = [HERE]
    import workloads
    if side == "bare":
        import bare_engine
        run = bare_engine.op_chain(workloads.CHAIN_LINKS)
        for _ in range(chains):
            run()
        return
    s = workloads.Sides(want=(side,))
    if not s.available(side):
        raise SystemExit(f"{side} is not importable by {sys.executable}")
    if s.torch is not None:
        s.torch.set_num_threads(1)
    run = workloads.op_chain(s, shape=(1,), backward=True)[side]
    for _ in range(chains):
        run()


# -- the parent: callgrind runs and the difference -------------------------------------------
def callgrind_total(python, side, chains):
    """Instructions executed by a process running the chain ``chains`` times (callgrind)."""
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=ROOT)
    env.update({var: "1" for var in THREAD_VARS})
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
               "--dump-instr=no", "--dump-line=no", python, os.path.abspath(__file__),
               "--worker", side, "--chains", str(chains)]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
        return read_total(out)


def read_total(path):
    """The ``totals:`` (or ``summary:``) line of a callgrind output file: instructions (Ir)."""
    total = None
    with open(path) as f:
        for line in f:
            if line.startswith(("totals:", "summary:")):
                total = int(line.split()[1])
    if total is None:
        raise RuntimeError(f"no totals line in {path}")
    return total


def count_side(python, side, counts, links):
    """{"runs": {n: instructions}, "per_op": [figure of each consecutive pair of counts],
    "overall": the figure of the first and last count}."""
    runs = {}
    for n in counts:
        started = time.time()
        runs[n] = callgrind_total(python, side, n)
        print(f"  {side}: {n} chains: {runs[n]:,} instructions ({time.time() - started:.0f} s"
              " under callgrind)", file=sys.stderr, flush=True)
    per_op = [(runs[b] - runs[a]) / ((b - a) * links * OPS_PER_LINK)
              for a, b in zip(counts, counts[1:])]
    first, last = counts[0], counts[-1]
    overall = (runs[last] - runs[first]) / ((last - first) * links * OPS_PER_LINK)
    return {"python": python, "runs": runs, "per_op": per_op, "overall": overall}


def report(results):
    """Markdown table: instructions per op (and per link) of each side, and the ratios."""
    torch = results["sides"].get("torch")
    lines = ["| side | instructions per op | per link (mul + add) | ours / this side | runs "
             "(chains: instructions) |", "|---|---:|---:|---:|---|"]
    ours = results["sides"].get("ours")
    for side, r in results["sides"].items():
        if "error" in r:
            lines.append(f"| {side} | not measured: {r['error']} | | | |")
            continue
        per_op = r.get("overall", r["per_op"][-1])
        ratio = (f"{ours.get('overall', ours['per_op'][-1]) / per_op:.2f}x"
                 if ours and "per_op" in ours else "-")
        runs = ", ".join(f"{n}: {i:,}" for n, i in r["runs"].items())
        pairs = (" (pairs: " + ", ".join(f"{p:,.0f}" for p in r["per_op"]) + ")"
                 if len(r["per_op"]) > 1 else "")
        lines.append(f"| {side} | {per_op:,.0f}{pairs} | {per_op * OPS_PER_LINK:,.0f} | "
                     f"{ratio} | {runs} |")
    if torch is None:
        lines.append("\n(PyTorch not measured: pass --torch-python PATH to a Python with torch.)")
    return "\n".join(lines)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--torch-python", metavar="PATH",
                   help="a Python interpreter that can import torch (e.g. /work/torchref/bin/"
                   "python); without it PyTorch is measured only if this Python has torch")
    p.add_argument("--sides", default="ours,torch,numpy",
                   help="comma-separated among ours, torch, numpy, bare (bench/bare_engine.py: "
                   "an engine with no features; default: ours,torch,numpy)")
    p.add_argument("--counts", default="2,12",
                   help="chain repetitions of the callgrind runs, increasing (default: 2,12)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    p.add_argument("--worker", choices=("ours", "torch", "numpy", "bare"),
                   help=argparse.SUPPRESS)
    p.add_argument("--chains", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.sides = [x.strip() for x in args.sides.split(",") if x.strip()]
    args.counts = [int(x) for x in args.counts.split(",")]
    if len(args.counts) < 2 or args.counts != sorted(set(args.counts)):
        p.error("--counts needs at least two different, increasing repetition counts")
    return args


def torch_python(args):
    """The interpreter for the PyTorch side, or None when no torch is to be had."""
    if args.torch_python:
        return args.torch_python
    probe = subprocess.run([sys.executable, "-c", "import torch"], capture_output=True)
    return sys.executable if probe.returncode == 0 else None


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        return work(args.worker, args.chains)
    from processes import git_commit
    from workloads import CHAIN_LINKS
    results = {"command": "python bench/instructions.py " + " ".join(
        argv if argv is not None else sys.argv[1:]), "commit": git_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "chain_links": CHAIN_LINKS, "counts": args.counts, "sides": {}}
    for side in args.sides:
        python = torch_python(args) if side == "torch" else sys.executable
        if python is None:
            results["sides"][side] = {"error": "torch not importable (--torch-python)"}
            continue
        try:
            results["sides"][side] = count_side(python, side, args.counts, CHAIN_LINKS)
        except RuntimeError as exc:
            results["sides"][side] = {"error": str(exc).splitlines()[-1]}
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.path[:0] = [HERE]
    sys.exit(main())
