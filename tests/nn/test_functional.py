"""nn.functional: the functions the layers call, tested directly (values, gradients, errors)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn.functional as F
from autograd.errors import DTypeError, ShapeError
from autograd.testing import strategies as ats

RNG = np.random.default_rng(11)


def t64(*shape, requires_grad=True):
    return ag.tensor(RNG.uniform(-2, 2, shape), requires_grad=requires_grad)


def test_conv_and_pool_are_autograds_ops():
    import autograd.ops.conv as conv
    import autograd.ops.pool as pool
    assert F.conv2d is conv.conv2d and F.conv1d is conv.conv1d
    assert F.conv_transpose2d is conv.conv_transpose2d
    assert F.max_pool2d is pool.max_pool2d and F.avg_pool2d is pool.avg_pool2d
    assert F.adaptive_avg_pool2d is pool.adaptive_avg_pool2d


@given(lead=st.lists(st.integers(1, 3), max_size=2), fin=st.integers(1, 3),
       fout=st.integers(1, 3), bias=st.booleans())
def test_linear_property(lead, fin, fout, bias):
    x = ag.tensor(RNG.standard_normal(tuple(lead) + (fin,)), requires_grad=True)
    w = t64(fout, fin)
    b = t64(fout) if bias else None
    ref = x.numpy(force=True) @ w.numpy(force=True).T + (b.numpy(force=True) if bias else 0)
    assert np.allclose(F.linear(x, w, b).numpy(force=True), ref)
    args = (x, w, b) if bias else (x, w)
    ats.assert_gradients_hold(lambda *a: F.linear(*a), *args, second_order="fast")


def test_linear_errors():
    with pytest.raises(ShapeError, match="linear"):
        F.linear(ag.randn(2, 3), ag.randn(4, 2))
    with pytest.raises(ShapeError, match="bias"):
        F.linear(ag.randn(2, 3), ag.randn(4, 3), ag.randn(3))


def test_softmax_implicit_dim_and_dtype():
    x = t64(2, 3)
    assert np.allclose(F.softmax(x).numpy(force=True).sum(1), 1)           # dim None -> 1 for 2-D
    assert np.allclose(F.softmax(t64(3)).numpy(force=True).sum(), 1)
    assert F.log_softmax(ag.randn(2, 3), dim=1, dtype=np.float64).dtype == np.float64


def test_pad_and_flatten():
    x = t64(1, 2, 2)
    y = F.pad(x, (1, 0, 0, 2), value=5.0)
    assert y.shape == (1, 4, 3) and y.numpy(force=True)[0, 3, 0] == 5.0
    assert np.array_equal(y.numpy(force=True)[0, :2, 1:], x.numpy(force=True)[0])
    ats.assert_gradients_hold(lambda x: F.pad(x, (1, 1)), x)
    assert F.flatten(x).shape == (4,) and F.flatten(x, 1).shape == (1, 4)


def test_dropout_functional():
    x = ag.ones(1000)
    assert F.dropout(x, 0.5, training=False) is x
    rng = np.random.default_rng(0)
    out = F.dropout(x, 0.5, generator=rng)
    expected = (np.random.default_rng(0).random(1000) >= 0.5) * 2.0
    assert np.array_equal(out.numpy(force=True), expected)
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(x, -0.1)


def test_batch_norm_functional_without_running_stats_and_gradients():
    x = t64(4, 3)
    out = F.batch_norm(x, None, None, training=True)
    assert np.allclose(out.numpy(force=True), (x.numpy(force=True) - x.numpy(force=True).mean(0)) / np.sqrt(x.numpy(force=True).var(0) + 1e-5))
    w, b = t64(3), t64(3)
    ats.assert_gradients_hold(lambda x, w, b: F.batch_norm(x, None, None, w, b, True), x, w, b)
    rm, rv = ag.zeros(3, dtype=np.float64), ag.ones(3, dtype=np.float64)
    ats.assert_gradients_hold(lambda x, w, b: F.batch_norm(x, rm, rv, w, b, False), x, w, b)
    with pytest.raises(ShapeError, match=r"running_mean.*\(2,\)"):
        F.batch_norm(x, ag.zeros(2), ag.ones(2))


@given(n=st.integers(2, 4), c=st.integers(1, 3), hw=st.integers(1, 2))
def test_batch_norm_property(n, c, hw):
    x = ag.tensor(RNG.standard_normal((n, c, hw, hw)), requires_grad=True)
    out = F.batch_norm(x, None, None, training=True)
    mean = x.numpy(force=True).mean(axis=(0, 2, 3), keepdims=True)
    var = x.numpy(force=True).var(axis=(0, 2, 3), keepdims=True)
    assert np.allclose(out.numpy(force=True), (x.numpy(force=True) - mean) / np.sqrt(var + 1e-5))
    ats.assert_gradients_hold(lambda x: F.batch_norm(x, None, None, training=True), x,
                              fast_mode=True, second_order="fast")


def test_layer_norm_functional():
    x = t64(2, 2, 3)
    out = F.layer_norm(x, (2, 3))
    flat = x.numpy(force=True).reshape(2, -1)
    ref = (flat - flat.mean(1, keepdims=True)) / np.sqrt(flat.var(1, keepdims=True) + 1e-5)
    assert np.allclose(out.numpy(force=True), ref.reshape(2, 2, 3))
    ats.assert_gradients_hold(lambda x: F.layer_norm(x, 3), x)


def test_local_response_norm_needs_channels():
    with pytest.raises(ShapeError, match="local_response_norm"):
        F.local_response_norm(ag.randn(2, 3), 2)


def test_embedding_and_one_hot():
    w = t64(4, 2)
    idx = ag.tensor([3, 0, 3])
    assert np.array_equal(F.embedding(idx, w).numpy(force=True), w.numpy(force=True)[[3, 0, 3]])
    oh = F.one_hot(ag.tensor([0, 2, 1]))
    assert oh.dtype == np.int64 and np.array_equal(oh.numpy(force=True), np.eye(3, dtype=np.int64)[[0, 2, 1]])
    assert F.one_hot(ag.tensor([[1]]), num_classes=4).shape == (1, 1, 4)
    with pytest.raises(ValueError, match="one_hot"):
        F.one_hot(ag.tensor([4]), num_classes=3)
    with pytest.raises(DTypeError, match="one_hot"):
        F.one_hot(ag.tensor([1.0]))


def test_activations_forward_to_autograd():
    x = t64(3, 2)
    assert np.allclose(F.relu(x).numpy(force=True), np.maximum(x.numpy(force=True), 0))
    assert np.allclose(F.leaky_relu(x, 0.1).numpy(force=True), np.where(x.numpy(force=True) > 0, x.numpy(force=True), 0.1 * x.numpy(force=True)))
    assert np.allclose(F.sigmoid(x).numpy(force=True), 1 / (1 + np.exp(-x.numpy(force=True))))
    assert np.allclose(F.tanh(x).numpy(force=True), np.tanh(x.numpy(force=True)))


def test_batch_norm_eval_folded_path_matches_recorded_path():
    x = t64(3, 2, 2, 2)
    rm, rv = t64(2, requires_grad=False), ag.tensor(RNG.uniform(0.5, 2, 2))
    w, b = t64(2), t64(2)
    recorded = F.batch_norm(x, rm, rv, w, b, training=False)
    assert recorded.requires_grad
    with ag.no_grad():
        folded = F.batch_norm(x, rm, rv, w, b, training=False)
    shape = (1, 2, 1, 1)
    ref = (x.numpy(force=True) - rm.numpy(force=True).reshape(shape)) / np.sqrt(rv.numpy(force=True).reshape(shape) + 1e-5) \
        * w.numpy(force=True).reshape(shape) + b.numpy(force=True).reshape(shape)
    assert np.allclose(recorded.numpy(force=True), ref) and np.allclose(folded.numpy(force=True), ref)
    assert not folded.requires_grad
