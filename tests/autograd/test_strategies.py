"""The testing kit itself (autograd.testing.strategies): the strategies draw what they promise,
the one-call checks pass correct ops and fail wrong ones, and the documented examples run."""

import itertools
import pathlib
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import autograd.testing
from autograd.testing import strategies as ats

ROOT = pathlib.Path(__file__).resolve().parents[2]


# -- the strategies draw what they promise --------------------------------------------------
@given(ats.shapes(min_dims=1, max_dims=4, min_side=2, max_side=5))
def test_shapes_respect_bounds(shape):
    assert 1 <= len(shape) <= 4 and all(2 <= s <= 5 for s in shape)


@given(ats.broadcastable_shapes(3, max_dims=4))
def test_broadcastable_shapes_broadcast(shapes):
    assert len(shapes) == 3
    np.broadcast_shapes(*shapes)


@given(ats.tensors(min_value=-2.0, max_value=2.0, away_from=(0.0, 1.0), margin=0.25))
def test_elements_stay_in_range_and_away_from_kinks(x):
    d = x.numpy(force=True)
    assert np.all((d >= -2.0) & (d <= 2.0))
    assert np.all(np.abs(d) >= 0.25 - 1e-12) and np.all(np.abs(d - 1.0) >= 0.25 - 1e-12)


@given(ats.tensors(ats.shapes(min_dims=1, max_side=5), distinct=True, min_gap=0.2))
def test_distinct_elements_have_no_near_ties(x):
    values = np.sort(x.numpy(force=True).ravel())
    assert np.all(np.diff(values) >= 0.2 - 1e-9)


@given(ats.tensor_tuples(ats.broadcastable_shapes(3), distinct=True))
def test_distinct_tensor_tuples_are_separated_across_tensors(ts):
    assert isinstance(ts, ats.Args) and len(ts) == 3
    values = np.sort(np.concatenate([t.numpy(force=True).ravel() for t in ts]))
    assert np.all(np.diff(values) >= 0.1 - 1e-9)


@pytest.mark.parametrize("shape, expected", [((2, 3), (2, 3)), (4, (4,)), ((), ())])
@settings(max_examples=5)
@given(data=st.data())
def test_tensors_take_fixed_shapes_dtype_and_requires_grad(shape, expected, data):
    x = data.draw(ats.tensors(shape))
    assert x.shape == expected and x.dtype == np.float64 and x.requires_grad and x.is_leaf
    y = data.draw(ats.tensors(shape, dtype=np.float32, requires_grad=False))
    assert y.dtype == np.float32 and not y.requires_grad
    assert x.numpy(force=True).flags.writeable


@given(ats.tensor_tuples(((2,), (3, 1)), requires_grad=(True, False)))
def test_tensor_tuples_shapes_and_flags(ts):
    a, b = ts
    assert a.shape == (2,) and b.shape == (3, 1) and a.requires_grad and not b.requires_grad


@given(st.integers(0, 4).flatmap(lambda n: st.tuples(st.just(n), ats.dims(n))))
def test_dims_are_valid_distinct_and_use_negative_indices(args):
    ndim, dim = args
    if dim is None:
        return
    axes = (dim,) if isinstance(dim, int) else dim
    assert all(-ndim <= d < ndim for d in axes)
    assert len({d % ndim for d in axes}) == len(axes)


def test_dims_cover_none_int_tuple_and_negatives():
    seen = set()

    @settings(max_examples=200, derandomize=True)
    @given(ats.dims(3))
    def collect(dim):
        kind = type(dim).__name__
        seen.add(kind)
        axes = dim if isinstance(dim, tuple) else (dim,) if dim is not None else ()
        if any(d < 0 for d in axes):
            seen.add("negative")

    collect()
    assert seen == {"NoneType", "int", "tuple", "negative"}


@given(ats.tensor_and_dims())
def test_tensor_and_dims_are_consistent(args):
    x, dim, keep = args
    assert isinstance(keep, bool)
    x.sum(dim, keep)                          # valid for the drawn tensor's rank


def test_single_dim_rejects_0d():
    with pytest.raises(ValueError, match="0-d"):
        ats.single_dim(0)
    with pytest.raises(ValueError, match="min_value"):
        ats.elements(1.0, 0.0)


# -- assert_gradients_hold --------------------------------------------------------------------
class WrongExp(ag.Function):
    @staticmethod
    def forward(ctx, a):
        out = ag.from_numpy(np.exp(a.numpy(force=True)))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * 1.01             # 1% off


