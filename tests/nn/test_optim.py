"""nn.optim: each optimizer's steps against its update formula written out in numpy (float64),
parameter groups, state_dict round trips, argument checking."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn.optim as optim
from autograd.tensor import Tensor

STEPS = 5


def _grads(shape, steps, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(shape) for _ in range(steps)]


def _run(make, p0, grads):
    """Apply the optimizer made by ``make([param])`` with the given gradient sequence."""
    p = Tensor(p0.copy(), requires_grad=True)
    opt = make([p])
    for g in grads:
        p.grad = Tensor(g)
        opt.step()
    return p, opt


# -- the reference formulas, written the textbook way ---------------------------------------
def ref_sgd(p, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False,
            maximize=False):
    p, buf = p.copy(), None
    for t, g in enumerate(grads):
        g = -g if maximize else g
        g = g + weight_decay * p
        if momentum:
            buf = g.copy() if t == 0 else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
    return p


def ref_adam(p, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
             decoupled=False):
    b1, b2 = betas
    p, m, v, vmax = p.copy(), 0 * p, 0 * p, 0 * p
    for t, g in enumerate(grads, start=1):
        if decoupled:
            p = p * (1 - lr * weight_decay)
        else:
            g = g + weight_decay * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        vmax = np.maximum(vmax, v)
        m_hat = m / (1 - b1 ** t)
        v_hat = (vmax if amsgrad else v) / (1 - b2 ** t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return p


def ref_rmsprop(p, grads, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                centered=False):
    p, s, a, b = p.copy(), 0 * p, 0 * p, 0 * p
    for g in grads:
        g = g + weight_decay * p
        s = alpha * s + (1 - alpha) * g * g
        a = alpha * a + (1 - alpha) * g
        denom = np.sqrt(s - a * a if centered else s) + eps
        if momentum:
            b = momentum * b + g / denom
            p = p - lr * b
        else:
            p = p - lr * g / denom
    return p


P0 = np.random.default_rng(42).standard_normal((3, 4))
GRADS = _grads((3, 4), STEPS)

SGD_CASES = [dict(lr=0.1), dict(lr=0.1, momentum=0.9), dict(lr=0.05, momentum=0.9, dampening=0.3),
             dict(lr=0.1, momentum=0.9, nesterov=True), dict(lr=0.1, weight_decay=0.1),
             dict(lr=0.1, momentum=0.5, weight_decay=0.01, nesterov=True),
             dict(lr=0.1, momentum=0.9, maximize=True)]


@pytest.mark.parametrize("kw", SGD_CASES)
def test_sgd_matches_formula(kw):
    p, _ = _run(lambda ps: optim.SGD(ps, **kw), P0, GRADS)
    np.testing.assert_allclose(p.numpy(force=True), ref_sgd(P0, GRADS, **kw), rtol=1e-12, atol=1e-14)


ADAM_CASES = [dict(lr=0.01), dict(lr=0.01, weight_decay=0.1), dict(lr=0.01, amsgrad=True),
              dict(lr=0.02, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.05, amsgrad=True)]


@pytest.mark.parametrize("kw", ADAM_CASES)
def test_adam_matches_formula(kw):
    p, _ = _run(lambda ps: optim.Adam(ps, **kw), P0, GRADS)
    np.testing.assert_allclose(p.numpy(force=True), ref_adam(P0, GRADS, **kw), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("kw", [dict(lr=0.01), dict(lr=0.01, weight_decay=0.3),
                                dict(lr=0.01, amsgrad=True, weight_decay=0.1)])
def test_adamw_matches_formula(kw):
    p, _ = _run(lambda ps: optim.AdamW(ps, **kw), P0, GRADS)
    expected = ref_adam(P0, GRADS, decoupled=True, **{"weight_decay": 1e-2, **kw})
    np.testing.assert_allclose(p.numpy(force=True), expected, rtol=1e-12, atol=1e-14)


def test_adamw_decay_differs_from_adam_l2():
    """Decoupled decay is not the L2 penalty: same weight_decay, different result."""
    a, _ = _run(lambda ps: optim.Adam(ps, lr=0.01, weight_decay=0.5), P0, GRADS)
    w, _ = _run(lambda ps: optim.AdamW(ps, lr=0.01, weight_decay=0.5), P0, GRADS)
    assert np.abs(a.numpy(force=True) - w.numpy(force=True)).max() > 1e-4


RMS_CASES = [dict(lr=0.01), dict(lr=0.01, centered=True), dict(lr=0.01, momentum=0.9),
             dict(lr=0.01, weight_decay=0.1), dict(lr=0.005, alpha=0.9, eps=1e-4, momentum=0.5,
                                                   centered=True, weight_decay=0.01)]


@pytest.mark.parametrize("kw", RMS_CASES)
def test_rmsprop_matches_formula(kw):
    p, _ = _run(lambda ps: optim.RMSprop(ps, **kw), P0, GRADS)
    np.testing.assert_allclose(p.numpy(force=True), ref_rmsprop(P0, GRADS, **kw), rtol=1e-12, atol=1e-14)


def test_defaults_are_pytorchs():
    p = [Tensor(np.zeros(2), requires_grad=True)]
    assert optim.SGD(p).defaults == dict(lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                                         nesterov=False, maximize=False)
    adam = optim.Adam(p).defaults
    assert (adam["lr"], adam["betas"], adam["eps"], adam["weight_decay"], adam["amsgrad"]) == \
        (1e-3, (0.9, 0.999), 1e-8, 0, False)
    assert optim.AdamW(p).defaults["weight_decay"] == 1e-2
    rms = optim.RMSprop(p).defaults
    assert (rms["lr"], rms["alpha"], rms["eps"], rms["weight_decay"], rms["momentum"],
            rms["centered"]) == (1e-2, 0.99, 1e-8, 0, 0, False)


@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3),
       lr=st.floats(1e-4, 1.0), momentum=st.floats(0.0, 0.99), nesterov=st.booleans(),
       weight_decay=st.floats(0.0, 0.1), seed=st.integers(0, 2 ** 16))
def test_sgd_property_over_shapes(shape, lr, momentum, nesterov, weight_decay, seed):
    nesterov = nesterov and momentum > 0
    p0 = np.random.default_rng(seed).standard_normal(shape)
    grads = _grads(tuple(shape), 3, seed + 1)
    kw = dict(lr=lr, momentum=momentum, nesterov=nesterov, weight_decay=weight_decay)
    p, _ = _run(lambda ps: optim.SGD(ps, **kw), p0, grads)
    np.testing.assert_allclose(p.numpy(force=True), ref_sgd(p0, grads, **kw), rtol=1e-10, atol=1e-12)


@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), lr=st.floats(1e-4, 0.1),
       b1=st.floats(0.0, 0.99), b2=st.floats(0.5, 0.9999), amsgrad=st.booleans(),
       seed=st.integers(0, 2 ** 16))
def test_adam_property_over_shapes(shape, lr, b1, b2, amsgrad, seed):
    p0 = np.random.default_rng(seed).standard_normal(shape)
    grads = _grads(tuple(shape), 3, seed + 1)
    kw = dict(lr=lr, betas=(b1, b2), amsgrad=amsgrad)
    p, _ = _run(lambda ps: optim.Adam(ps, **kw), p0, grads)
    np.testing.assert_allclose(p.numpy(force=True), ref_adam(p0, grads, **kw), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("make", [lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: optim.Adam(ps, lr=0.1),
                                  lambda ps: optim.AdamW(ps, lr=0.1),
                                  lambda ps: optim.RMSprop(ps, lr=0.01, centered=True)])
def test_float32_stays_float32_and_in_place(make):
    p = ag.randn(5, 3, requires_grad=True)
    data_before = p.numpy(force=True)
    saved = (p * 2.0).sum()                  # a graph that saved p before the step
    opt = make([p])
    p.grad = ag.randn(5, 3)
    opt.step()
    assert p.numpy(force=True) is data_before and p.dtype == np.float32       # updated in place
    with pytest.raises(ag.InplaceError):      # p's version counter moved: the old graph refuses
        saved.backward()
    for value in opt.state[p].values():
        if isinstance(value, Tensor):
            assert value.dtype == np.float32


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop])
def test_minimises_a_quadratic_through_backward(make):
    target = ag.tensor([1.0, -2.0, 3.0])
    w = ag.zeros(3, requires_grad=True)
    opt = make([w], lr=0.05)
    for _ in range(400):
        opt.zero_grad()
        loss = ((w - target) ** 2).sum()
        loss.backward()
        opt.step()
    tol = 0.1 if make is optim.AdamW else 0.02   # decoupled decay pulls slightly towards 0
    np.testing.assert_allclose(w.numpy(force=True), target.numpy(force=True), atol=tol)


def test_parameters_without_grad_are_skipped():
    a, b = ag.ones(2, requires_grad=True), ag.ones(2, requires_grad=True)
    for opt in (optim.SGD([a, b], lr=1, momentum=0.9, weight_decay=0.1), optim.Adam([a, b]),
                optim.RMSprop([a, b], momentum=0.5)):
        a.grad, b.grad = ag.ones(2), None
        before = b.numpy(force=True).copy()
        opt.step()
        np.testing.assert_array_equal(b.numpy(force=True), before)
        assert b not in opt.state
        np.testing.assert_array_equal(b.numpy(force=True), [1.0, 1.0])


def test_param_groups_have_their_own_hyperparameters():
    a, b = ag.ones(2, requires_grad=True), ag.ones(2, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.0)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0.0
    a.grad, b.grad = ag.ones(2), ag.ones(2)
    opt.step()
    np.testing.assert_allclose(a.numpy(force=True), 0.9)
    np.testing.assert_allclose(b.numpy(force=True), 0.5)
    c = ag.ones(1, requires_grad=True)
    opt.add_param_group({"params": [c], "lr": 2.0})
    c.grad = ag.ones(1)
    opt.step()
    np.testing.assert_allclose(c.numpy(force=True), -1.0)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})


def test_bad_arguments_raise():
    p = ag.ones(2, requires_grad=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(p)
    with pytest.raises(TypeError, match="set"):
        optim.SGD({p})
    with pytest.raises(ValueError, match="leaf"):
        optim.SGD([p * 2])
    with pytest.raises(TypeError, match="Tensors"):
        optim.Adam([np.ones(2)])
    with pytest.raises(ValueError, match="lr"):
        optim.SGD([p], lr=-1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([p], nesterov=True)
    with pytest.raises(ValueError, match="betas"):
        optim.Adam([p], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="alpha"):
        optim.RMSprop([p], alpha=-0.1)
    with pytest.raises(ValueError, match="twice|more than one"):
        optim.SGD([p, p])


def test_zero_grad():
    p = ag.ones(3, requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    p.grad = ag.ones(3)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad.numpy(force=True), 0)
    opt.zero_grad()
    assert p.grad is None


def test_step_closure_runs_with_grad_enabled_and_returns_loss():
    w = ag.tensor([2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.25)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with ag.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 4.0
    np.testing.assert_allclose(w.numpy(force=True), [1.0])          # 2 - 0.25 * 4


# -- state_dict -------------------------------------------------------------------------------
MAKERS = {"sgd": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
          "adam": lambda ps: optim.Adam(ps, lr=0.01, amsgrad=True),
          "adamw": lambda ps: optim.AdamW(ps, lr=0.01),
          "rmsprop": lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.9, centered=True)}


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_state_dict_round_trip_continues_bitwise(name):
    make = MAKERS[name]
    grads = _grads((4,), 8, seed=3)
    p = Tensor(np.arange(4.0, dtype=np.float32), requires_grad=True)
    q = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)   # never gets a grad
    opt = make([p, q])
    for g in grads[:4]:
        p.grad = Tensor(g.astype(np.float32))
        opt.step()
    sd = opt.state_dict()
    assert sorted(sd) == ["param_groups", "state"]
    assert sd["param_groups"][0]["params"] == [0, 1] and list(sd["state"]) == [0]
    # a fresh optimizer on a copy of the parameter, loaded from the state dict
    p2 = Tensor(p.numpy(force=True).copy(), requires_grad=True)
    q2 = Tensor(q.numpy(force=True).copy(), requires_grad=True)
    opt2 = make([p2, q2])
    opt2.param_groups[0]["lr"] = 123.0                 # overwritten by the load
    opt2.load_state_dict(sd)
    assert opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    assert opt2.param_groups[0]["params"][0] is p2
    for g in grads[4:]:
        p.grad = Tensor(g.astype(np.float32))
        p2.grad = Tensor(g.astype(np.float32))
        opt.step()
        opt2.step()
    np.testing.assert_array_equal(p.numpy(force=True), p2.numpy(force=True))


def test_state_dict_is_a_snapshot():
    p = ag.ones(2, requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = ag.ones(2)
    opt.step()
    sd = opt.state_dict()
    saved = sd["state"][0]["momentum_buffer"].numpy(force=True).copy()
    opt.step()
    np.testing.assert_array_equal(sd["state"][0]["momentum_buffer"].numpy(force=True), saved)


def test_load_state_dict_mismatch_raises_and_leaves_optimizer_unchanged():
    p = ag.ones(3, requires_grad=True)
    opt = optim.Adam([p], lr=0.5)
    p.grad = ag.ones(3)
    opt.step()
    before = opt.state_dict()
    other = optim.Adam([ag.ones(4, requires_grad=True)])
    other_param = other.param_groups[0]["params"][0]
    other_param.grad = ag.ones(4)
    other.step()
    with pytest.raises(ValueError, match="shape"):
        opt.load_state_dict(other.state_dict())
    two = optim.Adam([ag.ones(3, requires_grad=True), ag.ones(3, requires_grad=True)])
    with pytest.raises(ValueError, match="parameter group 0 has 2"):
        opt.load_state_dict(two.state_dict())
    with pytest.raises(ValueError, match="'state' and 'param_groups'"):
        opt.load_state_dict({"param_groups": []})
    after = opt.state_dict()
    assert after["param_groups"] == before["param_groups"]
    np.testing.assert_array_equal(after["state"][0]["exp_avg"].numpy(force=True),
                                  before["state"][0]["exp_avg"].numpy(force=True))


def test_load_state_dict_accepts_arrays_and_casts_to_param_dtype():
    p = ag.ones(2, requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    opt.load_state_dict({"state": {0: {"momentum_buffer": np.array([1.0, 2.0])}},
                         "param_groups": [dict(opt.param_groups[0], params=[0])]})
    buf = opt.state[p]["momentum_buffer"]
    assert isinstance(buf, Tensor) and buf.dtype == np.float32
    p.grad = ag.zeros(2)
    opt.step()
    np.testing.assert_allclose(p.numpy(force=True), 1 - 0.1 * 0.9 * np.array([1.0, 2.0]), rtol=1e-6)


def test_repr_lists_groups():
    text = repr(optim.Adam([ag.ones(1, requires_grad=True)], lr=0.5))
    assert text.startswith("Adam (") and "lr: 0.5" in text and "Parameter Group 0" in text


def test_adam_bias_correction_first_step_is_lr_sign():
    """At t=1 Adam moves every coordinate by ~lr against the gradient's sign (Kingma & Ba)."""
    p = Tensor(np.zeros(4), requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    p.grad = Tensor(np.array([3.0, -0.001, 50.0, -7.0]))
    opt.step()
    np.testing.assert_allclose(p.numpy(force=True), -0.1 * np.sign(p.grad.numpy(force=True)), rtol=1e-5)
    assert math.isclose(opt.state[p]["step"], 1)


@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), lr=st.floats(1e-4, 0.1),
       alpha=st.floats(0.5, 0.999), momentum=st.floats(0.0, 0.9), centered=st.booleans(),
       weight_decay=st.floats(0.0, 0.1), seed=st.integers(0, 2 ** 16))
