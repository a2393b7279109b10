"""Pooling (the slides' "shrinking the image stack"): max, average and adaptive average
pooling in NCHW, PyTorch's names, arguments and output sizes.

Max pooling's gradient goes to each window's maximum only (SLIDES.md, "gradient goes to the
window's maximum only"). Ties: the FIRST maximum of the window in row-major order wins; it is
also the index ``return_indices`` reports, as a flattened ``h * W + w`` index into the input
plane (PyTorch's convention). The backward is a scatter ``Function`` whose own backward gathers
at the same indices, so second derivatives work.

Average pooling is linear: ``AvgPool2d`` and its adjoint ``AvgPool2dBackward`` are each
other's derivatives. Adaptive average pooling uses PyTorch's bins
``start = floor(i*In/Out), end = ceil((i+1)*In/Out)``, written as two small averaging matrices
(``y = A_h @ x @ A_w^T``).
"""

import numpy as np

from .. import _windows as win
from .. import validate
from ..errors import ShapeError
from ..function import Function

__all__ = ["max_pool2d", "max_pool1d", "avg_pool2d", "avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_avg_pool1d", "MaxPool2d", "MaxPool2dBackward", "MaxPoolGather",
           "AvgPool2d", "AvgPool2dBackward", "AdaptiveAvgPool2d"]

from ..tensor import wrap as _wrap  # noqa: E402


# -- max pooling ---------------------------------------------------------------------------
class MaxPool2d(Function):
    """y = max over each window.  dy/dx = 1 at the window's first maximum, 0 elsewhere."""

    rule = "d/dx = 1 at each window's (first) maximum, else 0"

    @staticmethod
    def forward(ctx, x, geo):
        xp = win.pad_array(x._data, geo, value=_lowest(x.dtype))
        out, arg = win.window_max(xp, geo)
        ctx.geo, ctx.arg = geo, arg
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        return MaxPool2dBackward.apply(grad, ctx.arg, ctx.geo), None


class MaxPool2dBackward(Function):
    """x' = each output gradient added at its window's selected maximum (a scatter).

    d/dg = gather at the same positions (``MaxPoolGather``).
    """

    rule = "d/dg = gather(G) at the window maxima"

    @staticmethod
    def forward(ctx, g, arg, geo):
        ctx.geo, ctx.arg = geo, arg
        return _wrap(win.window_scatter(g._data, geo, select=arg))

    @staticmethod
    def backward(ctx, grad):
        return MaxPoolGather.apply(grad, ctx.arg, ctx.geo), None, None


class MaxPoolGather(Function):
    """y = x at each window's selected maximum (the adjoint of ``MaxPool2dBackward``).

    d/dx = scatter back to the same positions.
    """

    rule = "d/dx = scatter(g) to the window maxima"

    @staticmethod
    def forward(ctx, x, arg, geo):
        ctx.geo, ctx.arg = geo, arg
        n, c = x.shape[:2]
        flat, inside = win.flat_indices(arg, geo, with_inside=True)
        planes = x._data.reshape(n, c, x.shape[2] * x.shape[3])
        index = np.where(inside, flat, 0).reshape(n, c, geo.out_hw[0] * geo.out_hw[1])
        picked = np.take_along_axis(planes, index, axis=2)
        # a window lying wholly in the padding (possible with dilation) selects nothing
        return _wrap(np.where(inside, picked.reshape(arg.shape), 0))

    @staticmethod
    def backward(ctx, grad):
        return MaxPool2dBackward.apply(grad, ctx.arg, ctx.geo), None, None


