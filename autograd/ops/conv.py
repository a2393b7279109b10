"""Convolution (the slides' "filtering": line a feature up with a patch, multiply, add),
NCHW layout, PyTorch's cross-correlation convention, names and arguments.

Three ``Function``s, each the others' derivatives, so every rule is differentiable again::

    y  = Conv2d(x, w, b)            dy/dx -> ConvTranspose2d(g, w)   dy/dw -> Conv2dWeight(x, g)
    x' = ConvTranspose2d(y, w)      d/dy  -> Conv2d(g, w)            d/dw  -> Conv2dWeight(g, y)
    w' = Conv2dWeight(x, y)         d/dx  -> ConvTranspose2d(y, g)   d/dy  -> Conv2d(x, g)

(conv is bilinear in (x, w): ``<Conv2d(x, w), y> = <x, ConvTranspose2d(y, w)>
= <w, Conv2dWeight(x, y)>``; each rule is that identity read another way.) All three share
one ``Geometry`` (stride, padding, dilation, groups, input size). The kernels (numpy functions
below, ndarrays in and out) pick one of three algorithms per shape (``algorithm``): Winograd
F(2x2, 3x3) (``autograd/_winograd.py``), or im2col + one BLAS GEMM per group in the
batch-innermost or the NCHW layout (``autograd/_windows.py``); see docs/conv.md for the rule
and the measured speed.

Sources: the slides' X/O features and CS231n's convolution arithmetic (SLIDES.md sections 3-4);
the transposed-convolution arithmetic of Dumoulin & Visin, "A guide to convolution arithmetic
for deep learning" (2016); PyTorch's ``torch.nn.functional.conv2d`` for the conventions.
"""

import numpy as np

from .. import _buffers as buffers
from .. import _parallel as parallel
from .. import _windows as win
from .. import _winograd as wino
from .. import validate
from ..errors import ShapeError
from ..function import Function

__all__ = ["conv2d", "conv1d", "conv_transpose2d", "conv_transpose1d", "Conv2d",
           "ConvTranspose2d", "Conv2dWeight"]

from ..tensor import wrap as _wrap  # noqa: E402

#: conv2d keeps its patch matrix for the filter gradient when it is at most this big (bytes);
#: larger ones are rebuilt in backward (memory over speed, e.g. VGG's 115 MB at batch 16).
KEEP_PATCHES_BYTES = 32 * 2**20


# -- numpy kernels (one geometry, NCHW, weight (O, C/groups, KH, KW)) -----------------------
#: Winograd F(2x2, 3x3) for supported geometries with at least this many input AND output
#: channels (fewer: its memory-bound transforms cost more than the multiplies it saves).
WINOGRAD_MIN_CHANNELS = 32
#: The batch-innermost layouts (batch-last im2col, Winograd) for batches of at least this many
#: images (fewer: runs of N floats are too short to pay for the transposing copies).
BATCH_LAST_MIN = 16
#: ... and batch-last im2col only for outputs at most this wide: wider rows are long runs in
#: NCHW already (measured: LeNet conv1, OW = 28, a tie; 3x32x32 -> 16 5x5, OW = 32, 20% slower).
BATCH_LAST_MAX_WIDTH = 16


def algorithm(geo, n, c, o):
    """The kernel that computes a convolution of ``geo`` with batch ``n``, ``c`` input and
    ``o`` output channels (the same for its forward, input gradient and filter gradient):

    * ``"winograd"``: 3x3, stride 1, dilation 1, groups 1, pads 0..2
      (``_winograd.supported``), ``min(c, o) >= WINOGRAD_MIN_CHANNELS`` and
      ``n >= BATCH_LAST_MIN``;
    * ``"batch_last"``: otherwise, for ``n >= BATCH_LAST_MIN`` and output width
      ``OW <= BATCH_LAST_MAX_WIDTH``: im2col / col2im in the (C, H, W, N) layout
      (``_windows.im2col_batch_last``) and one GEMM per group;
    * ``"nchw"``: otherwise (small batches, wide outputs): im2col in NCHW order with wide rows
      or the two-stage copy (``_windows.im2col``) and one GEMM per group.

    Thresholds measured with ``bench/kernels.py --crossover`` (docs/performance.md, "Round 2").
    """
    if n < BATCH_LAST_MIN:
        return "nchw"
    if wino.supported(geo) and min(c, o) >= WINOGRAD_MIN_CHANNELS:
        return "winograd"
    return "batch_last" if geo.out_hw[1] <= BATCH_LAST_MAX_WIDTH else "nchw"


