"""Elementwise ops: forward against numpy, gradcheck + gradgradcheck (float64), hypothesis
properties over shapes and broadcasting (autograd.testing.strategies), scalar operands."""

import numpy as np
import pytest
from hypothesis import given

import autograd as ag
from autograd.testing import strategies as ats

rng = np.random.default_rng(1234)


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def away_from_zero(shape, low=0.2, high=2.0):
    return rng.uniform(low, high, shape) * rng.choice([-1.0, 1.0], shape)


# -- forward vs numpy, then first and second derivatives at a fixed point -------------------
BINARY = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "div": (lambda a, b: a / b, np.divide),
    "pow": (lambda a, b: a ** b, np.power),
    "maximum": (ag.maximum, np.maximum),
    "minimum": (ag.minimum, np.minimum),
    "ag.add": (ag.add, np.add),
    "ag.sub": (ag.sub, np.subtract),
    "ag.mul": (ag.mul, np.multiply),
    "ag.div": (ag.div, np.divide),
    "ag.pow": (ag.pow, np.power),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("shapes", [((2, 3), (2, 3)), ((2, 3), (3,)), ((4, 1), (1, 3)),
                                    ((), (2, 2))])
def test_binary_forward_and_derivatives(name, shapes):
    fn, ref = BINARY[name]
    a_np = rng.uniform(0.5, 2.0, shapes[0])             # positive base for pow
    b_np = away_from_zero(shapes[1])                   # no zero denominators
    if name in ("maximum", "minimum"):                 # no ties
        b_np = a_np.mean() + np.arange(np.size(b_np)).reshape(shapes[1]) * 0.37 - 0.51
    a, b = leaf(a_np), leaf(b_np)
    out = fn(a, b)
    np.testing.assert_allclose(out.detach().numpy(), ref(a_np, b_np), rtol=1e-12)
    assert out.dtype == np.float64 and out.shape == np.broadcast_shapes(*shapes)
    assert ats.assert_gradients_hold(fn, a, b)


UNARY = {
    "neg": (lambda x: -x, np.negative, {}),
    "ag.neg": (ag.neg, np.negative, {}),
    "exp": (ag.exp, np.exp, {}),
    "log": (ag.log, np.log, {"positive": True}),
    "sqrt": (ag.sqrt, np.sqrt, {"positive": True}),
    "abs": (ag.abs, np.abs, {}),
    "pow_scalar_2": (lambda x: x ** 2, lambda x: x ** 2, {}),
    "pow_scalar_3": (lambda x: x.pow(3), lambda x: x ** 3, {}),
    "pow_scalar_half": (lambda x: x ** 0.5, np.sqrt, {"positive": True}),
    "pow_scalar_neg": (lambda x: ag.pow(x, -1.5), lambda x: x ** -1.5, {"positive": True}),
    "pow_scalar_0": (lambda x: x ** 0, np.ones_like, {}),
    "pow_scalar_1": (lambda x: x ** 1, lambda x: x, {}),
    "rpow": (lambda x: 2.0 ** x, lambda x: 2.0 ** x, {}),
    "radd": (lambda x: 1.5 + x, lambda x: 1.5 + x, {}),
    "rsub": (lambda x: 1.5 - x, lambda x: 1.5 - x, {}),
    "rmul": (lambda x: 1.5 * x, lambda x: 1.5 * x, {}),
    "rdiv": (lambda x: 1.5 / x, lambda x: 1.5 / x, {}),
    "reciprocal": (lambda x: x.reciprocal(), lambda x: 1 / x, {}),
    "rsqrt": (lambda x: x.rsqrt(), lambda x: x ** -0.5, {"positive": True}),
    "square": (lambda x: x.square(), np.square, {}),
    "clamp": (lambda x: ag.clamp(x, -1.0, 1.0), lambda x: np.clip(x, -1, 1), {}),
    "clamp_min": (lambda x: x.clamp(min=0.5), lambda x: np.maximum(x, 0.5), {}),
    "clamp_max": (lambda x: x.clip(max=0.5), lambda x: np.minimum(x, 0.5), {}),
    "clone": (lambda x: x.clone(), lambda x: x, {}),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_forward_and_derivatives(name):
    fn, ref, opts = UNARY[name]
    x_np = rng.uniform(0.2, 2.0, (3, 4)) if opts.get("positive") else away_from_zero((3, 4))
    near_one = np.abs(x_np) > 0.95                        # clamp(-1, 1) kinks
    x_np[near_one] += 0.1 * np.sign(x_np[near_one])
    x_np[np.abs(x_np - 0.5) < 0.05] += 0.1
    x = leaf(x_np)
    out = fn(x)
    np.testing.assert_allclose(out.detach().numpy(), ref(x_np), rtol=1e-12)
    assert out.dtype == np.float64
    assert ats.assert_gradients_hold(fn, x)


def test_where_forward_and_derivatives():
    cond = rng.random((3, 4)) > 0.5
    a, b = leaf(rng.standard_normal((3, 4))), leaf(rng.standard_normal((4,)))
    out = ag.where(ag.tensor(cond), a, b)
    np.testing.assert_array_equal(out.detach().numpy(), np.where(cond, a.numpy(force=True), b.numpy(force=True)))
    assert ats.assert_gradients_hold(lambda a, b: ag.where(cond, a, b), a, b)
    out.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), cond.astype(float))
    np.testing.assert_array_equal(b.grad.numpy(), (~cond).sum(0))