def _window_args(op, n, kernel_size, stride, padding, dilation):
    """A pooling's window arguments for ``n`` spatial axes, checked: (kernel, stride, pad,
    dilation) as tuples of ints (stride defaults to the kernel)."""
    kernel = validate.kernel_size(kernel_size, n, op)
    stride = validate.stride(stride, n, op, default=kernel)
    dilation = validate.dilation(dilation, n, op)
    return kernel, stride, validate.pool_padding(padding, kernel, op, dilation), dilation


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """2-D max pooling (``torch.nn.functional.max_pool2d``).

    Parameters
    ----------
    input : Tensor, shape=(N, C, H, W) or (C, H, W) (unbatched)
    kernel_size : int or (int, int)
    stride : int or (int, int), default ``kernel_size``
    padding : int or (int, int)
        Implicit -inf on both sides; at most half the kernel size (PyTorch's rule).
    dilation : int or (int, int)
    ceil_mode : bool
        Round the output size up, keeping the last partial window (the slides' 7x7 -> 4x4),
        provided it starts inside the input or the left padding.
    return_indices : bool
        Also return the argmax of each window as int64 flattened ``h * W + w`` indices.

    Returns
    -------
    Tensor, shape=(N, C, OH, OW), OH = (H + 2P - D*(K-1) - 1) / S + 1 rounded down (up with
    ``ceil_mode``); and the indices Tensor of the same shape when ``return_indices``.

    Raises
    ------
    ArgumentTypeError
        A non-Tensor input; a float or bool kernel_size/stride/padding/dilation.
    ArgumentError
        Non-positive kernel_size/stride/dilation, negative padding or padding larger than
        half the kernel.
    ShapeError
        Input not 3-D/4-D, or an input plane too small for the kernel.
    """
    op = "max_pool2d"
    input, unbatched = validate.spatial_input(input, 2, op, "(N, C, H, W)")
    args = _window_args(op, 2, kernel_size, stride, padding, dilation)
    out = _max_pool(op, input, args, ceil_mode, return_indices)
    if not unbatched:
        return out
    return (out[0].squeeze(0), out[1].squeeze(0)) if return_indices else out.squeeze(0)


def _max_pool(op, input, args, ceil_mode, return_indices):
    """max_pool2d on a 4-D input with checked window arguments."""
    geo = win.pool_geometry(op, input.shape[2:], *args, ceil_mode)
    out = MaxPool2d.apply(input, geo)
    if not return_indices:
        return out
    arg = out.grad_fn.arg if out.grad_fn is not None else _argmax_of(input, geo)
    return out, _wrap(win.flat_indices(arg, geo))


def _argmax_of(x, geo):
    return win.window_max(win.pad_array(x._data, geo, value=_lowest(x.dtype)), geo)[1]


def _lowest(dtype):
    """The padding value of max pooling: -inf, or the smallest integer."""
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """1-D max pooling (``torch.nn.functional.max_pool1d``) over (N, C, L) or (C, L) input,
    e.g. the text CNN's pooling over positions; indices are positions along L. Arguments and
    errors as ``max_pool2d`` with one spatial axis (computed as max_pool2d on (N, C, 1, L))."""
    op = "max_pool1d"
    input, unbatched = validate.spatial_input(input, 1, op, "(N, C, L)")
    args = [(1,) + a for a in _window_args(op, 1, kernel_size, stride, padding, dilation)]
    args[2] = (0,) + args[2][1:]                 # no padding along the added axis
    out = _as_1d_errors(op, lambda: _max_pool(op, input.unsqueeze(2), args, ceil_mode,
                                              return_indices))
    drop = (2, 0) if unbatched else (2,)
    if return_indices:
        return _squeeze(out[0], drop), _squeeze(out[1], drop)
    return _squeeze(out, drop)


def _squeeze(x, dims):
    for d in dims:
        x = x.squeeze(d)
    return x


def _as_1d_errors(op, fn):
    try:
        return fn()
    except ShapeError as e:
        msg = str(e).replace("max_pool2d", op).replace("avg_pool2d", op)
        raise type(e)(msg + " (1-D input seen as N x C x 1 x L)") from None


# -- average pooling -----------------------------------------------------------------------
def _divisor(geo, count_include_pad, divisor_override=None):
    """The (OH, OW) number each window sum is divided by, as PyTorch's avg_pool2d.

    A window is clipped to the padded input (ceil_mode's partial windows count only what they
    cover); without ``count_include_pad`` it is clipped to the real input instead.
    """
    if divisor_override is not None:          # checked non-zero (``validate``)
        return np.full(geo.out_hw, float(divisor_override))
    sizes = []
    for n, k, s, (p, _), o in zip(geo.in_hw, geo.kernel, geo.stride, geo.pads, geo.out_hw):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, n + p)
        size = end - start
        if not count_include_pad:
            size = np.minimum(end, n) - np.maximum(start, 0)
        sizes.append(size)
    return np.outer(sizes[0], sizes[1]).astype(np.float64)


