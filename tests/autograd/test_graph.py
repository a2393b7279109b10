"""Graph semantics of the engine: fan-out and fan-in, accumulation, retain_graph, grad modes,
leaves and non-leaves, hooks, deep graphs, autograd.grad, higher order derivatives, custom
Functions, and dtype promotion through the graph."""

import gc
import sys

import numpy as np
import pytest

import autograd as ag
from autograd.testing import strategies as ats


def leaf(values, dtype=np.float64):
    return ag.tensor(np.asarray(values, dtype=dtype), requires_grad=True)


# -- fan-out / fan-in -------------------------------------------------------------------------
def test_diamond_graph_sums_both_paths():
    x = leaf([1.0, -2.0, 0.5])
    a, b = x * 2.0, x * 3.0            # two paths from x ...
    c = a * b                          # ... joined again: c = 6 x²
    c.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 12.0 * x.numpy(force=True))


def test_x_times_x_has_two_edges_and_gradient_2x():
    x = leaf([3.0, -1.5])
    y = x * x
    assert [fn.variable for fn, _ in y.grad_fn.next_functions] == [x, x]   # AccumulateGrad
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.numpy(force=True))


def test_one_tensor_reused_in_many_ops():
    x = leaf([0.3, -0.7, 1.1])
    y = x.exp() + x * x + x.tanh() + x.sum() + (x / 2.0) + x.sigmoid() * x
    y.sum().backward()
    d = x.numpy(force=True)
    s = 1 / (1 + np.exp(-d))
    expected = np.exp(d) + 2 * d + (1 - np.tanh(d) ** 2) + 3.0 + 0.5 + s * (1 - s) * d + s
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12)
    assert ats.assert_gradients_hold(
        lambda t: t.exp() + t * t + t.tanh() + t.sum() + t / 2.0 + t.sigmoid() * t, x)


# -- accumulation and retain_graph --------------------------------------------------------------
def test_grad_accumulates_over_backward_calls_and_none_clears_it():
    x = leaf([1.0, 2.0])
    (x * 3.0).sum().backward()
    (x * 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 6.0])
    x.grad = None
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


def test_second_backward_needs_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(ag.BackwardError, match="second time"):
        y.backward()
    z = (x * x).sum()
    x.grad = None
    z.backward(retain_graph=True)
    z.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])


def test_stored_grad_does_not_alias_later_gradients():
    x = leaf([1.0, 2.0])
    (x * 1.0).sum().backward()
    first = x.grad
    snapshot = first.numpy().copy()
    (x * 5.0).sum().backward()
    np.testing.assert_array_equal(snapshot, [1.0, 1.0])
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 6.0])


# -- grad modes ---------------------------------------------------------------------------------
def test_no_grad_and_enable_grad_as_context_managers():
    x = leaf([1.0])
    with ag.no_grad():
        assert not ag.is_grad_enabled()
        y = x * 2
        with ag.enable_grad():
            assert ag.is_grad_enabled()
            z = x * 2
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf
    assert z.requires_grad and z.grad_fn is not None


def test_no_grad_and_enable_grad_as_decorators_restore_mode_on_error():
    @ag.no_grad()
    def double(t):
        return t * 2

    @ag.enable_grad()
    def triple(t):
        return t * 3

    @ag.no_grad()
    def fails():
        raise KeyError("boom")

    x = leaf([1.0])
    assert double(x).grad_fn is None
    with ag.no_grad():
        assert triple(x).grad_fn is not None
    with pytest.raises(KeyError):
        fails()
    assert ag.is_grad_enabled()
    assert double.__name__ == "double"


