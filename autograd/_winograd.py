"""Winograd F(2x2, 3x3) convolution: 3x3 filters, stride 1, no dilation, one group.

Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks" (CVPR 2016, arXiv 1509.09308).
Each 2x2 block of outputs is computed from a 4x4 tile of input (tiles overlap by 2) as

    Y = A^T [ (G w G^T) * (B^T d B) ] A        (* elementwise, summed over input channels)

so the channel sums become 16 GEMMs ``M[k] = U[k] (O, C) @ V[k] (C, tiles)`` with 16
multiplies per 4 outputs instead of 36: 2.25x fewer flops than im2col. The transforms B^T, A^T
only add and subtract; G has halves. The filter gradient is the same identity read in w:
``dL/dU[k] = (A dY A^T)[k] @ V[k]^T`` (16 GEMMs), ``dL/dw = G^T (dL/dU) G``; the input
gradient is a Winograd convolution of the output gradient with the flipped, transposed filter.

Layout (why the code looks the way it does): the arrays are batch-innermost. The padded input
is ``X[c, row, q, u, n] = xpad[n, c, row, 2u + q]`` (columns split by parity, "polyphase"),
so the row transform reads whole rows (runs of 2*(TW+1)*N floats) and the column transform
reads the even and odd columns as runs of TW*N floats: no stride-2 inner loops. Work goes in
chunks of tile rows sized to stay in cache (``CHUNK_BYTES``), split over the thread pool
(``autograd/_parallel.py``) with one BLAS thread per worker; the buffers come from
``autograd/_buffers.py``.

Rounding: the transforms add up to 4 products of terms per output where im2col adds 9, so
float32 results differ from direct convolution in the last bits (|error| ~ 1e-6 relative
to the sum of |terms|), never more.
"""

import numpy as np

from . import _buffers as buffers
from . import _parallel as parallel

__all__ = ["supported", "conv", "input_grad", "weight_grad", "CHUNK_BYTES"]

#: Bytes of one chunk's transformed tiles (V); the chunk's other buffers are about as large.
CHUNK_BYTES = 2 * 2**20

# F(2x2, 3x3) filter transform (4x3): U = G w G^T
_G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])


def supported(geo):
    """True for 3x3 kernels, stride 1, dilation 1, one group, each pad 0..2 (so that the
    input gradient, a Winograd conv with pads 2 - p, is one as well)."""
    return (geo.kernel == (3, 3) and geo.stride == (1, 1) and geo.dilation == (1, 1)
            and geo.groups == 1 and all(0 <= p <= 2 for pair in geo.pads for p in pair))


