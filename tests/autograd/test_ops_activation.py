"""Activations and the softmax family: forward against numpy, first and second derivatives,
properties over shapes and dims, and numerical stability at extreme inputs."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.testing import strategies as ats

rng = np.random.default_rng(7)


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def np_logsumexp(x, axis, keepdims=False):
    m = x.max(axis=axis, keepdims=True)
    out = np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


X = rng.standard_normal((3, 4)) * 2
X[np.abs(X) < 0.1] += 0.3          # relu / leaky_relu kinks


CASES = {
    "sigmoid": (ag.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
    "sigmoid_method": (lambda x: x.sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    "tanh": (ag.tanh, np.tanh),
    "relu": (ag.relu, lambda x: np.maximum(x, 0)),
    "leaky_relu": (ag.leaky_relu, lambda x: np.where(x > 0, x, 0.01 * x)),
    "leaky_relu_0.2": (lambda x: ag.leaky_relu(x, 0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    "softmax_1": (lambda x: ag.softmax(x, 1), lambda x: np_softmax(x, 1)),
    "softmax_0": (lambda x: x.softmax(0), lambda x: np_softmax(x, 0)),
    "softmax_-1": (lambda x: x.softmax(-1), lambda x: np_softmax(x, -1)),
    "log_softmax_1": (lambda x: ag.log_softmax(x, 1), lambda x: np.log(np_softmax(x, 1))),
    "log_softmax_-2": (lambda x: x.log_softmax(-2), lambda x: np.log(np_softmax(x, 0))),
    "logsumexp_1": (lambda x: ag.logsumexp(x, 1), lambda x: np_logsumexp(x, 1)),
    "logsumexp_0_keep": (lambda x: x.logsumexp(0, keepdim=True),
                         lambda x: np_logsumexp(x, 0, True)),
    "logsumexp_tuple": (lambda x: ag.logsumexp(x, (0, 1)), lambda x: np_logsumexp(x, (0, 1))),
    "logsumexp_tuple_keep": (lambda x: ag.logsumexp(x, (-1, 0), keepdim=True),
                             lambda x: np_logsumexp(x, (0, 1), True)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_forward_matches_numpy_and_derivatives_hold(name):
    fn, ref = CASES[name]
    x = leaf(X)
    out = fn(x)
    np.testing.assert_allclose(out.detach().numpy(), ref(X), rtol=1e-12, atol=1e-15)
    assert out.dtype == np.float64
    assert ats.assert_gradients_hold(fn, x)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "softmax_1", "log_softmax_1",
                                  "logsumexp_1"])
def test_float32_in_float32_out(name):
    fn, ref = CASES[name]
    x = ag.tensor(X.astype(np.float32), requires_grad=True)
    out = fn(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.detach().numpy(), ref(X), rtol=1e-5, atol=1e-6)
    out.sum().backward()
    assert x.grad.dtype == np.float32


def test_relu_and_leaky_relu_gradient_values():
    x = leaf([-2.0, 0.0, 3.0])
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 1.0])   # 0 at 0, as PyTorch
    y = leaf([-2.0, 0.0, 3.0])
    ag.leaky_relu(y, 0.1).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [0.1, 0.1, 1.0])


# -- numerical stability ---------------------------------------------------------------------
def test_sigmoid_at_plus_minus_1000_is_finite_with_vanishing_gradient():
    for dtype in (np.float32, np.float64):
        x = ag.tensor([-1000.0, 1000.0], dtype=dtype, requires_grad=True)
        s = x.sigmoid()
        np.testing.assert_array_equal(s.detach().numpy(), [0.0, 1.0])
        s.sum().backward()
        assert np.all(np.isfinite(x.grad.numpy()))
        np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0], atol=1e-30)


def test_log_softmax_of_extreme_values_is_finite_with_correct_gradients():
    x = leaf([1000.0, 0.0, -1000.0])
    out = x.log_softmax(0)
    np.testing.assert_allclose(out.detach().numpy(), [0.0, -1000.0, -2000.0])
    w = np.array([1.0, 2.0, 3.0])
    (out * ag.tensor(w)).sum().backward()
    # d/dx_i Σ_j w_j (x_j - lse(x)) = w_i - softmax_i Σ_j w_j; softmax = (1, 0, 0)
    np.testing.assert_allclose(x.grad.numpy(), w - np.array([1.0, 0.0, 0.0]) * w.sum())
    assert ag.gradcheck(lambda t: t.log_softmax(0), (leaf([1000.0, 0.0, -1000.0]),))


def test_logsumexp_of_large_values():
    x = leaf([[1000.0, 1000.0], [-1000.0, -1000.0]])
    out = x.logsumexp(1)
    np.testing.assert_allclose(out.detach().numpy(), [1000 + np.log(2), -1000 + np.log(2)])
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.full((2, 2), 0.5))
    assert ag.gradcheck(lambda t: t.logsumexp(1), (leaf([[800.0, 799.0], [-700.0, 0.0]]),))


def test_softmax_of_large_values_is_finite():
    x = leaf([[1000.0, 999.0, -1000.0]])
    s = x.softmax(1)
    assert np.all(np.isfinite(s.detach().numpy()))
    e = np.exp([1.0, 0.0])
    np.testing.assert_allclose(s.detach().numpy()[0, :2], e / e.sum())


@given(ats.tensors(ats.shapes(min_dims=1), min_value=-50.0, max_value=50.0), st.data())
def test_softmax_rows_sum_to_one_and_log_softmax_agrees(x, data):
    dim = data.draw(ats.single_dim(x.ndim))
    s = x.softmax(dim)
    np.testing.assert_allclose(s.detach().numpy().sum(axis=dim), 1.0, rtol=1e-12)
    assert np.all(s.detach().numpy() >= 0)
    np.testing.assert_allclose(x.log_softmax(dim).exp().detach().numpy(), s.detach().numpy(),
                               rtol=1e-9, atol=1e-300)
    # softmax is shift invariant
    np.testing.assert_allclose((x + 123.0).softmax(dim).detach().numpy(), s.detach().numpy(),
                               rtol=1e-9, atol=1e-300)


# -- hypothesis: derivatives over shapes and dims --------------------------------------------
test_sigmoid = ats.check_gradients(ag.sigmoid, ats.tensors())
test_tanh = ats.check_gradients(ag.tanh, ats.tensors())
test_relu = ats.check_gradients(ag.relu, ats.tensors(away_from=(0.0,)))
test_leaky_relu = ats.check_gradients(lambda x: ag.leaky_relu(x, 0.3),
                                      ats.tensors(away_from=(0.0,)))


def _with_dim(**kwargs):
    """An Args(tensor, dim) with one valid axis for softmax-like ops."""
    return ats.tensors(ats.shapes(min_dims=1), **kwargs).flatmap(
        lambda x: ats.single_dim(x.ndim).map(lambda d: ats.Args((x, d))))


test_softmax = ats.check_gradients(ag.softmax, _with_dim())
test_log_softmax = ats.check_gradients(ag.log_softmax, _with_dim())
test_logsumexp = ats.check_gradients(
    lambda x, dim, keep: ag.logsumexp(x, dim, keep),
    ats.tensor_and_dims(ats.shapes(min_dims=1), allow_none=False))


@given(ats.tensor_and_dims(ats.shapes(min_dims=1), allow_none=False))
def test_logsumexp_forward_matches_numpy_for_any_dims(args):
    x, dim, keep = args
    axis = dim if isinstance(dim, tuple) else (dim,)
    np.testing.assert_allclose(ag.logsumexp(x, dim, keep).detach().numpy(),
                               np_logsumexp(x.numpy(force=True), axis, keep), rtol=1e-12)
