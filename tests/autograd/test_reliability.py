"""One minimal reproducer per item of issue 11 ("every bad input gets a clear error, nothing is
silently wrong"), each with PyTorch's answer as literal data (torch 2.13.0, /work/torchref).

Each test fails on the code before its fix (run with the framework's error classes read as
the builtins they derive from): 48 of these 53 fail on a5e2477, before the engine rewrite (the
5 that pass there are controls: norm p=1 and p=3, a complex list, Dropout(1.5), groups=2), and
the 22 conv/pool/layer/scalar-argument tests fail on 8946786, the engine rewrite, which fixed
the others. The broad sweep over the public API is tests/test_bad_inputs.py; the
checkpoint items are test_serialization_faults.py.
"""

import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd.errors import (ArgumentError, ArgumentTypeError, AutogradError, DimError,
                             DTypeError, ShapeError)


def leaf(values, dtype=ag.float32):
    return ag.tensor(values, dtype=dtype, requires_grad=True)


# -- silently wrong before ------------------------------------------------------------------------
@pytest.mark.parametrize("p, value", [(math.inf, 4.0), (-math.inf, 3.0), (0, 2.0), ("fro", 5.0),
                                      (1, 7.0), (3, 4.497941493988037)])
def test_norm_follows_vector_norm(p, value):
    # torch.norm(tensor([3., -4.]), p) -- torch 2.13.0 (p=inf gave 1.0 here, 0 and 'fro' raised)
    assert ag.tensor([3.0, -4.0]).norm(p=p).item() == pytest.approx(value, rel=1e-6)


def test_norm_inf_gradient_goes_to_the_largest_magnitude():
    x = leaf([3.0, -4.0])
    x.norm(p=math.inf).backward()
    assert x.grad.tolist() == [0.0, -1.0]            # torch 2.13.0


def test_norm_0_backward_runs_and_leaves_no_gradient():
    # torch 2.13.0: x.norm(p=0) has grad_fn LinalgVectorNormBackward0; backward leaves x.grad
    # None, and next to another term contributes nothing: (norm0 + x.sum()) -> grad [1, 1, 1]
    x = leaf([3.0, 0.0, -4.0])
    x.norm(p=0).backward()
    assert x.grad is None
    (ag.linalg.vector_norm(x, 0) + x.sum()).backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]


def test_a_hook_returning_the_wrong_shape_is_refused_on_a_leaf_and_an_intermediate():
    # torch: RuntimeError "hook '<lambda>' has changed the size of value"
    w = leaf([1.0, 1.0, 1.0])
    w.register_hook(lambda g: ag.ones(2))
    with pytest.raises(ShapeError, match=r"shape \(2,\) for a tensor of shape \(3,\)"):
        (w * 2).sum().backward()
    w = leaf([1.0, 1.0, 1.0])
    hidden = w * 2
    hidden.register_hook(lambda g: ag.ones(2))
    with pytest.raises(ShapeError, match=r"shape \(2,\) for a tensor of shape \(3,\)"):
        hidden.sum().backward()


def test_a_hook_returning_the_wrong_dtype_is_refused():
    w = leaf([1.0, 1.0])
    w.register_hook(lambda g: g.double())
    with pytest.raises(DTypeError, match=r"float64 for a tensor of dtype (autograd\.)?float32"):
        (w * 2).sum().backward()


def test_assigning_a_grad_of_the_wrong_shape_or_dtype_is_refused():
    w = leaf([1.0, 1.0, 1.0])
    with pytest.raises(ShapeError, match=r"\(2,\).*\(3,\)"):
        w.grad = ag.ones(2)
    with pytest.raises(DTypeError, match=r"float64.*float32"):
        w.grad = ag.ones(3, dtype=ag.float64)


def test_embedding_padding_idx_past_the_end_raises_and_minus_1_keeps_row_0s_gradient():
    # torch: AssertionError "Padding_idx must be within num_embeddings"
    with pytest.raises(ArgumentError, match="padding_idx 4"):
        nn.Embedding(4, 3, padding_idx=4)
    with pytest.raises(ArgumentError, match="padding_idx 4"):       # it wrapped to row 0
        F.embedding(ag.tensor([0, 1]), ag.ones(4, 3), padding_idx=4)
    e = nn.Embedding(4, 2, padding_idx=-1)           # row 3
    e(ag.tensor([0, 3, 0])).sum().backward()
    assert e.padding_idx == 3
    assert e.weight.grad.tolist() == [[2.0, 2.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]


def test_std_of_a_constant_has_a_zero_gradient():
    x = leaf([2.0, 2.0, 2.0])
    x.std().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]         # torch 2.13.0 (was nan)


