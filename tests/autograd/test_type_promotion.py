"""PyTorch's type promotion (issue 10, "Exact"): binary ops, comparisons, where, in-place ops.

The rules (torch.result_type): categories bool < integer < floating. A dimensioned tensor sets
the dtype unless an operand of a *higher category* comes along; Python scalars, numpy scalars
and 0-d tensors only count when their category is higher, and then a Python/numpy scalar gives
the default dtype of its category (float32, int64) while a 0-d tensor gives its own dtype.
int / int is true division (float32). In-place ops never change the dtype: a result that can't
be cast back (int tensor .add_(1.5)) raises RuntimeError.

Every row below was produced by torch 2.13.0 (/work/torchref) and copied here as literal data.
"""

import re

import numpy as np
import pytest

import autograd as ag

# Operands: ("t", dtype) a tensor of shape (2,) holding [1, 2] ([True, False] for bool);
# ("0d", dtype) a 0-d tensor holding 2 (True for bool); ("py", value) a Python scalar;
# ("np", (type, value)) a numpy scalar such as np.float64(2.0).
# (lhs, rhs, op, result dtype, result values) -- checked with torch 2.13.0
PROMOTION = [
    # the cases the issue names
    (("t", "int64"), ("t", "float32"), "mul", "float32", [1.0, 4.0]),
    (("t", "float32"), ("0d", "int64"), "add", "float32", [3.0, 4.0]),
    (("t", "float32"), ("np", ("float64", 2.0)), "mul", "float32", [2.0, 4.0]),
    (("t", "float16"), ("py", 2.5), "mul", "float16", [2.5, 5.0]),
    (("t", "int64"), ("py", 2.5), "mul", "float32", [2.5, 5.0]),
    (("t", "int32"), ("py", 5), "add", "int32", [6, 7]),
    (("t", "int64"), ("0d", "float64"), "add", "float64", [3.0, 4.0]),
    (("t", "bool"), ("py", 1), "add", "int64", [2, 1]),
    (("t", "int64"), ("t", "int64"), "div", "float32", [1.0, 1.0]),
    (("t", "int32"), ("py", 2), "div", "float32", [0.5, 1.0]),
    # two dimensioned tensors: the usual lattice
    (("t", "float32"), ("t", "float64"), "add", "float64", [2.0, 4.0]),
    (("t", "float16"), ("t", "float32"), "add", "float32", [2.0, 4.0]),
    (("t", "float16"), ("t", "int64"), "mul", "float16", [1.0, 4.0]),
    (("t", "int32"), ("t", "int64"), "add", "int64", [2, 4]),
    (("t", "uint8"), ("t", "int32"), "add", "int32", [2, 4]),
    (("t", "uint8"), ("t", "bool"), "add", "uint8", [2, 2]),
    (("t", "bool"), ("t", "bool"), "mul", "bool", [True, False]),
    (("t", "bool"), ("t", "float16"), "add", "float16", [2.0, 2.0]),
    # 0-d tensors do not promote within a category ...
    (("t", "float32"), ("0d", "float64"), "mul", "float32", [2.0, 4.0]),
    (("t", "float16"), ("0d", "float64"), "add", "float16", [3.0, 4.0]),
    (("t", "int32"), ("0d", "int64"), "add", "int32", [3, 4]),
    (("t", "uint8"), ("0d", "int64"), "add", "uint8", [3, 4]),
    # ... but do across categories, with their own dtype
    (("t", "bool"), ("0d", "int32"), "add", "int32", [3, 2]),
    (("0d", "float64"), ("t", "int32"), "mul", "float64", [2.0, 4.0]),
    (("0d", "int64"), ("t", "float16"), "mul", "float16", [2.0, 4.0]),
    # two 0-d tensors: the usual lattice
    (("0d", "float64"), ("0d", "float32"), "add", "float64", 4.0),
    (("0d", "int64"), ("0d", "float32"), "add", "float32", 4.0),
    (("0d", "int32"), ("py", 2.5), "mul", "float32", 5.0),
    (("0d", "float32"), ("py", 2.5), "mul", "float32", 5.0),
    # Python scalars, on either side
    (("t", "uint8"), ("py", 3), "mul", "uint8", [3, 6]),
    (("t", "bool"), ("py", 2.5), "mul", "float32", [2.5, 0.0]),
    (("t", "bool"), ("py", True), "add", "bool", [True, True]),
    (("t", "int64"), ("py", True), "add", "int64", [2, 3]),
    (("t", "float32"), ("py", True), "add", "float32", [2.0, 3.0]),
    (("py", 2), ("t", "float16"), "sub", "float16", [1.0, 0.0]),
    (("py", 2.5), ("t", "int64"), "sub", "float32", [1.5, 0.5]),
    (("py", 3), ("t", "int32"), "div", "float32", [3.0, 1.5]),
    # numpy scalars act like Python scalars (their own width does not count)
    (("np", ("float64", 2.0)), ("t", "int64"), "mul", "float32", [2.0, 4.0]),
    (("t", "int64"), ("np", ("int32", 2)), "add", "int64", [3, 4]),
    (("t", "int32"), ("np", ("int64", 2)), "add", "int32", [3, 4]),
    (("t", "float16"), ("np", ("float32", 2.0)), "add", "float16", [3.0, 4.0]),
    (("t", "int64"), ("np", ("float32", 2.0)), "add", "float32", [3.0, 4.0]),
    (("t", "float32"), ("np", ("int64", 2)), "add", "float32", [3.0, 4.0]),
    (("t", "bool"), ("np", ("float64", 2.5)), "add", "float32", [3.5, 2.5]),
    (("t", "int64"), ("np", ("float16", 2.5)), "add", "float32", [3.5, 4.5]),
    # pow and maximum follow the same rules
    (("t", "int64"), ("py", 2.5), "pow", "float32", [1.0, 5.656854152679443]),
    (("t", "int64"), ("py", 2), "pow", "int64", [1, 4]),
    (("py", 2.5), ("t", "int64"), "pow", "float32", [2.5, 6.25]),
    (("t", "float32"), ("0d", "float64"), "pow", "float32", [1.0, 4.0]),
    (("t", "int64"), ("t", "float32"), "maximum", "float32", [1.0, 2.0]),
    (("t", "float32"), ("0d", "float64"), "maximum", "float32", [2.0, 2.0]),
    # comparisons compare in the promoted type (1.5 is not truncated to 1) and give bool
    (("t", "int64"), ("py", 1.5), "lt", "bool", [True, False]),
    (("t", "int64"), ("py", 2.5), "eq", "bool", [False, False]),
    (("t", "int64"), ("py", 1.5), "gt", "bool", [False, True]),
    (("t", "int32"), ("0d", "float64"), "ge", "bool", [False, True]),
    # where(cond, lhs, rhs) with cond = [True, False]
    (("t", "float32"), ("py", 2), "where", "float32", [1.0, 2.0]),
    (("t", "int64"), ("py", 2.5), "where", "float32", [1.0, 2.5]),
    (("t", "int32"), ("0d", "int64"), "where", "int32", [1, 2]),
    (("t", "float32"), ("t", "float64"), "where", "float64", [1.0, 2.0]),
    (("t", "int64"), ("t", "float32"), "where", "float32", [1.0, 2.0]),
    (("t", "float16"), ("0d", "float64"), "where", "float16", [1.0, 2.0]),
    (("t", "bool"), ("py", 0), "where", "int64", [1, 0]),
]

OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
    "maximum": ag.maximum,
    "lt": lambda a, b: a < b,
    "eq": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "where": lambda a, b: ag.where(ag.tensor([True, False]), a, b),
}


def operand(spec):
    kind, value = spec
    if kind == "t":
        return ag.tensor([True, False] if value == "bool" else [1, 2], dtype=np.dtype(value))
    if kind == "0d":
        return ag.tensor(True if value == "bool" else 2, dtype=np.dtype(value))
    if kind == "py":
        return value
    name, v = value
    return getattr(np, name)(v)


def label(spec):
    kind, value = spec
    if kind in ("t", "0d"):
        return f"{value}[{'2' if kind == 't' else ''}]"
    return repr(value) if kind == "py" else f"np.{value[0]}({value[1]})"


def case_id(row):
    lhs, rhs, op = row[:3]
    return f"{label(lhs)}-{op}-{label(rhs)}"


# ag exports float16/32/64, int32, int64 and bool_ (torch.bool); uint8 only as a numpy dtype
AG_NAMES = {"bool": "bool_"}


@pytest.mark.parametrize("lhs, rhs, op, dtype, expected", PROMOTION,
                         ids=[case_id(r) for r in PROMOTION])
def test_result_dtype_and_values_match_pytorch(lhs, rhs, op, dtype, expected):
    out = OPS[op](operand(lhs), operand(rhs))
    assert isinstance(out, ag.Tensor), f"expected a Tensor, got {type(out).__name__}"
    assert out.dtype == np.dtype(dtype), \
        f"{case_id((lhs, rhs, op))}: dtype {out.dtype}, PyTorch gives {dtype}"
    ag_dtype = getattr(ag, AG_NAMES.get(dtype, dtype), None)
    if ag_dtype is not None:
        assert out.dtype == ag_dtype
    expected = np.asarray(expected, dtype=np.dtype(dtype))
    np.testing.assert_array_equal(out.numpy(), expected, err_msg=case_id((lhs, rhs, op)))


