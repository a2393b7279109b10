"""``autograd.detect_anomaly()`` (issue 11, "Debugging tools"): a NaN or inf produced in
backward raises ``AnomalyError`` naming the node, the input and the forward traceback where the
node was created; nothing is kept or checked while anomaly mode is off.

PyTorch (torch 2.13.0) for the same programs: ``x.sqrt()`` at 0 under detect_anomaly raises
RuntimeError "Function 'SqrtBackward0' returned nan values in its 0th output." only for NaN (its
check is ``isnan``); here inf counts too, as the issue asks. Without anomaly mode both give the
inf gradient silently.
"""

import threading
import traceback

import numpy as np
import pytest

import autograd as ag
from autograd import graph
from autograd.anomaly_mode import creation_stack


class NanGrad(ag.Function):
    """Identity forward; a backward that returns NaN for every element."""

    @staticmethod
    def forward(ctx, a):
        return a.numpy(force=True).copy()

    @staticmethod
    def backward(ctx, grad):
        return grad * float("nan")


def leaf(*values):
    return ag.tensor(np.array(values, dtype=np.float64), requires_grad=True)


def forward_with_nan(x):
    hidden = (x * 2).exp()
    bad = NanGrad.apply(hidden)                      # MARK: the faulty node
    return (bad * 3).sum()


def test_a_nan_in_backward_names_the_node_the_input_and_the_forward_line():
    x = leaf(1.0, 2.0)
    with ag.detect_anomaly():
        loss = forward_with_nan(x)
        with pytest.raises(ag.AnomalyError) as info:
            loss.backward()
    e = info.value
    message = str(e)
    assert "NanGradBackward returned nan values in its gradient for input 0" in message
    assert "shape (2,)" in message
    assert "bad = NanGrad.apply(hidden)                      # MARK" in message, message
    assert e.node.name() == "NanGradBackward" and e.input_index == 0
    assert e.stack[-1].name == "forward_with_nan" and e.stack[-1].filename == __file__
    assert isinstance(e, ag.BackwardError) and isinstance(e, RuntimeError)


def test_an_inf_gradient_is_an_anomaly_too():
    x = leaf(0.0, 4.0)
    with ag.detect_anomaly():
        loss = x.sqrt().sum()                        # d sqrt / dx = inf at 0
        with pytest.raises(ag.AnomalyError, match=r"SqrtBackward returned inf values"):
            loss.backward()


def test_without_anomaly_mode_the_nan_goes_through_silently_as_in_pytorch():
    x = leaf(1.0, 2.0)
    forward_with_nan(x).backward()
    assert np.isnan(x.grad.numpy()).all()
    assert graph.record_hooks == []                 # nothing is kept while it is off
    assert creation_stack((x * 2).grad_fn) is None


def test_check_nan_false_keeps_the_stacks_but_does_not_check():
    x = leaf(1.0, 2.0)
    with ag.detect_anomaly(check_nan=False):
        y = x * 2                                    # STACK LINE
        forward_with_nan(x).backward()
    assert np.isnan(x.grad.numpy()).all()
    stack = creation_stack(y.grad_fn)
    assert stack is not None and "STACK LINE" in stack[-1].line


def test_a_node_recorded_before_anomaly_mode_says_how_to_get_its_stack():
    x = leaf(1.0, 2.0)
    loss = forward_with_nan(x)                       # recorded outside
    with ag.detect_anomaly():
        with pytest.raises(ag.AnomalyError, match=r"run the forward pass inside it too"):
            loss.backward()


def test_it_is_also_a_decorator_and_is_switched_off_afterwards():
    @ag.detect_anomaly()
    def step(x):
        assert ag.is_anomaly_enabled()
        forward_with_nan(x).backward()

    with pytest.raises(ag.AnomalyError):
        step(leaf(1.0))
    assert not ag.is_anomaly_enabled() and graph.record_hooks == []


def test_set_detect_anomaly_as_a_function_and_as_a_context_manager():
    ag.set_detect_anomaly(True)                      # torch.autograd.set_detect_anomaly(True)
    try:
        assert ag.is_anomaly_enabled() and ag.is_anomaly_check_nan_enabled()
        with ag.set_detect_anomaly(False):
            assert not ag.is_anomaly_enabled()
        assert ag.is_anomaly_enabled()
    finally:
        ag.set_detect_anomaly(False)
    assert not ag.is_anomaly_enabled() and graph.record_hooks == []


def test_create_graph_backward_is_checked_too():
    x = leaf(0.0, 1.0)
    with ag.detect_anomaly():
        y = x.sqrt().sum()
        with pytest.raises(ag.AnomalyError, match="SqrtBackward"):
            ag.grad(y, [x], create_graph=True)


def test_anomaly_mode_is_per_thread():
    seen = {}

    def other():
        seen["enabled"] = ag.is_anomaly_enabled()
        z = leaf(1.0) * 2
        seen["stack"] = creation_stack(z.grad_fn)

    with ag.detect_anomaly():
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen == {"enabled": False, "stack": None}


def test_the_error_shows_a_readable_traceback():
    x = leaf(1.0)
    with ag.detect_anomaly():
        loss = forward_with_nan(x)
        with pytest.raises(ag.AnomalyError) as info:
            loss.backward()
    lines = str(info.value).splitlines()
    assert lines[1] == "Traceback of the forward call that created it:"
    assert traceback.format_list(info.value.stack)[-1].strip().endswith("# MARK: the faulty node")
