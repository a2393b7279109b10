"""``python -m viz``: draw a zoo model to a file."""

import subprocess
import sys
from pathlib import Path

import pytest

from viz.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
pytest.importorskip("nn.models")


def test_help_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "viz", "--help"], cwd=ROOT, capture_output=True,
                         text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.returncode == 0
    assert "--input-shape" in out.stdout and "--backward" in out.stdout
    assert "--collapse" in out.stdout


def test_lenet5_svg_has_its_layers(tmp_path, capsys):
    path = tmp_path / "lenet.svg"
    assert main(["lenet5", "--input-shape", "1,1,28,28", "-o", str(path)]) == 0
    svg = path.read_text()
    for name in ("conv1: Conv2d", "pool2: MaxPool2d", "fc3: Linear", "fc1.weight"):
        assert name in svg
    assert "(1, 10)" in svg                                  # the output's shape
    assert "lenet5 on input (1, 1, 28, 28)" in capsys.readouterr().out


def test_lenet5_backward_collapsed_png(tmp_path):
    path = tmp_path / "lenet.png"
    assert main(["lenet5", "--backward", "--collapse", "-o", str(path)]) == 0
    assert path.read_bytes()[:4] == b"\x89PNG"
    dot = tmp_path / "lenet.dot"
    assert main(["lenet5", "--backward", "--collapse", "-o", str(dot)]) == 0
    src = dot.read_text()
    assert "grad out rms" in src and "dir=back" in src
    assert "Conv2d(1, 6, kernel_size=(5, 5)" in src
    assert "conv1.weight" not in src                         # folded into the conv1 node


def test_bad_model_and_shape(tmp_path, capsys):
    assert main(["nosuchnet", "-o", str(tmp_path / "x.svg")]) == 2
    assert "unknown model" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["lenet5", "--input-shape", "1,a,28"])
    assert main(["--list"]) == 0
    assert "resnet50" in capsys.readouterr().out.split()
