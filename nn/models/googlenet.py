"""GoogLeNet / Inception v1 [Szegedy et al. 2014, "Going deeper with convolutions"], as in
torchvision.

22 layers of Inception modules: four parallel branches (1x1; 1x1 -> 3x3; 1x1 -> "5x5"; 3x3
max pool -> 1x1) concatenated along depth, the 1x1 "bottleneck" convs cutting the depth before
the expensive convs (the slides' point). No FC layers but the classifier: global average pool,
dropout 0.4 in the paper (0.2 in torchvision, used here), one Linear. Two auxiliary classifiers
on inception4a and inception4d inject gradient into the lower layers during training.

torchvision details reproduced so the parameter count is its 6,624,904 (13,004,888 with the
auxiliary heads) and the state_dict names match: every conv is ``BasicConv2d`` = Conv2d without
bias + BatchNorm2d(eps=0.001) + ReLU; the "5x5" branch uses a 3x3 kernel (a known torchvision
quirk, pytorch/vision#906, kept for parameter parity); max pools use ``ceil_mode=True``.

``small_input=True`` (28x28 images): conv1 becomes a 3x3 stride-1 conv (CIFAR-style stem),
so the inception stages run at 7, 3 and 2 pixels instead of 1.
"""

from collections import namedtuple

import autograd
import nn

from nn import functional as F
from nn import init

from . import _utils

__all__ = ["GoogLeNet", "GoogLeNetOutputs", "Inception", "InceptionAux", "BasicConv2d",
           "googlenet"]

GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])
GoogLeNetOutputs.__doc__ = """What GoogLeNet returns in training mode with ``aux_logits``:
the main logits and the auxiliary heads' logits (on inception4d and inception4a), each
(N, num_classes). torchvision's order."""


class BasicConv2d(nn.Module):
    """Conv2d(bias=False) -> BatchNorm2d(eps=0.001) -> ReLU; ``kwargs`` go to Conv2d."""

    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    """Four branches concatenated along channels.

    x : (N, in_channels, H, W) -> (N, ch1x1 + ch3x3 + ch5x5 + pool_proj, H, W).
    """

    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(
            BasicConv2d(in_channels, ch3x3red, kernel_size=1),
            BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1))
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, kernel_size=1),
            # 3x3, not 5x5: torchvision's known quirk (pytorch/vision#906), kept for parity
            BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1))
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            BasicConv2d(in_channels, pool_proj, kernel_size=1))

    def forward(self, x):
        branches = [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]
        return autograd.cat(branches, 1)


class InceptionAux(nn.Module):
    """Auxiliary classifier: 4x4 adaptive average pool, 1x1 conv to 128, FC 1024, dropout 0.7,
    FC num_classes.  x : (N, in_channels, H, W) -> (N, num_classes)."""

    def __init__(self, in_channels, num_classes, dropout=0.7):
        super().__init__()
        self.conv = BasicConv2d(in_channels, 128, kernel_size=1)
        self.fc1 = nn.Linear(2048, 1024)
        self.fc2 = nn.Linear(1024, num_classes)
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x):
        # pooling and ReLU are functional here, as in torchvision (the same children)
        x = self.conv(F.adaptive_avg_pool2d(x, (4, 4))).flatten(1)
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


class GoogLeNet(nn.Module):
    """GoogLeNet (Inception v1).

    Input (N, in_channels, H, W), 224x224 by default (28x28 with ``small_input``).
    Returns logits (N, num_classes); in training mode with ``aux_logits`` a
    :data:`GoogLeNetOutputs` ``(logits, aux_logits2, aux_logits1)`` instead (as torchvision).

    Parameters
    ----------
    num_classes, in_channels : int
    aux_logits : bool
        Build the two auxiliary classifiers.
    transform_input : bool
        Re-normalise ImageNet-standardised RGB input to the [-1, 1] scaling the original
        TensorFlow weights expect (torchvision's option; needs in_channels=3).
    init_weights : bool
        torchvision's init: conv and linear weights from N(0, 0.01^2) truncated at 2 sigma,
        BatchNorm weight 1 and bias 0.
    dropout, dropout_aux : float
    small_input : bool

    Raises
    ------
    ValueError
        ``transform_input`` with in_channels != 3.
    """

    def __init__(self, num_classes=1000, in_channels=3, aux_logits=True, transform_input=False,
                 init_weights=True, dropout=0.2, dropout_aux=0.7, small_input=False):
        super().__init__()
        if transform_input and in_channels != 3:
            raise ValueError(f"GoogLeNet: transform_input needs 3 input channels, "
                             f"got in_channels={in_channels}")
        self.aux_logits = aux_logits
        self.transform_input = transform_input
        if small_input:
            self.conv1 = BasicConv2d(in_channels, 64, kernel_size=3, stride=1, padding=1)
        else:
            self.conv1 = BasicConv2d(in_channels, 64, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, kernel_size=1)
        self.conv3 = BasicConv2d(64, 192, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)

        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)

        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)

        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)

        if aux_logits:
            self.aux1 = InceptionAux(512, num_classes, dropout=dropout_aux)
            self.aux2 = InceptionAux(528, num_classes, dropout=dropout_aux)
        else:
            self.aux1 = None
            self.aux2 = None

        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(1024, num_classes)
        if init_weights:
            self._initialize_weights()

    def _initialize_weights(self):
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                init.trunc_normal_(m.weight, mean=0.0, std=0.01, a=-2.0, b=2.0)
            elif isinstance(m, nn.BatchNorm2d):
                _utils.init_batchnorm(m)

    def _transform_input(self, x):
        # ImageNet mean/std normalised -> (x - 0.5) / 0.5, per channel
        if not self.transform_input:
            return x
        scale = autograd.tensor([0.229, 0.224, 0.225], dtype=x.dtype).reshape(1, 3, 1, 1) / 0.5
        shift = (autograd.tensor([0.485, 0.456, 0.406], dtype=x.dtype).reshape(1, 3, 1, 1)
                 - 0.5) / 0.5
        return x * scale + shift

    def forward(self, x):
        """x : Tensor, shape=(N, in_channels, H, W) -> logits (N, num_classes), or
        GoogLeNetOutputs in training mode with aux_logits."""
        x = self._transform_input(x)
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux_on = self.training and self.aux_logits
        aux1 = self.aux1(x) if aux_on else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if aux_on else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        x = self.dropout(self.avgpool(x).flatten(1))
        x = self.fc(x)
        return GoogLeNetOutputs(x, aux2, aux1) if aux_on else x


def googlenet(num_classes=1000, in_channels=3, aux_logits=True, *, weights=None, progress=True,
              **kwargs):
    """GoogLeNet as torchvision builds it: 6,624,904 parameters at 1000 classes without the
    auxiliary heads (``aux_logits=False``), 13,004,888 with them."""
    _utils.no_pretrained("googlenet", weights, kwargs)
    return GoogLeNet(num_classes=num_classes, in_channels=in_channels, aux_logits=aux_logits,
                     **kwargs)
