"""``nn``: neural-network building blocks on top of ``autograd`` (PyTorch's ``torch.nn``).

    import nn
    import nn.functional as F
    import nn.optim as optim

    model = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(6 * 12 * 12, 10))
    loss = F.cross_entropy(model(images), labels)

Modules (``Module``, ``Parameter``, ``Sequential``, ``ModuleList``, ``ModuleDict``), layers,
losses, ``functional`` and ``init`` live here; optimizers in ``nn.optim``, datasets and loaders
in ``nn.data``, the model zoo in ``nn.models``, checkpoints in ``save``/``load``.
"""

from autograd.errors import CheckpointError  # noqa: F401

from . import data, functional, init, optim  # noqa: F401
from .layers import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d,  # noqa: F401
                     BatchNorm1d, BatchNorm2d, Conv1d, Conv2d, ConvTranspose1d,
                     ConvTranspose2d, Dropout, Dropout1d, Dropout2d, Embedding, Flatten,
                     Identity, LayerNorm, LeakyReLU, Linear, LocalResponseNorm, LogSoftmax,
                     MaxPool1d, MaxPool2d, PixelShuffle, PixelUnshuffle, ReLU, Sigmoid, Softmax,
                     Tanh, Unflatten)
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HalfSquaredError,  # noqa: F401
                   HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss)
from .module import (Module, ModuleDict, ModuleList, Parameter, RemovableHandle,  # noqa: F401
                     Sequential, StateDictError)
from .serialization import load, save  # noqa: F401

from . import parallel, utils  # noqa: F401
from .parallel import DataParallel  # noqa: F401
from . import models  # noqa: F401  (last: the zoo builds on the classes above)
from .summary import summary  # noqa: F401

_UNSUPPORTED = {"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "RNNBase",
                "MultiheadAttention", "Transformer", "TransformerEncoder",
                "TransformerDecoder", "TransformerEncoderLayer", "TransformerDecoderLayer"}


def __getattr__(name):
    if name in _UNSUPPORTED:
        raise AttributeError(f"nn.{name}: recurrent and attention layers are not supported by "
                             "this framework (ConvNets, MLPs, VAEs, GANs; see the README's "
                             "'Porting a PyTorch program')")
    raise AttributeError(f"module 'nn' has no attribute {name!r}")
