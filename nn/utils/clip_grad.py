"""Gradient clipping (``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_``), the guard
against exploding gradients of Pascanu, Mikolov and Bengio, "On the difficulty of training
recurrent neural networks" (ICML 2013)."""

import autograd as ag
from autograd import Tensor, no_grad
from autograd.linalg import vector_norm

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm"]


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False):
    """The ``norm_type``-norm of all ``tensors`` taken together (as if concatenated): the norm
    of their per-tensor norms (``torch.nn.utils.get_total_norm``). A 0-d tensor; 0 for none.

    Raises
    ------
    RuntimeError
        When ``error_if_nonfinite`` and the norm is nan or inf.
    """
    if isinstance(tensors, Tensor):
        tensors = [tensors]
    tensors = list(tensors)
    if not tensors:
        return ag.tensor(0.0)
    norm_type = float(norm_type)
    with no_grad():
        norms = [vector_norm(t, norm_type) for t in tensors]
        dtype = norms[0].dtype
        total = vector_norm(ag.stack([n.to(dtype) for n in norms]), norm_type)
    if error_if_nonfinite and not bool(total.isfinite()):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from "
                           "`parameters` is non-finite, so it cannot be clipped. To disable "
                           "this error and scale the gradients by the non-finite norm anyway, "
                           "set `error_if_nonfinite=False`")
    return total


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale the gradients of ``parameters`` in place so that their total norm is at most
    ``max_norm``: every ``.grad`` is multiplied by min(1, max_norm / (total_norm + 1e-6))
    (PyTorch's rule, the 1e-6 included).

    Parameters
    ----------
    parameters : Tensor or iterable of Tensors (those without ``.grad`` are skipped)
    max_norm : float
    norm_type : float, default 2.0 (``inf`` for the largest absolute value)
    error_if_nonfinite : bool
    foreach : ignored (PyTorch's choice of kernel)

    Returns
    -------
    Tensor, 0-d: the total norm of the gradients before clipping.

    Raises
    ------
    RuntimeError
        When ``error_if_nonfinite`` and the norm is nan or inf.
    """
    grads = _grads(parameters)
    total = get_total_norm(grads, norm_type, error_if_nonfinite)
    if not grads:
        return total
    with no_grad():
        coef = (float(max_norm) / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef.to(g.dtype))
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient of ``parameters`` in place to [-clip_value, clip_value]
    (``torch.nn.utils.clip_grad_value_``); returns None."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(-clip_value, clip_value)
