"""``run.py --profile perop|conv|pool|lenet``: where our time goes (not a comparison).

* ``perop``: the CPU cost of the pieces one recorded op is made of (numpy alone, + a result
  Tensor, recorded, under no_grad, PyTorch's), then cProfile of the op chain;
* ``lenet``: CPU milliseconds of LeNet-5's layers on the three sides, user / system time and
  page faults per step, then cProfile of the training step;
* ``conv``, ``pool``: cProfile of our forward + backward;
* ``gc``: the op chain's ours/PyTorch ratio with PyTorch's import-time objects in the cyclic
  collector's way and frozen (``gc.freeze()``), at three block lengths.

Process CPU time, best of several repeats, so that other processes matter less. cProfile adds
a per-call cost, so Python-heavy code looks slower under it than it is: read its split, not
its total.
"""

import os
import resource
import time
import timeit

import workloads

ROOT = workloads.ROOT


def cpu_ms(fn, number=10, repeat=9):
    """Best-of-``repeat`` process CPU milliseconds per call of ``fn``."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, (time.process_time() - start) / number)
    return best * 1e3


def cost_model(s):
    """CPU microseconds of the pieces of one recorded op on 1-element float32 tensors."""
    np, ag = s.np, s.ag
    a = ag.tensor(np.full(1, 0.5, np.float32), requires_grad=True)
    b = ag.tensor(np.full(1, 0.25, np.float32))
    env = dict(a=a, b=b, an=a.detach().numpy(), bn=b.numpy(), ag=ag)

    def us(stmt):
        t = timeit.repeat(stmt, number=20000, repeat=7, globals=env, timer=time.process_time)
        return min(t) / 20000 * 1e6
    rows = [("numpy multiply, 1 element (the floor of any op)", us("an * bn")),
            ("ag.from_numpy(an * bn): + a result Tensor", us("ag.from_numpy(an * bn)")),
            ("a * b, a requires grad (recorded)", us("a * b"))]
    with ag.no_grad():
        rows.append(("a * b under no_grad", us("a * b")))
    rows.append(("b * b, no input requires grad", us("b * b")))
    if s.torch is not None:
        env.update(ta=s.torch.full((1,), 0.5, requires_grad=True), tb=s.torch.full((1,), 0.25))
        rows.append(("PyTorch: ta * tb, ta requires grad", us("ta * tb")))
    print("\n== cost of one op (1-element float32, CPU microseconds) ==")
    for label, value in rows:
        print(f"   {value:6.2f} us  {label}")


def _layer_cases(s):
    """LeNet-5's layers at batch 64: (name, arrays, which need grad, ours, torch, floor)."""
    import prototypes as proto
    np, F, tF, floor = s.np, s.nn.functional, s.torch and s.torch.nn.functional, s.floor
    rng = np.random.default_rng(0)

    def arr(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)
    x, w1, b1, g1 = arr(64, 1, 28, 28), arr(6, 1, 5, 5, scale=0.2), arr(6), arr(64, 6, 28, 28)
    y1, gp = arr(64, 6, 28, 28), arr(64, 6, 14, 14)
    a1, w2, b2, g2 = arr(64, 6, 14, 14), arr(16, 6, 5, 5, scale=0.1), arr(16), arr(64, 16, 10, 10)
    return [
        ("conv1 (no input grad)", (x, w1, b1, g1), (False, True, True),
         lambda t: F.conv2d(t[0], t[1], t[2], padding=2),
         lambda t: tF.conv2d(t[0], t[1], t[2], padding=2),
         lambda: proto.conv_backward(g1, x.shape, w1, proto.conv_forward(x, w1, b1, 2)[1], 2,
                                     need_x=False)),
        ("relu + max_pool 2x2 (6x28x28)", (y1, gp), (True,),
         lambda t: F.max_pool2d(F.relu(t[0]), 2, 2),
         lambda t: tF.max_pool2d(tF.relu(t[0]), 2, 2),
         lambda: floor.pool_relu_backward(gp, *floor.pool_relu(y1), y1.shape)),
        ("conv2 (with input grad)", (a1, w2, b2, g2), (True, True, True),
         lambda t: F.conv2d(t[0], t[1], t[2]), lambda t: tF.conv2d(t[0], t[1], t[2]),
         lambda: proto.conv_backward(g2, a1.shape, w2, proto.conv_forward(a1, w2, b2, 0)[1], 0)),
    ]


def _fwd_bwd(make, fn, inputs, needs, g):
    ts = [make(a, r) for a, r in zip(inputs, needs)]
    gt = make(g, False)

    def run():
        for t in ts:
            t.grad = None
        fn(ts).backward(gt)
    return run


