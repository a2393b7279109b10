"""Hypothesis strategies for tensors, and a one-call gradient property test.

The pieces
----------
``shapes``                 array shapes (small by default: the checks are O(elements²))
``broadcastable_shapes``   tuples of mutually broadcastable shapes
``elements``               floats in a range, pushed away from kinks (``away_from=(0,)``)
``tensors``                one float64 Tensor (``requires_grad=True`` by default); ``distinct=True``
                           keeps every pair of values at least ``min_gap`` apart (no near-ties
                           for max/min/maximum/sort-like ops)
``tensor_tuples``          several tensors of broadcastable shapes, drawn together (``distinct``
                           then separates values *across* the tensors too, for ``maximum(a, b)``)
``dims``, ``single_dim``   reduction axes: None, an int or a tuple, negative values included
``tensor_and_dims``        (tensor, dim, keepdim) drawn consistently
``assert_gradients_hold``  gradcheck + gradgradcheck + shape/dtype/finiteness checks, one call
``check_gradients``        the same as a ready-made hypothesis test for pytest to collect

Strategies that fill several arguments of the function under test at once
(``tensor_tuples``, ``tensor_and_dims``) draw an ``Args`` (a tuple subclass); ``check_gradients``
spreads an ``Args`` over consecutive arguments and passes every other value as one argument.
Only tensors that are *direct* arguments are checked (gradcheck perturbs those): for an op
taking a list, such as ``cat``, spread the tensors and rebuild the list inside ``fn``
(``lambda *ts: ag.cat(ts)``).

Example: property-test a custom op
----------------------------------
::

    import autograd as ag
    from hypothesis import given
    from autograd.testing import strategies as ats

    class SmoothAbs(ag.Function):
        '''sqrt(a² + 1).  d/da = a / sqrt(a² + 1).'''
        rule = "d/da = a / sqrt(a^2 + 1)"

        @staticmethod
        def forward(ctx, a):
            out = ag.from_numpy((a.numpy(force=True) ** 2 + 1) ** 0.5)
            ctx.save_for_backward(a, out)      # Tensors (the output too: no cycle is made)
            return out

        @staticmethod
        def backward(ctx, grad):
            a, out = ctx.saved_tensors
            return grad * a / out          # Tensor ops: differentiable again

    # 1. one line: a pytest test over random shapes, first and second derivatives
    test_smooth_abs = ats.check_gradients(SmoothAbs.apply, ats.tensors())

    # 2. or in your own hypothesis test, with any other property next to it
    @given(ats.tensor_tuples(ats.broadcastable_shapes(2), away_from=(0,)))
    def test_div(args):
        a, b = args
        ats.assert_gradients_hold(lambda a, b: a / b, a, b)

    # 3. reductions: a tensor with a dim choice (None, int, tuple; negative too) and keepdim
    test_sum = ats.check_gradients(lambda x, dim, keep: x.sum(dim, keep), ats.tensor_and_dims())

Numerical derivatives are only trustworthy in float64 and away from points where the function
is not differentiable; the defaults (float64, values in [-3, 3]) and ``away_from``/``distinct``
exist for that reason. A failing example raises ``GradcheckError`` naming the input, the
element and both values; hypothesis then shrinks it to a minimal shape.
"""

import functools
import math

import numpy as np

try:
    from hypothesis import given
    from hypothesis import settings as _settings
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as e:              # a test-time dependency: say how to get it
    raise ImportError(
        "autograd.testing.strategies needs hypothesis, a test-time dependency that is not "
        "installed; install the project's test extra: pip install -e '.[test]' (or pip "
        f"install hypothesis) [{e}]") from e

from ..engine import grad as _grad
from ..errors import ArgumentError, GradcheckError
from ..gradcheck import gradcheck, gradgradcheck
from ..grad_mode import enable_grad
from ..creation import from_numpy
from ..tensor import Tensor

__all__ = ["Args", "shapes", "broadcastable_shapes", "elements", "tensors", "tensor_tuples",
           "dims", "single_dim", "keepdims", "tensor_and_dims", "assert_gradients_hold",
           "check_gradients"]


class Args(tuple):
    """Several arguments drawn together; ``check_gradients`` spreads them over the function."""

    __slots__ = ()

    def __repr__(self):
        return "Args" + tuple.__repr__(self)


