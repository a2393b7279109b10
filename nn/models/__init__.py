"""The model zoo: the architectures the slides walk through, built as torchvision builds them.

=============  ==========================================  ===================================
constructor    source                                      parameters (1000 classes, RGB)
=============  ==========================================  ===================================
lenet5         LeCun et al. 1998 (ReLU / max-pool variant)  61,706 (10 classes, grayscale)
alexnet        Krizhevsky et al. 2012 (torchvision)         61,100,840
vgg11/13/16/19 Simonyan & Zisserman 2014                    132,863,336 / 133,047,848 /
                                                            138,357,544 / 143,667,240
googlenet      Szegedy et al. 2014                          6,624,904 (aux_logits=False),
                                                            13,004,888 (with aux heads)
resnet18/34/50 He et al. 2015                               11,689,512 / 21,797,672 / 25,557,032
densenet121    Huang et al. 2017                            7,978,856
text_cnn       Kim 2014 (sentence classification)           depends on the vocabulary
pilotnet       Bojarski et al. 2016 (steering from camera)  252,219
=============  ==========================================  ===================================

Every constructor takes ``num_classes`` and ``in_channels``; all but ``lenet5`` take
``small_input=True`` for 28x28 images (a CIFAR-style stem or one pool fewer, documented per
model), which leaves the default 224x224 architecture exactly torchvision's.

    import nn
    model = nn.models.resnet18(num_classes=10, in_channels=1, small_input=True)
    nn.summary(model, (1, 28, 28))
"""

from .alexnet import AlexNet, alexnet
from .densenet import DenseNet, densenet121, densenet161, densenet169, densenet201
from .googlenet import GoogLeNet, GoogLeNetOutputs, googlenet
from .lenet import LeNet5, lenet5
from .resnet import (BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50, resnet101,
                     resnet152)
from .text_cnn import PilotNet, TextCNN, pilotnet, text_cnn
from .vgg import (VGG, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn)

__all__ = ["LeNet5", "lenet5", "AlexNet", "alexnet", "VGG", "vgg11", "vgg11_bn", "vgg13",
           "vgg13_bn", "vgg16", "vgg16_bn", "vgg19", "vgg19_bn", "GoogLeNet", "GoogLeNetOutputs",
           "googlenet", "ResNet", "BasicBlock", "Bottleneck", "resnet18", "resnet34", "resnet50",
           "resnet101", "resnet152", "DenseNet", "densenet121", "densenet161", "densenet169",
           "densenet201", "TextCNN", "text_cnn", "PilotNet", "pilotnet"]


def __getattr__(name):
    # torchvision's weight enums (``ResNet18_Weights.DEFAULT``): no weights can be had here
    if name.endswith("_Weights"):
        raise AttributeError(f"nn.models.{name}: no pretrained weights can be downloaded here "
                             "(no network, and none ship with the framework); build models "
                             "with weights=None")
    raise AttributeError(f"module 'nn.models' has no attribute {name!r}")
