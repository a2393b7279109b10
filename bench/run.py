"""The one-stop benchmark: this framework beside PyTorch (CPU) and hand-written numpy floors.

    python bench/run.py                       # 1 and 2 threads, every workload (~3-6 min)
    python bench/run.py --quick --threads 1   # a fast smoke run (shorter timings)
    python bench/run.py --only lenet,memory --json bench/results/run.json

Workloads (float32, the same shapes and thread count on every side; see bench/README.md):

* ``peak``   numpy's float32 matmul (sgemm) rate on this machine: the GFLOP/s ceiling.
* ``perop``  a chain of 1,000 ``y = y * b + c`` (2,000 ops) on 1-element and 16x16 tensors,
             forward and forward+backward, in microseconds per op; floor: numpy by hand.
* ``conv``   conv2d forward and forward+backward on LeNet conv1/conv2 and a VGG block.
* ``pool``   max_pool2d 2x2/2 forward and forward+backward on 64x6x28x28.
* ``lenet``  LeNet-5 training step (batch 64, SGD momentum 0.9, cross-entropy) and inference
             (batch 256) in images/s; floor: bench/numpy_floor.py's LeNet5.
* ``memory`` peak resident memory (ru_maxrss) of a separate process doing 100 LeNet steps.

Thread counts are fixed through OMP/OpenBLAS/MKL environment variables, which BLAS reads when
numpy is first imported: so each thread setting and workload runs in its own worker subprocess
(this same file with ``--worker``), which also calls ``torch.set_num_threads``. PyTorch is
optional: the torch columns are left empty when it cannot be imported (``make bench`` builds
.venv-bench with it). Timing: one warm-up call, then the median of >= 5 repeats of >= 0.2 s
each.
"""

import argparse
import datetime
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKLOADS = ("peak", "perop", "conv", "pool", "lenet", "memory")
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
IMPLS = ("ours", "torch", "numpy")

CHAIN_LINKS = 1000                      # 1,000 links = 2,000 ops (a mul and an add each)
CONV_CASES = [  # name, input shape (N, C, H, W), out channels, kernel, padding
    ("LeNet conv1 64x1x28x28->6 5x5 p2", (64, 1, 28, 28), 6, 5, 2),
    ("LeNet conv2 64x6x14x14->16 5x5", (64, 6, 14, 14), 16, 5, 0),
    ("VGG block 16x64x56x56->64 3x3 p1", (16, 64, 56, 56), 64, 3, 1),
]
POOL_SHAPE = (64, 6, 28, 28)
TRAIN_BATCH, INFER_BATCH, MEMORY_STEPS = 64, 256, 100


# -- timing ----------------------------------------------------------------------------------
def measure(fn, min_time, repeats, cpu=None):
    """Median seconds per call of ``fn``: a warm-up call, then ``repeats`` timed repeats of
    enough calls each to last >= ``min_time`` seconds (calibrated on the first repeat).

    With a list ``cpu``, also append the median process CPU seconds per call to it: at one
    thread this is the wall time minus what other processes took from us.
    """
    fn()
    calls, times, cpu_times = 1, [], []
    while len(times) < repeats:
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
        elapsed_cpu = time.process_time() - start_cpu
        if elapsed < min_time and not times:     # still calibrating: scale the call count up
            calls = max(calls * 2, int(calls * 1.2 * min_time / max(elapsed, 1e-9)))
            continue
        times.append(elapsed / calls)
        cpu_times.append(elapsed_cpu / calls)
    if cpu is not None:
        cpu.append(statistics.median(cpu_times))
    return statistics.median(times)


# -- the worker: one thread setting, in its own process --------------------------------------
class Sides:
    """The imported frameworks of a worker: ``ag`` (ours), ``nn``, ``torch`` (or None), ``np``."""

    def __init__(self, threads):
        import numpy as np
        sys.path[:0] = [ROOT, HERE]
        import autograd as ag
        import numpy_floor
        self.np, self.ag, self.floor = np, ag, numpy_floor
        try:
            import nn
            import nn.functional  # noqa: F401  (submodules: import them explicitly)
            import nn.models  # noqa: F401
            import nn.optim  # noqa: F401
        except ImportError:
            nn = None
        self.nn = nn
        try:
            import torch
            torch.set_num_threads(threads)
        except ImportError:
            torch = None
        self.torch = torch


def find_op(ag, nn, name):
    """Our implementation of ``name`` (autograd.<name>, else nn.functional.<name>) or None."""
    op = getattr(ag, name, None)
    if op is None and nn is not None:
        op = getattr(getattr(nn, "functional", None), name, None)
    return op


