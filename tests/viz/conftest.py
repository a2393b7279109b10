"""Fixtures for the viz tests: the slides' examples recorded in the natural order, and a
headless browser.

The step pages come from the real ``viz.step_backward``: forward and ``backward()`` inside
``viz.record()``, then the page; the tests compare what it shows with the engine's own order
(``autograd.graph.walk``, ``node.run_index``) and values (``node.grad_output``,
``node.grad_inputs``, ``.grad``) and with central differences.
"""

import os
import shutil
import tempfile

import pytest

import autograd as ag
import viz

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1"]


def neuron():
    """The slides' four-pixel neuron: weighted sum -1.075, tanh, E = 1/2 (y - t)^2, recorded:
    (page, names)."""
    x = ag.tensor([0.50, 0.00, -0.75, 0.75], dtype=ag.float64)
    w = ag.tensor([-0.2, 0.0, 0.8, -0.5], dtype=ag.float64, requires_grad=True)
    with viz.record():
        s = (w * x).sum()
        y = s.tanh()
        t = ag.tensor(1.0, dtype=ag.float64)
        E = 0.5 * (y - t) ** 2
        E.backward()
    names = {"x": x, "w": w, "s": s, "y": y, "t": t, "E": E}
    page = viz.step_backward(E, names=names, params={"w": w},
                             title="The four-pixel neuron: backpropagation step by step")
    return page.data, names


def sigmoid_network():
    """The slides' 1-2-2-1 sigmoid network (one input, two layers of two sigmoids, one output),
    recorded: (page data, names)."""
    x, t = ag.tensor(0.5, dtype=ag.float64), ag.tensor(1.0, dtype=ag.float64)
    w1 = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in (0.1, -0.3)]
    w2 = [[ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in row]
          for row in ((0.4, 0.7), (-0.6, 0.2))]
    w3 = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in (0.9, -0.4)]
    with viz.record():
        h1 = [(w1[j] * x).sigmoid() for j in range(2)]
        h2 = [(w2[0][j] * h1[0] + w2[1][j] * h1[1]).sigmoid() for j in range(2)]
        y = (w3[0] * h2[0] + w3[1] * h2[1]).sigmoid()
        E = 0.5 * (y - t) ** 2
        E.backward()
    names = {"x": x, "t": t, "y": y, "E": E, "w1_0": w1[0], "w1_1": w1[1], "h1_0": h1[0],
             "h1_1": h1[1], "h2_0": h2[0], "h2_1": h2[1], "w3_0": w3[0], "w3_1": w3[1]}
    names |= {f"w2_{i}{j}": w2[i][j] for i in range(2) for j in range(2)}
    params = {k: v for k, v in names.items() if k.startswith("w")}
    page = viz.step_backward(E, names=names, params=params, title="The 1-2-2-1 sigmoid network")
    return page.data, names


# -- the browser ---------------------------------------------------------------------------
def browser_missing():
    """Why no browser test can run here ('' when Chromium, ChromeDriver and Selenium exist)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path, pkg in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"{path} not found: apt-get install {pkg} (make system-deps does it as root)"
    return ""


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through /usr/bin/chromedriver (no driver or browser downloads).

    Skips when it is missing, except under CI=true, where a missing browser fails the run.
    """
    why = browser_missing()
    if why:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but no browser for the stepper tests: {why}")
        pytest.skip(f"no headless browser: {why}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="stepper-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in CHROME_FLAGS + [f"--user-data-dir={profile}", "--window-size=900,760"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def examples():
    """The step-record builders (conftest modules are not importable with importlib mode)."""
    import types
    return types.SimpleNamespace(neuron=neuron, sigmoid_network=sigmoid_network)
