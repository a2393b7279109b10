"""Minimal reproducers of the defect classes the differential fuzzing found (issue 10, "Exact").

* advanced indexing with an int and an index array separated by a slice (``x[0, :, [1, 2]]``):
  PyTorch applies the int first (a basic select), so the indexed axis stays where the array
  was; numpy treats the int as advanced too and moves the axis to the front;
* reductions and softmax/log_softmax/logsumexp with dim=0 or -1 on 0-d tensors;
* reductions over an empty dimension (sum 0, mean nan, max raises IndexError);
* ``flatten`` of empty tensors.

Every expected value, shape, gradient and error type below comes from torch 2.13.0
(/work/torchref), copied as literal data.
"""

import warnings

import numpy as np
import pytest

import autograd as ag
from autograd.errors import AutogradError

X3 = np.arange(24.0).reshape(2, 3, 4)
X4 = np.arange(120.0).reshape(2, 3, 4, 5)
S = slice(None)

# (array, index, result shape, result values) -- torch 2.13.0
MIXED_INDEXING = [
    (X3, (0, S, [1, 2]), (3, 2), [[1, 2], [5, 6], [9, 10]]),                 # numpy: (2, 3)
    (X3, (1, S, [3, 0, 3]), (3, 3), [[15, 12, 15], [19, 16, 19], [23, 20, 23]]),  # numpy: .T
    (X3, (0, S, [[1], [2]]), (3, 2, 1), [[[1], [2]], [[5], [6]], [[9], [10]]]),  # numpy: (2, 1, 3)
    (X4, (1, S, [0, 2], S), (3, 2, 5),                                       # numpy: (2, 3, 5)
     [[[60, 61, 62, 63, 64], [70, 71, 72, 73, 74]],
      [[80, 81, 82, 83, 84], [90, 91, 92, 93, 94]],
      [[100, 101, 102, 103, 104], [110, 111, 112, 113, 114]]]),
    (X4, (S, 0, S, [1, 4]), (2, 4, 2),                                       # numpy: (2, 2, 4)
     [[[1, 4], [6, 9], [11, 14], [16, 19]], [[61, 64], [66, 69], [71, 74], [76, 79]]]),
    (X4, (0, slice(1, 3), [3, 1]), (2, 2, 5),                                # numpy: values moved
     [[[35, 36, 37, 38, 39], [25, 26, 27, 28, 29]], [[55, 56, 57, 58, 59], [45, 46, 47, 48, 49]]]),
    # two index arrays separated by a slice: PyTorch and numpy agree (indexed axis first)
    (X3, ([1, 0], S, 2), (2, 3), [[14, 18, 22], [2, 6, 10]]),
]


def index_id(index):
    parts = []
    for i in index:
        parts.append(":" if i == S else f"{i.start}:{i.stop}" if isinstance(i, slice) else str(i))
    return "x[" + ", ".join(parts) + "]"


@pytest.mark.parametrize("array, index, shape, expected", MIXED_INDEXING,
                         ids=[index_id(c[1]) for c in MIXED_INDEXING])
def test_int_and_index_array_separated_by_a_slice_index_like_pytorch(array, index, shape,
                                                                     expected):
    out = ag.tensor(array)[index]
    assert out.shape == shape, f"{index_id(index)}: shape {out.shape}, PyTorch gives {shape}"
    np.testing.assert_array_equal(out.numpy(), np.asarray(expected, dtype=np.float64))


# (index, upstream gradient, d/dx) for x = arange(24.).reshape(2, 3, 4), float64 -- torch 2.13.0
MIXED_INDEXING_GRADS = [
    ((0, S, [1, 2]), np.arange(6.0).reshape(3, 2),
     [[[0, 0, 1, 0], [0, 2, 3, 0], [0, 4, 5, 0]], [[0, 0, 0, 0]] * 3]),
    ((1, S, [3, 0, 3]), np.arange(9.0).reshape(3, 3) + 1,    # index 3 twice: gradients add up
     [[[0, 0, 0, 0]] * 3, [[2, 0, 0, 4], [5, 0, 0, 10], [8, 0, 0, 16]]]),
]


@pytest.mark.parametrize("index, upstream, expected", MIXED_INDEXING_GRADS,
                         ids=[index_id(c[0]) for c in MIXED_INDEXING_GRADS])
