"""autograd._buffers: the per-shape pool of work buffers (exclusive hand-out, reuse, the byte
bound, thread safety)."""

import threading

import numpy as np
import pytest

from autograd import _buffers as buffers


@pytest.fixture(autouse=True)
def empty_pool():
    buffers.clear()
    old = buffers.set_limit(64 * 2**20)
    yield
    buffers.set_limit(old)
    buffers.clear()


def test_take_hands_out_distinct_buffers_until_given_back():
    a = buffers.take((3, 4), np.float32)
    b = buffers.take((3, 4), np.float32)
    assert a is not b and not np.shares_memory(a, b)
    assert a.flags.c_contiguous and a.dtype == np.float32 and a.shape == (3, 4)
    buffers.give(a)
    assert buffers.held_bytes() == a.nbytes
    assert buffers.take((3, 4), np.float32) is a              # reused
    assert buffers.take((3, 4), np.float32) is not a          # handed out: not twice
    assert buffers.take((3, 4), np.float64) is not b          # keyed by dtype too


def test_zeros_clears_a_reused_buffer():
    a = buffers.take((5,), np.float64)
    a[:] = 7
    buffers.give(a)
    z = buffers.zeros((5,), np.float64)
    assert z is a and (z == 0).all()


def test_the_pool_is_bounded_in_bytes_oldest_dropped_first():
    buffers.set_limit(1000)
    old, new = np.empty(100, np.float32), np.empty(100, np.float32)   # 400 bytes each
    big = np.empty(2000, np.uint8)
    buffers.give(old, new, big, None)
    assert buffers.held_bytes() == 800                        # big was never kept
    buffers.give(np.empty(60, np.float32))                    # 240 more: over the limit
    assert buffers.held_bytes() == 640
    assert buffers.take((100,), np.float32) is new            # the older one was dropped
    buffers.set_limit(0)
    assert buffers.held_bytes() == 0


def test_concurrent_takers_never_share_a_buffer():
    for _ in range(8):
        buffers.give(np.empty((64, 64), np.float32))
    held, lock = [], threading.Lock()

    def worker():
        for _ in range(200):
            a = buffers.take((64, 64), np.float32)
            with lock:
                assert all(a is not b for b in held)
                held.append(a)
            with lock:
                held.remove(a)
            buffers.give(a)
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert held == [] and buffers.held_bytes() <= 64 * 2**20
