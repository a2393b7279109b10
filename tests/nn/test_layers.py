"""Each layer: forward against a numpy reference, gradients (first and second order, float64
via ``model.double()``) through the layer's input and parameters, defaults, errors, repr."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
from autograd.errors import DTypeError, ShapeError
from autograd.testing import strategies as ats

RNG = np.random.default_rng(123)


def t64(*shape, requires_grad=True, lo=-2.0, hi=2.0):
    return ag.tensor(RNG.uniform(lo, hi, shape), requires_grad=requires_grad)


def check_layer(layer, x, fast=False):
    """gradcheck + gradgradcheck of ``layer(x)`` w.r.t. x and every parameter, float64."""
    layer.double()
    params = [p for p in layer.parameters()]
    ats.assert_gradients_hold(lambda x, *ps: layer(x), x, *params, fast_mode=fast,
                              second_order="fast")


# -- reference implementations (plain numpy, written for clarity) ---------------------------
def conv2d_ref(x, w, b, stride, pad):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    N, C, H, W = x.shape
    O, _, KH, KW = w.shape
    OH, OW = (H - KH) // stride + 1, (W - KW) // stride + 1
    out = np.zeros((N, O, OH, OW))
    for i in range(OH):
        for j in range(OW):
            patch = x[:, :, i * stride:i * stride + KH, j * stride:j * stride + KW]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    return out + b.reshape(1, -1, 1, 1)


def conv_transpose2d_ref(x, w, b, stride, pad):
    N, C, H, W = x.shape
    _, O, KH, KW = w.shape
    full = np.zeros((N, O, (H - 1) * stride + KH, (W - 1) * stride + KW))
    for i in range(H):
        for j in range(W):
            full[:, :, i * stride:i * stride + KH, j * stride:j * stride + KW] += \
                np.einsum("nc,cokl->nokl", x[:, :, i, j], w)
    out = full[:, :, pad:full.shape[2] - pad, pad:full.shape[3] - pad]
    return out + b.reshape(1, -1, 1, 1)


def lrn_ref(x, size, alpha, beta, k):
    C = x.shape[1]
    out = np.empty_like(x)
    for c in range(C):                     # the formula, channel by channel
        lo, hi = max(0, c - size // 2), min(C, c + (size - 1) // 2 + 1)
        s = (x[:, lo:hi] ** 2).sum(axis=1)
        out[:, c] = x[:, c] / (k + alpha / size * s) ** beta
    return out


# -- Linear ------------------------------------------------------------------------------
def test_linear_forward_and_defaults():
    ag.manual_seed(0)
    lin = nn.Linear(5, 3)
    assert lin.weight.shape == (3, 5) and lin.bias.shape == (3,)
    assert lin.weight.dtype == np.float32
    bound = 1 / math.sqrt(5)
    assert np.abs(lin.weight.numpy(force=True)).max() <= bound and np.abs(lin.bias.numpy(force=True)).max() <= bound
    x = ag.randn(4, 5)
    ref = x.numpy(force=True) @ lin.weight.numpy(force=True).T + lin.bias.numpy(force=True)
    assert np.allclose(lin(x).numpy(force=True), ref, atol=1e-6)
    x3 = ag.randn(2, 4, 5)                  # leading dims are batch dims
    assert np.allclose(lin(x3).numpy(force=True), x3.numpy(force=True) @ lin.weight.numpy(force=True).T + lin.bias.numpy(force=True), atol=1e-6)
    assert repr(lin) == "Linear(in_features=5, out_features=3, bias=True)"
    assert nn.Linear(2, 2, bias=False).bias is None


def test_linear_gradients():
    check_layer(nn.Linear(3, 2), t64(4, 3))
    check_layer(nn.Linear(3, 2, bias=False), t64(2, 2, 3))
    check_layer(nn.Linear(3, 2), t64(3))


@given(n=st.integers(1, 3), fin=st.integers(1, 4), fout=st.integers(1, 3))
def test_linear_property_over_shapes(n, fin, fout):
    lin = nn.Linear(fin, fout).double()
    x = ag.tensor(RNG.standard_normal((n, fin)), requires_grad=True)
    assert np.allclose(lin(x).numpy(force=True), x.numpy(force=True) @ lin.weight.numpy(force=True).T + lin.bias.numpy(force=True))
    ats.assert_gradients_hold(lambda x, w, b: lin(x), x, lin.weight, lin.bias,
                              second_order="fast")


def test_linear_shape_error_names_shapes():
    with pytest.raises(ShapeError, match=r"\(4, 6\).*\(3, 5\)"):
        nn.Linear(5, 3)(ag.randn(4, 6))


# -- convolution ---------------------------------------------------------------------------
def test_conv2d_forward_matches_reference_and_defaults():
    ag.manual_seed(0)
    conv = nn.Conv2d(2, 3, 3, stride=2, padding=1)
    assert conv.weight.shape == (3, 2, 3, 3)
    bound = 1 / math.sqrt(2 * 9)
    assert np.abs(conv.weight.numpy(force=True)).max() <= bound and np.abs(conv.bias.numpy(force=True)).max() <= bound
    x = ag.randn(2, 2, 5, 5)
    ref = conv2d_ref(x.numpy(force=True), conv.weight.numpy(force=True), conv.bias.numpy(force=True), 2, 1)
    assert np.allclose(conv(x).numpy(force=True), ref, atol=1e-5)
    assert repr(conv) == "Conv2d(2, 3, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))"
    assert repr(nn.Conv2d(4, 4, 1, groups=2, bias=False)) == \
        "Conv2d(4, 4, kernel_size=(1, 1), stride=(1, 1), groups=2, bias=False)"


def test_conv2d_gradients():
    check_layer(nn.Conv2d(2, 2, 2, stride=1, padding=1), t64(1, 2, 3, 3))


def test_conv1d_forward_and_gradients():
    conv = nn.Conv1d(2, 3, 3, padding=1).double()
    x = t64(2, 2, 5)
    # padding 1 along L only: compare against the reference on an explicitly padded input
    xp = np.pad(x.numpy(force=True), ((0, 0), (0, 0), (1, 1)))[:, :, None]
    ref = conv2d_ref(xp, conv.weight.numpy(force=True)[:, :, None], conv.bias.numpy(force=True), 1, 0)[:, :, 0]
    assert np.allclose(conv(x).numpy(force=True), ref)
    assert repr(conv) == "Conv1d(2, 3, kernel_size=(3,), stride=(1,), padding=(1,))"
    check_layer(conv, t64(1, 2, 4))


def test_conv_transpose2d_forward_and_gradients():
    ag.manual_seed(0)
    conv = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1).double()
    assert conv.weight.shape == (2, 3, 3, 3)
    x = t64(1, 2, 3, 3)
    ref = conv_transpose2d_ref(x.numpy(force=True), conv.weight.numpy(force=True), conv.bias.numpy(force=True), 2, 1)
    assert conv(x).shape == (1, 3, 5, 5)
    assert np.allclose(conv(x).numpy(force=True), ref)
    check_layer(nn.ConvTranspose2d(1, 2, 2, stride=2), t64(1, 1, 2, 2))


def test_conv_groups_must_divide():
    with pytest.raises(ValueError, match="groups"):
        nn.Conv2d(3, 4, 3, groups=2)


# -- pooling -------------------------------------------------------------------------------
def test_max_pool2d_forward_and_gradients():
    x = ag.tensor(RNG.permutation(32).reshape(1, 2, 4, 4).astype(np.float64),
                  requires_grad=True)
    pool = nn.MaxPool2d(2)
    ref = x.numpy(force=True).reshape(1, 2, 2, 2, 2, 2).max(axis=(3, 5))
    assert np.array_equal(pool(x).numpy(force=True), ref)
    pool(x).sum().backward()
    assert x.grad.numpy(force=True).sum() == 8 and set(np.unique(x.grad.numpy(force=True))) == {0.0, 1.0}
    ats.assert_gradients_hold(pool, ag.tensor(x.numpy(force=True) / 7, requires_grad=True))
    assert repr(nn.MaxPool2d(3, 2)) == \
        "MaxPool2d(kernel_size=3, stride=2, padding=0, dilation=1, ceil_mode=False)"


def test_max_pool1d_and_avg_pools():
    x = t64(2, 3, 6)
    assert np.allclose(nn.MaxPool1d(2)(x).numpy(force=True), x.numpy(force=True).reshape(2, 3, 3, 2).max(-1))
    x4 = t64(1, 2, 4, 4)
    avg = nn.AvgPool2d(2)
    assert np.allclose(avg(x4).numpy(force=True), x4.numpy(force=True).reshape(1, 2, 2, 2, 2, 2).mean(axis=(3, 5)))
    ats.assert_gradients_hold(avg, x4)
    assert repr(avg) == "AvgPool2d(kernel_size=2, stride=2, padding=0)"
    gap = nn.AdaptiveAvgPool2d(1)
    assert np.allclose(gap(x4).numpy(force=True), x4.numpy(force=True).mean(axis=(2, 3), keepdims=True))
    ats.assert_gradients_hold(gap, x4)
    assert repr(gap) == "AdaptiveAvgPool2d(output_size=1)"


# -- activations and shape ------------------------------------------------------------------
@pytest.mark.parametrize("layer, ref", [
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (nn.Tanh(), np.tanh),
    (nn.Softmax(dim=1), lambda x: np.exp(x) / np.exp(x).sum(1, keepdims=True)),
    (nn.LogSoftmax(dim=1), lambda x: x - np.log(np.exp(x).sum(1, keepdims=True))),
    (nn.Flatten(), lambda x: x.reshape(len(x), -1)),
    (nn.Identity(), lambda x: x),
])
def test_activation_forward_and_gradients(layer, ref):
    x = ag.tensor(RNG.choice([-1, 1], (2, 3, 2)) * RNG.uniform(0.2, 2, (2, 3, 2)),
                  requires_grad=True)                       # away from the kink at 0
    assert np.allclose(layer(x).numpy(force=True), ref(x.numpy(force=True)))
    ats.assert_gradients_hold(layer, x)


def test_activation_reprs():
    assert repr(nn.ReLU()) == "ReLU()"
    assert repr(nn.ReLU(inplace=True)) == "ReLU(inplace=True)"
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)"
    assert repr(nn.Softmax(dim=-1)) == "Softmax(dim=-1)"
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"


# -- dropout -------------------------------------------------------------------------------
def test_dropout_train_eval_and_scaling():
    drop = nn.Dropout(0.25)
    x = ag.ones(200, 50, requires_grad=True)
    ag.manual_seed(3)
    out = drop(x)
    kept = out.numpy(force=True) != 0
    assert np.allclose(out.numpy(force=True)[kept], 1 / 0.75)            # inverted dropout
    assert abs(kept.mean() - 0.75) < 0.02
    out.sum().backward()
    assert np.array_equal(x.grad.numpy(force=True) != 0, kept)           # gradient only where kept
    ag.manual_seed(3)
    assert np.array_equal(drop(x).numpy(force=True), out.numpy(force=True))           # reproducible with manual_seed
    drop.eval()
    assert drop(x) is x
    assert repr(drop) == "Dropout(p=0.25, inplace=False)"
    assert np.all(nn.Dropout(1.0)(x).numpy(force=True) == 0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


# -- batch norm ----------------------------------------------------------------------------
def test_batchnorm2d_train_normalises_and_updates_running_stats():
    bn = nn.BatchNorm2d(3).double()
    assert [n for n, _ in bn.named_buffers()] == ["running_mean", "running_var",
                                                  "num_batches_tracked"]
    x = t64(4, 3, 2, 2, requires_grad=False) * 3 + 1
    out = bn(x).numpy(force=True)
    mean = x.numpy(force=True).mean(axis=(0, 2, 3), keepdims=True)
    var = x.numpy(force=True).var(axis=(0, 2, 3), keepdims=True)
    assert np.allclose(out, (x.numpy(force=True) - mean) / np.sqrt(var + 1e-5))
    n = 4 * 2 * 2
    assert np.allclose(bn.running_mean.numpy(force=True), 0.9 * 0 + 0.1 * mean.ravel())
    assert np.allclose(bn.running_var.numpy(force=True), 0.9 * 1 + 0.1 * var.ravel() * n / (n - 1))
    assert int(bn.num_batches_tracked.numpy(force=True)) == 1
    bn(x)
    assert int(bn.num_batches_tracked.numpy(force=True)) == 2
    assert np.allclose(bn.running_mean.numpy(force=True), 0.9 * 0.1 * mean.ravel() + 0.1 * mean.ravel())


def test_batchnorm_eval_uses_running_stats():
    bn = nn.BatchNorm1d(3).double()
    bn.running_mean.numpy(force=True)[...] = [1.0, -1.0, 0.5]
    bn.running_var.numpy(force=True)[...] = [4.0, 1.0, 0.25]
    bn.weight.numpy(force=True)[...] = [2.0, 1.0, 1.0]
    bn.bias.numpy(force=True)[...] = [0.0, 1.0, 0.0]
    bn.eval()
    x = t64(5, 3, requires_grad=False)
    ref = (x.numpy(force=True) - bn.running_mean.numpy(force=True)) / np.sqrt(bn.running_var.numpy(force=True) + 1e-5) \
        * bn.weight.numpy(force=True) + bn.bias.numpy(force=True)
    assert np.allclose(bn(x).numpy(force=True), ref)
    assert int(bn.num_batches_tracked.numpy(force=True)) == 0            # eval does not count batches
    check_layer(bn, t64(3, 3))


def test_batchnorm_gradients_in_training():
    bn = nn.BatchNorm2d(2)
    bn.weight.numpy(force=True)[...] = [1.5, 0.5]
    check_layer(bn, t64(3, 2, 2, 1))
    check_layer(nn.BatchNorm1d(2), t64(4, 2, 3))


def test_batchnorm_momentum_none_is_cumulative_average():
    bn = nn.BatchNorm1d(2, momentum=None).double()
    xs = [t64(6, 2, requires_grad=False) for _ in range(3)]
    for x in xs:
        bn(x)
    assert np.allclose(bn.running_mean.numpy(force=True), np.mean([x.numpy(force=True).mean(0) for x in xs], axis=0))


def test_batchnorm_errors_and_repr():
    bn = nn.BatchNorm2d(3)
    with pytest.raises(ShapeError, match=r"BatchNorm2d.*4D.*\(2, 3\)"):
        bn(ag.randn(2, 3))
    with pytest.raises(ShapeError, match="expected 3 channels"):
        bn(ag.randn(2, 4, 2, 2))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        bn(ag.randn(1, 3, 1, 1))
    assert repr(bn) == "BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, " \
                       "bias=True, track_running_stats=True)"
    assert len(list(nn.BatchNorm2d(3, affine=False).parameters())) == 0


# -- layer norm, LRN -----------------------------------------------------------------------
def test_layernorm_forward_and_gradients():
    ln = nn.LayerNorm(4).double()
    x = t64(3, 4)
    mean, var = x.numpy(force=True).mean(-1, keepdims=True), x.numpy(force=True).var(-1, keepdims=True)
    assert np.allclose(ln(x).numpy(force=True), (x.numpy(force=True) - mean) / np.sqrt(var + 1e-5))
    ln.weight.numpy(force=True)[...] = RNG.uniform(0.5, 2, 4)
    check_layer(ln, x)
    assert repr(ln) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"
    with pytest.raises(ShapeError, match="normalized_shape"):
        ln(ag.randn(3, 5, dtype=np.float64))


def test_local_response_norm_matches_formula():
    lrn = nn.LocalResponseNorm(3, alpha=0.5, beta=0.75, k=2.0)
    x = t64(2, 5, 2, 2)
    assert np.allclose(lrn(x).numpy(force=True), lrn_ref(x.numpy(force=True), 3, 0.5, 0.75, 2.0))
    assert np.allclose(nn.LocalResponseNorm(4, 1e-1)(x).numpy(force=True), lrn_ref(x.numpy(force=True), 4, 1e-1, 0.75, 1))
    ats.assert_gradients_hold(lrn, t64(1, 4, 2, 1))
    assert repr(lrn) == "LocalResponseNorm(3, alpha=0.5, beta=0.75, k=2.0)"


@given(c=st.integers(1, 5), size=st.integers(1, 5))
def test_local_response_norm_property(c, size):
    x = ag.tensor(RNG.standard_normal((1, c, 2)), requires_grad=True)
    assert np.allclose(nn.LocalResponseNorm(size, 0.3)(x).numpy(force=True), lrn_ref(x.numpy(force=True), size, 0.3,
                                                                        0.75, 1.0))
    ats.assert_gradients_hold(nn.LocalResponseNorm(size, 0.3), x, second_order="fast")


# -- embedding -----------------------------------------------------------------------------
def test_embedding_lookup_padding_and_gradient():
    ag.manual_seed(0)
    emb = nn.Embedding(5, 3, padding_idx=0)
    assert np.all(emb.weight.numpy(force=True)[0] == 0)
    idx = ag.tensor([[0, 2, 2], [4, 1, 0]])
    out = emb(idx)
    assert out.shape == (2, 3, 3)
    assert np.array_equal(out.numpy(force=True), emb.weight.numpy(force=True)[idx.numpy(force=True)])
    out.sum().backward()
    counts = np.bincount(idx.numpy(force=True).ravel(), minlength=5).astype(np.float32)
    counts[0] = 0                                            # padding row: no gradient
    assert np.array_equal(emb.weight.grad.numpy(force=True), np.repeat(counts[:, None], 3, axis=1))
    assert repr(emb) == "Embedding(5, 3, padding_idx=0)"
    with pytest.raises(DTypeError, match="integer"):
        emb(ag.tensor([0.0, 1.0]))
    with pytest.raises(IndexError, match="out of range"):
        emb(ag.tensor([5]))


def test_embedding_gradcheck():
    emb = nn.Embedding(4, 2).double()
    idx = ag.tensor([1, 3, 1])
    ats.assert_gradients_hold(lambda w: emb(idx), emb.weight)


def test_one_dimensional_layers_and_unflatten():
    x = ag.tensor(RNG.permutation(12).reshape(1, 2, 6) / 5.0, requires_grad=True)  # no ties
    mp = nn.MaxPool1d(3)
    assert np.allclose(mp(x).numpy(force=True), x.numpy(force=True).reshape(1, 2, 2, 3).max(-1))
    ats.assert_gradients_hold(mp, x)
    ap = nn.AvgPool1d(2)
    assert np.allclose(ap(x).numpy(force=True), x.numpy(force=True).reshape(1, 2, 3, 2).mean(-1))
    gap = nn.AdaptiveAvgPool1d(1)
    assert np.allclose(gap(x).numpy(force=True), x.numpy(force=True).mean(-1, keepdims=True))
    ats.assert_gradients_hold(lambda x: gap(ap(x)), x)
    ct = nn.ConvTranspose1d(2, 3, 2, stride=2).double()
    ref = conv_transpose2d_ref(x.numpy(force=True)[:, :, None], ct.weight.numpy(force=True)[:, :, None],
                               ct.bias.numpy(force=True), 2, 0)[:, :, 0]
    assert np.allclose(ct(x).numpy(force=True), ref)
    check_layer(ct, t64(1, 2, 3), fast=True)
    un = nn.Unflatten(1, (2, 3))
    assert un(ag.randn(4, 6)).shape == (4, 2, 3)
    assert repr(un) == "Unflatten(dim=1, unflattened_size=(2, 3))"


def test_conv_padding_same_keeps_size_and_shows_in_repr():
    conv = nn.Conv2d(2, 3, 3, padding="same")
    assert conv(ag.randn(1, 2, 5, 4)).shape == (1, 3, 5, 4)
    assert repr(conv) == "Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), padding=same)"
    with pytest.raises(ValueError, match="padding"):
        nn.Conv2d(2, 3, 3, padding="full")


# -- PixelShuffle, channel dropout, unbatched conv and pool (PyTorch's behaviour) -------------
def test_pixel_shuffle_matches_pytorch_and_unshuffle_inverts_it():
    import nn.functional as F
    x = ag.arange(2 * 8 * 2 * 3.0).reshape(2, 8, 2, 3)
    y = nn.PixelShuffle(2)(x)
    assert y.shape == (2, 2, 4, 6)
    assert y[0, 0].tolist() == [[0.0, 6.0, 1.0, 7.0, 2.0, 8.0], [12.0, 18.0, 13.0, 19.0, 14.0, 20.0],
                                [3.0, 9.0, 4.0, 10.0, 5.0, 11.0],
                                [15.0, 21.0, 16.0, 22.0, 17.0, 23.0]]     # torch 2.13's output
    assert bool((nn.PixelUnshuffle(2)(y) == x).all())
    assert F.pixel_shuffle(ag.zeros(8, 2, 3), 2).shape == (2, 4, 6)        # unbatched
    assert repr(nn.PixelShuffle(2)) == "PixelShuffle(upscale_factor=2)"
    assert repr(nn.PixelUnshuffle(3)) == "PixelUnshuffle(downscale_factor=3)"
    with pytest.raises(ShapeError, match="input.size\\(-3\\)=5 is not divisible by 4"):
        F.pixel_shuffle(ag.zeros(5, 2, 2), 2)
    with pytest.raises(ShapeError, match="at least 3 dimensions"):
        F.pixel_shuffle(ag.zeros(2, 2), 2)
    with pytest.raises(ShapeError, match="input.size\\(-2\\)=3 is not divisible by 2"):
        F.pixel_unshuffle(ag.zeros(1, 3, 3), 2)


@given(n=st.integers(1, 2), c=st.integers(1, 2), r=st.integers(1, 3), h=st.integers(1, 2),
       w=st.integers(1, 2))
def test_pixel_shuffle_gradients(n, c, r, h, w):
    import nn.functional as F
    x = ag.tensor(np.random.default_rng(n + c + r).standard_normal((n, c * r * r, h, w)),
                  requires_grad=True)
    ats.assert_gradients_hold(lambda x: F.pixel_shuffle(x, r), x)
    ats.assert_gradients_hold(lambda x: F.pixel_unshuffle(F.pixel_shuffle(x, r) * 2, r), x)


def test_dropout2d_drops_whole_channels():
    ag.manual_seed(0)
    x = ag.ones(8, 16, 3, 3)
    y = nn.Dropout2d(0.5)(x).numpy()
    per_channel = y.reshape(8, 16, 9)
    assert np.all((per_channel == 0).all(-1) | (per_channel == 2).all(-1))
    assert 0 < (per_channel[..., 0] == 0).sum() < 128
    assert nn.Dropout2d().eval()(x) is x and repr(nn.Dropout2d()) == "Dropout2d(p=0.5, inplace=False)"
    z = nn.Dropout1d(0.5)(ag.ones(4, 5)).numpy()                              # unbatched (C, L)
    assert np.all((z == 0).all(-1) | (z == 2).all(-1))
    with pytest.raises(ShapeError, match="dropout2d"):
        nn.Dropout2d()(ag.ones(2, 2))


@pytest.mark.parametrize("layer, shape", [
    (lambda: nn.Conv2d(3, 4, 3, padding=1), (3, 6, 5)),
    (lambda: nn.ConvTranspose2d(3, 2, 2, stride=2), (3, 4, 4)),
    (lambda: nn.Conv1d(3, 2, 3), (3, 7)),
    (lambda: nn.ConvTranspose1d(3, 2, 3), (3, 5)),
    (lambda: nn.MaxPool2d(2), (3, 6, 6)),
    (lambda: nn.AvgPool2d(2, padding=1), (3, 5, 5)),
    (lambda: nn.MaxPool1d(2), (2, 6)),
    (lambda: nn.AvgPool1d(3), (2, 6)),
    (lambda: nn.AdaptiveAvgPool2d((2, 3)), (2, 5, 7)),
    (lambda: nn.AdaptiveAvgPool1d(2), (2, 5)),
])
def test_unbatched_input_is_a_batch_of_one(layer, shape):
    """PyTorch's unbatched layout: (C, H, W) / (C, L) gives the batched result without N."""
    m = layer().double()
    x = ag.tensor(np.random.default_rng(0).standard_normal(shape), requires_grad=True)
    out = m(x)
    np.testing.assert_allclose(out.detach().numpy(), m(x.unsqueeze(0))[0].detach().numpy())
    ats.assert_gradients_hold(m, x)


def test_unbatched_max_pool_indices_and_wrong_dims():
    out, idx = ag.max_pool2d(ag.arange(16.0).reshape(1, 4, 4), 2, return_indices=True)
    assert out.shape == (1, 2, 2) and idx.tolist() == [[[5, 7], [13, 15]]]
    with pytest.raises(ShapeError, match=r"3-D \(unbatched\) or 4-D \(batched\)"):
        nn.Conv2d(1, 1, 1)(ag.zeros(2, 2))
    with pytest.raises(ShapeError, match=r"2-D \(unbatched\) or 3-D \(batched\)"):
        nn.MaxPool1d(2)(ag.zeros(1, 1, 2, 2))
