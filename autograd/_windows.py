"""Sliding windows for convolution and pooling: output-size arithmetic, padding, im2col /
col2im and the strided window reductions the pooling ops use. (Their arguments are checked by
``autograd/validate.py`` before they get here.)

Everything here works on raw ndarrays in NCHW layout (1-D ops reach it as H = 1). The ops in
``autograd/ops/conv.py`` and ``autograd/ops/pool.py`` wrap these kernels in ``Function``s.

Layout choices (why the code looks the way it does):

* ``im2col`` builds ONE contiguous array ``cols[C, KH, KW, N, OH, OW]`` with a single strided
  copy (``as_strided`` view -> ``ascontiguousarray``), so a convolution is one large BLAS GEMM
  ``W[O, C*KH*KW] @ cols[C*KH*KW, N*OH*OW]`` (float32 stays float32). So that the copy moves
  long contiguous runs, stride-1 convolutions use "wide rows" (OW replaced by the padded
  width, ``patch_width``) when that adds under 10% columns, or else a two-stage copy (column
  shifts, then row shifts as runs of OH*OW, ``_two_stage``).
* ``im2col_batch_last`` / ``col2im_batch_last`` do the same in the (C, H, W, N) layout, where
  each copy or add moves runs of OW*N floats (stride 1); ``autograd/ops/conv.py`` uses them for
  batches of 4 and more.
* ``col2im`` and ``window_scatter`` (the adjoints) add back with a loop over the KH x KW kernel
  offsets only; each step is one strided ``+=`` over all of N, C, OH, OW (no ``np.add.at``).
* The batch-last copies split the channels, and the pooling passes the batch, over the thread
  pool (``autograd/_parallel.py``); work buffers come from ``autograd/_buffers.py``.
* Window reductions (max, sum) also loop over the KH x KW offsets: a 2x2 pool is 4 strided
  slices and a few elementwise ops, no copy of the windows; strided overlapping windows read
  compact "polyphase" copies of the plane (``_phase_plan``).
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

from . import _buffers as buffers
from . import _parallel as parallel
from . import validate
from .errors import ArgumentError, ShapeError

__all__ = ["Geometry", "conv_output_size", "pool_output_size", "conv_geometry",
           "pool_geometry", "pad_array", "patch_width", "im2col", "col2im", "im2col_batch_last",
           "col2im_batch_last", "window_slices",
           "window_max", "window_sum", "window_scatter"]


# -- output-size arithmetic ----------------------------------------------------------------
def conv_output_size(size, kernel, stride=1, pad_lo=0, pad_hi=0, dilation=1):
    """(size + pads - dilation*(kernel-1) - 1) // stride + 1: the slides' (N - F + 2P)/S + 1."""
    return (size + pad_lo + pad_hi - dilation * (kernel - 1) - 1) // stride + 1


