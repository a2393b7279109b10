"""The benchmark's results as Markdown: one table per thread count, memory, the targets.

A row's figure for a side is its median over the repeats; a ratio is the median of the
per-repeat ratios, with their spread ``(min..max)`` (bench/timing.py). A target is "met" only
when its whole spread is on the right side of the threshold, "missed" when all of it is on the
wrong side, and "spread crosses" otherwise (timing.verdict). The verdict is taken on wall time;
at one thread a second verdict on CPU time stands beside it (less disturbed by other processes).
"""

import statistics

from timing import per_repeat_ratios, spread, verdict

# case-name prefix, label, thresholds at (1, 2) threads, at_most (else at least), as throughput
TARGET_ROWS = [
    ("op chain 1 fwd+bwd", "per-op overhead, 1,000-op chain, 1 element, fwd+bwd: time",
     (0.4, 0.4), True, False),
    ("conv2d LeNet conv2 64x6x14x14->16 5x5 fwd+bwd", "LeNet-5 conv2 fwd+bwd: time",
     (1.1, 1.2), True, False),
    ("conv2d VGG block 16x64x56x56->64 3x3 p1 fwd+bwd", "VGG block fwd+bwd: time",
     (1.3, 1.3), True, False),
    ("LeNet-5 train step", "LeNet-5 training step, batch 64, SGD momentum: throughput",
     (1.0, 0.9), False, True),
]
# one entry per thread count: prefix, threads, threshold, at_most, as throughput, label
TARGETS = [(prefix, threads, limit, at_most, invert,
            f"{label} {'<=' if at_most else '>='} {limit}x")
           for prefix, label, limits, at_most, invert in TARGET_ROWS
           for threads, limit in zip((1, 2), limits)]
MEMORY_TARGET = 0.5


def _plural(threads):
    return f"{threads} thread{'s' if threads > 1 else ''}"


def figure(row, side):
    """A side's median in the row's unit, as text ("-" when not measured)."""
    if side in row.get("errors", {}):
        return "FAILED"
    samples = row["samples"].get(side)
    if not samples:
        return "-"
    sec = statistics.median(samples["wall"])
    unit = row["unit"]
    if unit == "us/op":
        return f"{sec / row['ops'] * 1e6:.2f} us/op"
    if unit == "img/s":
        return f"{row['batch'] / sec:,.0f} img/s"
    if unit == "GFLOP/s":
        return f"{row['flop'] / sec / 1e9:.1f} GFLOP/s"
    return f"{sec * 1e3:.3f} ms"


def ratio_text(values):
    """"1.23x (1.10..1.40)": the median and spread of per-repeat ratios."""
    if not values:
        return "-"
    med, lo, hi = spread(values)
    return f"{med:.2f}x ({lo:.2f}..{hi:.2f})"


def cores(row):
    """Median CPU/wall of ours and PyTorch: how many cores each kept busy."""
    parts = []
    for side in ("ours", "torch"):
        s = row["samples"].get(side)
        parts.append(f"{statistics.median(c / w for c, w in zip(s['cpu'], s['wall'])):.2f}"
                     if s else "-")
    return " / ".join(parts)


def gflops(row):
    s = row["samples"].get("ours")
    if not s or not row.get("flop") or row["unit"] == "GFLOP/s":
        return "-"
    return f"{row['flop'] / statistics.median(s['wall']) / 1e9:.1f}"


