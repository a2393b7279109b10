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
    # the conv and pool ops show their window, not the geometry object's repr
    assert "kernel 5x5, stride 1, padding 2" in svg and "kernel 2x2, stride 2, padding 0" in svg
    assert "Geometry" not in svg
    assert "lenet5 on input (1, 1, 28, 28)" in capsys.readouterr().out


def test_lenet5_backward_collapsed_png(tmp_path):
    path = tmp_path / "lenet.png"
    assert main(["lenet5", "--backward", "--collapse", "-o", str(path)]) == 0
    assert path.read_bytes()[:4] == b"\x89PNG"
    dot = tmp_path / "lenet.dot"
    assert main(["lenet5", "--backward", "--collapse", "-o", str(dot)]) == 0
    src = dot.read_text()
    assert "grad out rms" in src and "dir=back" in src
    assert "Conv2d(1, 6) kernel 5x5, stride 1, padding 2" in src      # not an internal repr
    assert "MaxPool2d kernel 2x2, stride 2, padding 0" in src
    assert "Geometry" not in src
    assert "conv1.weight" not in src                         # folded into the conv1 node


def test_bad_model_and_shape(tmp_path, capsys):
    assert main(["nosuchnet", "-o", str(tmp_path / "x.svg")]) == 2
    assert "unknown model" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["lenet5", "--input-shape", "1,a,28"])
    assert main(["--list"]) == 0
    assert "resnet50" in capsys.readouterr().out.split()


# Small inputs (and, for VGG, the small-input variant without random init) keep the sweep fast;
# models not listed here run on their own default input (lenet5, pilotnet, text_cnn).
SMALL = {"alexnet": ["--input-shape", "1,3,64,64"], "googlenet": ["--input-shape", "1,3,64,64"]}
for _name in ("densenet", "resnet"):
    for _m in ("121", "161", "169", "201", "18", "34", "50", "101", "152"):
        SMALL[f"{_name}{_m}"] = ["--input-shape", "1,3,32,32"]
for _m in ("vgg11", "vgg13", "vgg16", "vgg19"):
    for _bn in ("", "_bn"):
        SMALL[_m + _bn] = ["--input-shape", "1,3,32,32", "--model-arg", "small_input=True",
                           "--model-arg", "init_weights=False"]


def zoo():
    from viz.__main__ import _zoo
    return _zoo()


@pytest.mark.slow
@pytest.mark.parametrize("name", zoo())
def test_every_zoo_model_draws(name, tmp_path, capsys):
    path = tmp_path / f"{name}.dot"
    args = [name, "--collapse", "-o", str(path)] + SMALL.get(name, [])
    assert main(args) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert f"{name} on input" in out and "graph nodes, drew" in out
    assert "digraph" in path.read_text()


def test_models_of_tokens_and_their_default_inputs(tmp_path, capsys):
    assert main(["text_cnn", "-o", str(tmp_path / "t.svg")]) == 0, capsys.readouterr().err
    assert "text_cnn on input (1, 32)" in capsys.readouterr().out
    assert "Embedding" in (tmp_path / "t.svg").read_text()
    assert main(["pilotnet", "--backward", "-o", str(tmp_path / "p.dot")]) == 0
    assert "pilotnet on input (1, 3, 66, 200)" in capsys.readouterr().out


def test_says_when_it_drew_only_the_nearest_nodes(tmp_path, capsys):
    path = tmp_path / "r.dot"
    assert main(["resnet18", "--input-shape", "1,3,32,32", "--max-nodes", "50",
                 "-o", str(path)]) == 0
    out = capsys.readouterr().out
    assert "drew 50 of its 241 nodes" in out and "--max-nodes all" in out
    assert "191 more nodes (max_nodes=50)" in path.read_text()    # and so does the picture
    assert main(["resnet18", "--input-shape", "1,3,32,32", "--max-nodes", "all",
                 "-o", str(path)]) == 0
    assert "drew 241 nodes" in capsys.readouterr().out


def test_a_shape_the_model_cannot_take_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["alexnet", "--input-shape", "1,3,8,8", "-o", str(tmp_path / "a.dot")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m viz: alexnet on input (1, 3, 8, 8):")
    assert main(["lenet5", "--model-arg", "nosuch=1", "-o", str(tmp_path / "l.dot")]) == 2
    assert "nosuch" in capsys.readouterr().err
