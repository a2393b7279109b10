"""Prototype numpy kernels that back the suggestions in docs/performance.md (not library code).

    python bench/prototypes.py            # check against PyTorch (if importable), then time
    python bench/prototypes.py --threads 2

Each kernel is plain numpy on float32 NCHW arrays and returns exactly what the matching
PyTorch op returns (checked below, ties in max pooling included), so it can be dropped into the
corresponding ``Function`` (``autograd/ops/pool.py``, ``autograd/ops/conv.py``):

* :func:`tune_malloc` - glibc ``mallopt`` so that freed numpy buffers are reused instead of
  unmapped and faulted in again (the biggest single win found: ~5 ms of system time per LeNet
  step). ``bench/run.py --tune-malloc`` measures everything with it.
* :func:`install_nograd_fast_path` - Tensor arithmetic that skips ``Function.apply`` when
  nothing is recorded (how backward rules run), to measure that suggestion on the op chain;
  :func:`install_lean_engine` - a pared-down ``engine._run`` loop, to measure what the engine's
  own bookkeeping still costs (answer: nothing measurable).
* :func:`pool2x2_forward` / :func:`pool2x2_backward` - max pooling whose windows tile the plane
  (kernel == stride == 2, no padding, even H and W: LeNet's and VGG's pools). Two pairwise
  ``np.maximum`` passes whose operands are long 1-D strided runs, instead of a ``KH*KW`` loop of
  compares + boolean-index writes on (N, C, OH, OW) views with 14-element inner loops. The
  backward routes the gradient with two bool masks (first maximum wins, as PyTorch).
* :func:`conv_in_chunks` - the VGG block's kernels on the whole batch vs chunks of images
  whose patch matrix fits in the L3 cache.
* :func:`conv_forward` / :func:`conv_backward` - stride-1 convolution whose im2col and col2im
  move whole padded rows (runs of OH*Wp floats) instead of OW-long pieces, the weight gradient
  reusing the forward's patches (no second im2col); one GEMM per product.
"""

import argparse
import os
import sys
import time

if __name__ == "__main__":   # BLAS reads the thread count when numpy is first imported
    _t = sys.argv[sys.argv.index("--threads") + 1] if "--threads" in sys.argv else "1"
    for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_v] = _t

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import as_strided  # noqa: E402

__all__ = ["tune_malloc", "set_blas_threads", "install_nograd_fast_path", "install_lean_engine",
           "pool2x2_forward", "pool2x2_backward", "conv_forward", "conv_backward"]


# -- allocator: keep freed buffers instead of returning them to the OS ----------------------
def tune_malloc(mmap_threshold=32 << 20, trim_threshold=256 << 20):
    """Make glibc serve arrays below ``mmap_threshold`` bytes from its heap and keep up to
    ``trim_threshold`` bytes of freed memory: returns True when applied (Linux/glibc only).

    By default glibc gives large blocks (>= 128 KiB at first) their own ``mmap`` and unmaps
    them on ``free``, so every fresh im2col/activation/gradient buffer of a training step is
    faulted in page by page again (zeroed by the kernel): ~1,900 minor page faults and ~5 ms of
    system time per LeNet-5 step at batch 64. PyTorch's allocator never returns them. With
    this, the same buffers are reused from the heap: no faults, no system time. The peak RSS
    is unchanged; memory freed after the peak stays mapped to the process.
    """
    import ctypes
    import ctypes.util
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3          # <malloc.h>
        return bool(libc.mallopt(m_mmap_threshold, int(mmap_threshold))
                    and libc.mallopt(m_trim_threshold, int(trim_threshold)))
    except (OSError, AttributeError):                         # not glibc: nothing to tune
        return False