def test_set_grad_enabled_context_decorator_and_call():
    x = leaf([1.0])
    with ag.set_grad_enabled(False):
        assert (x * 2).grad_fn is None
    with ag.set_grad_enabled(True):
        assert (x * 2).grad_fn is not None
    assert ag.is_grad_enabled()

    @ag.set_grad_enabled(False)
    def f(t):
        return t * 2
    assert f(x).grad_fn is None and ag.is_grad_enabled()
    try:
        ag.set_grad_enabled(False)            # a plain call switches immediately (PyTorch)
        assert not ag.is_grad_enabled()
    finally:
        ag.set_grad_enabled(True)
    assert ag.is_grad_enabled()


# -- leaves ---------------------------------------------------------------------------------------
def test_detach_requires_grad_and_is_leaf():
    x = leaf([1.0, 2.0])
    y = x * 2
    assert x.is_leaf and not y.is_leaf
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.grad_fn is None
    assert np.shares_memory(d.numpy(force=True), y.numpy(force=True))
    (d * x).sum().backward()                  # d is a constant
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])
    c = ag.tensor([1.0, 2.0])
    assert not c.requires_grad
    assert c.requires_grad_() is c and c.requires_grad
    c.requires_grad_(False)
    assert not c.requires_grad
    with pytest.raises(RuntimeError, match="non-leaf"):
        y.requires_grad_(False)
    y2 = (x * 3).detach_()
    assert y2.is_leaf and not y2.requires_grad


def test_intermediates_keep_no_grad_unless_retain_grad():
    x = leaf([1.0, 2.0])
    y = x * 3
    z = x * 4
    y.retain_grad()
    (y * y + z).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), 2 * y.numpy(force=True))
    assert z.grad is None
    np.testing.assert_array_equal(x.grad.numpy(), 18 * x.numpy(force=True) + 4)
    x.retain_grad()                           # a no-op on leaves
    assert x.grad is not None


# -- hooks ----------------------------------------------------------------------------------------
def test_hook_on_leaf_modifies_gradient_and_can_be_removed():
    x = leaf([1.0, 2.0])
    seen = []
    handle = x.register_hook(lambda g: g * 10)
    observer = x.register_hook(lambda g: seen.append(g.numpy().copy()))   # returns None
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [20.0, 40.0])
    np.testing.assert_array_equal(seen[0], [20.0, 40.0])         # hooks run in order
    handle.remove()
    observer.remove()
    x.grad = None
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])
    assert len(seen) == 1


def test_hook_on_non_leaf_changes_what_flows_upstream():
    x = leaf([1.0, 2.0])
    y = x * 3
    handle = y.register_hook(lambda g: g * 0.5)
    z = (y * 2).sum()
    z.backward(retain_graph=True)
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])     # 2 * 0.5 * 3
    handle.remove()
    x.grad = None
    z.backward()                                                  # same graph, hook gone
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 6.0])
    x.grad = None
    y2 = x * 3
    y2.register_hook(lambda g: g + 1.0)
    (y2 * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [9.0, 9.0])     # (2 + 1) * 3
    with pytest.raises(ag.BackwardError, match="register_hook"):
        ag.tensor([1.0]).register_hook(lambda g: g)


# -- deep graphs ---------------------------------------------------------------------------------
def test_100000_op_chain_backpropagates_at_the_default_recursion_limit():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)              # CPython's default
    try:
        x = leaf([1.0])
        y = x
        for _ in range(100_000):
            y = y * 1.00001
        y.sum().backward()
        # d/dx (c^n x) = c^n = 1.00001^100000 ≈ e
        np.testing.assert_allclose(x.grad.numpy(), [1.00001 ** 100_000], rtol=1e-9)
        del y                                # freeing the chain must not recurse either
        gc.collect()
    finally:
        sys.setrecursionlimit(old)


# -- autograd.grad ----------------------------------------------------------------------------
def test_grad_returns_a_tuple_and_leaves_dot_grad_alone():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    y = (x * w).sum()
    grads = ag.grad(y, x, retain_graph=True)
    assert isinstance(grads, tuple) and len(grads) == 1
    np.testing.assert_array_equal(grads[0].numpy(), [3.0, 4.0])
    gx, gw = ag.grad(y, [x, w])
    np.testing.assert_array_equal(gw.numpy(), [1.0, 2.0])
    assert x.grad is None and w.grad is None


