"""The allocator setting applied at import (autograd/_alloc.py) and its opt-out."""

import os
import subprocess
import sys

import pytest


def _applied(env_extra):
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRAD_NO_MALLOPT"}
    env.update(env_extra)
    out = subprocess.run([sys.executable, "-c", "import autograd._alloc as a; print(a.applied)"],
                         env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_applied_on_linux_and_opt_out_leaves_malloc_alone():
    assert _applied({}) == "True"
    assert _applied({"AUTOGRAD_NO_MALLOPT": "1"}) == "False"