# The patch matrix is (groups, C/groups*KH*KW, columns). In the NCHW layout columns are
# (N, OH, WW), WW = win.patch_width(geo) >= OW: with "wide rows" (WW = padded width) the extra
# output columns are computed and dropped, and output gradients get zeros there, so every GEMM
# below is still exact. In the batch-last layout columns are (OH, OW, N).
def _grouped_cols(x, geo, layout):
    """im2col of ``x`` as (groups, C/groups*KH*KW, columns) (batch last: a pooled buffer)."""
    if layout == "batch_last":
        cols = win.im2col_batch_last(x, geo)
        c, kh, kw, oh, ow, n = cols.shape
    else:
        cols = win.im2col(x, geo)
        c, kh, kw, n, oh, ow = cols.shape
    return cols.reshape(geo.groups, c // geo.groups * kh * kw, n * oh * ow)


def _grouped_out(y, geo, layout):
    """(N, O, OH, OW) -> (groups, O/groups, columns): an output gradient in GEMM layout
    (zeros in the extra columns of wide rows). A pooled buffer: give it back."""
    n, o, oh, ow = y.shape
    ww = ow if layout == "batch_last" else win.patch_width(geo)
    if layout == "batch_last":
        out = buffers.take((o, oh, ow, n), y.dtype)
        parallel.map_batches(lambda a, b: np.copyto(out[a:b], y[:, a:b].transpose(1, 2, 3, 0)),
                             o, item_size=out[:1].size)
    else:
        out = buffers.take((o, n, oh, ww), y.dtype)
        if ww != ow:
            out[..., ow:] = 0
        np.copyto(out[..., :ow], y.transpose(1, 0, 2, 3))
    return out.reshape(geo.groups, o // geo.groups, -1)


def _gemm(a, b, out=None):
    """Stacked (G, M, K) @ (G, K, P). One group goes to a plain 2-D BLAS call: numpy's
    stacked matmul can miss BLAS for thin operands (measured 30x slower on LeNet conv1)."""
    if a.shape[0] == 1:
        res = np.matmul(a[0], b[0], out=None if out is None else out[0])
        return res[None]
    if a.shape[2] == 1:       # an outer product (depthwise input gradient): 10x faster so
        return np.multiply(a, b, out=out)
    return np.matmul(a, b, out=out)


class Patches:
    """A patch matrix kept from ``conv_forward`` for ``conv_weight_grad``, read ONCE:
    ``take()`` hands the array over and empties the holder, so that after the filter gradient
    is computed its (pooled) buffer can go back to ``autograd/_buffers.py`` while no graph node
    still points at it."""

    __slots__ = ("_array",)

    def __init__(self, array):
        self._array = array

    def take(self):
        array, self._array = self._array, None
        return array


def _base(a):
    """The array owning ``a``'s memory (what goes back to the buffer pool)."""
    return a if a.base is None else a.base


def conv_forward(x, w, geo, bias=None, keep_cols=False):
    """y[n, o] = sum_{c, i, j} w[o, c, i, j] * xpad[n, c, s*h + d*i, s*w + d*j] (+ bias[o]).

    Returns (y (N, O, OH, OW) fresh, patches): ``patches`` is a ``Patches`` holding the patch
    matrix when ``keep_cols`` and it is at most KEEP_PATCHES_BYTES (for
    ``conv_weight_grad``), else None.
    """
    n, o = x.shape[0], w.shape[0]
    layout = algorithm(geo, n, x.shape[1], o)
    if layout == "winograd":
        return wino.conv(x, w, geo.pads, bias), None
    cols = _grouped_cols(x, geo, layout)
    keep = keep_cols and cols.nbytes <= KEEP_PATCHES_BYTES
    w2 = w.reshape(geo.groups, o // geo.groups, cols.shape[1])
    y = _gemm(w2, cols, buffers.take((geo.groups, w2.shape[1], cols.shape[2]), x.dtype))
    if not keep and layout == "batch_last":     # NCHW patches may be a view of x itself
        buffers.give(_base(cols))
    out = np.empty((n, o) + geo.out_hw, dtype=y.dtype)
    if layout == "batch_last":
        y4 = y.reshape(o, geo.out_hw[0], geo.out_hw[1], n)
        src = lambda a, b: y4[a:b].transpose(3, 0, 1, 2)  # noqa: E731
    else:
        y4 = y.reshape(o, n, geo.out_hw[0], win.patch_width(geo))[..., :geo.out_hw[1]]
        src = lambda a, b: y4[a:b].transpose(1, 0, 2, 3)  # noqa: E731

    def write(a, b):
        if bias is None:
            np.copyto(out[:, a:b], src(a, b))
        else:
            np.add(src(a, b), bias[a:b].reshape(-1, 1, 1), out=out[:, a:b])
    parallel.map_batches(write, o, item_size=out[:, :1].size)
    buffers.give(_base(y))
    return out, (Patches(cols) if keep else None)


def conv_input_grad(g, w, geo):
    """The adjoint of ``conv_forward`` in x: (N, O, OH, OW) -> (N, C, H, W) (transposed conv)."""
    o, cg, kh, kw = w.shape
    layout = algorithm(geo, g.shape[0], cg * geo.groups, o)
    if layout == "winograd":
        return wino.input_grad(g, w, geo.pads)
    w2 = w.reshape(geo.groups, o // geo.groups, -1)
    gt = _grouped_out(g, geo, layout)
    if layout == "batch_last":
        dx = _input_grad_batch_last(gt, w2.transpose(0, 2, 1), geo, g.shape[0], kh * kw)
        buffers.give(gt.base)
        return dx
    dcols = _gemm(w2.transpose(0, 2, 1), gt,
                  buffers.take((geo.groups, w2.shape[2], gt.shape[2]), g.dtype))
    buffers.give(gt.base)
    shape = (cg * geo.groups, kh, kw, g.shape[0], geo.out_hw[0], win.patch_width(geo))
    dx = win.col2im(dcols.reshape(shape), geo)
    buffers.give(_base(dcols))
    return dx


#: The input gradient's GEMM + col2im go in slices of channels whose patch gradient is at
#: most this many bytes (and in at least one slice per thread, each on its own thread).
#: Smaller slices measured slower on LeNet conv2 (thinner GEMMs): 0.91 ms at 1 MB against
#: 0.64 ms in one piece.
DX_CHUNK_BYTES = 32 * 2**20


def _input_grad_batch_last(gt, wt, geo, n, kk):
    """dx (N, C, H, W) from gt (G, O/G, OH*OW*N) and wt (G, C/G*KK, O/G): per slice of
    channels, dcols = wt[rows] @ gt, then col2im of those channels."""
    groups, rows, og = wt.shape
    cg = rows // kk
    (oh, ow), cols = geo.out_hw, gt.shape[2]
    dx = np.empty((n, cg * groups) + geo.in_hw, dtype=gt.dtype)
    pieces = max(parallel.num_threads(), -(-cg * groups * kk * cols * gt.itemsize
                                           // DX_CHUNK_BYTES))
    step = max(1, min(-(-cg * groups // pieces), DX_CHUNK_BYTES // (kk * cols * gt.itemsize)))
    chunks = [(gi, c0, min(c0 + step, cg)) for gi in range(groups) for c0 in range(0, cg, step)]

    def work(a, b):
        for gi, c0, c1 in chunks[a:b]:
            dc = buffers.take(((c1 - c0) * kk, cols), gt.dtype)
            if og == 1:        # an outer product (depthwise): 10x faster than BLAS so
                np.multiply(wt[gi, c0 * kk:c1 * kk], gt[gi], out=dc)
            else:
                np.matmul(wt[gi, c0 * kk:c1 * kk], gt[gi], out=dc)
            win.col2im_batch_last(dc.reshape(c1 - c0, *geo.kernel, oh, ow, n), geo,
                                  dx[:, gi * cg + c0:gi * cg + c1])
            buffers.give(dc)
    parallel.map_gemm_batches(work, len(chunks), item_size=step * kk * cols)
    return dx


def conv_weight_grad(x, g, geo, w_shape, patches=None):
    """The adjoint of ``conv_forward`` in w: sum over n, h, w of patch(x) * g -> w_shape.

    ``patches``: the ``Patches`` that ``conv_forward`` kept for this x, or None to rebuild
    them; their buffer goes back to the pool here.
    """
    n, c = x.shape[:2]
    layout = algorithm(geo, n, c, w_shape[0])
    if layout == "winograd":
        return wino.weight_grad(x, g, geo.pads)
    cols = None if patches is None else patches.take()
    if cols is None or cols.dtype != x.dtype:
        cols = _grouped_cols(x, geo, layout)
    gt = _grouped_out(g, geo, layout)
    # dw^T = cols @ gt^T, (K, O) per group. With several threads the sum over the N*OH*OW
    # columns is split, one slice per thread; on one thread splitting it measured no faster
    # (VGG im2col: 61.3 ms in 2048-column slices, 62.7 unsplit; LeNet conv1 1.48 vs 1.33 ms).
    total = cols.shape[2]
    step = max(1, -(-total // parallel.num_threads()))
    bounds = [(a, min(a + step, total)) for a in range(0, total, step)]

    def work(i, j):
        dwt = np.zeros((geo.groups, cols.shape[1], gt.shape[1]), dtype=gt.dtype)
        part = np.empty_like(dwt)
        for a, b in bounds[i:j]:
            dwt += _gemm(cols[:, :, a:b], gt[:, :, a:b].transpose(0, 2, 1), part)
        return dwt
    if len(bounds) <= 1:
        dwt = _gemm(cols, gt.transpose(0, 2, 1))
    else:
        dwt = sum(parallel.map_gemm_batches(work, len(bounds), item_size=step * cols.shape[1]))
    buffers.give(gt.base, _base(cols) if layout == "batch_last" else None)
    return np.ascontiguousarray(dwt.transpose(0, 2, 1)).reshape(w_shape)


def _common(*arrays):
    """The arrays in one floating dtype (float32 stays float32; float64 wins if present)."""
    dtype = np.result_type(*arrays)
    return [a if a.dtype == dtype else a.astype(dtype) for a in arrays]


# -- the three Functions -------------------------------------------------------------------
class Conv2d(Function):
    """y = conv2d(x, w) + b: cross-correlation of each filter with every patch (the slides'
    filtering without the division by the number of pixels).

    dy/dx = ConvTranspose2d(grad, w), dy/dw = Conv2dWeight(x, grad), dy/db = Σ_{n,h,w} grad.
    """

    rule = "d/dx = conv_transpose2d(g, w), d/dw = conv2d_weight(x, g), d/db = sum(g)"

    @staticmethod
    def forward(ctx, x, w, b, geo):
        ctx.save_for_backward(x, w)
        ctx.geo = geo
        xd, wd = _common(x._data, w._data)
        bd = None if b is None else b._data.astype(xd.dtype, copy=False)
        # the filter gradient needs the same patches: kept when small, else rebuilt
        out, ctx.cols = conv_forward(xd, wd, geo, bd, keep_cols=w.requires_grad)
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        x, w = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        cols, ctx.cols = ctx.cols, None     # freed after one use, like the saved tensors
        gx = ConvTranspose2d.apply(grad, w, ctx.geo) if need_x else None
        gw = Conv2dWeight.apply(x, grad, ctx.geo, w.shape, cols) if need_w else None
        gb = grad.sum((0, 2, 3)) if need_b else None
        return gx, gw, gb, None


class ConvTranspose2d(Function):
    """x' = the adjoint (transpose) of conv2d in its input: scatter each output value back
    over its window, weighted by the filter. Maps (N, O, OH, OW) to (N, C, H, W) of ``geo``.

    d/dy = Conv2d(grad, w), d/dw = Conv2dWeight(grad, y).
    """

    rule = "d/dy = conv2d(g, w), d/dw = conv2d_weight(g, y)"

    @staticmethod
    def forward(ctx, y, w, geo):
        ctx.save_for_backward(y, w)
        ctx.geo = geo
        yd, wd = _common(y._data, w._data)
        return _wrap(conv_input_grad(yd, wd, geo))

    @staticmethod
    def backward(ctx, grad):
        y, w = ctx.saved_tensors
        need_y, need_w = ctx.needs_input_grad[:2]
        gy = Conv2d.apply(grad, w, None, ctx.geo) if need_y else None
        gw = Conv2dWeight.apply(grad, y, ctx.geo, w.shape) if need_w else None
        return gy, gw, None


class Conv2dWeight(Function):
    """w' = the adjoint of conv2d in its filter: Σ_{n,h,w} patch(x) * y, of shape ``w_shape``
    (the filter gradient when ``y`` is the output gradient).

    d/dx = ConvTranspose2d(y, grad), d/dy = Conv2d(x, grad).
    """

    rule = "d/dx = conv_transpose2d(y, g), d/dy = conv2d(x, g)"

    @staticmethod
    def forward(ctx, x, y, geo, w_shape, cols=None):
        ctx.save_for_backward(x, y)
        ctx.geo = geo
        xd, yd = _common(x._data, y._data)
        return _wrap(conv_weight_grad(xd, yd, geo, w_shape, cols))

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad[:2]
        gx = ConvTranspose2d.apply(y, grad, ctx.geo) if need_x else None
        gy = Conv2d.apply(x, grad, None, ctx.geo) if need_y else None
        return (gx, gy) + (None,) * (len(ctx.inputs) - 2)   # geo, w_shape[, cols]


# -- argument checks -----------------------------------------------------------------------
def _check_conv(op, x, weight, bias, groups, n, transposed=False):
    """The tensor arguments of an ``n``-D convolution (``x`` already batched): Tensors, a
    floating input, an (n+2)-D weight with positive kernel sizes, channels that fit ``groups``
    and a bias of shape (C_out,). Returns ``groups`` as an int."""
    validate.tensor(weight, op, "weight", 2)
    validate.optional_tensor(bias, op, "bias", 3)
    validate.floating(x, op)
    layout = "(C_in, C_out/groups, K...)" if transposed else "(C_out, C_in/groups, K...)"
    if weight.ndim != n + 2:
        raise ShapeError(f"{op}: expected a {n + 2}-D weight {layout}, got shape "
                         f"{tuple(weight.shape)}")
    if any(k <= 0 for k in weight.shape[2:]):
        raise ShapeError(f"{op}: kernel size should be greater than zero, got weight of shape "
                         f"{tuple(weight.shape)}")
    groups = validate.groups(groups, op)
    c = x.shape[1]
    if transposed:   # weight (C_in, C_out/groups, KH, KW)
        expected, out_channels = weight.shape[0], weight.shape[1] * groups
    else:            # weight (C_out, C_in/groups, KH, KW)
        expected, out_channels = weight.shape[1] * groups, weight.shape[0]
    if weight.shape[0] % groups:
        raise ShapeError(f"{op}: groups={groups} must divide the {weight.shape[0]} "
                         f"{'input' if transposed else 'output'} channels of weight "
                         f"{tuple(weight.shape)}")
    if c != expected:
        raise ShapeError(f"{op}: expected input with {expected} channels (weight of shape "
                         f"{tuple(weight.shape)}, groups={groups}), got {c} channels "
                         f"(input of shape {tuple(x.shape)})")
    if bias is not None and bias.shape != (out_channels,):
        raise ShapeError(f"{op}: expected bias of shape ({out_channels},) for weight "
                         f"{tuple(weight.shape)}, got {tuple(bias.shape)}")
    return groups


# -- public functions ----------------------------------------------------------------------
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation) over a batch of images (``torch.conv2d``).

    Parameters
    ----------
    input : Tensor, shape=(N, C, H, W) or (C, H, W) (unbatched), floating point
    weight : Tensor, shape=(O, C/groups, KH, KW)
        One filter per output channel; a filter spans the full depth of its group of input
        channels (the slides: "filters always extend the full depth of the input volume").
    bias : Tensor, shape=(O,), optional
    stride, dilation : int or (int, int), positive
    padding : int, (int, int), 'valid' or 'same'
        Zeros added on both sides; 'same' (stride 1 only) keeps H x W, the odd extra pixel of
        an even kernel going to the bottom/right, as in PyTorch.
    groups : int
        Split the channels into ``groups`` independent convolutions; must divide C and O.

    Returns
    -------
    Tensor, shape=(N, O, OH, OW), OH = (H + 2P - D*(KH-1) - 1) // S + 1 (slides: (N-F+2P)/S+1).

    Raises
    ------
    ArgumentTypeError
        A non-Tensor input, weight or bias; a float or bool stride/padding/dilation/groups.
    ArgumentError
        Non-positive stride/dilation/groups, negative padding, 'same' with stride > 1.
    ShapeError
        Input not 3-D/4-D, channels != weight.shape[1]*groups, groups not dividing O, a kernel
        size of 0, bias not (O,), or the (dilated) kernel larger than the padded input.
    DTypeError
        Integer input.
    """
    op = "conv2d"
    input, unbatched = validate.spatial_input(input, 2, op, "(N, C, H, W)")
    groups = _check_conv(op, input, weight, bias, groups, 2)
    geo = win.conv_geometry(op, input.shape[2:], weight.shape[2:], stride, padding, dilation,
                            groups)
    out = Conv2d.apply(input, weight, bias, geo)
    return out.squeeze(0) if unbatched else out


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution over sequences (``torch.conv1d``), e.g. the slides' text CNN sliding
    filters over word embeddings (channels = embedding size, length = words).

    Parameters
    ----------
    input : Tensor, shape=(N, C, L) or (C, L) (unbatched)
    weight : Tensor, shape=(O, C/groups, K)
    bias : Tensor, shape=(O,), optional
    stride, padding, dilation, groups : as ``conv2d`` with one spatial axis
        (padding an int, a 1-tuple, 'valid' or 'same').

    Returns
    -------
    Tensor, shape=(N, O, (L + 2P - D*(K-1) - 1) // S + 1)

    Raises
    ------
    ArgumentTypeError, ArgumentError, ShapeError, DTypeError : as ``conv2d`` (input 2-D/3-D).

    Computed as ``conv2d`` on (N, C, 1, L) images.
    """
    op = "conv1d"
    input, unbatched = validate.spatial_input(input, 1, op, "(N, C, L)")
    groups = _check_conv(op, input, weight, bias, groups, 1)
    stride, dilation = validate.stride(stride, 1, op), validate.dilation(dilation, 1, op)
    padding = validate.padding(padding, 1, op, ("same", "valid"))
    try:
        out = conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, (1,) + stride,
                     padding if isinstance(padding, str) else (0,) + padding, (1,) + dilation,
                     groups)
    except ShapeError as e:
        raise type(e)(_as_1d(str(e), op)) from None
    out = out.squeeze(2)
    return out.squeeze(0) if unbatched else out


def _as_1d(message, op):
    """A conv2d error message re-labelled for the 1-D op (shapes stay the 2-D ones)."""
    return message.replace("conv_transpose2d", op).replace("conv2d", op) + \
        " (1-D input seen as N x C x 1 x L)"


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    """Transposed convolution (``torch.conv_transpose2d``): the gradient of ``conv2d`` with
    respect to its input, used as an upsampling layer.

    Parameters
    ----------
    input : Tensor, shape=(N, C_in, H, W) or (C_in, H, W) (unbatched)
    weight : Tensor, shape=(C_in, C_out/groups, KH, KW)  (the conv2d weight it transposes)
    bias : Tensor, shape=(C_out,), optional
    stride, padding, dilation : int or pair; the arguments of the conv2d being transposed
    output_padding : int or pair
        Extra rows/columns at the bottom/right (a strided conv2d maps several input sizes to
        one output size); must be smaller than stride or dilation.
    groups : int

    Returns
    -------
    Tensor, shape=(N, C_out, (H-1)*S - 2P + D*(KH-1) + output_padding + 1, ...)

    Raises
    ------
    ArgumentTypeError, ArgumentError, ShapeError, DTypeError : as ``conv2d``; ArgumentError
        also for output_padding not smaller than stride or dilation, ShapeError for a
        non-positive output size.
    """
    op = "conv_transpose2d"
    input, unbatched = validate.spatial_input(input, 2, op, "(N, C, H, W)")
    groups = _check_conv(op, input, weight, bias, groups, 2, transposed=True)
    out = _conv_transpose(op, input, weight, bias, validate.stride(stride, 2, op),
                          validate.int_tuple(padding, 2, "padding", op, minimum=0),
                          output_padding, groups, validate.dilation(dilation, 2, op))
    return out.squeeze(0) if unbatched else out


def _conv_transpose(op, input, weight, bias, stride, pad, output_padding, groups, dilation):
    """conv_transpose2d on checked arguments (tuples of ints, a 4-D input)."""
    out_pad = validate.output_padding(output_padding, stride, dilation, op)
    kernel = weight.shape[2:]
    out_hw = tuple((n - 1) * s - 2 * p + d * (k - 1) + q + 1 for n, s, p, d, k, q
                   in zip(input.shape[2:], stride, pad, dilation, kernel, out_pad))
    if any(o <= 0 for o in out_hw):
        raise ShapeError(f"{op}: output size {out_hw} is not positive (input "
                         f"{tuple(input.shape)}, weight {tuple(weight.shape)}, padding {pad})")
    # the conv2d whose input gradient this is: it maps out_hw back to the input's H x W
    geo = win.Geometry(out_hw, tuple(kernel), stride, tuple((p, p) for p in pad), dilation,
                       tuple(input.shape[2:]), groups)
    out = ConvTranspose2d.apply(input, weight, geo)
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1):
    """Transposed 1-D convolution (``torch.conv_transpose1d``): input (N, C_in, L) or
    (C_in, L), weight (C_in, C_out/groups, K); computed as ``conv_transpose2d`` on
    (N, C, 1, L). Raises as ``conv_transpose2d``."""
    op = "conv_transpose1d"
    input, unbatched = validate.spatial_input(input, 1, op, "(N, C, L)")
    groups = _check_conv(op, input, weight, bias, groups, 1, transposed=True)
    stride, dilation = validate.stride(stride, 1, op), validate.dilation(dilation, 1, op)
    pad = validate.int_tuple(padding, 1, "padding", op, minimum=0)
    out_pad = validate.output_padding(output_padding, stride, dilation, op)
    try:
        out = _conv_transpose(op, input.unsqueeze(2), weight.unsqueeze(2), bias, (1,) + stride,
                              (0,) + pad, (0,) + out_pad, groups, (1,) + dilation)
    except ShapeError as e:
        raise type(e)(_as_1d(str(e), op)) from None
    out = out.squeeze(2)
    return out.squeeze(0) if unbatched else out
