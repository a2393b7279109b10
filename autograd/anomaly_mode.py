"""Anomaly detection: ``autograd.detect_anomaly()`` (PyTorch's ``torch.autograd.detect_anomaly``).

    with autograd.detect_anomaly():
        loss = model(x).sum()          # each recorded node keeps the stack it was made at
        loss.backward()                # a NaN/inf gradient raises AnomalyError, naming the
                                       # node and showing that stack

While it is active (in this thread: like grad mode, anomaly mode is per thread here),

* every node recorded keeps the forward stack where it was created
  (``traceback.extract_stack``), readable with ``creation_stack(node)`` (``check_graph`` and
  ``AnomalyError`` show it);
* backward checks each gradient a node's rule produces and raises ``AnomalyError`` at the
  first NaN or inf (``check_nan=True``, the default), naming the node (``name()``), the input
  the gradient is for, and the forward stack of the node.

It is also a decorator (``@autograd.detect_anomaly()``). Both halves cost nothing while it is
off: the stacks come from the one hook point ``graph.record_hooks`` (empty unless some thread
is in anomaly mode), and the check is one flag the engine reads once per backward. When on,
recording an op costs a stack extraction (tens of microseconds): a debugging tool, as in
PyTorch.
"""

import contextvars
import functools
import os
import threading
import traceback
import weakref

import numpy as np

from . import graph
from .errors import AnomalyError

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled", "creation_stack", "check_gradients"]

#: (enabled, check_nan) in this thread.
_mode = contextvars.ContextVar("autograd_anomaly_mode", default=(False, False))
#: node -> the StackSummary where it was recorded (entries go with their nodes).
_stacks = weakref.WeakKeyDictionary()
_users = 0                     # threads with anomaly mode on (the hook is installed while > 0)
_lock = threading.Lock()
_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def is_anomaly_enabled():
    """True while ``detect_anomaly()`` is active in this thread."""
    return _mode.get()[0]


def is_anomaly_check_nan_enabled():
    """True while anomaly mode checks backward for NaN and inf (``check_nan=True``)."""
    enabled, check_nan = _mode.get()
    return enabled and check_nan


def creation_stack(node):
    """The forward stack (a ``traceback.StackSummary``, innermost frame last, the framework's
    own frames left out) where ``node`` was recorded under anomaly mode, or None."""
    return _stacks.get(node)


def _keep_stack(node):
    """The ``graph.record_hooks`` entry: remember where ``node`` was made (this thread only)."""
    if _mode.get()[0]:
        stack = traceback.extract_stack()
        while len(stack) > 1 and stack[-1].filename.startswith(_PACKAGE):
            stack.pop()              # the op's own frames: end at the line that called it
        _stacks[node] = stack


def _switch(mode):
    """Set this thread's (enabled, check_nan) to ``mode``; return the previous one. The stack
    hook is in ``graph.record_hooks`` exactly while some thread has anomaly mode on."""
    global _users
    prev = _mode.get()
    _mode.set(mode)
    if prev[0] != mode[0]:
        with _lock:
            _users += 1 if mode[0] else -1
            if _users and _keep_stack not in graph.record_hooks:
                graph.record_hooks.append(_keep_stack)
            elif not _users and _keep_stack in graph.record_hooks:
                graph.record_hooks.remove(_keep_stack)
    return prev


def _decorate(func, mode):
    """``func`` run with anomaly mode ``mode`` (restored after each call)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        prev = _switch(mode)
        try:
            return func(*args, **kwargs)
        finally:
            _switch(prev)
    return wrapper


class set_detect_anomaly:
    """Anomaly mode on (``mode=True``) or off (``torch.autograd.set_detect_anomaly``): called
    as a function it switches the mode in this thread from then on; as a context manager it
    also restores the previous mode on exit; as a decorator it applies to each call."""

    def __init__(self, mode=True, check_nan=True):
        self.mode = (bool(mode), bool(check_nan))
        self.prev = _switch(self.mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _switch(self.prev)
        return False

    def __call__(self, func):
        _switch(self.prev)                     # as a decorator: only during the calls
        return _decorate(func, self.mode)


class detect_anomaly(set_detect_anomaly):
    """Anomaly detection on, as a context manager or a decorator
    (``torch.autograd.detect_anomaly``): nodes keep their forward stack, and a NaN or inf
    gradient in backward raises ``AnomalyError`` naming the node and showing that stack.

    Parameters
    ----------
    check_nan : bool
        Check backward's gradients for NaN and inf (default True); with False only the
        stacks are kept (for ``check_graph`` and error messages).
    """

    def __init__(self, check_nan=True):      # switched on entering, as PyTorch's
        self.mode, self.prev = (True, bool(check_nan)), None

    def __enter__(self):
        self.prev = _switch(self.mode)
        return self

    def __call__(self, func):
        return _decorate(func, self.mode)


# -- the backward check (called by the engine when anomaly mode checks NaN) --------------------
def check_gradients(node, grads):
    """Raise ``AnomalyError`` if a gradient ``node``'s rule produced (one per input, ndarrays
    or Tensors or None) holds a NaN or an inf."""
    for i, g in enumerate(grads):
        if g is None:
            continue
        data = g._data if hasattr(g, "_data") else np.asarray(g)
        if data.dtype.kind == "f" and not np.isfinite(data).all():
            raise _anomaly(node, i, data)


def _anomaly(node, i, data):
    what = "nan" if np.isnan(data).any() else "inf"
    stack = creation_stack(node)
    if stack is None:
        where = ("(no forward traceback: this node was recorded outside detect_anomaly(); run "
                 "the forward pass inside it too)")
    else:
        where = "Traceback of the forward call that created it:\n" + \
            "".join(traceback.format_list(stack)).rstrip()
    return AnomalyError(
        f"{node.name()} returned {what} values in its gradient for input {i} (shape "
        f"{tuple(data.shape)}) during backward.\n{where}", node=node, input_index=i,
        stack=stack)