def test_rmsprop_property_over_shapes(shape, lr, alpha, momentum, centered, weight_decay, seed):
    p0 = np.random.default_rng(seed).standard_normal(shape)
    grads = _grads(tuple(shape), 3, seed + 1)
    kw = dict(lr=lr, alpha=alpha, momentum=momentum, centered=centered,
              weight_decay=weight_decay)
    p, _ = _run(lambda ps: optim.RMSprop(ps, **kw), p0, grads)
    np.testing.assert_allclose(p.numpy(force=True), ref_rmsprop(p0, grads, **kw), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("cls", [optim.Adam, optim.AdamW, optim.RMSprop])
def test_maximize_is_descent_on_the_negated_gradient(cls):
    up, _ = _run(lambda ps: cls(ps, lr=0.01, maximize=True), P0, GRADS)
    down, _ = _run(lambda ps: cls(ps, lr=0.01), P0, [-g for g in GRADS])
    np.testing.assert_array_equal(up.numpy(force=True), down.numpy(force=True))


# -- Adadelta and Adagrad: PyTorch's numbers (torch 2.13, float64, three steps) --------------
TORCH_P0 = [0.5, -1.0, 2.0, 0.0]
TORCH_GRADS = [[0.1, -0.2, 0.3, 0.0], [-0.5, 0.4, 1.0, 2.0], [0.05, 0.0, -0.3, -1.0]]
TORCH_STEPS = [
    (optim.Adadelta, {}, [0.5005944985269328, -1.0008783721793364, 1.9943186159670103,
                          -0.0010771331364261157]),
    (optim.Adadelta, dict(lr=0.5, rho=0.8, eps=1e-3, weight_decay=0.1),
     [0.49847653107273315, -0.9864480349611712, 1.924695612073876, -0.010892319966773228]),
    (optim.Adadelta, dict(maximize=True), [0.4994055014730672, -0.9991216278206638,
                                           2.0056813840329895, 0.0010771331364261157]),
    (optim.Adagrad, {}, [0.49882990669222804, -0.9989442719129992, 1.98318346100548,
                         -0.005527864044700422]),
    (optim.Adagrad, dict(lr=0.1, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.2,
                         eps=1e-3),
     [0.5067330460576565, -0.9694591213592565, 1.8716341389958284, -0.04299652539880787]),
    (optim.Adagrad, dict(maximize=True), [0.501170093307772, -1.001055728087001,
                                          2.0168165389945196, 0.005527864044700422]),
]


@pytest.mark.parametrize("cls, kw, expected", TORCH_STEPS)
def test_adadelta_and_adagrad_match_pytorch(cls, kw, expected):
    p, _ = _run(lambda ps: cls(ps, **kw), np.array(TORCH_P0), [np.array(g) for g in TORCH_GRADS])
    np.testing.assert_allclose(p.detach().numpy(), expected, rtol=1e-13, atol=1e-15)


def ref_adadelta(p, grads, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    p, v, u = p.copy(), 0 * p, 0 * p
    for g in grads:
        g = g + weight_decay * p
        v = rho * v + (1 - rho) * g * g
        d = np.sqrt(u + eps) / np.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * d * d
        p = p - lr * d
    return p


def ref_adagrad(p, grads, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                eps=1e-10):
    p, s = p.copy(), np.full_like(p, initial_accumulator_value)
    for t, g in enumerate(grads, start=1):
        g = g + weight_decay * p
        s = s + g * g
        p = p - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(s) + eps)
    return p


@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), lr=st.floats(1e-3, 2.0),
       rho=st.floats(0.0, 0.99), weight_decay=st.floats(0.0, 0.1), seed=st.integers(0, 2 ** 16))