def pool_output_size(size, kernel, stride, pad, dilation=1, ceil_mode=False):
    """PyTorch's pooling output size.

    With ``ceil_mode`` the division rounds up, keeping a last partial window, but that last
    window must start inside the input or the left padding (``(out-1)*stride < size + pad``).
    """
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    out = (-(-span // stride) if ceil_mode else span // stride) + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


@dataclass(frozen=True)
class Geometry:
    """Where the windows of a 2-D convolution or pooling lie, for one input plane size.

    ``pads`` is ((top, bottom), (left, right)) around the ``in_hw`` input; ``padded_hw`` may
    extend further than the pads (ceil_mode's partial windows read past the padded input).
    """

    in_hw: tuple
    kernel: tuple
    stride: tuple
    pads: tuple
    dilation: tuple
    out_hw: tuple
    groups: int = 1

    @property
    def padded_hw(self):
        """The padded plane: big enough for every window (ceil_mode may need extra rows)."""
        return tuple(max(pl + n + ph, (o - 1) * s + d * (k - 1) + 1)
                     for n, (pl, ph), o, s, d, k in zip(self.in_hw, self.pads, self.out_hw,
                                                      self.stride, self.dilation, self.kernel))


def conv_geometry(op, in_hw, kernel, stride, padding, dilation, groups):
    """The Geometry of a convolution; ``stride``, ``padding`` (or 'same'/'valid') and
    ``dilation`` are ints or pairs, checked by ``autograd.validate``.

    Raises
    ------
    ArgumentError, ArgumentTypeError
        A bad stride, padding or dilation (``autograd.validate``); 'same' with a stride
        other than 1.
    ShapeError
        The (dilated) kernel is larger than the padded input.
    """
    stride, dilation = validate.stride(stride, 2, op), validate.dilation(dilation, 2, op)
    padding = validate.padding(padding, 2, op, ("same", "valid"))
    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0), (0, 0))
        else:
            if stride != (1, 1):
                raise ArgumentError(f"{op}: padding='same' is not supported for strided "
                                    f"convolutions (stride {stride})")
            # PyTorch: the odd extra pixel of an even kernel goes to the bottom/right
            totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
            pads = tuple((t // 2, t - t // 2) for t in totals)
    else:
        pads = tuple((v, v) for v in padding)
    for n, (lo, hi), k, d in zip(in_hw, pads, kernel, dilation):
        if n + lo + hi < d * (k - 1) + 1:
            raise ShapeError(
                f"{op}: kernel size {tuple(kernel)} (dilation {tuple(dilation)}) is larger than "
                f"the padded input {tuple(n + lo + hi for n, (lo, hi) in zip(in_hw, pads))}")
    out = tuple(conv_output_size(n, k, s, lo, hi, d) for n, k, s, (lo, hi), d
                in zip(in_hw, kernel, stride, pads, dilation))
    return Geometry(tuple(in_hw), tuple(kernel), stride, pads, dilation, out, groups)


def pool_geometry(op, in_hw, kernel, stride, pad, dilation, ceil_mode):
    """The Geometry of a pooling; ``kernel``, ``stride``, ``pad``, ``dilation`` are tuples of
    ints already checked by ``autograd.validate``.

    Raises
    ------
    ShapeError
        The input plane is too small: the output would be empty.
    """
    out = tuple(pool_output_size(n, k, s, p, d, ceil_mode)
                for n, k, s, p, d in zip(in_hw, kernel, stride, pad, dilation))
    if any(o <= 0 for o in out):
        raise ShapeError(f"{op}: input plane {tuple(in_hw)} is too small for kernel_size "
                         f"{kernel} (dilation {dilation}, padding {pad}); output size "
                         f"would be {out}")
    return Geometry(tuple(in_hw), kernel, stride, tuple((p, p) for p in pad), dilation, out)


# -- padding, im2col, col2im ---------------------------------------------------------------
def pad_array(x, geo, value=0.0, extra_rows=0):
    """``x`` (N, C, H, W) placed in a (N, C, Hp + extra_rows, Wp) array filled with ``value``
    (``x`` itself when nothing is added)."""
    (pt, _), (pl, _) = geo.pads
    hp, wp = geo.padded_hw
    h, w = x.shape[-2:]
    if (pt, pl, hp + extra_rows, wp) == (0, 0, h, w):
        return x
    out = np.full(x.shape[:-2] + (hp + extra_rows, wp), value, dtype=x.dtype)
    out[..., pt:pt + h, pl:pl + w] = x
    return out


def patch_width(geo):
    """Columns per output row in the patch matrix of ``im2col``.

    For stride-1 convolutions this is the padded width Wp ("wide rows"): the patch rows of
    consecutive output rows are then adjacent in memory, so im2col / col2im move long
    contiguous runs instead of OW-long pieces. The Wp - OW extra columns per row are computed
    and dropped; used where that waste is small (``WIDE_WASTE``).
    """
    wp, ow = geo.padded_hw[1], geo.out_hw[1]
    return wp if geo.stride[1] == 1 and wp <= WIDE_WASTE * ow else ow


#: Use wide rows while they add at most this fraction of extra GEMM columns; narrower
#: outputs with stride 1 down the rows go through the two-stage copy (``_two_stage``).
WIDE_WASTE = 1.1


def _two_stage(geo):
    """Narrow patches at row stride 1 are built in two copies: first the KW column shifts
    (runs of OW), then the KH row shifts as runs of OH*OW; cheaper than one copy of OW-long
    runs when the kernel has several rows."""
    return geo.stride[0] == 1 and geo.kernel[0] > 1 and patch_width(geo) == geo.out_hw[1]


def _window_view(xp, geo, order, ow=None):
    """A strided view of padded ``xp`` (N, C, Hp, Wp) with axes from N, C, OH, OW, KH, KW
    (``ow`` output columns per row; past OW they run on into the next row)."""
    sn, sc, sh, sw = xp.strides
    (dh, dw), (st_h, st_w) = geo.dilation, geo.stride
    dims = {"N": (xp.shape[0], sn), "C": (xp.shape[1], sc),
            "OH": (geo.out_hw[0], st_h * sh), "OW": (ow or geo.out_hw[1], st_w * sw),
            "KH": (geo.kernel[0], dh * sh), "KW": (geo.kernel[1], dw * sw)}
    shape, strides = zip(*(dims[a] for a in order))
    return as_strided(xp, shape, strides, writeable=False)


def im2col(x, geo):
    """Patches of ``x`` (N, C, H, W) as a contiguous (C, KH, KW, N, OH, patch_width) array:
    ``cols[c, i, j, n, h, w] = xpad[n, c, h*sh + i*dh, w*sw + j*dw]``."""
    ww = patch_width(geo)
    # wide rows read up to (KW-1)*dw past the last row: one spare zero row covers it
    xp = pad_array(x, geo, extra_rows=int(ww != geo.out_hw[1]))
    if not _two_stage(geo):
        return np.ascontiguousarray(_window_view(xp, geo, ("C", "KH", "KW", "N", "OH", "OW"), ww))
    # shifted[c, j, n, h, w] = xpad[n, c, h, w*sw + j*dw], then cols[c, i, j] = rows i*dh.. of it
    sn, sc, sh, sw = xp.strides
    dh, dw = geo.dilation
    oh, ow = geo.out_hw
    shifted = np.ascontiguousarray(as_strided(
        xp, (xp.shape[1], geo.kernel[1], xp.shape[0], xp.shape[2], ow),
        (sc, dw * sw, sn, sh, geo.stride[1] * sw), writeable=False))
    t0, t1, t2, t3, t4 = shifted.strides
    return np.ascontiguousarray(as_strided(
        shifted, (shifted.shape[0], geo.kernel[0], geo.kernel[1], shifted.shape[2], oh, ow),
        (t0, dh * t3, t1, t2, t3, t4), writeable=False))


def _offset_slices(geo):
    """(kh, kw, index) per kernel offset: the strided slice of the padded plane it reads."""
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    for i in range(geo.kernel[0]):
        for j in range(geo.kernel[1]):
            yield i, j, (Ellipsis, slice(i * dh, i * dh + (oh - 1) * sh + 1, sh),
                         slice(j * dw, j * dw + (ow - 1) * sw + 1, sw))


def _crop(xp, geo):
    (pt, _), (pl, _) = geo.pads
    h, w = geo.in_hw
    return xp[..., pt:pt + h, pl:pl + w]


def col2im(cols, geo):
    """Adjoint of ``im2col``: add (C, KH, KW, N, OH, patch_width) patches back into
    (N, C, H, W), one strided ``+=`` per kernel offset (per row or column shift in the
    two-stage layout), in the layout ``im2col`` used for this geometry."""
    c, _, _, n, oh, ww = cols.shape
    hp, wp = geo.padded_hw
    wide = ww != geo.out_hw[1]
    xp = np.zeros((c, n, hp + int(wide), wp), dtype=cols.dtype)  # C-major: cols[:, i, j] fits
    if wide:
        _add_wide_rows(xp, cols, geo)
    elif _two_stage(geo):
        _add_two_stage(xp, cols, geo)
    else:
        for i, j, index in _offset_slices(geo):
            xp[index] += cols[:, i, j]
    return np.ascontiguousarray(_crop(xp[:, :, :hp], geo).transpose(1, 0, 2, 3))


def _add_wide_rows(xp, cols, geo):
    """col2im for wide rows: each offset's patch rows are one run down the flattened plane.

    The extra columns of ``cols`` must hold zeros (they do when they come from an output
    gradient whose extra columns are zero): they run on into the next row or the spare row.
    """
    c, n, hp1, wp = xp.shape
    oh, ww = cols.shape[4:]
    planes = xp.reshape(c, n, hp1 * wp)
    (dh, dw), sh = geo.dilation, geo.stride[0]
    strides = planes.strides[:2] + (sh * wp * xp.itemsize, xp.itemsize)
    for i in range(geo.kernel[0]):
        for j in range(geo.kernel[1]):
            start = planes[:, :, i * dh * wp + j * dw:]
            as_strided(start, (c, n, oh, ww), strides)[...] += cols[:, i, j]


def _add_two_stage(xp, cols, geo):
    """col2im for the two-stage layout: undo the row shifts (long runs), then the columns."""
    c, kh, kw, n, oh, ow = cols.shape
    (dh, dw), sw = geo.dilation, geo.stride[1]
    shifted = np.zeros((c, kw, n, xp.shape[2], ow), dtype=cols.dtype)
    for i in range(kh):
        shifted[:, :, :, i * dh:i * dh + oh] += cols[:, i]
    for j in range(kw):
        xp[..., j * dw:j * dw + (ow - 1) * sw + 1:sw] += shifted[:, j]


# -- batch-innermost layout: (C, H, W, N) -------------------------------------------------
# With the batch innermost, the patch element of offset (i, j) for output row h is
# xt[c, h*sh + i*dh, w*sw + j*dw, :] for all w, n: for stride 1 one contiguous run of OW*N
# floats (640 for LeNet conv2, against runs of OW = 10 in NCHW), so im2col and col2im are a
# few hundred long copies / adds instead of ~100k short ones. The price is one transposing
# copy of the input (and of the output gradient, and of the results back to NCHW), each the
# size of the tensor, not of the patch matrix. Used for batches of BATCH_LAST_MIN images and
# up (a batch of 1 is NCHW already, where the wide rows above give the long runs).

def _channel_split(fn, a):
    """``fn(c0, c1)`` over slices of axis 0 (channels) of ``a``, on the thread pool."""
    parallel.map_batches(fn, a.shape[0], item_size=a[:1].size)


def to_batch_last(x, geo):
    """x (N, C, H, W) zero-padded into a pooled (C, Hp, Wp, N) buffer (``buffers.give`` it)."""
    n, c, h, w = x.shape
    (pt, _), (pl, _) = geo.pads
    hp, wp = geo.padded_hw
    xt = buffers.take((c, hp, wp, n), x.dtype)

    def fill(c0, c1):
        part = xt[c0:c1]
        part[:, :pt] = 0
        part[:, pt + h:] = 0
        part[:, pt:pt + h, :pl] = 0
        part[:, pt:pt + h, pl + w:] = 0
        part[:, pt:pt + h, pl:pl + w] = x[:, c0:c1].transpose(1, 2, 3, 0)
    _channel_split(fill, xt)
    return xt


def _window_view_bl(xt, geo):
    """(C, KH, KW, OH, OW, N) strided view of batch-last padded ``xt``."""
    sc, sh, sw, sn = xt.strides
    (dh, dw), (st_h, st_w), (oh, ow) = geo.dilation, geo.stride, geo.out_hw
    return as_strided(xt, (xt.shape[0],) + geo.kernel + (oh, ow, xt.shape[3]),
                      (sc, dh * sh, dw * sw, st_h * sh, st_w * sw, sn), writeable=False)


def im2col_batch_last(x, geo):
    """Patches of x (N, C, H, W) as a contiguous (C, KH, KW, OH, OW, N) pooled buffer
    (``buffers.give`` it back): ``cols[c, i, j, h, w, n] = xpad[n, c, h*sh + i*dh, w*sw + j*dw]``.
    """
    n, c = x.shape[:2]
    xt = to_batch_last(x, geo)
    view = _window_view_bl(xt, geo)
    shape = view.shape
    cols = buffers.take(shape, x.dtype)
    _channel_split(lambda c0, c1: np.copyto(cols[c0:c1], view[c0:c1]), cols)
    buffers.give(xt)
    return cols


def col2im_batch_last(cols, geo, out):
    """Adjoint of ``im2col_batch_last``: add (C, KH, KW, OH, OW, N) patches back into ``out``
    (N, C, H, W) (a slice of channels of the result), one strided ``+=`` of runs of OW*N per
    kernel offset, on a pooled (C, Hp, Wp, N) plane."""
    c, n = cols.shape[0], cols.shape[-1]
    (pt, _), (pl, _) = geo.pads
    h, w = geo.in_hw
    xt = buffers.zeros((c,) + geo.padded_hw + (n,), cols.dtype)
    for i, j, index in _offset_slices(geo):
        xt[index + (slice(None),)] += cols[:, i, j]
    np.copyto(out, xt[:, pt:pt + h, pl:pl + w].transpose(3, 0, 1, 2))
    buffers.give(xt)


# -- window reductions for pooling ---------------------------------------------------------
def _phase_plan(geo):
    """Per kernel offset (row-major): its phase (r, q) and start (a, b) such that the offset's
    strided slice of the padded plane is ``plane[..., r::sh, q::sw][..., a:a+OH, b:b+OW]``.

    Splitting a strided plane into its sh x sw phases ("polyphase") turns every offset's
    stride-2 slice into a compact one: worth it when several offsets share a phase, as in 3x3
    pooling at stride 2, whose nine stride-2 slices would each drag every cache line of the
    plane through memory.
    """
    (sh, sw), (dh, dw) = geo.stride, geo.dilation
    return [((i * dh % sh, j * dw % sw), (i * dh // sh, j * dw // sw))
            for i in range(geo.kernel[0]) for j in range(geo.kernel[1])]


def _use_phases(geo):
    """Phases pay off when the stride is > 1 and some phase is read by several offsets."""
    plan = _phase_plan(geo)
    return geo.stride != (1, 1) and len({rq for rq, _ in plan}) < len(plan)


def window_slices(xp, geo):
    """Yield (offset k, view of ``xp`` read by kernel offset k) in row-major order; the views
    are compact slices of the plane's phases when ``_use_phases``."""
    if not _use_phases(geo):
        yield from _offset_views(xp, geo)
        return
    yield from _phase_views(xp, geo, np.ascontiguousarray, {})


def _offset_views(xp, geo):
    """(offset k, strided view of ``xp`` for kernel offset k), straight from the plane."""
    kw = geo.kernel[1]
    for i, j, index in _offset_slices(geo):
        yield i * kw + j, xp[index]


def _phase_views(xp, geo, new_phase, phases):
    """(offset k, view of k's compact phase buffer); ``new_phase`` makes a phase's buffer from
    its strided view of ``xp`` (a copy to read, zeros to add into), kept in ``phases``."""
    (sh, sw), (oh, ow) = geo.stride, geo.out_hw
    for k, ((r, q), (a, b)) in enumerate(_phase_plan(geo)):
        if (r, q) not in phases:
            phases[r, q] = new_phase(xp[..., r::sh, q::sw])
        yield k, phases[r, q][..., a:a + oh, b:b + ow]


def _by_batch(fn, x):
    """``fn(a, b)`` over slices of the batch (axis 0) of ``x`` on the thread pool."""
    parallel.map_batches(fn, x.shape[0], item_size=x[:1].size)


def window_max(xp, geo):
    """Max over each window of padded ``xp`` and the row-major offset of its FIRST maximum.

    NaN counts as the maximum (as in PyTorch). Returns (values, offsets as int8 or int64),
    fresh arrays. Two sweeps over the KH x KW strided slices: the maximum, then (in reverse
    offset order, so the first match wins) which offset holds it; the batch is split over the
    thread pool.
    """
    kk = geo.kernel[0] * geo.kernel[1]
    best = np.empty(xp.shape[:-2] + geo.out_hw, dtype=xp.dtype)
    arg = np.empty(best.shape, dtype=np.int8 if kk < 128 else np.int64)
    _by_batch(lambda a, b: _window_max_into(xp[a:b], geo, best[a:b], arg[a:b]), xp)
    return best, arg


def _window_max_into(xp, geo, best, arg):
    views = [v for _, v in window_slices(xp, geo)]
    np.copyto(best, views[0])
    for v in views[1:]:
        np.maximum(best, v, out=best)            # propagates NaN
    kk = len(views)
    arg.fill(kk - 1)
    nan = best.dtype.kind == "f" and np.isnan(best).any()
    for k in range(kk - 2, -1, -1):
        hit = views[k] == best
        if nan:
            hit |= np.isnan(views[k]) & np.isnan(best)
        arg -= (arg - k) * hit        # arg = k where hit (arithmetic beats np.where 3x here)


def window_sum(xp, geo):
    """Sum over each window of padded ``xp`` (a loop over the KH x KW offsets), a fresh
    array; the batch is split over the thread pool."""
    total = np.empty(xp.shape[:-2] + geo.out_hw, dtype=xp.dtype)

    def part(a, b):
        slices = window_slices(xp[a:b], geo)
        np.copyto(total[a:b], next(slices)[1])
        for _, s in slices:
            total[a:b] += s
    _by_batch(part, xp)
    return total


def window_scatter(g, geo, select=None):
    """Adjoint of ``window_sum`` (or, with ``select``, of picking offset ``select``).

    Adds ``g`` (N, C, OH, OW) to every element of its window, or, when ``select`` (offsets
    as ``window_max`` returns) is given, only to the selected element; returns a fresh
    (N, C, H, W) array. The batch is split over the thread pool.
    """
    xp = np.zeros(g.shape[:-2] + geo.padded_hw, dtype=g.dtype)

    def part(a, b):
        _scatter_into(xp[a:b], g[a:b], geo, None if select is None else select[a:b])
    _by_batch(part, xp)
    return np.ascontiguousarray(_crop(xp, geo))


def _scatter_into(xp, g, geo, select):
    disjoint = windows_disjoint(geo)
    finite = select is None or np.isfinite(g).all()   # g * mask is exact unless g has inf/nan
    for k, view in _scatter_targets(xp, geo):
        if select is None:
            view += g
        elif disjoint and finite:   # each input element is written by one offset at most
            np.multiply(g, select == k, out=view)
        else:
            view += g * (select == k) if finite else np.where(select == k, g, 0)


def _scatter_targets(xp, geo):
    """Yield (offset k, writable view of zero-filled ``xp`` that offset k adds into), through
    compact phase buffers (copied into ``xp`` at the end) when ``_use_phases``."""
    if not _use_phases(geo):
        yield from _offset_views(xp, geo)
        return
    phases = {}
    yield from _phase_views(xp, geo, np.zeros_like, phases)
    sh, sw = geo.stride
    for (r, q), phase in phases.items():
        xp[..., r::sh, q::sw] = phase


def windows_disjoint(geo):
    """True when no input element lies in two windows (e.g. 2x2 pooling at stride 2)."""
    for o, k, s, d in zip(geo.out_hw, geo.kernel, geo.stride, geo.dilation):
        taps = {r * s + i * d for r in range(o) for i in range(k)}
        if len(taps) != o * k:
            return False
    return True


def flat_indices(arg, geo, with_inside=False):
    """Offsets from ``window_max`` as flattened H*W indices into the unpadded input plane.

    With ``with_inside`` also return where the selected element lies inside the input (it
    does not only for a window lying wholly in the padding, which needs dilation).
    """
    (oh, ow), (sh, sw), (dh, dw) = geo.out_hw, geo.stride, geo.dilation
    (pt, _), (pl, _) = geo.pads
    kw = geo.kernel[1]
    arg = arg.astype(np.int64)
    rows = np.arange(oh)[:, None] * sh - pt + (arg // kw) * dh
    cols = np.arange(ow)[None, :] * sw - pl + (arg % kw) * dw
    flat = rows * geo.in_hw[1] + cols
    if not with_inside:
        return flat
    return flat, (rows >= 0) & (rows < geo.in_hw[0]) & (cols >= 0) & (cols < geo.in_hw[1])
