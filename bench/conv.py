"""Convolution and pooling speed: this framework beside PyTorch CPU, float32.

    python bench/conv.py                  # ours only (torch not importable from .venv)
    /path/to/torch-venv/bin/python bench/conv.py --threads 2   # both, with the ratio
    /path/to/torch-venv/bin/python bench/conv.py --threads 1 --timer cpu   # on a busy machine

For each case prints the best-of-``--repeat`` time of the forward pass and of forward+backward
(gradients for input, weight and bias), the GFLOP/s this reaches (multiply-adds count 2 flops;
forward+backward is 3x the forward flops) and the fraction of this machine's numpy float32
matmul peak (a 2048^3 sgemm measured first). Max pooling does no multiply-adds: its line shows
input elements per second instead. When ``torch`` imports, PyTorch runs the same shapes with the
same thread count and ``ours/torch`` is the time ratio (below 1 means faster than PyTorch).

Cases (SLIDES.md section 5 architectures): LeNet conv1 64x1x28x28 -> 6 5x5 pad 2; LeNet conv2
64x6x14x14 -> 16 5x5; a VGG block conv 16x64x56x56 -> 64 3x3 pad 1; max_pool2d 2x2/2 on
64x6x28x28. Timings are noisy on a shared machine; take the best of several repeats.
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def _set_threads(n):
    """Limit BLAS/OpenMP threads; must run before numpy is imported."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)


CASES = [  # name, input shape, (out channels, kernel), conv kwargs
    ("LeNet conv1", (64, 1, 28, 28), (6, 5), dict(padding=2)),
    ("LeNet conv2", (64, 6, 14, 14), (16, 5), dict()),
    ("VGG block conv", (16, 64, 56, 56), (64, 3), dict(padding=1)),
]
POOL_CASE = ("max_pool2d 2x2/2", (64, 6, 28, 28))


CLOCK = [time.perf_counter]   # --timer cpu switches to time.process_time


def best_time(fn, repeat):
    fn()                                   # warm up (allocations, BLAS threads)
    clock = CLOCK[0]
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def sgemm_peak(np, repeat):
    """GFLOP/s of a 2048^3 float32 matmul (this machine's numpy BLAS peak)."""
    a = np.random.default_rng(0).standard_normal((2048, 2048)).astype(np.float32)
    return 2 * 2048 ** 3 / best_time(lambda: a @ a, repeat) / 1e9


def conv_flops(shape, out_channels, k, kwargs):
    n, c, h, w = shape
    p = kwargs.get("padding", 0)
    oh, ow = h + 2 * p - k + 1, w + 2 * p - k + 1
    return 2 * n * out_channels * oh * ow * c * k * k


def ours(np, repeat):
    """{case name: (forward seconds, forward+backward seconds)} for this framework."""
    import autograd as ag
    rng = np.random.default_rng(0)
    results = {}
    for name, shape, (o, k), kwargs in CASES:
        x = ag.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        w = ag.tensor(rng.standard_normal((o, shape[1], k, k)).astype(np.float32) * 0.1,
                      requires_grad=True)
        b = ag.tensor(np.zeros(o, np.float32), requires_grad=True)
        g = ag.tensor(np.ones(ag.conv2d(x, w, b, **kwargs).shape, np.float32))

        def fwd():
            with ag.no_grad():
                ag.conv2d(x, w, b, **kwargs)

        def fwd_bwd():
            x.grad = w.grad = b.grad = None
            ag.conv2d(x, w, b, **kwargs).backward(g)
        results[name] = (best_time(fwd, repeat), best_time(fwd_bwd, repeat))
    x = ag.tensor(rng.standard_normal(POOL_CASE[1]).astype(np.float32), requires_grad=True)
    g = ag.tensor(np.ones(ag.max_pool2d(x, 2).shape, np.float32))

    def pool_fwd():
        with ag.no_grad():
            ag.max_pool2d(x, 2)

    def pool_fwd_bwd():
        x.grad = None
        ag.max_pool2d(x, 2).backward(g)
    results[POOL_CASE[0]] = (best_time(pool_fwd, repeat), best_time(pool_fwd_bwd, repeat))
    return results


def pytorch(np, repeat, threads):
    """The same cases in PyTorch CPU, or None when torch is not importable."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    results = {}
    for name, shape, (o, k), kwargs in CASES:
        x = torch.tensor(rng.standard_normal(shape).astype(np.float32), requires_grad=True)
        w = torch.tensor(rng.standard_normal((o, shape[1], k, k)).astype(np.float32) * 0.1,
                         requires_grad=True)
        b = torch.zeros(o, requires_grad=True)
        g = torch.ones(F.conv2d(x, w, b, **kwargs).shape)

        def fwd():
            with torch.no_grad():
                F.conv2d(x, w, b, **kwargs)

        def fwd_bwd():
            x.grad = w.grad = b.grad = None
            F.conv2d(x, w, b, **kwargs).backward(g)
        results[name] = (best_time(fwd, repeat), best_time(fwd_bwd, repeat))
    x = torch.tensor(rng.standard_normal(POOL_CASE[1]).astype(np.float32), requires_grad=True)
    g = torch.ones(F.max_pool2d(x, 2).shape)

    def pool_fwd():
        with torch.no_grad():
            F.max_pool2d(x, 2)

    def pool_fwd_bwd():
        x.grad = None
        F.max_pool2d(x, 2).backward(g)
    results[POOL_CASE[0]] = (best_time(pool_fwd, repeat), best_time(pool_fwd_bwd, repeat))
    return results


def report(ours_t, torch_t, peak):
    head = f"{'case':<17}{'pass':<9}{'ours ms':>9}{'GFLOP/s':>9}{'%peak':>7}"
    if torch_t:
        head += f"{'torch ms':>10}{'ours/torch':>12}"
    print(head)
    flops = {name: conv_flops(shape, o, k, kw) for name, shape, (o, k), kw in CASES}
    for name, (fwd, both) in ours_t.items():
        for label, t, mult in (("fwd", fwd, 1), ("fwd+bwd", both, 3)):
            if name in flops:
                rate = flops[name] * mult / t / 1e9
                line = f"{name:<17}{label:<9}{t * 1e3:>9.2f}{rate:>9.1f}{rate / peak:>7.0%}"
            else:   # pooling: input elements per second
                n_in = 1
                for s in POOL_CASE[1]:
                    n_in *= s
                line = f"{name:<17}{label:<9}{t * 1e3:>9.2f}{n_in / t / 1e9:>8.2f}G{'el/s':>7}"
            if torch_t:
                ref = torch_t[name][0 if label == "fwd" else 1]
                line += f"{ref * 1e3:>10.2f}{t / ref:>12.2f}"
            print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="BLAS / PyTorch threads (default: all cores)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per case (best kept)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument("--timer", choices=["wall", "cpu"], default="wall",
                        help="wall clock, or this process's CPU time (steadier on a busy "
                             "machine; use with --threads 1, as it adds up all threads)")
    args = parser.parse_args(argv)
    _set_threads(args.threads)
    if args.timer == "cpu":
        CLOCK[0] = time.process_time
    sys.path.insert(0, os.path.dirname(HERE))
    import numpy as np
    peak = sgemm_peak(np, args.repeat)
    print(f"numpy {np.__version__}, {args.threads} thread(s), {args.timer} time; float32 "
          f"sgemm peak {peak:.1f} GFLOP/s")
    ours_t = ours(np, args.repeat)
    torch_t = None if args.no_torch else pytorch(np, args.repeat, args.threads)
    if torch_t:
        import torch
        print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    report(ours_t, torch_t, peak)


if __name__ == "__main__":
    main()
