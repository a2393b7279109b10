"""conv2d / conv1d / conv_transpose2d: forward against naive loop references (hypothesis draws
the geometry), gradients and second derivatives by gradcheck, the adjoint identities the
backward rules rely on, dtypes, and the error contract."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import _windows as win
from autograd.errors import DTypeError, ShapeError
from autograd.ops.conv import Conv2dWeight

F64 = np.float64


# -- naive references (loops are fine here) ------------------------------------------------
def ref_conv2d(x, w, b, stride, padding, dilation, groups):
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    og = o // groups
    out = np.zeros((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            for oc in range(o):
                g = oc // og
                patch = xp[:, g * cg:(g + 1) * cg,
                           i * sh:i * sh + dh * (kh - 1) + 1:dh,
                           j * sw:j * sw + dw * (kw - 1) + 1:dw]
                out[:, oc, i, j] = (patch * w[oc]).sum(axis=(1, 2, 3))
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def ref_conv_transpose2d(x, w, b, stride, padding, output_padding, groups, dilation):
    """Scatter each input pixel times its filter into the output (the textbook definition)."""
    (sh, sw), (ph, pw), (qh, qw), (dh, dw) = stride, padding, output_padding, dilation
    n, cin, h, wd = x.shape
    _, og, kh, kw = w.shape
    cg = cin // groups
    full_h = (h - 1) * sh + dh * (kh - 1) + 1 + qh
    full_w = (wd - 1) * sw + dw * (kw - 1) + 1 + qw
    out = np.zeros((n, og * groups, full_h, full_w))
    for i in range(h):
        for j in range(wd):
            for ci in range(cin):
                g = ci // cg
                contrib = x[:, ci, i, j][:, None, None, None] * w[ci][None]
                out[:, g * og:(g + 1) * og,
                    i * sh:i * sh + dh * (kh - 1) + 1:dh,
                    j * sw:j * sw + dw * (kw - 1) + 1:dw] += contrib
    out = out[:, :, ph:full_h - ph, pw:full_w - pw]
    if b is not None:
        out = out + b.reshape(1, -1, 1, 1)
    return out


def ref_conv1d(x, w, b, stride, padding, dilation):
    n, c, length = x.shape
    o, _, k = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    out_len = (length + 2 * padding - dilation * (k - 1) - 1) // stride + 1
    out = np.zeros((n, o, out_len))
    for t in range(out_len):
        patch = xp[:, :, t * stride:t * stride + dilation * (k - 1) + 1:dilation]
        out[:, :, t] = np.einsum("nck,ock->no", patch, w)
    return out + (0 if b is None else b.reshape(1, -1, 1))


# -- hypothesis geometry -------------------------------------------------------------------
@st.composite
def conv_cases(draw):
    groups = draw(st.integers(1, 3))
    cg, og = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    # input at least as large as the dilated kernel after padding
    size = [draw(st.integers(max(1, d * (k - 1) + 1 - 2 * p), 7))
            for k, d, p in zip(kernel, dilation, padding)]
    n = draw(st.integers(1, 2))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, cg * groups, *size))
    w = rng.standard_normal((og * groups, cg, *kernel))
    b = rng.standard_normal(og * groups) if draw(st.booleans()) else None
    return x, w, b, stride, padding, dilation, groups


def _t(a, requires_grad=False):
    return None if a is None else ag.tensor(a, dtype=F64, requires_grad=requires_grad)


@given(conv_cases())
def test_conv2d_matches_loop_reference(case):
    x, w, b, stride, padding, dilation, groups = case
    out = ag.conv2d(_t(x), _t(w), _t(b), stride, padding, dilation, groups)
    ref = ref_conv2d(x, w, b, stride, padding, dilation, groups)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-10)


@given(conv_cases(), st.data())
def test_conv_transpose2d_matches_loop_reference(case, data):
    x, w, b, stride, padding, dilation, groups = case
    # conv_transpose2d's weight is (C_in, C_out/groups, KH, KW): reuse w's numbers that way
    wt = np.ascontiguousarray(w.reshape(groups, -1, *w.shape[1:]).swapaxes(1, 2)
                              .reshape(w.shape[1] * groups, -1, *w.shape[2:]))
    xt = np.random.default_rng(0).standard_normal((x.shape[0], wt.shape[0], 3, 2))
    out_pad = tuple(data.draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    bt = None if b is None else np.arange(wt.shape[1] * groups, dtype=F64)
    padding = tuple(min(p, (d * (k - 1)) // 2) for p, d, k in zip(padding, dilation, w.shape[2:]))
    out = ag.conv_transpose2d(_t(xt), _t(wt), _t(bt), stride, padding, out_pad, groups,
                              dilation)
    ref = ref_conv_transpose2d(xt, wt, bt, stride, padding, out_pad, groups, dilation)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out.numpy(), ref, atol=1e-10)


@given(conv_cases())
def test_adjoint_identities(case):
    """<conv(x, w), y> = <x, conv_transpose(y, w)> = <w, conv2d_weight(x, y)>: the identity
    every backward rule here is a reading of."""
    x, w, _, stride, padding, dilation, groups = case
    y = ag.conv2d(_t(x), _t(w), None, stride, padding, dilation, groups)
    v = np.random.default_rng(1).standard_normal(y.shape)
    lhs = float((y.numpy() * v).sum())
    xs, ws, vs = _t(x, True), _t(w, True), _t(v)
    (ag.conv2d(xs, ws, None, stride, padding, dilation, groups) * vs).sum().backward()
    assert float((xs.grad.numpy() * x).sum()) == pytest.approx(lhs, rel=1e-9, abs=1e-9)
    assert float((ws.grad.numpy() * w).sum()) == pytest.approx(lhs, rel=1e-9, abs=1e-9)


@given(st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2),
       st.integers(4, 9), st.integers(0, 2**16))
def test_conv1d_matches_loop_reference(k, stride, padding, dilation, length, seed):
    rng = np.random.default_rng(seed)
    x, w, b = rng.standard_normal((2, 3, length)), rng.standard_normal((4, 3, k)), \
        rng.standard_normal(4)
    if length + 2 * padding < dilation * (k - 1) + 1:
        with pytest.raises(ShapeError):
            ag.conv1d(_t(x), _t(w), _t(b), stride, padding, dilation)
        return
    out = ag.conv1d(_t(x), _t(w), _t(b), stride, padding, dilation)
    np.testing.assert_allclose(out.numpy(), ref_conv1d(x, w, b, stride, padding, dilation),
                               atol=1e-10)


def test_text_cnn_conv1d_over_word_embeddings():
    """The slides' text CNN: embeddings (N, E, L) -> filters of width 3 -> max over time."""
    rng = np.random.default_rng(0)
    emb = ag.tensor(rng.standard_normal((2, 5, 7)), dtype=F64, requires_grad=True)
    w = ag.tensor(rng.standard_normal((4, 5, 3)), dtype=F64, requires_grad=True)
    feats = ag.max_pool1d(ag.relu(ag.conv1d(emb, w)), kernel_size=5)
    assert feats.shape == (2, 4, 1)
    ag.gradcheck(lambda e, f: ag.max_pool1d(ag.conv1d(e, f), 5), (emb, w))


