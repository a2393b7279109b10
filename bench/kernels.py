"""Conv and pool kernels beside PyTorch CPU, interleaved in one process (issue 13's method).

    .venv-bench/bin/python bench/kernels.py                       # all cases, 1 and 2 threads
    .venv-bench/bin/python bench/kernels.py --cases conv2,vgg --threads 1 --repeats 15
    .venv-bench/bin/python bench/kernels.py --set conv.WINOGRAD_MIN_CHANNELS=1000000000
    .venv-bench/bin/python bench/kernels.py --crossover     # our conv paths against each other

Each repeat times ours, then PyTorch (the order alternates between repeats), each side running
its workload the same number of times (doubled until PyTorch's side takes >= ``--min-time``
s); the ratio of the two is one sample. Printed per case: the median of the per-repeat ratios ours/PyTorch for
wall time and for CPU time (``time.process_time``: all threads of the process), their spread
(min..max over repeats), each side's median wall ms per call, and the ratios of the two sides'
best CPU and best wall times (less sensitive to other processes on a shared machine).

To measure another checkout (e.g. the code before a change) with the same script, run it from
that checkout's directory with ``PYTHONPATH=.``; the first line says which autograd it loaded.

Thread counts are set at run time: ``threadpoolctl`` for numpy's BLAS,
``torch.set_num_threads`` for PyTorch, and ``autograd._parallel.set_num_threads`` for our thread
pool (when that module exists; ``--pool-threads`` sets it apart).

The framework is measured WITHOUT the glibc allocator tuning of ``autograd/_alloc.py``:
``AUTOGRAD_NO_MALLOPT=1`` is set before autograd is imported unless already set. One thing is
evened out instead: glibc serves blocks above its mmap threshold (128 KiB at start) with fresh
pages and raises that threshold, up to 32 MiB, each time such a block is freed, so which side
freed large blocks first decides whether the OTHER side's allocations fault pages in (measured:
PyTorch's LeNet conv1 took 3.8-4.4 ms in one process and 6.7-8.1 ms in another, depending on
our kernels' frees). The script frees one 32 MiB block before anything runs, so that both
sides start from glibc's steady state (``--no-glibc-warmup`` skips it).
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("AUTOGRAD_NO_MALLOPT", "1")

import numpy as np  # noqa: E402

# name: (input shape, weight shape or None, conv2d / max_pool2d keyword arguments)
CASES = {
    "conv1": ((64, 1, 28, 28), (6, 1, 5, 5), dict(padding=2)),
    "conv2": ((64, 6, 14, 14), (16, 6, 5, 5), dict()),
    "vgg": ((16, 64, 56, 56), (64, 64, 3, 3), dict(padding=1)),
    "pool": ((64, 6, 28, 28), None, dict(kernel_size=2, stride=2)),
}
LABELS = {"conv1": "LeNet conv1 64x1x28x28 -> 6 5x5 p2",
          "conv2": "LeNet conv2 64x6x14x14 -> 16 5x5",
          "vgg": "VGG block 16x64x56x56 -> 64 3x3 p1", "pool": "max_pool2d 2x2/2 64x6x28x28"}


def workloads(name, ag, torch):
    """(ours, theirs): zero-argument callables running forward + backward (input, weight and
    bias gradients) on the same float32 data."""
    shape, wshape, kw = CASES[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32)
    arrays = [x]
    if wshape is not None:
        arrays += [(rng.standard_normal(wshape) / np.sqrt(np.prod(wshape[1:]))).astype(np.float32),
                   rng.standard_normal(wshape[0]).astype(np.float32)]
    ours_in = [ag.tensor(a, requires_grad=True) for a in arrays]
    theirs_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    if wshape is None:
        f_ours = lambda: ag.max_pool2d(*ours_in, **kw)  # noqa: E731
        f_theirs = lambda: torch.nn.functional.max_pool2d(*theirs_in, **kw)  # noqa: E731
    else:
        f_ours = lambda: ag.conv2d(*ours_in, **kw)  # noqa: E731
        f_theirs = lambda: torch.nn.functional.conv2d(*theirs_in, **kw)  # noqa: E731
    g = rng.standard_normal(tuple(f_theirs().shape)).astype(np.float32)
    g_ours, g_theirs = ag.tensor(g), torch.from_numpy(g)

    def ours():
        for t in ours_in:
            t.grad = None
        f_ours().backward(g_ours)

    def theirs():
        for t in theirs_in:
            t.grad = None
        f_theirs().backward(g_theirs)
    ours(), theirs()
    for a, b in zip(ours_in, theirs_in):   # same answer before we time anything
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=2e-3,
                                   atol=2e-3 * float(np.abs(b.grad.numpy()).max()))
    return ours, theirs


def timed(fn, inner):
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(inner):
        fn()
    return (time.perf_counter() - w0) / inner, (time.process_time() - c0) / inner


def measure(ours, theirs, repeats, min_time):
    inner = 1
    while timed(theirs, inner)[0] * inner < min_time:
        inner *= 2
    samples = []
    for r in range(repeats):
        if r % 2:
            t = timed(theirs, inner)
            o = timed(ours, inner)
        else:
            o = timed(ours, inner)
            t = timed(theirs, inner)
        samples.append((o, t))
    wall = [o[0] / t[0] for o, t in samples]
    cpu = [o[1] / t[1] for o, t in samples]
    ms = lambda side, k: statistics.median(s[side][k] for s in samples) * 1e3  # noqa: E731
    best = [min(o[k] for o, _ in samples) / min(t[k] for _, t in samples) for k in (0, 1)]
    return dict(inner=inner, wall=wall, cpu=cpu, ours_ms=ms(0, 0), torch_ms=ms(1, 0),
                ours_cpu_ms=ms(0, 1), torch_cpu_ms=ms(1, 1), best_wall=best[0],
                best_cpu=best[1])


def set_threads(n, torch, pool_threads=None):
    """BLAS, PyTorch and (if present) our pool to ``n`` threads (the pool to ``pool_threads``
    if given); returns the threadpoolctl limiter (keep it alive while measuring)."""
    from threadpoolctl import threadpool_limits
    limiter = threadpool_limits(limits=n, user_api="blas")
    torch.set_num_threads(n)
    try:
        from autograd import _parallel
        _parallel.set_num_threads(pool_threads or n)
    except ImportError:
        pass
    return limiter


MODULES = {"conv": "autograd.ops.conv", "winograd": "autograd._winograd",
           "parallel": "autograd._parallel", "windows": "autograd._windows"}


def apply_settings(settings):
    """``--set`` values, e.g. ``conv.WINOGRAD_MIN_CHANNELS=1000000000`` (a module constant of
    the kernels) or ``buffers.limit=0`` (keep no work buffers): switch single changes off."""
    import importlib
    for item in settings:
        name, value = item.split("=")
        module, attr = name.split(".")
        if name == "buffers.limit":
            from autograd import _buffers
            _buffers.set_limit(int(value))
            continue
        mod = importlib.import_module(MODULES[module])
        if not hasattr(mod, attr):
            raise SystemExit(f"--set: {MODULES[module]} has no {attr}")
        setattr(mod, attr, type(getattr(mod, attr))(value))


def crossover(repeats):
    """Our own paths against each other (``conv.algorithm``'s thresholds): fwd+bwd CPU ms of
    each forced path, interleaved, best of ``repeats``; prints a markdown table."""
    import autograd as ag
    from autograd.ops import conv
    names = ("WINOGRAD_MIN_CHANNELS", "BATCH_LAST_MIN", "BATCH_LAST_MAX_WIDTH")
    forced = {"winograd": (1, 1, 10**9), "batch_last": (10**9, 1, 10**9),
              "nchw": (10**9, 10**9, 10**9)}
    saved = [getattr(conv, name) for name in names]
    rng = np.random.default_rng(0)
    rows = [(f"3x3 p1, C=O={c}, N={n}, {h}x{h}", (n, c, h, h), (c, c, 3, 3), 1,
             ("winograd", "batch_last"))
            for n, h in ((16, 28), (4, 56)) for c in (8, 16, 32, 64)]
    rows += [(f"5x5, N={n} (LeNet conv2)", (n, 6, 14, 14), (16, 6, 5, 5), 0,
              ("batch_last", "nchw")) for n in (1, 4, 8, 16, 32, 64)]
    rows += [(f"3x3 p1 C=O=8, N={n}, 28x28", (n, 8, 28, 28), (8, 8, 3, 3), 1,
              ("batch_last", "nchw")) for n in (1, 4, 8, 16, 32)]
    rows += [("5x5 p2, N=64 (LeNet conv1, OW=28)", (64, 1, 28, 28), (6, 1, 5, 5), 2,
              ("batch_last", "nchw")),
             ("5x5 p2, 3x32x32 -> 16, N=64 (OW=32)", (64, 3, 32, 32), (16, 3, 5, 5), 2,
              ("batch_last", "nchw"))]
    print("| shape | path A | path B | A ms | B ms | A/B |")
    print("|---|---|---|---:|---:|---:|")
    for label, shape, wshape, pad, paths in rows:
        x = ag.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        w = ag.tensor(rng.standard_normal(wshape).astype(np.float32) / 10, requires_grad=True)
        g = None
        best = {p: float("inf") for p in paths}
        for r in range(repeats):
            for path in paths if r % 2 else paths[::-1]:
                for name, value in zip(names, forced[path]):
                    setattr(conv, name, value)
                x.grad = w.grad = None
                t0 = time.process_time()
                y = ag.conv2d(x, w, padding=pad)
                g = ag.tensor(np.ones(y.shape, np.float32)) if g is None else g
                y.backward(g)
                best[path] = min(best[path], time.process_time() - t0)
        a, b = (best[p] * 1e3 for p in paths)
        print(f"| {label} | {paths[0]} | {paths[1]} | {a:.3f} | {b:.3f} | {a / b:.2f} |")
    for name, value in zip(names, saved):
        setattr(conv, name, value)


def glibc_warmup():
    """Free one 32 MiB block: glibc's dynamic mmap threshold goes to its maximum, as it does
    in any program after its first large free (see the module docstring)."""
    block = np.ones((32 << 20) - 8192, np.uint8)
    del block


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", default="conv1,conv2,vgg,pool")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    p.add_argument("--repeats", type=int, default=11)
    p.add_argument("--min-time", type=float, default=0.1, help="seconds per side per repeat")
    p.add_argument("--set", action="append", default=[], metavar="MODULE.NAME=VALUE",
                   help="set a kernel constant (conv., winograd., parallel., windows.) or "
                        "buffers.limit before timing; repeatable")
    p.add_argument("--pool-threads", type=int, help="our thread pool's size (default: "
                   "the thread count)")
    p.add_argument("--no-glibc-warmup", action="store_true",
                   help="skip freeing a 32 MiB block first (see the module docstring)")
    p.add_argument("--crossover", action="store_true",
                   help="time our conv paths against each other instead (1 thread)")
    args = p.parse_args(argv)
    if not args.no_glibc_warmup:
        glibc_warmup()
    if args.crossover:
        from threadpoolctl import threadpool_limits
        from autograd import _parallel
        with threadpool_limits(1, user_api="blas"), _parallel.threads(1):
            crossover(args.repeats)
        return
    import torch

    import autograd as ag
    from autograd import _alloc
    apply_settings(args.set)
    print(f"autograd from {os.path.dirname(ag.__file__)}, numpy {np.__version__}, torch "
          f"{torch.__version__}, mallopt applied: {_alloc.applied}, load average "
          f"{os.getloadavg()[0]:.2f}, {time.strftime('%H:%M UTC', time.gmtime())}; "
          f"{' '.join(a for a in (argv or __import__('sys').argv[1:]))}")
    print("| case | threads | ours ms | torch ms | wall ratio (min..max) | CPU ratio (min..max) "
          "| best CPU ratio | best wall ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in (int(t) for t in args.threads.split(",")):
        limiter = set_threads(n, torch, args.pool_threads)
        for name in args.cases.split(","):
            res = measure(*workloads(name, ag, torch), args.repeats, args.min_time)
            w, c = res["wall"], res["cpu"]
            print(f"| {LABELS[name]} fwd+bwd | {n} | {res['ours_ms']:.3f} | {res['torch_ms']:.3f} "
                  f"| {statistics.median(w):.2f}x ({min(w):.2f}..{max(w):.2f}) "
                  f"| {statistics.median(c):.2f}x ({min(c):.2f}..{max(c):.2f}) "
                  f"| {res['best_cpu']:.2f}x | {res['best_wall']:.2f}x |", flush=True)
        limiter.restore_original_limits()
    print(f"load average at end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