# -- shapes ----------------------------------------------------------------------------------
def shapes(min_dims=0, max_dims=3, min_side=1, max_side=3):
    """Shapes (tuples of ints) with ``min_dims..max_dims`` axes of ``min_side..max_side``.

    Small by default: a full gradcheck costs two forward passes per element.
    """
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=3):
    """Tuples of ``num_shapes`` shapes that broadcast together (sizes 1 and missing leading
    axes included), from ``hypothesis.extra.numpy.mutually_broadcastable_shapes``."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side,
        max_side=max_side).map(lambda b: tuple(b.input_shapes))


def _as_shape_strategy(shape):
    if shape is None:
        return shapes()
    if isinstance(shape, st.SearchStrategy):
        return shape
    if isinstance(shape, (int, np.integer)):
        return st.just((int(shape),))
    return st.just(tuple(shape))


# -- elements --------------------------------------------------------------------------------
def _push_away(x, points, margin, lo, hi):
    """Move ``x`` to the edge of the ``margin``-neighbourhood of any kink it falls into."""
    for k in points:
        if abs(x - k) < margin:
            x = k + margin if (x >= k and k + margin <= hi) or k - margin < lo else k - margin
    return x


def elements(min_value=-3.0, max_value=3.0, away_from=(), margin=0.1):
    """Finite floats in [min_value, max_value], at least ``margin`` from every point of
    ``away_from`` (values that land closer are moved to the edge of that neighbourhood, so
    hypothesis never has to reject examples).

    Use ``away_from=(0,)`` for relu/abs/leaky_relu and denominators, ``min_value=0.1`` for
    log/sqrt, ``away_from=(lo, hi)`` for clamp(lo, hi). Points should lie inside the range and
    at least ``2 * margin`` apart (a value pushed off one point must not land near another).
    """
    if not min_value < max_value:
        raise ValueError(f"elements: min_value {min_value} must be below max_value {max_value}")
    base = st.floats(min_value=min_value, max_value=max_value, allow_nan=False,
                     allow_infinity=False, allow_subnormal=False, width=64)
    if not away_from:
        return base
    return base.map(functools.partial(_push_away, points=tuple(away_from), margin=margin,
                                      lo=min_value, hi=max_value))


def _separated_values(n, min_value, max_value, min_gap):
    """``n`` floats, pairwise at least ``min_gap`` apart: distinct slots of a grid of step
    ``min_gap`` (in random order) plus one random sub-step offset. The range grows upward if
    it holds fewer than ``n`` slots."""
    slots = max(int(math.floor((max_value - min_value) / min_gap)), n)
    grid = st.permutations(range(slots))
    offset = st.floats(0.0, min_gap / 2, allow_subnormal=False)
    return st.tuples(grid, offset).map(
        lambda p: min_value + min_gap * np.asarray(p[0][:n], dtype=np.float64) + p[1])


# -- tensors ---------------------------------------------------------------------------------
def _tensor(array, dtype, requires_grad, shape=None):
    array = np.asarray(array, dtype=dtype)
    if shape is not None:
        array = array.reshape(shape)
    t = from_numpy(np.array(array, copy=True))      # own, writable storage
    return t.requires_grad_(True) if requires_grad else t


def tensors(shape=None, dtype=np.float64, min_value=-3.0, max_value=3.0, requires_grad=True,
            away_from=(), margin=0.1, distinct=False, min_gap=0.1):
    """Tensors of ``shape`` (a tuple, an int, or a strategy of shapes; default ``shapes()``).

    Parameters
    ----------
    dtype : numpy dtype
        float64 by default (numerical derivatives need it).
    min_value, max_value : float
        Range of the elements.
    requires_grad : bool
        Whether the drawn leaves require gradients.
    away_from, margin : sequence of float, float
        Keep elements at least ``margin`` from these points (kinks), see ``elements``.
    distinct, min_gap : bool, float
        All elements pairwise at least ``min_gap`` apart: no (near-)ties, so max/min have a
        unique, stable argmax under a gradcheck perturbation.
    """
    shape_st = _as_shape_strategy(shape)

    def build(shape):
        n = int(np.prod(shape, dtype=np.int64))
        make = functools.partial(_tensor, shape=shape, dtype=dtype,
                                 requires_grad=requires_grad)
        if distinct:
            return _separated_values(n, min_value, max_value, min_gap).map(make)
        arrays = hnp.arrays(np.float64, shape,
                            elements=elements(min_value, max_value, away_from, margin))
        return arrays.map(make)

    return shape_st.flatmap(build)


def tensor_tuples(shapes=None, dtype=np.float64, min_value=-3.0, max_value=3.0,
                  requires_grad=True, away_from=(), margin=0.1, distinct=False, min_gap=0.1):
    """An ``Args`` of tensors, one per shape of ``shapes`` (a tuple of shapes or a strategy of
    such tuples; default: pairs from ``broadcastable_shapes(2)``).

    ``requires_grad`` is a bool or one bool per tensor. With ``distinct=True`` no two values
    *in any of the tensors* are closer than ``min_gap`` (elementwise maximum/minimum never
    see a tie, whatever broadcasting pairs up). Other parameters as ``tensors``.
    """
    if shapes is None:
        shapes_st = broadcastable_shapes(2)
    elif isinstance(shapes, st.SearchStrategy):
        shapes_st = shapes
    else:
        shapes_st = st.just(tuple(tuple(s) for s in shapes))

    def build(shape_tuple):
        flags = ([requires_grad] * len(shape_tuple) if isinstance(requires_grad, bool)
                 else list(requires_grad))
        if len(flags) != len(shape_tuple):
            raise ValueError(f"tensor_tuples: {len(flags)} requires_grad flags for "
                             f"{len(shape_tuple)} shapes")
        if not distinct:
            return st.tuples(*[tensors(s, dtype, min_value, max_value, f, away_from, margin)
                               for s, f in zip(shape_tuple, flags)]).map(Args)
        sizes = [int(np.prod(s, dtype=np.int64)) for s in shape_tuple]

        def split(values):
            out, start = [], 0
            for s, n, f in zip(shape_tuple, sizes, flags):
                out.append(_tensor(values[start:start + n], dtype, f, shape=s))
                start += n
            return Args(out)

        return _separated_values(sum(sizes), min_value, max_value, min_gap).map(split)

    return shapes_st.flatmap(build)


# -- dims ------------------------------------------------------------------------------------
def single_dim(ndim):
    """One axis of an ``ndim``-D tensor, in ``[-ndim, ndim)`` (negative counts from the end)."""
    if ndim < 1:
        raise ValueError("single_dim: a 0-d tensor has no axis")
    return st.integers(-ndim, ndim - 1)


def dims(ndim, allow_none=True, allow_int=True, allow_tuple=True):
    """A ``dim`` argument for reductions of an ``ndim``-D tensor: None (all axes), an int, or a
    tuple of distinct axes, each written as either its positive or its negative index."""
    options = []
    if allow_none or ndim == 0:
        options.append(st.none())
    if ndim > 0 and allow_int:
        options.append(single_dim(ndim))
    if ndim > 0 and allow_tuple:
        axes = st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True)
        options.append(axes.flatmap(
            lambda ax: st.tuples(*[st.sampled_from((a, a - ndim)) for a in ax])))
    return st.one_of(*options)


def keepdims():
    """``keepdim``: True or False."""
    return st.booleans()


def tensor_and_dims(shape=None, allow_none=True, allow_int=True, allow_tuple=True, **kwargs):
    """An ``Args(tensor, dim, keepdim)`` with ``dim`` valid for the tensor's rank.

    ``shape`` and ``kwargs`` go to ``tensors``; ``allow_*`` to ``dims``.
    """
    shape_st = _as_shape_strategy(shape)
    return shape_st.flatmap(lambda s: st.tuples(
        tensors(st.just(s), **kwargs),
        dims(len(s), allow_none, allow_int, allow_tuple),
        keepdims()).map(Args))


# -- the one-call property -------------------------------------------------------------------
def _as_input(x):
    """Float ndarrays become float64 leaves requiring grad; everything else passes through."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return _tensor(x, np.float64, True)
    return x


