"""Matrix products: ``matmul`` / ``@`` for 1-D, 2-D and batched (broadcast) operands."""

import numpy as np

from ..errors import ShapeError
from ..function import Function
from ..tensor import Tensor

_wrap = Tensor._wrap


class MatMul(Function):
    """C = A @ B on (..., n, k) @ (..., k, m), batch axes broadcast.

    dC/dA = G @ Bᵀ, dC/dB = Aᵀ @ G (the engine sums broadcast batch axes back).
    """

    rule = "d/dA = G @ B^T, d/dB = A^T @ G"

    @staticmethod
    def forward(ctx, a, b):
        if a.shape[-1] != b.shape[-2]:
            raise ShapeError(f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied "
                             f"({a.shape[-1]} != {b.shape[-2]})")
        try:
            out = np.matmul(a.data, b.data)
        except ValueError:
            raise ShapeError(f"matmul: batch dimensions of {a.shape} and {b.shape} are not "
                             "broadcastable") from None
        ctx.save_for_backward(a, b)
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        ga = MatMul.apply(grad, b.mT) if need_a else None
        gb = MatMul.apply(a.mT, grad) if need_b else None
        return ga, gb


def matmul(input, other):
    """Matrix product with NumPy/PyTorch semantics (``torch.matmul``).

    1-D operands are promoted to a row (left) or a column (right) matrix and the added axis is
    removed from the result; ≥3-D operands are stacks of matrices with broadcast batch axes.

    Raises
    ------
    ShapeError
        When the inner sizes differ, an operand is 0-D, or batch axes do not broadcast.
    """
    if input.ndim == 0 or other.ndim == 0:
        raise ShapeError(f"matmul: both operands need at least 1 dimension, got shapes "
                         f"{input.shape} and {other.shape}")
    a = input.reshape(1, -1) if input.ndim == 1 else input
    b = other.reshape(-1, 1) if other.ndim == 1 else other
    if a.shape[-1] != b.shape[-2]:
        inner = other.shape[-2] if other.ndim > 1 else other.shape[0]
        raise ShapeError(f"matmul: shapes {input.shape} and {other.shape} cannot be multiplied "
                         f"({input.shape[-1]} != {inner})")
    out = MatMul.apply(a, b)
    if input.ndim == 1:
        out = out.squeeze(-2)
    if other.ndim == 1:
        out = out.squeeze(-1)
    return out


def mm(input, mat2):
    """2-D matrix product (``torch.mm``)."""
    if input.ndim != 2 or mat2.ndim != 2:
        raise ShapeError(f"mm: expected 2-D operands, got {input.shape} and {mat2.shape}")
    if input.shape[1] != mat2.shape[0]:
        raise ShapeError(f"mm: shapes {input.shape} and {mat2.shape} cannot be multiplied "
                         f"({input.shape[1]} != {mat2.shape[0]})")
    return MatMul.apply(input, mat2)


def bmm(input, mat2):
    """Batched matrix product of (B, n, k) and (B, k, m) (``torch.bmm``)."""
    if input.ndim != 3 or mat2.ndim != 3:
        raise ShapeError(f"bmm: expected 3-D operands, got {input.shape} and {mat2.shape}")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise ShapeError(f"bmm: shapes {input.shape} and {mat2.shape} cannot be multiplied "
                         "(batch sizes must be equal and inner sizes must match; bmm does "
                         "not broadcast)")
    return MatMul.apply(input, mat2)
