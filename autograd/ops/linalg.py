"""Matrix products: ``matmul`` / ``@`` for 1-D, 2-D and batched (broadcast) operands, ``mm``,
``bmm``, ``addmm``, and ``linear`` (y = x Wᵀ + b as one node: one GEMM each way).
"""

import numpy as np

from .. import dtypes, validate
from ..errors import ShapeError
from ..function import Function

__all__ = ["matmul", "mm", "bmm", "addmm", "linear", "MatMul", "Linear"]


class MatMul(Function):
    """C = A @ B on (..., n, k) @ (..., k, m), batch axes broadcast.

    dC/dA = G @ Bᵀ, dC/dB = Aᵀ @ G (the graph sums broadcast batch axes back).
    """

    rule = "d/dA = G @ B^T, d/dB = A^T @ G"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a._data, b._data)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        ga = MatMul.apply(grad, b.mT) if need_a else None
        gb = MatMul.apply(a.mT, grad) if need_b else None
        return ga, gb


def _same_dtype(op, a, b, names=("input", "other")):
    validate.tensor(a, op, names[0], 1)
    validate.tensor(b, op, names[1], 2)
    if a.dtype == b.dtype:
        return a, b
    dtype = dtypes.promote_types(a.dtype, b.dtype)
    return a.to(dtype), b.to(dtype)


def matmul(input, other):
    """Matrix product with NumPy/PyTorch semantics (``torch.matmul``).

    1-D operands are promoted to a row (left) or a column (right) matrix and the added axis is
    removed from the result; >= 3-D operands are stacks of matrices with broadcast batch axes.

    Raises
    ------
    ShapeError
        When the inner sizes differ, an operand is 0-D, or batch axes do not broadcast.
    """
    input, other = _same_dtype("matmul", input, other)
    if input.ndim == 0 or other.ndim == 0:
        raise ShapeError(f"matmul: both operands need at least 1 dimension, got shapes "
                         f"{tuple(input.shape)} and {tuple(other.shape)}")
    a = input.reshape(1, -1) if input.ndim == 1 else input
    b = other.reshape(-1, 1) if other.ndim == 1 else other
    if a.shape[-1] != b.shape[-2]:
        inner = other.shape[-2] if other.ndim > 1 else other.shape[0]
        raise ShapeError(f"matmul: shapes {tuple(input.shape)} and {tuple(other.shape)} cannot "
                         "be multiplied "
                         f"({input.shape[-1]} != {inner})")
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise ShapeError(f"matmul: batch dimensions of {tuple(input.shape)} and "
                         f"{tuple(other.shape)} are not "
                         "broadcastable") from None
    out = MatMul.apply(a, b)
    if input.ndim == 1:
        out = out.squeeze(-2)
    if other.ndim == 1:
        out = out.squeeze(-1)
    return out


def mm(input, mat2):
    """2-D matrix product (``torch.mm``)."""
    validate.tensor(input, "mm", "input", 1)
    validate.tensor(mat2, "mm", "mat2", 2)
    if input.ndim != 2 or mat2.ndim != 2:
        raise ShapeError(f"mm: expected 2-D operands, got {tuple(input.shape)} and "
                         f"{tuple(mat2.shape)}")
    if input.shape[1] != mat2.shape[0]:
        raise ShapeError(f"mm: shapes {tuple(input.shape)} and {tuple(mat2.shape)} cannot be "
                         "multiplied "
                         f"({input.shape[1]} != {mat2.shape[0]})")
    return MatMul.apply(*_same_dtype("mm", input, mat2))


def bmm(input, mat2):
    """Batched matrix product of (B, n, k) and (B, k, m) (``torch.bmm``)."""
    validate.tensor(input, "bmm", "input", 1)
    validate.tensor(mat2, "bmm", "mat2", 2)
    if input.ndim != 3 or mat2.ndim != 3:
        raise ShapeError(f"bmm: expected 3-D operands, got {tuple(input.shape)} and "
                         f"{tuple(mat2.shape)}")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise ShapeError(f"bmm: shapes {tuple(input.shape)} and {tuple(mat2.shape)} cannot be "
                         "multiplied "
                         "(batch sizes must be equal and inner sizes must match; bmm does "
                         "not broadcast)")
    return MatMul.apply(*_same_dtype("bmm", input, mat2))


