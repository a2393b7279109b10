"""nn.summary: per-layer shapes, activation and parameter totals (the slides' VGG16 table)."""

import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from nn import models

# The slides' (CS231n's) VGG16 memory table, per image: every CONV / POOL output volume.
VGG16_TABLE = ([("CONV", (64, 224, 224))] * 2 + [("POOL", (64, 112, 112))]
               + [("CONV", (128, 112, 112))] * 2 + [("POOL", (128, 56, 56))]
               + [("CONV", (256, 56, 56))] * 3 + [("POOL", (256, 28, 28))]
               + [("CONV", (512, 28, 28))] * 3 + [("POOL", (512, 14, 14))]
               + [("CONV", (512, 14, 14))] * 3 + [("POOL", (512, 7, 7))])
VGG16_VOLUMES = [shape for _, shape in VGG16_TABLE]
VGG16_CONV_TOTAL = sum(int(np.prod(shape)) for kind, shape in VGG16_TABLE if kind == "CONV")
VGG16_FC = [4096, 4096, 1000]


@pytest.fixture(scope="module")
def vgg16_summary():
    model = models.vgg16(init_weights=False)
    out = io.StringIO()
    return nn.summary(model, (3, 224, 224), file=out), out.getvalue()


def test_vgg16_parameters_and_cs231n_activation_count(vgg16_summary):
    res, _ = vgg16_summary
    assert res.total_params == res.trainable_params == 138_357_544
    assert res.param_bytes == 4 * 138_357_544
    counted = [r for r in res.layers if r.counted]
    assert [r.output_shape for r in counted] == VGG16_VOLUMES + [(n,) for n in VGG16_FC]
    expected = 224 * 224 * 3 + sum(int(np.prod(v)) for v in VGG16_VOLUMES) + sum(VGG16_FC)
    # The slides print "24M activations (~96 MB)", but the very table they sum gives 15.2M:
    # 150K + 2*3.2M + 800K + 2*1.6M + 400K + 3*800K + 200K + 3*400K + 100K + 3*100K + 25K + 9K.
    assert res.total_activations == expected == 15_237_608
    assert res.activation_bytes == 4 * expected
    assert res.input_activations == 150_528


def test_vgg16_every_layer_count_adds_relu_dropout_and_the_identity_avgpool(vgg16_summary):
    res, _ = vgg16_summary
    # each conv output again as its ReLU, fc6/fc7's ReLU and Dropout, and avgpool (7x7 -> 7x7)
    assert res.all_activations - res.total_activations == \
        VGG16_CONV_TOTAL + 4 * 4096 + 512 * 7 * 7
    assert res.all_activations == 28_826_600


def test_vgg16_table_text(vgg16_summary):
    res, text = vgg16_summary
    assert "Total params: 138,357,544" in text
    assert "features.0 (Conv2d)" in text and "[64, 224, 224]" in text
    assert "15,237,608" in text
    assert len(res.layers) == 39           # 13 conv + 13 relu + 5 pool + avgpool + 7 classifier
    assert res.output_shape == (1000,)
    assert sum(r.params for r in res.layers) == res.total_params


def test_lenet5_summary_counts_each_volume_once():
    model = models.lenet5()
    res = nn.summary(model, (1, 28, 28), print_table=False)
    assert res.total_params == 61_706
    # input, conv1, pool1, conv2, pool2, fc1, fc2, fc3
    counted = 28 * 28 + 6 * 28 * 28 + 6 * 14 * 14 + 16 * 10 * 10 + 16 * 5 * 5 + 120 + 84 + 10
    assert res.total_activations == counted
    # plus the four calls of the shared ReLU and the Flatten
    assert res.all_activations == counted + 6 * 28 * 28 + 16 * 10 * 10 + 400 + 120 + 84
    # the shared ReLU appears once per call, its (zero) parameters once
    assert [r.name for r in res.layers].count("relu") == 4
    assert sum(r.params for r in res.layers) == res.total_params


def test_float64_prices_eight_bytes():
    model = models.lenet5().double()
    res = nn.summary(model, (1, 28, 28), dtype=np.float64, print_table=False)
    assert res.activation_bytes == 8 * res.total_activations
    assert res.param_bytes == 8 * 61_706


def test_summary_restores_mode_and_removes_hooks():
    model = models.googlenet(num_classes=10, in_channels=1, small_input=True)
    assert model.training
    res = nn.summary(model, (1, 28, 28), print_table=False)
    assert model.training and model.aux1.training                  # restored
    assert all(not m._forward_hooks for m in model.modules())      # hooks removed
    # eval mode: the aux heads do not run, but their parameters are in the totals
    assert not any(r.name.startswith("aux") for r in res.layers)
    assert res.total_params == sum(p.numel() for p in model.parameters())
    # batch-norm running statistics untouched by the probe pass (eval mode)
    assert not model.conv1.bn.running_mean.numpy(force=True).any()


def test_non_trainable_parameters_are_reported():
    model = models.lenet5()
    model.conv1.weight.requires_grad_(False)
    res = nn.summary(model, (1, 28, 28), print_table=False)
    assert res.non_trainable_params == 150
    assert res.trainable_params == 61_706 - 150


