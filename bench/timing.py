"""Interleaved timing: every side of a workload timed in the same process, repeat by repeat.

One *repeat* times a block of calls of each side, ours and PyTorch back to back (which of the
two goes first alternates from repeat to repeat; the numpy floor follows them), so both sides of
a repeat see the same load of this shared machine. A ratio is computed *per repeat*; a row
reports the median of the per-repeat ratios and their spread (min..max).

Each block records wall time (``time.perf_counter``) and process CPU time
(``time.process_time``: user + system time of all the process's threads). At one thread CPU
time is the wall time minus what other processes took from us. At two threads it is the
core-seconds both threads burnt (a spinning BLAS thread counts too), so ``cpu / wall`` says how
many cores a side kept busy; the ratios are judged on wall time at every thread count.
"""

import gc
import statistics
import time

PAIR = ("ours", "torch")


def calibrate(fn, min_time):
    """Calls per block so that one block of ``fn`` lasts >= ``min_time`` s (after a warm-up
    call, which also pays first-call costs such as lazy imports and JIT kernels)."""
    fn()
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            return calls
        calls = max(calls * 2, int(calls * 1.2 * min_time / max(elapsed, 1e-9)))


def time_block(fn, calls):
    """(wall seconds, CPU seconds) per call over ``calls`` calls, after a full collection
    (so that no side inherits the other's garbage)."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    for _ in range(calls):
        fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    return wall / calls, cpu / calls


def order(repeat, sides):
    """The sides in the order of repeat number ``repeat``: ours and PyTorch alternate first,
    any other side (the numpy floor) comes after them."""
    pair = [s for s in PAIR if s in sides]
    if repeat % 2:
        pair.reverse()
    return pair + [s for s in sides if s not in PAIR]


def interleaved(fns, repeats, min_time):
    """Time ``fns`` ({side: zero-argument callable}) interleaved over ``repeats`` repeats.

    Returns (samples, calls, errors): samples ``{side: {"wall": [seconds per call, one per
    repeat], "cpu": [...]}}``, calls ``{side: calls per block}``, and errors ``{side: text}``
    for a side whose warm-up raised (it is left out, so one broken side does not lose the
    others' figures).
    """
    calls, errors = {}, {}
    for side, fn in fns.items():
        try:
            calls[side] = calibrate(fn, min_time)
        except Exception as exc:  # report it in the table rather than crash the benchmark
            errors[side] = f"{type(exc).__name__}: {exc}"
    samples = {side: {"wall": [], "cpu": []} for side in calls}
    for r in range(repeats):
        for side in order(r, list(calls)):
            wall, cpu = time_block(fns[side], calls[side])
            samples[side]["wall"].append(wall)
            samples[side]["cpu"].append(cpu)
    return samples, calls, errors


def per_repeat_ratios(samples, kind="wall", invert=False):
    """ours/torch of each repeat (torch/ours with ``invert``: a throughput ratio), or None
    when either side is missing."""
    if not all(s in samples for s in PAIR):
        return None
    ours, torch = samples["ours"][kind], samples["torch"][kind]
    return [t / o if invert else o / t for o, t in zip(ours, torch)]


def spread(values):
    """(median, min, max) of a list of numbers."""
    return statistics.median(values), min(values), max(values)


def verdict(values, limit, at_most=True):
    """"met" when every per-repeat value is on the right side of ``limit`` (<= it with
    ``at_most``, else >=), "missed" when none is, "spread crosses" otherwise."""
    ok = [v <= limit if at_most else v >= limit for v in values]
    if all(ok):
        return "met"
    return "missed" if not any(ok) else "spread crosses"
