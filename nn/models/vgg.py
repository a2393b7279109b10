"""VGG [Simonyan and Zisserman 2014, "Very deep convolutional networks for large-scale image
recognition"], configurations A (VGG11), B (VGG13), D (VGG16), E (VGG19), as in torchvision.

Only 3x3 convolutions (stride 1, pad 1) and 2x2 max pools (stride 2), as on the slides:
VGG16 = 64-64-P-128-128-P-256x3-P-512x3-P-512x3-P-FC4096-FC4096-FC1000, 138,357,544
parameters. Three stacked 3x3 convs see a 7x7 window with 3 * 3^2 C^2 instead of 7^2 C^2
weights. The ``_bn`` variants put BatchNorm2d after every conv (torchvision's ``vgg16_bn``).

``small_input=True`` (28x28 or 32x32 images, where five pools would shrink 28 -> 0): the
fifth max pool is dropped (28 -> 14 -> 7 -> 3 -> 1), ``avgpool`` becomes
``AdaptiveAvgPool2d((1, 1))`` and FC6 takes 512 inputs instead of 512*7*7. Conv layers and
all parameter names are unchanged.
"""

import nn

from nn import init

from . import _utils

__all__ = ["VGG", "make_layers", "cfgs", "vgg11", "vgg11_bn", "vgg13", "vgg13_bn", "vgg16",
           "vgg16_bn", "vgg19", "vgg19_bn"]

# numbers are conv output channels, "M" a 2x2/2 max pool (the paper's table 1)
cfgs = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "B": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512,
          "M"],
    "E": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512,
          512, 512, 512, "M"],
}


def make_layers(cfg, batch_norm=False, in_channels=3, small_input=False):
    """The ``features`` Sequential for a configuration list (conv, [BN,] ReLU / max pool).

    With ``small_input`` the last max pool is left out (see the module docstring).
    """
    if small_input:
        cfg = cfg[:-1] if cfg[-1] == "M" else cfg
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(in_channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        in_channels = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """VGG: ``features``, ``avgpool``, ``classifier`` (FC6, FC7, FC8 with ReLU and dropout).

    Input (N, C, H, W) with H = W = 224 by default (>= 32 works), 28..32 for ``small_input``.
    Output (N, num_classes) logits.

    Parameters
    ----------
    features : Sequential
        From :func:`make_layers`.
    num_classes : int
    init_weights : bool
        torchvision's init: convs Kaiming normal (fan_out, ReLU gain), linears N(0, 0.01^2),
        biases 0, BatchNorm weight 1.
    dropout : float
    small_input : bool
        Global average pool and a 512-input FC6 (pair it with ``make_layers(small_input=True)``).
    """

    def __init__(self, features, num_classes=1000, init_weights=True, dropout=0.5,
                 small_input=False):
        super().__init__()
        self.features = features
        side = 1 if small_input else 7
        self.avgpool = nn.AdaptiveAvgPool2d((side, side))
        self.classifier = nn.Sequential(
            nn.Linear(512 * side * side, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )
        if init_weights:
            self._initialize_weights()

    def _initialize_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
                _utils.zero_bias(m)
            elif isinstance(m, nn.BatchNorm2d):
                _utils.init_batchnorm(m)
            elif isinstance(m, nn.Linear):
                init.normal_(m.weight, 0.0, 0.01)
                _utils.zero_bias(m)

    def forward(self, x):
        """x : Tensor, shape=(N, C, H, W) -> logits, shape=(N, num_classes)."""
        x = self.avgpool(self.features(x))
        return self.classifier(x.flatten(1))


def _vgg(cfg, batch_norm, num_classes, in_channels, small_input, **kwargs):
    features = make_layers(cfgs[cfg], batch_norm=batch_norm, in_channels=in_channels,
                           small_input=small_input)
    return VGG(features, num_classes=num_classes, small_input=small_input, **kwargs)


def vgg11(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
          **kwargs):
    """VGG11 (configuration A): 132,863,336 parameters at 1000 classes."""
    _utils.no_pretrained("vgg11", weights, kwargs)
    return _vgg("A", False, num_classes, in_channels, small_input, **kwargs)


def vgg11_bn(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
             **kwargs):
    """VGG11 with BatchNorm: 132,868,840 parameters at 1000 classes."""
    _utils.no_pretrained("vgg11_bn", weights, kwargs)
    return _vgg("A", True, num_classes, in_channels, small_input, **kwargs)


def vgg13(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
          **kwargs):
    """VGG13 (configuration B): 133,047,848 parameters at 1000 classes."""
    _utils.no_pretrained("vgg13", weights, kwargs)
    return _vgg("B", False, num_classes, in_channels, small_input, **kwargs)


def vgg13_bn(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
             **kwargs):
    """VGG13 with BatchNorm: 133,053,736 parameters at 1000 classes."""
    _utils.no_pretrained("vgg13_bn", weights, kwargs)
    return _vgg("B", True, num_classes, in_channels, small_input, **kwargs)


def vgg16(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
          **kwargs):
    """VGG16 (configuration D, the slides' network): 138,357,544 parameters at 1000 classes."""
    _utils.no_pretrained("vgg16", weights, kwargs)
    return _vgg("D", False, num_classes, in_channels, small_input, **kwargs)


def vgg16_bn(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
             **kwargs):
    """VGG16 with BatchNorm: 138,365,992 parameters at 1000 classes."""
    _utils.no_pretrained("vgg16_bn", weights, kwargs)
    return _vgg("D", True, num_classes, in_channels, small_input, **kwargs)


def vgg19(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
          **kwargs):
    """VGG19 (configuration E): 143,667,240 parameters at 1000 classes."""
    _utils.no_pretrained("vgg19", weights, kwargs)
    return _vgg("E", False, num_classes, in_channels, small_input, **kwargs)


def vgg19_bn(num_classes=1000, in_channels=3, small_input=False, *, weights=None, progress=True,
             **kwargs):
    """VGG19 with BatchNorm: 143,678,248 parameters at 1000 classes."""
    _utils.no_pretrained("vgg19_bn", weights, kwargs)
    return _vgg("E", True, num_classes, in_channels, small_input, **kwargs)
