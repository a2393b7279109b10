"""Switching graph recording on and off: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

The flag is process-wide (PyTorch's is per thread); the framework runs one graph at a time.
"""

import functools

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"]


class _GradMode:
    __slots__ = ("enabled",)

    def __init__(self):
        self.enabled = True


_mode = _GradMode()


def is_grad_enabled():
    """True when operations record the graph (the default)."""
    return _mode.enabled


class _ModeContext:
    """A context manager that is also a decorator, setting recording to ``self.mode``."""

    mode = True

    def __enter__(self):
        self.prev = _mode.enabled
        _mode.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _mode.enabled = self.prev
        return False

    def __call__(self, func):
        mode = self.mode

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            prev, _mode.enabled = _mode.enabled, mode
            try:
                return func(*args, **kwargs)
            finally:
                _mode.enabled = prev

        return wrapper


class set_grad_enabled(_ModeContext):
    """Set recording on (``True``) or off (``False``): as a context manager, a decorator, or a
    plain call that switches immediately (as ``torch.set_grad_enabled`` does)."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev = _mode.enabled
        _mode.enabled = self.mode

    def __enter__(self):            # __init__ already switched; keep the state from before it
        return self

    def __call__(self, func):
        _mode.enabled = self.prev   # as a decorator, __init__ must not switch for good
        return super().__call__(func)


class no_grad(_ModeContext):
    """Turn recording off: results of ops get no ``grad_fn`` and ``requires_grad=False``.

    Use as ``with no_grad(): ...`` or as the decorator ``@no_grad()``.
    """

    mode = False


class enable_grad(_ModeContext):
    """Turn recording back on inside a ``no_grad`` block (``with enable_grad(): ...``)."""

    mode = True