# -- per-op overhead: a no-grad fast path for Tensor arithmetic ----------------------------
def install_nograd_fast_path():
    """Patch ``Tensor.__add__/__mul__`` (this process only) to skip ``Function.apply`` when
    recording is off and both operands are Tensors; return a function that undoes it.

    Backward rules run with recording off when ``create_graph=False``, so this is what their
    products and sums would cost with the fast path written into ``autograd/tensor.py``. (The
    real change must keep turning a broadcasting failure into a ShapeError.)
    """
    from autograd import grad_mode
    from autograd.tensor import Tensor
    mode, wrap = grad_mode._mode, Tensor._wrap
    saved = {"__add__": Tensor.__add__, "__mul__": Tensor.__mul__}

    def fast(slow, ufunc):
        def op(self, other):
            if not mode.enabled and other.__class__ is Tensor:
                return wrap(ufunc(self.data, other.data))
            return slow(self, other)
        return op
    Tensor.__add__ = fast(saved["__add__"], np.add)
    Tensor.__mul__ = fast(saved["__mul__"], np.multiply)

    def undo():
        for name, method in saved.items():
            setattr(Tensor, name, method)
    return undo


def install_lean_engine():
    """Patch ``autograd.engine._run`` (this process only) with a pared-down loop for the common
    case - one root, ``create_graph=False``, no ``capture`` - and return a function that undoes
    it; anything else goes to the original.

    Same semantics (hooks, shape/dtype fitting, freeing), three changes: recording is switched
    off by a plain flag instead of a context manager; non-leaf sums add ndarrays
    (``old.data + g``) without the ``add`` indirection; leaf sums are kept as ndarrays and,
    once the engine owns one, added in place (``acc += g``) instead of a new Tensor per
    contribution. Measures what the engine's bookkeeping still costs.
    """
    from autograd import engine, grad_mode
    from autograd.tensor import Tensor
    original, mode, wrap = engine._run, grad_mode._mode, Tensor._wrap
    fit, freed = engine._fit, engine._FREED

    def lean(roots, seeds, retain_graph, create_graph, accumulate_into=None, capture=None):
        if create_graph or capture is not None or len(roots) != 1 or roots[0].grad_fn is None:
            return original(roots, seeds, retain_graph, create_graph, accumulate_into, capture)
        start = roots[0].grad_fn
        pending = engine._count_consumers(roots)
        grads, leaves, ready = {start: seeds[0]}, {}, [start]
        enabled, mode.enabled = mode.enabled, False
        try:
            while ready:
                node = ready.pop()
                g = grads.pop(node)
                if node._hooks:
                    g = engine._call_hooks(node._hooks, g)
                in_grads = node.backward(node, g)
                if in_grads.__class__ is not tuple:
                    in_grads = (in_grads,)
                if len(in_grads) != len(node.inputs):
                    raise engine.BackwardError(f"{type(node).__name__}.backward returned "
                                               f"{len(in_grads)} gradients")
                for inp, need, gi in zip(node.inputs, node.needs_input_grad, in_grads):
                    if not need or gi is None:
                        continue
                    gd, xd = gi.data, inp.data
                    if (gi.__class__ is not Tensor or gd.shape != xd.shape
                            or gd.dtype is not xd.dtype):
                        gi = fit(node, inp, gi)
                        gd = gi.data
                    parent = inp.grad_fn
                    if parent is None:
                        entry = leaves.get(id(inp))
                        if entry is None:
                            leaves[id(inp)] = [inp, gd, False]
                        elif entry[2]:
                            entry[1] += gd                 # our own buffer: add in place
                        else:
                            entry[1], entry[2] = entry[1] + gd, True
                        continue
                    old = grads.get(parent)
                    grads[parent] = gi if old is None else wrap(old.data + gd)
                    left = pending[parent] - 1
                    pending[parent] = left
                    if left == 0:
                        ready.append(parent)
                if not retain_graph:
                    node._saved = freed
            for key, (leaf, acc, owned) in leaves.items():
                if accumulate_into is None or key in accumulate_into:
                    engine._accumulate(leaf, wrap(acc), False, owned)
        finally:
            mode.enabled = enabled
        return None

    engine._run = lean
    return lambda: setattr(engine, "_run", original)


