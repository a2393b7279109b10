"""The base of the image datasets (``torchvision.datasets.vision``): ``VisionDataset``,
``StandardTransform``."""

import os

from ..dataset import Dataset

__all__ = ["VisionDataset", "StandardTransform"]


class StandardTransform:
    """``transform`` on the input and ``target_transform`` on the target, as one callable."""

    def __init__(self, transform=None, target_transform=None):
        self.transform, self.target_transform = transform, target_transform

    def __call__(self, input, target):
        if self.transform is not None:
            input = self.transform(input)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return input, target

    def __repr__(self):
        body = [type(self).__name__]
        for head, t in (("Transform: ", self.transform),
                        ("Target transform: ", self.target_transform)):
            if t is not None:
                lines = repr(t).splitlines()
                body += [head + lines[0]] + [" " * len(head) + line for line in lines[1:]]
        return "\n".join(body)


class VisionDataset(Dataset):
    """Base of the image datasets: ``root``, ``transform``/``target_transform`` (or a joint
    ``transforms``), and torchvision's repr.

    Raises
    ------
    ValueError
        When both ``transforms`` and ``transform``/``target_transform`` are given.
    """

    def __init__(self, root=None, transforms=None, transform=None, target_transform=None):
        if isinstance(root, (str, os.PathLike)):
            root = os.path.expanduser(root)
        self.root = root
        separate = transform is not None or target_transform is not None
        if transforms is not None and separate:
            raise ValueError("Only transforms or transform/target_transform can be passed as "
                             "argument")
        self.transform, self.target_transform = transform, target_transform
        self.transforms = StandardTransform(transform, target_transform) if separate \
            else transforms

    def extra_repr(self):
        return ""

    def apply_transforms(self, sample, target):
        """``(transform(sample), target_transform(target))``, each when given."""
        return (sample, target) if self.transforms is None else self.transforms(sample, target)

    def __repr__(self):
        body = [f"Number of datapoints: {len(self)}"]
        if self.root is not None:
            body.append(f"Root location: {self.root}")
        body += self.extra_repr().splitlines()
        if self.transforms is not None:
            body.append(repr(self.transforms))  # one entry: only its first line is indented
        return "\n".join([f"Dataset {type(self).__name__}"] + ["    " + line for line in body])
