"""nn.init: bounds and standard deviations of each scheme, fans, gains, reproducibility."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
from nn import init


def big(*shape):
    return nn.Parameter(ag.zeros(*shape))


def test_fan_in_and_fan_out():
    assert init._calculate_fan_in_and_fan_out(ag.zeros(3, 5)) == (5, 3)
    assert init._calculate_fan_in_and_fan_out(ag.zeros(6, 2, 5, 5)) == (50, 150)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init._calculate_fan_in_and_fan_out(ag.zeros(4))


def test_calculate_gain_table():
    assert init.calculate_gain("linear") == 1 and init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01 ** 2)))
    assert init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    with pytest.raises(ValueError, match="unsupported nonlinearity"):
        init.calculate_gain("swish")


def test_kaiming_uniform_bound_and_std():
    w = big(400, 100)
    init.kaiming_uniform_(w, nonlinearity="relu")
    bound = math.sqrt(2) * math.sqrt(3 / 100)
    assert np.abs(w.numpy(force=True)).max() <= bound and np.abs(w.numpy(force=True)).max() > 0.98 * bound
    assert w.numpy(force=True).std() == pytest.approx(bound / math.sqrt(3), rel=0.03)
    init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu")
    assert np.abs(w.numpy(force=True)).max() <= math.sqrt(2) * math.sqrt(3 / 400)


def test_linear_and_conv_default_init_is_one_over_sqrt_fan_in():
    # kaiming_uniform_(a=sqrt(5)) gives bound sqrt(6 / ((1 + 5) fan_in)) = 1/sqrt(fan_in)
    w = big(300, 50)
    init.kaiming_uniform_(w, a=math.sqrt(5))
    assert np.abs(w.numpy(force=True)).max() <= 1 / math.sqrt(50)
    assert np.abs(w.numpy(force=True)).max() > 0.98 / math.sqrt(50)


def test_kaiming_normal_and_xavier():
    w = big(500, 200)
    init.kaiming_normal_(w, nonlinearity="relu")
    assert w.numpy(force=True).std() == pytest.approx(math.sqrt(2 / 200), rel=0.03)
    assert abs(w.numpy(force=True).mean()) < 0.01
    init.xavier_uniform_(w)
    bound = math.sqrt(6 / 700)
    assert np.abs(w.numpy(force=True)).max() <= bound and w.numpy(force=True).std() == pytest.approx(bound / math.sqrt(3),
                                                                           rel=0.03)
    init.xavier_normal_(w, gain=2.0)
    assert w.numpy(force=True).std() == pytest.approx(2 * math.sqrt(2 / 700), rel=0.03)


def test_simple_fills():
    w = big(100, 100)
    init.uniform_(w, -0.5, 0.25)
    assert w.numpy(force=True).min() >= -0.5 and w.numpy(force=True).max() < 0.25
    init.normal_(w, 3.0, 0.5)
    assert w.numpy(force=True).mean() == pytest.approx(3.0, abs=0.02)
    assert w.numpy(force=True).std() == pytest.approx(0.5, rel=0.03)
    init.constant_(w, 0.3)
    assert np.all(w.numpy(force=True) == np.float32(0.3))
    init.zeros_(w)
    assert not w.numpy(force=True).any()
    init.ones_(w)
    assert np.all(w.numpy(force=True) == 1)
    init.trunc_normal_(w, std=1.0, a=-1.0, b=1.0)
    assert np.abs(w.numpy(force=True)).max() <= 1.0
    init.eye_(w)
    assert np.array_equal(w.numpy(force=True), np.eye(100))


def test_init_is_in_place_on_parameters_and_keeps_dtype():
    lin = nn.Linear(3, 3).double()
    data = lin.weight.numpy(force=True)
    init.normal_(lin.weight)
    assert lin.weight.numpy(force=True) is data and data.dtype == np.float64 and lin.weight.requires_grad


def test_reproducible_with_manual_seed_and_generator():
    ag.manual_seed(42)
    a = nn.Conv2d(3, 4, 3).weight.numpy(force=True).copy()
    ag.manual_seed(42)
    b = nn.Conv2d(3, 4, 3).weight.numpy(force=True).copy()
    c = nn.Conv2d(3, 4, 3).weight.numpy(force=True).copy()
    assert np.array_equal(a, b) and not np.array_equal(b, c)
    w1, w2 = big(4, 4), big(4, 4)
    init.normal_(w1, generator=np.random.default_rng(7))
    init.normal_(w2, generator=np.random.default_rng(7))
    assert np.array_equal(w1.numpy(force=True), w2.numpy(force=True))
