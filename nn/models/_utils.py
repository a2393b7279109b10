"""Helpers shared by the model zoo: torchvision's initialisation patterns, on ``nn.init`` (the one
init library), and a stand-in for skipped layers."""

import nn
from nn import init


def no_pretrained(name, weights, kwargs):
    """torchvision's ``weights=`` / ``pretrained=`` arguments: only "no weights" is possible
    here (nothing is downloaded: there is no network and no weight file ships with the
    framework). ``pretrained=False`` is dropped from ``kwargs``.

    Raises
    ------
    ValueError
        For any ``weights`` other than None, or ``pretrained=True``.
    """
    pretrained = kwargs.pop("pretrained", False)
    if weights is None and not pretrained:
        return
    asked = f"weights={weights!r}" if weights is not None else "pretrained=True"
    raise ValueError(f"{name}({asked}): no pretrained weights can be downloaded here (no "
                     f"network, and none ship with the framework); build the model with "
                     f"weights=None and train it, or load a state_dict you have with "
                     f"model.load_state_dict(autograd.load(path))")


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
