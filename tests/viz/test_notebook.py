"""Inline display in a plain Jupyter notebook (no magics): a graph, a plot, a stepper page and
``nn.summary``, executed in a real IPython kernel with nbclient.

The kernel is this interpreter's own: its kernelspec is written into a temporary folder that
``JUPYTER_PATH`` points at for the test (nothing is installed for the user, no global side
effect). nbformat, nbclient and ipykernel are in the test extra; under ``CI=true`` a missing
one fails the run instead of skipping.
"""

import importlib
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "autograd-convnets-test"


def _need(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        why = f"the notebook test needs {name} (pip install -e '.[test]')"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but {why}")
        pytest.skip(why, allow_module_level=True)


nbformat = _need("nbformat")
nbclient = _need("nbclient")
_need("ipykernel")

CELLS = {
    "backend": "import matplotlib\nbefore = matplotlib.get_backend()\nimport viz\nbefore",
    "graph": ("import autograd as ag\n"
              "w = ag.tensor([-0.2, 0.0, 0.8, -0.5], requires_grad=True)\n"
              "x = ag.tensor([0.5, 0.0, -0.75, 0.75])\n"
              "E = (w * x).sum().tanh()\n"
              "viz.draw_graph(E, names={'w': w, 'x': x, 'E': E})"),
    "plot": "viz.plot_history({'train_loss': [1.0, 0.6, 0.4], 'test_accuracy': [0.5, 0.7, 0.8]})",
    "stepper": ("with viz.record():\n"
                "    E = (w * x).sum().tanh()\n"
                "    E.backward()\n"
                "viz.step_backward(E, names={'w': w, 'x': x, 'E': E})"),
    "summary": "import nn, nn.models\nnn.summary(nn.models.lenet5(), (1, 28, 28))",
    "after": "matplotlib.get_backend() == before",
}


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    """A kernelspec for this interpreter (``sys.executable -m ipykernel_launcher``) in a
    temporary Jupyter data folder, found through JUPYTER_PATH while the tests run."""
    from ipykernel.kernelspec import write_kernel_spec
    data = tmp_path_factory.mktemp("jupyter")
    spec = write_kernel_spec(data / "kernels" / KERNEL)
    assert Path(spec, "kernel.json").read_text().count(sys.executable) == 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", str(data))
        yield KERNEL


@pytest.fixture(scope="module")
def executed(tmp_path_factory, kernel):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src, metadata={"name": name})
                for name, src in CELLS.items()]
    path = tmp_path_factory.mktemp("nb") / "inline.ipynb"
    nbformat.write(nb, path)
    client = nbclient.NotebookClient(nbformat.read(path, as_version=4), timeout=120,
                                     kernel_name=kernel,
                                     resources={"metadata": {"path": str(ROOT)}})
    done = client.execute()
    return {c.metadata["name"]: c.outputs for c in done.cells}


def results(outputs):
    return [o for o in outputs if o["output_type"] in ("execute_result", "display_data")]


def test_a_graph_shows_as_svg(executed):
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz)")
    (out,) = results(executed["graph"])
    assert "<svg" in out["data"]["image/svg+xml"]


def test_a_plot_shows_as_png_not_as_its_repr(executed):
    (out,) = results(executed["plot"])
    assert "image/png" in out["data"], out["data"].get("text/plain")
    import base64
    assert base64.b64decode(out["data"]["image/png"])[:4] == b"\x89PNG"


def test_a_stepper_page_shows_as_html(executed):
    (out,) = results(executed["stepper"])
    html = out["data"]["text/html"]
    assert html.startswith("<iframe srcdoc=") and "stepper-data" in html
    assert "TanhBackward" not in html and "Tanh" in html and "&quot;backward&quot;" in html


def test_summary_shows_one_table(executed):
    outs = executed["summary"]
    assert [o["output_type"] for o in outs] == ["execute_result"]      # nothing printed too
    data = outs[0]["data"]
    assert data["text/html"].count("<table") == 1 and "conv1 (Conv2d)" in data["text/html"]
    assert data["text/plain"].count("Layer (type)") == 1                # the table, once


def test_importing_and_plotting_leave_the_backend_alone(executed):
    (out,) = results(executed["after"])
    assert out["data"]["text/plain"] == "True"