def test_grad_of_non_leaf_inputs_and_grad_outputs():
    x = leaf([1.0, 2.0])
    h = x * 2
    y = h * h
    (gh,) = ag.grad(y, h, grad_outputs=ag.tensor([1.0, 10.0], dtype=np.float64))
    np.testing.assert_array_equal(gh.numpy(), [4.0, 80.0])


def test_grad_allow_unused():
    x, unused = leaf([1.0]), leaf([2.0])
    y = (x * 2).sum()
    with pytest.raises(ag.BackwardError, match="allow_unused"):
        ag.grad(y, [x, unused], retain_graph=True)
    gx, gu = ag.grad(y, [x, unused], allow_unused=True)
    assert gu is None and gx.item() == 2.0


def test_backward_inputs_argument_limits_accumulation():
    a, b = leaf([1.0]), leaf([2.0])
    (a * b).sum().backward(inputs=[a])
    assert a.grad.item() == 2.0 and b.grad is None


# -- higher order -----------------------------------------------------------------------------
def test_hessian_vector_product():
    x = leaf([0.5, -1.0, 2.0])
    v = ag.tensor([1.0, 2.0, -1.0], dtype=np.float64)
    f = (x.exp() * x).sum()                 # Hessian: diag((x + 2) e^x)
    (g,) = ag.grad(f, x, create_graph=True)
    assert g.requires_grad
    (hv,) = ag.grad((g * v).sum(), x)
    np.testing.assert_allclose(hv.numpy(), (x.numpy(force=True) + 2) * np.exp(x.numpy(force=True)) * v.numpy(force=True), rtol=1e-12)
    a = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 1.0]])   # symmetric
    q = 0.5 * (x @ (ag.tensor(a) @ x))       # Hessian: a
    (g,) = ag.grad(q, x, create_graph=True)
    (hv,) = ag.grad(g @ v, x)
    np.testing.assert_allclose(hv.numpy(), a @ v.numpy(force=True), rtol=1e-12)


def test_gradient_penalty_backpropagates_into_weights_and_inputs():
    x, w = leaf([0.5, -1.5]), leaf([2.0, 3.0])
    f = (w * x * x).sum()                  # ∂f/∂x = 2 w x
    (g,) = ag.grad(f, x, create_graph=True)
    penalty = (g * g).sum()                # 4 Σ w² x²
    penalty.backward()
    np.testing.assert_allclose(w.grad.numpy(), 8 * w.numpy(force=True) * x.numpy(force=True) ** 2, rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), 8 * w.numpy(force=True) ** 2 * x.numpy(force=True), rtol=1e-12)


def test_backward_with_create_graph_gives_differentiable_grad():
    x = leaf([2.0])
    (x ** 3).sum().backward(create_graph=True)
    assert x.grad.requires_grad                        # 3 x²
    (g2,) = ag.grad(x.grad.sum(), x)
    assert g2.item() == pytest.approx(12.0)            # 6 x


# -- custom Functions ---------------------------------------------------------------------------
class ScaledCube(ag.Function):
    """c = k a³ with a constant k.  dc/da = 3 k a²."""

    rule = "d/da = 3k a^2"
    seen_needs = []

    @staticmethod
    def forward(ctx, a, k):
        ctx.save_for_backward(a)
        ctx.k = k
        return ag.from_numpy(k * a.numpy(force=True) ** 3)

    @staticmethod
    def backward(ctx, grad):
        ScaledCube.seen_needs.append(ctx.needs_input_grad)
        (a,) = ctx.saved_tensors
        return grad * 3.0 * ctx.k * a * a, None