def _chain_us_per_op(ag, links=1000):
    """CPU us per op of ``links`` x ``y = y * b + c`` forward + backward on 1-element tensors."""
    x, seed = ag.tensor(np.ones(1, np.float32)), ag.tensor(np.ones(1, np.float32))
    b = ag.tensor(np.full(1, 0.5, np.float32), requires_grad=True)
    c = ag.tensor(np.full(1, 0.1, np.float32), requires_grad=True)

    def run():
        b.grad = c.grad = None
        y = x
        for _ in range(links):
            y = y * b + c
        y.backward(seed)
    run()
    best = float("inf")
    for _ in range(7):
        start = time.process_time()
        for _ in range(3):
            run()
        best = min(best, (time.process_time() - start) / 3)
    return best / (2 * links) * 1e6


# -- BLAS threads at run time ------------------------------------------------------------------
def set_blas_threads(n):
    """Set the thread count of numpy's bundled OpenBLAS now (no restart); returns the previous
    count, or None when numpy is not linked to a scipy-openblas we can find.

    For a size-based policy in the GEMM wrappers: small products (LeNet's: < ~50 MFLOP) on one
    thread, large ones (VGG's) on all. OpenBLAS syncs its threads at the end of every call, so
    a second thread that the OS has lent to another process makes *every* small GEMM wait.
    """
    import ctypes
    import glob
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs",
                                  "libscipy_openblas*.so*"))
    if not libs:
        return None
    lib = ctypes.CDLL(libs[0])
    get = getattr(lib, "scipy_openblas_get_num_threads64_", None)
    put = getattr(lib, "scipy_openblas_set_num_threads64_", None)
    if get is None or put is None:
        return None
    previous = get()
    put(int(n))
    return previous


