"""Helpers shared by the model zoo: torchvision's initialisation patterns, on ``nn.init`` (the one
init library), and a stand-in for skipped layers."""

import nn
from nn import init


def zero_bias(module):
    """Zero ``module.bias`` when it has one."""
    if getattr(module, "bias", None) is not None:
        init.zeros_(module.bias)


def init_batchnorm(module):
    """BatchNorm as torchvision initialises it: weight 1, bias 0."""
    if getattr(module, "weight", None) is not None:
        init.ones_(module.weight)
        init.zeros_(module.bias)


class _Identity(nn.Module):
    """Returns its input (a stand-in for a pooling layer a small-input model skips)."""

    def forward(self, x):
        return x


Identity = getattr(nn, "Identity", _Identity)
