"""The benchmark: this framework beside PyTorch (CPU) and hand-written numpy floors, interleaved.

    python bench/run.py --json bench/results/run.json   # everything, 1 and 2 threads (~10 min)
    python bench/run.py --quick --threads 1             # a smoke run
    python bench/run.py --only lenet,memory --repeats 21
    python bench/run.py --profile lenet                 # where our time goes
    python bench/run.py --from-json bench/results/run.json   # a saved run's Markdown again

Method (docs/performance.md, "Method"): every ours/PyTorch figure is measured in one process,
interleaved: each repeat times a block of ours and a block of PyTorch back to back, the two
alternating which goes first (the numpy floor follows), so that both see the same load of a
shared machine. The reported ratio is the median of the per-repeat ratios, printed with their
spread (min..max), in wall time and in process CPU time; a target is "met" only when its whole
spread is on the right side (bench/timing.py, bench/tables.py).

Workloads (bench/workloads.py): ``peak`` (float32 GEMM rate), ``perop`` (the 1,000-link op
chain ``y = y * b + c``, 1 element and 16x16, fwd and fwd+bwd), ``conv`` (LeNet conv1, conv2,
a VGG block, fwd and fwd+bwd), ``pool`` (max_pool2d 2x2/2), ``lenet`` (training step batch 64,
inference batch 256) and ``memory`` (bench/memory.py: RSS of 100 LeNet steps, one process per
side). Each group at each thread count runs in a fresh worker process (bench/processes.py);
threads are fixed by the environment, threadpoolctl and ``torch.set_num_threads``; the
workers' environment drops OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE (``--keep-openblas-env``
keeps them), which would pin numpy's OpenBLAS to slower kernels than PyTorch uses. Each worker
calls ``gc.freeze()`` after its imports, so that the collections our graphs trigger do not walk
PyTorch's import-time objects (``--no-gc-freeze`` to measure with them). PyTorch is optional:
without it the PyTorch columns stay empty.
"""

import argparse
import datetime
import gc
import json
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE]

import processes  # noqa: E402  (bench/ is not a package: its modules import each other)
import tables  # noqa: E402
import timing  # noqa: E402
import workloads  # noqa: E402

MEMORY_STEPS = 100


# -- the worker: one workload group at one thread count, in its own process -----------------
def worker(args):
    """Time one group's rows interleaved; write them as JSON to ``args.out``."""
    s = workloads.Sides()
    result = {"threads": args.threads, "thread_pools": processes.limit_threads(
        args.threads, s.torch), "rows": [], "notes": [],
        "versions": {"numpy": s.np.__version__, "torch": s.torch and s.torch.__version__}}
    if not args.no_gc_freeze:  # import-time objects out of the collector's way (see --help)
        gc.freeze()
    group = args.only[0]
    for name, info, fns in workloads.cases(s, group, args.quick):
        fns = {side: fn for side, fn in fns.items() if fn is not None}
        samples, calls, errors = timing.interleaved(fns, args.repeats, args.min_time)
        result["rows"].append(dict(case=name, group=group, samples=samples, calls=calls,
                                   errors=errors, **info))
        print(f"  [{args.threads}t] {name}: " + tables.ratio_text(
            timing.per_repeat_ratios(samples)) + "".join(
            f"; {k} FAILED ({v})" for k, v in errors.items()), file=sys.stderr, flush=True)
    if group == "lenet":
        try:
            result["lenet_loss_diff"] = workloads.lenet_agreement(s)
        except Exception as exc:  # a note in the report rather than a lost run
            result["notes"].append(f"LeNet agreement check failed: {type(exc).__name__}: {exc}")
    with open(args.out, "w") as f:
        json.dump(result, f)
    return 0


# -- the parent: the workers, the memory processes, the report -------------------------------
def worker_options(args):
    opts = ["--repeats", str(args.repeats), "--min-time", str(args.min_time)]
    opts += ["--quick"] if args.quick else []
    return opts + (["--no-gc-freeze"] if args.no_gc_freeze else [])


def run_threads(threads, args):
    """Every selected group at ``threads`` threads, each in a fresh worker, merged."""
    run = {"threads": threads, "rows": [], "notes": []}
    for group in (g for g in workloads.GROUPS if g in args.only):
        part = processes.run_worker(os.path.abspath(__file__), threads, group,
                                    worker_options(args), args.keep_openblas_env)
        run["rows"] += part.pop("rows")
        run["notes"] += part.pop("notes")
        run.update(part)
    return run