class AvgPool2d(Function):
    """y = (sum over each window) / divisor.  Linear: dy/dx = AvgPool2dBackward(g)."""

    rule = "d/dx = each g / divisor spread over its window"

    @staticmethod
    def forward(ctx, x, geo, inv_div):
        ctx.geo, ctx.inv_div = geo, inv_div
        total = win.window_sum(win.pad_array(x._data, geo), geo)
        return _wrap(total * inv_div.astype(total.dtype))

    @staticmethod
    def backward(ctx, grad):
        return AvgPool2dBackward.apply(grad, ctx.geo, ctx.inv_div), None, None


class AvgPool2dBackward(Function):
    """x' = each g / divisor added to every element of its window (avg pooling's adjoint).

    Linear: d/dg = AvgPool2d(G).
    """

    rule = "d/dg = avg_pool2d(G)"

    @staticmethod
    def forward(ctx, g, geo, inv_div):
        ctx.geo, ctx.inv_div = geo, inv_div
        return _wrap(win.window_scatter(g._data * inv_div.astype(g.dtype), geo))

    @staticmethod
    def backward(ctx, grad):
        return AvgPool2d.apply(grad, ctx.geo, ctx.inv_div), None, None


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """2-D average pooling (``torch.nn.functional.avg_pool2d``).

    Parameters
    ----------
    input : Tensor, shape=(N, C, H, W) or (C, H, W) (unbatched), floating point
    kernel_size, stride, padding, ceil_mode : as ``max_pool2d`` (zero padding here)
    count_include_pad : bool
        Count the zero padding in the divisor (windows are still clipped to the padded input).
    divisor_override : int, optional
        Divide every window sum by this (non-zero) int instead.

    Returns
    -------
    Tensor, shape=(N, C, OH, OW) as ``max_pool2d``.

    Raises
    ------
    ArgumentTypeError, ArgumentError, ShapeError : as ``max_pool2d``; ArgumentError also for
        ``divisor_override=0``. DTypeError: an integer input.
    """
    op = "avg_pool2d"
    input, unbatched = validate.spatial_input(input, 2, op, "(N, C, H, W)")
    validate.floating(input, op)
    args = _window_args(op, 2, kernel_size, stride, padding, 1)
    out = _avg_pool(op, input, args, ceil_mode, count_include_pad,
                    validate.divisor_override(divisor_override, op))
    return out.squeeze(0) if unbatched else out


def _avg_pool(op, input, args, ceil_mode, count_include_pad, divisor_override=None):
    """avg_pool2d on a 4-D input with checked window arguments."""
    geo = win.pool_geometry(op, input.shape[2:], *args, ceil_mode)
    inv_div = 1.0 / _divisor(geo, count_include_pad, divisor_override)
    return AvgPool2d.apply(input, geo, inv_div)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """1-D average pooling over (N, C, L) or (C, L) (``torch.nn.functional.avg_pool1d``);
    arguments and errors as ``avg_pool2d`` with one spatial axis."""
    op = "avg_pool1d"
    input, unbatched = validate.spatial_input(input, 1, op, "(N, C, L)")
    validate.floating(input, op)
    args = [(1,) + a for a in _window_args(op, 1, kernel_size, stride, padding, 1)]
    args[2] = (0,) + args[2][1:]
    out = _as_1d_errors(op, lambda: _avg_pool(op, input.unsqueeze(2), args, ceil_mode,
                                              count_include_pad))
    return _squeeze(out, (2, 0) if unbatched else (2,))


