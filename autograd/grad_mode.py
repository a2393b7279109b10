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


class set_grad_enabled:
    """Context manager and decorator that sets recording on (``True``) or off (``False``).

    As a plain call it sets the mode immediately, as ``torch.set_grad_enabled`` does.
    """

    def __init__(self, mode):
        self.prev = _mode.enabled
        self.mode = bool(mode)
        _mode.enabled = self.mode

    def __enter__(self):
        _mode.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _mode.enabled = self.prev
        return False

    def __call__(self, func):
        mode = self.mode
        _mode.enabled = self.prev   # as a decorator, __init__ must not switch the mode for good

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):
                return func(*args, **kwargs)

        return wrapper


class _ModeContext:
    """Shared body of ``no_grad``/``enable_grad``: a context manager that is also a decorator."""

    mode = True

    def __enter__(self):
        self.prev = _mode.enabled
        _mode.enabled = self.mode
        return self

    def __exit__(self, *exc):
        _mode.enabled = self.prev
        return False

    def __call__(self, func):
        ctx_type = type(self)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with ctx_type():
                return func(*args, **kwargs)

        return wrapper


class no_grad(_ModeContext):
    """Turn recording off: results of ops get no ``grad_fn`` and ``requires_grad=False``.

    Use as ``with no_grad(): ...`` or as the decorator ``@no_grad()``.
    """

    mode = False


class enable_grad(_ModeContext):
    """Turn recording back on inside a ``no_grad`` block (``with enable_grad(): ...``)."""

    mode = True
