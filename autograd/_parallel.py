"""A small thread pool for the numpy passes that BLAS does not parallelise.

numpy runs copies, ufunc loops and reductions on the calling thread, and releases the GIL
inside them, so a few Python threads each running numpy on a disjoint slice of the work get
real parallelism. The conv and pool kernels split their memory-bound passes (im2col, col2im,
Winograd transforms, pooling) with ``map_batches``; any large elementwise op can do the same.

Nothing happens on import. The pool is created on first use, with ``num_threads() - 1``
workers (the calling thread does one share itself). ``num_threads()`` is the explicit
``set_num_threads(n)`` if one was made, else the number of threads of numpy's BLAS as
``threadpoolctl`` reports it when first asked (so ``OPENBLAS_NUM_THREADS=1`` or a
``threadpoolctl.threadpool_limits(1)`` in force at that moment gives one thread), capped at
``os.cpu_count()``. ``set_num_threads(None)`` goes back to asking threadpoolctl.

``blas_limit(1)`` limits BLAS to one thread inside a ``with`` block (threadpoolctl, this
process, restored after): ``map_gemm_batches`` uses it where the pool's workers call BLAS
themselves, so that two workers do not each start BLAS threads on a 2-core machine.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

__all__ = ["num_threads", "set_num_threads", "threads", "map_batches", "map_gemm_batches", "split",
           "blas_limit", "MIN_SHARE"]

_lock = threading.Lock()
_inside = threading.local()    # set while a thread runs a share of map_batches: no nesting
_state = {"explicit": None, "default": None, "executor": None, "workers": 0,
          "controller": None, "limited": 0}


def _blas_threads():
    """The largest thread count among numpy's BLAS libraries (1 when none is found)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:          # threadpoolctl missing: run the numpy passes on one thread
        return 1
    counts = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    return max(counts, default=1)


def num_threads():
    """Threads the kernels split their numpy passes over (>= 1; see the module docstring)."""
    if _state["explicit"] is not None:
        return _state["explicit"]
    if _state["default"] is None:
        with _lock:
            if _state["default"] is None:
                _state["default"] = max(1, min(_blas_threads(), os.cpu_count() or 1))
    return _state["default"]


def set_num_threads(n):
    """Use ``n`` threads (an int >= 1) from now on, or ``None`` to ask threadpoolctl again.
    Returns the previous setting (an int or None), for restoring it."""
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
        raise ValueError(f"set_num_threads: expected a positive int or None, got {n!r}")
    with _lock:
        old, _state["explicit"] = _state["explicit"], n
        _state["default"] = None
    return old


@contextmanager
def threads(n):
    """``with threads(n):`` the kernels split their passes over ``n`` threads inside the
    block (``set_num_threads``, restored after; BLAS is not changed)."""
    old = set_num_threads(n)
    try:
        yield
    finally:
        set_num_threads(old)


def _executor(workers):
    with _lock:
        if _state["workers"] < workers:
            old = _state["executor"]
            _state["executor"] = ThreadPoolExecutor(workers, thread_name_prefix="autograd")
            _state["workers"] = workers
            if old is not None:
                old.shutdown(wait=False)
        return _state["executor"]


def split(n, parts, align=1):
    """``[start, stop)`` bounds cutting ``range(n)`` into at most ``parts`` near-equal slices,
    each a multiple of ``align`` long except the last (empty list for n == 0)."""
    if n <= 0:
        return []
    parts = max(1, min(parts, -(-n // align)))
    step = -(-n // (parts * align)) * align
    return [(a, min(a + step, n)) for a in range(0, n, step)]


#: A thread's share of a split pass is at least this many array elements. Measured here (2
#: cores): a hand-off costs 13-22 us, and memory-bound passes scale poorly (a ReLU over 300k
#: floats: 95 us on one thread, 79-109 us in two shares), so LeNet-sized passes (LeNet conv2's
#: whole forward + backward got slower, 1.7 -> 2.6 ms) stay on the calling thread.
MIN_SHARE = 2**20


def map_batches(fn, n, item_size=None, threads=None):
    """Call ``fn(start, stop)`` on contiguous slices covering ``range(n)``, in parallel.

    Parameters
    ----------
    fn : callable (start, stop) -> any
        Works on items ``start:stop`` only (disjoint outputs: no two calls write the same
        memory). It should spend its time in numpy calls that release the GIL.
    n : int
        Number of items (batch images, channels, rows of tiles, ...).
    item_size : int, optional
        Array elements one item moves: each slice gets at least ``MIN_SHARE`` elements'
        worth of items, so small passes stay on the calling thread. None: every item is
        worth a thread of its own (e.g. chunks of a large conv).
    threads : int, optional
        At most this many slices (default ``num_threads()``).

    Returns
    -------
    list of the results, in slice order. An exception raised by any call is re-raised here
    after every call has finished.
    """
    bounds = _bounds(n, item_size, threads)
    if not bounds:
        return []
    if len(bounds) == 1:
        return [fn(0, n)]
    pool = _executor(len(bounds) - 1)
    futures = [pool.submit(_share, fn, a, b) for a, b in bounds[1:]]
    try:
        first = _share(fn, *bounds[0])
    finally:
        rest = [f.exception() for f in futures]       # wait for every slice
    for error in rest:
        if error is not None:
            raise error
    return [first] + [f.result() for f in futures]


def _bounds(n, item_size, threads):
    """The slices ``map_batches`` runs: one (or none) when nested or when small."""
    if getattr(_inside, "flag", False):        # inside a share already: no nesting
        return [(0, n)] if n else []
    min_size = 1 if item_size is None else -(-MIN_SHARE // max(1, item_size))
    return split(n, min(threads or num_threads(), max(1, n // min_size)))


def map_gemm_batches(fn, n, item_size=None):
    """``map_batches(fn, n, item_size)`` for work whose GEMMs are the parallelism: while
    several shares run, numpy's BLAS is limited to one thread (each share's GEMMs run on its
    own thread)."""
    if len(_bounds(n, item_size, None)) <= 1:
        return [fn(0, n)] if n else []
    with blas_limit(1):
        return map_batches(fn, n, item_size)


def _share(fn, start, stop):
    _inside.flag = True
    try:
        return fn(start, stop)
    finally:
        _inside.flag = False


class blas_limit:
    """``with blas_limit(1):`` numpy's BLAS uses one thread inside the block (process-wide:
    threadpoolctl; restored when the last of overlapping blocks, e.g. from two user threads,
    exits). Only 1 is supported: several blocks at once must agree on the limit."""

    def __init__(self, n=1):
        if n != 1:
            raise ValueError(f"blas_limit: only a limit of 1 is supported, got {n!r}")

    def __enter__(self):
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            return self
        with _lock:
            if _state["controller"] is None:
                _state["controller"] = ThreadpoolController()
            if _state["limited"] == 0:
                _state["limiter"] = _state["controller"].limit(limits=1, user_api="blas")
            _state["limited"] += 1
        return self

    def __exit__(self, *exc):
        with _lock:
            if _state["limited"]:
                _state["limited"] -= 1
                if _state["limited"] == 0:
                    _state.pop("limiter").restore_original_limits()
        return False
