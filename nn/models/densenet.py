"""DenseNet-BC [Huang, Liu, van der Maaten and Weinberger 2017, "Densely connected
convolutional networks"], as in torchvision.

In a dense block every layer takes the concatenation of all earlier feature maps of the block
(the slides' point) and adds ``growth_rate`` new maps: BN-ReLU-1x1 conv (to bn_size *
growth_rate, the "B" bottleneck) then BN-ReLU-3x3 conv. Between blocks a transition
(BN-ReLU-1x1 conv halving the channels, the "C" compression, then 2x2 average pool) halves the
resolution. DenseNet-121: growth 32, blocks (6, 12, 24, 16), 64 stem features; 7,978,856
parameters at 1000 classes, torchvision's state_dict names
(``features.denseblock1.denselayer1.conv1.weight``, ``features.transition1.conv.weight``,
``features.norm5.running_var``, ``classifier.weight``).

``small_input=True`` (28x28 images, which the default stem and three transitions would shrink
28 -> 7 -> 3 -> 1 -> 0): conv0 becomes 3x3 stride 1 pad 1 and pool0 an Identity, so the blocks
run at 28, 14, 7 and 3 pixels.
"""

from collections import OrderedDict

import autograd
import nn

from nn import functional as F
from nn import init

from . import _utils

__all__ = ["DenseNet", "densenet121", "densenet161", "densenet169", "densenet201"]


class _DenseLayer(nn.Module):
    """BN-ReLU-Conv1x1(bn_size*k)-BN-ReLU-Conv3x3(k), with optional dropout.

    x : (N, num_input_features, H, W) -> (N, growth_rate, H, W) (the new maps only).
    """

    def __init__(self, num_input_features, growth_rate, bn_size, drop_rate):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(num_input_features)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(num_input_features, bn_size * growth_rate, kernel_size=1,
                               stride=1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, kernel_size=3, stride=1,
                               padding=1, bias=False)
        self.drop_rate = float(drop_rate)
        self.dropout = nn.Dropout(p=self.drop_rate) if drop_rate > 0 else None

    def forward(self, x):
        out = self.conv1(self.relu1(self.norm1(x)))
        out = self.conv2(self.relu2(self.norm2(out)))
        return self.dropout(out) if self.dropout is not None else out


class _DenseBlock(nn.Module):
    """``num_layers`` dense layers; each sees the concatenation of the block input and all
    earlier layers' outputs.

    x : (N, C, H, W) -> (N, C + num_layers * growth_rate, H, W).
    """

    def __init__(self, num_layers, num_input_features, bn_size, growth_rate, drop_rate):
        super().__init__()
        self.num_layers = num_layers
        for i in range(num_layers):
            layer = _DenseLayer(num_input_features + i * growth_rate, growth_rate, bn_size,
                                drop_rate)
            setattr(self, f"denselayer{i + 1}", layer)

    def forward(self, x):
        features = [x]
        for i in range(self.num_layers):
            layer = getattr(self, f"denselayer{i + 1}")
            features.append(layer(autograd.cat(features, 1)))
        return autograd.cat(features, 1)


class _Transition(nn.Sequential):
    """BN-ReLU-Conv1x1 (compression) - AvgPool 2x2/2:
    (N, C_in, H, W) -> (N, C_out, H // 2, W // 2)."""

    def __init__(self, num_input_features, num_output_features):
        super().__init__(OrderedDict([
            ("norm", nn.BatchNorm2d(num_input_features)),
            ("relu", nn.ReLU(inplace=True)),
            ("conv", nn.Conv2d(num_input_features, num_output_features, kernel_size=1,
                               stride=1, bias=False)),
            ("pool", nn.AvgPool2d(kernel_size=2, stride=2)),
        ]))