def test_mixed_indexing_gradient_goes_where_pytorch_puts_it(index, upstream, expected):
    x = ag.tensor(X3, requires_grad=True)
    x[index].backward(ag.tensor(upstream))
    np.testing.assert_array_equal(x.grad.numpy(), np.asarray(expected, dtype=np.float64))


# -- reductions on 0-d tensors -----------------------------------------------------------------
# (name, call, value, d/dx) on x = tensor(2.5, float64), for dim in (0, -1) -- torch 2.13.0;
# the result is 0-d with or without keepdim
ZERO_D = [
    ("sum", lambda x, d, k: x.sum(d, keepdim=k), 2.5, 1.0),
    ("mean", lambda x, d, k: x.mean(d, keepdim=k), 2.5, 1.0),
    ("amax", lambda x, d, k: x.amax(d, keepdim=k), 2.5, 1.0),
    ("max.values", lambda x, d, k: x.max(d, keepdim=k)[0], 2.5, 1.0),
    ("min.values", lambda x, d, k: x.min(d, keepdim=k)[0], 2.5, 1.0),
    ("logsumexp", lambda x, d, k: x.logsumexp(d, keepdim=k), 2.5, 1.0),
    ("norm", lambda x, d, k: x.norm(dim=d, keepdim=k), 2.5, 1.0),
    ("softmax", lambda x, d, k: x.softmax(d), 1.0, 0.0),
    ("log_softmax", lambda x, d, k: x.log_softmax(d), 0.0, 0.0),
    ("var(correction=0)", lambda x, d, k: x.var(d, keepdim=k, correction=0), 0.0, None),
    ("std(correction=0)", lambda x, d, k: x.std(d, keepdim=k, correction=0), 0.0, None),
]


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name, call, value, grad", ZERO_D, ids=[c[0] for c in ZERO_D])
def test_reduction_over_dim_0_or_minus_1_of_a_0d_tensor(name, call, value, grad, dim, keepdim):
    x = ag.tensor(2.5, dtype=ag.float64, requires_grad=True)
    out = call(x, dim, keepdim)
    assert out.shape == (), f"{name}(dim={dim}) of a 0-d tensor: shape {out.shape}, PyTorch ()"
    assert out.item() == value
    if grad is not None:
        out.backward()
        assert x.grad.item() == grad


def test_norm_of_a_negative_0d_tensor_has_gradient_minus_1():
    # torch 2.13.0: tensor(-2.5).norm(dim=0) -> 2.5, grad -1.0
    x = ag.tensor(-2.5, dtype=ag.float64, requires_grad=True)
    out = x.norm(dim=0)
    out.backward()
    assert out.item() == 2.5 and x.grad.item() == -1.0


@pytest.mark.parametrize("dim", [0, -1])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_of_a_0d_tensor_is_0(name, dim):
    # torch 2.13.0: tensor(2.5).argmax(0) -> tensor(0), shape (), int64
    out = getattr(ag.tensor(2.5, dtype=ag.float64), name)(dim)
    assert out.shape == () and out.item() == 0 and out.dtype == np.int64


@pytest.mark.parametrize("dim", [0, -1])
def test_max_with_dim_of_a_0d_tensor_gives_index_0(dim):
    # torch 2.13.0: tensor(2.5).max(0) -> values tensor(2.5), indices tensor(0), both 0-d
    values, indices = ag.tensor(2.5, dtype=ag.float64).max(dim)
    assert values.shape == () and indices.shape == () and indices.item() == 0


