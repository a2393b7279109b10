"""Convolution and pooling speed: this framework beside PyTorch CPU, float32.

    python bench/conv.py                  # ours only (torch not importable from .venv)
    /path/to/torch-venv/bin/python bench/conv.py --threads 2   # both, with the ratio
    /path/to/torch-venv/bin/python bench/conv.py --threads 1 --timer cpu   # on a busy machine
    /path/to/torch-venv/bin/python bench/conv.py --extra       # also the shapes of other nets

For each case prints the best-of-``--repeat`` time of the forward pass and of forward+backward
(gradients for input, weight and bias), the GFLOP/s this reaches (multiply-adds count 2 flops;
forward+backward is 3x the forward flops) and the fraction of this machine's numpy float32
matmul peak (a 2048^3 sgemm measured first). Pooling does no multiply-adds: its line shows
input elements per second instead. When ``torch`` imports, PyTorch runs the same shapes with the
same thread count and ``ours/torch`` is the time ratio (below 1 means faster than PyTorch).

Cases (SLIDES.md section 5 architectures): LeNet conv1 64x1x28x28 -> 6 5x5 pad 2; LeNet conv2
64x6x14x14 -> 16 5x5; a VGG block conv 16x64x56x56 -> 64 3x3 pad 1; max_pool2d 2x2/2 on
64x6x28x28. ``--extra`` adds ResNet's 7x7/2 stem conv and 3x3/2 max pool, GoogLeNet's 3x3/1
pool, a 1x1/2 downsampling conv, a depthwise conv, global average pooling and a 2x2 average
pool. Timings are noisy on a shared machine; take the best of several repeats.
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


# name, input shape, conv weight shape or None, keyword arguments (conv2d's, or the pool's)
CASES = [
    ("LeNet conv1", (64, 1, 28, 28), (6, 1, 5, 5), dict(padding=2)),
    ("LeNet conv2", (64, 6, 14, 14), (16, 6, 5, 5), dict()),
    ("VGG block conv", (16, 64, 56, 56), (64, 64, 3, 3), dict(padding=1)),
    ("max_pool2d 2x2/2", (64, 6, 28, 28), None, dict(op="max_pool2d", kernel_size=2)),
]
EXTRA = [
    ("ResNet conv 7x7/2", (8, 3, 224, 224), (64, 3, 7, 7), dict(stride=2, padding=3)),
    ("conv 1x1/2", (8, 64, 56, 56), (128, 64, 1, 1), dict(stride=2)),
    ("depthwise 3x3", (8, 32, 28, 28), (32, 1, 3, 3), dict(padding=1, groups=32)),
    ("max_pool2d 3x3/2", (8, 64, 112, 112), None,
     dict(op="max_pool2d", kernel_size=3, stride=2, padding=1)),
    ("max_pool2d 3x3/1", (8, 192, 28, 28), None,
     dict(op="max_pool2d", kernel_size=3, stride=1, padding=1)),
    ("avg_pool2d 2x2/2", (8, 64, 56, 56), None, dict(op="avg_pool2d", kernel_size=2)),
    ("global avg pool", (8, 512, 7, 7), None, dict(op="adaptive_avg_pool2d", output_size=1)),
]

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


def conv_flops(shape, weight, kwargs):
    """Multiply-adds x 2 of conv2d's forward pass."""
    n, _, h, w = shape
    o, cg, kh, kw = weight
    s, p = kwargs.get("stride", 1), kwargs.get("padding", 0)
    oh, ow = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
    return 2 * n * o * oh * ow * cg * kh * kw


def time_cases(lib, np, cases, repeat):
    """{name: (forward s, forward+backward s)}; ``lib`` is 'ours' or 'torch'."""
    if lib == "ours":
        import autograd as F
        make = lambda a, grad: F.tensor(a, requires_grad=grad)  # noqa: E731
        no_grad = F.no_grad
    else:
        import torch
        F = torch.nn.functional
        make = lambda a, grad: torch.tensor(a, requires_grad=grad)  # noqa: E731
        no_grad = torch.no_grad
    rng = np.random.default_rng(0)
    results = {}
    for name, shape, weight, kwargs in cases:
        x = make(rng.standard_normal(shape).astype(np.float32), True)
        if weight is None:
            kw = dict(kwargs)
            op = getattr(F, kw.pop("op"))
            params = []
            run = lambda x=x, op=op, kw=kw: op(x, **kw)  # noqa: E731
        else:
            w = make(rng.standard_normal(weight).astype(np.float32) * 0.1, True)
            b = make(np.zeros(weight[0], np.float32), True)
            params = [w, b]
            run = lambda x=x, w=w, b=b, kw=kwargs: F.conv2d(x, w, b, **kw)  # noqa: E731
        g = make(np.ones(tuple(run().shape), np.float32), False)

        def fwd(run=run):
            with no_grad():
                run()

        def fwd_bwd(run=run, g=g, leaves=[x] + params):
            for t in leaves:
                t.grad = None
            run().backward(g)
        results[name] = (best_time(fwd, repeat), best_time(fwd_bwd, repeat))
    return results


def report(cases, ours_t, torch_t, peak):
    head = f"{'case':<19}{'pass':<9}{'ours ms':>9}{'GFLOP/s':>9}{'%peak':>7}"
    if torch_t:
        head += f"{'torch ms':>10}{'ours/torch':>12}"
    print(head)
    for name, shape, weight, kwargs in cases:
        for label, t, mult in (("fwd", ours_t[name][0], 1), ("fwd+bwd", ours_t[name][1], 3)):
            line = f"{name:<19}{label:<9}{t * 1e3:>9.2f}"
            if weight is not None:
                rate = conv_flops(shape, weight, kwargs) * mult / t / 1e9
                line += f"{rate:>9.1f}{rate / peak:>7.0%}"
            else:   # pooling: input elements per second
                n_in = 1
                for s in shape:
                    n_in *= s
                line += f"{n_in / t / 1e9:>8.2f}G{'el/s':>7}"
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
    parser.add_argument("--extra", action="store_true", help="also time the other nets' shapes")
    parser.add_argument("--timer", choices=["wall", "cpu"], default="wall",
                        help="wall clock, or this process's CPU time (steadier on a busy "
                             "machine; use with --threads 1, as it adds up all threads)")
    args = parser.parse_args(argv)
    _set_threads(args.threads)
    if args.timer == "cpu":
        CLOCK[0] = time.process_time
    sys.path.insert(0, os.path.dirname(HERE))
    import numpy as np
    cases = CASES + (EXTRA if args.extra else [])
    peak = sgemm_peak(np, args.repeat)
    print(f"numpy {np.__version__}, {args.threads} thread(s), {args.timer} time; float32 "
          f"sgemm peak {peak:.1f} GFLOP/s")
    ours_t = time_cases("ours", np, cases, args.repeat)
    torch_t = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            pass
        else:
            torch.set_num_threads(args.threads)
            torch_t = time_cases("torch", np, cases, args.repeat)
            print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    report(cases, ours_t, torch_t, peak)


if __name__ == "__main__":
    main()