def _tiles(out_hw):
    return tuple(-(-o // 2) for o in out_hw)


def _polyphase_input(x, pads, th, tw):
    """X (C, 2*TH + 2, 2, TW + 1, N) from x (N, C, H, W): X[c, r, q, u, n] =
    xpad[n, c, r, 2u + q], zero outside x (pooled buffer)."""
    n, c, h, w = x.shape
    (pt, _), (pl, _) = pads
    xq = buffers.take((c, 2 * th + 2, 2, tw + 1, n), x.dtype)
    # zeros outside the image: rows above/below, and per parity the columns left/right of it
    spans = []
    for q in (0, 1):
        w0 = (q - pl) % 2                     # first input column landing in parity q
        count = len(range(w0, w, 2))
        spans.append((q, w0, (w0 + pl) // 2, count))

    def fill(c0, c1):
        part = xq[c0:c1]
        part[:, :pt] = 0
        part[:, pt + h:] = 0
        for q, w0, u0, count in spans:
            rows = part[:, pt:pt + h, q]
            rows[:, :, :u0] = 0
            rows[:, :, u0 + count:] = 0
            if count:
                rows[:, :, u0:u0 + count] = x[:, c0:c1, :, w0::2].transpose(1, 2, 3, 0)
    parallel.map_batches(fill, c, item_size=xq[:1].size)
    return xq


def _input_transform(xq, t0, t1, tw, v):
    """V[a, b, c, t, u, n] = (B^T d B)[a, b] for the tiles of rows t0:t1, into ``v``
    (4, 4, C, t1 - t0, TW, N). B^T = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]]."""
    c, n = xq.shape[0], xq.shape[-1]
    r = buffers.take((4, c, t1 - t0, 2, tw + 1, n), xq.dtype)
    row = [xq[:, 2 * t0 + a:2 * t1 + a:2] for a in range(4)]   # whole rows: long runs
    np.subtract(row[0], row[2], out=r[0])
    np.add(row[1], row[2], out=r[1])
    np.subtract(row[2], row[1], out=r[2])
    np.subtract(row[1], row[3], out=r[3])
    col = [r[:, :, :, 0, :tw], r[:, :, :, 1, :tw], r[:, :, :, 0, 1:], r[:, :, :, 1, 1:]]
    np.subtract(col[0], col[2], out=v[:, 0])
    np.add(col[1], col[2], out=v[:, 1])
    np.subtract(col[2], col[1], out=v[:, 2])
    np.subtract(col[1], col[3], out=v[:, 3])
    buffers.give(r)


def _output_transform(m, yb):
    """yb[:, :, r, s] (O, t, TW, N) = (A^T M A)[r, s] per tile, A^T = [[1,1,1,0],[0,1,-1,-1]]."""
    s = buffers.take((2,) + m.shape[1:], m.dtype)
    np.add(m[0], m[1], out=s[0])
    s[0] += m[2]
    np.subtract(m[1], m[2], out=s[1])
    s[1] -= m[3]
    for r in (0, 1):
        left, right = yb[:, :, r, 0], yb[:, :, r, 1]
        np.add(s[r, 0], s[r, 1], out=left)
        left += s[r, 2]
        np.subtract(s[r, 1], s[r, 2], out=right)
        right -= s[r, 3]
    buffers.give(s)


def _chunks(th, c, tw, n, itemsize):
    rows = max(1, CHUNK_BYTES // (16 * c * tw * n * itemsize))
    return [(t, min(t + rows, th)) for t in range(0, th, rows)]


def _run_chunks(work, chunks, item_size):
    """``work(t0, t1)`` for every chunk, the chunks split over the thread pool (one BLAS
    thread per worker while several run; ``item_size``: elements of one tile row's V);
    returns the per-chunk results."""
    def span(a, b):
        return [work(*chunk) for chunk in chunks[a:b]]
    rows = chunks[0][1] - chunks[0][0] if chunks else 1
    parts = parallel.map_gemm_batches(span, len(chunks), item_size=rows * item_size)
    return [r for part in parts for r in part]


def conv(x, w, pads, bias=None):
    """conv2d(x, w, bias, padding=pads) for 3x3 ``w`` (O, C, 3, 3), stride 1: (N, O, OH, OW).

    ``pads`` is ((top, bottom), (left, right)), each 0..2. Result: a fresh array.
    """
    n, c, h, wd = x.shape
    o = w.shape[0]
    (pt, pb), (pl, pr) = pads
    out_hw = (h + pt + pb - 2, wd + pl + pr - 2)
    th, tw = _tiles(out_hw)
    u = np.einsum("ai,ocij,bj->aboc", _G, w, _G).astype(x.dtype).reshape(16, o, c)
    xq = _polyphase_input(x, pads, th, tw)
    yb = buffers.take((o, th, 2, 2, tw, n), x.dtype)     # yb[o, t, r, s, u, n] = y[n, o, 2t+r, 2u+s]

    def work(t0, t1):
        cols = (t1 - t0) * tw * n
        v = buffers.take((4, 4, c, t1 - t0, tw, n), x.dtype)
        m = buffers.take((4, 4, o, t1 - t0, tw, n), x.dtype)
        _input_transform(xq, t0, t1, tw, v)
        vm, mm = v.reshape(16, c, cols), m.reshape(16, o, cols)
        for k in range(16):
            np.matmul(u[k], vm[k], out=mm[k])
        _output_transform(m, yb[:, t0:t1])
        buffers.give(v, m)
    _run_chunks(work, _chunks(th, c, tw, n, x.dtype.itemsize), 16 * c * tw * n)
    buffers.give(xq)
    out = np.empty((n, o) + out_hw, dtype=x.dtype)
    phases = _phases(out_hw)

    def write(o0, o1):
        for r, s, rows, cols in phases:
            src = yb[o0:o1, :rows, r, s, :cols].transpose(3, 0, 1, 2)
            dst = out[:, o0:o1, r::2, s::2]
            if bias is None:
                np.copyto(dst, src)
            else:
                np.add(src, bias[o0:o1, None, None], out=dst)
    parallel.map_batches(write, o, item_size=out[:, :1].size)
    buffers.give(yb)
    return out


def _phases(out_hw):
    """(r, s, rows, cols): output phase (r, s) of the 2x2 tiles and how many rows / columns of
    tiles reach into the (OH, OW) output in it."""
    (oh, ow) = out_hw
    return [(r, s, len(range(r, oh, 2)), len(range(s, ow, 2))) for r in (0, 1) for s in (0, 1)]


def input_grad(g, w, pads):
    """The adjoint of ``conv`` in x: (N, O, OH, OW) -> (N, C, H, W), a Winograd conv of g
    with the flipped, transposed filter and pads 2 - p."""
    flipped = np.ascontiguousarray(w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
    return conv(g, flipped, tuple((2 - a, 2 - b) for a, b in pads))


def _tiled_grad(g, th, tw):
    """gb (O, TH, 2, 2, TW, N): gb[o, t, r, s, u, n] = g[n, o, 2t + r, 2u + s], zero past g."""
    n, o = g.shape[:2]
    gb = buffers.take((o, th, 2, 2, tw, n), g.dtype)
    phases = _phases(g.shape[2:])

    def fill(o0, o1):
        for r, s, rows, cols in phases:
            part = gb[o0:o1, :, r, s]
            part[:, rows:] = 0
            part[:, :rows, cols:] = 0
            part[:, :rows, :cols] = g[:, o0:o1, r::2, s::2].transpose(1, 2, 3, 0)
    parallel.map_batches(fill, o, item_size=gb[:1].size)
    return gb


def _grad_transform(gb, p, gt):
    """Gt = A dY A^T per tile into ``gt`` (4, 4, O, t, TW, N) from ``gb`` (O, t, 2, 2, TW, N);
    ``p`` (4, O, t, 2, TW, N) is scratch. A = [[1,0],[1,1],[1,-1],[0,-1]]."""
    g0, g1 = gb[:, :, 0], gb[:, :, 1]
    np.copyto(p[0], g0)
    np.add(g0, g1, out=p[1])
    np.subtract(g0, g1, out=p[2])
    np.negative(g1, out=p[3])
    left, right = p[:, :, :, 0], p[:, :, :, 1]
    np.copyto(gt[:, 0], left)
    np.add(left, right, out=gt[:, 1])
    np.subtract(left, right, out=gt[:, 2])
    np.negative(right, out=gt[:, 3])


def weight_grad(x, g, pads):
    """The adjoint of ``conv`` in w: sum over n, h, w of patch(x) * g -> (O, C, 3, 3)."""
    n, c = x.shape[:2]
    o, out_hw = g.shape[1], g.shape[2:]
    th, tw = _tiles(out_hw)
    xq = _polyphase_input(x, pads, th, tw)
    gb = _tiled_grad(g, th, tw)

    def work(t0, t1):
        cols = (t1 - t0) * tw * n
        v = buffers.take((4, 4, c, t1 - t0, tw, n), x.dtype)
        p = buffers.take((4, o, t1 - t0, 2, tw, n), x.dtype)
        gt = buffers.take((4, 4, o, t1 - t0, tw, n), x.dtype)
        _input_transform(xq, t0, t1, tw, v)
        _grad_transform(gb[:, t0:t1], p, gt)
        vm, gm = v.reshape(16, c, cols), gt.reshape(16, o, cols)
        du = np.empty((16, o, c), dtype=x.dtype)
        for k in range(16):
            np.matmul(gm[k], vm[k].T, out=du[k])
        buffers.give(v, p, gt)
        return du
    du = sum(_run_chunks(work, _chunks(th, c, tw, n, x.dtype.itemsize), 16 * c * tw * n))
    buffers.give(xq, gb)
    gw = np.einsum("ai,bj,aboc->ocij", _G, _G, du.reshape(4, 4, o, c).astype(np.float64))
    return gw.astype(x.dtype)