@pytest.mark.parametrize("name", ["var", "std"])
def test_unbiased_var_and_std_of_a_0d_tensor_are_nan(name):
    # torch 2.13.0: nan (with a UserWarning "degrees of freedom is <= 0")
    x = ag.tensor(2.5, dtype=ag.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = getattr(x, name)(0)
    assert out.shape == () and np.isnan(out.item())


# -- reductions over an empty dimension --------------------------------------------------------
def empty_x():
    return ag.zeros(2, 0, 3, dtype=ag.float64, requires_grad=True)


# (name, call, result shape, fill value of the result, PyTorch warns) on x = zeros(2, 0, 3)
# -- torch 2.13.0; only var/std warn there (UserWarning "degrees of freedom is <= 0"), the
# others are silent, so a numpy RuntimeWarning leaking out of the framework is a failure
EMPTY_OK = [
    ("sum(1)", lambda x: x.sum(1), (2, 3), 0.0, False),
    ("sum()", lambda x: x.sum(), (), 0.0, False),
    ("sum(1, keepdim)", lambda x: x.sum(1, keepdim=True), (2, 1, 3), 0.0, False),
    ("mean(1)", lambda x: x.mean(1), (2, 3), np.nan, False),
    ("mean()", lambda x: x.mean(), (), np.nan, False),
    ("var(1)", lambda x: x.var(1), (2, 3), np.nan, True),
    ("std(1)", lambda x: x.std(1), (2, 3), np.nan, True),
    ("logsumexp(1)", lambda x: x.logsumexp(1), (2, 3), -np.inf, False),
    ("norm(dim=1)", lambda x: x.norm(dim=1), (2, 3), 0.0, False),
    ("sum(2)", lambda x: x.sum(2), (2, 0), None, False),
    ("amax(2)", lambda x: x.amax(2), (2, 0), None, False),
    ("softmax(1)", lambda x: x.softmax(1), (2, 0, 3), None, False),
]


@pytest.mark.parametrize("name, call, shape, fill, warns", EMPTY_OK, ids=[c[0] for c in EMPTY_OK])
def test_reduction_over_an_empty_dim_matches_pytorch(name, call, shape, fill, warns):
    x = empty_x()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore" if warns else "error")
        out = call(x)
        if out.requires_grad and out.numel() > 0:
            out.sum().backward()
    assert out.shape == shape, f"{name}: shape {out.shape}, PyTorch gives {shape}"
    if fill is not None:
        np.testing.assert_array_equal(out.detach().numpy(), np.full(shape, fill))
    if x.grad is not None:
        assert x.grad.shape == (2, 0, 3)


# (name, call, builtin error PyTorch raises, words its message must contain) -- torch 2.13.0:
#   x.max(1)   IndexError "max(): Expected reduction dim 1 to have non-zero size."
#   x.max()    RuntimeError "max(): Expected reduction dim to be specified for input.numel() == 0."
#   x.argmax() IndexError "argmax(): Expected reduction dim to be specified for input.numel() == 0."
EMPTY_RAISES = [
    ("max(1)", lambda x: x.max(1), IndexError, "max"),
    ("min(1)", lambda x: x.min(1), IndexError, "min"),
    ("amax(1)", lambda x: x.amax(1), IndexError, "amax"),
    ("argmax(1)", lambda x: x.argmax(1), IndexError, "argmax"),
    ("max()", lambda x: x.max(), RuntimeError, "max"),
    ("argmax()", lambda x: x.argmax(), IndexError, "argmax"),
]


@pytest.mark.parametrize("name, call, error, op", EMPTY_RAISES, ids=[c[0] for c in EMPTY_RAISES])
def test_max_over_an_empty_dim_raises_a_framework_error(name, call, error, op):
    with pytest.raises(error) as info:
        call(empty_x())
    assert isinstance(info.value, AutogradError), \
        f"{name}: expected a framework error that is also {error.__name__}, got " \
        f"{type(info.value).__module__}.{type(info.value).__name__}: {info.value}"
    message = str(info.value)
    assert op in message, f"the message should name the op ({op}): {message}"
    assert "(2, 0, 3)" in message or "[2, 0, 3]" in message or "size" in message.lower(), \
        f"the message should say the reduced size is zero: {message}"


# -- flatten of empty tensors --------------------------------------------------------------------
# (shape, flatten args, result shape) -- torch 2.13.0
EMPTY_FLATTEN = [
    ((0,), (), (0,)),
    ((2, 0, 3), (), (0,)),
    ((2, 0, 3), (1,), (2, 0)),
    ((2, 0, 3), (0, 1), (0, 3)),
    ((0, 3), (1,), (0, 3)),
    ((2, 0), (0, -1), (0,)),
    ((3, 0, 4, 5), (1, 2), (3, 0, 5)),
    ((0, 2, 2), (1,), (0, 4)),
]


@pytest.mark.parametrize("shape, args, expected", EMPTY_FLATTEN,
                         ids=[f"{s}.flatten{a}" for s, a, _ in EMPTY_FLATTEN])
def test_flatten_of_an_empty_tensor(shape, args, expected):
    x = ag.zeros(*shape, dtype=ag.float64, requires_grad=True)
    out = x.flatten(*args)
    assert out.shape == expected, f"zeros{shape}.flatten{args}: {out.shape}, PyTorch {expected}"
    out.sum().backward()
    assert x.grad.shape == shape
