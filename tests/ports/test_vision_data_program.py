"""A torchvision-style PyTorch program (tests/ports/programs/vision_data.py), ported by
``autograd.port`` and run end to end in a subprocess on small files laid out as torchvision
expects them."""

import gzip
import os
import subprocess
import sys

import numpy as np
from PIL import Image

from autograd.port import check_port, port_file

PROGRAM = os.path.join(os.path.dirname(__file__), "programs", "vision_data.py")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _idx(array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big")
                                                     for n in array.shape)
    return header + array.tobytes()


def _lay_out(tmp_path):
    raw = tmp_path / "data" / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, n in (("train", 48), ("t10k", 16)):
        labels = (np.arange(n) % 10).astype(np.uint8)
        images = (rng.random((n, 28, 28)) * 60 + labels[:, None, None] * 19).astype(np.uint8)
        (raw / f"{split}-images-idx3-ubyte.gz").write_bytes(gzip.compress(_idx(images)))
        (raw / f"{split}-labels-idx1-ubyte").write_bytes(_idx(labels))
    for cls, shade in (("cat", 40), ("dog", 200)):
        (tmp_path / "images" / cls).mkdir(parents=True)
        for i in range(2):
            Image.new("RGB", (12, 10), (shade, shade + i, 0)).save(
                tmp_path / "images" / cls / f"{i}.png")


def test_vision_program_ports_and_runs(tmp_path):
    _lay_out(tmp_path)
    ported = tmp_path / "vision_data.py"
    with open(PROGRAM) as f:
        source = f.read()
    text = port_file(PROGRAM, str(ported))
    check_port(source, text)
    assert "import torch\n" not in text and "from nn.data import datasets, transforms" in text
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    run = subprocess.run([sys.executable, str(ported), "--epochs", "2"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "train 48 test 16 data (48, 28, 28) autograd.uint8"   # torch.uint8
    assert lines[1].startswith("epoch 0 loss ") and lines[1].endswith("batch (8, 1, 28, 28) autograd.int64")
    assert lines[3].startswith("test accuracy ") and lines[3].endswith("/16")
    assert lines[4] == "grid (3, 122, 122) file (3, 122, 122) gray (1, 122, 122)"
    assert lines[5] == "folder (4, 1, 8, 8) [0, 0, 1, 1] ['cat', 'dog']"
    assert lines[6] == "fake 6 (3, 8, 8) True"
    assert Image.open(tmp_path / "grid.png").size == (122, 122)
