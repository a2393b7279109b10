"""ResNet [He, Zhang, Ren and Sun 2015, "Deep residual learning for image recognition"], as in
torchvision (ResNet v1.5: the stride of a downsampling Bottleneck sits on its 3x3 conv).

A residual block fits F(x) and outputs relu(F(x) + x) (the slides' identity shortcut); when the
block halves the resolution and doubles the filters, the shortcut is a strided 1x1 conv + BN
(``downsample``). BasicBlock = two 3x3 convs (ResNet-18/34); Bottleneck = 1x1 reduce, 3x3,
1x1 expand by 4 (ResNet-50 and deeper). Stem: 7x7/2 conv, 3x3/2 max pool; head: global average
pool and one FC. Parameters at 1000 classes: ResNet-18 11,689,512, ResNet-34 21,797,672,
ResNet-50 25,557,032 (torchvision's figures; the same state_dict names, e.g.
``layer1.0.conv1.weight``, ``layer2.0.downsample.0.weight``, ``bn1.running_mean``, ``fc.bias``).

``small_input=True`` is the CIFAR-style stem for 28x28 / 32x32 images: conv1 is 3x3 stride 1
pad 1 and the stem max pool is skipped (an Identity), so the four stages run at 28, 14, 7 and
4 pixels instead of 7, 4, 2 and 1 (the default geometry runs on 28x28 too, but ends at 1x1).
"""

import nn

from nn import init

from . import _utils

__all__ = ["ResNet", "BasicBlock", "Bottleneck", "resnet18", "resnet34", "resnet50",
           "resnet101", "resnet152"]


def conv3x3(in_planes, out_planes, stride=1):
    """3x3 convolution, padding 1, no bias (BatchNorm follows)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes, out_planes, stride=1):
    """1x1 convolution, no bias."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), two 3x3 convs.

    x : (N, inplanes, H, W) -> (N, planes, H / stride, W / stride).
    """

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    """1x1 reduce to ``planes``, 3x3 (carrying the stride), 1x1 expand to ``4 * planes``,
    plus the shortcut, then ReLU.

    x : (N, inplanes, H, W) -> (N, 4 * planes, H / stride, W / stride).
    """

    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv1x1(inplanes, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class ResNet(nn.Module):
    """ResNet: stem (conv1, bn1, relu, maxpool), layer1..layer4, avgpool, fc.

    Input (N, in_channels, H, W), 224x224 by default (28x28 for ``small_input``); output
    (N, num_classes) logits.

    Parameters
    ----------
    block : BasicBlock or Bottleneck
    layers : list of 4 ints
        Blocks per stage ([2, 2, 2, 2] for ResNet-18, [3, 4, 6, 3] for ResNet-34/50).
    num_classes, in_channels : int
    zero_init_residual : bool
        Start each block's last BN at weight 0 so every block begins as the identity
        (Goyal et al. 2017; torchvision's option).
    small_input : bool
        3x3 stride-1 stem without max pool.
    """

    def __init__(self, block, layers, num_classes=1000, in_channels=3, zero_init_residual=False,
                 small_input=False):
        super().__init__()
        self.inplanes = 64
        if small_input:
            self.conv1 = nn.Conv2d(in_channels, 64, kernel_size=3, stride=1, padding=1,
                                   bias=False)
        else:
            self.conv1 = nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3,
                                   bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = _utils.Identity() if small_input else \
            nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)
        self._initialize_weights(zero_init_residual)

    def _make_layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def _initialize_weights(self, zero_init_residual):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                _utils.init_batchnorm(m)
        if zero_init_residual:
            for m in self.modules():
                last_bn = getattr(m, "bn3", None) if isinstance(m, Bottleneck) else \
                    getattr(m, "bn2", None) if isinstance(m, BasicBlock) else None
                if last_bn is not None:
                    init.zeros_(last_bn.weight)

    def forward(self, x):
        """x : Tensor, shape=(N, in_channels, H, W) -> logits, shape=(N, num_classes)."""
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.avgpool(x)
        return self.fc(x.flatten(1))


def resnet18(num_classes=1000, in_channels=3, *, weights=None, progress=True,
             **kwargs):
    """ResNet-18 (BasicBlock, [2, 2, 2, 2]): 11,689,512 parameters at 1000 classes."""
    _utils.no_pretrained("resnet18", weights, kwargs)
    return ResNet(BasicBlock, [2, 2, 2, 2], num_classes, in_channels, **kwargs)


def resnet34(num_classes=1000, in_channels=3, *, weights=None, progress=True,
             **kwargs):
    """ResNet-34 (BasicBlock, [3, 4, 6, 3]): 21,797,672 parameters at 1000 classes."""
    _utils.no_pretrained("resnet34", weights, kwargs)
    return ResNet(BasicBlock, [3, 4, 6, 3], num_classes, in_channels, **kwargs)


def resnet50(num_classes=1000, in_channels=3, *, weights=None, progress=True,
             **kwargs):
    """ResNet-50 (Bottleneck, [3, 4, 6, 3]): 25,557,032 parameters at 1000 classes."""
    _utils.no_pretrained("resnet50", weights, kwargs)
    return ResNet(Bottleneck, [3, 4, 6, 3], num_classes, in_channels, **kwargs)


def resnet101(num_classes=1000, in_channels=3, *, weights=None, progress=True,
              **kwargs):
    """ResNet-101 (Bottleneck, [3, 4, 23, 3]): 44,549,160 parameters at 1000 classes."""
    _utils.no_pretrained("resnet101", weights, kwargs)
    return ResNet(Bottleneck, [3, 4, 23, 3], num_classes, in_channels, **kwargs)


def resnet152(num_classes=1000, in_channels=3, *, weights=None, progress=True,
              **kwargs):
    """ResNet-152 (Bottleneck, [3, 8, 36, 3]): 60,192,808 parameters at 1000 classes."""
    _utils.no_pretrained("resnet152", weights, kwargs)
    return ResNet(Bottleneck, [3, 8, 36, 3], num_classes, in_channels, **kwargs)
