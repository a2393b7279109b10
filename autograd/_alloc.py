"""``tune_allocator()``: ask glibc to keep large numpy buffers between training steps (opt-in).

By default glibc gives every block above 128 KiB its own ``mmap`` and unmaps it on ``free``, so
the im2col matrices, activations and gradients a training step allocates are faulted in page by
page (and zeroed by the kernel) again at every step (measured: ~1,400-1,900 minor page faults
and ~5 ms of system time per LeNet-5 step at batch 64 before the kernels kept their own
buffers). PyTorch's caching allocator keeps its blocks; this asks glibc to do the same for
blocks under 32 MiB, and to keep up to 256 MiB of freed memory before trimming.

It changes the allocator of the whole process, so importing ``autograd`` never calls it: a
program (the examples, the benchmark) calls ``autograd.tune_allocator()`` itself.
"""

import ctypes
import ctypes.util
import sys

__all__ = ["tune_allocator"]

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3          # from <malloc.h>


def tune_allocator(mmap_threshold=32 << 20, trim_threshold=256 << 20):
    """Raise glibc's mmap and trim thresholds (bytes) for this process. Process-wide and not
    undoable: call it from a program, not from a library.

    Returns
    -------
    bool
        True when applied (Linux with glibc), False elsewhere.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, int(mmap_threshold))
                    and libc.mallopt(_M_TRIM_THRESHOLD, int(trim_threshold)))
    except (OSError, AttributeError):                   # not glibc: nothing to tune
        return False
