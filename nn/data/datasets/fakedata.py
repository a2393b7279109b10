"""Random images (``torchvision.datasets.fakedata``)."""

import numpy as np

import autograd

from ..transforms.functional import to_pil_image
from .vision import VisionDataset

__all__ = ["FakeData"]


class FakeData(VisionDataset):
    """Random images (``torchvision.datasets.FakeData``): sample ``i`` is a standard-normal
    Tensor of ``image_size`` (C, H, W) turned into a PIL image by ``ToPILImage`` (so x255 and
    wrapped to uint8, as torchvision) and a target in [0, num_classes), both drawn from a
    generator seeded with ``i + random_offset``: the same every time, and the framework's
    generator is left untouched. (torch's generator differs, so the pixels are not
    torchvision's.)

    Raises
    ------
    IndexError
        For an index >= ``size``.
    """

    def __init__(self, size=1000, image_size=(3, 224, 224), num_classes=10, transform=None,
                 target_transform=None, random_offset=0):
        super().__init__(None, transform=transform, target_transform=target_transform)
        self.size, self.num_classes = size, num_classes
        self.image_size, self.random_offset = image_size, random_offset

    def __getitem__(self, index):
        if index >= len(self):
            raise IndexError(f"{type(self).__name__} index out of range")
        generator = np.random.default_rng(index + self.random_offset)
        image = autograd.randn(*self.image_size, generator=generator)
        target = autograd.randint(0, self.num_classes, size=(1,), generator=generator)[0]
        image, target = self.apply_transforms(to_pil_image(image), target)
        return image, target.item() if isinstance(target, autograd.Tensor) else target

    def __len__(self):
        return self.size