# -- 2x2/2 max pooling -----------------------------------------------------------------------
def pool2x2_forward(x):
    """Max over each 2x2 window of ``x`` (N, C, H, W), H and W even, at stride 2.

    Returns (out (N, C, H/2, W/2), (right, low)): the bool masks the backward needs - for
    each horizontal pair whether its right element is the larger, and for each window
    whether its bottom row's maximum beats the top row's (strict ``>``: the first maximum in
    row-major order wins ties, as PyTorch).
    """
    n, c, h, w = x.shape
    pairs = x.reshape(-1, 2)                        # (left, right) along W: long 1-D runs
    right = pairs[:, 1] > pairs[:, 0]
    rows = np.maximum(pairs[:, 0], pairs[:, 1]).reshape(n * c * h // 2, 2, w // 2)
    low = rows[:, 1] > rows[:, 0]
    out = np.maximum(rows[:, 0], rows[:, 1])
    return out.reshape(n, c, h // 2, w // 2), (right, low)


def pool2x2_backward(g, masks, shape):
    """Gradient of :func:`pool2x2_forward`: ``g`` (N, C, H/2, W/2) to each window's maximum."""
    right, low = masks
    n, c, h, w = shape
    g = g.reshape(n * c * h // 2, w // 2)
    rows = np.empty((n * c * h // 2, 2, w // 2), dtype=g.dtype)
    np.multiply(g, ~low, out=rows[:, 0])
    np.multiply(g, low, out=rows[:, 1])
    rows = rows.reshape(-1)
    out = np.empty((rows.size, 2), dtype=g.dtype)
    np.multiply(rows, ~right, out=out[:, 0])
    np.multiply(rows, right, out=out[:, 1])
    return out.reshape(shape)


# -- convolution (stride 1, groups 1) ---------------------------------------------------------
def _flat_cols(x, k, pad):
    """im2col with whole padded rows: (C*k*k, N*OH*Wp) where every (c, i, j, n) is ONE
    contiguous run of OH*Wp values of the flattened padded plane, shifted by i*Wp + j.

    For stride 1, y[h, w] reads xp[h + i, w + j] = flat[(h*Wp + w) + (i*Wp + j)], so computing
    the output on the flattened (OH, Wp) grid turns each patch row into a plain shift; the
    Wp - OW extra columns per row are garbage that the caller drops. The copy then moves runs of
    OH*Wp floats (140 for LeNet conv2) instead of OW (10): ~3x faster for small images, for
    Wp/OW extra GEMM work (1.14x on LeNet conv1, 1.4x on conv2, 1.04x on the VGG block).
    """
    n, c, h, w = x.shape
    hp, wp = h + 2 * pad, w + 2 * pad
    oh = hp - k + 1
    flat = np.zeros((n, c, hp * wp + k - 1), dtype=x.dtype)   # k-1 spare: last shifted run
    flat[:, :, :hp * wp].reshape(n, c, hp, wp)[:, :, pad:pad + h, pad:pad + w] = x
    sn, sc, se = flat.strides
    view = as_strided(flat, (c, k, k, n, oh * wp), (sc, wp * se, se, sn, se), writeable=False)
    return np.ascontiguousarray(view).reshape(c * k * k, n * oh * wp)


def conv_forward(x, w, b, pad):
    """y = conv2d(x, w, b, padding=pad), NCHW, stride 1; returns (y, cols): keep the cols for
    the weight gradient (saves the second im2col the current backward does)."""
    o, c, k, _ = w.shape
    n, _, h, wd = x.shape
    oh, ow, wp = h + 2 * pad - k + 1, wd + 2 * pad - k + 1, wd + 2 * pad
    cols = _flat_cols(x, k, pad)
    y = (w.reshape(o, -1) @ cols).reshape(o, n, oh, wp)          # one GEMM
    out = np.empty((n, o, oh, ow), dtype=x.dtype)
    y = y.transpose(1, 0, 2, 3)[..., :ow]                          # drop garbage columns
    if b is None:
        np.copyto(out, y)
    else:
        np.add(y, b[:, None, None], out=out)
    return out, cols


def conv_backward(g, x_shape, w, cols, pad, need_x=True):
    """(dx, dw, db) of :func:`conv_forward` given ``g`` (N, O, OH, OW) and the saved cols.

    dw = g cols^T and dx = col2im(w^T g) on the same flattened grid as the forward (``g`` is
    widened to OH x Wp with zeros, so the garbage columns contribute nothing); the col2im is
    k*k adds of contiguous OH*Wp runs.
    """
    n, c, h, wd = x_shape
    o, _, k, _ = w.shape
    oh, ow = g.shape[2:]
    hp, wp = h + 2 * pad, wd + 2 * pad
    wide = np.zeros((o, n, oh, wp), dtype=g.dtype)
    wide[..., :ow] = g.transpose(1, 0, 2, 3)
    wide = wide.reshape(o, -1)
    db = g.sum(axis=(0, 2, 3))
    dw = (wide @ cols.T).reshape(w.shape)
    if not need_x:
        return None, dw, db
    dcols = (w.reshape(o, -1).T @ wide).reshape(c, k, k, n, oh * wp)
    flat = np.zeros((c, n, hp * wp + k - 1), dtype=g.dtype)
    run = oh * wp
    for i in range(k):                  # col2im: one contiguous-run add per kernel offset
        for j in range(k):
            flat[:, :, i * wp + j:i * wp + j + run] += dcols[:, i, j]
    dx = flat[:, :, :hp * wp].reshape(c, n, hp, wp)[:, :, pad:pad + h, pad:pad + wd]
    return np.ascontiguousarray(dx.transpose(1, 0, 2, 3)), dw, db


# -- two threads for numpy's memory-bound work? -----------------------------------------------
def split_two_threads():
    """Time conv2's im2col copy and a 64x6x28x28 ReLU on one thread and split in halves over a
    2-worker thread pool (numpy releases the GIL inside copies and ufunc loops)."""
    from concurrent.futures import ThreadPoolExecutor
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 6, 14, 14)).astype(np.float32)
    flat = np.zeros((64, 6, 14 * 14 + 4), np.float32)
    flat[:, :, :196] = x.reshape(64, 6, 196)
    sn, sc, se = flat.strides
    view = as_strided(flat, (6, 5, 5, 64, 10 * 14), (sc, 14 * se, se, sn, se), writeable=False)
    cols = np.empty(view.shape, np.float32)
    big = rng.standard_normal((64, 6, 28, 28)).astype(np.float32)
    out = np.empty_like(big)
    with ThreadPoolExecutor(2) as pool:
        def halves(fn, a, b):
            job = pool.submit(fn, a[0], b[0])
            fn(a[1], b[1])
            job.result()
        copy_1 = _best(lambda: np.copyto(cols, view), 20, 9)
        copy_2 = _best(lambda: halves(np.copyto, (cols[:3], cols[3:]), (view[:3], view[3:])),
                       20, 9)
        relu = lambda o, a: np.maximum(a, 0, out=o)  # noqa: E731
        relu_1 = _best(lambda: relu(out, big), 20, 9)
        relu_2 = _best(lambda: halves(relu, (out[:32], out[32:]), (big[:32], big[32:])), 20, 9)
    print(f"conv2 im2col copy: {copy_1 * 1e3:.3f} ms on 1 thread, {copy_2 * 1e3:.3f} ms split "
          f"over 2; ReLU 64x6x28x28: {relu_1 * 1e3:.3f} vs {relu_2 * 1e3:.3f} ms (wall)")


# -- big convolutions: the batch in cache-sized chunks ----------------------------------------
def conv_in_chunks(images_per_chunk=(16, 4, 2, 1)):
    """Time the VGG block's forward + backward kernels (``autograd.ops.conv``'s numpy functions)
    on the whole batch of 16 and on chunks of images, summing the filter gradient over chunks.

    The whole batch's patch matrix is 576 x 16*56*58 floats = 120 MB, so im2col writes it to
    memory and the GEMM reads it back; one image's (7.5 MB) stays in the 32 MB L3 cache.
    Uses the kernels' current signatures; prints "skipped" if they changed.
    """
    try:
        from autograd import _windows as win
        from autograd.ops import conv as ops
        rng = np.random.default_rng(0)
        x = rng.standard_normal((16, 64, 56, 56)).astype(np.float32)
        g = rng.standard_normal((16, 64, 56, 56)).astype(np.float32)
        w = (rng.standard_normal((64, 64, 3, 3)) / 24).astype(np.float32)
        b = rng.standard_normal(64).astype(np.float32)
        geo = win.conv_geometry("conv2d", (56, 56), (3, 3), (1, 1), (1, 1), (1, 1), 1)

        def run(chunk):
            """Forward over all chunks, then backward over all chunks (as autograd runs them),
            rebuilding the patches in backward (as conv.py does for patch matrices > 32 MB)."""
            parts = range(0, len(x), chunk)
            for i in parts:
                ops.conv_forward(x[i:i + chunk], w, geo, b)
            dw = np.zeros_like(w)
            for i in parts:
                xc, gc = x[i:i + chunk], g[i:i + chunk]
                ops.conv_input_grad(gc, w, geo)
                dw += ops.conv_weight_grad(xc, gc, geo, w.shape)
        times = []
        for chunk in images_per_chunk:
            run(chunk)
            best = float("inf")
            for _ in range(3):
                start = time.process_time()
                run(chunk)
                best = min(best, time.process_time() - start)
            times.append(f"{chunk} images: {best * 1e3:.0f} ms")
        print("VGG block fwd+bwd kernels by chunk of the batch (CPU): " + ", ".join(times))
    except (AttributeError, TypeError) as exc:
        print(f"VGG chunk timing skipped: the conv kernels' internals changed ({exc})")


# -- check and time ---------------------------------------------------------------------------
CASES = [("LeNet conv1", (64, 1, 28, 28), 6, 5, 2), ("LeNet conv2", (64, 6, 14, 14), 16, 5, 0),
         ("VGG block", (16, 64, 56, 56), 64, 3, 1)]


def _best(fn, number=5, repeat=5):
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", default="1")
    p.parse_args(argv)
    sys.path[:0] = [os.path.dirname(os.path.dirname(os.path.abspath(__file__)))]
    import autograd as ag
    try:
        import torch
        torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))
    except ImportError:
        torch = None
    rng = np.random.default_rng(0)
    print("case | prototype | ours (autograd) | PyTorch   (best of 5x5, ms, fwd+bwd)")
    for name, shape, o, k, pad in CASES:
        x = rng.standard_normal(shape).astype(np.float32)
        w = (rng.standard_normal((o, shape[1], k, k)) / k).astype(np.float32)
        b = rng.standard_normal(o).astype(np.float32)
        y, cols = conv_forward(x, w, b, pad)
        g = rng.standard_normal(y.shape).astype(np.float32)
        proto = lambda: conv_backward(g, x.shape, w, conv_forward(x, w, b, pad)[1], pad)  # noqa
        ts = [ag.tensor(a, requires_grad=True) for a in (x, w, b)]
        gt = ag.tensor(g)

        def ours():
            for t in ts:
                t.grad = None
            ag.conv2d(*ts, padding=pad).backward(gt)
        line = f"conv2d {name} | {_best(proto) * 1e3:.2f} | {_best(ours) * 1e3:.2f}"
        if torch is not None:
            tt = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
            ty = torch.nn.functional.conv2d(*tt, padding=pad)
            ty.backward(torch.from_numpy(g))
            dx, dw, db = conv_backward(g, x.shape, w, cols, pad)
            for mine, ref in ((y, ty), (dx, tt[0].grad), (dw, tt[1].grad), (db, tt[2].grad)):
                ref = ref.detach().numpy()
                assert np.allclose(mine, ref, rtol=1e-3, atol=1e-3 * np.abs(ref).max()), name

            def theirs():
                for t in tt:
                    t.grad = None
                torch.nn.functional.conv2d(*tt, padding=pad).backward(torch.from_numpy(g))
            line += f" | {_best(theirs) * 1e3:.2f}"
        print(line)

    x = rng.standard_normal((64, 6, 28, 28)).astype(np.float32)
    x[:, :, ::7, ::5] = 1.0          # plant ties: the first maximum must get the gradient
    out, masks = pool2x2_forward(x)
    g = rng.standard_normal(out.shape).astype(np.float32)
    proto = lambda: pool2x2_backward(g, pool2x2_forward(x)[1], x.shape)  # noqa: E731
    xt, gt = ag.tensor(x, requires_grad=True), ag.tensor(g)

    def ours():
        xt.grad = None
        ag.max_pool2d(xt, 2, 2).backward(gt)
    line = f"max_pool2d 2x2/2 64x6x28x28 | {_best(proto) * 1e3:.2f} | {_best(ours) * 1e3:.2f}"
    if torch is not None:
        tx = torch.tensor(x, requires_grad=True)
        ty = torch.nn.functional.max_pool2d(tx, 2, 2)
        ty.backward(torch.from_numpy(g))
        assert np.array_equal(out, ty.detach().numpy())
        assert np.array_equal(pool2x2_backward(g, masks, x.shape), tx.grad.numpy())

        def theirs():
            tx.grad = None
            torch.nn.functional.max_pool2d(tx, 2, 2).backward(torch.from_numpy(g))
        line += f" | {_best(theirs) * 1e3:.2f}"
    print(line)
    if torch is not None:
        print("all prototype results equal PyTorch's (conv to 1e-3 relative, pooling exactly)")
    split_two_threads()
    conv_in_chunks()
    before = _chain_us_per_op(ag)
    undo = install_nograd_fast_path()
    fast = _chain_us_per_op(ag)
    undo_engine = install_lean_engine()
    both = _chain_us_per_op(ag)
    undo()
    lean = _chain_us_per_op(ag)
    undo_engine()
    print(f"op chain 1-element fwd+bwd, CPU us/op: {before:.2f} as is, {fast:.2f} with the "
          f"no-grad fast path, {lean:.2f} with the lean engine loop, {both:.2f} with both")


if __name__ == "__main__":
    main()
