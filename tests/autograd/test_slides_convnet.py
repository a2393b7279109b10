"""The slides' ConvNet numbers (sections 3 and 4 of the reference), through the public API:
the X image filtered with three features, ReLU, 2x2 max pooling with the partial window kept,
the CS231n worked example (stride 2, pad 1) and the output-size / parameter arithmetic."""

import numpy as np
import pytest

import autograd as ag

# SLIDES section 3: the canonical 9x9 X (pixels in {-1, 1})
X_IMAGE = [
    [-1, -1, -1, -1, -1, -1, -1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, -1, -1, 1, -1, -1, -1, -1],
    [-1, -1, -1, 1, -1, 1, -1, -1, -1],
    [-1, -1, 1, -1, -1, -1, 1, -1, -1],
    [-1, 1, -1, -1, -1, -1, -1, 1, -1],
    [-1, -1, -1, -1, -1, -1, -1, -1, -1],
]
DIAGONAL = [[1, -1, -1], [-1, 1, -1], [-1, -1, 1]]
X_CROSS = [[1, -1, 1], [-1, 1, -1], [1, -1, 1]]
ANTI_DIAGONAL = [[-1, -1, 1], [-1, 1, -1], [1, -1, -1]]

DIAGONAL_MAP = [
    [0.77, -0.11, 0.11, 0.33, 0.55, -0.11, 0.33],
    [-0.11, 1.00, -0.11, 0.33, -0.11, 0.11, -0.11],
    [0.11, -0.11, 1.00, -0.33, 0.11, -0.11, 0.55],
    [0.33, 0.33, -0.33, 0.55, -0.33, 0.33, 0.33],
    [0.55, -0.11, 0.11, -0.33, 1.00, -0.11, 0.11],
    [-0.11, 0.11, -0.11, 0.33, -0.11, 1.00, -0.11],
    [0.33, -0.11, 0.55, 0.33, 0.11, -0.11, 0.77],
]
X_CROSS_MAP = [
    [0.33, -0.55, 0.11, -0.11, 0.11, -0.55, 0.33],
    [-0.55, 0.55, -0.55, 0.33, -0.55, 0.55, -0.55],
    [0.11, -0.55, 0.55, -0.77, 0.55, -0.55, 0.11],
    [-0.11, 0.33, -0.77, 1.00, -0.77, 0.33, -0.11],
    [0.11, -0.55, 0.55, -0.77, 0.55, -0.55, 0.11],
    [-0.55, 0.55, -0.55, 0.33, -0.55, 0.55, -0.55],
    [0.33, -0.55, 0.11, -0.11, 0.11, -0.55, 0.33],
]
POOLED = {  # max pooling 2/2, last partial window kept (7x7 -> 4x4)
    "diagonal": [[1.00, 0.33, 0.55, 0.33], [0.33, 1.00, 0.33, 0.55],
                 [0.55, 0.33, 1.00, 0.11], [0.33, 0.55, 0.11, 0.77]],
    "x-cross": [[0.55, 0.33, 0.55, 0.33], [0.33, 1.00, 0.55, 0.11],
                [0.55, 0.55, 0.55, 0.11], [0.33, 0.11, 0.11, 0.33]],
    "anti-diagonal": [[0.33, 0.55, 1.00, 0.77], [0.55, 0.55, 1.00, 0.33],
                      [1.00, 1.00, 0.11, 0.55], [0.77, 0.33, 0.55, 0.33]],
}
TOL = 0.01   # the slides print values truncated to two decimals


def _feature_maps():
    """The X filtered with the three features at once: one conv2d with 3 filters, / 9."""
    image = ag.tensor(X_IMAGE, dtype=np.float32).reshape(1, 1, 9, 9)
    filters = ag.tensor([DIAGONAL, X_CROSS, ANTI_DIAGONAL], dtype=np.float32).reshape(3, 1, 3, 3)
    return ag.conv2d(image, filters) / 9


def test_x_filtered_with_three_features():
    maps = _feature_maps()
    assert maps.shape == (1, 3, 7, 7)
    np.testing.assert_allclose(maps.numpy()[0, 0], DIAGONAL_MAP, atol=TOL)
    np.testing.assert_allclose(maps.numpy()[0, 1], X_CROSS_MAP, atol=TOL)
    # the anti-diagonal map is the diagonal map mirrored left to right
    np.testing.assert_allclose(maps.numpy()[0, 2], np.fliplr(DIAGONAL_MAP), atol=TOL)


def test_full_match_and_two_mismatches():
    maps = _feature_maps().numpy()[0, 0]
    assert maps[1, 1] == pytest.approx(1.0)          # full patch match
    assert maps[0, 4] == pytest.approx(5 / 9)        # two mismatches: (7 - 2) / 9


