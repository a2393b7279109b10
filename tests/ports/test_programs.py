"""PyTorch programs of the kinds people write (tests/ports/programs/: a ConvNet trained like
the MNIST example, a regression with manual ``.data`` updates, a custom autograd Function, a
DCGAN + VAE), each ported by ``autograd.port`` and run end to end in a subprocess.

Each program sets its data and weights from formulas, so it prints the same numbers under
PyTorch: tests/ports/expected/NAME.torch.txt is that output (torch 2.13, recorded with
``/work/torchref/bin/python tests/ports/programs/NAME.py``), and the port must print exactly
it, with ``torch.`` read as ``autograd.`` (``torch.Size`` is ``autograd.Size`` here)."""

import os
import subprocess
import sys

import pytest

from autograd.port import check_port, port_file

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = ["convnet_train", "regression_fit", "custom_function", "generative"]


def run_ported(name, tmp_path, *args):
    """Port tests/ports/programs/NAME.py into ``tmp_path`` and run it there; the result."""
    source_path = os.path.join(HERE, "programs", f"{name}.py")
    ported = tmp_path / f"{name}.py"
    text = port_file(source_path, str(ported))
    with open(source_path) as f:
        check_port(f.read(), text)
    assert "import torch\n" not in text
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, str(ported), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", PROGRAMS)
def test_ported_program_prints_what_pytorch_printed(name, tmp_path):
    run = run_ported(name, tmp_path)
    assert run.returncode == 0, run.stderr
    with open(os.path.join(HERE, "expected", f"{name}.torch.txt")) as f:
        expected = f.read().replace("torch.", "autograd.")
    assert run.stdout.splitlines() == expected.splitlines()


def test_convnet_program_leaves_a_loadable_checkpoint(tmp_path):
    run = run_ported("convnet_train", tmp_path, "--epochs", "1", "--no-accel")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "convnet.pt").stat().st_size > 0
    assert "epoch 1 loss" in run.stdout and "epoch 2" not in run.stdout
