"""``import autograd`` warns when another installed distribution provides one of its top-level
names (autograd, nn, viz), found through ``importlib.metadata.packages_distributions()``; a
fake ``*.dist-info`` on ``sys.path`` stands for such a distribution."""

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROBE = ("import sys, warnings; sys.path.insert(0, sys.argv[1]); import numpy; "
         "warnings.simplefilter('always'); before = list(warnings.filters); import autograd; "
         "print('filters unchanged', warnings.filters == before)")   # numpy adds its own


def _fake_distribution(root, name, top_level):
    info = root / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "top_level.txt").write_text("\n".join(top_level) + "\n")


def _import_with(site):
    env = dict(os.environ, PYTHONPATH=REPO)
    return subprocess.run([sys.executable, "-c", PROBE, str(site)], env=env,
                          capture_output=True, text=True, timeout=60)


def test_warns_when_another_distribution_provides_autograd_or_nn(tmp_path):
    _fake_distribution(tmp_path, "autograd", ["autograd"])
    _fake_distribution(tmp_path, "nn_toolkit", ["nn", "other"])
    run = _import_with(tmp_path)
    assert run.returncode == 0, run.stderr
    assert "UserWarning: the top-level package 'autograd' is also provided by the installed " \
           "distribution(s) autograd" in run.stderr
    assert "'nn' is also provided by the installed distribution(s) nn_toolkit" in run.stderr
    assert "own virtual environment" in run.stderr and "'viz'" not in run.stderr
    assert "filters unchanged True" in run.stdout


def test_no_warning_for_unrelated_distributions(tmp_path):
    _fake_distribution(tmp_path, "something", ["something"])
    _fake_distribution(tmp_path, "autograd_convnets", ["autograd", "nn", "viz"])   # ourselves
    run = _import_with(tmp_path)
    assert run.returncode == 0, run.stderr
    assert "also provided" not in run.stderr
