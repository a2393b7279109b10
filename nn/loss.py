"""Loss modules: thin classes that hold the options and call ``nn.functional``.

Every loss takes ``(input, target)``; ``reduction`` is 'mean' (default), 'sum' or 'none'.
Mis-shaped or mis-typed targets raise ShapeError / DTypeError naming the loss and both shapes.
"""

from autograd import validate

from . import functional as F
from .module import Module

__all__ = ["MSELoss", "L1Loss", "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss",
           "HalfSquaredError", "SmoothL1Loss", "HuberLoss"]


class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = validate.reduction(reduction, type(self).__name__)


class _WeightedLoss(_Loss):
    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", validate.optional_tensor(weight, type(self).__name__,
                                                                "weight"))


class MSELoss(_Loss):
    """Mean squared error (x - t)², input and target of the same shape."""

    def forward(self, input, target):
        return F.mse_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """Mean absolute error |x - t|, input and target of the same shape."""

    def forward(self, input, target):
        return F.l1_loss(input, target, self.reduction)


class SmoothL1Loss(_Loss):
    """Smooth L1 loss, quadratic for |x - t| < beta, linear beyond (see ``F.smooth_l1_loss``)."""

    def __init__(self, reduction="mean", beta=1.0):
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, self.reduction, self.beta)


class HuberLoss(_Loss):
    """Huber loss, quadratic for |x - t| < delta, linear beyond (see ``F.huber_loss``)."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, self.reduction, self.delta)


class HalfSquaredError(_Loss):
    """The slides' error E = 1/2 (y - t)² (SLIDES section 1), whose derivative is simply
    dE/dy = y - t. Summed over all elements by default (``reduction='sum'``), as the slides
    add the errors of the output nodes."""

    def __init__(self, reduction="sum"):
        super().__init__(reduction)

    def forward(self, input, target):
        return F.half_squared_error(input, target, self.reduction)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood of log-probabilities (N, C[, d...]) against int64 class
    indices (N[, d...]); see ``F.nll_loss``."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy from logits (N, C[, d...]) against int64 class indices
    (N[, d...]) or class probabilities; stable for large logits. See ``F.cross_entropy``.

    Parameters
    ----------
    weight : Tensor, shape=(C,), optional
    ignore_index : int (default -100)
    reduction : 'mean', 'sum' or 'none'
    label_smoothing : float in [0, 1]
    """

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(weight, reduction)
        self.ignore_index = validate.integer(ignore_index, "ignore_index", "CrossEntropyLoss")
        self.label_smoothing = validate.probability(label_smoothing, "label_smoothing",
                                                    "CrossEntropyLoss")

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction,
                               self.label_smoothing)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy of probabilities in [0, 1] (after a sigmoid)."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    """Sigmoid + binary cross-entropy in one numerically stable step (from logits)."""

    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(weight, reduction)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, self.reduction,
                                                  self.pos_weight)
