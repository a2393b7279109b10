"""gather / scatter / scatter_add, sort / topk / argsort, flip, cumsum, index_select,
masked_select and the rounding ops: PyTorch's values (torch 2.13, literal), first and second
derivatives, and hypothesis properties over shapes."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.errors import DTypeError, ShapeError
from autograd.testing import strategies as ats

SRC = ag.arange(12.0).reshape(3, 4)


def test_values_match_pytorch():
    assert ag.zeros(10).scatter_(0, ag.tensor(3), value=1).tolist() == [0, 0, 0, 1, 0, 0, 0, 0,
                                                                        0, 0]
    assert ag.zeros(10, dtype=ag.float).scatter_(dim=0, index=ag.tensor(3), value=1)[3] == 1
    assert ag.zeros(3, 4).scatter_(1, ag.tensor([[1], [2]]), value=5).tolist() == [
        [0, 5, 0, 0], [0, 0, 5, 0], [0, 0, 0, 0]]
    assert ag.zeros(3, 4).scatter(0, ag.tensor([[2, 1, 0, 0]]), SRC).tolist() == [
        [0, 0, 2, 3], [0, 1, 0, 0], [0, 0, 0, 0]]
    assert ag.zeros(3, 4).scatter_add(0, ag.tensor([[2, 1, 0, 0], [2, 2, 2, 2]]), SRC).tolist() \
        == [[0, 0, 2, 3], [0, 1, 0, 0], [4, 5, 6, 7]]
    assert SRC.gather(1, ag.tensor([[0, 0], [1, 0]])).tolist() == [[0, 0], [5, 4]]
    assert ag.zeros(3).scatter_(0, ag.tensor([0, 2]), ag.tensor([1.0, 2.0]),
                                reduce="add").tolist() == [1, 0, 2]
    x = ag.tensor([[3.0, 1, 2], [0, 5, 4]])
    v, i = x.sort(1, descending=True)
    assert v.tolist() == [[3, 2, 1], [5, 4, 0]] and i.tolist() == [[0, 2, 1], [1, 2, 0]]
    top = ag.topk(x, 2)
    assert top.values.tolist() == [[3, 2], [5, 4]] and top.indices.tolist() == [[0, 2], [1, 2]]
    assert ag.topk(x, 1, dim=0, largest=False).indices.tolist() == [[1, 0, 0]]
    assert ag.argsort(ag.tensor([2, 1, 2, 0]), descending=True).tolist() == [0, 2, 1, 3]
    assert ag.argsort(ag.tensor([2, 1, 3], dtype=ag.uint8), descending=True).tolist() == [2, 0, 1]
    assert x.flip(1).tolist() == [[2, 1, 3], [4, 5, 0]] and ag.flip(x, (0, 1))[0, 0] == 4
    assert x.cumsum(1).tolist() == [[3, 4, 6], [0, 5, 9]]
    assert ag.tensor([2, 3]).cumsum(0).dtype == ag.int64
    assert ag.round(ag.tensor([0.5, 1.5, 2.5, -1.5])).tolist() == [0, 2, 2, -2]
    assert ag.tensor([1.25]).round(decimals=1).tolist() == [pytest.approx(1.2)]
    assert ag.floor(ag.tensor([-1.5, 1.5])).tolist() == [-2, 1]
    assert ag.ceil(ag.tensor([-1.5, 1.5])).tolist() == [-1, 2]
    assert ag.trunc(ag.tensor([-1.5, 1.5])).tolist() == [-1, 1]
    assert SRC.index_select(1, ag.tensor([0, 2])).tolist() == [[0, 2], [4, 6], [8, 10]]
    assert SRC.masked_select(SRC > 8).tolist() == [9, 10, 11]
    assert SRC.masked_select(ag.tensor([True, False, False, True])).tolist() == [0, 3, 4, 7, 8,
                                                                                  11]


def test_errors_match_pytorchs_checks():
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 1 with size 4"):
        SRC.gather(1, ag.tensor([[0, 5]]))
    with pytest.raises(IndexError, match="index -1 is out of bounds"):
        SRC.gather(1, ag.tensor([[-1]]))
    with pytest.raises(DTypeError, match="int32/int64 for index"):
        SRC.gather(1, ag.tensor([[0.0]]))
    with pytest.raises(ShapeError, match="same number of dimensions"):
        SRC.gather(1, ag.tensor([0]))
    with pytest.raises(ShapeError, match="no larger than input"):
        SRC.gather(0, ag.tensor([[0, 0, 0, 0, 0]]))
    with pytest.raises(ValueError, match="exactly one of src"):
        SRC.scatter(0, ag.tensor([[0]]))
    with pytest.raises(ValueError, match="out of range"):
        SRC.topk(5)
    with pytest.raises(DTypeError, match="index_select"):
        SRC.index_select(0, ag.tensor([0.0]))


def test_gradients_at_fixed_points():
    x = ag.randn(3, 4, dtype=ag.float64, requires_grad=True)
    s = ag.randn(2, 4, dtype=ag.float64, requires_grad=True)
    big = ag.randn(3, 5, dtype=ag.float64, requires_grad=True)
    rep = ag.tensor([[0, 2, 1, 0], [1, 1, 2, 2]])            # repeated along dim 0
    distinct = ag.tensor([[0, 2, 1, 0], [1, 0, 2, 2]])
    for fn, inputs in [(lambda x: x.gather(0, rep), (x,)),
                       (lambda x, s: x.scatter(0, distinct, s), (x, s)),
                       (lambda x, s: x.scatter_add(0, rep, s), (x, s)),
                       (lambda x, s: x.scatter_add(0, rep, s), (x, big)),   # src larger
                       (lambda x: x.scatter(1, ag.tensor([[1], [3], [0]]), 2.5), (x,)),
                       (lambda x: x.index_select(1, ag.tensor([3, 0, 3])), (x,)),
                       (lambda x: x.masked_select(x > 0), (x,)),
                       (lambda x: x.cumsum(-1), (x,)),
                       (lambda x: x.flip(0), (x,)),
                       (lambda x: x.floor() + x.round() * x, (x,))]:
        ats.assert_gradients_hold(fn, *inputs)


@given(x=ats.tensors(ats.shapes(min_dims=1, max_dims=3), distinct=True), data=st.data())
def test_sort_topk_gradients_and_values(x, data):
    dim = data.draw(ats.single_dim(x.ndim))
    k = data.draw(st.integers(0, x.shape[dim]))
    largest = data.draw(st.booleans())
    values, indices = x.topk(k, dim, largest=largest)
    ref = np.sort(x.detach().numpy(), axis=dim)
    ref = np.flip(ref, axis=dim) if largest else ref
    np.testing.assert_array_equal(values.detach().numpy(),
                                  np.take(ref, range(k), axis=dim))
    np.testing.assert_array_equal(np.take_along_axis(x.detach().numpy(), indices.numpy(), dim),
                                  values.detach().numpy())
    ats.assert_gradients_hold(lambda x: x.topk(k, dim, largest=largest)[0], x)
    ats.assert_gradients_hold(lambda x: x.sort(dim)[0], x)


@given(x=ats.tensors(ats.shapes(min_dims=1, max_dims=3)), data=st.data())
def test_gather_scatter_properties(x, data):
    """gather picks what numpy's take_along_axis picks; scatter_add then gather round trips
    the sums; both have first and second derivatives."""
    dim = data.draw(ats.single_dim(x.ndim))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    shape = tuple(rng.integers(1, n + 1) for n in x.shape)
    index = ag.tensor(rng.integers(0, x.shape[dim], size=shape))
    picked = x.gather(dim, index)
    grid = np.ix_(*[np.arange(n) for n in shape])
    grid = tuple(index.numpy() if d == dim % x.ndim else g for d, g in enumerate(grid))
    np.testing.assert_array_equal(picked.detach().numpy(), x.detach().numpy()[grid])
    ats.assert_gradients_hold(lambda x: x.gather(dim, index), x)
    src = ag.tensor(rng.standard_normal(shape), requires_grad=True)
    ats.assert_gradients_hold(lambda x, s: x.scatter_add(dim, index, s), x, src)
    total = ag.zeros(x.shape, dtype=ag.float64).scatter_add(dim, index, src).sum()
    assert total.item() == pytest.approx(src.sum().item())


@given(x=ats.tensors(ats.shapes(min_dims=1, max_dims=3)), data=st.data())
def test_cumsum_flip_properties(x, data):
    dim = data.draw(ats.single_dim(x.ndim))
    np.testing.assert_allclose(x.cumsum(dim).detach().numpy(),
                               np.cumsum(x.detach().numpy(), axis=dim))
    np.testing.assert_array_equal(x.flip(dim).detach().numpy(), np.flip(x.detach().numpy(), dim))
    ats.assert_gradients_hold(lambda x: x.cumsum(dim) * x.flip(dim), x)


def test_in_place_scatter_is_version_counted_and_recorded_on_non_leaves():
    x = ag.zeros(3, requires_grad=True)
    y = x * 2
    y.scatter_(0, ag.tensor([1]), value=7.0)
    y.sum().backward()
    assert y.tolist() == [0, 7, 0] and x.grad.tolist() == [2, 0, 2]
    with pytest.raises(ag.InplaceError):
        ag.zeros(3, requires_grad=True).scatter_(0, ag.tensor([1]), value=1.0)
    w = ag.ones(3, requires_grad=True)
    t = ag.zeros(3)
    z = (w * t).sum()                       # saves t
    t.scatter_add_(0, ag.tensor([0, 0]), ag.ones(2))
    assert t.tolist() == [2, 0, 0]
    with pytest.raises(ag.InplaceError):    # the write moved t's version counter
        z.backward()
