"""The slides' numbers (sections 1 and 2 of the reference), reproduced through the public API."""

import numpy as np
import pytest

import autograd as ag

# SLIDES section 2: the four-pixel neuron
INPUTS = [0.50, 0.00, -0.75, 0.75]
WEIGHTS = [-0.2, 0.0, 0.8, -0.5]


def test_four_pixel_weighted_sum():
    w = ag.tensor(WEIGHTS, requires_grad=True)
    s = (w * ag.tensor(INPUTS)).sum()
    assert s.item() == pytest.approx(-1.075, abs=1e-6)
    s.backward()
    # the weight rule: d(w a)/dw = a
    np.testing.assert_allclose(w.grad.numpy(), INPUTS, atol=1e-7)


def test_error_table_total():
    truth = ag.tensor([0.0, 0.0, 0.0, 1.0])
    answer = ag.tensor([0.5, 0.75, -0.25, -0.75])
    errors = (truth - answer).abs()
    np.testing.assert_allclose(errors.numpy(), [0.5, 0.75, 0.25, 1.75], atol=1e-6)
    assert errors.sum().item() == pytest.approx(3.25, abs=1e-6)


@pytest.mark.parametrize("a", [-3.0, -0.5, 0.0, 0.7, 4.0])
def test_sigmoid_rule(a):
    x = ag.tensor(a, requires_grad=True, dtype=np.float64)
    s = x.sigmoid()
    s.backward()
    sig = 1 / (1 + np.exp(-a))
    assert s.item() == pytest.approx(sig)
    assert x.grad.item() == pytest.approx(sig * (1 - sig))


@pytest.mark.parametrize("a, slope", [(-2.0, 0.0), (-1e-3, 0.0), (1e-3, 1.0), (3.0, 1.0)])
def test_relu_rule(a, slope):
    x = ag.tensor(a, requires_grad=True)
    x.relu().backward()
    assert x.grad.item() == slope


def test_half_squared_error_gradient():
    y = ag.tensor([0.8, -0.3], requires_grad=True, dtype=np.float64)
    t = ag.tensor([1.0, 0.5], dtype=np.float64)
    (0.5 * ((y - t) ** 2)).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), y.detach().numpy() - t.numpy())
