"""Small helpers shared by the layer modules."""

import numpy as np


def factory_dtype(dtype):
    """The dtype new parameters get: float32 unless told otherwise (PyTorch's default)."""
    return np.dtype(np.float32 if dtype is None else dtype)
