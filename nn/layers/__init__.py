"""The layer modules, one file per family; all re-exported by ``nn``."""

from .activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from .dropout import Dropout, Dropout1d, Dropout2d
from .embedding import Embedding
from .flatten import Flatten, Unflatten
from .linear import Identity, Linear
from .norm import BatchNorm1d, BatchNorm2d, LayerNorm, LocalResponseNorm
from .pixelshuffle import PixelShuffle, PixelUnshuffle
from .pool import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d,
                   MaxPool2d)

__all__ = ["LeakyReLU", "LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Tanh", "Conv1d", "Conv2d",
           "ConvTranspose1d", "ConvTranspose2d", "Dropout", "Dropout1d", "Dropout2d", "Embedding", "Flatten",
           "Unflatten", "Identity", "Linear", "BatchNorm1d", "BatchNorm2d", "LayerNorm",
           "LocalResponseNorm", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AvgPool1d",
           "AvgPool2d", "MaxPool1d", "MaxPool2d", "PixelShuffle", "PixelUnshuffle"]