def test_adadelta_property_over_shapes(shape, lr, rho, weight_decay, seed):
    p0 = np.random.default_rng(seed).standard_normal(shape)
    grads = _grads(tuple(shape), STEPS, seed + 1)
    p, opt = _run(lambda ps: optim.Adadelta(ps, lr=lr, rho=rho, weight_decay=weight_decay), p0,
                  grads)
    np.testing.assert_allclose(p.detach().numpy(), ref_adadelta(p0, grads, lr, rho, 1e-6,
                                                                weight_decay), rtol=1e-10,
                               atol=1e-12)
    assert opt.state[p]["step"] == STEPS


@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), lr=st.floats(1e-3, 1.0),
       lr_decay=st.floats(0.0, 1.0), init=st.floats(0.0, 1.0), seed=st.integers(0, 2 ** 16))
def test_adagrad_property_over_shapes(shape, lr, lr_decay, init, seed):
    p0 = np.random.default_rng(seed).standard_normal(shape)
    grads = _grads(tuple(shape), STEPS, seed + 1)
    p, _ = _run(lambda ps: optim.Adagrad(ps, lr=lr, lr_decay=lr_decay,
                                         initial_accumulator_value=init), p0, grads)
    np.testing.assert_allclose(p.detach().numpy(), ref_adagrad(p0, grads, lr, lr_decay, 0.0,
                                                               init), rtol=1e-10, atol=1e-12)