def test_bad_arguments_raise():
    with pytest.raises(TypeError, match="nn.Module"):
        nn.summary("not a model", (1, 28, 28))
    with pytest.raises(TypeError, match="input_shape"):
        nn.summary(models.lenet5(), "128")


def test_int_input_shape_for_a_flat_model():
    mlp = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    res = nn.summary(mlp, 784, print_table=False)
    assert res.total_params == 784 * 32 + 32 + 32 * 10 + 10
    assert res.total_activations == 784 + 32 + 10 and res.output_shape == (10,)


@given(size=st.integers(8, 20), channels=st.integers(1, 3), filters=st.integers(1, 6),
       kernel=st.sampled_from([1, 3, 5]), stride=st.integers(1, 3), pad=st.integers(0, 2),
       pool=st.integers(1, 2))
def test_shapes_follow_the_conv_arithmetic(size, channels, filters, kernel, stride, pad, pool):
    """SLIDES section 4: output size (N - F + 2P) / S + 1, params (F*F*C + 1) * K."""
    if kernel > size + 2 * pad:
        return
    conv_out = (size - kernel + 2 * pad) // stride + 1
    pool_out = conv_out // pool
    if pool_out < 1:
        return
    model = nn.Sequential(nn.Conv2d(channels, filters, kernel, stride=stride, padding=pad),
                          nn.ReLU(), nn.MaxPool2d(pool), nn.Flatten(),
                          nn.Linear(filters * pool_out ** 2, 7))
    res = nn.summary(model, (channels, size, size), print_table=False)
    assert [r.output_shape for r in res.layers] == [
        (filters, conv_out, conv_out), (filters, conv_out, conv_out),
        (filters, pool_out, pool_out), (filters * pool_out ** 2,), (7,)]
    assert res.layers[0].params == (kernel * kernel * channels + 1) * filters
    assert res.total_activations == (channels * size ** 2 + filters * conv_out ** 2
                                     + filters * pool_out ** 2 + 7)
    assert res.all_activations == res.total_activations + filters * conv_out ** 2 \
        + filters * pool_out ** 2


def test_the_result_shows_as_the_table(capsys):
    res = nn.summary(models.lenet5(), (1, 28, 28), print_table=False)
    assert capsys.readouterr().out == ""
    print(res)
    printed = capsys.readouterr().out
    assert printed.count("Layer (type)") == 1 and "Total params: 61,706" in printed
    assert repr(res) == str(res) == printed.rstrip("\n")
    assert res._repr_html_().count("<tr>") == 2 + len(res.layers)     # header, input, layers
    assert res.input_shape == (1, 28, 28) and res.total_params == res[0]


def test_prints_by_default_except_at_an_interactive_prompt(capsys, monkeypatch):
    import sys
    nn.summary(models.lenet5(), (1, 28, 28))
    assert capsys.readouterr().out.count("Layer (type)") == 1
    monkeypatch.setattr(sys, "ps1", ">>> ", raising=False)
    nn.summary(models.lenet5(), (1, 28, 28))            # the prompt shows the result instead
    assert capsys.readouterr().out == ""


def test_saved_for_backward_per_layer_by_hand():
    # Linear keeps its input x (1, 4) (and its weight, which is not counted: a parameter);
    # ReLU keeps its output (1, 3); Dropout in eval mode is the identity (nothing recorded)
    mlp = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Dropout(0.5))
    res = nn.summary(mlp, 4, print_table=False)
    assert [r.saved_bytes for r in res.layers] == [4 * 4, 3 * 4, 0]
    assert res.saved_bytes == 28 and res.other_saved_bytes == 0
    assert "Saved for backward per image: 0.00 MB" in str(res) and "Saved MB" in str(res)
    train = nn.summary(mlp, 4, print_table=False, mode="train")
    assert train.layers[2].saved_bytes == 2 * 3 * 4       # training: input * mask keeps both
    assert mlp.training                                    # the mode is restored


def test_saved_for_backward_of_conv_pool_and_a_residual_add():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 2, 3, padding=1)
            self.pool = nn.MaxPool2d(2)

        def forward(self, x):
            return self.pool(self.conv(x) + x * 2.0)

    res = nn.summary(Block(), (2, 8, 8), print_table=False)
    conv, pool = res.layers
    assert conv.saved_bytes >= 2 * 8 * 8 * 4              # at least its input
    assert pool.saved_bytes == 2 * 4 * 4                  # one byte per window: its argmax
    assert res.other_saved_bytes == 0                      # + and * 2.0 keep nothing
    assert res.saved_bytes == conv.saved_bytes + pool.saved_bytes


def test_train_mode_restores_running_statistics_and_the_random_state():
    import autograd as ag
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Dropout(0.5))
    before = model[1].running_mean.numpy(force=True).copy()
    ag.manual_seed(1)
    expected = ag.rand(3).numpy()
    ag.manual_seed(1)
    res = nn.summary(model, (1, 6, 6), print_table=False, mode="train")
    assert res.layers[1].saved_bytes > 0
    np.testing.assert_array_equal(model[1].running_mean.numpy(force=True), before)
    np.testing.assert_array_equal(ag.rand(3).numpy(), expected)
    with pytest.raises(ValueError, match="mode"):
        nn.summary(model, (1, 6, 6), mode="inference")
