"""Small helpers shared by the layer modules."""

import numpy as np

from autograd.device import as_device


def factory_dtype(dtype, device=None, op="layer"):
    """The dtype new parameters get: float32 unless told otherwise (PyTorch's default).
    ``device`` is checked to be the CPU (a RuntimeError names ``op`` otherwise)."""
    as_device(device, op)
    return np.dtype(np.float32 if dtype is None else dtype)