class DenseNet(nn.Module):
    """DenseNet-BC: ``features`` (stem, dense blocks, transitions, norm5), ReLU, global
    average pool, ``classifier``.

    Input (N, in_channels, H, W), 224x224 by default (28x28 with ``small_input``); output
    (N, num_classes) logits.

    Parameters
    ----------
    growth_rate : int
        New maps per dense layer (k in the paper).
    block_config : tuple of 4 ints
        Layers per dense block.
    num_init_features : int
        Channels of the stem conv.
    bn_size : int
        Bottleneck width multiplier (bn_size * k maps after the 1x1 conv).
    drop_rate : float
        Dropout after each dense layer.
    num_classes, in_channels : int
    small_input : bool
        3x3 stride-1 stem without max pool.
    """

    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64,
                 bn_size=4, drop_rate=0.0, num_classes=1000, in_channels=3, small_input=False):
        super().__init__()
        if small_input:
            stem = [("conv0", nn.Conv2d(in_channels, num_init_features, kernel_size=3,
                                        stride=1, padding=1, bias=False)),
                    ("norm0", nn.BatchNorm2d(num_init_features)),
                    ("relu0", nn.ReLU(inplace=True)),
                    ("pool0", _utils.Identity())]
        else:
            stem = [("conv0", nn.Conv2d(in_channels, num_init_features, kernel_size=7,
                                        stride=2, padding=3, bias=False)),
                    ("norm0", nn.BatchNorm2d(num_init_features)),
                    ("relu0", nn.ReLU(inplace=True)),
                    ("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1))]
        layers = OrderedDict(stem)
        num_features = num_init_features
        for i, num_layers in enumerate(block_config):
            layers[f"denseblock{i + 1}"] = _DenseBlock(num_layers, num_features, bn_size,
                                                       growth_rate, drop_rate)
            num_features += num_layers * growth_rate
            if i != len(block_config) - 1:
                layers[f"transition{i + 1}"] = _Transition(num_features, num_features // 2)
                num_features //= 2
        layers["norm5"] = nn.BatchNorm2d(num_features)
        self.features = nn.Sequential(layers)
        self.classifier = nn.Linear(num_features, num_classes)
        self._initialize_weights()

    def _initialize_weights(self):
        # torchvision's "official init from torch repo"
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                _utils.init_batchnorm(m)
            elif isinstance(m, nn.Linear):
                _utils.zero_bias(m)

    def forward(self, x):
        """x : Tensor, shape=(N, in_channels, H, W) -> logits, shape=(N, num_classes)."""
        out = F.adaptive_avg_pool2d(F.relu(self.features(x)), (1, 1))   # functional, as
        return self.classifier(out.flatten(1))                           # torchvision


def _densenet(growth_rate, block_config, num_init_features, num_classes, in_channels,
              **kwargs):
    return DenseNet(growth_rate, block_config, num_init_features, num_classes=num_classes,
                    in_channels=in_channels, **kwargs)


def densenet121(num_classes=1000, in_channels=3, *, weights=None, progress=True,
                **kwargs):
    """DenseNet-121 (k=32, blocks 6-12-24-16): 7,978,856 parameters at 1000 classes."""
    _utils.no_pretrained("densenet121", weights, kwargs)
    return _densenet(32, (6, 12, 24, 16), 64, num_classes, in_channels, **kwargs)


def densenet161(num_classes=1000, in_channels=3, *, weights=None, progress=True,
                **kwargs):
    """DenseNet-161 (k=48, blocks 6-12-36-24, 96 stem features): 28,681,000 parameters."""
    _utils.no_pretrained("densenet161", weights, kwargs)
    return _densenet(48, (6, 12, 36, 24), 96, num_classes, in_channels, **kwargs)


def densenet169(num_classes=1000, in_channels=3, *, weights=None, progress=True,
                **kwargs):
    """DenseNet-169 (k=32, blocks 6-12-32-32): 14,149,480 parameters at 1000 classes."""
    _utils.no_pretrained("densenet169", weights, kwargs)
    return _densenet(32, (6, 12, 32, 32), 64, num_classes, in_channels, **kwargs)


def densenet201(num_classes=1000, in_channels=3, *, weights=None, progress=True,
                **kwargs):
    """DenseNet-201 (k=32, blocks 6-12-48-32): 20,013,928 parameters at 1000 classes."""
    _utils.no_pretrained("densenet201", weights, kwargs)
    return _densenet(32, (6, 12, 48, 32), 64, num_classes, in_channels, **kwargs)
