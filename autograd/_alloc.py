"""Keep large numpy buffers in the process heap between training steps (glibc only).

By default glibc gives every block above 128 KiB its own ``mmap`` and unmaps it on ``free``, so
the im2col matrices, activations and gradients a training step allocates are faulted in page by
page (and zeroed by the kernel) again at every step: ~1,400-1,900 minor page faults and ~5 ms of
system time per LeNet-5 step at batch 64, a third of the step (measured: ``bench/run.py
--profile lenet``). PyTorch's caching allocator keeps its blocks; this asks glibc to do the
same for blocks under 32 MiB, and to keep up to 256 MiB of freed memory before trimming.

It is process-wide, applied once when ``autograd`` is imported on Linux with glibc; set
``AUTOGRAD_NO_MALLOPT=1`` before importing to leave the allocator alone.
"""

import ctypes
import ctypes.util
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3          # from <malloc.h>


def tune_malloc(mmap_threshold=32 << 20, trim_threshold=256 << 20):
    """Raise glibc's mmap and trim thresholds (bytes). Returns True when applied."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, int(mmap_threshold))
                    and libc.mallopt(_M_TRIM_THRESHOLD, int(trim_threshold)))
    except (OSError, AttributeError):                   # not glibc: nothing to tune
        return False


applied = False if os.environ.get("AUTOGRAD_NO_MALLOPT") else tune_malloc()
