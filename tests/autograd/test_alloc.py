"""Importing the framework changes nothing process-wide; the allocator setting is opt-in."""

import subprocess
import sys

import pytest

import autograd as ag

_PROBE = r"""
import ctypes, os, threading, warnings
import numpy as np
loaded = []
real_cdll = ctypes.CDLL
ctypes.CDLL = lambda *a, **k: loaded.append(a) or real_cdll(*a, **k)
before = (threading.active_count(), list(warnings.filters), np.geterr(), dict(os.environ))
import autograd, nn, viz  # noqa: E401,F401
after = (threading.active_count(), list(warnings.filters), np.geterr(), dict(os.environ))
assert not loaded, loaded                 # no libc loaded: no mallopt
assert before == after, [b for b, a in zip(before, after) if b != a]
print("ok")
"""


def test_importing_changes_nothing_process_wide():
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_tune_allocator_is_an_explicit_call_that_applies_on_glibc():
    code = "import autograd; print(autograd.tune_allocator())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def test_tune_allocator_is_public():
    assert callable(ag.tune_allocator)
