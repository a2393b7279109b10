"""Bad arguments drawn by hypothesis for the conv, pool, reduction and shape families (issue 11).

Each test draws a *valid* call (shapes and arguments that fit), checks that it runs, then
corrupts exactly one argument with a drawn bad value (a zero, negative or float size or
stride, a bool, a wrong-length tuple, an out-of-range or repeated dim, a mismatched shape) and
checks that the call raises a framework error (``autograd.errors.AutogradError``) whose
message names the op: never a raw numpy/Python exception, never a silently wrong result.
The table of fixed cases, with PyTorch's outcome for each, is test_bad_inputs.py.
"""

import math
import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.errors import AutogradError


def raises_framework_error(op, call):
    """``call()`` must raise an AutogradError that names ``op``; returns the error."""
    try:
        result = call()
    except AutogradError as e:
        assert re.search(rf"\b{re.escape(op)}\b", str(e), re.IGNORECASE), \
            f"the message should name {op!r}: {e}"
        return e
    except Exception as e:          # noqa: BLE001  (anything else is the failure we look for)
        raise AssertionError(f"{op}: a raw {type(e).__module__}.{type(e).__name__} instead of "
                             f"a framework error: {e}") from e
    raise AssertionError(f"{op}: a bad argument was accepted, giving {result!r:.200}")


def ones(*shape):
    return ag.ones(*shape, dtype=ag.float64)


# -- bad values for int-like arguments ---------------------------------------------------------
NON_POSITIVE = st.integers(-3, 0)
NEGATIVE = st.integers(-3, -1)
NOT_AN_INT = st.one_of(st.floats(0.5, 3.5).filter(lambda f: f != int(f)), st.just(True),
                       st.just(2.0), st.just("2"))


def bad_tuple(n, bad):
    """An argument of ``n`` values with one drawn ``bad`` value among valid ones (1s), or a
    tuple of the wrong length."""
    one_bad = st.tuples(st.integers(0, n - 1), bad).map(
        lambda ib: tuple(ib[1] if i == ib[0] else 1 for i in range(n)))
    wrong_length = st.integers(n + 1, n + 2).map(lambda k: (1,) * k)
    return st.one_of(bad, one_bad, wrong_length)


