"""``out=`` arguments (``torch.mul(a, b, out=y)``): the result is written into an existing
tensor, which is returned.

As in PyTorch, an ``out=`` call records nothing: it is refused while recording when an
argument requires grad, the result is cast to ``out``'s dtype (but never from a higher
category: float results into an integer ``out`` are refused), and an ``out`` of another shape
is resized (given new storage of the result's shape).
"""

import functools

from . import dtypes, grad_mode
from .errors import DTypeError

__all__ = ["accepts_out", "store"]


def store(result, out, op):
    """Write ``result`` into ``out`` and return ``out``.

    Raises
    ------
    RuntimeError
        ``result`` or ``out`` requires grad while recording (PyTorch's message).
    DTypeError
        ``result``'s dtype cannot be cast to ``out``'s (float into int, int into bool).
    """
    if grad_mode.is_grad_enabled() and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{op}(): functions with out=... arguments don't support automatic "
                           "differentiation, but one of the arguments requires grad.")
    if dtypes.category(result.dtype) > dtypes.category(out.dtype):
        raise DTypeError(f"{op}(): result type {result.dtype} can't be cast to the desired "
                         f"output type {out.dtype}")
    if tuple(out.shape) == tuple(result.shape):
        out.copy_(result)
    else:
        out.data = result.to(out.dtype, copy=True)
    return out


def accepts_out(fn):
    """``fn`` with an ``out=`` keyword (see the module docstring)."""
    @functools.wraps(fn)
    def wrapper(*args, out=None, **kwargs):
        result = fn(*args, **kwargs)
        return result if out is None else store(result, out, fn.__name__)
    return wrapper
