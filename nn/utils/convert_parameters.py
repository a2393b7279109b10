"""Parameters as one flat vector and back (``torch.nn.utils.parameters_to_vector`` /
``vector_to_parameters``)."""

import autograd as ag
from autograd import Tensor

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters):
    """All ``parameters`` flattened and concatenated in order: a 1-D tensor (differentiable,
    a copy)."""
    return ag.cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Give ``parameters`` the values of consecutive slices of the 1-D ``vec`` (their
    ``.data`` becomes a view of ``vec``, as in PyTorch).

    Raises
    ------
    TypeError
        ``vec`` is not a Tensor. ValueError: its length is not the parameters' total size.
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    parameters = list(parameters)
    total = sum(p.numel() for p in parameters)
    if vec.ndim != 1 or vec.numel() != total:
        raise ValueError(f"vector_to_parameters: vec of shape {tuple(vec.shape)} does not hold "
                         f"the {total} values of the parameters")
    start = 0
    for p in parameters:
        n = p.numel()
        p.data = vec[start:start + n].view_as(p).data
        start += n
