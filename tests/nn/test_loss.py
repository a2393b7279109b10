"""Losses: each against its numpy formula (every reduction), gradcheck + gradgradcheck, stability
on huge logits, and clear errors for mis-shaped or mis-typed targets."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd.errors import DTypeError, ShapeError
from autograd.testing import strategies as ats

RNG = np.random.default_rng(7)


def t64(*shape, lo=-2.0, hi=2.0, requires_grad=True):
    return ag.tensor(RNG.uniform(lo, hi, shape), requires_grad=requires_grad)


def log_softmax_ref(x, axis=1):
    m = x.max(axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def reduce_ref(values, reduction):
    return {"mean": values.mean(), "sum": values.sum(), "none": values}[reduction]


REDUCTIONS = ["mean", "sum", "none"]


# -- regression losses ---------------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_and_l1_against_formula(reduction):
    x, t = t64(3, 4), t64(3, 4, requires_grad=False)
    assert np.allclose(nn.MSELoss(reduction=reduction)(x, t).numpy(force=True),
                       reduce_ref((x.numpy(force=True) - t.numpy(force=True)) ** 2, reduction))
    assert np.allclose(nn.L1Loss(reduction=reduction)(x, t).numpy(force=True),
                       reduce_ref(np.abs(x.numpy(force=True) - t.numpy(force=True)), reduction))
    ats.assert_gradients_hold(nn.MSELoss(reduction=reduction), x, t)
    ats.assert_gradients_hold(nn.L1Loss(reduction=reduction), x, t)


def test_half_squared_error_is_the_slides_error():
    y = ag.tensor([0.5, 0.75, -0.25, -0.75], requires_grad=True)
    t = ag.tensor([0.0, 0.0, 0.0, 1.0])
    loss = nn.HalfSquaredError()(y, t)
    assert loss.item() == pytest.approx(0.5 * (0.25 + 0.5625 + 0.0625 + 3.0625))
    loss.backward()
    assert np.allclose(y.grad.numpy(force=True), y.numpy(force=True) - t.numpy(force=True))          # dE/dy = y - t
    assert nn.HalfSquaredError(reduction="mean")(y, t).item() == pytest.approx(loss.item() / 4)
    ats.assert_gradients_hold(nn.HalfSquaredError(), t64(2, 3), t64(2, 3))


def test_regression_shape_errors_name_loss_and_shapes():
    with pytest.raises(ShapeError, match=r"mse_loss.*\(3, 4\).*\(4, 3\)"):
        F.mse_loss(ag.randn(3, 4), ag.randn(4, 3))
    with pytest.raises(ValueError, match="reduction"):
        nn.L1Loss(reduction="avg")


# -- cross-entropy and NLL -----------------------------------------------------------------
def ce_ref(x, t, weight=None, ignore_index=-100, reduction="mean"):
    logp = log_softmax_ref(x)
    w = np.ones(x.shape[1]) if weight is None else weight
    valid = t != ignore_index
    safe = np.where(valid, t, 0)
    picked = np.take_along_axis(logp, np.expand_dims(safe, 1), 1).squeeze(1)
    wt = w[safe] * valid
    losses = -picked * wt
    if reduction == "mean":
        return losses.sum() / wt.sum()
    return reduce_ref(losses, reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_against_formula(reduction):
    x, t = t64(5, 4), ag.tensor([0, 3, 1, 1, 2])
    assert np.allclose(F.cross_entropy(x, t, reduction=reduction).numpy(force=True),
                       ce_ref(x.numpy(force=True), t.numpy(force=True), reduction=reduction))
    ats.assert_gradients_hold(lambda x: F.cross_entropy(x, t, reduction=reduction), x)


def test_cross_entropy_weight_ignore_index_and_nll():
    x = t64(6, 3)
    t = ag.tensor([0, 2, -100, 1, 2, 0])
    w = ag.tensor([0.2, 1.0, 3.0], dtype=np.float64)
    loss = nn.CrossEntropyLoss(weight=w)(x, t)
    assert np.allclose(loss.numpy(force=True), ce_ref(x.numpy(force=True), t.numpy(force=True), w.numpy(force=True)))
    ats.assert_gradients_hold(lambda x: F.cross_entropy(x, t, weight=w), x)
    t5 = ag.tensor([0, 2, 5, 1, 5, 0])
    assert np.allclose(F.cross_entropy(x, t5, ignore_index=5, reduction="sum").numpy(force=True),
                       ce_ref(x.numpy(force=True), t5.numpy(force=True), ignore_index=5, reduction="sum"))
    logp = F.log_softmax(x, 1)
    assert np.allclose(nn.NLLLoss(weight=w)(logp, t).numpy(force=True), loss.numpy(force=True))
    ats.assert_gradients_hold(lambda lp: F.nll_loss(lp, t, reduction="none"), logp.detach()
                              .requires_grad_())


def test_cross_entropy_gradient_is_softmax_minus_onehot():
    x, t = t64(4, 3), ag.tensor([2, 0, 1, 1])
    F.cross_entropy(x, t).backward()
    p = np.exp(log_softmax_ref(x.numpy(force=True)))
    assert np.allclose(x.grad.numpy(force=True), (p - np.eye(3)[t.numpy(force=True)]) / 4)


def test_cross_entropy_stable_on_logits_of_1000():
    x = ag.tensor([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 1000.0]], dtype=np.float64,
                  requires_grad=True)
    t = ag.tensor([1, 0])
    loss = F.cross_entropy(x, t, reduction="none")
    assert np.allclose(loss.numpy(force=True), [1000.0, 1000.0 + np.log(2)])
    loss.sum().backward()
    assert np.all(np.isfinite(x.grad.numpy(force=True)))
    assert np.allclose(x.grad.numpy(force=True), [[1, -1, 0], [-1, 0.5, 0.5]])
    x32 = ag.tensor([[1000.0, -1000.0]], requires_grad=True)        # float32 too
    assert np.isfinite(F.cross_entropy(x32, ag.tensor([0])).item())


def test_cross_entropy_spatial_targets_and_1d():
    x = t64(2, 3, 2, 2)
    t = ag.tensor(RNG.integers(0, 3, (2, 2, 2)))
    ref = ce_ref(x.numpy(force=True).transpose(0, 2, 3, 1).reshape(-1, 3), t.numpy(force=True).reshape(-1))
    assert np.allclose(F.cross_entropy(x, t).numpy(force=True), ref)
    x1 = t64(4)
    assert np.allclose(F.cross_entropy(x1, ag.tensor(2)).numpy(force=True),
                       -log_softmax_ref(x1.numpy(force=True)[None])[0, 2])


def test_cross_entropy_probabilities_and_label_smoothing():
    x = t64(3, 4)
    probs = np.exp(log_softmax_ref(RNG.standard_normal((3, 4))))
    target = ag.tensor(probs)
    ref = -(probs * log_softmax_ref(x.numpy(force=True))).sum(1).mean()
    assert np.allclose(F.cross_entropy(x, target).numpy(force=True), ref)
    ats.assert_gradients_hold(lambda x: F.cross_entropy(x, target), x)
    t = ag.tensor([0, 3, 1])
    eps = 0.1
    smooth = np.full((3, 4), eps / 4) + (1 - eps) * np.eye(4)[t.numpy(force=True)]
    ref = -(smooth * log_softmax_ref(x.numpy(force=True))).sum(1).mean()
    assert np.allclose(F.cross_entropy(x, t, label_smoothing=eps).numpy(force=True), ref)
    ats.assert_gradients_hold(lambda x: F.cross_entropy(x, t, label_smoothing=eps), x)


@given(n=st.integers(1, 4), c=st.integers(2, 4), scale=st.floats(0.1, 50))
def test_cross_entropy_property(n, c, scale):
    x = ag.tensor(RNG.standard_normal((n, c)) * scale, requires_grad=True)
    t = ag.tensor(RNG.integers(0, c, n))
    loss = F.cross_entropy(x, t)
    assert np.allclose(loss.numpy(force=True), ce_ref(x.numpy(force=True), t.numpy(force=True))) and loss.item() >= 0
    ats.assert_gradients_hold(lambda x: F.cross_entropy(x, t), x, second_order="fast")


def test_cross_entropy_target_errors():
    x = ag.randn(4, 3)
    with pytest.raises(ShapeError, match=r"cross_entropy.*\(4, 3\).*\(4,\).*\(5,\)"):
        F.cross_entropy(x, ag.tensor([0, 1, 2, 0, 1]))
    with pytest.raises(DTypeError, match=r"cross_entropy.*int64.*\(4, 3\)"):
        F.cross_entropy(x, ag.tensor([0.0, 1.0, 2.0, 0.0]))
    with pytest.raises(DTypeError, match="cross_entropy"):
        F.cross_entropy(x, ag.tensor([0.0, 1.0, 2.0, 0.0]), label_smoothing=1.0)
    with pytest.raises(IndexError, match="target 3 is out of bounds for 3 classes"):
        nn.CrossEntropyLoss()(x, ag.tensor([0, 1, 3, 0]))
    with pytest.raises(ShapeError, match="nll_loss"):
        F.nll_loss(x, ag.tensor([[0, 1]]))


# -- binary cross-entropy ------------------------------------------------------------------
def bce_ref(p, t):
    return -(t * np.maximum(np.log(p), -100) + (1 - t) * np.maximum(np.log(1 - p), -100))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_against_formula(reduction):
    p, t = t64(3, 4, lo=0.05, hi=0.95), t64(3, 4, lo=0, hi=1)
    assert np.allclose(nn.BCELoss(reduction=reduction)(p, t).numpy(force=True),
                       reduce_ref(bce_ref(p.numpy(force=True), t.numpy(force=True)), reduction))
    ats.assert_gradients_hold(nn.BCELoss(reduction=reduction), p, t)


def test_bce_clamps_logs_and_checks_range():
    p = ag.tensor([0.0, 1.0, 0.5], dtype=np.float64, requires_grad=True)
    t = ag.tensor([1.0, 0.0, 1.0], dtype=np.float64)
    loss = F.binary_cross_entropy(p, t, reduction="none")
    assert np.allclose(loss.numpy(force=True), [100.0, 100.0, np.log(2)])
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad.numpy(force=True)))
    w = ag.tensor([1.0, 2.0, 3.0], dtype=np.float64)
    assert np.allclose(F.binary_cross_entropy(p, t, weight=w, reduction="sum").numpy(force=True),
                       (loss.numpy(force=True) * w.numpy(force=True)).sum())
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.binary_cross_entropy(ag.tensor([1.5]), ag.tensor([1.0]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_against_formula(reduction):
    x, t = t64(3, 4, lo=-4, hi=4), t64(3, 4, lo=0, hi=1)
    sig = 1 / (1 + np.exp(-x.numpy(force=True)))
    assert np.allclose(nn.BCEWithLogitsLoss(reduction=reduction)(x, t).numpy(force=True),
                       reduce_ref(bce_ref(sig, t.numpy(force=True)), reduction))
    ats.assert_gradients_hold(nn.BCEWithLogitsLoss(reduction=reduction), x, t)


def test_bce_with_logits_pos_weight_and_weight():
    x, t = t64(3, 2, lo=-3, hi=3), t64(3, 2, lo=0, hi=1)
    pw, w = t64(2, lo=0.5, hi=3), t64(3, 1, lo=0.5, hi=2, requires_grad=False)
    sig = 1 / (1 + np.exp(-x.numpy(force=True)))
    ref = -w.numpy(force=True) * (pw.numpy(force=True) * t.numpy(force=True) * np.log(sig) + (1 - t.numpy(force=True)) * np.log(1 - sig))
    loss = F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, reduction="none")
    assert np.allclose(loss.numpy(force=True), ref)
    ats.assert_gradients_hold(
        lambda x, t, pw: F.binary_cross_entropy_with_logits(x, t, pos_weight=pw), x, t, pw)


def test_bce_with_logits_stable_and_gradient_at_zero():
    x = ag.tensor([1000.0, -1000.0, 0.0, 30.0], dtype=np.float64, requires_grad=True)
    t = ag.tensor([0.0, 1.0, 1.0, 1.0], dtype=np.float64)
    loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    assert np.allclose(loss.numpy(force=True), [1000.0, 1000.0, np.log(2), np.log1p(np.exp(-30.0))])
    loss.sum().backward()
    assert np.allclose(x.grad.numpy(force=True), [1.0, -1.0, -0.5, 1 / (1 + np.exp(-30.0)) - 1])


def test_bce_with_logits_shape_error():
    with pytest.raises(ShapeError, match=r"binary_cross_entropy_with_logits.*\(4,\).*\(4, 1\)"):
        nn.BCEWithLogitsLoss()(ag.randn(4), ag.randn(4, 1))


def test_loss_reprs():
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"
    assert repr(nn.MSELoss()) == "MSELoss()"


@given(shape=ats.shapes(min_dims=1, max_dims=2), scale=st.floats(0.1, 20))
def test_binary_cross_entropy_properties(shape, scale):
    x = ag.tensor(RNG.standard_normal(shape) * scale, requires_grad=True)
    t = ag.tensor(RNG.uniform(0, 1, shape), requires_grad=True)
    logits_loss = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    sig = 1 / (1 + np.exp(-x.numpy(force=True)))
    assert np.all(np.isfinite(logits_loss.numpy(force=True)))
    ref = t.numpy(force=True) * np.logaddexp(0, -x.numpy(force=True)) + (1 - t.numpy(force=True)) * np.logaddexp(0, x.numpy(force=True))
    assert np.allclose(logits_loss.numpy(force=True), ref)
    ats.assert_gradients_hold(lambda x, t: F.binary_cross_entropy_with_logits(x, t), x, t,
                              second_order="fast")
    p = ag.tensor(np.clip(sig, 0.05, 0.95), requires_grad=True)
    assert np.allclose(F.binary_cross_entropy(p, t, reduction="sum").numpy(force=True),
                       bce_ref(p.numpy(force=True), t.numpy(force=True)).sum())
    ats.assert_gradients_hold(lambda p, t: F.binary_cross_entropy(p, t), p, t,
                              second_order="fast")


# -- smooth L1 and Huber: PyTorch's values and gradients (torch 2.13, float64) ---------------
ROBUST_X = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.5]
ROBUST_CASES = [
    (F.smooth_l1_loss, {}, [2.5, 0.5, 0.125, 0.0, 0.125, 0.5, 2.0],
     [-1.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.0]),
    (F.smooth_l1_loss, dict(beta=0.5), [2.75, 0.75, 0.25, 0.0, 0.25, 0.75, 2.25],
     [-1.0, -1.0, -1.0, 0.0, 1.0, 1.0, 1.0]),
    (F.smooth_l1_loss, dict(beta=0.0), [3.0, 1.0, 0.5, 0.0, 0.5, 1.0, 2.5],
     [-1.0, -1.0, -1.0, 0.0, 1.0, 1.0, 1.0]),
    (F.huber_loss, {}, [2.5, 0.5, 0.125, 0.0, 0.125, 0.5, 2.0],
     [-1.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.0]),
    (F.huber_loss, dict(delta=2.0), [4.0, 0.5, 0.125, 0.0, 0.125, 0.5, 3.0],
     [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]),
]


@pytest.mark.parametrize("fn, kw, values, grads", ROBUST_CASES)
def test_smooth_l1_and_huber_match_pytorch(fn, kw, values, grads):
    x = ag.tensor(ROBUST_X, dtype=np.float64, requires_grad=True)
    loss = fn(x, ag.zeros(7, dtype=np.float64), reduction="none", **kw)
    np.testing.assert_allclose(loss.detach().numpy(), values, rtol=1e-15)
    loss.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), grads, rtol=1e-15)
    mean = fn(x, ag.zeros(7, dtype=np.float64), **kw)
    assert mean.item() == pytest.approx(np.mean(values), rel=1e-14)


@given(args=ats.tensor_tuples(ats.broadcastable_shapes(1, min_dims=1),
                              away_from=(-2.0, -1.0, -0.5, 0.5, 1.0, 2.0)),
       beta=st.sampled_from([0.5, 1.0, 2.0]), reduction=st.sampled_from(["mean", "sum", "none"]))
def test_smooth_l1_and_huber_gradients(args, beta, reduction):
    (x,) = args
    t = ag.zeros(x.shape, dtype=np.float64)             # kinks at |x| = beta: kept away
    for fn, kw in ((F.smooth_l1_loss, dict(beta=beta)), (F.huber_loss, dict(delta=beta))):
        ats.assert_gradients_hold(lambda x: fn(x, t, reduction=reduction, **kw), x,
                                  second_order=False)
    # the quadratic part is twice differentiable everywhere away from |d| = beta
    ats.assert_gradients_hold(lambda x: F.huber_loss(x * 0.01, t, reduction=reduction), x)


def test_smooth_l1_and_huber_modules_and_errors():
    x, t = ag.tensor([0.2, 3.0]), ag.tensor([0.0, 0.0])
    assert repr(nn.SmoothL1Loss()) == "SmoothL1Loss()" and nn.SmoothL1Loss(beta=0.5).beta == 0.5
    assert nn.SmoothL1Loss(reduction="sum", beta=0.5)(x, t).item() == pytest.approx(0.04 + 2.75)
    assert nn.HuberLoss(delta=2.0)(x, t).item() == pytest.approx((0.02 + 4.0) / 2)
    with pytest.raises(ValueError, match="negative values for beta"):
        F.smooth_l1_loss(x, t, beta=-1)
    with pytest.raises(ValueError, match="non-positive values for delta"):
        F.huber_loss(x, t, delta=0)
    with pytest.raises(ShapeError, match=r"smooth_l1_loss.*\(2,\).*\(3,\)"):
        F.smooth_l1_loss(x, ag.zeros(3))