def mv(input, vec):
    """Matrix-vector product of (n, m) and (m,) (``torch.mv``)."""
    if input.ndim != 2 or vec.ndim != 1:
        raise ShapeError(f"mv: expected a 2-D matrix and a 1-D vector, got {tuple(input.shape)} "
                         "and "
                         f"{tuple(vec.shape)}")
    return matmul(input, vec)


def dot(input, other):
    """Inner product of two 1-D tensors of equal length, a 0-d tensor (``torch.dot``)."""
    if input.ndim != 1 or other.ndim != 1:
        raise ShapeError(f"dot: 1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                         "tensors")
    if input.shape != other.shape:
        raise ShapeError(f"dot: inconsistent tensor size, expected tensor [{input.shape[0]}] "
                         f"and src [{other.shape[0]}] to have the same number of elements")
    return matmul(input, other)


def outer(input, vec2):
    """Outer product of 1-D tensors: (n,) and (m,) -> (n, m) (``torch.outer``)."""
    if input.ndim != 1 or vec2.ndim != 1:
        raise ShapeError(f"outer: expected 1-D tensors, got {tuple(input.shape)} and "
                         f"{tuple(vec2.shape)}")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2) (``torch.addmm``); ``input`` broadcasts to the
    (n, m) result."""
    prod = mm(mat1, mat2)
    if alpha != 1:
        prod = prod * alpha
    if beta == 0:
        return prod
    return (input * beta if beta != 1 else input) + prod


class Linear(Function):
    """y = x Wᵀ + b over the last axis of x (one node instead of transpose, matmul and add).

    dy/dx = G W, dy/dW = Gᵀ x (summed over all leading axes), dy/db = Σ G.
    """

    rule = "d/dx = G @ W, d/dW = G^T @ x, d/db = sum(G)"

    @staticmethod
    def forward(ctx, x, weight, bias):
        out = np.matmul(x._data, weight._data.T)
        if bias is not None:
            out += bias._data
        ctx.save_for_backward(x, weight)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        g2 = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
        gx = grad @ weight if need_x else None
        gw = g2.mT @ x.reshape(-1, x.shape[-1]) if need_w else None
        gb = g2.sum(0) if need_b else None
        return gx, gw, gb


def linear(input, weight, bias=None):
    """y = x Wᵀ + b (``torch.nn.functional.linear``).

    Parameters
    ----------
    input : Tensor, shape=(*, in_features)
    weight : Tensor, shape=(out_features, in_features)
    bias : Tensor, shape=(out_features,), optional

    Returns
    -------
    Tensor, shape=(*, out_features)

    Raises
    ------
    ArgumentTypeError
        A non-Tensor input, weight or bias.
    ShapeError
        When ``input.shape[-1] != in_features`` or the bias is not (out_features,).
    """
    validate.tensor(input, "linear", "input", 1)
    validate.tensor(weight, "linear", "weight", 2)
    validate.optional_tensor(bias, "linear", "bias", 3)
    w_shape, x_shape = weight._data.shape, input._data.shape
    if len(w_shape) != 2 or not x_shape or x_shape[-1] != w_shape[1]:
        raise ShapeError(f"linear: input of shape {tuple(input.shape)} does not fit weight of "
                         "shape "
                         f"{tuple(weight.shape)} (expected input (*, {weight.shape[-1]}))")
    if bias is not None and bias._data.shape != (w_shape[0],):
        raise ShapeError(f"linear: bias of shape {tuple(bias.shape)} does not fit weight of shape "
                         f"{tuple(weight.shape)} (expected ({weight.shape[0]},))")
    if input.dtype != weight.dtype:
        input, weight = _same_dtype("linear", input, weight)
    return Linear.apply(input, weight, bias)
