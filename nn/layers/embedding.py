"""``Embedding``: a learnable lookup table (the word vectors of the slides' text CNN)."""

import numpy as np

import autograd as ag
from autograd import validate
from autograd.errors import ArgumentError, ShapeError

from .. import functional as F
from .. import init
from ..module import Module, Parameter
from ._util import factory_dtype


class Embedding(Module):
    """Row i of ``weight`` for each integer index i.

    Parameters
    ----------
    num_embeddings, embedding_dim : int
    padding_idx : int, optional
        This row is initialised to zeros and receives no gradient.

    Attributes
    ----------
    weight : Parameter, shape=(num_embeddings, embedding_dim), initialised N(0, 1).

    Shape: integer input S -> output S + (embedding_dim,).

    Raises
    ------
    ArgumentError, ArgumentTypeError
        Negative or non-int sizes, a ``padding_idx`` outside [-num_embeddings,
        num_embeddings) or not an int (PyTorch's assertion).
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, device=None,
                 dtype=None, _weight=None):
        super().__init__()
        op = "Embedding"
        self.num_embeddings = validate.size(num_embeddings, "num_embeddings", op)
        self.embedding_dim = validate.size(embedding_dim, "embedding_dim", op)
        if padding_idx is not None:
            padding_idx = validate.integer(padding_idx, "padding_idx", op)
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ArgumentError(f"Embedding: padding_idx {padding_idx} must be within "
                                    f"[-{num_embeddings}, {num_embeddings}) (num_embeddings="
                                    f"{num_embeddings})")
            padding_idx %= num_embeddings
        self.padding_idx = padding_idx
        if _weight is not None:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise ShapeError(f"Embedding: _weight of shape {tuple(_weight.shape)} does not "
                                 f"match ({num_embeddings}, {embedding_dim})")
            self.weight = Parameter(_weight)
        else:
            self.weight = Parameter(np.empty((self.num_embeddings, self.embedding_dim),
                                             dtype=factory_dtype(dtype, device, "Embedding")))
            self.reset_parameters()

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None):
        """An Embedding holding ``embeddings`` (2-D), frozen unless ``freeze=False``."""
        rows, cols = embeddings.shape
        module = cls(rows, cols, padding_idx=padding_idx, _weight=embeddings)
        module.weight.requires_grad_(not freeze)
        return module

    def reset_parameters(self):
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with ag.no_grad():
                self.weight[self.padding_idx] = 0

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx)

    def extra_repr(self):
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s