# -- adaptive average pooling --------------------------------------------------------------
def adaptive_bins(size, out):
    """PyTorch's adaptive bins: (out, size) averaging matrix with rows over
    [floor(i*size/out), ceil((i+1)*size/out))."""
    i = np.arange(out)
    start = (i * size) // out
    end = -((-(i + 1) * size) // out)
    cols = np.arange(size)
    inside = (cols >= start[:, None]) & (cols < end[:, None])
    return inside / (end - start)[:, None]


class AdaptiveAvgPool2d(Function):
    """y = A_h @ x @ A_w^T over the last two axes (A: averaging matrices of the bins),
    computed as one GEMM with kron(A_h, A_w) on flattened planes when that matrix is small.

    Linear: dy/dx = A_h^T @ g @ A_w, the same op with the transposed matrices.
    """

    rule = "d/dx = A_h^T g A_w"

    @staticmethod
    def forward(ctx, x, a_h, a_w):
        ctx.mats = (a_h, a_w)
        n, c, h, w = x.shape
        (oh, _), (ow, _) = a_h.shape, a_w.shape
        if a_h.size * a_w.size <= KRON_MAX:
            # one GEMM on flattened planes: y = x @ kron(A_h, A_w)^T (global pooling is a gemv)
            k = np.kron(a_h, a_w).astype(x.dtype).T
            flat = x._data.reshape(n * c, h * w)
            # from 1x1 planes (global pooling's adjoint) it is an outer product: broadcast
            out = flat * k if h * w == 1 else flat @ k
            return _wrap(out.reshape(n, c, oh, ow))
        a_h, a_w = a_h.astype(x.dtype), a_w.astype(x.dtype)
        return _wrap(np.matmul(np.matmul(a_h, x._data), a_w.T))

    @staticmethod
    def backward(ctx, grad):
        a_h, a_w = ctx.mats
        return AdaptiveAvgPool2d.apply(grad, a_h.T, a_w.T), None, None


#: Largest kron(A_h, A_w) (in entries) for the single-GEMM adaptive pooling path.
KRON_MAX = 2**20


def adaptive_avg_pool2d(input, output_size):
    """Average pooling to a fixed output size (``torch.nn.functional.adaptive_avg_pool2d``);
    ``output_size=1`` is the global average pooling of GoogLeNet, ResNet and DenseNet.

    Parameters
    ----------
    input : Tensor, shape=(N, C, H, W) or (C, H, W) (unbatched), floating point, H, W > 0
    output_size : int or (int or None, int or None)
        None keeps that input size; 0 gives an empty output (as PyTorch).

    Returns
    -------
    Tensor, shape=(N, C, OH, OW); bin i covers [floor(i*H/OH), ceil((i+1)*H/OH)).

    Raises
    ------
    ArgumentTypeError
        A non-Tensor input, a float output size.
    ArgumentError
        A negative output size, or not one per spatial axis.
    ShapeError
        Input not 3-D/4-D, or an empty input plane.
    DTypeError
        An integer input.
    """
    op = "adaptive_avg_pool2d"
    input, unbatched = validate.spatial_input(input, 2, op, "(N, C, H, W)")
    out = _adaptive(op, input, validate.output_size(output_size, input.shape[2:], op))
    return out.squeeze(0) if unbatched else out


def _adaptive(op, input, sizes):
    """adaptive_avg_pool2d on a 4-D input with a checked output size."""
    validate.floating(input, op)
    h, w = input.shape[2:]
    if h == 0 or w == 0:
        raise ShapeError(f"{op}: expected an input with a non-empty H x W plane, got shape "
                         f"{tuple(input.shape)}")
    return AdaptiveAvgPool2d.apply(input, adaptive_bins(h, sizes[0]), adaptive_bins(w, sizes[1]))


def adaptive_avg_pool1d(input, output_size):
    """Adaptive average pooling over (N, C, L) or (C, L) to length ``output_size``; raises as
    ``adaptive_avg_pool2d``."""
    op = "adaptive_avg_pool1d"
    input, unbatched = validate.spatial_input(input, 1, op, "(N, C, L)")
    (size,) = validate.output_size(output_size, input.shape[2:], op)
    out = _adaptive(op, input.unsqueeze(2), (1, size)).squeeze(2)
    return out.squeeze(0) if unbatched else out
