"""Smoke tests of every example: each ``main(argv)`` runs in-process at a tiny size with its
outputs in a temporary folder, and the tests check what it printed and wrote (the slides'
numbers, metrics.json, pictures, checkpoints, an exact resume)."""

import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

import nn

# examples/ is not an installed package: make it importable from the repository root also when
# pytest runs as `pytest` (which, in importlib mode, does not put the root on sys.path).
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from examples import (fashion_mnist, four_pixel, numerical_vs_backprop,  # noqa: E402
                      readme_figures, text_cnn, tiny_network, xo)

HAVE_DOT = shutil.which("dot") is not None
ALL = [four_pixel, tiny_network, numerical_vs_backprop, xo, fashion_mnist, text_cnn]


def run(module, tmp_path, *argv):
    """Run an example quietly into tmp_path; returns (metrics dict, its run folder)."""
    metrics = module.main([*argv, "--runs-dir", str(tmp_path), "--no-progress"])
    name = argv[argv.index("--run-name") + 1] if "--run-name" in argv \
        else module.__name__.rsplit(".", 1)[1]
    folder = tmp_path / name
    assert json.loads((folder / "metrics.json").read_text()) == json.loads(json.dumps(metrics))
    return metrics, folder


def assert_picture(path, svg=False):
    if svg and not HAVE_DOT:
        return
    assert path.is_file() and path.stat().st_size > 1000, path
    head = path.read_bytes()[:200]
    assert (b"<svg" in head or b"<?xml" in head) if svg else head.startswith(b"\x89PNG")


@pytest.mark.parametrize("module", ALL, ids=lambda m: m.__name__)
def test_help(module, capsys):
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--help"])
    assert exit_info.value.code == 0
    assert f"usage: python -m {module.__name__}" in capsys.readouterr().out


def test_four_pixel_prints_the_slides_numbers_and_learns(tmp_path, capsys):
    metrics, folder = run(four_pixel, tmp_path, "--epochs", "150", "--train-size", "128",
                          "--test-size", "128")
    out = capsys.readouterr().out
    assert "weighted sum = -1.075" in out
    assert metrics["weighted_sum"] == pytest.approx(-1.075, abs=1e-6)
    assert metrics["slide_total_error"] == pytest.approx(3.25)
    assert "horizontal   1.00   -0.75   1.75" in out and "3.25" in out
    assert metrics["train_loss"][-1] < 0.5 * metrics["train_loss"][0]
    assert metrics["test_accuracy"] >= 0.9
    assert_picture(folder / "four_pixel_graph.svg", svg=True)


def test_four_pixel_error_table_is_the_slides_table():
    rows, total = four_pixel.error_table([0, 0, 0, 1], [0.5, 0.75, -0.25, -0.75])
    assert [r[3] for r in rows] == pytest.approx([0.5, 0.75, 0.25, 1.75])
    assert total == pytest.approx(3.25)


def test_tiny_network_gradients_match_numerical_and_slide_rules(tmp_path, capsys):
    metrics, folder = run(tiny_network, tmp_path, "--steps", "5", "--input", "0.3",
                          "--target", "0.0")
    out = capsys.readouterr().out
    assert "autograd.gradcheck(E, all weights and biases): True" in out
    assert metrics["max_node_gap"] < 1e-7 and metrics["max_rule_gap"] < 1e-12
    output_row = metrics["nodes"][-1]            # [layer, node, x, y, dE/dx, dE/dy, ...]
    y, dx, dy = output_row[3], output_row[4], output_row[5]
    assert dy == pytest.approx(y - 0.0)          # E = 1/2 (y - t)^2 -> dE/dy = y - t
    assert dx == pytest.approx(y * (1 - y) * dy)  # dE/dx = f'(x) dE/dy for the sigmoid
    assert metrics["error"] == pytest.approx(0.5 * y ** 2)
    errors = metrics["errors_per_step"]
    assert len(errors) == 6 and metrics["decreasing"] and errors[-1] < errors[0]
    assert_picture(folder / "tiny_network_graph.svg", svg=True)


def test_numerical_vs_backprop_agree_and_numerical_costs_more(tmp_path, capsys):
    metrics, folder = run(numerical_vs_backprop, tmp_path, "--widths", "2", "8",
                          "--repeat", "2", "--max-numerical", "100")
    rows = metrics["rows"]
    assert [r["width"] for r in rows] == [2, 8]
    assert all(r["forward_passes"] == 2 * r["weights"] for r in rows)
    assert rows[1]["weights"] == 8 * 8 + 8 + 8 * 8 + 8 + 8 + 1
    assert rows[1]["numerical_estimated"] and not rows[0]["numerical_estimated"]
    assert all(r["max_abs_difference"] < 1e-6 for r in rows)
    assert rows[1]["numerical_seconds"] > rows[1]["backprop_seconds"]
    assert_picture(folder / "numerical_vs_backprop.png")
    assert "numerical/backprop" in capsys.readouterr().out


