"""Switching graph recording on and off: ``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``.

The switch is per thread, as PyTorch's grad mode is: ``no_grad()`` in one thread leaves
recording on in every other thread (two threads can train two models, or one can evaluate
while another trains); a new thread starts with recording on. It is kept in a
``contextvars.ContextVar`` (each thread has its own context, and reading one is ~3x cheaper
than a ``threading.local``; every op reads it). An asyncio task inherits the mode of the code
that created it, and a ``no_grad`` in one task does not leak into another.
"""

import contextvars
import functools

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "inference_mode"]

#: Recording on or off (read by every op).
grad_enabled = contextvars.ContextVar("autograd_grad_enabled", default=True)
#: The ``autograd.graph.record()`` opt-in: backward keeps graphs and their gradients.
keep_graphs = contextvars.ContextVar("autograd_keep_graphs", default=False)

_set = grad_enabled.set


def is_grad_enabled():
    """True when operations record the graph in this thread (the default)."""
    return grad_enabled.get()


class _ModeContext:
    """A context manager that is also a decorator, setting recording to ``self.mode``."""

    mode = True

    def __enter__(self):
        self.prev = grad_enabled.get()
        _set(self.mode)
        return self

    def __exit__(self, *exc):
        _set(self.prev)
        return False

    def __call__(self, func):
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            prev = grad_enabled.get()
            _set(mode)
            try:
                return func(*args, **kwargs)
            finally:
                _set(prev)

        return wrapper


class set_grad_enabled(_ModeContext):
    """Set recording on (``True``) or off (``False``): as a context manager, a decorator, or a
    plain call that switches immediately (as ``torch.set_grad_enabled`` does)."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = grad_enabled.get()
        _set(self.mode)

    def __enter__(self):            # __init__ already switched; keep the state from before it
        return self

    def __call__(self, func):
        _set(self.prev)             # as a decorator, __init__ must not switch for good
        return super().__call__(func)


class no_grad(_ModeContext):
    """Turn recording off in this thread: results of ops get no ``grad_fn`` and
    ``requires_grad=False``.

    Use as ``with no_grad(): ...`` or as the decorator ``@no_grad()``.
    """

    mode = False


class enable_grad(_ModeContext):
    """Turn recording back on inside a ``no_grad`` block (``with enable_grad(): ...``)."""

    mode = True


class inference_mode(_ModeContext):
    """``torch.inference_mode(mode=True)``: here the same as ``no_grad()`` (recording off), as a
    context manager or a decorator (``@inference_mode()``); ``inference_mode(False)`` leaves
    recording as it is."""

    def __init__(self, mode=True):
        self.mode = not mode
        self._switch = bool(mode)

    def __enter__(self):
        self.prev = grad_enabled.get()
        if self._switch:
            _set(False)
        return self

    def __call__(self, func):
        if not self._switch:
            return func
        return super().__call__(func)
