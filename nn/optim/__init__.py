"""Optimizers and learning-rate schedules with PyTorch's names, defaults and update formulas.

    import nn.optim as optim
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
"""

from . import lr_scheduler  # noqa: F401
from .adadelta import Adadelta  # noqa: F401
from .adagrad import Adagrad  # noqa: F401
from .adam import Adam, AdamW  # noqa: F401
from .optimizer import Optimizer  # noqa: F401
from .rmsprop import RMSprop  # noqa: F401
from .sgd import SGD  # noqa: F401

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "RMSprop", "Adadelta", "Adagrad",
           "lr_scheduler"]