def test_adadelta_adagrad_defaults_and_errors_are_pytorchs():
    p = [Tensor(np.zeros(2), requires_grad=True)]
    assert optim.Adadelta(p).defaults == dict(lr=1.0, rho=0.9, eps=1e-6, weight_decay=0,
                                              maximize=False)
    assert optim.Adagrad(p).defaults == dict(lr=1e-2, lr_decay=0, weight_decay=0,
                                             initial_accumulator_value=0, eps=1e-10,
                                             maximize=False)
    with pytest.raises(ValueError, match="rho"):
        optim.Adadelta(p, rho=1.5)
    with pytest.raises(ValueError, match="lr_decay"):
        optim.Adagrad(p, lr_decay=-1)
    with pytest.raises(ValueError, match="initial_accumulator_value"):
        optim.Adagrad(p, initial_accumulator_value=-0.1)


@pytest.mark.parametrize("name", ["Adadelta", "Adagrad"])
def test_adadelta_adagrad_state_dict_round_trip_continues_bitwise(name):
    cls = getattr(optim, name)
    grads = _grads((3,), 6, seed=3)
    a, opt_a = _run(lambda ps: cls(ps, lr=0.3), np.ones(3), grads[:3])
    b = Tensor(a.detach().numpy().copy(), requires_grad=True)
    opt_b = cls([b], lr=0.3)
    opt_b.load_state_dict(opt_a.state_dict())
    for g in grads[3:]:
        for p, o in ((a, opt_a), (b, opt_b)):
            p.grad = Tensor(g)
            o.step()
    assert np.array_equal(a.detach().numpy(), b.detach().numpy())