def test_cross_entropy_with_every_target_ignored_is_nan_with_zero_gradients():
    x = leaf(np.arange(6.0).reshape(2, 3) / 10)
    loss = F.cross_entropy(x, ag.tensor([-100, -100]))
    loss.backward()
    assert math.isnan(loss.item())
    assert np.array_equal(x.grad.numpy(), np.zeros((2, 3)))   # torch: zeros (was nan)


@pytest.mark.parametrize("call", [
    lambda x: x.flatten(2, 1), lambda x: x.flatten(0, 3), lambda x: x.t(),
    lambda x: ag.ones(3).expand(-1, 3), lambda x: ag.ones(6).reshape(-2, 3),
    lambda x: ag.ones(6).split(-2), lambda x: ag.ones(6).chunk(-2),
    lambda x: ag.ones(6).split(0), lambda x: ag.ones(6).chunk(0),
], ids=["flatten(2, 1)", "flatten(0, 3)", "t() of 3-D", "expand(-1, 3)", "reshape(-2, 3)",
        "split(-2)", "chunk(-2)", "split(0)", "chunk(0)"])
def test_shape_arguments_pytorch_refuses_are_refused(call):
    with pytest.raises(ShapeError):                  # torch: RuntimeError / IndexError
        call(ag.ones(2, 3, 4))


def test_a_kernel_with_a_size_0_dim_raises():
    # torch: "kernel size should be greater than zero" (here it gave a (1, 6, 9, 6) result)
    with pytest.raises(ShapeError, match=r"conv2d: kernel size .*\(6, 3, 0, 3\)"):
        ag.conv2d(ag.ones(1, 3, 8, 8), ag.ones(6, 3, 0, 3))


@pytest.mark.parametrize("call", [
    lambda x: ag.conv2d(x, ag.ones(6, 3, 3, 3), stride=(1.5, 1.5)),
    lambda x: ag.max_pool2d(x, 2, stride=(1.5, 1.5)),
    lambda x: ag.avg_pool2d(x, (2, 1.5)),
    lambda x: nn.Conv2d(3, 6, 3, stride=(1.5, 1.5)),
], ids=["conv2d", "max_pool2d", "avg_pool2d", "nn.Conv2d"])
def test_a_float_stride_is_refused_not_truncated(call):
    # torch: TypeError "... must be tuple of ints, but found element of type float"
    with pytest.raises(ArgumentTypeError, match=r"1\.5"):
        call(ag.ones(1, 3, 8, 8))


def test_divisor_override_0_raises():
    # torch: RuntimeError "divisor must be not zero" (here it was ignored)
    with pytest.raises(ArgumentError, match="divisor_override"):
        ag.avg_pool2d(ag.ones(1, 1, 4, 4), 2, divisor_override=0)
    # a negative divisor divides, as in torch: avg of [[0, 1], [2, 3]] / -1 -> -6.0
    out = ag.avg_pool2d(ag.arange(4.0).reshape(1, 1, 2, 2), 2, divisor_override=-1)
    assert out.item() == -6.0


@pytest.mark.parametrize("data", [np.array([1, "a"], dtype=object), [1 + 2j],
                                  np.array([1 + 2j])], ids=["object", "complex", "complex array"])
def test_unsupported_dtypes_are_refused_naming_the_dtype(data):
    with pytest.raises(DTypeError, match="object|complex"):
        ag.tensor(data)
    if isinstance(data, np.ndarray):
        with pytest.raises(DTypeError, match="object|complex"):
            ag.from_numpy(data)


# -- raw errors before ------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error", [
    (lambda: ag.zeros(-1), ShapeError), (lambda: ag.arange(0, 5, 0), ArgumentError),
    (lambda: ag.tensor([[1, 2], [3]]), ShapeError)], ids=["zeros(-1)", "arange step 0", "ragged"])
def test_constructors_raise_framework_errors_naming_themselves(call, error):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).split(":")[0] in ("zeros", "arange", "tensor")