class WeightedSum(ag.Function):
    """c = Σ w a.  dc/da = w, dc/dw = a."""

    seen_needs = []

    @staticmethod
    def forward(ctx, a, w):
        ctx.save_for_backward(a, w)
        return np.sum(a.numpy(force=True) * w.numpy(force=True))    # an ndarray is fine

    @staticmethod
    def backward(ctx, grad):
        WeightedSum.seen_needs.append(ctx.needs_input_grad)
        a, w = ctx.saved_tensors
        need_a, need_w = ctx.needs_input_grad
        return grad * w if need_a else None, grad * a if need_w else None


def test_custom_function_gradcheck_gradgradcheck_and_grad_fn():
    x = leaf([0.5, -1.0, 2.0])
    y = ScaledCube.apply(x, 2.0)
    assert isinstance(y.grad_fn, ScaledCube) and y.grad_fn.name() == "ScaledCubeBackward"
    assert "ScaledCubeBackward" in repr(y)
    np.testing.assert_allclose(y.detach().numpy(), 2.0 * x.numpy(force=True) ** 3)
    assert ag.gradcheck(lambda t: ScaledCube.apply(t, 2.0), (x,))
    assert ag.gradgradcheck(lambda t: ScaledCube.apply(t, 2.0), (x,))
    ats.assert_gradients_hold(lambda t: ScaledCube.apply(t, -0.5), x)


def test_custom_function_needs_input_grad():
    a, w = leaf([1.0, 2.0]), ag.tensor([3.0, 4.0], dtype=np.float64)
    WeightedSum.seen_needs.clear()
    out = WeightedSum.apply(a, w)
    out.backward()
    assert WeightedSum.seen_needs == [(True, False)]
    np.testing.assert_array_equal(a.grad.numpy(), [3.0, 4.0])
    ScaledCube.seen_needs.clear()
    ScaledCube.apply(a, 1.0).sum().backward()
    assert ScaledCube.seen_needs == [(True, False)]       # the constant k needs none
    with ag.no_grad():
        assert WeightedSum.apply(a, w).grad_fn is None
    assert WeightedSum.apply(ag.tensor([1.0]), ag.tensor([1.0])).grad_fn is None


# -- dtypes through the graph -------------------------------------------------------------------
def test_default_dtype_is_float32_and_float64_is_preserved():
    assert ag.tensor([1.0]).dtype == np.float32
    assert ag.zeros(2).dtype == np.float32 and ag.randn(2).dtype == np.float32
    x64 = leaf([1.0, 2.0])
    y = (x64 * 2 + 1).exp().sum()
    assert y.dtype == np.float64
    y.backward()
    assert x64.grad.dtype == np.float64


def test_mixed_precision_promotes_and_grads_are_cast_back():
    a = ag.tensor([1.0, 2.0], requires_grad=True)                       # float32
    b = ag.tensor([3.0, 4.0], dtype=np.float64, requires_grad=True)
    c = a * b
    assert c.dtype == np.float64
    c.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_allclose(a.grad.numpy(), [3.0, 4.0])
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 2.0])


def test_python_scalar_operands_do_not_promote():
    a = ag.tensor([1.0, 2.0], requires_grad=True)
    for out in (a * 2.5, 2.5 * a, a + 1, a / 3.0, a - 0.1, a ** 2.0, 1.5 ** a):
        assert out.dtype == np.float32
    i = ag.tensor([1, 2])
    assert (i * 2).dtype == np.int64


def test_retained_grad_sees_the_hooks_whatever_the_registration_order():
    # PyTorch: the retain_grad hook always runs after the tensor's other hooks
    for retain_first in (True, False):
        x = leaf([1.0, 2.0])
        h = x * 2
        if retain_first:
            h.retain_grad()
        h.register_hook(lambda g: g * 10)
        if not retain_first:
            h.retain_grad()
        h.sum().backward()
        np.testing.assert_array_equal(h.grad.numpy(), [10.0, 10.0])
        np.testing.assert_array_equal(x.grad.numpy(), [20.0, 20.0])
