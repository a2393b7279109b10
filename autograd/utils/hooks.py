"""``RemovableHandle``: what registering a hook returns (``torch.utils.hooks``), for tensor
hooks and module hooks alike."""

import itertools

__all__ = ["RemovableHandle"]


class RemovableHandle:
    """A handle to a hook registered in ``hooks_dict`` under the handle's ``id``, as
    PyTorch's: ``remove()`` unregisters it (safe to call twice), and the handle is a context
    manager that removes the hook on exit.

    Usage (how the framework registers hooks)::

        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
    """

    __slots__ = ("hooks_dict", "id")
    _next_id = itertools.count()

    def __init__(self, hooks_dict):
        self.hooks_dict = hooks_dict
        self.id = next(RemovableHandle._next_id)

    def remove(self):
        """Unregister the hook."""
        self.hooks_dict.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False