def test_a_float32_model_stays_float32_with_scalars_and_0d_tensors():
    # the silent float64 upgrade the issue describes, in one expression
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * np.float64(2.0) + ag.tensor(2) - 0.5) / ag.tensor(3.0, dtype=ag.float64)
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32


# -- in-place ops keep the dtype; a result that needs another dtype raises -------------------
# (tensor, method, argument, op name the message must give) -- torch 2.13.0 raises
# RuntimeError "result type Float can't be cast to the desired output type Long" for each
INPLACE_REFUSED = [
    (("t", "int64"), "add_", ("py", 1.5), "add_"),
    (("t", "int64"), "sub_", ("py", 0.5), "sub_"),
    (("t", "int64"), "mul_", ("t", "float32"), "mul_"),
    (("t", "int64"), "div_", ("py", 2), "div_"),
    (("t", "int64"), "add_", ("0d", "float32"), "add_"),
    (("t", "int64"), "add_", ("np", ("float64", 1.5)), "add_"),
    (("t", "int64"), "__iadd__", ("py", 1.5), "add"),
    (("t", "int64"), "__itruediv__", ("py", 2), "div"),
    (("t", "bool"), "add_", ("py", 1), "add_"),
]


@pytest.mark.parametrize("target, method, arg, op_name", INPLACE_REFUSED,
                         ids=[f"{label(t)}.{m}({label(a)})" for t, m, a, _ in INPLACE_REFUSED])
def test_in_place_op_that_would_change_the_dtype_raises(target, method, arg, op_name):
    t = operand(target)
    before = t.numpy().copy()
    with pytest.raises(RuntimeError) as info:
        getattr(t, method)(operand(arg))
    message = str(info.value)
    assert re.search(r"cast", message, re.I), f"the message should say it can't cast: {message}"
    assert op_name in message, f"the message should name the op ({op_name}): {message}"
    np.testing.assert_array_equal(t.numpy(), before, err_msg="the refused op changed the tensor")


def test_clamp_with_float_bounds_on_an_int_tensor_in_place_raises():
    # torch 2.13.0: RuntimeError "result type Float can't be cast to the desired output type
    # long int"
    with pytest.raises(RuntimeError, match="(?i)cast"):
        ag.tensor([1, 2]).clamp_(0.5, 1.5)


# (tensor, method, argument, dtype after, values after) -- torch 2.13.0
INPLACE_KEPT = [
    (("t", "int32"), "add_", ("t", "int64"), "int32", [2, 4]),
    (("t", "float32"), "add_", ("t", "float64"), "float32", [2.0, 4.0]),
    (("t", "float16"), "mul_", ("py", 2.5), "float16", [2.5, 5.0]),
    (("t", "float32"), "mul_", ("np", ("float64", 2.0)), "float32", [2.0, 4.0]),
    (("t", "int64"), "fill_", ("py", 2.7), "int64", [2, 2]),
]


@pytest.mark.parametrize("target, method, arg, dtype, expected", INPLACE_KEPT,
                         ids=[f"{label(t)}.{m}({label(a)})" for t, m, a, _, _ in INPLACE_KEPT])
def test_in_place_op_keeps_the_dtype(target, method, arg, dtype, expected):
    t = operand(target)
    out = getattr(t, method)(operand(arg))
    assert out is t
    assert t.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(t.numpy(), np.asarray(expected, dtype=np.dtype(dtype)))


def test_copy_and_setitem_cast_into_the_integer_tensor():
    # torch 2.13.0: int64 [1, 2].copy_(tensor([1.7, 2.2])) -> [1, 2]; t[0] = 2.7 -> [2, 2]
    t = ag.tensor([1, 2])
    t.copy_(ag.tensor([1.7, 2.2]))
    assert t.dtype == np.int64 and t.tolist() == [1, 2]
    t[0] = 2.7
    assert t.dtype == np.int64 and t.tolist() == [2, 2]
