"""``autograd.testing.check_graph`` and the kit's failure messages (issue 11, "Debugging tools",
"The kit fails helpfully").

* a custom op whose backward is 1% off, planted between two conv layers of a small ConvNet,
  is named by check_graph (its op, input shapes, both values, where it was created), while the
  same ConvNet without it passes;
* importing ``autograd.testing.strategies`` without hypothesis says to install the test extra;
* the kit's helpers hide their frames from pytest tracebacks (``__tracebackhide__``);
* a gradgradcheck failure with an analytical value of exactly 0 names the likely cause.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd.testing import check_graph

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Doubler(ag.Function):
    """y = 2x; with ``slip`` its backward is 2 * (1 + slip): wrong by that fraction."""

    slip = 0.0

    @staticmethod
    def forward(ctx, x):
        return x.numpy(force=True) * 2

    @staticmethod
    def backward(ctx, grad):
        return grad * (2 * (1 + Doubler.slip))


class Planted(nn.Module):
    def forward(self, x):
        return Doubler.apply(x)


def convnet():
    """conv -> batch norm -> relu -> the planted op -> conv -> relu -> max pool -> dropout ->
    linear -> cross-entropy: a LeNet-like net, small enough to check every node quickly."""
    ag.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), Planted(),
                         nn.Conv2d(4, 6, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.2),
                         nn.Flatten(), nn.Linear(6 * 3 * 3, 3))


def loss_of(model):
    x = ag.randn(2, 1, 8, 8)
    return F.cross_entropy(model(x), ag.tensor([0, 2]))


@pytest.fixture
def slip():
    Doubler.slip = 0.01
    yield
    Doubler.slip = 0.0


def test_a_correct_convnet_passes():
    result = check_graph(loss_of(convnet()))
    assert result.nodes >= 12 and result.values > 1000 and not result.skipped
    assert result.kinks < result.values / 10        # ReLU zeros / pool ties, skipped


def test_a_wrong_op_between_two_convs_is_named_with_where_it_was_created(slip):
    model = convnet()
    with ag.detect_anomaly(check_nan=False):
        loss = loss_of(model)                        # CREATED HERE
    with pytest.raises(ag.GradcheckError) as info:
        check_graph(loss)
    message = str(info.value)
    assert "DoublerBackward" in message and "op: Doubler" in message
    assert "inputs: (2, 4, 8, 8) float32 (requires grad)" in message
    e = info.value
    assert e.analytical == pytest.approx(1.01 * e.numerical, rel=1e-6)
    assert f"analytical {e.analytical!r} vs numerical {e.numerical!r}" in message
    assert "loss = loss_of(model)                        # CREATED HERE" in message
    assert "return Doubler.apply(x)" in message      # the innermost user frame


def test_without_anomaly_mode_it_says_how_to_see_where_the_node_was_created(slip):
    with pytest.raises(ag.GradcheckError, match=r"record the forward pass under "
                                                r"autograd.detect_anomaly\(\)"):
        check_graph(loss_of(convnet()))


def test_a_released_graph_is_refused_with_what_to_do():
    loss = loss_of(convnet())
    loss.backward()
    with pytest.raises(ag.BackwardError, match="retain_graph=True"):
        check_graph(loss)


def test_a_graph_kept_by_retain_graph_can_be_checked_after_backward():
    loss = loss_of(convnet())
    loss.backward(retain_graph=True)
    assert check_graph(loss).nodes >= 12


def test_large_inputs_are_checked_along_random_directions(slip):
    x = ag.randn(40, 40, dtype=ag.float64, requires_grad=True)
    with pytest.raises(ag.GradcheckError, match="random direction"):
        check_graph(Doubler.apply(x).sum(), max_elements=100)


# -- the kit fails helpfully ---------------------------------------------------------------------
def run_python(code):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_strategies_without_hypothesis_say_to_install_the_test_extra():
    proc = run_python("""
        import sys
        sys.modules["hypothesis"] = None          # as if it were not installed
        import autograd.testing                   # check_graph needs no hypothesis
        assert callable(autograd.testing.check_graph)
        try:
            import autograd.testing.strategies
        except ImportError as e:
            print(e)
        else:
            print("imported")
    """)
    assert proc.returncode == 0, proc.stderr
    assert "pip install -e '.[test]'" in proc.stdout and "hypothesis" in proc.stdout


FAILING_TESTS = '''
import autograd as ag
from autograd.testing import check_graph
from autograd.testing import strategies as ats


class Wrong(ag.Function):
    @staticmethod
    def forward(ctx, a):
        return a.numpy(force=True) * 3

    @staticmethod
    def backward(ctx, grad):
        return grad * 2


def test_assert_gradients_hold():
    ats.assert_gradients_hold(Wrong.apply, ag.ones(2, dtype=ag.float64, requires_grad=True))


def test_check_graph():
    check_graph(Wrong.apply(ag.ones(2, dtype=ag.float64, requires_grad=True)).sum())


test_check_gradients = ats.check_gradients(Wrong.apply, ats.tensors(), max_examples=2)
'''


def test_the_kits_helpers_hide_their_frames_from_pytest(tmp_path):
    (tmp_path / "test_wrong.py").write_text(FAILING_TESTS)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--tb=long", str(tmp_path / "test_wrong.py")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    out = proc.stdout
    assert "3 failed" in out, out[-3000:]
    # the user's calls are shown, the kit's own frames are not
    assert "ats.assert_gradients_hold(Wrong.apply" in out
    assert "check_graph(Wrong.apply" in out
    for hidden in ("def assert_gradients_hold(", "def check_graph(", "def _check_node(",
                   "def gradcheck(", "def _fail("):
        assert hidden not in out, f"{hidden} should be hidden:\n{out[-3000:]}"


class NumpyCube(ag.Function):
    """a³ with a backward written in numpy: right first derivatives, no second ones."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a.numpy(force=True) ** 3

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.saved_tensors
        return grad.numpy(force=True) * 3 * a.numpy(force=True) ** 2


def test_a_zero_second_derivative_says_backward_was_written_in_numpy():
    x = ag.tensor(np.array([1.0, 2.0]), requires_grad=True)
    assert ag.gradcheck(NumpyCube.apply, (x,))
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradgradcheck(NumpyCube.apply, (x,))
    assert info.value.analytical == 0.0 and info.value.numerical != 0.0
    assert "backward written in numpy" in str(info.value)
    assert "Tensor operations" in str(info.value)


def test_a_nonzero_mismatch_does_not_blame_numpy():
    class Off(NumpyCube):
        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.saved_tensors
            # right values, but a wrong derivative of the rule: + 5 (a - a) seen as 5
            return grad * 3 * a * a + (a - a.detach()) * 5

    x = ag.tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(ag.GradcheckError) as info:
        ag.gradgradcheck(Off.apply, (x,))
    assert "numpy" not in str(info.value)


def test_check_graph_passes_a_double_backward_conv_graph():
    """The gradient-penalty graph of a conv holds Conv2dWeight nodes, which cache the patch
    matrix of their input; replaying them must rebuild it, or check_graph flags a right op."""
    ag.manual_seed(1)
    x = ag.randn(2, 2, 6, 6, dtype=ag.float64, requires_grad=True)
    w = ag.randn(3, 2, 3, 3, dtype=ag.float64, requires_grad=True)
    (gx, gw) = ag.grad(F.conv2d(x, w).tanh().sum(), (x, w), create_graph=True)
    penalty = (gx * gx).sum() + (gw * gw).sum()
    assert "Conv2dWeight" in {type(node).__name__ for node in ag.graph.walk([penalty])}
    check_graph(penalty)
