"""``Flatten``: from feature maps to the vector a fully connected layer takes."""

import autograd as ag
from autograd import validate
from autograd.errors import ArgumentTypeError

from .. import functional as F
from ..module import Module


class Flatten(Module):
    """Merge dims ``start_dim``..``end_dim`` (default: all but the batch dim), e.g.
    (N, 16, 5, 5) -> (N, 400) before LeNet's first fully connected layer."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = validate.integer(start_dim, "start_dim", "Flatten")
        self.end_dim = validate.integer(end_dim, "end_dim", "Flatten")

    def forward(self, input):
        return F.flatten(input, self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size`` (the inverse of Flatten; one size may be
    -1, inferred), as ``autograd.unflatten``."""

    def __init__(self, dim, unflattened_size):
        super().__init__()
        op = "Unflatten"
        self.dim = validate.integer(dim, "dim", op)
        if not isinstance(unflattened_size, (list, tuple)):
            raise ArgumentTypeError(f"{op}: unflattened_size must be a tuple of ints, got "
                                    f"{type(unflattened_size).__name__} {unflattened_size!r}")
        self.unflattened_size = tuple(validate.integer(s, "unflattened_size", op, minimum=-1)
                                      for s in unflattened_size)

    def forward(self, input):
        return ag.unflatten(input, self.dim, self.unflattened_size)

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
