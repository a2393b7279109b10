"""``autograd.utils`` (``torch.utils``): ``hooks``; ``autograd.utils.data`` is ``nn.data`` (the
data loading of ``torch.utils.data``), imported on first use so that ``import autograd`` does
not load ``nn``."""

import importlib

from . import hooks  # noqa: F401

__all__ = ["hooks", "data"]


def __getattr__(name):
    if name == "data":
        return importlib.import_module("nn.data")
    raise AttributeError(f"module 'autograd.utils' has no attribute {name!r}")