def run_table(run):
    """One thread count's rows."""
    lines = [f"| workload ({_plural(run['threads'])}) | ours | PyTorch | numpy floor | "
             "ours/PyTorch time, median (spread) | same, CPU time | cores busy, ours / "
             "PyTorch | ours GFLOP/s |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in run["rows"]:
        lines.append(
            f"| {row['case']} | {figure(row, 'ours')} | {figure(row, 'torch')} | "
            f"{figure(row, 'numpy')} | {ratio_text(per_repeat_ratios(row['samples']))} | "
            f"{ratio_text(per_repeat_ratios(row['samples'], 'cpu'))} | {cores(row)} | "
            f"{gflops(row)} |")
    return "\n".join(lines)


def find_row(results, threads, prefix):
    for run in results["runs"]:
        if run["threads"] == threads:
            for row in run["rows"]:
                if row["case"].startswith(prefix):
                    return row
    return None


def memory_ratios(memory, key):
    """ours/PyTorch of ``key`` (a memory.py figure, or "growth": peak - baseline), one per
    round (round i of ours against round i of PyTorch)."""
    def value(m):
        return m["peak_mb"] - m["baseline_mb"] if key == "growth" else m[key]
    pairs = zip(memory.get("ours", {}).get("rounds", []),
                memory.get("torch", {}).get("rounds", []))
    return [value(o) / value(t) for o, t in pairs if "error" not in o and "error" not in t]


def targets(results):
    """Every target with data: {target, threads, median, spread, cpu, verdict}."""
    out = []
    for prefix, threads, limit, at_most, invert, label in TARGETS:
        row = find_row(results, threads, prefix)
        values = row and per_repeat_ratios(row["samples"], invert=invert)
        if not values:
            continue
        cpu = per_repeat_ratios(row["samples"], "cpu", invert=invert)
        out.append({"target": f"{label} PyTorch's", "threads": threads, "limit": limit,
                    "ratios": values, "cpu_ratios": cpu, "repeats": len(values),
                    "verdict": verdict(values, limit, at_most),
                    # CPU time is a speed at one thread only (timing.py)
                    "cpu_verdict": verdict(cpu, limit, at_most) if threads == 1 else None})
    memory = results.get("memory") or {}
    for key, label in (("peak_mb", "peak RSS of 100 LeNet steps (whole process)"),
                       ("growth", "RSS added by 100 LeNet steps (peak - after imports and "
                        "model)")):
        values = memory_ratios(memory, key)
        if values:
            out.append({"target": f"{label}: <= {MEMORY_TARGET}x PyTorch's",
                        "threads": memory.get("threads", 1), "limit": MEMORY_TARGET,
                        "ratios": values, "cpu_ratios": None, "repeats": len(values),
                        "verdict": verdict(values, MEMORY_TARGET), "cpu_verdict": None})
    return out


def targets_table(goals):
    lines = ["| target (ours/PyTorch) | threads | wall time: median (spread) | verdict | CPU "
             "time | verdict on CPU time | repeats |", "|---|---:|---:|:---:|---:|:---:|---:|"]

    def word(v):
        return "-" if v is None else v if v == "met" else f"**{v}**"
    for g in goals:
        lines.append(f"| {g['target']} | {g['threads']} | {ratio_text(g['ratios'])} | "
                     f"{word(g['verdict'])} | {ratio_text(g['cpu_ratios'])} | "
                     f"{word(g.get('cpu_verdict'))} | {g['repeats']} |")
    return "\n".join(lines)


def summary_table(results):
    """The README's short table: each target at 1 and 2 threads, median (spread), verdict."""
    goals = targets(results)
    names = list(dict.fromkeys(g["target"].split(": ")[0] for g in goals))
    lines = ["| ours/PyTorch | target, 1 / 2 threads | 1 thread: median (spread) | 2 threads |",
             "|---|---|---|---|"]
    for name in names:
        mine = {g["threads"]: g for g in goals if g["target"].split(": ")[0] == name}
        rules = " / ".join(g["target"].split(": ")[1].replace(" PyTorch's", "")
                           for _, g in sorted(mine.items()))
        cells = [f"{ratio_text(mine[t]['ratios'])} {mine[t]['verdict']}" if t in mine else "-"
                 for t in (1, 2)]
        lines.append(f"| {name} | {rules} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def memory_table(memory):
    """ru_maxrss per side (median over the rounds) and tracemalloc's peak where it sees."""
    lines = ["| 100 LeNet-5 steps, batch 64 | after imports + model | after step 1 | peak | "
             "added by training | tracemalloc peak |", "|---|---:|---:|---:|---:|---:|"]
    for side in ("ours", "torch", "numpy"):
        m = memory.get(side)
        if not m:
            continue
        rounds = [r for r in m["rounds"] if "error" not in r]
        if not rounds:
            lines.append(f"| {side} | FAILED: {m['rounds'][0]['error']} | | | | |")
            continue

        def med(key):
            return statistics.median(r[key] for r in rounds)
        traced = (m.get("tracemalloc") or {}).get("traced_peak_mb")
        lines.append(f"| {side} | {med('baseline_mb'):.0f} MB | {med('first_step_mb'):.0f} MB "
                     f"| {med('peak_mb'):.0f} MB | "
                     f"{statistics.median(r['peak_mb'] - r['baseline_mb'] for r in rounds):.0f}"
                     f" MB | {f'{traced:.1f} MB' if traced is not None else 'not seen'} |")
    return "\n".join(lines)


def report(results):
    """The whole result as Markdown (what docs/performance.md quotes)."""
    parts = [header(results)]
    for run in results["runs"]:
        if run["rows"]:
            parts.append(run_table(run))
        for side, diff in run.get("lenet_loss_diff", {}).items():
            parts.append(f"LeNet-5 check ({_plural(run['threads'])}): |loss({side}) - "
                         f"loss(numpy floor)| <= {diff:.2e} over 3 steps, same weights and data")
        parts.append(f"Thread pools ({_plural(run['threads'])}): " + "; ".join(
            sorted({p if isinstance(p, str) else f"{p['api']} {p['library']}: {p['threads']}"
                    + (f" ({p['architecture']} kernels)" if p.get("architecture") else "")
                    for p in run.get("thread_pools", [])})))
        parts += [f"note: {note}" for note in run.get("notes", [])]
        parts += [f"note: {row['case']}: {side} failed: {err}" for row in run["rows"]
                  for side, err in row.get("errors", {}).items()]
    if results.get("memory"):
        parts.append(memory_table(results["memory"]))
    goals = targets(results)
    if goals:
        parts.append(targets_table(goals))
    return "\n\n".join(parts)


def openblas_note(results):
    env = results.get("openblas_env") or {}
    if not env:
        return ""
    what = ", ".join(f"{k}={v}" for k, v in env.items())
    return f", {what} {'kept' if results.get('openblas_env_kept') else 'dropped'} in the workers"


def header(results):
    """When, where, which versions, how long, how loaded."""
    m, load = results["machine"], results.get("load_average", {})
    v = results.get("versions", {})
    return (f"`{results['command']}` at {results.get('commit')}: {results['date']}, "
            f"{m['processor']}, {m['cpu_count']} cores, Python {m['python']}, numpy "
            f"{v.get('numpy')}, PyTorch {v.get('torch') or 'not installed'}"
            f"{', QUICK timings' if results.get('quick') else ''}"
            f"{', gc.freeze() after imports' if results.get('gc_freeze') else ', no gc.freeze'}"
            f"{openblas_note(results)}; "
            f"{results.get('repeats')} interleaved repeats of >= {results.get('min_time')} s "
            f"per side; {results.get('elapsed_s')} s; load average {load.get('start')} at "
            f"start, {load.get('end')} at end (the benchmark itself adds 1-2)")
