"""viz plots: each returns a Figure, and the PNG it writes has the expected pixel size."""

import numpy as np
import pytest

import autograd as ag
import viz

image = pytest.importorskip("matplotlib.image")
nn = pytest.importorskip("nn")


def png_shape(path):
    return image.imread(str(path)).shape


def conv_net():
    ag.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(3 * 3 * 3, 2))


def test_feature_maps_one_row_per_conv_relu_pool_layer(tmp_path):
    model = conv_net()
    x = ag.randn(1, 8, 8)
    fig = viz.plot_feature_maps(model, x, max_channels=4, path=tmp_path / "maps.png",
                                figsize=(5, 4), dpi=50)
    assert png_shape(tmp_path / "maps.png")[:2] == (4 * 50, 5 * 50)
    # input, conv, relu, pool: 4 rows of (label + 4 channels)
    assert len(fig.axes) == 4 * 5
    shown = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(shown) == 1 + 3 + 3 + 3                      # 1 input channel, 3 per layer
    with ag.no_grad():
        conv = model[0](x.reshape(1, 1, 8, 8)).numpy(force=True)[0]
    np.testing.assert_allclose(shown[1], conv[0], rtol=1e-6)   # the conv's first map
    assert shown[-1].shape == (3, 3)                         # pooled 6x6 -> 3x3
    assert model[0]._forward_hooks == {}                     # hooks removed


def test_feature_maps_layer_selection_and_errors():
    model = conv_net()
    fig = viz.plot_feature_maps(model, ag.randn(1, 1, 8, 8), layers=["1"], max_channels=3)
    assert len(fig.axes) == 2 * 4
    with pytest.raises(ValueError, match="no module named"):
        viz.plot_feature_maps(model, ag.randn(1, 8, 8), layers=["conv9"])
    with pytest.raises(ValueError, match=r"\(C, H, W\)"):
        viz.plot_feature_maps(model, ag.randn(8, 8))


def test_filters(tmp_path):
    conv = nn.Conv2d(1, 6, 3)
    fig = viz.plot_filters(conv, path=tmp_path / "f.png", figsize=(6, 2), dpi=40, cols=3)
    assert png_shape(tmp_path / "f.png")[:2] == (2 * 40, 6 * 40)
    shown = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(shown) == 6
    np.testing.assert_allclose(shown[4], conv.weight.numpy(force=True)[4, 0])
    rgb = viz.plot_filters(ag.randn(4, 3, 5, 5))             # three channels: colour images
    arrays = [ax.images[0].get_array() for ax in rgb.axes if ax.images]
    assert len(arrays) == 4 and arrays[0].shape == (5, 5, 3)
    assert arrays[0].min() == 0 and arrays[0].max() == 1
    with pytest.raises(ValueError, match="out_channels, in_channels"):
        viz.plot_filters(ag.randn(3, 3))


def test_history(tmp_path):
    history = {"train_loss": [1.0, 0.6, 0.4], "test_loss": [1.1, 0.7, 0.5],
               "train_accuracy": [0.5, 0.7, 0.8], "test_accuracy": [0.45, 0.65, 0.75]}
    fig = viz.plot_history(history, path=tmp_path / "h.png", figsize=(8, 3), dpi=60)
    assert png_shape(tmp_path / "h.png")[:2] == (3 * 60, 8 * 60)
    loss_ax, acc_ax = fig.axes
    assert [line.get_label() for line in loss_ax.lines] == ["train_loss", "test_loss"]
    np.testing.assert_allclose(acc_ax.lines[1].get_ydata(), history["test_accuracy"])
    np.testing.assert_allclose(acc_ax.lines[1].get_xdata(), [1, 2, 3])
    assert len(viz.plot_history({"loss": [3, 2]}).axes) == 1
    with pytest.raises(ValueError, match="empty"):
        viz.plot_history({})
    with pytest.raises(TypeError, match="dict of lists"):
        viz.plot_history([1, 2])


def test_confusion_matrix(tmp_path):
    y_true = [0, 0, 1, 1, 1, 2]
    y_pred = [0, 1, 1, 1, 2, 2]
    fig = viz.plot_confusion_matrix(ag.tensor(y_true), np.array(y_pred), ["a", "b", "c"],
                                    path=tmp_path / "c.png", figsize=(4, 4), dpi=50)
    assert png_shape(tmp_path / "c.png")[:2] == (200, 200)
    np.testing.assert_array_equal(fig.matrix, [[1, 1, 0], [0, 2, 1], [0, 0, 1]])
    assert "accuracy 66.7%" in fig.axes[0].get_title()
    norm = viz.plot_confusion_matrix(y_true, y_pred, normalize=True)
    np.testing.assert_allclose(norm.matrix.sum(axis=1), 1.0)
    with pytest.raises(ValueError, match="labels must lie"):
        viz.plot_confusion_matrix([0, 3], [0, 1], ["a", "b"])
    with pytest.raises(ValueError, match="y_pred"):
        viz.plot_confusion_matrix([0, 1], [0])
