"""``Dropout``: AlexNet's regulariser ("dropout 0.5", SLIDES section 5); ``Dropout1d`` and
``Dropout2d`` drop whole channels."""

from autograd import validate

from .. import functional as F
from ..module import Module


class Dropout(Module):
    """Inverted dropout: in training, zero each element with probability ``p`` and scale the
    rest by 1/(1-p); the identity in eval mode. Masks come from the generator seeded by
    ``autograd.manual_seed``. ``inplace`` is accepted and ignored.

    Raises ArgumentError for p outside [0, 1], ArgumentTypeError for a p that is not a number.
    """

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        self.p = validate.probability(p, "p (dropout probability)", type(self).__name__)
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """Channel dropout of (N, C, L) or (C, L) input: whole channels are zeroed with
    probability ``p``, the rest scaled by 1/(1-p) (see ``F.dropout1d``)."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training)


class Dropout2d(Dropout):
    """Channel dropout of (N, C, H, W) or (C, H, W) input: whole feature maps are zeroed
    with probability ``p``, the rest scaled by 1/(1-p) (see ``F.dropout2d``)."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training)