def test_where_with_scalar_and_masked_fill():
    x = leaf([-1.0, 2.0, -3.0])
    y = ag.where(x > 0, x, 0.0)
    np.testing.assert_array_equal(y.detach().numpy(), [0.0, 2.0, 0.0])
    assert y.dtype == np.float64
    z = x.masked_fill(x < 0, 7.0)
    np.testing.assert_array_equal(z.detach().numpy(), [7.0, 2.0, 7.0])
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 0.0])


# -- gradient values at documented special points ----------------------------------------
def test_abs_gradient_at_zero_is_zero():
    x = leaf([-2.0, 0.0, 3.0])
    x.abs().sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [-1.0, 0.0, 1.0])


def test_clamp_gradient_is_one_inside_and_on_bounds_zero_outside():
    x = leaf([-2.0, -1.0, 0.0, 1.0, 2.0])
    x.clamp(-1.0, 1.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 1.0, 1.0, 0.0])


def test_clamp_without_bounds_raises():
    with pytest.raises(ValueError, match="clamp"):
        ag.clamp(leaf([1.0]))


@pytest.mark.parametrize("fn", [ag.maximum, ag.minimum])
def test_maximum_minimum_split_ties_equally(fn):
    a, b = leaf([1.0, 2.0, 5.0]), leaf([1.0, 3.0, 4.0])
    fn(a, b).sum().backward()
    expect_a = [0.5, 0.0, 1.0] if fn is ag.maximum else [0.5, 1.0, 0.0]
    np.testing.assert_array_equal(a.grad.numpy(), expect_a)
    np.testing.assert_array_equal(b.grad.numpy(), 1 - np.array(expect_a))


def test_pow_tensor_exponent_at_zero_base_has_finite_gradients():
    a, b = leaf([0.0, 2.0]), leaf([2.0, 3.0])
    (a ** b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.0, 12.0])
    np.testing.assert_allclose(b.grad.numpy(), [0.0, 8.0 * np.log(2.0)])   # 0^b: limit 0


def test_rpow_gradient_is_ln_base_times_power():
    x = leaf([0.0, 1.0, 2.5])
    (3.0 ** x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.log(3.0) * 3.0 ** x.numpy(force=True))


def test_integer_tensor_to_fractional_power_is_float():
    out = ag.arange(4) ** 0.5
    assert out.dtype.kind == "f"
    np.testing.assert_allclose(out.numpy(), np.sqrt(np.arange(4)), rtol=1e-6)
    assert (ag.arange(4) ** 2).tolist() == [0, 1, 4, 9]


# -- dtypes --------------------------------------------------------------------------------
@pytest.mark.parametrize("op", [lambda a, s: a + s, lambda a, s: s - a, lambda a, s: a * s,
                                lambda a, s: s / a, lambda a, s: a ** s, lambda a, s: s ** a])
def test_python_scalars_do_not_promote(op):
    for dtype in (np.float32, np.float64):
        a = ag.tensor([1.0, 2.0], dtype=dtype, requires_grad=True)
        out = op(a, 2.5)
        assert out.dtype == dtype
        out.sum().backward()
        assert a.grad.dtype == dtype


