"""autograd._parallel: the small thread pool the conv/pool kernels split their numpy passes
over (slices cover the range once, results in order, errors re-raised, no nesting, lazy)."""

import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import _parallel


@given(st.integers(0, 50), st.integers(1, 6), st.integers(1, 4))
def test_split_covers_the_range_once(n, parts, align):
    bounds = _parallel.split(n, parts, align)
    assert len(bounds) <= parts
    covered = [i for a, b in bounds for i in range(a, b)]
    assert covered == list(range(n))
    assert all((b - a) % align == 0 for a, b in bounds[:-1])


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_map_batches_runs_every_slice_and_keeps_order(threads):
    seen, lock = [], threading.Lock()

    def fn(a, b):
        with lock:
            seen.append((a, b, threading.current_thread().name))
        return list(range(a, b))
    with _parallel.threads(threads):
        parts = _parallel.map_batches(fn, 10)
    assert [i for part in parts for i in part] == list(range(10))
    assert len(parts) == min(threads, 10)
    names = {name for *_, name in seen}     # the caller's share and the pool's workers
    assert threading.current_thread().name in names
    assert all(name.startswith("autograd") for name in names - {threading.current_thread().name})
    assert len(names) == min(threads, 2) or threads > 2


def test_map_batches_item_size_keeps_small_work_on_the_calling_thread():
    with _parallel.threads(2):
        idents = _parallel.map_batches(lambda a, b: threading.get_ident(), 8,
                                       item_size=_parallel.MIN_SHARE // 8)
        assert idents == [threading.get_ident()]       # 8 items = one share's worth
        assert len(_parallel.map_batches(lambda a, b: b - a, 8,
                                         item_size=_parallel.MIN_SHARE)) == 2
    assert _parallel.map_batches(lambda a, b: 1, 0) == []


def test_errors_are_reraised_after_every_slice_finished():
    done = []

    def fn(a, b):
        if a == 0:
            raise KeyError("first slice")
        done.append(a)
    with _parallel.threads(3), pytest.raises(KeyError, match="first slice"):
        _parallel.map_batches(fn, 9)
    assert sorted(done) == [3, 6]


def test_nested_calls_run_inline():
    with _parallel.threads(2):
        inner = _parallel.map_batches(
            lambda a, b: _parallel.map_batches(lambda c, d: (c, d), 4), 2)
    assert inner == [[(0, 4)], [(0, 4)]]


def test_numpy_work_runs_on_two_threads_and_equals_one_thread():
    x = np.random.default_rng(0).standard_normal((64, 1000))
    outs = []
    for threads in (1, 2):
        out = np.empty_like(x)
        with _parallel.threads(threads):
            _parallel.map_batches(lambda a, b: np.exp(x[a:b], out=out[a:b]), 64, item_size=1000)
        outs.append(out)
    np.testing.assert_array_equal(outs[0], outs[1])


def test_set_num_threads_validates_and_returns_the_previous_setting():
    old = _parallel.set_num_threads(3)
    try:
        assert _parallel.num_threads() == 3
        assert _parallel.set_num_threads(None) == 3
        assert _parallel.num_threads() >= 1                 # from threadpoolctl again
        for bad in (0, -1, 1.5, True, "2"):
            with pytest.raises(ValueError, match="positive int"):
                _parallel.set_num_threads(bad)
    finally:
        _parallel.set_num_threads(old)


def test_default_follows_the_blas_thread_count():
    from threadpoolctl import threadpool_limits
    old = _parallel.set_num_threads(None)
    try:
        with threadpool_limits(1, user_api="blas"):
            _parallel.set_num_threads(None)                 # forget the cached count
            assert _parallel.num_threads() == 1
    finally:
        _parallel.set_num_threads(old)


def test_blas_limit_limits_and_restores():
    from threadpoolctl import threadpool_info

    def blas():
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    before = blas()
    with _parallel.blas_limit(1):
        assert all(n == 1 for n in blas())
    assert blas() == before


def test_import_starts_no_threads_and_sets_no_environment():
    code = ("import os, threading; env = dict(os.environ); import autograd, nn; "
            "import autograd._parallel; print(threading.active_count(), env == dict(os.environ))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["1", "True"]


def test_overlapping_blas_limits_restore_once_the_last_exits():
    from threadpoolctl import threadpool_info

    def blas():
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    before = blas()
    outer = _parallel.blas_limit(1)
    outer.__enter__()
    inner_done = threading.Event()

    def other_thread():
        with _parallel.blas_limit(1):
            pass
        inner_done.set()
    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert inner_done.is_set() and all(n == 1 for n in blas())   # still limited: outer open
    outer.__exit__(None, None, None)
    assert blas() == before
    with pytest.raises(ValueError, match="only a limit of 1"):
        _parallel.blas_limit(2)
