"""Processes of the benchmark: thread control, one fresh worker per workload group, memory runs.

Each workload group (peak, perop, conv, pool, lenet) at each thread count runs in its own
worker process (``run.py --worker``), so that one group's heap, garbage and thread pools cannot
slow the next. Threads are set three ways, because each library reads them differently:

* the environment (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``): read by
  OpenBLAS and OpenMP when they are loaded, so they size the pools from the start;
* ``threadpoolctl.threadpool_limits(n)``: sets every BLAS/OpenMP pool the process has loaded at
  run time (numpy's OpenBLAS, PyTorch's OpenMP and MKL) and reports what they use, which the
  results record (``thread_pools``) so a run shows it got the threads it asked for;
* ``torch.set_num_threads(n)`` for PyTorch's intra-op pool.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
# Set on some machines for old OpenBLAS builds; OPENBLAS_CORETYPE=Haswell makes numpy's current
# OpenBLAS run AVX2 kernels on an AVX-512 CPU (float32 GEMM 109 vs 210 GFLOP/s here) while
# PyTorch's oneDNN still uses AVX-512, so the workers drop them unless told to keep them.
OPENBLAS_KERNEL_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def thread_env(threads, keep_openblas_env=False):
    """This process's environment with every thread variable set to ``threads``, the
    repository on PYTHONPATH (for a worker started from anywhere) and, unless
    ``keep_openblas_env``, without OPENBLAS_KERNEL_VARS."""
    env = dict(os.environ)
    if not keep_openblas_env:
        for var in OPENBLAS_KERNEL_VARS:
            env.pop(var, None)
    env.update({var: str(threads) for var in THREAD_VARS})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    return env


def limit_threads(threads, torch=None):
    """Hold every loaded thread pool at ``threads`` (threadpoolctl, torch.set_num_threads).

    Returns what the pools report afterwards ([{"api", "library", "threads"}]), or a note when
    threadpoolctl is not installed (then only the environment variables hold the threads).
    """
    if torch is not None:
        torch.set_num_threads(threads)
    try:
        import threadpoolctl
    except ImportError:
        return ["threadpoolctl not installed: threads set by environment variables only"]
    threadpoolctl.threadpool_limits(threads)
    return [{"api": p["internal_api"], "library": os.path.basename(p["filepath"]),
             "threads": p["num_threads"], "architecture": p.get("architecture")}
            for p in threadpoolctl.threadpool_info()]


def git_commit():
    """The checked-out commit, with "+changes" when autograd/ or nn/ differ from it (the code
    measured), or None outside a git checkout."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "autograd",
                                "nn"], capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty else "")


def run_worker(script, threads, group, options, keep_openblas_env=False):
    """Run ``script --worker`` for one workload ``group`` at ``threads`` threads in a fresh
    process (extra command-line ``options``); returns the worker's JSON result."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "result.json")
        cmd = [sys.executable, script, "--worker", "--threads", str(threads), "--out", out,
               "--only", group] + list(options)
        subprocess.run(cmd, env=thread_env(threads, keep_openblas_env), check=True)
        with open(out) as f:
            return json.load(f)


def run_memory(threads, steps, batch, sides=("ours", "torch", "numpy"), rounds=3,
               tracemalloc=True, keep_openblas_env=False):
    """bench/memory.py for each side, one fresh process per side and round, the sides'
    order alternating by round; then, once per side, the tracemalloc figure.

    Returns {side: {"rounds": [memory.py results], "tracemalloc": result or None}}.
    """
    out = {side: {"rounds": [], "tracemalloc": None} for side in sides}
    for r in range(rounds):
        for side in (sides if r % 2 == 0 else tuple(reversed(sides))):
            out[side]["rounds"].append(_memory_process(side, threads, steps, batch,
                                                       keep_openblas_env))
    for side in sides if tracemalloc else ():
        if side != "torch":                 # tracemalloc does not see PyTorch's tensors
            out[side]["tracemalloc"] = _memory_process(side, threads, steps, batch,
                                                       keep_openblas_env, ["--tracemalloc"])
    return out


def _memory_process(side, threads, steps, batch, keep_openblas_env, extra=()):
    cmd = [sys.executable, os.path.join(HERE, "memory.py"), side, "--steps", str(steps),
           "--batch", str(batch), "--threads", str(threads)] + list(extra)
    proc = subprocess.run(cmd, env=thread_env(threads, keep_openblas_env),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])