def case_perop(s, shape):
    """The 1,000-link chain ``y = y * b + c`` on tensors of ``shape``: fwd, fwd+bwd."""
    np, ag, torch = s.np, s.ag, s.torch
    rng = np.random.default_rng(0)
    x = np.ones(shape, np.float32)
    b = rng.uniform(0.4, 0.6, shape).astype(np.float32)
    c = rng.uniform(-1, 1, shape).astype(np.float32)
    seed = np.ones(shape, np.float32)

    def chain(make, backward):
        """The chain on a framework whose tensors ``make(array, requires_grad)`` builds (ours
        and PyTorch share the API used here)."""
        xt, st = make(x, False), make(seed, False)
        bt, ct = make(b, True), make(c, True)

        def run():
            bt.grad = ct.grad = None
            y = xt
            for _ in range(CHAIN_LINKS):
                y = y * bt + ct
            if backward:
                y.backward(st)
        return run

    def ours_chain(backward):
        return chain(lambda a, rg: ag.tensor(a, requires_grad=rg), backward)

    def torch_chain(backward):
        return chain(lambda a, rg: torch.tensor(a, requires_grad=rg), backward)

    def numpy_chain(backward):
        if backward:
            return lambda: s.floor.chain(x, b, c, CHAIN_LINKS)

        def run():
            y = x
            for _ in range(CHAIN_LINKS):
                y = y * b + c
        return run

    label = "x".join(map(str, shape))
    for backward in (False, True):
        yield (f"op chain {label} {'fwd+bwd' if backward else 'fwd'}", "perop",
               dict(ops=2 * CHAIN_LINKS, flop=None, backward=backward),
               {"ours": lambda bw=backward: ours_chain(bw),
                "torch": (lambda bw=backward: torch_chain(bw)) if torch else None,
                "numpy": lambda bw=backward: numpy_chain(bw)})


def _op_pair(s, name, x, params, torch_fn, ours_kwargs, grad_shape_of):
    """fwd (no grad) and fwd+bwd closures of op ``name`` on both sides; params are arrays."""
    np, ag, torch = s.np, s.ag, s.torch
    ours_op = find_op(ag, s.nn, name)

    def ours(backward):
        if ours_op is None:
            raise RuntimeError(f"autograd.{name} is not available yet")
        ts = [ag.tensor(a, requires_grad=backward) for a in (x,) + params]
        if not backward:
            def run():
                with ag.no_grad():
                    ours_op(*ts, **ours_kwargs)
            return run
        out_shape = grad_shape_of()
        gt = ag.tensor(np.random.default_rng(1).standard_normal(out_shape).astype(np.float32))

        def run():
            for t in ts:
                t.grad = None
            ours_op(*ts, **ours_kwargs).backward(gt)
        return run

    def theirs(backward):
        ts = [torch.tensor(a, requires_grad=backward) for a in (x,) + params]
        if not backward:
            def run():
                with torch.no_grad():
                    torch_fn(*ts)
            return run
        gt = torch.from_numpy(np.random.default_rng(1).standard_normal(
            grad_shape_of()).astype(np.float32))

        def run():
            for t in ts:
                t.grad = None
            torch_fn(*ts).backward(gt)
        return run

    return ours, (theirs if torch else None)


def case_conv(s, name, shape, out_ch, k, pad):
    np, torch = s.np, s.torch
    rng = np.random.default_rng(0)
    n, c, h, w = shape
    x = rng.standard_normal(shape).astype(np.float32)
    weight = (rng.standard_normal((out_ch, c, k, k)) / np.sqrt(c * k * k)).astype(np.float32)
    bias = rng.standard_normal(out_ch).astype(np.float32)
    oh, ow = h + 2 * pad - k + 1, w + 2 * pad - k + 1
    flop = 2 * n * out_ch * oh * ow * c * k * k
    tf = (lambda a, wt, bt: torch.nn.functional.conv2d(a, wt, bt, padding=pad)) if torch else None
    ours, theirs = _op_pair(s, "conv2d", x, (weight, bias), tf, {"padding": pad},
                            lambda: (n, out_ch, oh, ow))
    for backward in (False, True):
        yield (f"conv2d {name} {'fwd+bwd' if backward else 'fwd'}", "conv",
               dict(flop=flop * (3 if backward else 1), backward=backward),
               {"ours": lambda bw=backward: ours(bw),
                "torch": (lambda bw=backward: theirs(bw)) if theirs else None})