def layer_costs(s):
    """CPU ms of LeNet-5's layers at batch 64, forward + backward, on the three sides."""
    ag, torch = s.ag, s.torch
    print("\n== LeNet-5 layers at batch 64, forward + backward, CPU ms (best of 9) ==")
    print("   ours    | PyTorch | numpy floor (bench/prototypes.py kernels) | layer")
    for name, (*inputs, g), needs, ours_fn, torch_fn, floor_fn in _layer_cases(s):
        ours = _fwd_bwd(lambda a, r: ag.tensor(a, requires_grad=r), ours_fn, inputs, needs, g)
        line = f"   {cpu_ms(ours):7.2f} | "
        if torch is not None:
            theirs = _fwd_bwd(lambda a, r: torch.tensor(a, requires_grad=r), torch_fn, inputs,
                              needs, g)
            line += f"{cpu_ms(theirs):7.2f} | "
        else:
            line += "      - | "
        print(line + f"{cpu_ms(floor_fn):7.2f}     | {name}")
    steps = workloads.lenet(s, True)
    whole = {side: cpu_ms(fn) for side, fn in steps.items() if fn is not None}
    print("   " + " | ".join(f"{whole.get(i, float('nan')):7.2f}" for i in ("ours", "torch"))
          + f" | {whole.get('numpy', float('nan')):7.2f}     | whole training step")
    for side, fn in steps.items():
        if fn is not None:
            print_rusage(side, fn)


def print_rusage(side, fn, steps=20):
    """User and system CPU ms and minor page faults per call of ``fn``."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    for _ in range(steps):
        fn()
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(f"   {side}: per step {(after.ru_utime - before.ru_utime) / steps * 1e3:.2f} ms user, "
          f"{(after.ru_stime - before.ru_stime) / steps * 1e3:.2f} ms system, "
          f"{(after.ru_minflt - before.ru_minflt) / steps:.0f} minor page faults")


def cprofile(name, fn, info, top):
    """cProfile of ~1 s of ``fn``: the top functions by own time and the time per file."""
    import cProfile
    import pstats
    fn()
    start = time.perf_counter()
    fn()
    calls = max(3, int(1.0 / max(time.perf_counter() - start, 1e-6)))
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt / calls
    per = (f"{total / info['ops'] * 1e6:.2f} us per op" if "ops" in info
           else f"{total * 1e3:.2f} ms per call")
    print(f"\n== {name}: {per} under the profiler ==")
    by_file, rows = {}, []
    for (path, line, func), (_, ncalls, tottime, _, _) in stats.stats.items():
        short = os.path.relpath(path, ROOT) if path.startswith(ROOT) else path
        by_file[short] = by_file.get(short, 0.0) + tottime
        rows.append((tottime, ncalls, f"{short}:{line}({func})"))
    print("   own time per call | calls per call | function")
    for tottime, ncalls, where in sorted(rows, reverse=True)[:top]:
        print(f"   {tottime / calls * 1e3:10.3f} ms | {ncalls / calls:8.0f} | {where}")
    print("   -- by file --")
    for path, tt in sorted(by_file.items(), key=lambda kv: -kv[1])[:10]:
        print(f"   {tt / calls * 1e3:10.3f} ms  {100 * tt / stats.total_tt:5.1f}%  {path}")


def gc_effect(s, repeats=7):
    """Interleaved op-chain ratios (1 element, fwd and fwd+bwd) with the process's objects
    collectable and then frozen, for blocks of 0.03, 0.1 and 0.3 s (timing.interleaved)."""
    import gc

    from timing import interleaved, per_repeat_ratios, spread
    print(f"\n== op chain, ours/PyTorch wall time, median (spread) of {repeats} interleaved "
          "repeats; ours' CPU us/op ==")
    print(f"   {len(gc.get_objects()):,} objects tracked by the collector after the imports")
    for frozen in (False, True):
        if frozen:
            gc.freeze()
        for backward in (False, True):
            fns = {k: v for k, v in workloads.op_chain(s, (1,), backward).items()
                   if v is not None}
            cells = []
            for min_time in (0.03, 0.1, 0.3):
                samples, _, _ = interleaved(fns, repeats, min_time)
                med, lo, hi = spread(per_repeat_ratios(samples))
                ours = sorted(samples["ours"]["cpu"])[repeats // 2] / 2000 * 1e6
                cells.append(f"{min_time} s: {med:.2f}x ({lo:.2f}..{hi:.2f}), {ours:.2f} us")
            print(f"   {'frozen' if frozen else 'not frozen'}, "
                  f"{'fwd+bwd' if backward else 'fwd'}: " + "; ".join(cells))
    gc.unfreeze()


PROFILED = {  # workload: the cases of its group that get a cProfile (fwd+bwd, training)
    "perop": lambda name: name == "op chain 1 fwd+bwd",
    "conv": lambda name: name.endswith("fwd+bwd"),
    "pool": lambda name: name.endswith("fwd+bwd"),
    "lenet": lambda name: "train" in name,
}


def profile(s, workload, top):
    """Everything ``--profile workload`` prints."""
    if workload == "gc":
        return gc_effect(s)
    if workload == "perop":
        cost_model(s)
    if workload == "lenet":
        layer_costs(s)
    for name, info, fns in workloads.cases(s, workload):
        if PROFILED[workload](name) and fns["ours"] is not None:
            cprofile(name, fns["ours"], info, top)
