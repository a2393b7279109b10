"""Pooling layers: max pooling (the slides' "keep each window's maximum"), average pooling and
adaptive average pooling (global pooling at the end of ResNet/GoogLeNet)."""

from autograd import validate

from .. import functional as F
from ..module import Module


def _checked(op, n, kernel_size, stride, padding, dilation=1):
    """The window arguments of a pooling layer, checked at construction as the functional op
    checks them (PyTorch checks only in forward); the values are kept as given (PyTorch's
    attributes), stride defaulting to the kernel size."""
    kernel = validate.kernel_size(kernel_size, n, op)
    validate.stride(stride, n, op, default=kernel)
    validate.pool_padding(padding, kernel, op, validate.dilation(dilation, n, op))
    return kernel_size if stride is None else stride


class _MaxPoolNd(Module):
    _n = 2

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.stride = _checked(type(self).__name__, self._n, kernel_size, stride, padding,
                               dilation)
        self.kernel_size = kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """Max over windows of (N, C, L) input (the text CNN's max-over-time pooling with
    kernel_size = L). ``stride`` defaults to ``kernel_size``."""

    _n = 1

    def forward(self, input):
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool2d(_MaxPoolNd):
    """Max over KH x KW windows of (N, C, H, W) input; the gradient goes to each window's
    maximum only (SLIDES section 1). ``stride`` defaults to ``kernel_size``.

    H_out = (H + 2P - D (KH - 1) - 1) // S + 1 (rounded up with ``ceil_mode``).
    """

    def forward(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class _AvgPoolNd(Module):
    _n = 2

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.stride = _checked(type(self).__name__, self._n, kernel_size, stride, padding)
        self.kernel_size = kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPoolNd):
    """Mean over windows of (N, C, L) input; ``stride`` defaults to ``kernel_size``."""

    _n = 1

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class AvgPool2d(_AvgPoolNd):
    """Mean over KH x KW windows of (N, C, H, W) input; ``stride`` defaults to
    ``kernel_size``."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = validate.divisor_override(divisor_override, "AvgPool2d")

    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class AdaptiveAvgPool1d(Module):
    """Average pooling of (N, C, L) to (N, C, output_size) with computed windows."""

    def __init__(self, output_size):
        super().__init__()
        validate.output_size(output_size, (None,), "AdaptiveAvgPool1d")
        self.output_size = output_size

    def forward(self, input):
        return F.adaptive_avg_pool1d(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(Module):
    """Average pooling of (N, C, H, W) to (N, C, *output_size) with computed windows;
    ``AdaptiveAvgPool2d(1)`` is global average pooling."""

    def __init__(self, output_size):
        super().__init__()
        validate.output_size(output_size, (None, None), "AdaptiveAvgPool2d")
        self.output_size = output_size

    def forward(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self):
        return f"output_size={self.output_size}"