@pytest.mark.parametrize("padding, kernel, dilation", [
    ("same", (3, 3), 1), ("same", (4, 2), 1), ("same", (2, 3), 2), ("valid", (3, 2), 1)])
def test_string_padding(padding, kernel, dilation):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 6, 5))
    w = rng.standard_normal((3, 2, *kernel))
    out = ag.conv2d(_t(x), _t(w), padding=padding, dilation=dilation).numpy()
    if padding == "valid":
        np.testing.assert_allclose(out, ref_conv2d(x, w, None, (1, 1), (0, 0), (1, 1), 1))
        return
    assert out.shape[2:] == (6, 5)
    # PyTorch: total d*(k-1); the odd extra pixel goes to the bottom/right
    tot = [dilation * (k - 1) for k in kernel]
    xp = np.pad(x, ((0, 0), (0, 0), (tot[0] // 2, tot[0] - tot[0] // 2),
                    (tot[1] // 2, tot[1] - tot[1] // 2)))
    ref = ref_conv2d(xp, w, None, (1, 1), (0, 0), (dilation, dilation), 1)
    np.testing.assert_allclose(out, ref, atol=1e-10)


# -- gradients -----------------------------------------------------------------------------
GEOMETRIES = [  # stride, padding, dilation, groups
    dict(stride=1, padding=0, dilation=1, groups=1),
    dict(stride=2, padding=1, dilation=1, groups=2),
    dict(stride=(1, 2), padding=(2, 0), dilation=(2, 1), groups=1),
]


@pytest.mark.parametrize("geo", GEOMETRIES)
def test_conv2d_gradcheck_every_input(geo):
    rng = np.random.default_rng(0)
    x = _t(rng.standard_normal((2, 4, 5, 6)), True)
    w = _t(rng.standard_normal((4, 4 // geo["groups"], 3, 2)), True)
    b = _t(rng.standard_normal(4), True)
    fn = lambda x, w, b: ag.conv2d(x, w, b, **geo)  # noqa: E731
    assert ag.gradcheck(fn, (x, w, b))
    assert ag.gradgradcheck(fn, (x, w, b), fast_mode=True)


def test_conv2d_gradgradcheck_full_jacobian():
    rng = np.random.default_rng(1)
    x = _t(rng.standard_normal((1, 2, 4, 4)), True)
    w = _t(rng.standard_normal((2, 1, 2, 2)), True)
    b = _t(rng.standard_normal(2), True)
    assert ag.gradgradcheck(lambda x, w, b: ag.conv2d(x, w, b, stride=2, padding=1, groups=2),
                            (x, w, b))


@pytest.mark.parametrize("geo", [dict(stride=1, padding=0, output_padding=0, groups=1, dilation=1),
                                 dict(stride=2, padding=1, output_padding=1, groups=2, dilation=1),
                                 dict(stride=(2, 1), padding=(0, 1), output_padding=(0, 1),
                                      groups=1, dilation=2)])
def test_conv_transpose2d_gradcheck_every_input(geo):
    rng = np.random.default_rng(2)
    x = _t(rng.standard_normal((2, 4, 3, 3)), True)
    w = _t(rng.standard_normal((4, 3, 3, 2)), True)
    b = _t(rng.standard_normal(3 * geo["groups"]), True)
    fn = lambda x, w, b: ag.conv_transpose2d(x, w, b, **geo)  # noqa: E731
    assert ag.gradcheck(fn, (x, w, b))
    assert ag.gradgradcheck(fn, (x, w, b), fast_mode=True)


def test_conv2d_weight_op_gradcheck():
    """The filter-gradient Function is differentiable in both its inputs (third derivatives
    of conv2d go through it)."""
    rng = np.random.default_rng(3)
    x = _t(rng.standard_normal((2, 2, 5, 4)), True)
    g = _t(rng.standard_normal((2, 3, 3, 3)), True)
    geo = win.conv_geometry("conv2d", (5, 4), (3, 2), (2, 2), (1, 1), (1, 1), 1)
    assert geo.out_hw == (3, 3)
    fn = lambda x, g: Conv2dWeight.apply(x, g, geo, (3, 2, 3, 2))  # noqa: E731
    assert ag.gradcheck(fn, (x, g))
    assert ag.gradgradcheck(fn, (x, g), fast_mode=True)


def test_conv1d_gradcheck():
    rng = np.random.default_rng(4)
    x, w, b = (_t(rng.standard_normal(s), True) for s in [(2, 3, 8), (4, 3, 3), (4,)])
    fn = lambda x, w, b: ag.conv1d(x, w, b, stride=2, padding=1, dilation=2)  # noqa: E731
    assert ag.gradcheck(fn, (x, w, b))
    assert ag.gradgradcheck(fn, (x, w, b), fast_mode=True)
    wt = _t(rng.standard_normal((3, 2, 3)), True)
    fn_t = lambda x, w: ag.conv_transpose1d(x, w, stride=2, padding=1, output_padding=1)  # noqa
    assert ag.conv_transpose1d(x, wt, stride=2, padding=1, output_padding=1).shape == (2, 2, 16)
    assert ag.gradcheck(fn_t, (x, wt))
    assert ag.gradgradcheck(fn_t, (x, wt), fast_mode=True)


def test_input_gradient_is_conv_transpose_of_output_gradient():
    rng = np.random.default_rng(5)
    x = _t(rng.standard_normal((2, 3, 7, 7)), True)
    w = _t(rng.standard_normal((4, 3, 3, 3)))
    y = ag.conv2d(x, w, stride=2, padding=1)
    g = rng.standard_normal(y.shape)
    y.backward(_t(g))
    expected = ag.conv_transpose2d(_t(g), w, stride=2, padding=1, output_padding=0)
    np.testing.assert_allclose(x.grad.numpy(), expected.numpy(), atol=1e-12)


def test_float32_stays_float32_and_matches_float64():
    rng = np.random.default_rng(6)
    x64, w64, b64 = rng.standard_normal((2, 3, 8, 8)), rng.standard_normal((5, 3, 3, 3)), \
        rng.standard_normal(5)
    x, w, b = (ag.tensor(a.astype(np.float32), requires_grad=True) for a in (x64, w64, b64))
    y = ag.conv2d(x, w, b, padding=1)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == w.grad.dtype == b.grad.dtype == np.float32
    ref = ref_conv2d(x64, w64, b64, (1, 1), (1, 1), (1, 1), 1)
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=1e-4, atol=1e-4)


# -- errors --------------------------------------------------------------------------------
def _z(*shape):
    return ag.zeros(*shape)


@pytest.mark.parametrize("call, error, words", [
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 16, 3, 3)), ShapeError,
     ["conv2d", "16 channels", "got 2", "(4, 16, 3, 3)"]),
    (lambda: ag.conv2d(_z(5, 5), _z(4, 2, 3, 3)), ShapeError,
     ["3-D (unbatched) or 4-D", "(5, 5)"]),
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 2, 3)), ShapeError, ["weight", "(4, 2, 3)"]),
    (lambda: ag.conv2d(_z(1, 2, 3, 3), _z(4, 2, 5, 5)), ShapeError, ["larger", "(3, 3)"]),
    (lambda: ag.conv2d(_z(1, 2, 3, 3), _z(4, 2, 2, 2), dilation=3), ShapeError, ["larger"]),
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 2, 3, 3), stride=0), ValueError, ["stride"]),
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 2, 3, 3), dilation=(1, -1)), ValueError,
     ["dilation"]),
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 2, 3, 3), padding=-1), ValueError, ["padding"]),
    (lambda: ag.conv2d(_z(1, 4, 5, 5), _z(3, 2, 3, 3), groups=2), ValueError,
     ["groups=2", "3"]),
    (lambda: ag.conv2d(_z(1, 3, 5, 5), _z(4, 1, 3, 3), groups=2), ShapeError,
     ["2 channels", "got 3"]),
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 2, 3, 3), _z(3)), ShapeError, ["bias", "(4,)"]),
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 2, 3, 3), stride=2, padding="same"), ValueError,
     ["same"]),
    (lambda: ag.conv2d(_z(1, 2, 5, 5), _z(4, 2, 3, 3), padding="full"), ValueError, ["full"]),
    (lambda: ag.conv2d(ag.zeros(1, 2, 5, 5, dtype=np.int64), _z(4, 2, 3, 3)), DTypeError,
     ["int64"]),
    (lambda: ag.conv1d(_z(1, 2, 5, 5), _z(4, 2, 3)), ShapeError, ["conv1d", "3-D"]),
    (lambda: ag.conv1d(_z(1, 3, 5), _z(4, 2, 3)), ShapeError, ["conv1d", "2 channels", "got 3"]),
    (lambda: ag.conv1d(_z(1, 2, 2), _z(4, 2, 3)), ShapeError, ["conv1d", "larger"]),
    (lambda: ag.conv_transpose2d(_z(1, 3, 5, 5), _z(4, 2, 3, 3)), ShapeError,
     ["conv_transpose2d", "4 channels", "got 3"]),
    (lambda: ag.conv_transpose2d(_z(1, 4, 5, 5), _z(4, 2, 3, 3), stride=2, output_padding=2),
     ValueError, ["output_padding"]),
])
def test_errors_name_the_op_and_shapes(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_filter_gradient_same_with_and_without_kept_patches(monkeypatch):
    """conv2d keeps small patch matrices for the filter gradient and rebuilds large ones:
    both paths give the same gradients (here forced by the size limit)."""
    from autograd.ops import conv as conv_ops
    rng = np.random.default_rng(7)
    x, w = rng.standard_normal((2, 3, 9, 8)), rng.standard_normal((4, 3, 3, 3))
    grads = []
    for limit in (2**30, 0):
        monkeypatch.setattr(conv_ops, "KEEP_PATCHES_BYTES", limit)
        xs, ws = _t(x, True), _t(w, True)
        y = ag.conv2d(xs, ws, padding=1)
        assert (y.grad_fn.cols is not None) == (limit > 0)
        (y * y).sum().backward()
        grads.append((xs.grad.numpy(), ws.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0], atol=1e-12)
    np.testing.assert_allclose(grads[0][1], grads[1][1], atol=1e-12)


def test_empty_batch():
    x = ag.zeros(0, 3, 8, 8, requires_grad=True)
    w = ag.randn(4, 3, 3, 3, requires_grad=True)
    y = ag.conv2d(x, w, padding=1)
    assert y.shape == (0, 4, 8, 8)
    y.sum().backward()
    assert x.grad.shape == (0, 3, 8, 8) and (w.grad.numpy() == 0).all()
    assert ag.conv_transpose2d(ag.zeros(0, 4, 3, 3), w).shape == (0, 3, 5, 5)


@pytest.mark.parametrize("wide_waste", [1.0, 1.1, 10.0])
@given(conv_cases())
def test_every_patch_layout_matches_the_reference(wide_waste, case):
    """im2col has three layouts (wide rows, two-stage, direct; see _windows.patch_width):
    forcing each in turn, forward and gradients stay those of the loop reference."""
    x, w, b, stride, padding, dilation, groups = case
    old, win.WIDE_WASTE = win.WIDE_WASTE, wide_waste
    try:
        xs, ws = _t(x, True), _t(w, True)
        out = ag.conv2d(xs, ws, _t(b), stride, padding, dilation, groups)
        v = np.random.default_rng(0).standard_normal(out.shape)
        (out * _t(v)).sum().backward()
        gx, gw = xs.grad.numpy(), ws.grad.numpy()
    finally:
        win.WIDE_WASTE = old
    np.testing.assert_allclose(out.detach().numpy(),
                               ref_conv2d(x, w, b, stride, padding, dilation, groups), atol=1e-10)
    # <grad, dx> = d/dt <v, conv(x + t dx)> = <v, conv(dx, w)> (conv is linear in x)
    dx = np.random.default_rng(1).standard_normal(x.shape)
    assert (gx * dx).sum() == pytest.approx(
        (v * ref_conv2d(dx, w, None, stride, padding, dilation, groups)).sum(), abs=1e-9)
    dw = np.random.default_rng(2).standard_normal(w.shape)
    assert (gw * dw).sum() == pytest.approx(
        (v * ref_conv2d(x, dw, None, stride, padding, dilation, groups)).sum(), abs=1e-9)


@pytest.mark.parametrize("wide_waste", [1.0, 10.0])
def test_second_derivatives_in_each_patch_layout(wide_waste, monkeypatch):
    monkeypatch.setattr(win, "WIDE_WASTE", wide_waste)
    rng = np.random.default_rng(10)
    x = _t(rng.standard_normal((2, 2, 5, 6)), True)
    w = _t(rng.standard_normal((3, 2, 3, 2)), True)
    b = _t(rng.standard_normal(3), True)
    fn = lambda x, w, b: ag.conv2d(x, w, b, padding=(1, 0), dilation=(1, 2))  # noqa: E731
    assert win.patch_width(ag.conv2d(x, w, b, padding=(1, 0), dilation=(1, 2)).grad_fn.geo) \
        == (6 if wide_waste > 1 else 4)
    assert ag.gradgradcheck(fn, (x, w, b), fast_mode=True)


# -- the kernel paths: Winograd, batch-last im2col, NCHW im2col; 1 and 2 threads -----------
# conv_ops.algorithm picks the kernel per shape; each test forces one path by its thresholds,
# checks that the path was taken, and compares with the loop reference. Tiny chunk sizes make
# every chunk loop run several rounds; threads=2 splits them over the pool.
from contextlib import contextmanager  # noqa: E402

from autograd import _parallel, _winograd  # noqa: E402
from autograd.ops import conv as conv_ops  # noqa: E402

PATH_SETTINGS = {  # thresholds that send every case of its strategy down that path
    "winograd": dict(WINOGRAD_MIN_CHANNELS=1, BATCH_LAST_MIN=1),
    "batch_last": dict(WINOGRAD_MIN_CHANNELS=10**9, BATCH_LAST_MIN=1, BATCH_LAST_MAX_WIDTH=10**9),
    "nchw": dict(WINOGRAD_MIN_CHANNELS=10**9, BATCH_LAST_MIN=10**9),
}


@contextmanager
def kernel_path(path, threads, small_chunks=True):
    """Force ``path`` (module thresholds), ``threads`` pool threads and tiny chunks."""
    saved = {name: getattr(conv_ops, name) for name in
             ("WINOGRAD_MIN_CHANNELS", "BATCH_LAST_MIN", "BATCH_LAST_MAX_WIDTH",
              "DX_CHUNK_BYTES")}
    saved_chunk, saved_share = _winograd.CHUNK_BYTES, _parallel.MIN_SHARE
    for name, value in PATH_SETTINGS[path].items():
        setattr(conv_ops, name, value)
    if small_chunks:
        conv_ops.DX_CHUNK_BYTES, _winograd.CHUNK_BYTES = 1, 1
        _parallel.MIN_SHARE = 1          # every split pass splits, however small
    saved_threads = _parallel.set_num_threads(threads)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(conv_ops, name, value)
        _winograd.CHUNK_BYTES, _parallel.MIN_SHARE = saved_chunk, saved_share
        _parallel.set_num_threads(saved_threads)


@st.composite
def winograd_cases(draw):
    """3x3, stride 1, pads 0..2 per side pair, odd and even sizes, batch 1..3."""
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    size = [draw(st.integers(max(1, 3 - 2 * p), 8)) for p in padding]
    n, c, o = draw(st.integers(1, 3)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    b = rng.standard_normal(o) if draw(st.booleans()) else None
    return (rng.standard_normal((n, c, *size)), rng.standard_normal((o, c, 3, 3)), b,
            (1, 1), padding, (1, 1), 1)


def _check_against_reference(case):
    """Forward equals the loop reference; the input and filter gradients satisfy
    <grad, d> = <v, conv(d)> (conv is linear in each argument) for random directions d."""
    x, w, b, stride, padding, dilation, groups = case
    xs, ws = _t(x, True), _t(w, True)
    out = ag.conv2d(xs, ws, _t(b), stride, padding, dilation, groups)
    np.testing.assert_allclose(out.detach().numpy(),
                               ref_conv2d(x, w, b, stride, padding, dilation, groups), atol=1e-10)
    v = np.random.default_rng(0).standard_normal(out.shape)
    (out * _t(v)).sum().backward()
    dx = np.random.default_rng(1).standard_normal(x.shape)
    assert (xs.grad.numpy() * dx).sum() == pytest.approx(
        (v * ref_conv2d(dx, w, None, stride, padding, dilation, groups)).sum(), abs=1e-9)
    dw = np.random.default_rng(2).standard_normal(w.shape)
    assert (ws.grad.numpy() * dw).sum() == pytest.approx(
        (v * ref_conv2d(x, dw, None, stride, padding, dilation, groups)).sum(), abs=1e-9)
    return out.grad_fn.geo


@pytest.mark.parametrize("threads", [1, 2])
@given(winograd_cases())
def test_winograd_path_matches_the_reference(threads, case):
    with kernel_path("winograd", threads):
        geo = _check_against_reference(case)
        assert conv_ops.algorithm(geo, case[0].shape[0], case[0].shape[1], case[1].shape[0]) \
            == "winograd"


@pytest.mark.parametrize("path", ["batch_last", "nchw"])
@pytest.mark.parametrize("threads", [1, 2])
@given(conv_cases())
def test_im2col_paths_match_the_reference(path, threads, case):
    """Strides, paddings, dilations, groups, batch 1-2 in both im2col layouts."""
    with kernel_path(path, threads):
        geo = _check_against_reference(case)
        x, w = case[0], case[1]
        assert conv_ops.algorithm(geo, x.shape[0], x.shape[1], w.shape[0]) == path


@pytest.mark.parametrize("path", ["winograd", "batch_last", "nchw"])
@pytest.mark.parametrize("threads", [1, 2])
def test_every_path_gradcheck_and_gradgradcheck(path, threads):
    rng = np.random.default_rng(11)
    x = _t(rng.standard_normal((2, 3, 5, 4)), True)
    w = _t(rng.standard_normal((2, 3, 3, 3)), True)
    b = _t(rng.standard_normal(2), True)
    fn = lambda x, w, b: ag.conv2d(x, w, b, padding=(1, 2))  # noqa: E731
    with kernel_path(path, threads):
        assert conv_ops.algorithm(fn(x, w, b).grad_fn.geo, 2, 3, 2) == path
        assert ag.gradcheck(fn, (x, w, b))
        assert ag.gradgradcheck(fn, (x, w, b), fast_mode=True)
        # conv_transpose2d (ConvTranspose2d's forward is the same kernel's input gradient)
        wt = _t(rng.standard_normal((3, 2, 3, 3)), True)
        ft = lambda x, w: ag.conv_transpose2d(x, w, padding=1)  # noqa: E731
        assert ag.gradcheck(ft, (x, wt))


@pytest.mark.parametrize("threads", [1, 2])
def test_paths_agree_in_float32_on_lenet_and_vgg_like_shapes(threads):
    """The default rule on the shapes it was tuned for, against float64 im2col."""
    rng = np.random.default_rng(12)
    for shape, wshape, pad in [((16, 6, 14, 14), (16, 6, 5, 5), 0),
                               ((16, 32, 11, 9), (32, 32, 3, 3), 1)]:
        x, w = rng.standard_normal(shape), rng.standard_normal(wshape) / 10
        g = rng.standard_normal((shape[0], wshape[0], shape[2] + 2 * pad - wshape[2] + 1,
                                 shape[3] + 2 * pad - wshape[3] + 1))
        grads = {}
        for path, dtype in (("nchw", np.float64), (None, np.float32)):
            xs = ag.tensor(x.astype(dtype), requires_grad=True)
            ws = ag.tensor(w.astype(dtype), requires_grad=True)
            ctx = kernel_path(path, threads, small_chunks=False) if path else \
                _parallel.threads(threads)
            with ctx:
                y = ag.conv2d(xs, ws, padding=pad)
                y.backward(ag.tensor(g.astype(dtype)))
                used = conv_ops.algorithm(y.grad_fn.geo, shape[0], shape[1], wshape[0])
            grads[path] = [a.astype(np.float64) for a in
                           (y.detach().numpy(), xs.grad.numpy(), ws.grad.numpy())]
        assert used == ("batch_last" if wshape[2] == 5 else "winograd")
        for ours, ref in zip(grads[None], grads["nchw"]):
            np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-4 * np.abs(ref).max())


@pytest.mark.parametrize("geo_args, c, o, expected", [
    (dict(kernel=(3, 3), padding=1), 32, 32, "winograd"),            # at the boundary
    (dict(kernel=(3, 3), padding=1), 31, 64, "batch_last"),          # one channel short
    (dict(kernel=(3, 3), padding=1), 64, 31, "batch_last"),
    (dict(kernel=(3, 3), padding=0), 64, 64, "winograd"),
    (dict(kernel=(3, 3), padding=2), 64, 64, "winograd"),
    (dict(kernel=(3, 3), padding=3), 64, 64, "batch_last"),          # input grad pad < 0
    (dict(kernel=(3, 3), padding=1, stride=2), 64, 64, "batch_last"),
    (dict(kernel=(3, 3), padding=1, dilation=2), 64, 64, "batch_last"),
    (dict(kernel=(3, 3), padding=1, groups=2), 64, 64, "batch_last"),
    (dict(kernel=(3, 2), padding=1), 64, 64, "batch_last"),
    (dict(kernel=(5, 5), padding=0), 64, 64, "batch_last"),
])
def test_algorithm_selection_rule(geo_args, c, o, expected):
    args = dict(stride=1, dilation=1, groups=1) | geo_args
    geo = win.conv_geometry("conv2d", (9, 9), args["kernel"], args["stride"], args["padding"],
                            args["dilation"], args["groups"])
    assert conv_ops.WINOGRAD_MIN_CHANNELS == 32 and conv_ops.BATCH_LAST_MIN == 16
    assert conv_ops.BATCH_LAST_MAX_WIDTH == 16
    assert conv_ops.algorithm(geo, 16, c, o) == expected
    assert conv_ops.algorithm(geo, 64, c, o) == expected
    assert conv_ops.algorithm(geo, 15, c, o) == "nchw"        # batch under BATCH_LAST_MIN
    assert conv_ops.algorithm(geo, 1, c, o) == "nchw"
    assert conv_ops.algorithm(geo, 0, c, o) == "nchw"         # empty batch
    wide = win.conv_geometry("conv2d", (9, 17 + 2), (3, 3), 1, 0, 1, 1)   # OW = 17
    assert conv_ops.algorithm(wide, 64, 8, 8) == "nchw"
    assert conv_ops.algorithm(wide, 64, 32, 32) == "winograd"       # Winograd: any width


def test_kept_patches_are_read_once_and_results_never_share_pooled_buffers():
    """The patch matrix kept for the filter gradient is handed over once (then the holder is
    empty), and results stay intact while later convolutions reuse the pooled buffers."""
    rng = np.random.default_rng(13)
    x = ag.tensor(rng.standard_normal((16, 3, 7, 7)), requires_grad=True)
    w = ag.tensor(rng.standard_normal((4, 3, 3, 3)), requires_grad=True)
    y = ag.conv2d(x, w, stride=2)
    assert conv_ops.algorithm(y.grad_fn.geo, 16, 3, 4) == "batch_last"   # pooled patches
    patches = y.grad_fn.cols
    assert isinstance(patches, conv_ops.Patches)
    g = ag.tensor(rng.standard_normal(y.shape))
    y.backward(g, retain_graph=True)
    assert patches.take() is None and y.grad_fn.cols is None
    kept = [t.detach().numpy().copy() for t in (y, x.grad, w.grad)]
    results = (y, x.grad, w.grad)
    for _ in range(3):   # same shapes: every pooled buffer is handed out again
        x.grad = w.grad = None
        ag.conv2d(x * 2.0, w, stride=2).backward(g)
    for t, before in zip(results, kept):
        np.testing.assert_array_equal(t.detach().numpy(), before)
    y.backward(g)        # the retained graph rebuilds the patches: same gradients
