"""torchvision's namespace (what ``import torchvision`` gives a script), for ported code:
``nn.vision.datasets``, ``.transforms``, ``.utils``, ``.io`` are ``nn.data``'s, ``.models``
is ``nn.models``. ``python -m autograd.port`` maps ``import torchvision`` here.
"""

from nn import models  # noqa: F401
from nn.data import datasets, io, transforms, utils  # noqa: F401

__all__ = ["datasets", "transforms", "utils", "io", "models"]