def _float_outputs(out):
    outs = (out,) if isinstance(out, Tensor) else tuple(out)
    return [o for o in outs if isinstance(o, Tensor) and o.dtype.kind == "f"]


def _describe(fn, inputs):
    owner = getattr(fn, "__self__", None)          # MyOp.apply: name the op, not Function
    name = (f"{owner.__name__}.{fn.__name__}" if isinstance(owner, type)
            else getattr(fn, "__qualname__", None) or repr(fn))
    args = ", ".join(f"Tensor{tuple(x.shape)} {x.dtype.name}" if isinstance(x, Tensor) else repr(x)
                     for x in inputs)
    return f"{name}({args})"


def _check_forward_and_shapes(fn, inputs, where):
    """The outputs are finite, and backward gives each input a gradient of its own shape and
    dtype (the engine's broadcasting/dtype contract)."""
    __tracebackhide__ = True
    with enable_grad():
        outs = _float_outputs(fn(*inputs))
    for k, o in enumerate(outs):
        if not np.all(np.isfinite(o.numpy(force=True))):
            raise AssertionError(f"{where}: output {k} (shape {tuple(o.shape)}) is not finite; "
                                 "keep the "
                                 "inputs inside the function's domain")
    live = [o for o in outs if o.requires_grad]
    wanted = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    if not live:
        return
    rng = np.random.default_rng(0)
    seeds = [from_numpy(rng.standard_normal(o.shape).astype(o.dtype)) for o in live]
    grads = _grad(live, wanted, seeds, allow_unused=True)
    for x, g in zip(wanted, grads):
        if g is not None and (g.shape != x.shape or g.dtype != x.dtype):
            raise AssertionError(f"{where}: gradient of shape {tuple(g.shape)} {g.dtype.name} for an "
                                 "input "
                                 f"of shape {tuple(x.shape)} {x.dtype.name}")