# -- convolution -----------------------------------------------------------------------------------
@st.composite
def conv_call(draw, n):
    """A valid n-D convolution: input (N, C, *spatial), weight (O, C/groups, *kernel) and its
    keyword arguments."""
    groups = draw(st.integers(1, 2))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = draw(st.tuples(*[st.integers(1, 3)] * n))
    dilation = draw(st.integers(1, 2))
    spatial = tuple(dilation * (k - 1) + 1 + draw(st.integers(0, 3)) for k in kernel)
    args = dict(stride=draw(st.integers(1, 2)), padding=draw(st.integers(0, 1)),
                dilation=dilation, groups=groups)
    return (draw(st.integers(1, 2)), c) + spatial, (o, c // groups) + kernel, args


CONV_BAD = {
    "stride": lambda n: bad_tuple(n, st.one_of(NON_POSITIVE, NOT_AN_INT)),
    "padding": lambda n: bad_tuple(n, st.one_of(NEGATIVE, NOT_AN_INT.filter(
        lambda v: not isinstance(v, str)), st.sampled_from(["full", "SAME", ""]))),
    "dilation": lambda n: bad_tuple(n, st.one_of(NON_POSITIVE, NOT_AN_INT)),
    "groups": lambda n: st.one_of(NON_POSITIVE, NOT_AN_INT),
}


@given(st.sampled_from([(ag.conv1d, 1), (ag.conv2d, 2)]), st.data())
def test_conv_refuses_a_drawn_bad_argument(op_n, data):
    op, n = op_n
    x_shape, w_shape, args = data.draw(conv_call(n))
    op(ones(*x_shape), ones(*w_shape), **args)            # the valid call runs
    name = data.draw(st.sampled_from(sorted(CONV_BAD)))
    bad = data.draw(CONV_BAD[name](n), label=name)
    raises_framework_error(op.__name__, lambda: op(ones(*x_shape), ones(*w_shape),
                                                   **dict(args, **{name: bad})))


@given(st.sampled_from([(ag.conv1d, 1), (ag.conv2d, 2)]), st.data())
def test_conv_refuses_drawn_mismatched_tensors(op_n, data):
    op, n = op_n
    x_shape, w_shape, args = data.draw(conv_call(n))
    how = data.draw(st.sampled_from(["zero kernel", "channels", "input ndim", "weight ndim",
                                     "bias shape", "kernel too large"]))
    if how == "zero kernel":
        axis = data.draw(st.integers(2, 1 + n))
        w_shape = w_shape[:axis] + (0,) + w_shape[axis + 1:]
    elif how == "channels":
        x_shape = x_shape[:1] + (x_shape[1] + data.draw(st.integers(1, 2)),) + x_shape[2:]
    elif how == "input ndim":
        x_shape = data.draw(st.sampled_from([x_shape[2:], x_shape + (2,)]))
    elif how == "weight ndim":
        w_shape = w_shape[:-1]
    elif how == "kernel too large":
        args = dict(args, padding=0)
        x_shape = x_shape[:2] + tuple(args["dilation"] * (k - 1) for k in w_shape[2:])
    bias = ones(w_shape[0] + 1) if how == "bias shape" else None
    raises_framework_error(op.__name__, lambda: op(ones(*x_shape), ones(*w_shape), bias,
                                                   **args))


@given(st.data())
def test_conv_transpose2d_refuses_a_drawn_bad_argument(data):
    x_shape, w_shape, args = data.draw(conv_call(2))
    args["padding"] = 0             # transposed: padding crops the output, which may vanish
    weight = ones(*w_shape).reshape(w_shape[1] * args["groups"], w_shape[0] // args["groups"],
                                    *w_shape[2:])
    x = ones(x_shape[0], weight.shape[0], *x_shape[2:])
    ag.conv_transpose2d(x, weight, **args)
    name = data.draw(st.sampled_from(["stride", "dilation", "groups", "output_padding",
                                      "padding"]))
    if name == "output_padding":    # must stay below stride or dilation
        bad = data.draw(st.one_of(NEGATIVE, st.just(max(args["stride"], args["dilation"]))))
    else:
        bad = data.draw(CONV_BAD[name](2).filter(lambda v: not isinstance(v, str)))
    raises_framework_error("conv_transpose2d", lambda: ag.conv_transpose2d(
        x, weight, **dict(args, **{name: bad})))


# -- pooling ------------------------------------------------------------------------------------------
POOLS = [(ag.max_pool2d, 2), (ag.avg_pool2d, 2), (ag.max_pool1d, 1), (ag.avg_pool1d, 1)]


@given(st.sampled_from(POOLS), st.data())
def test_pooling_refuses_a_drawn_bad_argument(op_n, data):
    op, n = op_n
    kernel = data.draw(st.integers(1, 3))
    x = ones(1, 2, *[kernel + data.draw(st.integers(0, 3)) for _ in range(n)])
    op(x, kernel)
    name = data.draw(st.sampled_from(["kernel_size", "stride", "padding"]))
    if name == "padding":          # negative, a non-int, or more than half the kernel
        bad = data.draw(bad_tuple(n, st.one_of(NEGATIVE, st.just(kernel // 2 + 1),
                                               NOT_AN_INT.filter(lambda v: v != "2"))))
        call = lambda: op(x, kernel, padding=bad)                      # noqa: E731
    elif name == "stride":
        bad = data.draw(bad_tuple(n, st.one_of(NON_POSITIVE, NOT_AN_INT)))
        call = lambda: op(x, kernel, stride=bad)                       # noqa: E731
    else:
        bad = data.draw(bad_tuple(n, st.one_of(NON_POSITIVE, NOT_AN_INT)))
        call = lambda: op(x, bad)                                      # noqa: E731
    raises_framework_error(op.__name__, call)


@given(st.one_of(st.just(0), st.floats(0.5, 3.5).filter(lambda f: f != int(f)), st.just(True)))
def test_avg_pool2d_refuses_a_drawn_bad_divisor(bad):
    raises_framework_error("avg_pool2d", lambda: ag.avg_pool2d(ones(1, 1, 4, 4), 2,
                                                               divisor_override=bad))


@given(st.sampled_from([(ag.adaptive_avg_pool2d, 2), (ag.adaptive_avg_pool1d, 1)]),
       st.one_of(NEGATIVE, st.floats(0.5, 3.5).filter(lambda f: f != int(f)), st.just("2")))
def test_adaptive_pooling_refuses_a_drawn_bad_output_size(op_n, bad):
    op, n = op_n
    raises_framework_error(op.__name__, lambda: op(ones(1, 1, *(4,) * n), bad))


# -- reductions ------------------------------------------------------------------------------------
REDUCTIONS = {
    "sum": lambda x, d: x.sum(d), "mean": lambda x, d: x.mean(d), "var": lambda x, d: x.var(d),
    "std": lambda x, d: x.std(d), "amax": lambda x, d: x.amax(d),
    "amin": lambda x, d: x.amin(d), "max": lambda x, d: x.max(d),
    "argmax": lambda x, d: x.argmax(d), "logsumexp": lambda x, d: x.logsumexp(d),
    "softmax": lambda x, d: x.softmax(d), "log_softmax": lambda x, d: x.log_softmax(d),
    "norm": lambda x, d: x.norm(dim=d),
}
TUPLE_DIMS = {"sum", "mean", "var", "std", "amax", "amin", "logsumexp", "norm"}


@st.composite
def bad_dim(draw, ndim, tuples):
    """A dim outside [-ndim, ndim) (0-d tensors take 0 and -1), a non-int, or (for reductions
    over several dims) a repeated one."""
    bound = max(ndim, 1)
    out_of_range = st.one_of(st.integers(bound, bound + 3), st.integers(-bound - 3, -bound - 1))
    options = [out_of_range, st.floats(-2.5, 2.5).filter(lambda f: f != int(f))]
    if tuples:
        options.append(out_of_range.map(lambda d: (0, d)))
        if ndim:
            options.append(st.integers(-ndim, ndim - 1).map(lambda d: (d, d % ndim)))
    return draw(st.one_of(*options))


@given(st.sampled_from(sorted(REDUCTIONS)), st.integers(0, 3), st.data())
def test_reductions_refuse_a_drawn_bad_dim(name, ndim, data):
    x = ones(*data.draw(st.tuples(*[st.integers(1, 3)] * ndim)))
    dim = data.draw(bad_dim(ndim, name in TUPLE_DIMS), label="dim")
    raises_framework_error(name, lambda: REDUCTIONS[name](x, dim))


# -- shape ops ---------------------------------------------------------------------------------------
@st.composite
def bad_reshape(draw, size):
    """A shape that cannot hold ``size`` elements: a wrong product, two -1, a size below -1,
    or a float."""
    how = draw(st.sampled_from(["product", "two -1", "below -1", "float"]))
    if how == "product":
        return draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).filter(
            lambda s: math.prod(s) != size))
    if how == "two -1":
        return [-1, -1] + draw(st.lists(st.integers(1, 3), max_size=1))
    if how == "below -1":
        return [draw(st.integers(-4, -2)), size]
    return [size / 2 + 0.5 if size % 2 == 0 else size + 0.5]