class NumpyBackwardSquare(ag.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return ag.from_numpy(a.numpy(force=True) ** 2)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return ag.from_numpy(2 * a.numpy(force=True) * grad.numpy(force=True))     # not differentiable again


def test_assert_gradients_hold_passes_correct_ops_and_converts_arrays():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    assert ats.assert_gradients_hold(lambda t: (t * t).sum(1), x) is True
    assert ats.assert_gradients_hold(lambda t, d: t.softmax(d), ag.tensor(x, requires_grad=True),
                                     -1, fast_mode=True)


def test_assert_gradients_hold_reports_function_and_shapes():
    x = ag.tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(ag.GradcheckError, match=r"input 0 .*\n  checking .*WrongExp.*"
                                                r"\(Tensor\(2, 2\) float64\)"):
        ats.assert_gradients_hold(WrongExp.apply, x)
    with pytest.raises(ag.GradcheckError, match="fast mode"):
        ats.assert_gradients_hold(WrongExp.apply, x, fast_mode=True)


def test_second_order_option():
    x = ag.tensor([0.5, -1.5], dtype=np.float64, requires_grad=True)
    assert ats.assert_gradients_hold(NumpyBackwardSquare.apply, x, second_order=False)
    for mode in (True, "fast"):
        with pytest.raises(ag.GradcheckError, match="gradgradcheck"):
            ats.assert_gradients_hold(NumpyBackwardSquare.apply, x, second_order=mode)


def test_assert_gradients_hold_input_contract():
    with pytest.raises(ValueError, match="no input requires grad"):
        ats.assert_gradients_hold(lambda t: t * 2, ag.tensor([1.0], dtype=np.float64))
    with pytest.raises(AssertionError, match="not finite"):
        ats.assert_gradients_hold(ag.log, np.array([-1.0, 1.0]))


def test_gradient_shape_and_dtype_follow_the_inputs():
    # float32 input: the engine casts the float64 gradient of a float64 intermediate back
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match="float32"):
        assert ats.assert_gradients_hold(lambda t: t.double() * 2.0, x, second_order=False,
                                         eps=1e-3, atol=1e-3, rtol=1e-2)


# -- check_gradients --------------------------------------------------------------------------
def test_check_gradients_builds_a_named_hypothesis_test_that_passes():
    calls = []

    def cube(t):
        calls.append(t.shape)
        return t * t * t

    test = ats.check_gradients(cube, ats.tensors(), max_examples=5)
    assert test.__name__ == "test_gradients_of_cube"
    test()
    assert calls                                 # it ran on drawn tensors


def test_check_gradients_fails_a_wrong_op():
    test = ats.check_gradients(WrongExp.apply, ats.tensors(), max_examples=10)
    with pytest.raises(ag.GradcheckError, match="WrongExp"):
        test()


def test_check_gradients_spreads_args_and_passes_other_values_whole():
    seen = []

    def fn(a, b, dim):
        seen.append((a.shape, b.shape, dim))
        return (a * b).sum(dim)

    test = ats.check_gradients(fn, ats.tensor_tuples(((2, 3), (3,))), st.just((0, 1)),
                               max_examples=3, second_order=False)
    test()
    assert seen and all(s == ((2, 3), (3,), (0, 1)) for s in seen)


def test_check_gradients_needs_a_strategy():
    with pytest.raises(ValueError, match="at least one"):
        ats.check_gradients(lambda t: t)


# -- hypothesis stays a test-time dependency ----------------------------------------------------
def test_importing_autograd_does_not_import_hypothesis():
    code = ("import sys, autograd, autograd.testing; "
            "assert 'hypothesis' not in sys.modules, 'hypothesis imported'; "
            "from autograd.testing import strategies; "
            "assert 'hypothesis' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_package_exposes_strategies_lazily():
    assert autograd.testing.strategies is ats
    with pytest.raises(AttributeError):
        autograd.testing.nothing_here       # noqa: B018


# -- the documented examples run ---------------------------------------------------------------
def _code_blocks(text):
    """Indented blocks after a line ending in '::' (reST) and ```python fences (Markdown)."""
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip().endswith("::"):
            body = list(itertools.takewhile(lambda s: not s.strip() or s.startswith("    "),
                                            lines[i + 1:]))
            blocks.append(textwrap.dedent("\n".join(body)))
    return [b for b in blocks if "import autograd" in b]


@pytest.mark.parametrize("source", ["package", "module", "docs"])
def test_documented_examples_run(source):
    if source == "package":
        text = autograd.testing.__doc__
    elif source == "module":
        text = ats.__doc__
    else:
        path = ROOT / "docs" / "testing-kit.md"
        if not path.exists():
            pytest.skip("docs/testing-kit.md not present")
        text = path.read_text()
    blocks = _code_blocks(text)
    assert blocks, f"no example found in the {source} docs"
    for block in blocks:
        namespace = {"__name__": "doc_example"}
        exec(compile(block, f"<{source} example>", "exec"), namespace)
        tests = [v for k, v in namespace.items() if k.startswith("test_") and callable(v)]
        if "strategies" in block:      # the property-test examples (not detect_anomaly's)
            assert tests, f"the {source} example defines no test"
        for test in tests:
            test()