def assert_gradients_hold(fn, *inputs, fast_mode=False, second_order=True, eps=1e-6,
                          atol=1e-5, rtol=1e-3):
    """Check ``fn``'s first (and second) derivatives at ``inputs``; return True or raise.

    Parameters
    ----------
    fn : callable
        Takes ``*inputs``, returns a Tensor or a tuple of Tensors (non-float outputs, such as
        the indices of ``max(dim)``, are ignored).
    *inputs
        Tensors (those with ``requires_grad=True`` are checked; use float64), float ndarrays
        (made float64 leaves requiring grad) and constants (passed through, e.g. a dim).
    fast_mode : bool
        ``gradcheck``'s fast mode (random projections) instead of full Jacobians.
    second_order : bool or "fast"
        Also run ``gradgradcheck`` (``"fast"``: in fast mode even when ``fast_mode=False``;
        full second-order Jacobians are the expensive part).
    eps, atol, rtol : float
        As ``autograd.gradcheck``.

    Raises
    ------
    GradcheckError
        Analytic and numerical derivatives disagree (message names the function, the input
        shapes, the input index, the element and both values).
    AssertionError
        An output is not finite, or a gradient's shape/dtype differs from its input's.
    ArgumentError
        No input requires grad (a ValueError).
    """
    __tracebackhide__ = True          # pytest: the failure points at the test, not here
    inputs = tuple(_as_input(x) for x in inputs)
    if not any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
        raise ArgumentError("assert_gradients_hold: no input requires grad")
    where = _describe(fn, inputs)
    _check_forward_and_shapes(fn, inputs, where)
    try:
        gradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol, fast_mode=fast_mode)
        if second_order:
            gradgradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol,
                          fast_mode=fast_mode or second_order == "fast")
    except GradcheckError as e:
        raise GradcheckError(f"{e}\n  checking {where}", e.analytical, e.numerical) from None
    return True


def _spread(drawn):
    args = []
    for value in drawn:
        if isinstance(value, Args):
            args.extend(value)
        else:
            args.append(value)
    return args


def check_gradients(fn, *strategies, fast_mode=False, second_order=True, max_examples=None,
                    eps=1e-6, atol=1e-5, rtol=1e-3):
    """A hypothesis test that runs ``assert_gradients_hold(fn, *drawn)`` on drawn inputs.

    Each strategy gives one argument of ``fn`` (an ``Args`` value gives several). Assign the
    result to a ``test_*`` name in a test module and pytest collects it::

        test_exp = check_gradients(lambda x: x.exp(), tensors(max_value=2.0))

    ``max_examples`` overrides the active hypothesis profile's number of examples; other
    parameters as ``assert_gradients_hold``.
    """
    if not strategies:
        raise ValueError("check_gradients: give at least one input strategy")

    @given(st.tuples(*strategies))
    def test(drawn):
        __tracebackhide__ = True
        assert_gradients_hold(fn, *_spread(drawn), fast_mode=fast_mode,
                              second_order=second_order, eps=eps, atol=atol, rtol=rtol)

    name = getattr(fn, "__name__", "fn").replace("<lambda>", "lambda")
    test.__name__ = test.__qualname__ = f"test_gradients_of_{name}"
    if max_examples is not None:
        test = _settings(max_examples=max_examples)(test)
    return test
