"""Matrix products: matmul for 1-D, 2-D and batched operands with broadcast batch axes, mm,
bmm, the @ operator; forward against numpy, derivatives, properties, shape errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd.testing import strategies as ats

rng = np.random.default_rng(5)


def leaf(shape):
    return ag.tensor(rng.standard_normal(shape), requires_grad=True)


SHAPES = [((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)),
          ((4, 2, 3), (3, 5)), ((2, 3), (4, 3, 5)), ((3,), (2, 3, 4)), ((2, 4, 3), (3,)),
          ((2, 1, 2, 3), (3, 3, 2)), ((5, 2, 3), (5, 3, 2))]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_matmul_forward_and_derivatives(shapes):
    a, b = leaf(shapes[0]), leaf(shapes[1])
    out = a @ b
    expected = np.matmul(a.numpy(force=True), b.numpy(force=True))
    assert out.shape == expected.shape
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(ag.matmul(a, b).detach().numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(a.matmul(b).detach().numpy(), expected, rtol=1e-12)
    ats.assert_gradients_hold(ag.matmul, a, b)


def test_matmul_gradients_are_the_transposed_products():
    a, b = leaf((2, 3)), leaf((3, 4))
    g = rng.standard_normal((2, 4))
    (a @ b).backward(ag.tensor(g))
    np.testing.assert_allclose(a.grad.numpy(), g @ b.numpy(force=True).T, rtol=1e-12)
    np.testing.assert_allclose(b.grad.numpy(), a.numpy(force=True).T @ g, rtol=1e-12)


def test_broadcast_batch_gradient_is_summed_over_the_batch():
    w = leaf((3, 2))                      # shared by a batch of 4
    x = leaf((4, 5, 3))
    (x @ w).sum().backward()
    assert w.grad.shape == (3, 2)
    np.testing.assert_allclose(w.grad.numpy(),
                               np.einsum("bij,bik->jk", x.numpy(force=True), np.ones((4, 5, 2))), rtol=1e-12)


def test_mm_and_bmm():
    a, b = leaf((2, 3)), leaf((3, 4))
    np.testing.assert_allclose(ag.mm(a, b).detach().numpy(), a.numpy(force=True) @ b.numpy(force=True), rtol=1e-12)
    ats.assert_gradients_hold(ag.mm, a, b)
    p, q = leaf((3, 2, 4)), leaf((3, 4, 2))
    np.testing.assert_allclose(ag.bmm(p, q).detach().numpy(), p.numpy(force=True) @ q.numpy(force=True), rtol=1e-12)
    ats.assert_gradients_hold(ag.bmm, p, q)


def test_rmatmul_with_ndarray_left_operand():
    b = leaf((3, 2))
    out = np.ones((4, 3)) @ b
    assert isinstance(out, ag.Tensor) and out.shape == (4, 2)
    out.sum().backward()
    np.testing.assert_allclose(b.grad.numpy(), np.full((3, 2), 4.0))


@pytest.mark.parametrize("fn, shapes, pattern", [
    (ag.matmul, ((2, 3), (2, 3)), r"matmul: shapes \(2, 3\) and \(2, 3\)"),
    (ag.matmul, ((3,), (4,)), r"matmul: shapes \(3,\) and \(4,\)"),
    (ag.matmul, ((), (3,)), r"matmul: .*\(\) and \(3,\)"),
    (ag.matmul, ((2, 2, 3), (3, 3, 4)), r"matmul: .*\(2, 2, 3\) and \(3, 3, 4\)"),
    (ag.mm, ((2, 3), (2, 3)), r"mm: shapes \(2, 3\) and \(2, 3\)"),
    (ag.mm, ((2, 3, 1), (1, 3)), r"mm: .*2-D"),
    (ag.bmm, ((2, 2, 3), (3, 3, 2)), r"bmm: shapes \(2, 2, 3\) and \(3, 3, 2\)"),
    (ag.bmm, ((2, 2, 3), (1, 3, 2)), r"bmm: .*\(1, 3, 2\)"),
    (ag.bmm, ((2, 3), (3, 2)), r"bmm: .*3-D"),
])
def test_shape_errors_name_the_op_and_the_shapes(fn, shapes, pattern):
    with pytest.raises(ag.ShapeError, match=pattern):
        fn(leaf(shapes[0]), leaf(shapes[1]))


@st.composite
def matmul_operands(draw):
    """Two shapes that matmul accepts: 1-D or n-D, broadcast batch axes."""
    n, k, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch_a, batch_b = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2,
                                                             max_side=2)).input_shapes
    a = (k,) if draw(st.booleans()) else batch_a + (n, k)
    b = (k,) if draw(st.booleans()) else batch_b + (k, m)
    return draw(ats.tensor_tuples((a, b)))


test_matmul = ats.check_gradients(ag.matmul, matmul_operands())


@given(matmul_operands())
def test_matmul_matches_numpy(args):
    a, b = args
    np.testing.assert_allclose((a @ b).detach().numpy(), np.matmul(a.numpy(force=True), b.numpy(force=True)),
                               rtol=1e-12, atol=1e-12)


@st.composite
def bmm_operands(draw):
    b, n, k, m = (draw(st.integers(1, 3)) for _ in range(4))
    return draw(ats.tensor_tuples(((b, n, k), (b, k, m))))


@st.composite
def mm_operands(draw):
    n, k, m = (draw(st.integers(1, 3)) for _ in range(3))
    return draw(ats.tensor_tuples(((n, k), (k, m))))


test_bmm = ats.check_gradients(ag.bmm, bmm_operands())
test_mm = ats.check_gradients(ag.mm, mm_operands())
