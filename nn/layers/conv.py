"""Convolution layers: ``Conv1d``, ``Conv2d``, ``ConvTranspose1d``, ``ConvTranspose2d``.

The slides' convolution: each filter slides over the input, taking a dot product over its
window through the full input depth; one output channel per filter (SLIDES sections 3-4).
"""

import math

import numpy as np

from autograd import validate
from autograd.errors import ArgumentError

from .. import functional as F
from .. import init
from ..module import Module, Parameter
from ._util import factory_dtype


class _ConvNd(Module):
    """Shared parameters, initialisation and repr of the convolution layers."""

    _n = 2
    transposed = False

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, padding_mode="zeros", output_padding=0,
                 device=None, dtype=None):
        super().__init__()
        n, op = self._n, type(self).__name__
        self.in_channels = validate.size(in_channels, "in_channels", op)
        self.out_channels = validate.size(out_channels, "out_channels", op)
        self.groups = validate.groups(groups, op)
        validate.channels_divisible(self.in_channels, self.out_channels, self.groups, op)
        self.kernel_size = validate.kernel_size(kernel_size, n, op)
        self.stride = validate.stride(stride, n, op)
        self.padding = validate.padding(padding, n, op,
                                        () if self.transposed else ("same", "valid"))
        if self.padding == "same" and self.stride != (1,) * n:
            raise ArgumentError(f"{op}: padding='same' is not supported for strided "
                                f"convolutions (stride {self.stride})")
        self.dilation = validate.dilation(dilation, n, op)
        self.output_padding = (validate.output_padding(output_padding, self.stride,
                                                       self.dilation, op) if self.transposed
                               else validate.int_tuple(output_padding, n, "output_padding", op,
                                                       minimum=0))
        if padding_mode in ("reflect", "replicate", "circular"):
            raise ArgumentError(f"{op}: padding_mode={padding_mode!r} is not implemented here "
                                "(only 'zeros')")
        self.padding_mode = validate.choice(padding_mode, ("zeros", "reflect", "replicate",
                                                           "circular"), "padding_mode", op)
        dtype = factory_dtype(dtype, device, op)
        if self.transposed:
            shape = (self.in_channels, self.out_channels // self.groups) + self.kernel_size
        else:
            shape = (self.out_channels, self.in_channels // self.groups) + self.kernel_size
        self.weight = Parameter(np.empty(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty((self.out_channels,), dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """PyTorch's: weight kaiming_uniform_(a=sqrt(5)) (bound 1/sqrt(fan_in)), bias
        U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in_channels/groups * kernel area."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            if fan_in:
                bound = 1 / math.sqrt(fan_in)
                init.uniform_(self.bias, -bound, bound)

    def extra_repr(self):
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * self._n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * self._n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv1d(_ConvNd):
    """1-D convolution over (N, C_in, L) -> (N, C_out, L_out) (e.g. the slides' text CNN over
    word embeddings). Weight (C_out, C_in/groups, K), bias (C_out,).

    L_out = (L + 2 padding - dilation (K - 1) - 1) // stride + 1.
    """

    _n = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, padding_mode="zeros", device=None,
                 dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device=device, dtype=dtype)

    def forward(self, input):
        padding = self.padding if isinstance(self.padding, str) else self.padding[0]
        return F.conv1d(input, self.weight, self.bias, self.stride[0], padding,
                        self.dilation[0], self.groups)


class Conv2d(_ConvNd):
    """2-D convolution over images (N, C_in, H, W) -> (N, C_out, H_out, W_out).

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), 'valid' or 'same'
    groups : int
    bias : bool

    Attributes
    ----------
    weight : Parameter, shape=(C_out, C_in/groups, KH, KW)
    bias : Parameter, shape=(C_out,)

    H_out = (H + 2P - D (KH - 1) - 1) // S + 1, the slides' (N - F + 2P)/S + 1.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, padding_mode="zeros", device=None,
                 dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, device=device, dtype=dtype)

    def forward(self, input):
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)


class ConvTranspose1d(_ConvNd):
    """Transposed 1-D convolution (the adjoint of Conv1d), weight (C_in, C_out/groups, K)."""

    _n = 1
    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, output_padding, device=device,
                         dtype=dtype)

    def forward(self, input):
        return F.conv_transpose1d(input, self.weight, self.bias, self.stride[0],
                                  self.padding[0], self.output_padding[0], self.groups,
                                  self.dilation[0])


class ConvTranspose2d(_ConvNd):
    """Transposed 2-D convolution (an upsampling layer; the gradient of Conv2d w.r.t. its
    input). Weight (C_in, C_out/groups, KH, KW), bias (C_out,).

    H_out = (H - 1) S - 2P + D (KH - 1) + output_padding + 1.
    """

    transposed = True

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, output_padding, device=device,
                         dtype=dtype)

    def forward(self, input):
        return F.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                  self.output_padding, self.groups, self.dilation)
