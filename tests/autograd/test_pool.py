"""max_pool2d / max_pool1d / avg_pool2d / adaptive_avg_pool2d: forward against naive loop
references (hypothesis draws the geometry), where max pooling's gradient goes (the first
maximum of each window), gradcheck and gradgradcheck, and the error contract."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.errors import ShapeError

F64 = np.float64


# -- naive references ----------------------------------------------------------------------
def _out_size(n, k, s, p, d, ceil_mode):
    span = n + 2 * p - d * (k - 1) - 1
    out = (math.ceil(span / s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= n + p:     # last window must start inside input/left pad
        out -= 1
    return out


def ref_max_pool2d(x, k, s, p, d, ceil_mode):
    """Values and flattened argmax (first maximum in row-major order) by looping."""
    n, c, h, w = x.shape
    oh = _out_size(h, k[0], s[0], p[0], d[0], ceil_mode)
    ow = _out_size(w, k[1], s[1], p[1], d[1], ceil_mode)
    vals = np.full((n, c, oh, ow), -np.inf)
    idx = np.zeros((n, c, oh, ow), dtype=np.int64)
    for b in range(n):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    for a in range(k[0]):
                        for e in range(k[1]):
                            r, q = i * s[0] - p[0] + a * d[0], j * s[1] - p[1] + e * d[1]
                            if 0 <= r < h and 0 <= q < w and x[b, ch, r, q] > vals[b, ch, i, j]:
                                vals[b, ch, i, j] = x[b, ch, r, q]
                                idx[b, ch, i, j] = r * w + q
    return vals, idx


def ref_avg_pool2d(x, k, s, p, ceil_mode, count_include_pad):
    n, c, h, w = x.shape
    oh = _out_size(h, k[0], s[0], p[0], 1, ceil_mode)
    ow = _out_size(w, k[1], s[1], p[1], 1, ceil_mode)
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, q0 = i * s[0] - p[0], j * s[1] - p[1]
            r1, q1 = min(r0 + k[0], h + p[0]), min(q0 + k[1], w + p[1])  # clip to padded input
            pool = (r1 - r0) * (q1 - q0)
            r0c, q0c, r1c, q1c = max(r0, 0), max(q0, 0), min(r1, h), min(q1, w)
            total = x[:, :, r0c:r1c, q0c:q1c].sum(axis=(2, 3))
            out[:, :, i, j] = total / (pool if count_include_pad else (r1c - r0c) * (q1c - q0c))
    return out


def ref_adaptive_avg_pool2d(x, out_hw):
    n, c, h, w = x.shape
    out = np.zeros((n, c) + out_hw)
    for i in range(out_hw[0]):
        for j in range(out_hw[1]):
            r0, r1 = (i * h) // out_hw[0], math.ceil((i + 1) * h / out_hw[0])
            q0, q1 = (j * w) // out_hw[1], math.ceil((j + 1) * w / out_hw[1])
            out[:, :, i, j] = x[:, :, r0:r1, q0:q1].mean(axis=(2, 3))
    return out


# -- hypothesis geometry -------------------------------------------------------------------
@st.composite
def pool_cases(draw, dilation=True):
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    p = tuple(draw(st.integers(0, ki // 2)) for ki in k)
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if dilation else (1, 1)
    size = tuple(draw(st.integers(max(1, di * (ki - 1) + 1 - 2 * pi), 7))
                 for ki, di, pi in zip(k, d, p))
    ceil_mode = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    # small integers: plenty of ties, to check the first-maximum rule
    x = rng.integers(-3, 4, size=(2, 2) + size).astype(F64)
    return x, k, s, p, d, ceil_mode


def _all_padding_window(x, k, s, p, d, ceil_mode):
    """True when some window lies wholly in the padding (possible with dilation): PyTorch
    reports an arbitrary index there, so the index comparison skips such cases."""
    for n, ki, si, pi, di in zip(x.shape[2:], k, s, p, d):
        o = _out_size(n, ki, si, pi, di, ceil_mode)
        for i in range(o):
            taps = [i * si - pi + a * di for a in range(ki)]
            if not any(0 <= t < n for t in taps):
                return True
    return False


@given(pool_cases())
def test_max_pool2d_matches_loop_reference_with_first_max_indices(case):
    x, k, s, p, d, ceil_mode = case
    out, idx = ag.max_pool2d(ag.tensor(x), k, s, p, d, ceil_mode, return_indices=True)
    vals, ref_idx = ref_max_pool2d(x, k, s, p, d, ceil_mode)
    np.testing.assert_array_equal(out.numpy(), vals)
    assert idx.dtype == np.int64
    if not _all_padding_window(x, k, s, p, d, ceil_mode):
        np.testing.assert_array_equal(idx.numpy(), ref_idx)


@given(pool_cases())
def test_max_pool2d_gradient_goes_to_the_first_maximum(case):
    x, k, s, p, d, ceil_mode = case
    xt = ag.tensor(x, requires_grad=True)
    out, idx = ag.max_pool2d(xt, k, s, p, d, ceil_mode, return_indices=True)
    g = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(ag.tensor(g))
    expected = np.zeros(x.shape).reshape(2, 2, -1)
    flat_idx, flat_g = idx.numpy().reshape(2, 2, -1), g.reshape(2, 2, -1)
    for b in range(2):
        for c in range(2):
            for i, gi in zip(flat_idx[b, c], flat_g[b, c]):
                if 0 <= i < expected.shape[2]:
                    expected[b, c, i] += gi
    if not _all_padding_window(x, k, s, p, d, ceil_mode):
        np.testing.assert_allclose(xt.grad.numpy(), expected.reshape(x.shape), atol=1e-12)


@given(pool_cases(dilation=False), st.booleans())
def test_avg_pool2d_matches_loop_reference(case, count_include_pad):
    x, k, s, p, _, ceil_mode = case
    out = ag.avg_pool2d(ag.tensor(x), k, s, p, ceil_mode, count_include_pad)
    ref = ref_avg_pool2d(x, k, s, p, ceil_mode, count_include_pad)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-12)


@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 5), st.integers(1, 5))
def test_adaptive_avg_pool2d_matches_loop_reference(h, w, oh, ow):
    x = np.random.default_rng(h * 10 + w).standard_normal((2, 3, h, w))
    out = ag.adaptive_avg_pool2d(ag.tensor(x), (oh, ow))
    np.testing.assert_allclose(out.numpy(), ref_adaptive_avg_pool2d(x, (oh, ow)), atol=1e-12)


def test_global_average_pooling():
    x = np.random.default_rng(0).standard_normal((2, 5, 7, 7))
    out = ag.adaptive_avg_pool2d(ag.tensor(x), 1)
    assert out.shape == (2, 5, 1, 1)
    np.testing.assert_allclose(out.numpy()[..., 0, 0], x.mean(axis=(2, 3)), atol=1e-12)
    assert ag.adaptive_avg_pool2d(ag.tensor(x), (None, 3)).shape == (2, 5, 7, 3)


def test_max_pool1d_and_avg_pool1d():
    x = np.random.default_rng(0).standard_normal((2, 3, 9))
    out, idx = ag.max_pool1d(ag.tensor(x), 3, 2, 1, return_indices=True)
    vals, ref_idx = ref_max_pool2d(x[:, :, None], (1, 3), (1, 2), (0, 1), (1, 1), False)
    np.testing.assert_array_equal(out.numpy(), vals[:, :, 0])
    np.testing.assert_array_equal(idx.numpy(), ref_idx[:, :, 0])   # positions along L
    avg = ag.avg_pool1d(ag.tensor(x), 3, 2, 1)
    np.testing.assert_allclose(avg.numpy(), ref_avg_pool2d(x[:, :, None], (1, 3), (1, 2),
                                                           (0, 1), False, True)[:, :, 0])
    assert ag.adaptive_avg_pool1d(ag.tensor(x), 4).shape == (2, 3, 4)


def test_ties_pick_the_first_maximum():
    x = ag.tensor([[[[5.0, 5.0], [5.0, 5.0]]]], requires_grad=True)
    out, idx = ag.max_pool2d(x, 2, return_indices=True)
    out.sum().backward()
    assert idx.numpy().item() == 0
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], [[1, 0], [0, 0]])


def test_nan_propagates_as_the_maximum():
    x = ag.tensor([[[[1.0, np.nan], [3.0, 2.0]]]])
    out, idx = ag.max_pool2d(x, 2, return_indices=True)
    assert np.isnan(out.numpy().item()) and idx.numpy().item() == 1


def test_overlapping_windows_accumulate_gradient():
    # 3x3 windows at stride 1 over a plane whose centre is the largest: every window picks it
    x = np.zeros((1, 1, 5, 5))
    x[0, 0, 2, 2] = 9.0
    xt = ag.tensor(x, requires_grad=True)
    ag.max_pool2d(xt, 3, 1).sum().backward()
    assert xt.grad.numpy()[0, 0, 2, 2] == 9      # 3x3 outputs, all choose the centre
    assert xt.grad.numpy().sum() == 9


def test_float32_stays_float32():
    x = ag.randn(2, 3, 8, 8, requires_grad=True)
    for fn in (lambda t: ag.max_pool2d(t, 2), lambda t: ag.avg_pool2d(t, 3, 2, 1),
               lambda t: ag.adaptive_avg_pool2d(t, 3)):
        out = fn(x)
        assert out.dtype == np.float32
        x.grad = None
        out.sum().backward()
        assert x.grad.dtype == np.float32


# -- gradients -----------------------------------------------------------------------------
def _distinct(shape, seed=0):
    """Values at least 0.01 apart, so the central difference never crosses a tie."""
    rng = np.random.default_rng(seed)
    values = rng.permutation(np.prod(shape)).reshape(shape) * 0.01
    return ag.tensor(values, dtype=F64, requires_grad=True)


@pytest.mark.parametrize("args", [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=(2, 3), stride=1, dilation=(2, 1)),
])
def test_max_pool2d_gradcheck_and_gradgradcheck(args):
    x = _distinct((2, 2, 5, 6))
    fn = lambda x: ag.max_pool2d(x, **args)  # noqa: E731
    assert ag.gradcheck(fn, (x,), eps=1e-4)
    assert ag.gradgradcheck(fn, (x,), eps=1e-4)


def test_max_pool1d_gradcheck():
    x = _distinct((2, 3, 7))
    fn = lambda x: ag.max_pool1d(x, 3, 2, 1, ceil_mode=True)  # noqa: E731
    assert ag.gradcheck(fn, (x,), eps=1e-4)
    assert ag.gradgradcheck(fn, (x,), eps=1e-4)


@pytest.mark.parametrize("args", [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=(3, 2), stride=(1, 2), padding=(1, 0), ceil_mode=True),
])
def test_avg_pool2d_gradcheck_and_gradgradcheck(args):
    x = ag.tensor(np.random.default_rng(1).standard_normal((2, 2, 5, 6)), requires_grad=True)
    fn = lambda x: ag.avg_pool2d(x, **args)  # noqa: E731
    assert ag.gradcheck(fn, (x,))
    assert ag.gradgradcheck(fn, (x,))


@pytest.mark.parametrize("size", [1, (2, 3), (4, 5)])
def test_adaptive_avg_pool2d_gradcheck_and_gradgradcheck(size):
    x = ag.tensor(np.random.default_rng(2).standard_normal((2, 2, 5, 7)), requires_grad=True)
    fn = lambda x: ag.adaptive_avg_pool2d(x, size)  # noqa: E731
    assert ag.gradcheck(fn, (x,))
    assert ag.gradgradcheck(fn, (x,))


def test_max_pool_double_backward_through_conv():
    """d/dw of a gradient norm through conv -> max pool (the gather/scatter pair)."""
    rng = np.random.default_rng(3)
    x = ag.tensor(rng.standard_normal((1, 2, 6, 6)), requires_grad=True)
    w = ag.tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    fn = lambda x, w: ag.max_pool2d(ag.conv2d(x, w, padding=1), 2)  # noqa: E731
    assert ag.gradgradcheck(fn, (x, w), eps=1e-6, fast_mode=True)


# -- errors --------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, words", [
    # 3-D inputs are unbatched planes, as in PyTorch; 2-D ones are refused
    (lambda: ag.max_pool2d(ag.zeros(5, 5), 2), ShapeError, ["max_pool2d", "4-D", "(5, 5)"]),
    (lambda: ag.max_pool2d(ag.zeros(1, 1, 5, 5), 3, padding=2), ValueError,
     ["half", "padding"]),
    (lambda: ag.max_pool2d(ag.zeros(1, 1, 5, 5), 2, stride=0), ValueError, ["stride"]),
    (lambda: ag.max_pool2d(ag.zeros(1, 1, 5, 5), 2, dilation=0), ValueError, ["dilation"]),
    (lambda: ag.max_pool2d(ag.zeros(1, 1, 5, 5), 0), ValueError, ["kernel_size"]),
    (lambda: ag.max_pool2d(ag.zeros(1, 1, 5, 5), 2, padding=-1), ValueError, ["padding"]),
    (lambda: ag.max_pool2d(ag.zeros(1, 1, 2, 2), 3), ShapeError, ["too small", "(2, 2)"]),
    (lambda: ag.max_pool1d(ag.zeros(1, 1, 5, 5), 2), ShapeError, ["max_pool1d", "3-D"]),
    (lambda: ag.max_pool1d(ag.zeros(1, 1, 5), 2, padding=2), ValueError,
     ["max_pool1d", "half"]),
    (lambda: ag.avg_pool2d(ag.zeros(5, 5), 2), ShapeError, ["avg_pool2d", "4-D"]),
    (lambda: ag.avg_pool2d(ag.zeros(1, 1, 5, 5), 2, padding=2), ValueError, ["half"]),
    (lambda: ag.adaptive_avg_pool2d(ag.zeros(5, 5), 2), ShapeError, ["4-D"]),
    # torch 2.13.0: output_size 0 gives an empty output; -1 is refused
    (lambda: ag.adaptive_avg_pool2d(ag.zeros(1, 1, 5, 5), -1), ValueError, ["output_size"]),
])
def test_errors_name_the_op_and_values(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("kernel, stride", [(2, 2), (3, 1)])
def test_infinite_upstream_gradient_reaches_only_the_maximum(kernel, stride):
    x = ag.tensor(np.arange(16.0).reshape(1, 1, 4, 4), requires_grad=True)
    out = ag.max_pool2d(x, kernel, stride)
    g = np.zeros(out.shape)
    g[0, 0, 0, 0] = np.inf
    out.backward(ag.tensor(g))
    grad = x.grad.numpy()
    assert not np.isnan(grad).any()
    assert np.isinf(grad).sum() == 1 and (grad[np.isfinite(grad)] == 0).all()


def test_empty_batch():
    x = ag.zeros(0, 3, 8, 8, dtype=F64, requires_grad=True)
    for fn in (lambda t: ag.max_pool2d(t, 2), lambda t: ag.avg_pool2d(t, 2),
               lambda t: ag.adaptive_avg_pool2d(t, 3)):
        assert fn(x).shape[:2] == (0, 3)
        assert ag.gradgradcheck(fn, (x,))


def test_avg_pool2d_divisor_override():
    x = np.random.default_rng(5).standard_normal((1, 2, 4, 4))
    out = ag.avg_pool2d(ag.tensor(x), 2, divisor_override=3)
    sums = x.reshape(1, 2, 2, 2, 2, 2).sum(axis=(3, 5))
    np.testing.assert_allclose(out.numpy(), sums / 3, atol=1e-12)


@pytest.mark.parametrize("kron_max", [0, 2**20])
def test_adaptive_avg_pool2d_both_paths(kron_max, monkeypatch):
    """One GEMM with kron(A_h, A_w) for small planes, two matmuls otherwise: same result."""
    from autograd.ops import pool as pool_ops
    monkeypatch.setattr(pool_ops, "KRON_MAX", kron_max)
    x = ag.tensor(np.random.default_rng(4).standard_normal((2, 3, 6, 5)), requires_grad=True)
    np.testing.assert_allclose(ag.adaptive_avg_pool2d(x, (4, 3)).detach().numpy(),
                               ref_adaptive_avg_pool2d(x.detach().numpy(), (4, 3)), atol=1e-12)
    for size in [(4, 3), 1]:
        assert ag.gradgradcheck(lambda x: ag.adaptive_avg_pool2d(x, size), (x,))


@pytest.mark.parametrize("fn", [lambda x: ag.avg_pool1d(x, 3, 2, 1, ceil_mode=True),
                                lambda x: ag.adaptive_avg_pool1d(x, 3)])
def test_1d_average_pools_gradcheck_and_gradgradcheck(fn):
    x = ag.tensor(np.random.default_rng(6).standard_normal((2, 3, 8)), requires_grad=True)
    assert ag.gradcheck(fn, (x,))
    assert ag.gradgradcheck(fn, (x,))


# -- the batch split over the thread pool --------------------------------------------------
from autograd import _parallel  # noqa: E402


@pytest.mark.parametrize("threads", [1, 2])
@given(pool_cases(), st.integers(1, 5))
def test_pools_split_over_threads_match_the_reference(threads, case, n):
    """max/avg pooling forward and backward with the batch split over the pool (every pass
    splits: MIN_SHARE = 1): values, indices and gradients as the loop reference; batch 1-5."""
    x, k, s, p, d, ceil_mode = case
    x = np.concatenate([x] * 3)[:n]
    saved_share, _parallel.MIN_SHARE = _parallel.MIN_SHARE, 1
    try:
        with _parallel.threads(threads):
            xt = ag.tensor(x, requires_grad=True)
            out, idx = ag.max_pool2d(xt, k, s, p, d, ceil_mode, return_indices=True)
            out.sum().backward()
            avg = ag.avg_pool2d(ag.tensor(x), k, s, p, ceil_mode) if d == (1, 1) else None
    finally:
        _parallel.MIN_SHARE = saved_share
    vals, ref_idx = ref_max_pool2d(x, k, s, p, d, ceil_mode)
    np.testing.assert_array_equal(out.detach().numpy(), vals)
    if not _all_padding_window(x, k, s, p, d, ceil_mode):
        np.testing.assert_array_equal(idx.numpy(), ref_idx)
        counts = np.zeros(x.size // n * n)
        flat = (ref_idx + np.arange(x.shape[0] * x.shape[1]).reshape(x.shape[:2] + (1, 1))
                * x.shape[2] * x.shape[3])
        np.add.at(counts, flat.ravel(), 1)
        np.testing.assert_array_equal(xt.grad.numpy().ravel(), counts)
    if avg is not None:
        np.testing.assert_allclose(avg.numpy(), ref_avg_pool2d(x, k, s, p, ceil_mode, True),
                                   atol=1e-12)
