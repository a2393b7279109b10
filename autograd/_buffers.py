"""Work buffers for the conv and pool kernels, kept between calls.

A training step allocates the same few-megabyte temporaries (padded inputs, patch matrices,
Winograd tiles) at every call. Fresh ones cost page faults and the kernel zeroing each page
unless glibc is tuned to keep freed blocks (``autograd/_alloc.py``, opt-in), so the kernels
borrow them from here instead.

Rules that keep this exact:

* ``take`` hands out a buffer that nobody else holds: it is removed from the pool until
  ``give`` puts it back. Its contents are garbage (``zeros`` clears it).
* A kernel gives back only buffers (and views of them) that it no longer references and that
  never became a Tensor's storage or a result: results are always fresh arrays.
* The pool is bounded (``limit`` bytes, 64 MiB by default); when full, the least recently
  returned buffers are dropped (freed) first, and a buffer larger than ``limit`` is never kept.

Thread-safe: one lock around the free lists (the kernels' worker threads borrow too).
"""

import threading
from collections import OrderedDict

import numpy as np

__all__ = ["take", "zeros", "give", "set_limit", "clear", "held_bytes"]

_lock = threading.Lock()
_free = OrderedDict()          # (shape, dtype) -> list of arrays, least recently given first
_state = {"bytes": 0, "limit": 64 * 2**20}


def take(shape, dtype):
    """A C-contiguous array of ``shape`` and ``dtype`` with arbitrary contents."""
    key = (tuple(int(s) for s in shape), np.dtype(dtype))
    with _lock:
        stack = _free.get(key)
        if stack:
            buf = stack.pop()
            _state["bytes"] -= buf.nbytes
            if not stack:
                del _free[key]
            return buf
    return np.empty(key[0], key[1])


def zeros(shape, dtype):
    """``take`` and fill with zeros."""
    buf = take(shape, dtype)
    buf.fill(0)
    return buf


def give(*buffers):
    """Return buffers from ``take`` (None is ignored). The caller must hold no other
    reference to them or their views that it still uses."""
    with _lock:
        for buf in buffers:
            if buf is None or buf.nbytes > _state["limit"] or buf.nbytes == 0:
                continue
            key = (buf.shape, buf.dtype)
            _free.setdefault(key, []).append(buf)
            _free.move_to_end(key)
            _state["bytes"] += buf.nbytes
        while _state["bytes"] > _state["limit"]:
            key, stack = next(iter(_free.items()))
            _state["bytes"] -= stack.pop(0).nbytes
            if not stack:
                del _free[key]


def set_limit(nbytes):
    """Keep at most ``nbytes`` of free buffers (0 keeps none); returns the previous limit."""
    with _lock:
        old, _state["limit"] = _state["limit"], int(nbytes)
    give()                     # trims to the new limit
    return old


def clear():
    """Drop every kept buffer."""
    with _lock:
        _free.clear()
        _state["bytes"] = 0


def held_bytes():
    """Bytes of free buffers currently kept."""
    return _state["bytes"]
