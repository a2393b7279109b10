"""Reductions: sum, mean, var, std, max/min (values and indices), argmax/argmin, norm.

Forward against numpy for every dim form (None, int, negative, tuple) and keepdim; first and
second derivatives; the tie rule of max/min (gradient to the first occurrence)."""

import numpy as np
import pytest
from hypothesis import given

import autograd as ag
from autograd.testing import strategies as ats

rng = np.random.default_rng(3)
X = rng.standard_normal((2, 3, 4))


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def np_axis(dim):
    return dim if dim is None or isinstance(dim, tuple) else (dim,)


DIMS = [None, 0, 1, -1, (0, 2), (-1, 0), (0, 1, 2)]


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "var_biased", "std_correction0"])
def test_smooth_reductions_forward_and_derivatives(name, dim, keepdim):
    fns = {
        "sum": (lambda x: x.sum(dim, keepdim), lambda a: a.sum(np_axis(dim), keepdims=keepdim)),
        "mean": (lambda x: ag.mean(x, dim, keepdim),
                 lambda a: a.mean(np_axis(dim), keepdims=keepdim)),
        "var": (lambda x: x.var(dim, keepdim=keepdim),
                lambda a: a.var(np_axis(dim), ddof=1, keepdims=keepdim)),
        "std": (lambda x: ag.std(x, dim, keepdim=keepdim),
                lambda a: a.std(np_axis(dim), ddof=1, keepdims=keepdim)),
        "var_biased": (lambda x: ag.var(x, dim, unbiased=False, keepdim=keepdim),
                       lambda a: a.var(np_axis(dim), keepdims=keepdim)),
        "std_correction0": (lambda x: x.std(dim, keepdim=keepdim, correction=0),
                            lambda a: a.std(np_axis(dim), keepdims=keepdim)),
    }
    fn, ref = fns[name]
    x = leaf(X)
    out = fn(x)
    expected = ref(X)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12)
    ats.assert_gradients_hold(fn, x, second_order="fast" if dim in (0, -1) else True)


def test_sum_of_every_element_gets_gradient_one_and_sum_to_scalar():
    x = leaf(X)
    ag.sum(x).backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones_like(X))
    assert ag.sum(x).shape == ()


def test_sum_of_int_and_mean_of_int():
    assert ag.arange(5).sum().item() == 10
    with pytest.raises(TypeError, match="mean"):
        ag.arange(5).mean()


# -- max / min --------------------------------------------------------------------------------
@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("op", ["max", "min"])
def test_max_min_with_dim_give_values_and_indices(op, dim, keepdim):
    x = leaf(X)
    values, indices = getattr(x, op)(dim, keepdim)
    ref_v = getattr(np, op)(X, axis=dim, keepdims=keepdim)
    ref_i = getattr(np, "arg" + op)(X, axis=dim, keepdims=keepdim)
    np.testing.assert_array_equal(values.detach().numpy(), ref_v)
    np.testing.assert_array_equal(indices.numpy(), ref_i)
    assert indices.dtype == np.int64 and not indices.requires_grad
    result = getattr(ag, op)(x, dim=dim, keepdim=keepdim)
    assert result.values.shape == ref_v.shape and result.indices.shape == ref_i.shape
    ats.assert_gradients_hold(lambda t: getattr(t, op)(dim, keepdim)[0], x)


@pytest.mark.parametrize("op", ["max", "min"])
def test_max_min_of_all_elements(op):
    x = leaf(X)
    out = getattr(ag, op)(x)
    assert out.shape == () and out.item() == getattr(np, op)(X)
    ats.assert_gradients_hold(lambda t: getattr(t, op)(), x)


def test_max_min_ties_send_the_gradient_to_the_first_occurrence():
    # documented in autograd/ops/reduction.py: first occurrence, like argmax/argmin
    x = leaf([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])
    x.max().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 1, 0], [0, 0, 0]])
    x.grad = None
    values, indices = x.max(1)
    values.sum().backward()
    np.testing.assert_array_equal(indices.numpy(), [1, 0])
    np.testing.assert_array_equal(x.grad.numpy(), [[0, 1, 0], [1, 0, 0]])
    y = leaf([[0.0, -1.0, -1.0], [4.0, 0.0, 4.0]])
    values, indices = y.min(1)
    values.sum().backward()
    np.testing.assert_array_equal(indices.numpy(), [1, 1])
    np.testing.assert_array_equal(y.grad.numpy(), [[0, 1, 0], [0, 1, 0]])
    z = leaf([5.0, 1.0, 5.0, 1.0])
    z.min().backward()
    np.testing.assert_array_equal(z.grad.numpy(), [0, 1, 0, 0])


