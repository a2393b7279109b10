"""Datasets from a folder tree (``torchvision.datasets.folder``): ``DatasetFolder``,
``ImageFolder`` and the helpers torchvision exports with them."""

import os

from PIL import Image

from .vision import VisionDataset

__all__ = ["DatasetFolder", "ImageFolder", "IMG_EXTENSIONS", "find_classes", "make_dataset",
           "has_file_allowed_extension", "is_image_file", "pil_loader", "default_loader"]


IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def has_file_allowed_extension(filename, extensions):
    """True if ``filename`` ends (case-insensitively) with one of ``extensions``."""
    return filename.lower().endswith(extensions if isinstance(extensions, str)
                                     else tuple(extensions))


def is_image_file(filename):
    """True if ``filename`` has one of ``IMG_EXTENSIONS``."""
    return has_file_allowed_extension(filename, IMG_EXTENSIONS)


def find_classes(directory):
    """``(classes, class_to_idx)``: the sub-folders of ``directory``, sorted, numbered 0...

    Raises
    ------
    FileNotFoundError
        When ``directory`` has no sub-folder.
    """
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: i for i, name in enumerate(classes)}


def make_dataset(directory, class_to_idx=None, extensions=None, is_valid_file=None,
                 allow_empty=False):
    """``[(path, class_index)]`` of the valid files under each class folder, walked in sorted
    order (following links), as ``torchvision.datasets.folder.make_dataset``.

    Raises
    ------
    ValueError
        When both or neither of ``extensions`` and ``is_valid_file`` are given, or
        ``class_to_idx`` is empty.
    FileNotFoundError
        When a class has no valid file (unless ``allow_empty``).
    """
    directory = os.path.expanduser(directory)
    if class_to_idx is None:
        _, class_to_idx = find_classes(directory)
    elif not class_to_idx:
        raise ValueError("'class_to_index' must have at least one entry to collect any "
                         "samples.")
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at "
                         "the same time")
    if extensions is not None:
        def is_valid_file(path):
            return has_file_allowed_extension(path, extensions)
    instances, found = [], set()
    for target_class in sorted(class_to_idx):
        target_dir = os.path.join(directory, target_class)
        if not os.path.isdir(target_dir):
            continue
        for root, _, fnames in sorted(os.walk(target_dir, followlinks=True)):
            for fname in sorted(fnames):
                path = os.path.join(root, fname)
                if is_valid_file(path):
                    instances.append((path, class_to_idx[target_class]))
                    found.add(target_class)
    empty = set(class_to_idx) - found
    if empty and not allow_empty:
        message = f"Found no valid file for the classes {', '.join(sorted(empty))}. "
        if extensions is not None:
            message += ("Supported extensions are: " + (extensions if isinstance(extensions, str)
                                                        else ", ".join(extensions)))
        raise FileNotFoundError(message)
    return instances


def pil_loader(path):
    """The image at ``path`` as an RGB PIL image (the file is closed before returning)."""
    with open(path, "rb") as f:
        image = Image.open(f)
        return image.convert("RGB")


default_loader = pil_loader


class DatasetFolder(VisionDataset):
    """Samples arranged as ``root/<class>/.../<file>`` (``torchvision.datasets.DatasetFolder``).

    Parameters
    ----------
    root : str or path
    loader : callable
        Loads a sample from its path.
    extensions : tuple of str, optional
        Allowed endings (lower case); exactly one of ``extensions`` and ``is_valid_file``.
    transform, target_transform : callable, optional
    is_valid_file : callable, optional
        ``is_valid_file(path) -> bool``.
    allow_empty : bool, default False
        Allow class folders with no valid file.

    Attributes
    ----------
    classes : sorted list of the class folder names
    class_to_idx : dict name -> index
    samples : list of (path, class index), in sorted order; ``targets``: the indices

    Raises
    ------
    FileNotFoundError
        For a root without class folders, or a class without files (see ``make_dataset``).
    """

    def __init__(self, root, loader, extensions=None, transform=None, target_transform=None,
                 is_valid_file=None, allow_empty=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        classes, class_to_idx = self.find_classes(self.root)
        samples = self.make_dataset(self.root, class_to_idx, extensions, is_valid_file,
                                    allow_empty)
        self.loader, self.extensions = loader, extensions
        self.classes, self.class_to_idx = classes, class_to_idx
        self.samples = samples
        self.targets = [s[1] for s in samples]

    @staticmethod
    def make_dataset(directory, class_to_idx, extensions=None, is_valid_file=None,
                     allow_empty=False):
        if class_to_idx is None:
            raise ValueError("The class_to_idx parameter cannot be None.")
        return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty)

    def find_classes(self, directory):
        return find_classes(directory)

    def __getitem__(self, index):
        """``(loader(path), class index)`` after the transforms."""
        path, target = self.samples[index]
        return self.apply_transforms(self.loader(path), target)

    def __len__(self):
        return len(self.samples)


class ImageFolder(DatasetFolder):
    """Images arranged as ``root/<class>/<image>`` loaded as RGB PIL images by Pillow
    (``torchvision.datasets.ImageFolder``); ``imgs`` is ``samples``. See ``DatasetFolder``."""

    def __init__(self, root, transform=None, target_transform=None, loader=default_loader,
                 is_valid_file=None, allow_empty=False):
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None,
                         transform=transform, target_transform=target_transform,
                         is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.imgs = self.samples
