"""Peak resident memory of LeNet-5 training, one framework per fresh process.

    python bench/memory.py ours  --steps 100 --batch 64
    python bench/memory.py torch --steps 100 --batch 64
    python bench/memory.py numpy --steps 100 --batch 64    # bench/numpy_floor.py by hand

Prints one JSON line: ``baseline_mb`` (ru_maxrss once the framework is imported and the model
built, before any step), ``peak_mb`` (ru_maxrss after the steps) and ``seconds``. ru_maxrss is
the process's high-water mark, so ``peak_mb - baseline_mb`` is what training itself added.
Only the named framework is imported (PyTorch's shared libraries alone are ~300 MB of RSS).
``bench/run.py`` runs this once per side and thread setting.
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


def make_step(impl, batch):
    """A zero-argument LeNet-5 training step (SGD momentum 0.9, cross-entropy) for ``impl``."""
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, batch).astype(np.int64)
    if impl == "numpy":
        import numpy_floor
        model = numpy_floor.LeNet5(lr=0.01, momentum=0.9)
        return lambda: model.step(x, y)
    if impl == "torch":
        import torch
        import run
        model = run.torch_lenet(torch)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        xs, ys = torch.from_numpy(x), torch.from_numpy(y)
        loss_fn = torch.nn.functional.cross_entropy
    else:
        import autograd as ag
        import nn
        model = nn.models.lenet5()
        opt = nn.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        xs, ys = ag.tensor(x), ag.tensor(y)
        loss_fn = nn.functional.cross_entropy

    def step():
        opt.zero_grad()
        loss = loss_fn(model(xs), ys)
        loss.backward()
        opt.step()
    return step


def main(argv=None):
    p = argparse.ArgumentParser(description="Peak RSS of LeNet-5 training steps.")
    p.add_argument("impl", choices=("ours", "torch", "numpy"))
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--tune-malloc", action="store_true",
                   help="apply bench/prototypes.py's tune_malloc() first")
    args = p.parse_args(argv)
    if args.tune_malloc:
        import prototypes
        prototypes.tune_malloc()
    step = make_step(args.impl, args.batch)
    baseline = maxrss_mb()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    print(json.dumps({"impl": args.impl, "steps": args.steps, "batch": args.batch,
                      "baseline_mb": round(baseline, 1), "peak_mb": round(maxrss_mb(), 1),
                      "seconds": round(seconds, 2)}))


if __name__ == "__main__":
    main()
