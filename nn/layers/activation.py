"""Activation layers: the slides' squashing functions (sigmoid, tanh), ReLU, leaky ReLU and the
softmax family."""

from autograd import validate

from .. import functional as F
from ..module import Module


class ReLU(Module):
    """max(x, 0), elementwise (SLIDES section 1). ``inplace`` is accepted and ignored."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x if x > 0 else negative_slope * x, elementwise."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = validate.number(negative_slope, "negative_slope", "LeakyReLU")
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace
                                                          else "")


class Sigmoid(Module):
    """1 / (1 + e^-x), elementwise (SLIDES section 1)."""

    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    """tanh(x), elementwise: the slides' squashing curve between -1 and 1."""

    def forward(self, input):
        return F.tanh(input)


class Softmax(Module):
    """e^x / Σ_dim e^x along ``dim`` (an int, or None for PyTorch's implicit choice)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = None if dim is None else validate.integer(dim, "dim", "Softmax")

    def forward(self, input):
        return F.softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log softmax along ``dim`` (stable); pair with ``NLLLoss``."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = None if dim is None else validate.integer(dim, "dim", "LogSoftmax")

    def forward(self, input):
        return F.log_softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"
