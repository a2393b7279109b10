"""``autograd.linalg`` (``torch.linalg``): vector norms and the matrix product."""

from .ops.linalg import matmul  # noqa: F401
from .ops.reduction import vector_norm  # noqa: F401

__all__ = ["vector_norm", "matmul", "norm"]


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """``torch.linalg.norm`` for vectors: the 2-norm (``ord=None``) or ``vector_norm`` with
    ``ord`` over ``dim``. Matrix norms (``'nuc'``, ``ord`` with two dims) are not implemented.

    Raises
    ------
    NotImplementedError
        For matrix norms.
    """
    if isinstance(ord, str) and ord != "fro":
        raise NotImplementedError(f"linalg.norm: ord={ord!r} (matrix norms) is not implemented")
    if ord is not None and not isinstance(ord, str) and isinstance(dim, (tuple, list)) \
            and len(dim) == 2:
        raise NotImplementedError("linalg.norm: matrix norms over two dims are not implemented")
    return vector_norm(A, 2 if ord in (None, "fro") else ord, dim, keepdim, dtype=dtype)
