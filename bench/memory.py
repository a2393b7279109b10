"""Memory of LeNet-5 training, one framework per fresh process.

    python bench/memory.py ours  --steps 100 --batch 64
    python bench/memory.py torch --steps 100 --batch 64
    python bench/memory.py numpy --steps 100 --batch 64    # bench/numpy_floor.py by hand
    python bench/memory.py ours  --tracemalloc             # + the peak of traced allocations

Every side trains the same model (LeNet-5: bench/workloads.py builds PyTorch's twin of
``nn.models.lenet5`` and copies the numpy floor's initial weights into both frameworks), on the
same batch, for the same number of steps of SGD with momentum 0.9, at the same thread count.

Prints one JSON line of ``ru_maxrss`` readings (the process's resident-memory high-water mark,
MB): ``baseline_mb`` once the framework is imported and the model built, before any step,
``first_step_mb`` after the first step, ``peak_mb`` after the last. ``peak_mb`` is what the
process needed; ``peak_mb - baseline_mb`` is what training added, without the interpreter and
the libraries (PyTorch's shared libraries alone are ~290 MB of RSS). Only the named framework
is imported (and numpy_floor, numpy only, for the initial weights).

``--tracemalloc`` (ours and numpy only) also traces allocations from the baseline on and adds
``traced_peak_mb``: the largest total of live Python objects and numpy buffers (numpy reports
its data buffers to tracemalloc) during the steps. PyTorch's tensors come from its own C++
allocator, which tracemalloc does not see, so it gives no figure there. Tracing slows the steps
down; ``seconds`` is then not a speed.
"""

import argparse
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), HERE]


def maxrss_mb():
    """This process's peak resident set size in MB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def train(step, steps, trace):
    """Run ``step`` ``steps`` times; returns the ru_maxrss readings (and tracemalloc's)."""
    if trace:
        import tracemalloc
        tracemalloc.start()
    out = {"baseline_mb": maxrss_mb()}
    start = time.perf_counter()
    step()
    out["first_step_mb"] = maxrss_mb()
    for _ in range(steps - 1):
        step()
    out["seconds"] = time.perf_counter() - start
    out["peak_mb"] = maxrss_mb()
    if trace:
        out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    return {k: round(v, 2) for k, v in out.items()}


def main(argv=None):
    p = argparse.ArgumentParser(description="Peak memory of LeNet-5 training steps.")
    p.add_argument("impl", choices=("ours", "torch", "numpy"))
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--tracemalloc", action="store_true",
                   help="also report the peak of traced allocations (ours, numpy)")
    args = p.parse_args(argv)
    if args.tracemalloc and args.impl == "torch":
        p.error("tracemalloc does not see PyTorch's tensor memory: no comparable figure")
    import processes
    import workloads
    s = workloads.Sides(want=(args.impl, "numpy"))
    if not s.available(args.impl):
        p.error(f"{args.impl} is not importable by {sys.executable}")
    pools = processes.limit_threads(args.threads, s.torch)
    step = workloads.lenet(s, True, batch=args.batch, sides=(args.impl,))[args.impl]
    result = {"impl": args.impl, "steps": args.steps, "batch": args.batch,
              "threads": args.threads, **train(step, args.steps, args.tracemalloc),
              "thread_pools": pools}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