def test_comparisons_return_bool_tensors_without_gradient():
    a, b = leaf([1.0, 2.0, 3.0]), leaf([3.0, 2.0, 1.0])
    results = [a < b, a <= b, a > b, a >= b, a == b, a != b, a.eq(b), a.gt(2.0)]
    for r in results:
        assert r.dtype == np.bool_ and not r.requires_grad and r.grad_fn is None
    np.testing.assert_array_equal((a < b).numpy(), [True, False, False])
    np.testing.assert_array_equal((a == b).numpy(), [False, True, False])
    np.testing.assert_array_equal(((a < b) | (a > b)).numpy(), [True, False, True])
    np.testing.assert_array_equal((~(a == b)).numpy(), [True, False, True])
    assert a.sign().requires_grad          # as PyTorch: sign has a (zero) gradient


# -- hypothesis properties over shapes and broadcasting ------------------------------------
test_add_broadcasting = ats.check_gradients(lambda a, b: a + b, ats.tensor_tuples())
test_sub_broadcasting = ats.check_gradients(lambda a, b: a - b, ats.tensor_tuples())
test_mul_broadcasting = ats.check_gradients(lambda a, b: a * b, ats.tensor_tuples())
test_div_broadcasting = ats.check_gradients(
    lambda a, b: a / b, ats.tensor_tuples(away_from=(0.0,), margin=0.3))
test_pow_broadcasting = ats.check_gradients(      # base in [0.3, 2], exponent in [-1.4, 2]
    lambda a, b: a ** (b * 2.0 - 2.0), ats.tensor_tuples(min_value=0.3, max_value=2.0))
test_maximum_broadcasting = ats.check_gradients(ag.maximum, ats.tensor_tuples(distinct=True))
test_minimum_broadcasting = ats.check_gradients(ag.minimum, ats.tensor_tuples(distinct=True))
test_three_way_broadcast = ats.check_gradients(
    lambda a, b, c: a * b + c, ats.tensor_tuples(ats.broadcastable_shapes(3)))
test_neg = ats.check_gradients(lambda x: -x, ats.tensors())
test_exp = ats.check_gradients(ag.exp, ats.tensors(max_value=2.0))
test_log = ats.check_gradients(ag.log, ats.tensors(min_value=0.2))
test_sqrt = ats.check_gradients(ag.sqrt, ats.tensors(min_value=0.2))
test_abs = ats.check_gradients(ag.abs, ats.tensors(away_from=(0.0,)))
test_clamp = ats.check_gradients(lambda x: x.clamp(-1.0, 1.5),
                                 ats.tensors(away_from=(-1.0, 1.5)))
test_pow_scalar = ats.check_gradients(lambda x: x ** 3 - x ** 0.5 + 2.0 ** x,
                                      ats.tensors(min_value=0.2))
test_clone = ats.check_gradients(lambda x: x.clone() * x, ats.tensors())


@given(ats.tensor_tuples(ats.broadcastable_shapes(2), requires_grad=(True, False)),
       ats.shapes(max_dims=2))
def test_where_broadcasting(args, cond_shape):
    a, b = args
    cond = np.arange(int(np.prod(cond_shape))).reshape(cond_shape) % 2 == 0
    try:
        expected = np.where(cond, a.numpy(force=True), b.numpy(force=True))
    except ValueError:
        with pytest.raises(ag.ShapeError, match="where"):
            ag.where(cond, a, b)
        return
    out = ag.where(cond, a, b)
    np.testing.assert_array_equal(out.detach().numpy(), expected)
    ats.assert_gradients_hold(lambda a: ag.where(cond, a, b), a)


def unbroadcast(g, shape):
    """Reference: sum ``g`` down to ``shape`` (numpy only)."""
    while g.ndim > len(shape):
        g = g.sum(0)
    for i, s in enumerate(shape):
        if s == 1:
            g = g.sum(i, keepdims=True)
    return g


@given(ats.tensor_tuples())
def test_add_mul_forward_match_numpy_and_grads_sum_over_broadcast(args):
    a, b = args
    np.testing.assert_array_equal((a * b + a).detach().numpy(), a.numpy(force=True) * b.numpy(force=True) + a.numpy(force=True))
    (a * b).sum().backward()
    out_shape = np.broadcast_shapes(a.shape, b.shape)
    np.testing.assert_allclose(a.grad.numpy(), unbroadcast(np.broadcast_to(b.numpy(force=True), out_shape),
                                                           a.shape), rtol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), unbroadcast(np.broadcast_to(a.numpy(force=True), out_shape),
                                                           b.shape), rtol=1e-12)
