"""gradcheck / gradgradcheck themselves: they pass correct ops and catch wrong ones (full and
fast mode), naming the input, the element and both values."""

import re
import warnings

import numpy as np
import pytest

import autograd as ag
from autograd.gradcheck import analytical_jacobian, numerical_jacobian

rng = np.random.default_rng(17)


def leaf(shape):
    return ag.tensor(rng.uniform(0.5, 2.0, shape), requires_grad=True)


class WrongMul(ag.Function):
    """a * b with the gradients swapped (d/da returned as a instead of b)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return ag.from_numpy(a.numpy(force=True) * b.numpy(force=True))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * b          # d/db should be grad * a


class OffByOneElement(ag.Function):
    """2a with a gradient that is wrong only at flat element 4."""

    @staticmethod
    def forward(ctx, a):
        return ag.from_numpy(2.0 * a.numpy(force=True))

    @staticmethod
    def backward(ctx, grad):
        bump = np.zeros(grad.shape)
        bump.reshape(-1)[4] = 0.5
        return grad * 2.0 + ag.from_numpy(bump)


class NumpySquare(ag.Function):
    """a² whose backward uses raw numpy: right first derivative, but not differentiable again."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return ag.from_numpy(a.numpy(force=True) ** 2)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return ag.from_numpy(2.0 * a.numpy(force=True) * grad.numpy(force=True))


class WrongTwice(ag.Function):
    """c = 2 a g (the backward of a²) whose own backward is wrong by a factor 3 for a."""

    @staticmethod
    def forward(ctx, a, g):
        ctx.save_for_backward(a, g)
        return ag.from_numpy(2.0 * a.numpy(force=True) * g.numpy(force=True))

    @staticmethod
    def backward(ctx, grad):
        a, g = ctx.saved_tensors
        return grad * g * 6.0, grad * a * 2.0       # d/da should be 2 g


class SquareWithWrongSecondDerivative(ag.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return ag.from_numpy(a.numpy(force=True) ** 2)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return WrongTwice.apply(a, grad)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_passes_correct_ops(fast_mode):
    a, b = leaf((2, 3)), leaf((3,))
    assert ag.gradcheck(lambda a, b: (a * b).exp() / b, (a, b), fast_mode=fast_mode) is True
    assert ag.gradgradcheck(lambda a, b: (a * b).exp() / b, (a, b), fast_mode=fast_mode) is True
    assert ag.gradcheck(lambda a: a.tanh(), a, fast_mode=fast_mode)       # a bare Tensor


def test_restores_the_inputs():
    a = leaf((2, 2))
    before = a.numpy(force=True).copy()
    ag.gradcheck(lambda t: t * t, (a,))
    ag.gradcheck(lambda t: t * t, (a,), fast_mode=True)
    np.testing.assert_array_equal(a.numpy(force=True), before)


def test_catches_a_wrong_backward_and_names_input_element_and_values():
    a, b = leaf((2, 3)), leaf((2, 3))
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradcheck(WrongMul.apply, (a, b))
    msg = str(info.value)
    assert "gradcheck: Jacobian mismatch for input 1 at element (0, 0)" in msg
    analytic, numeric = map(float, re.findall(r"analytical (\S+) vs numerical (\S+)", msg)[0])
    assert analytic == pytest.approx(b.numpy(force=True)[0, 0]) and numeric == pytest.approx(a.numpy(force=True)[0, 0])


def test_names_the_single_wrong_element():
    a = leaf((2, 3))
    # the bump is added whatever the output element: first wrong entry is d out_0 / d a[1, 1]
    with pytest.raises(ag.GradcheckError, match=r"input 0 at element \(1, 1\), output element "
                                                r"0: analytical 0\.5 vs numerical 0\.0"):
        ag.gradcheck(OffByOneElement.apply, (a,))


def test_fast_mode_catches_a_wrong_backward():
    a, b = leaf((2, 3)), leaf((2, 3))
    with pytest.raises(ag.GradcheckError, match=r"gradcheck \(fast mode\): .*input 1"):
        ag.gradcheck(WrongMul.apply, (a, b), fast_mode=True)
    with pytest.raises(ag.GradcheckError, match=r"fast mode.*input 0"):
        ag.gradcheck(OffByOneElement.apply, (leaf((2, 3)),), fast_mode=True)


def test_non_differentiable_backward_passes_gradcheck_but_fails_gradgradcheck():
    a = leaf((3,))
    assert ag.gradcheck(NumpySquare.apply, (a,))
    with pytest.raises(ag.GradcheckError, match=r"gradgradcheck: .*input 0 .*analytical 0\.0"):
        ag.gradgradcheck(NumpySquare.apply, (a,))
    with pytest.raises(ag.GradcheckError, match="gradgradcheck"):
        ag.gradgradcheck(NumpySquare.apply, (a,), fast_mode=True)


@pytest.mark.parametrize("fast_mode", [False, True])
def test_wrong_double_backward_is_caught(fast_mode):
    a = leaf((3,))
    assert ag.gradcheck(SquareWithWrongSecondDerivative.apply, (a,))
    with pytest.raises(ag.GradcheckError, match="gradgradcheck"):
        ag.gradgradcheck(SquareWithWrongSecondDerivative.apply, (a,), fast_mode=fast_mode)


def test_multiple_outputs_and_constants():
    a = leaf((2, 3))
    assert ag.gradcheck(lambda t, dim: t.max(dim), (a, 1))          # (values, int64 indices)
    assert ag.gradcheck(lambda t: (t.exp(), t * 2.0, t.sum()), (a,))
    assert ag.gradgradcheck(lambda t: (t.exp(), t.sum()), (a,))


def test_tolerances_are_used():
    a = leaf((3,))
    with pytest.raises(ag.GradcheckError):
        ag.gradcheck(OffByOneElement.apply, (leaf((5,)),), atol=0.1, rtol=0.0)
    assert ag.gradcheck(OffByOneElement.apply, (leaf((5,)),), atol=1.0)
    assert ag.gradcheck(lambda t: t * t, (a,))


def test_needs_an_input_that_requires_grad_and_warns_on_low_precision():
    with pytest.raises(ag.ArgumentError, match="no input has requires_grad"):
        ag.gradcheck(lambda t: t * 2, (ag.tensor([1.0], dtype=np.float64),))
    x32 = ag.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ag.gradcheck(lambda t: t * 2, (x32,), eps=1e-2, atol=1e-2)
    assert any("float32" in str(w.message) for w in caught)


def test_jacobians_have_one_row_per_output_element():
    a, b = leaf((2, 3)), leaf((3,))
    fn = lambda a, b: a * b                     # noqa: E731
    (jn_a, jn_b) = numerical_jacobian(fn, (a, b))
    (ja_a, ja_b) = analytical_jacobian(fn, (a, b))
    assert jn_a.shape == ja_a.shape == (6, 6) and jn_b.shape == ja_b.shape == (6, 3)
    np.testing.assert_allclose(ja_a, np.diag(np.tile(b.numpy(force=True), 2)))
    np.testing.assert_allclose(jn_b, ja_b, atol=1e-8)


def test_empty_inputs_are_checked_without_error():
    x = ag.tensor(np.zeros((2, 0)), requires_grad=True)
    assert ag.gradcheck(lambda t: t * 2.0, (x,))
    assert ag.gradgradcheck(lambda t: t * t, (x,))