@given(st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3)), st.data())
def test_shape_ops_refuse_drawn_bad_arguments(shape, data):
    x = ones(*shape)
    ndim = len(shape)
    op = data.draw(st.sampled_from(["reshape", "permute", "transpose", "flatten", "expand",
                                    "split", "chunk", "unsqueeze", "squeeze", "narrow",
                                    "cat", "stack"]))
    if op == "reshape":
        bad = data.draw(bad_reshape(x.numel()))
        call = lambda: x.reshape(*bad)                                 # noqa: E731
    elif op == "permute":
        perm = data.draw(st.one_of(
            st.permutations(range(ndim)).map(lambda p: p[:-1]),       # too few
            st.lists(st.integers(0, ndim - 1), min_size=ndim, max_size=ndim).filter(
                lambda p: len(set(p)) < ndim),                        # repeated
            st.just((0, 1, ndim))))                                   # out of range
        call = lambda: x.permute(*perm)                                # noqa: E731
    elif op in ("transpose", "squeeze", "unsqueeze"):
        dim = data.draw(bad_dim(ndim + (op == "unsqueeze"), False))
        call = {"transpose": lambda: x.transpose(0, dim), "squeeze": lambda: x.squeeze(dim),
                "unsqueeze": lambda: x.unsqueeze(dim)}[op]
    elif op == "flatten":
        start, end = data.draw(st.one_of(
            st.tuples(st.integers(1, ndim - 1), st.integers(0, 0)),   # start after end
            st.tuples(st.just(0), bad_dim(ndim, False))))
        call = lambda: x.flatten(start, end)                           # noqa: E731
    elif op == "expand":
        sizes = data.draw(st.one_of(
            st.just(shape[1:]),                                        # fewer sizes than dims
            st.tuples(st.integers(-3, -1), *[st.just(s) for s in shape]),  # -k on a new dim
            st.just(tuple(s + 1 if s > 1 else s for s in shape)).filter(  # non-singleton
                lambda s: s != shape)))
        call = lambda: x.expand(*sizes)                                # noqa: E731
    elif op == "split":
        size = data.draw(st.one_of(st.integers(-3, 0), st.floats(0.5, 2.5).filter(
            lambda f: f != int(f)), st.lists(st.integers(0, 3), min_size=1, max_size=3).filter(
            lambda s: sum(s) != shape[0])))
        call = lambda: x.split(size)                                   # noqa: E731
    elif op == "chunk":
        chunks = data.draw(st.one_of(st.integers(-3, 0), st.just(1.5)))
        call = lambda: x.chunk(chunks)                                 # noqa: E731
    elif op == "narrow":
        start = data.draw(st.integers(0, shape[0]))
        length = data.draw(st.integers(shape[0] - start + 1, shape[0] + 3))
        call = lambda: x.narrow(0, start, length)                      # noqa: E731
    else:                          # cat/stack: the sizes differ in dim 1
        other = ones(shape[0], shape[1] + 1, shape[2])
        call = lambda: getattr(ag, op)([x, other], 0)                  # noqa: E731
    raises_framework_error(op, call)


@given(st.one_of(st.integers(-3, -1).map(lambda s: (s,)), st.just((1.5,)), st.just(("2",)),
                 st.tuples(st.integers(1, 2), st.integers(-3, -1))),
       st.sampled_from(["zeros", "ones", "randn", "rand", "empty"]))
def test_constructors_refuse_drawn_bad_sizes(size, name):
    raises_framework_error(name, lambda: getattr(ag, name)(*size))


def test_a_valid_draw_of_each_family_runs():
    """The corrupted calls above start from calls like these, which work."""
    x = ones(1, 2, 5, 5)
    assert ag.conv2d(x, ones(3, 2, 3, 3), stride=2, padding=1).shape == (1, 3, 3, 3)
    assert ag.max_pool2d(x, 2).shape == (1, 2, 2, 2)
    assert np.isfinite(x.norm(dim=(0, -1)).numpy()).all()
