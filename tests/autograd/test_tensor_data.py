"""``Tensor.data`` with PyTorch's semantics, and ``.numpy()`` (issue 10, "Exact").

``t.data`` is a Tensor that shares storage with ``t``, is detached (requires_grad False,
grad_fn None) and is version-counted; ``t.data = other`` replaces the values (the shape may
change). ``.numpy()`` returns the shared ndarray, refuses a tensor that requires grad
(RuntimeError) unless ``force=True``.

Values checked with torch 2.13.0 (/work/torchref). One deliberate difference from PyTorch:
writes through ``.data`` are seen by the version counter (torch gives ``.data`` a fresh
counter; see test_inplace_versions.py).
"""

import numpy as np
import pytest

import autograd as ag
import nn
from autograd.errors import InplaceError


def leaf(values):
    return ag.tensor(values, requires_grad=True)


def test_data_is_a_detached_tensor_sharing_storage():
    # torch 2.13.0: type Tensor, requires_grad False, grad_fn None, is_leaf True, same data_ptr
    p = leaf([1.0, 2.0])
    d = p.data
    assert isinstance(d, ag.Tensor), f"p.data should be a Tensor, got {type(d).__name__}"
    assert d.requires_grad is False and d.grad_fn is None and d.is_leaf
    assert d.shape == (2,) and d.dtype == np.float32
    assert np.shares_memory(d.numpy(), p.detach().numpy())


def test_data_of_a_non_leaf_is_detached_too():
    # torch 2.13.0: (p * 2).data.requires_grad is False, grad_fn None
    y = leaf([1.0, 2.0]) * 2.0
    assert y.data.requires_grad is False and y.data.grad_fn is None
    np.testing.assert_array_equal(y.data.numpy(), [2.0, 4.0])


# (method, argument, values of p = [1, 2] afterwards) -- torch 2.13.0, each from a fresh p
DATA_WRITES = [
    ("add_", 1.0, [2.0, 3.0]),
    ("mul_", 2.0, [2.0, 4.0]),
    ("copy_", [5.0, 6.0], [5.0, 6.0]),
    ("zero_", None, [0.0, 0.0]),
    ("fill_", 0.01, [0.01, 0.01]),
]


@pytest.mark.parametrize("method, arg, expected", DATA_WRITES, ids=[w[0] for w in DATA_WRITES])
def test_in_place_through_data_changes_the_tensor(method, arg, expected):
    p = leaf([1.0, 2.0])
    args = () if arg is None else (ag.tensor(arg) if isinstance(arg, list) else arg,)
    getattr(p.data, method)(*args)
    np.testing.assert_allclose(p.detach().numpy(), np.float32(expected), rtol=0, atol=0)
    assert p.requires_grad and p.is_leaf, "writing through .data must leave p a leaf"


@pytest.mark.parametrize("method, arg, expected", DATA_WRITES, ids=[w[0] for w in DATA_WRITES])
def test_in_place_through_data_is_seen_by_the_version_counter(method, arg, expected):
    # Specification, not PyTorch: torch 2.13.0 does not count writes through .data.
    p = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    y = (w * p).sum()
    args = () if arg is None else (ag.tensor(arg) if isinstance(arg, list) else arg,)
    getattr(p.data, method)(*args)
    with pytest.raises(InplaceError):
        y.backward()


def test_bias_data_fill_as_in_pytorch_init_code():
    # torch 2.13.0: m = Linear(2, 3); m.bias.data.fill_(0.01) -> bias [0.01, 0.01, 0.01]
    m = nn.Linear(2, 3)
    m.bias.data.fill_(0.01)
    np.testing.assert_array_equal(m.bias.detach().numpy(), np.full(3, 0.01, np.float32))
    assert isinstance(m.bias, nn.Parameter) and m.bias.requires_grad


def test_assigning_data_replaces_values_and_may_change_shape():
    # torch 2.13.0: p.data = tensor([[1., 2., 3.]]) -> p is [[1, 2, 3]], shape (1, 3), still a
    # leaf that requires grad
    p = leaf([1.0, 2.0])
    p.data = ag.tensor([[1.0, 2.0, 3.0]])
    assert p.shape == (1, 3)
    assert p.tolist() == [[1.0, 2.0, 3.0]]
    assert p.requires_grad and p.is_leaf


def test_assigning_data_keeps_the_tensor_usable_for_training():
    p = leaf([1.0, 2.0])
    p.data = ag.tensor([3.0, 4.0, 5.0])
    (p * p).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), [6.0, 8.0, 10.0])


def test_numpy_returns_the_shared_ndarray():
    # torch 2.13.0: q = tensor([1., 2.]); q.numpy()[0] = 9 -> q is [9., 2.]
    q = ag.tensor([1.0, 2.0])
    a = q.numpy()
    assert isinstance(a, np.ndarray)
    a[0] = 9.0
    assert q.tolist() == [9.0, 2.0]


def test_numpy_refuses_a_tensor_that_requires_grad():
    # torch 2.13.0: RuntimeError "Can't call numpy() on Tensor that requires grad. Use
    # tensor.detach().numpy() instead."
    p = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="detach"):
        p.numpy()
    with pytest.raises(RuntimeError, match="detach"):
        (p * 2.0).numpy()


def test_numpy_force_works_on_a_tensor_that_requires_grad():
    # torch 2.13.0: p.numpy(force=True) -> ndarray [1., 2.]
    p = leaf([1.0, 2.0])
    a = p.numpy(force=True)
    assert isinstance(a, np.ndarray)
    np.testing.assert_array_equal(a, [1.0, 2.0])
    np.testing.assert_array_equal(ag.tensor([3.0]).numpy(force=True), [3.0])
