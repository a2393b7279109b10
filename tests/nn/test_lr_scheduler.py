"""nn.optim.lr_scheduler: learning rates over epochs, ReduceLROnPlateau's rules, state dicts."""

import math

import numpy as np
import pytest

import autograd as ag
import nn.optim as optim
from nn.optim import lr_scheduler
from nn.serialization import load, save


def _opt(lr=1.0, groups=None):
    if groups:
        return optim.SGD([{"params": [ag.zeros(1, requires_grad=True)], "lr": g}
                          for g in groups], lr=lr)
    return optim.SGD([ag.zeros(1, requires_grad=True)], lr=lr)


def _trace(scheduler, epochs):
    lrs = []
    for _ in range(epochs):
        lrs.append(scheduler.get_last_lr()[0])
        scheduler.optimizer.step()
        scheduler.step()
    return lrs


def test_step_lr_values():
    sched = lr_scheduler.StepLR(_opt(0.5), step_size=3, gamma=0.1)
    expected = [0.5 * 0.1 ** (e // 3) for e in range(10)]
    np.testing.assert_allclose(_trace(sched, 10), expected, rtol=1e-12)


def test_step_lr_writes_into_every_group():
    opt = _opt(groups=[1.0, 0.2])
    sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    sched.step()
    sched.step()
    assert [g["lr"] for g in opt.param_groups] == pytest.approx([0.25, 0.05])
    assert sched.get_last_lr() == pytest.approx([0.25, 0.05])
    assert [g["initial_lr"] for g in opt.param_groups] == [1.0, 0.2]


def test_multistep_lr_values():
    sched = lr_scheduler.MultiStepLR(_opt(1.0), milestones=[2, 5, 5], gamma=0.1)
    expected = [1, 1, 0.1, 0.1, 0.1, 0.001, 0.001]
    np.testing.assert_allclose(_trace(sched, 7), expected, rtol=1e-12)


def test_exponential_lr_values():
    sched = lr_scheduler.ExponentialLR(_opt(2.0), gamma=0.5)
    np.testing.assert_allclose(_trace(sched, 5), [2, 1, 0.5, 0.25, 0.125], rtol=1e-12)


def test_cosine_annealing_values():
    sched = lr_scheduler.CosineAnnealingLR(_opt(1.0), T_max=4, eta_min=0.0)
    half = math.sqrt(2) / 4
    expected = [1.0, 0.5 + half, 0.5, 0.5 - half, 0.0, 0.5 - half, 0.5, 0.5 + half, 1.0]
    np.testing.assert_allclose(_trace(sched, 9), expected, atol=1e-12)


def test_cosine_matches_pytorchs_recursive_form():
    """PyTorch computes the cosine schedule recursively from the previous lr; same values."""
    base, eta_min, t_max = 0.3, 0.01, 7
    sched = lr_scheduler.CosineAnnealingLR(_opt(base), T_max=t_max, eta_min=eta_min)
    lrs = _trace(sched, 20)
    lr, expected = base, [base]
    for t in range(1, 20):
        if (t - 1 - t_max) % (2 * t_max) == 0:
            lr = lr + (base - eta_min) * (1 - math.cos(math.pi / t_max)) / 2
        else:
            lr = ((1 + math.cos(math.pi * t / t_max)) / (1 + math.cos(math.pi * (t - 1) / t_max))
                  * (lr - eta_min) + eta_min)
        expected.append(lr)
    np.testing.assert_allclose(lrs, expected, rtol=1e-9, atol=1e-12)


def test_resume_with_last_epoch_needs_initial_lr():
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.StepLR(_opt(), step_size=2, last_epoch=3)
    opt = _opt(1.0)
    opt.param_groups[0]["initial_lr"] = 1.0
    sched = lr_scheduler.StepLR(opt, step_size=2, gamma=0.1, last_epoch=3)
    assert sched.last_epoch == 4


def test_bad_arguments():
    with pytest.raises(TypeError, match="not an Optimizer"):
        lr_scheduler.StepLR(object(), step_size=1)
    with pytest.raises(ValueError, match="step_size"):
        lr_scheduler.StepLR(_opt(), step_size=0)
    with pytest.raises(ValueError, match="factor"):
        lr_scheduler.ReduceLROnPlateau(_opt(), factor=1.0)
    with pytest.raises(ValueError, match="mode"):
        lr_scheduler.ReduceLROnPlateau(_opt(), mode="up")
    with pytest.raises(ValueError, match="threshold_mode"):
        lr_scheduler.ReduceLROnPlateau(_opt(), threshold_mode="x")
    with pytest.raises(ValueError, match="min_lrs"):
        lr_scheduler.ReduceLROnPlateau(_opt(), min_lr=[0.1, 0.2])
    with pytest.raises(ValueError, match="T_max"):
        lr_scheduler.CosineAnnealingLR(_opt(), T_max=0)


# -- ReduceLROnPlateau ------------------------------------------------------------------------
def _plateau_trace(metrics, **kw):
    opt = _opt(1.0)
    sched = lr_scheduler.ReduceLROnPlateau(opt, **kw)
    out = []
    for m in metrics:
        sched.step(m)
        out.append(opt.param_groups[0]["lr"])
    return out, sched


def test_plateau_min_mode_waits_patience_epochs():
    # best 1.0 at epoch 1; epochs 2, 3 bad (patience 2 tolerates them); the 3rd bad one cuts.
    lrs, sched = _plateau_trace([1.0, 1.0, 1.2, 1.1, 0.5, 0.6], patience=2, factor=0.1)
    assert lrs == pytest.approx([1, 1, 1, 0.1, 0.1, 0.1])
    assert sched.best == 0.5 and sched.num_bad_epochs == 1


def test_plateau_max_mode_alexnet_recipe():
    """Validation accuracy stalls -> divide the learning rate by 10 (Krizhevsky et al.)."""
    accuracies = [0.50, 0.60, 0.65, 0.65, 0.64, 0.65, 0.70, 0.70, 0.70, 0.70]
    lrs, _ = _plateau_trace(accuracies, mode="max", patience=2, factor=0.1)
    assert lrs == pytest.approx([1, 1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1, 0.01])


def test_plateau_threshold_rel_and_abs():
    # rel: 0.995 is not below 1.0 * (1 - 0.01) -> bad epoch
    lrs, _ = _plateau_trace([1.0, 0.995, 0.994], patience=0, threshold=0.01)
    assert lrs == pytest.approx([1, 0.1, 0.01])
    # abs: 0.95 is below 1.0 - 0.01 -> improvement
    lrs, _ = _plateau_trace([1.0, 0.95, 0.949], patience=0, threshold=0.01, threshold_mode="abs")
    assert lrs == pytest.approx([1, 1, 0.1])


def test_plateau_cooldown_and_min_lr():
    metrics = [1.0] * 10
    lrs, _ = _plateau_trace(metrics, patience=0, cooldown=2, factor=0.5, min_lr=0.2)
    # cut at epoch 2, two cooldown epochs, cut at epoch 5, cooldown, then floor 0.2
    assert lrs == pytest.approx([1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2])


def test_plateau_eps_skips_tiny_changes():
    lrs, _ = _plateau_trace([1.0, 1.0, 1.0], patience=0, factor=0.5, min_lr=0.5 + 1e-10)
    assert lrs[-1] == pytest.approx(0.5 + 1e-10)
    opt = _opt(1e-9)
    sched = lr_scheduler.ReduceLROnPlateau(opt, patience=0, eps=1e-8)
    for m in (1.0, 1.0, 1.0):
        sched.step(m)
    assert opt.param_groups[0]["lr"] == 1e-9      # a change of < eps is not made


def test_plateau_accepts_tensor_metric():
    _, sched = _plateau_trace([ag.tensor(2.0), ag.tensor(1.0)], patience=5)
    assert sched.best == 1.0


# -- state dicts ------------------------------------------------------------------------------
def test_scheduler_state_dict_round_trip_through_checkpoint(tmp_path):
    opt = _opt(1.0)
    sched = lr_scheduler.MultiStepLR(opt, milestones=[3, 6], gamma=0.5)
    for _ in range(4):
        sched.step()
    save({"sched": sched.state_dict(), "opt": opt.state_dict()}, tmp_path / "s.npz")
    ck = load(tmp_path / "s.npz")
    opt2 = _opt(99.0)
    opt2.load_state_dict(ck["opt"])
    sched2 = lr_scheduler.MultiStepLR(opt2, milestones=[100])
    sched2.load_state_dict(ck["sched"])
    assert _trace(sched2, 5) == _trace(sched, 5)


def test_plateau_state_dict_round_trip_through_checkpoint(tmp_path):
    lrs, sched = _plateau_trace([0.3, 0.4, 0.4], mode="max", patience=1)
    state = sched.state_dict()
    assert "optimizer" not in state
    save(state, tmp_path / "p.npz")
    other = lr_scheduler.ReduceLROnPlateau(_opt(lrs[-1]), mode="max", patience=1)
    other.load_state_dict(load(tmp_path / "p.npz"))
    for m in (0.4, 0.4):
        sched.step(m)
        other.step(m)
    assert other.get_last_lr() == sched.get_last_lr() == pytest.approx([0.1])
    assert other.best == sched.best and other.last_epoch == 5