def test_max_pooling_keeps_the_partial_window():
    pooled = ag.max_pool2d(_feature_maps(), 2, 2, ceil_mode=True)
    assert pooled.shape == (1, 3, 4, 4)
    for c, name in enumerate(["diagonal", "x-cross", "anti-diagonal"]):
        np.testing.assert_allclose(pooled.numpy()[0, c], POOLED[name], atol=TOL, err_msg=name)
    # without ceil_mode the partial window is dropped: 7x7 -> 3x3
    assert ag.max_pool2d(_feature_maps(), 2).shape == (1, 3, 3, 3)


def test_relu_of_the_diagonal_map():
    rectified = ag.relu(_feature_maps()).numpy()[0, 0]
    np.testing.assert_allclose(rectified[0], [0.77, 0, 0.11, 0.33, 0.55, 0, 0.33], atol=TOL)
    np.testing.assert_allclose(rectified, np.maximum(DIAGONAL_MAP, 0), atol=TOL)


def test_stack_conv_relu_pool_backpropagates_to_the_maxima():
    image = ag.tensor(X_IMAGE, dtype=np.float32).reshape(1, 1, 9, 9)
    filters = ag.tensor(DIAGONAL, dtype=np.float32, requires_grad=True).reshape(1, 1, 3, 3)
    maps = ag.conv2d(image, filters) / 9
    maps.retain_grad()
    ag.max_pool2d(ag.relu(maps), 2, 2, ceil_mode=True).sum().backward()
    # each of the 16 windows passes gradient 1/1 to exactly one (positive) map element
    assert (maps.grad.numpy() != 0).sum() == 16
    assert maps.grad.numpy().sum() == pytest.approx(16)


# SLIDES section 4: the worked example, input H x W per channel (5x5 before padding)
X_WORKED = [  # x[:, :, c], unpadded
    [[2, 2, 0, 1, 2], [2, 0, 2, 0, 2], [0, 0, 0, 0, 1], [0, 1, 0, 2, 1], [1, 2, 1, 1, 1]],
    [[2, 2, 0, 0, 0], [1, 2, 0, 1, 2], [1, 1, 1, 0, 0], [0, 0, 1, 2, 0], [1, 2, 0, 1, 2]],
    [[0, 2, 1, 1, 1], [2, 0, 0, 2, 0], [1, 2, 1, 1, 2], [2, 0, 2, 0, 1], [2, 0, 0, 2, 1]],
]
W0 = [[[1, 1, 0], [-1, 0, 0], [0, 0, -1]],
      [[-1, 1, 1], [-1, -1, -1], [0, 1, -1]],
      [[-1, 1, 0], [1, -1, 0], [1, 0, 1]]]
W1 = [[[0, -1, 1], [0, 0, 1], [0, -1, 0]],
      [[1, 0, -1], [1, 0, -1], [-1, -1, -1]],
      [[-1, 1, 0], [1, 0, -1], [0, 1, 0]]]
O0 = [[-4, -1, 4], [4, -2, 1], [-2, 2, 0]]
O1 = [[-5, -1, -4], [-3, 0, -4], [3, 2, 5]]


def test_worked_example_stride_2_pad_1():
    x = ag.tensor([X_WORKED], dtype=np.float32)                  # (1, 3, 5, 5)
    w = ag.tensor([W0, W1], dtype=np.float32)                    # (2, 3, 3, 3)
    b = ag.tensor([1.0, 0.0])
    out = ag.conv2d(x, w, b, stride=2, padding=1)
    assert out.shape == (1, 2, 3, 3)
    np.testing.assert_array_equal(out.numpy()[0, 0], O0)
    np.testing.assert_array_equal(out.numpy()[0, 1], O1)


def test_pooling_single_slice():
    x = ag.tensor([[[[1, 1, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [1, 2, 3, 4]]]], dtype=np.float32)
    np.testing.assert_array_equal(ag.max_pool2d(x, 2, 2).numpy()[0, 0], [[6, 8], [3, 4]])


def test_output_size_and_parameter_count():
    # input 32x32x3, ten 5x5 filters, stride 1, pad 2 -> 32x32x10
    x = ag.zeros(1, 3, 32, 32)
    w = ag.zeros(10, 3, 5, 5)
    b = ag.zeros(10)
    assert ag.conv2d(x, w, b, stride=1, padding=2).shape == (1, 10, 32, 32)
    per_filter = w[0].numel() + b[0].numel()
    assert per_filter == 5 * 5 * 3 + 1 == 76
    assert w.numel() + b.numel() == 760
    # (N - F + 2P) / stride + 1 for the other cases the slides list
    for f, p in [(3, 1), (5, 2), (7, 3)]:
        assert ag.conv2d(ag.zeros(1, 1, 7, 7), ag.zeros(1, 1, f, f), padding=p).shape[2:] \
            == (7, 7)
    # 1x1 convolutions: 64 channels -> 32 filters of 1x1x64 keep the spatial size
    assert ag.conv2d(ag.zeros(1, 64, 9, 9), ag.zeros(32, 64, 1, 1)).shape == (1, 32, 9, 9)