def test_xo_part1_is_the_slides_and_the_check_can_fail():
    maps, relu_maps, pooled = xo.slide_features()
    assert maps.shape == (3, 7, 7) and pooled.shape == (3, 4, 4)
    assert xo.check_against_slides(maps, relu_maps, pooled) <= 0.01
    assert maps[0, 1, 1] == pytest.approx(1.0) and maps[0, 0, 0] == pytest.approx(7 / 9)
    wrong = pooled.copy()
    wrong[1, 3, 3] += 0.05
    with pytest.raises(AssertionError, match="pooled"):
        xo.check_against_slides(maps, relu_maps, wrong)


def test_xo_trains_and_writes_its_pictures(tmp_path, capsys):
    metrics, folder = run(xo, tmp_path, "--epochs", "2", "--train-size", "200",
                          "--test-size", "100")
    out = capsys.readouterr().out
    assert "all equal to the slides' maps" in out
    assert " 0.77 -0.11  0.11  0.33  0.55 -0.11  0.33" in out     # the slides' first row
    assert metrics["slides_max_difference"] <= 0.01
    assert len(metrics["test_accuracy"]) == 2 and len(metrics["train_loss"]) == 2
    assert metrics["final_test_accuracy"] > 0.6
    for table in metrics["votes"].values():
        assert table["total"] == pytest.approx(sum(r[3] for r in table["rows"]))
    for name in ("xo_history.png", "xo_filters.png", "xo_feature_maps.png"):
        assert_picture(folder / name)
    assert_picture(folder / "xo_graph.svg", svg=True)


needs_data = pytest.mark.skipif(not fashion_mnist.dataset_installed(),
                                reason="Fashion-MNIST is not installed")


@needs_data
def test_fashion_mnist_writes_metrics_pictures_and_checkpoints(tmp_path, capsys):
    metrics, folder = run(fashion_mnist, tmp_path, "--limit", "256", "--epochs", "2",
                          "--run-name", "smoke")
    out = capsys.readouterr().out
    assert "epoch 2: train loss" in out and "test accuracy" in out
    for key in ("test_accuracy", "train_loss", "test_loss", "seconds_per_epoch"):
        assert len(metrics[key]) == 2
    assert all(0 <= a <= 1 for a in metrics["test_accuracy"])
    assert metrics["train_loss"][1] < metrics["train_loss"][0]
    assert metrics["train_images"] == 256 and metrics["parameters"] == 61706
    for name in ("history.png", "confusion_matrix.png", "feature_maps.png", "filters.png"):
        assert_picture(folder / name)
    assert_picture(folder / "graph.svg", svg=True)
    ckpt = nn.load(folder / "checkpoint_epoch2.npz")
    assert int(ckpt["epoch"]) == 2 and "conv1.weight" in ckpt["model"]


@needs_data
def test_fashion_mnist_resume_continues_exactly(tmp_path):
    common = ["--limit", "192", "--batch-size", "32", "--optimizer", "sgd", "--no-pictures"]
    straight, _ = run(fashion_mnist, tmp_path, *common, "--epochs", "2", "--run-name", "a")
    # stop after epoch 1 (a cosine over 1 epoch starts at the same lr as one over 2), then
    # resume for 2 epochs: the resumed run recomputes epoch 2's learning rate
    run(fashion_mnist, tmp_path, *common, "--epochs", "1", "--run-name", "b")
    resumed, _ = run(fashion_mnist, tmp_path, *common, "--epochs", "2", "--run-name", "b",
                     "--resume")
    assert resumed["train_loss"] == straight["train_loss"]
    assert resumed["test_accuracy"] == straight["test_accuracy"]
    a = nn.load(tmp_path / "a" / "checkpoint_epoch2.npz")["model"]
    b = nn.load(tmp_path / "b" / "checkpoint_epoch2.npz")["model"]
    for key in a:
        np.testing.assert_array_equal(a[key].numpy(force=True), b[key].numpy(force=True))


@needs_data
def test_fashion_mnist_resume_without_a_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(SystemExit, match="no checkpoint_epoch"):
        fashion_mnist.main(["--limit", "64", "--resume", "--runs-dir", str(tmp_path),
                            "--no-progress"])


