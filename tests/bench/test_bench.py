"""The benchmark's own logic: interleaving, per-repeat ratios, the "met" rule, the workloads.

bench/ is scripts, not a package: its directory goes on sys.path. No timing is asserted here
(speed targets live in the benchmark), and PyTorch is never imported.
"""

import os
import sys

import numpy as np
import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "bench")
sys.path.insert(0, BENCH)

import instructions  # noqa: E402
import tables  # noqa: E402
import timing  # noqa: E402
import workloads  # noqa: E402


def test_order_alternates_ours_and_torch_and_keeps_the_floor_last():
    sides = ["ours", "torch", "numpy"]
    assert timing.order(0, sides) == ["ours", "torch", "numpy"]
    assert timing.order(1, sides) == ["torch", "ours", "numpy"]
    assert timing.order(2, ["ours", "numpy"]) == ["ours", "numpy"]


def test_interleaved_runs_sides_in_alternating_order():
    calls = []
    fns = {side: (lambda s=side: calls.append(s)) for side in ("ours", "torch", "numpy")}
    samples, per_block, errors = timing.interleaved(fns, repeats=4, min_time=0.0)
    assert errors == {} and all(len(samples[s]["wall"]) == 4 for s in fns)
    blocks = calls[-4 * 3:]                  # one call per block: 4 repeats of 3 sides
    assert blocks == ["ours", "torch", "numpy", "torch", "ours", "numpy"] * 2
    assert per_block == {"ours": 1, "torch": 1, "numpy": 1}


def test_interleaved_reports_a_broken_side_and_keeps_the_others():
    def broken():
        raise ValueError("no kernel")
    samples, _, errors = timing.interleaved({"ours": lambda: None, "torch": broken}, 2, 0.0)
    assert "ours" in samples and "torch" not in samples
    assert errors == {"torch": "ValueError: no kernel"}


def test_per_repeat_ratios_pair_the_blocks_of_one_repeat():
    samples = {"ours": {"wall": [2.0, 3.0], "cpu": [1.0, 1.0]},
               "torch": {"wall": [1.0, 6.0], "cpu": [2.0, 4.0]}}
    assert timing.per_repeat_ratios(samples) == [2.0, 0.5]
    assert timing.per_repeat_ratios(samples, "cpu") == [0.5, 0.25]
    assert timing.per_repeat_ratios(samples, invert=True) == [0.5, 2.0]
    assert timing.per_repeat_ratios({"ours": samples["ours"]}) is None


@pytest.mark.parametrize("values, at_most, expected", [
    ([0.3, 0.35, 0.4], True, "met"),
    ([0.3, 0.5], True, "spread crosses"),
    ([0.5, 0.9], True, "missed"),
    ([1.0, 1.2], False, "met"),
    ([0.9, 1.1], False, "spread crosses"),
])
def test_verdict_needs_the_whole_spread_on_the_right_side(values, at_most, expected):
    limit = 0.4 if at_most else 1.0
    assert timing.verdict(values, limit, at_most) == expected


def _row(case, ours, torch):
    return {"case": case, "unit": "ms", "samples": {
        "ours": {"wall": ours, "cpu": ours}, "torch": {"wall": torch, "cpu": torch}}}


def test_targets_judge_throughput_as_torch_over_ours():
    results = {"runs": [{"threads": 1, "rows": [
        _row("LeNet-5 train step batch 64", [1.0, 1.0, 1.0], [1.1, 1.2, 1.05]),
        _row("op chain 1 fwd+bwd", [1.0, 1.0], [2.0, 4.0])]}]}
    goals = {g["target"].split(":")[0]: g for g in tables.targets(results)}
    lenet = goals["LeNet-5 training step, batch 64, SGD momentum"]
    assert lenet["ratios"] == pytest.approx([1.1, 1.2, 1.05]) and lenet["verdict"] == "met"
    perop = goals["per-op overhead, 1,000-op chain, 1 element, fwd+bwd"]
    assert perop["ratios"] == [0.5, 0.25] and perop["verdict"] == "spread crosses"


def test_memory_ratios_pair_rounds_and_growth_excludes_the_baseline():
    memory = {"ours": {"rounds": [{"baseline_mb": 40, "peak_mb": 60}]},
              "torch": {"rounds": [{"baseline_mb": 300, "peak_mb": 340}]}}
    assert tables.memory_ratios(memory, "peak_mb") == [60 / 340]
    assert tables.memory_ratios(memory, "growth") == [0.5]


def test_read_total_takes_callgrinds_totals_line(tmp_path):
    out = tmp_path / "callgrind.out"
    out.write_text("version: 1\nevents: Ir\nfn=main\n1 5\nsummary: 1234\ntotals: 1234\n")
    assert instructions.read_total(out) == 1234
    (tmp_path / "empty.out").write_text("events: Ir\n")
    with pytest.raises(RuntimeError, match="no totals"):
        instructions.read_total(tmp_path / "empty.out")


def test_op_chain_gives_ours_and_the_numpy_floor_the_same_gradients():
    s = workloads.Sides(want=("ours", "numpy"))
    x, b, c, _ = workloads.chain_arrays(np, (3,))
    ag = s.ag
    bt, ct = ag.tensor(b, requires_grad=True), ag.tensor(c, requires_grad=True)
    y = ag.tensor(x)
    for _ in range(5):
        y = y * bt + ct
    y.backward(ag.tensor(np.ones(3, np.float32)))
    _, gb, gc = s.floor.chain(x, b, c, 5)
    np.testing.assert_allclose(bt.grad.numpy(), gb, rtol=1e-6)
    np.testing.assert_allclose(ct.grad.numpy(), gc, rtol=1e-6)
    run = workloads.op_chain(s, (1,), backward=True, links=3)
    assert run["torch"] is None
    run["ours"]()                              # the timed closure runs as built


def test_lenet_sides_start_from_the_same_weights_and_agree():
    s = workloads.Sides(want=("ours", "numpy"))
    diffs = workloads.lenet_agreement(s)
    assert set(diffs) == {"ours"} and diffs["ours"] < 1e-5


def test_bare_engine_computes_the_chains_gradients():
    # the reference point of bench/instructions.py --sides bare must be a real engine: on
    # y = ((x*b + c)*b + c)*b + c, dy/db = 3*x*b^2 + 2*c*b + c and dy/dc = b^2 + b + 1
    import bare_engine
    run = bare_engine.op_chain(3)
    run()
    b, c = run.leaves
    xv, bv, cv = 1.0, 0.5, 0.1
    assert b.grad.tolist() == pytest.approx([3 * xv * bv ** 2 + 2 * cv * bv + cv], rel=1e-6)
    assert c.grad.tolist() == pytest.approx([bv ** 2 + bv + 1], rel=1e-6)