@pytest.mark.parametrize("call, message", [
    (lambda: ag.relu(2.0), "relu(): argument 'input' (position 1) must be Tensor, not float"),
    (lambda: F.relu([1.0]), "relu(): argument 'input' (position 1) must be Tensor, not list"),
    (lambda: ag.cat([1, 2]), "cat(): expected Tensor as element 0 in argument 'tensors', but "
                             "got int"),
    (lambda: ag.maximum(ag.ones(2), 2), "maximum(): argument 'other' (position 2) must be "
                                         "Tensor, not int"),
    (lambda: F.mse_loss(ag.ones(2), [1.0, 2.0]), "mse_loss(): argument 'target' (position 2) "
                                                  "must be Tensor, not list"),
    (lambda: ag.conv2d([[1.0]], ag.ones(1, 1, 1, 1)), "conv2d(): argument 'input' (position 1) "
                                                       "must be Tensor, not list"),
], ids=["relu", "F.relu", "cat", "maximum", "mse_loss", "conv2d"])
def test_python_scalars_or_lists_where_a_tensor_is_expected(call, message):
    # torch 2.13.0 gives the same words ("relu(): argument 'input' (position 1) must be
    # Tensor, not float"); here they were AttributeErrors from inside the op
    with pytest.raises(ArgumentTypeError) as info:
        call()
    assert str(info.value) == message


def test_numbers_are_accepted_where_pytorch_accepts_them():
    x = ag.arange(3.0)
    assert ag.add(2, x).tolist() == [2.0, 3.0, 4.0]          # torch.add(2, x)
    assert ag.add(2, 3).item() == 5 and ag.add(2, 3).dtype == np.int64
    assert ag.where(x > 0, x, 2).tolist() == [2.0, 1.0, 2.0]


def test_softmax_dim_out_of_range_argmax_of_empty_and_clamp_with_tensor_bounds():
    with pytest.raises(DimError, match="softmax: dim 5"):
        ag.softmax(ag.ones(2, 3), 5)
    with pytest.raises(DimError, match="argmax"):
        ag.ones(0).argmax()
    x, lo, hi = leaf([-1.0, 0.5, 2.0]), leaf([0.0, 0.0, 0.0]), leaf([1.0, 0.2, 1.0])
    out = ag.clamp(x, lo, hi)
    out.sum().backward()
    assert out.tolist() == pytest.approx([0.0, 0.2, 1.0])    # torch 2.13.0
    assert (x.grad.tolist(), lo.grad.tolist(), hi.grad.tolist()) == \
        ([0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 1.0])


@pytest.mark.parametrize("make", [
    lambda: nn.Linear(-1, 3), lambda: nn.Conv2d(3, 6, 0), lambda: nn.BatchNorm2d(-1),
    lambda: nn.Embedding(3, -1), lambda: nn.MaxPool2d(0), lambda: nn.LayerNorm((2, -1)),
    lambda: nn.Dropout(1.5), lambda: nn.LocalResponseNorm(0), lambda: nn.Conv2d(3, 6, 3, groups=2),
], ids=["Linear(-1, 3)", "Conv2d(3, 6, 0)", "BatchNorm2d(-1)", "Embedding(3, -1)",
        "MaxPool2d(0)", "LayerNorm((2, -1))", "Dropout(1.5)", "LocalResponseNorm(0)",
        "Conv2d groups=2"])
def test_layer_constructors_refuse_a_bad_size_naming_the_layer(make):
    with pytest.raises(ArgumentError) as info:
        make()
    assert str(info.value).split(":")[0] in ("Linear", "Conv2d", "BatchNorm2d", "Embedding",
                                             "MaxPool2d", "LayerNorm", "Dropout",
                                             "LocalResponseNorm")


def test_empty_layers_are_built_as_pytorch_builds_them():
    # torch 2.13.0: Linear(0, 3) and Conv2d(3, 0, 3) work (with a "zero-element" warning)
    with pytest.warns(UserWarning, match="zero-element"):
        assert nn.Linear(0, 3).weight.shape == (3, 0)
    with pytest.warns(UserWarning, match="zero-element"):
        assert nn.Conv2d(3, 0, 3).weight.shape == (0, 3, 3, 3)


def test_every_error_above_is_a_framework_error():
    assert all(issubclass(c, AutogradError) for c in (ArgumentError, ArgumentTypeError,
                                                      DimError, DTypeError, ShapeError))
    assert issubclass(ArgumentError, ValueError) and issubclass(ArgumentTypeError, TypeError)