def test_fashion_mnist_falls_back_to_xo_without_the_dataset(tmp_path, capsys, monkeypatch):
    """No --data-root and no installed data set: the X's and O's example runs instead."""
    calls = []
    monkeypatch.setattr(xo, "main", lambda argv: calls.append(argv) or {"ran": "xo"})

    def not_installed(args):
        assert args.data_root is None
        raise FileNotFoundError("no train-images-idx3-ubyte in the default places")
    monkeypatch.setattr(fashion_mnist, "load_data", not_installed)
    result = fashion_mnist.main(["--runs-dir", str(tmp_path), "--no-progress"])
    assert result == {"ran": "xo"} and len(calls) == 1
    assert "apt-get install dataset-fashion-mnist" in capsys.readouterr().out


def test_fashion_mnist_explicit_data_root_that_does_not_exist_is_an_error(tmp_path, capsys,
                                                                          monkeypatch):
    monkeypatch.setattr(xo, "main", lambda argv: pytest.fail("fell back to examples.xo"))
    with pytest.raises(SystemExit) as info:
        fashion_mnist.main(["--data-root", str(tmp_path / "nowhere"), "--runs-dir",
                            str(tmp_path), "--no-progress"])
    assert info.value.code == 2                       # argparse's usage error
    assert f"--data-root {tmp_path / 'nowhere'}: no such folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()                      # exists, but holds no IDX files
    with pytest.raises(SystemExit, match="--data-root .*empty"):
        fashion_mnist.main(["--data-root", str(tmp_path / "empty"), "--runs-dir",
                            str(tmp_path), "--no-progress"])


def _option_helps(help_text):
    """{option: its help text} from argparse's --help output."""
    entries, current = {}, None
    for line in help_text.split("options:", 1)[1].splitlines():
        stripped = line.strip()
        if line.startswith("  -"):                   # an option; its help continues indented
            current = stripped.split()[0].rstrip(",")
            entries[current] = stripped
        elif current and stripped:
            entries[current] += " " + stripped
    return entries


@pytest.mark.parametrize("module", ALL + [readme_figures], ids=lambda m: m.__name__)
def test_every_option_has_help_and_one_default(module, capsys):
    with pytest.raises(SystemExit):
        module.main(["--help"])
    entries = _option_helps(capsys.readouterr().out)
    assert "--seed" in entries or module is readme_figures
    for option, text in entries.items():
        if option == "-h":
            continue
        words = text.split(None, 2)
        assert len(words) >= 2 and "default" in text, f"{option} has no help/default: {text}"
        assert text.count("default") == 1, f"{option} shows its default twice: {text}"


def test_progress_bars_stay_off_when_output_is_not_a_terminal(tmp_path, capsys):
    """tqdm's disable=None: a log file or pipe gets no bar updates (carriage returns)."""
    xo.main(["--epochs", "1", "--train-size", "64", "--test-size", "32", "--runs-dir",
             str(tmp_path)])
    four_pixel.main(["--epochs", "30", "--train-size", "16", "--test-size", "16", "--runs-dir",
                     str(tmp_path)])
    err = capsys.readouterr().err
    assert "\r" not in err and "it/s" not in err


def test_readme_figures_write_under_runs_unless_asked_for_docs(tmp_path, monkeypatch):
    written = []

    def figure(out, *rest):
        written.append(out)
        (out / "figure.png").write_bytes(b"png")
        return type("Chain", (), {"formula": "dE/dw"})()
    for name in ("four_pixel", "x_times_x", "sigmoid_network", "lenet", "resnet50",
                 "slides_convnet", "fashion"):
        monkeypatch.setattr(readme_figures, name, figure)
    monkeypatch.chdir(tmp_path)
    readme_figures.main([])
    assert written[0] == Path("runs") / "readme_figures"
    assert (tmp_path / "runs" / "readme_figures" / "figure.png").exists()
    readme_figures.main(["--out", str(tmp_path / "elsewhere")])
    assert written[-1] == tmp_path / "elsewhere"
    monkeypatch.setattr(readme_figures, "ROOT", tmp_path / "repo")
    readme_figures.main(["--docs"])
    assert written[-1] == tmp_path / "repo" / "docs" / "img"


def test_text_cnn_labels_follow_the_negation_rule():
    texts, labels = text_cnn.make_reviews(300, np.random.default_rng(1), noise=0.0)
    for text, label in zip(texts, labels):
        good = any(t in text_cnn.GOOD for t in text)
        negated = any(t in text_cnn.NEGATION_WORDS for t in text)
        assert label == int(good != negated), text


def test_text_cnn_trains(tmp_path, capsys):
    metrics, _ = run(text_cnn, tmp_path, "--epochs", "2", "--train-size", "300",
                     "--test-size", "100")
    assert len(metrics["test_accuracy"]) == 2 and len(metrics["baseline"]["test_accuracy"]) == 2
    assert 0 <= metrics["final_test_accuracy"] <= 1
    assert "text_cnn: held-out accuracy per epoch" in capsys.readouterr().out