def case_pool(s):
    np, torch = s.np, s.torch
    x = np.random.default_rng(0).standard_normal(POOL_SHAPE).astype(np.float32)
    n, c, h, w = POOL_SHAPE
    tf = (lambda a: torch.nn.functional.max_pool2d(a, 2, 2)) if torch else None
    ours, theirs = _op_pair(s, "max_pool2d", x, (), lambda a: tf(a),
                            {"kernel_size": 2, "stride": 2}, lambda: (n, c, h // 2, w // 2))
    label = "x".join(map(str, POOL_SHAPE))
    for backward in (False, True):
        yield (f"max_pool2d 2x2/2 {label} {'fwd+bwd' if backward else 'fwd'}", "pool",
               dict(flop=None, backward=backward),
               {"ours": lambda bw=backward: ours(bw),
                "torch": (lambda bw=backward: theirs(bw)) if theirs else None})


# -- LeNet-5 on the three sides --------------------------------------------------------------
LENET_PARAMS = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight",
                "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]


def torch_lenet(torch):
    """PyTorch's twin of nn.models.lenet5(): conv 6@5x5 p2, pool 2, conv 16@5x5, pool 2, FC
    120-84-10, ReLU after every layer but the last (ReLU before each pool, as ours)."""
    tnn = torch.nn

    class LeNet5(tnn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = tnn.Conv2d(1, 6, 5, padding=2)
            self.conv2 = tnn.Conv2d(6, 16, 5)
            self.fc1, self.fc2 = tnn.Linear(400, 120), tnn.Linear(120, 84)
            self.fc3 = tnn.Linear(84, 10)

        def forward(self, x):
            f = tnn.functional
            x = f.max_pool2d(f.relu(self.conv1(x)), 2, 2)
            x = f.max_pool2d(f.relu(self.conv2(x)), 2, 2)
            x = f.relu(self.fc1(x.flatten(1)))
            return self.fc3(f.relu(self.fc2(x)))

    return LeNet5()


def lenet_sides(s, batch, lr=0.01, momentum=0.9):
    """Build LeNet-5 on every available side with the same weights and data.

    Returns ({impl: (step_fn, predict_fn)}, the batch (x, y) as arrays, notes).
    """
    np, ag, nn, torch = s.np, s.ag, s.nn, s.torch
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 1, 28, 28)).astype(np.float32)
    y = rng.integers(0, 10, batch).astype(np.int64)
    sides, notes = {}, []
    floor = s.floor.LeNet5(lr=lr, momentum=momentum)
    params = floor.params
    sides["numpy"] = (lambda xs, ys: floor.step(xs, ys), floor.predict)

    ours_ok = nn is not None and all(hasattr(nn, a) for a in ("models", "optim", "functional"))
    if ours_ok:
        try:
            model = nn.models.lenet5()
            named = dict(model.named_parameters())
            for key in LENET_PARAMS:           # the floor's weights, so all sides agree
                named[key].data[...] = params[key]
            opt = nn.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
            ce = nn.functional.cross_entropy

            def ours_step(xs, ys):
                opt.zero_grad()
                loss = ce(model(xs), ys)
                loss.backward()
                opt.step()
                return loss

            def ours_predict(xs):
                with ag.no_grad():
                    return model(xs)
            sides["ours"] = (ours_step, ours_predict)
        except Exception as exc:  # report, do not crash the whole benchmark
            notes.append(f"ours LeNet unavailable: {type(exc).__name__}: {exc}")
    else:
        notes.append("ours LeNet unavailable: nn.models / nn.optim / nn.functional missing")

    if torch is not None:
        tmodel = torch_lenet(torch)
        with torch.no_grad():
            for key, p in tmodel.named_parameters():
                p.copy_(torch.from_numpy(params[key]))
        topt = torch.optim.SGD(tmodel.parameters(), lr=lr, momentum=momentum)
        tce = torch.nn.functional.cross_entropy

        def torch_step(xs, ys):
            topt.zero_grad()
            loss = tce(tmodel(xs), ys)
            loss.backward()
            topt.step()
            return loss

        def torch_predict(xs):
            with torch.no_grad():
                return tmodel(xs)
        sides["torch"] = (torch_step, torch_predict)
    return sides, (x, y), notes


def _inputs(s, impl, x, y):
    """The batch as each side wants it: Tensors for ours, torch tensors, or plain arrays."""
    if impl == "ours":
        return s.ag.tensor(x), s.ag.tensor(y)
    if impl == "torch":
        return s.torch.from_numpy(x), s.torch.from_numpy(y)
    return x, y


def _scalar(loss):
    return loss if isinstance(loss, float) else loss.item()


def lenet_agreement(s):
    """Max |loss difference| vs the numpy floor over 3 training steps (same weights, data)."""
    sides, (x, y), _ = lenet_sides(s, 16)
    losses = {impl: [_scalar(step(*_inputs(s, impl, x, y))) for _ in range(3)]
              for impl, (step, _) in sides.items()}
    return {impl: max(abs(a - b) for a, b in zip(ls, losses["numpy"]))
            for impl, ls in losses.items() if impl != "numpy"}


def case_lenet(s, notes):
    flop_train = s.floor.lenet_flops(TRAIN_BATCH, True)
    flop_infer = s.floor.lenet_flops(INFER_BATCH, False)
    train, (xt, yt), n1 = lenet_sides(s, TRAIN_BATCH)
    infer, (xi, yi), _ = lenet_sides(s, INFER_BATCH)
    notes.extend(n1)

    def make_train(impl):
        args = _inputs(s, impl, xt, yt)
        return lambda: train[impl][0](*args)

    def make_infer(impl):
        xs = _inputs(s, impl, xi, yi)[0]
        return lambda: infer[impl][1](xs)

    yield (f"LeNet-5 train step batch {TRAIN_BATCH}", "lenet",
           dict(flop=flop_train, batch=TRAIN_BATCH),
           {impl: (lambda i=impl: make_train(i)) if impl in train else None for impl in IMPLS})
    yield (f"LeNet-5 inference batch {INFER_BATCH}", "lenet",
           dict(flop=flop_infer, batch=INFER_BATCH),
           {impl: (lambda i=impl: make_infer(i)) if impl in infer else None for impl in IMPLS})


def measure_peak(s, quick):
    """numpy (and torch) float32 matmul GFLOP/s on an n x n product."""
    np = s.np
    n = 1024 if quick else 2048
    a = np.random.default_rng(0).standard_normal((n, n)).astype(np.float32)
    b = a.T.copy()
    min_time, repeats = (0.1, 3) if quick else (0.2, 5)
    out = {"n": n, "numpy_gflops": 2 * n ** 3 / measure(lambda: a @ b, min_time, repeats) / 1e9}
    if s.torch is not None:
        ta, tb = s.torch.from_numpy(a), s.torch.from_numpy(b)
        out["torch_gflops"] = 2 * n ** 3 / measure(lambda: ta @ tb, min_time, repeats) / 1e9
    return out


def worker(args):
    """Run the selected workloads at one thread count; write the rows as JSON to args.out."""
    if args.tune_malloc:
        sys.path[:0] = [HERE]
        import prototypes
        if not prototypes.tune_malloc():
            print("  --tune-malloc: mallopt unavailable (not glibc); running untuned",
                  file=sys.stderr)
    s = Sides(args.threads)
    if args.gc_freeze:         # imported modules' objects out of the collector's way
        gc.freeze()
    min_time, repeats = (0.05, 3) if args.quick else (0.2, 5)
    only = set(args.only)
    result = {"threads": args.threads, "rows": [], "notes": [],
              "versions": {"numpy": s.np.__version__,
                           "torch": s.torch.__version__ if s.torch else None}}
    if "peak" in only:
        result["peak"] = measure_peak(s, args.quick)
    cases = []
    if "perop" in only:
        cases += list(case_perop(s, (1,))) + list(case_perop(s, (16, 16)))
    if "conv" in only:
        for case in CONV_CASES:
            cases += list(case_conv(s, *case))
    if "pool" in only:
        cases += list(case_pool(s))
    if "lenet" in only:
        cases += list(case_lenet(s, result["notes"]))
        try:
            result["lenet_loss_diff"] = lenet_agreement(s)
        except Exception as exc:
            result["notes"].append(f"LeNet agreement check failed: {type(exc).__name__}: {exc}")
    for name, group, info, makers in cases:
        row = dict(case=name, group=group, seconds={}, cpu_seconds={}, errors={}, **info)
        for impl in IMPLS:
            make = makers.get(impl)
            if make is None:
                continue
            try:
                cpu = []
                row["seconds"][impl] = measure(make(), min_time, repeats, cpu)
                row["cpu_seconds"][impl] = cpu[0]
            except Exception as exc:
                row["errors"][impl] = f"{type(exc).__name__}: {exc}"
        print(f"  [{args.threads} thread(s)] {name}: "
              + ", ".join(f"{k} {v * 1e3:.3f} ms" for k, v in row["seconds"].items())
              + "".join(f"; {k} FAILED ({v})" for k, v in row["errors"].items()),
              file=sys.stderr, flush=True)
        result["rows"].append(row)
    with open(args.out, "w") as f:
        json.dump(result, f)


# -- the parent: one worker per thread setting, then the table -------------------------------
def thread_env(threads):
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = str(threads)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    return env


def run_worker(threads, args, workloads):
    """One worker process: ``workloads`` at ``threads`` threads; returns its result dict."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rows.json")
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--threads", str(threads),
               "--out", out, "--only", ",".join(workloads)] + (["--quick"] if args.quick else [])
        cmd += ["--tune-malloc"] if args.tune_malloc else []
        cmd += ["--gc-freeze"] if args.gc_freeze else []
        subprocess.run(cmd, env=thread_env(threads), check=True)
        with open(out) as f:
            return json.load(f)


def run_threads(threads, args):
    """Every selected workload at ``threads`` threads, each in a fresh worker process (so that
    one workload's heap, garbage and thread pools cannot slow the next), merged into one run."""
    groups = [w for w in WORKLOADS if w in args.only and w != "memory"]
    if "peak" not in groups and {"conv", "lenet"} & set(groups):
        groups.insert(0, "peak")                    # the GFLOP/s columns need it
    run = {"threads": threads, "rows": [], "notes": []}
    for group in groups:
        part = run_worker(threads, args, [group])
        run["rows"] += part.pop("rows")
        run["notes"] += part.pop("notes")
        run.update(part)
    return run


def run_memory(threads, impls, tune_malloc=False):
    """Peak RSS of 100 LeNet steps, one fresh process per side (bench/memory.py)."""
    out = {}
    for impl in impls:
        cmd = [sys.executable, os.path.join(HERE, "memory.py"), impl, "--steps",
               str(MEMORY_STEPS), "--batch", str(TRAIN_BATCH)]
        cmd += ["--tune-malloc"] if tune_malloc else []
        proc = subprocess.run(cmd, env=thread_env(threads), capture_output=True, text=True)
        if proc.returncode == 0:
            out[impl] = json.loads(proc.stdout.strip().splitlines()[-1])
        else:
            out[impl] = {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return out


def fmt_time(row, impl):
    """The row's figure for ``impl`` in its natural unit, as text."""
    sec = row["seconds"].get(impl)
    if sec is None:
        return "FAILED" if impl in row["errors"] else "-"
    if row["group"] == "perop":
        return f"{sec / row['ops'] * 1e6:.2f} us/op"
    if row["group"] == "lenet":
        return f"{row['batch'] / sec:,.0f} img/s"
    return f"{sec * 1e3:.3f} ms"


def table(run, peak):
    """Markdown table of one thread setting's rows."""
    one = run["threads"] == 1       # CPU time is comparable to wall time at one thread only
    lines = [f"| workload ({run['threads']} thread{'s' if run['threads'] > 1 else ''}) | ours "
             "| PyTorch | numpy floor | ours/PyTorch time |"
             + (" same, CPU time |" if one else "") + " ours GFLOP/s | % numpy peak |",
             "|---|---:|---:|---:|---:|" + ("---:|" if one else "") + "---:|---:|"]
    for row in run["rows"]:
        sec, cpu = row["seconds"], row.get("cpu_seconds", {})
        ratio = (f"{sec['ours'] / sec['torch']:.2f}x" if "ours" in sec and "torch" in sec
                 else "-")
        if one:
            ratio += (f" | {cpu['ours'] / cpu['torch']:.2f}x" if "ours" in cpu and "torch" in cpu
                      else " | -")
        gflops = pct = "-"
        if row.get("flop") and "ours" in sec:
            rate = row["flop"] / sec["ours"] / 1e9
            gflops = f"{rate:.1f}"
            if peak:
                pct = f"{100 * rate / peak:.0f}%"
        lines.append(f"| {row['case']} | {fmt_time(row, 'ours')} | {fmt_time(row, 'torch')} | "
                     f"{fmt_time(row, 'numpy')} | {ratio} | {gflops} | {pct} |")
    return "\n".join(lines)


def memory_table(memory):
    lines = ["| peak RSS, 100 LeNet steps (batch 64) | threads | after imports + model | "
             "peak | growth while training |", "|---|---:|---:|---:|---:|"]
    for threads, sides in memory.items():
        for impl, m in sides.items():
            if "error" in m:
                lines.append(f"| {impl} | {threads} | FAILED: {m['error']} | | |")
                continue
            lines.append(f"| {impl} | {threads} | {m['baseline_mb']:.0f} MB | "
                         f"{m['peak_mb']:.0f} MB | {m['peak_mb'] - m['baseline_mb']:.0f} MB |")
    return "\n".join(lines)


def _find(run, prefix):
    """(wall seconds, CPU seconds) per side of the first row whose case starts with prefix."""
    for row in run["rows"]:
        if row["case"].startswith(prefix):
            return row["seconds"], row.get("cpu_seconds", {})
    return {}, {}


def targets(results):
    """Each target of issues 2/7 as (description, measured, met?) for the present data.

    Met or not is judged on wall time; at one thread the CPU-time figure is shown beside it
    (what the ratio would be without the other processes of a shared machine).
    """
    out = []

    def check(label, measured, ok):
        out.append({"target": label, "measured": measured, "met": bool(ok)})

    def ratio(prefix, one_thread, invert=False):
        """ours/torch (or torch/ours) in wall time, and its text with the CPU-time figure."""
        sec, cpu = _find(run, prefix)
        if "ours" not in sec or "torch" not in sec:
            return None, ""
        value = sec["torch"] / sec["ours"] if invert else sec["ours"] / sec["torch"]
        text = f"{value:.3g}x"
        if one_thread and "ours" in cpu and "torch" in cpu:
            c = cpu["torch"] / cpu["ours"] if invert else cpu["ours"] / cpu["torch"]
            text += f" (CPU time: {c:.3g}x)"
        return value, text

    for run in results["runs"]:
        t = run["threads"]
        tag, one = f"[{t} thread{'s' if t > 1 else ''}]", t == 1
        speed, text = ratio("LeNet-5 train", one, invert=True)
        if speed is not None:
            need = 1.0 if one else 0.75
            check(f"{tag} LeNet-5 training throughput >= {need:.2f}x PyTorch", text,
                  speed >= need)
        for name, *_ in CONV_CASES:
            value, text = ratio(f"conv2d {name} fwd+bwd", one)
            if value is not None:
                short = " ".join(name.split(" ")[:2])
                if "conv1" in name:
                    check(f"{tag} conv2d {short} fwd+bwd faster than PyTorch", text, value < 1)
                else:
                    check(f"{tag} conv2d {short} fwd+bwd time <= 1.5x PyTorch", text,
                          value <= 1.5)
        value, text = ratio("max_pool2d 2x2/2 64x6x28x28 fwd+bwd", one)
        if value is not None:
            check(f"{tag} max_pool2d fwd+bwd faster than PyTorch", text, value < 1)
        value, text = ratio("op chain 1 fwd+bwd", one)
        if value is not None:
            check(f"{tag} per-op overhead (1 element, fwd+bwd) <= 0.5x PyTorch", text,
                  value <= 0.5)
        sec, cpu = _find(run, "op chain 1 fwd+bwd")
        if "ours" in sec:
            us = sec["ours"] / (2 * CHAIN_LINKS) * 1e6
            text = f"{us:.2f} us" + (f" (CPU time: {cpu['ours'] / (2 * CHAIN_LINKS) * 1e6:.2f})"
                                     if one and "ours" in cpu else "")
            check(f"{tag} per-op overhead (1 element, fwd+bwd) <= 4.5 us/op", text, us <= 4.5)
    for threads, sides in results.get("memory", {}).items():
        if "peak_mb" in sides.get("ours", {}) and "peak_mb" in sides.get("torch", {}):
            a, b = sides["ours"]["peak_mb"], sides["torch"]["peak_mb"]
            check(f"[{threads} thread{'s' if int(threads) > 1 else ''}] peak memory of 100 "
                  "LeNet steps <= PyTorch's", f"{a:.0f} MB vs {b:.0f} MB", a <= b)
    return out


def report(results):
    """The whole result as Markdown (what docs/performance.md quotes)."""
    parts = []
    for run in results["runs"]:
        peak = run.get("peak", {})
        if peak:
            parts.append(f"numpy float32 matmul peak ({run['threads']} thread"
                         f"{'s' if run['threads'] > 1 else ''}, n={peak['n']}): "
                         f"{peak['numpy_gflops']:.1f} GFLOP/s"
                         + (f" (PyTorch's: {peak['torch_gflops']:.1f})"
                            if "torch_gflops" in peak else ""))
        if run["rows"]:
            parts.append(table(run, peak.get("numpy_gflops")))
        for impl, diff in run.get("lenet_loss_diff", {}).items():
            parts.append(f"LeNet-5 check ({run['threads']} thread(s)): |loss({impl}) - "
                         f"loss(numpy floor)| <= {diff:.2e} over 3 steps, same weights and data")
        for note in run["notes"]:
            parts.append(f"note: {note}")
        for row in run["rows"]:
            for impl, err in row["errors"].items():
                parts.append(f"note: {row['case']}: {impl} failed: {err}")
    if results.get("memory"):
        parts.append(memory_table(results["memory"]))
    goals = targets(results)
    if goals:
        parts.append("| target | measured | met |\n|---|---:|:---:|\n" + "\n".join(
            f"| {g['target']} | {g['measured']} | {'yes' if g['met'] else '**no**'} |"
            for g in goals))
    return "\n\n".join(parts)


# -- profiling: where our time goes ----------------------------------------------------------
def _cpu_ms(fn, number=10, repeat=9):
    """Best-of-``repeat`` process CPU milliseconds per call (less sensitive to other load)."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, (time.process_time() - start) / number)
    return best * 1e3


def layer_costs(s):
    """CPU ms of LeNet-5's layers at batch 64, forward + backward, on the three sides."""
    np, ag, nn, torch = s.np, s.ag, s.nn, s.torch
    import prototypes as proto
    F, floor = nn.functional, s.floor
    rng = np.random.default_rng(0)

    def arr(*shape, scale=1.0):
        return (rng.standard_normal(shape) * scale).astype(np.float32)
    x, w1, b1, g1 = arr(64, 1, 28, 28), arr(6, 1, 5, 5, scale=0.2), arr(6), arr(64, 6, 28, 28)
    y1, gp = arr(64, 6, 28, 28), arr(64, 6, 14, 14)
    a1, w2, b2, g2 = arr(64, 6, 14, 14), arr(16, 6, 5, 5, scale=0.1), arr(16), arr(64, 16, 10, 10)
    cases = {  # name: (arrays, which need grad, ours fn, torch fn, floor fn)
        "conv1 (no input grad)": (
            (x, w1, b1, g1), (False, True, True),
            lambda t: F.conv2d(t[0], t[1], t[2], padding=2),
            lambda t: torch.nn.functional.conv2d(t[0], t[1], t[2], padding=2),
            lambda: proto.conv_backward(g1, x.shape, w1, proto.conv_forward(x, w1, b1, 2)[1],
                                        2, need_x=False)),
        "relu + max_pool 2x2 (6x28x28)": (
            (y1, gp), (True,), lambda t: F.max_pool2d(F.relu(t[0]), 2, 2),
            lambda t: torch.nn.functional.max_pool2d(torch.relu(t[0]), 2, 2),
            lambda: floor._pool_relu_backward(gp, *floor._pool_relu(y1), y1.shape)),
        "conv2 (with input grad)": (
            (a1, w2, b2, g2), (True, True, True), lambda t: F.conv2d(t[0], t[1], t[2]),
            lambda t: torch.nn.functional.conv2d(t[0], t[1], t[2]),
            lambda: proto.conv_backward(g2, a1.shape, w2, proto.conv_forward(a1, w2, b2, 0)[1],
                                        0)),
    }
    print("\n== LeNet-5 layers at batch 64, forward + backward, CPU ms (best of 9) ==")
    print("   ours    | PyTorch | numpy floor (bench/prototypes.py kernels) | layer")
    for name, (arrays, needs, ours_fn, torch_fn, floor_fn) in cases.items():
        *inputs, g = arrays
        ts = [ag.tensor(a, requires_grad=r) for a, r in zip(inputs, needs)]
        gt = ag.tensor(g)

        def ours():
            for t in ts:
                t.grad = None
            ours_fn(ts).backward(gt)
        line = f"   {_cpu_ms(ours):7.2f} | "
        if torch is not None:
            tts = [torch.tensor(a, requires_grad=r) for a, r in zip(inputs, needs)]
            tg = torch.from_numpy(g)

            def theirs():
                for t in tts:
                    t.grad = None
                torch_fn(tts).backward(tg)
            line += f"{_cpu_ms(theirs):7.2f} | "
        else:
            line += "      - | "
        print(line + f"{_cpu_ms(floor_fn):7.2f}     | {name}")
    sides, (xb, yb), _ = lenet_sides(s, TRAIN_BATCH)
    whole = {impl: _cpu_ms(lambda i=impl, a=_inputs(s, impl, xb, yb): sides[i][0](*a))
             for impl in ("ours", "torch", "numpy") if impl in sides}
    print("   " + " | ".join(f"{whole.get(i, float('nan')):7.2f}" for i in ("ours", "torch"))
          + f" | {whole.get('numpy', float('nan')):7.2f}     | whole training step")
    import resource
    for impl in ("ours", "torch", "numpy"):
        if impl not in sides:
            continue
        args_ = _inputs(s, impl, xb, yb)
        before = resource.getrusage(resource.RUSAGE_SELF)
        for _ in range(20):
            sides[impl][0](*args_)
        after = resource.getrusage(resource.RUSAGE_SELF)
        print(f"   {impl}: per step {(after.ru_utime - before.ru_utime) / 20 * 1e3:.2f} ms user, "
              f"{(after.ru_stime - before.ru_stime) / 20 * 1e3:.2f} ms system, "
              f"{(after.ru_minflt - before.ru_minflt) / 20:.0f} minor page faults")


def cost_model(s):
    """CPU microseconds of the pieces one recorded op is made of, on 1-element float32 tensors
    (best of 7 repeats of 20,000 calls; process CPU time, so other processes matter less)."""
    import timeit
    np, ag = s.np, s.ag
    a = ag.tensor(np.full(1, 0.5, np.float32), requires_grad=True)
    b = ag.tensor(np.full(1, 0.25, np.float32))
    an, bn, wrap = a.data, b.data, type(a)._wrap
    env = dict(a=a, b=b, an=an, bn=bn, wrap=wrap, ag=ag)

    def us(stmt):
        t = timeit.repeat(stmt, number=20000, repeat=7, globals=env, timer=time.process_time)
        return min(t) / 20000 * 1e6
    rows = [("numpy multiply, 1 element (the floor of any op)", us("an * bn")),
            ("Tensor._wrap(an * bn): + a result Tensor", us("wrap(an * bn)")),
            ("a * b, a requires grad (recorded: Function.apply)", us("a * b"))]
    with ag.no_grad():
        rows.append(("a * b under no_grad (how backward rules run)", us("a * b")))
    rows.append(("b * b, no input requires grad", us("b * b")))
    if s.torch is not None:
        torch = s.torch
        env.update(ta=torch.full((1,), 0.5, requires_grad=True), tb=torch.full((1,), 0.25))
        rows.append(("PyTorch: ta * tb, ta requires grad", us("ta * tb")))
    print("\n== cost of one op (1-element float32, CPU microseconds) ==")
    for label, value in rows:
        print(f"   {value:6.2f} us  {label}")


def profile(args):
    """cProfile of our side of one workload (wall clock: run it on a quiet machine):
    the top functions by own time and the total per source file, per call of the workload."""
    import cProfile
    import pstats
    for var in THREAD_VARS:                    # before numpy's first import
        os.environ[var] = args.threads if args.threads != "both" else "1"
    if args.tune_malloc:
        sys.path[:0] = [HERE]
        import prototypes
        prototypes.tune_malloc()
    s = Sides(int(os.environ["OMP_NUM_THREADS"]))
    workload = args.profile
    if workload == "lenet":
        layer_costs(s)
    if workload == "perop":
        cost_model(s)
        cases = list(case_perop(s, (1,)))[1:]
    elif workload == "conv":
        cases = [c for case in CONV_CASES for c in case_conv(s, *case)][1::2]
    elif workload == "pool":
        cases = list(case_pool(s))[1:]
    else:
        cases = list(case_lenet(s, []))[:1]
    for name, _, info, makers in cases:
        fn = makers["ours"]()
        fn()
        calls = max(3, int(1.0 / max(measure(fn, 0.05, 1), 1e-6)))   # ~1 s of work
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(calls):
            fn()
        prof.disable()
        stats = pstats.Stats(prof)
        total = stats.total_tt / calls
        per = (f"{total / info['ops'] * 1e6:.2f} us per op" if "ops" in info
               else f"{total * 1e3:.2f} ms per call")
        print(f"\n== {name}: {per} under the profiler (cProfile adds per-call overhead: "
              "Python-heavy code looks slower than it is) ==")
        by_file = {}
        rows = []
        for (path, line, func), (_, ncalls, tottime, _, _) in stats.stats.items():
            short = os.path.relpath(path, ROOT) if path.startswith(ROOT) else path
            by_file[short] = by_file.get(short, 0.0) + tottime
            rows.append((tottime, ncalls, f"{short}:{line}({func})"))
        print("   own time per call | calls per call | function")
        for tottime, ncalls, where in sorted(rows, reverse=True)[:args.top]:
            print(f"   {tottime / calls * 1e3:10.3f} ms | {ncalls / calls:8.0f} | {where}")
        print("   -- by file --")
        for path, tt in sorted(by_file.items(), key=lambda kv: -kv[1])[:10]:
            print(f"   {tt / calls * 1e3:10.3f} ms  {100 * tt / stats.total_tt:5.1f}%  {path}")
    return 0


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    p.add_argument("--threads", choices=("1", "2", "both"), default="both",
                   help="thread count(s) for numpy's BLAS and PyTorch (default: both)")
    p.add_argument("--quick", action="store_true",
                   help="shorter timings (0.05 s x 3 repeats, smaller peak matmul): a smoke run")
    p.add_argument("--only", default=",".join(WORKLOADS),
                   help=f"comma-separated workloads among {', '.join(WORKLOADS)} (default: all)")
    p.add_argument("--profile", choices=("perop", "conv", "pool", "lenet"),
                   help="instead of timing, profile our side of one workload (cProfile, wall "
                   "clock) and print where the time goes; uses --threads 1 or 2")
    p.add_argument("--top", type=int, default=15, help="functions listed by --profile")
    p.add_argument("--tune-malloc", action="store_true",
                   help="apply bench/prototypes.py's tune_malloc() (glibc mallopt: reuse freed "
                   "buffers) in every process first, to measure that suggestion")
    p.add_argument("--gc-freeze", action="store_true",
                   help="gc.freeze() in each worker after the imports: PyTorch's ~150k Python "
                   "objects then no longer slow down the collections our graphs trigger")
    p.add_argument("--from-json", metavar="PATH",
                   help="print the Markdown report of a run saved with --json, and exit")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    args.only = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(args.only) - set(WORKLOADS)
    if unknown:
        p.error(f"unknown workload(s) {sorted(unknown)}; choose among {', '.join(WORKLOADS)}")
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.worker:
        args.threads = int(args.threads)
        return worker(args)
    if args.profile:
        return profile(args)
    if args.from_json:
        with open(args.from_json) as f:
            results = json.load(f)
        print(header(results))
        print(report(results))
        return 0
    threads = [1, 2] if args.threads == "both" else [int(args.threads)]
    started, load_start = time.time(), _load()
    results = {"command": "python bench/run.py " + " ".join(argv if argv is not None
                                                              else sys.argv[1:]),
               "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": {"cpu_count": os.cpu_count(), "processor": _cpu_name(),
                           "python": platform.python_version()},
               "quick": args.quick, "tune_malloc": args.tune_malloc,
               "gc_freeze": args.gc_freeze, "runs": [], "memory": {}}
    for t in threads:
        results["runs"].append(run_threads(t, args))
        if "memory" in args.only:
            results["memory"][str(t)] = run_memory(t, ["ours", "torch", "numpy"],
                                                   args.tune_malloc)
    results["elapsed_s"] = round(time.time() - started, 1)
    results["load_average"] = {"start": load_start, "end": _load()}
    results["targets"] = targets(results)
    if args.json:                       # first: a closed pipe on stdout must not lose it
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    print(header(results))
    print(report(results))
    return 0


def header(results):
    """The first line of a report: when, where, which versions, how long, how loaded."""
    versions = results["runs"][0]["versions"] if results["runs"] else {}
    machine, load = results["machine"], results.get("load_average", {})
    return (f"\n`{results['command']}`: {results['date']}, {machine['processor']}, "
            f"{machine['cpu_count']} cores, Python {machine['python']}, "
            f"numpy {versions.get('numpy')}, PyTorch {versions.get('torch') or 'not installed'}"
            f"{', QUICK timings' if results.get('quick') else ''}"
            f"{', malloc tuned (--tune-malloc)' if results.get('tune_malloc') else ''}"
            f"{', gc.freeze() after imports' if results.get('gc_freeze') else ''}; "
            f"{results['elapsed_s']} s; load average {load.get('start')} at start, "
            f"{load.get('end')} at end (the benchmark itself adds 1-2)\n")


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


if __name__ == "__main__":
    sys.exit(main())
