"""``nn.save`` / ``nn.load``: the checkpoint functions, which live in ``autograd.serialization``
(``autograd.save``/``autograd.load``, with ``torch.save``/``torch.load``'s signatures). Kept
here so that ``nn.save(model.state_dict(), path)`` and ``from nn.serialization import load``
keep working; see ``autograd.serialization`` for the format and the errors."""

from autograd.serialization import load, save  # noqa: F401

__all__ = ["save", "load"]