def test_max_min_errors():
    with pytest.raises(ag.ShapeError, match="max"):
        ag.zeros(0).max()
    with pytest.raises(TypeError, match="max"):
        leaf(X).max((0, 1))
    with pytest.raises(ag.ShapeError, match="min"):
        leaf(X).min(3)


def test_argmax_argmin_first_occurrence_and_no_gradient():
    x = leaf([[1.0, 3.0, 3.0], [0.0, 0.0, -1.0]])
    for out in (x.argmax(), x.argmin(), ag.argmax(x, 1), ag.argmin(x, 1, keepdim=True)):
        assert out.dtype == np.int64 and not out.requires_grad and out.grad_fn is None
    assert x.argmax().item() == 1
    assert x.argmin().item() == 5
    np.testing.assert_array_equal(ag.argmax(x, 1).numpy(), [1, 0])
    np.testing.assert_array_equal(ag.argmin(x, 1, keepdim=True).numpy(), [[0], [2]])


# -- norm -------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [2, 1, 3])
def test_norm_forward_and_derivatives(p):
    x = leaf(X)
    out = ag.norm(x, p) if p != 2 else x.norm()
    np.testing.assert_allclose(out.item(), np.sum(np.abs(X) ** p) ** (1 / p), rtol=1e-12)
    ats.assert_gradients_hold(lambda t: t.norm(p), x)


def test_norm_gradient_at_zero_is_zero_not_nan():
    x = ag.zeros(3, dtype=np.float64, requires_grad=True)
    n = x.norm()
    assert n.item() == 0.0
    n.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])


# -- hypothesis -------------------------------------------------------------------------------
test_sum = ats.check_gradients(lambda x, dim, keep: x.sum(dim, keep), ats.tensor_and_dims())
test_mean = ats.check_gradients(lambda x, dim, keep: x.mean(dim, keep), ats.tensor_and_dims())
test_var = ats.check_gradients(lambda x, dim, keep: x.var(dim, keepdim=keep),
                               ats.tensor_and_dims(ats.shapes(min_dims=1, min_side=2)))
test_std = ats.check_gradients(lambda x, dim, keep: x.std(dim, keepdim=keep),
                               ats.tensor_and_dims(ats.shapes(min_dims=1, min_side=2),
                                                   distinct=True))
test_max_all = ats.check_gradients(lambda x: x.max(), ats.tensors(distinct=True))
test_min_dim = ats.check_gradients(
    lambda x, dim, keep: x.min(dim, keep).values,
    ats.tensor_and_dims(ats.shapes(min_dims=1), allow_none=False, allow_tuple=False,
                        distinct=True))
test_norm = ats.check_gradients(lambda x: x.norm(), ats.tensors(ats.shapes(min_dims=1),
                                                                away_from=(0.0,)))


@given(ats.tensor_and_dims())
def test_sum_mean_forward_match_numpy(args):
    x, dim, keep = args
    np.testing.assert_allclose(x.sum(dim, keep).detach().numpy(),
                               x.numpy(force=True).sum(np_axis(dim), keepdims=keep), rtol=1e-12)
    np.testing.assert_allclose(x.mean(dim, keep).detach().numpy(),
                               x.numpy(force=True).mean(np_axis(dim), keepdims=keep), rtol=1e-12)


@given(ats.tensor_and_dims(ats.shapes(min_dims=1), allow_none=False, allow_tuple=False))
def test_max_with_ties_matches_numpy_and_gradient_is_one_hot_at_argmax(args):
    x, dim, keep = args
    x = ag.tensor(np.round(x.numpy(force=True)), requires_grad=True)      # rounding makes many ties
    values, indices = x.max(dim, keep)
    np.testing.assert_array_equal(values.detach().numpy(), x.numpy(force=True).max(dim, keepdims=keep))
    np.testing.assert_array_equal(indices.numpy(), x.numpy(force=True).argmax(dim, keepdims=keep))
    values.sum().backward()
    expected = np.zeros_like(x.numpy(force=True))
    idx = indices.numpy() if keep else np.expand_dims(indices.numpy(), dim)
    np.put_along_axis(expected, idx, 1.0, axis=dim)
    np.testing.assert_array_equal(x.grad.numpy(), expected)


def test_empty_dim_tuple_reduces_every_axis_as_pytorch():
    x = leaf(X)
    assert x.sum(()).item() == pytest.approx(X.sum())
    assert x.mean([]).item() == pytest.approx(X.mean())
    assert x.var(()).item() == pytest.approx(X.var(ddof=1))
