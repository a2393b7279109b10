"""The Tensor API: repr, conversions, properties, constructors and their dtype defaults."""

import numpy as np
import pytest

import autograd as ag


def test_repr_shows_values_dtype_and_grad_fn():
    x = ag.tensor([1.5, -2.0], requires_grad=True)
    assert repr(x) == "tensor([ 1.5000, -2.0000], requires_grad=True)"    # PyTorch's
    y = x * 2
    assert repr(y) == "tensor([ 3., -4.], grad_fn=<MulBackward>)"
    assert repr(ag.tensor([1.0, 2.0], dtype=np.float64)) == \
        "tensor([1., 2.], dtype=autograd.float64)"
    assert repr(ag.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(ag.tensor(3.25)) == "tensor(3.2500)"
    assert "SumBackward" in repr(y.sum())


def test_item_numpy_tolist_detach():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert isinstance(x.numpy(), np.ndarray) and np.shares_memory(x.numpy(), x.numpy(force=True))
    assert x[1, 0].item() == 3.0 and isinstance(x[1, 0].item(), float)
    assert ag.tensor([7]).item() == 7 and isinstance(ag.tensor([7]).item(), int)
    assert float(ag.tensor(2.5)) == 2.5 and int(ag.tensor(3)) == 3
    w = ag.tensor([1.0], requires_grad=True)
    d = w.detach()
    assert not d.requires_grad and d.numpy()[0] == 1.0
    assert np.asarray(x).shape == (2, 2)
    assert [row.tolist() for row in x] == [[1.0, 2.0], [3.0, 4.0]]


def test_properties():
    x = ag.zeros(2, 3, 4)
    assert x.shape == (2, 3, 4) and x.size() == (2, 3, 4) and x.size(1) == 3
    assert x.ndim == 3 and x.dim() == 3 and x.numel() == 24 and len(x) == 2
    assert ag.numel(x) == 24 and ag.is_tensor(x) and not ag.is_tensor(x.numpy(force=True))
    assert x.device == "cpu" and x.cpu() is x and x.is_floating_point()
    assert not ag.arange(3).is_floating_point()


def test_dtype_defaults():
    assert ag.tensor([1.0, 2.0]).dtype == np.float32           # Python floats
    assert ag.tensor(1.0).dtype == np.float32
    assert ag.tensor([1, 2]).dtype == np.int64                 # Python ints
    assert ag.tensor([True]).dtype == np.bool_
    assert ag.tensor(np.zeros(2)).dtype == np.float64          # ndarrays keep theirs
    assert ag.tensor(np.zeros(2, np.float32)).dtype == np.float32
    assert ag.tensor([1, 2], dtype=ag.float64).dtype == np.float64
    assert ag.float is ag.float32 and ag.double is ag.float64 and ag.long is ag.int64


def test_tensor_copies_but_from_numpy_shares():
    a = np.array([1.0, 2.0])
    t = ag.tensor(a)
    a[0] = 9.0
    assert t.tolist() == [1.0, 2.0]
    s = ag.from_numpy(a)
    a[1] = 8.0
    assert s.tolist() == [9.0, 8.0] and s.dtype == np.float64
    assert ag.as_tensor(t) is t and ag.as_tensor(t, ag.float32).dtype == np.float32


@pytest.mark.parametrize("make, shape, dtype, value", [
    (lambda: ag.zeros(2, 3), (2, 3), np.float32, 0.0),
    (lambda: ag.zeros((2, 3)), (2, 3), np.float32, 0.0),
    (lambda: ag.ones(4, dtype=ag.float64), (4,), np.float64, 1.0),
    (lambda: ag.full((2, 2), 1.5), (2, 2), np.float32, 1.5),
    (lambda: ag.full((2,), 7), (2,), np.int64, 7),
    (lambda: ag.empty(3), (3,), np.float32, None),
    (lambda: ag.zeros_like(ag.ones(2, 2, dtype=ag.float64)), (2, 2), np.float64, 0.0),
    (lambda: ag.ones_like(ag.arange(3)), (3,), np.int64, 1),
    (lambda: ag.full_like(ag.zeros(2), 4.0), (2,), np.float32, 4.0),
    (lambda: ag.zeros_like(ag.ones(2), dtype=ag.float64), (2,), np.float64, 0.0),
])
def test_filled_constructors(make, shape, dtype, value):
    t = make()
    assert t.shape == shape and t.dtype == dtype and not t.requires_grad
    if value is not None:
        assert np.all(t.numpy() == value)


def test_eye_linspace_arange():
    np.testing.assert_array_equal(ag.eye(3).numpy(), np.eye(3))
    assert ag.eye(2, 3).shape == (2, 3) and ag.eye(2).dtype == np.float32
    np.testing.assert_allclose(ag.linspace(0, 1, 5).numpy(), [0, 0.25, 0.5, 0.75, 1.0])
    a = ag.arange(5)
    assert a.dtype == np.int64 and a.tolist() == [0, 1, 2, 3, 4]
    assert ag.arange(2, 8, 3).tolist() == [2, 5]
    f = ag.arange(0, 1, 0.25)
    assert f.dtype == np.float32 and f.tolist() == [0.0, 0.25, 0.5, 0.75]
    assert ag.arange(3.0).dtype == np.float32
    assert ag.arange(3, dtype=ag.float64).dtype == np.float64


def test_random_constructors_are_reproducible_with_manual_seed():
    ag.manual_seed(123)
    a, b, c = ag.randn(3, 4), ag.rand(5), ag.randint(0, 10, (6,))
    p = ag.randperm(7)
    ag.manual_seed(123)
    np.testing.assert_array_equal(ag.randn(3, 4).numpy(), a.numpy())
    np.testing.assert_array_equal(ag.rand(5).numpy(), b.numpy())
    np.testing.assert_array_equal(ag.randint(0, 10, (6,)).numpy(), c.numpy())
    np.testing.assert_array_equal(ag.randperm(7).numpy(), p.numpy())
    assert a.dtype == np.float32 and c.dtype == np.int64 and sorted(p.tolist()) == list(range(7))
    assert np.all((b.numpy() >= 0) & (b.numpy() < 1)) and np.all((c.numpy() >= 0)
                                                                 & (c.numpy() < 10))
    ag.manual_seed(124)
    assert not np.array_equal(ag.randn(3, 4).numpy(), a.numpy())
    gen = np.random.default_rng(5)
    r1 = ag.randn(3, generator=gen)
    r2 = ag.randn(3, generator=np.random.default_rng(5))
    np.testing.assert_array_equal(r1.numpy(), r2.numpy())
    like = ag.randn_like(ag.zeros(2, 2, dtype=ag.float64))
    assert like.shape == (2, 2) and like.dtype == np.float64
    assert ag.rand_like(ag.zeros(3)).shape == (3,)


def test_requires_grad_constructors():
    for t in (ag.zeros(2, requires_grad=True), ag.ones(2, requires_grad=True),
              ag.randn(2, requires_grad=True), ag.full((2,), 1.0, requires_grad=True),
              ag.tensor([1.0], requires_grad=True)):
        assert t.requires_grad and t.is_leaf and t.grad is None


def test_numpy_interop_operators():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    y = np.array([3.0, 4.0]) * x             # ndarray on the left defers to the Tensor
    assert isinstance(y, ag.Tensor) and y.requires_grad
    z = np.array([1.0, 1.0]) - x
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [-1.0, -1.0])
