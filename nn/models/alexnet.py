"""AlexNet [Krizhevsky, Sutskever and Hinton 2012, "ImageNet classification with deep
convolutional neural networks"], in three flavours.

* default: torchvision's ``alexnet`` exactly (the single-GPU "one weird trick" variant of
  Krizhevsky 2014): channels 64-192-384-256-256, no LRN, ``AdaptiveAvgPool2d((6, 6))``;
  61,100,840 parameters for 1000 classes, the same ``features.N`` / ``classifier.N`` names.
* ``original=True``: the slides' (and the paper's) geometry on 227x227 inputs: CONV1 96 11x11
  stride 4 -> 55x55x96, MAX POOL1 3x3/2 -> 27x27x96, NORM1, CONV2 256 5x5 pad 2 -> 27x27x256,
  MAX POOL2 -> 13x13x256, NORM2, CONV3 384, CONV4 384, CONV5 256 (3x3 pad 1), MAX POOL3 ->
  6x6x256, FC6 4096, FC7 4096, FC8. The two-GPU channel split is not reproduced (each conv
  sees all input channels, as on the slides): 62,378,344 parameters for 1000 classes.
* ``small_input=True``: for 28x28 (up to ~32x32) images, where the stride-4 stem would shrink
  the map to nothing: conv1 becomes 3x3 stride 1 pad 1 and the last max pool 3x3 stride 1
  pad 1, so 28 -> 28 -> 13 -> 13 -> 6 -> 6 -> 6 and the classifier is torchvision's.

NORM is ``LocalResponseNorm(size=5, alpha=5e-4, beta=0.75, k=2)``: the paper's n=5, alpha=1e-4,
beta=0.75, k=2 with PyTorch's convention of dividing alpha by n. ``original=True`` includes it;
``lrn=True`` adds it (after pool1 and pool2, the slides' order) to the other flavours.
"""

import nn

from . import _utils


__all__ = ["AlexNet", "alexnet"]


def _lrn():
    # the paper's k=2, n=5, alpha=1e-4, beta=0.75; PyTorch divides alpha by n
    return nn.LocalResponseNorm(size=5, alpha=5e-4, beta=0.75, k=2.0)


class AlexNet(nn.Module):
    """AlexNet: ``features`` (convs and pools), ``avgpool``, ``classifier`` (three FCs).

    Input (N, in_channels, H, W): H = W = 224 (default; anything >= 63 works), 227 for
    ``original=True``, 28..32 for ``small_input=True``. Output (N, num_classes) logits.

    Parameters
    ----------
    num_classes : int
    in_channels : int
    dropout : float
        Dropout probability before FC6 and FC7 (0.5 in the paper).
    lrn : bool
        Insert LocalResponseNorm after pool1 and pool2 (always on with ``original``).
    original : bool
        The slides' 96-256-384-384-256 network for 227x227 inputs.
    small_input : bool
        3x3 stride-1 stem and stride-1 last pool, for 28x28 images.

    Raises
    ------
    ValueError
        ``original`` and ``small_input`` together.
    """

    def __init__(self, num_classes=1000, in_channels=3, dropout=0.5, lrn=False,
                 original=False, small_input=False):
        super().__init__()
        if original and small_input:
            raise ValueError("AlexNet: original=True (227x227 inputs) and small_input=True "
                             "(28x28 inputs) are exclusive")
        self.features = nn.Sequential(*self._feature_layers(in_channels, lrn or original,
                                                            original, small_input))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout),
            nn.Linear(256 * 6 * 6, 4096),
            nn.ReLU(inplace=True),
            nn.Dropout(p=dropout),
            nn.Linear(4096, 4096),
            nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    @staticmethod
    def _feature_layers(in_channels, lrn, original, small_input):
        c1, c2, c3, c4 = (96, 256, 384, 384) if original else (64, 192, 384, 256)
        if original:
            conv1 = nn.Conv2d(in_channels, c1, kernel_size=11, stride=4)
        elif small_input:
            conv1 = nn.Conv2d(in_channels, c1, kernel_size=3, stride=1, padding=1)
        else:
            conv1 = nn.Conv2d(in_channels, c1, kernel_size=11, stride=4, padding=2)
        last_pool = (nn.MaxPool2d(kernel_size=3, stride=1, padding=1) if small_input
                     else nn.MaxPool2d(kernel_size=3, stride=2))
        layers = [conv1, nn.ReLU(inplace=True), nn.MaxPool2d(kernel_size=3, stride=2)]
        layers += [_lrn()] if lrn else []
        layers += [nn.Conv2d(c1, c2, kernel_size=5, padding=2), nn.ReLU(inplace=True),
                   nn.MaxPool2d(kernel_size=3, stride=2)]
        layers += [_lrn()] if lrn else []
        layers += [nn.Conv2d(c2, c3, kernel_size=3, padding=1), nn.ReLU(inplace=True),
                   nn.Conv2d(c3, c4, kernel_size=3, padding=1), nn.ReLU(inplace=True),
                   nn.Conv2d(c4, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
                   last_pool]
        return layers

    def forward(self, x):
        """x : Tensor, shape=(N, in_channels, H, W) -> logits, shape=(N, num_classes)."""
        x = self.avgpool(self.features(x))
        return self.classifier(x.flatten(1))


def alexnet(num_classes=1000, in_channels=3, *, weights=None, progress=True,
            **kwargs):
    """torchvision's AlexNet (61,100,840 parameters at 1000 classes); see :class:`AlexNet` for
    ``lrn``, ``original`` (the slides' 227x227 network) and ``small_input`` (28x28 images)."""
    _utils.no_pretrained("alexnet", weights, kwargs)
    return AlexNet(num_classes=num_classes, in_channels=in_channels, **kwargs)