def run_header(args, argv):
    """What a run records about itself: command, code, machine, settings."""
    return {"command": "python bench/run.py " + " ".join(argv),
            "commit": processes.git_commit(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": {"cpu_count": os.cpu_count(), "processor": _cpu_name(),
                        "python": platform.python_version()},
            "quick": args.quick, "gc_freeze": not args.no_gc_freeze,
            "repeats": args.repeats, "min_time": args.min_time,
            "openblas_env": {var: os.environ[var] for var in processes.OPENBLAS_KERNEL_VARS
                             if var in os.environ},
            "openblas_env_kept": args.keep_openblas_env}


def run_all(args, argv):
    """Every selected workload at every selected thread count, then memory (1 thread)."""
    threads = [1, 2] if args.threads == "both" else [int(args.threads)]
    started, load_start = time.time(), _load()
    results = run_header(args, argv)
    results["runs"] = [run_threads(t, args) for t in threads]
    results["versions"] = results["runs"][0].get("versions", {}) if results["runs"] else {}
    results["memory"] = {}
    if "memory" in args.only:
        results["memory"] = processes.run_memory(threads[0], MEMORY_STEPS,
                                                 workloads.TRAIN_BATCH,
                                                 keep_openblas_env=args.keep_openblas_env)
        results["memory"]["threads"] = threads[0]
    results["elapsed_s"] = round(time.time() - started, 1)
    results["load_average"] = {"start": load_start, "end": _load()}
    results["targets"] = tables.targets(results)
    return results


def _load():
    """The 1-minute load average (runnable processes on the machine), or None."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    choices = workloads.GROUPS + ("memory",)
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    p.add_argument("--threads", choices=("1", "2", "both"), default="both",
                   help="thread count(s) for BLAS, OpenMP and PyTorch (default: both)")
    p.add_argument("--only", default=",".join(choices),
                   help=f"comma-separated among {', '.join(choices)} (default: all)")
    p.add_argument("--repeats", type=int, default=11,
                   help="interleaved repeats per row (default 11; --quick: 5)")
    p.add_argument("--min-time", type=float, default=0.1,
                   help="seconds each side's block of calls lasts at least (default 0.1; "
                   "--quick: 0.03)")
    p.add_argument("--quick", action="store_true", help="a smoke run: shorter timings")
    p.add_argument("--no-gc-freeze", action="store_true",
                   help="do not gc.freeze() after the imports: PyTorch's ~150k import-time "
                   "Python objects then stay in the collections our graphs trigger, which a "
                   "program without torch does not pay (docs/performance.md, Method)")
    p.add_argument("--keep-openblas-env", action="store_true",
                   help="keep OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE in the workers (by default "
                   "they are dropped: they pin numpy's OpenBLAS to older, slower kernels)")
    p.add_argument("--profile", choices=("perop", "conv", "pool", "lenet", "gc"),
                   help="instead of timing, show where our time goes in one workload")
    p.add_argument("--top", type=int, default=15, help="functions listed by --profile")
    p.add_argument("--from-json", metavar="PATH",
                   help="print the Markdown report of a run saved with --json, and exit")
    p.add_argument("--summary", action="store_true",
                   help="with --from-json: only the short table of targets (the README's)")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.only = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(args.only) - set(choices)
    if unknown:
        p.error(f"unknown workload(s) {sorted(unknown)}; choose among {', '.join(choices)}")
    if args.quick:
        args.repeats = min(args.repeats, 5)
        args.min_time = min(args.min_time, 0.03)
    return args


def profile(args):
    import profiling
    threads = 1 if args.threads == "both" else int(args.threads)
    env = processes.thread_env(threads, args.keep_openblas_env)
    os.environ.clear()                           # before numpy's first import
    os.environ.update(env)
    s = workloads.Sides()
    processes.limit_threads(threads, s.torch)
    profiling.profile(s, args.profile, args.top)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker:
        args.threads = int(args.threads)
        return worker(args)
    if args.profile:
        return profile(args)
    if args.from_json:
        with open(args.from_json) as f:
            saved = json.load(f)
        print(tables.summary_table(saved) if args.summary else tables.report(saved))
        return 0
    results = run_all(args, argv)
    if args.json:                       # first: a closed pipe on stdout must not lose it
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print(tables.report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
