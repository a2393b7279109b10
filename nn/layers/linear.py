"""Fully connected layers: ``Linear`` and ``Identity``."""

import math

import numpy as np

from autograd import validate

from .. import functional as F
from .. import init
from ..module import Module, Parameter
from ._util import factory_dtype


class Identity(Module):
    """Returns its input unchanged (a placeholder; arguments are accepted and ignored)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """y = x Wᵀ + b: the slides' fully connected layer, each output node j taking
    x_j = Σ_i w_ij y_i + b_j over all inputs (SLIDES section 1).

    Parameters
    ----------
    in_features, out_features : int
    bias : bool
        Learn an additive bias (default True).
    dtype : numpy dtype, optional (float32 by default)

    Attributes
    ----------
    weight : Parameter, shape=(out_features, in_features)
        Initialised U(-1/sqrt(in_features), 1/sqrt(in_features)) (kaiming_uniform_ with
        a=sqrt(5), PyTorch's reset_parameters).
    bias : Parameter, shape=(out_features,), the same bound.

    Shape: input (*, in_features) -> output (*, out_features).

    Raises
    ------
    ArgumentError, ArgumentTypeError
        A negative or non-int ``in_features``/``out_features`` (0 gives an empty layer).
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = validate.size(in_features, "in_features", "Linear")
        self.out_features = validate.size(out_features, "out_features", "Linear")
        dtype = factory_dtype(dtype, device, "Linear")
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
