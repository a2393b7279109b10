"""Datasets with torchvision's interface (``torchvision.datasets``): ``MNIST``,
``FashionMNIST``, ``KMNIST``, ``CIFAR10``, ``CIFAR100``, ``FakeData``, ``DatasetFolder``,
``ImageFolder``.

    from nn.data import datasets, transforms
    train = datasets.MNIST("../data", train=True, transform=transforms.ToTensor())
    image, label = train[0]          # float32 Tensor (1, 28, 28) in [0, 1], int

As in torchvision, a sample is ``(PIL image, int)`` before any ``transform``; ``.data`` /
``.targets`` hold the raw uint8 images and int64 labels. Nothing is downloaded (there is no
network): ``download=True`` accepts files already in place and otherwise raises
``DatasetNotFoundError`` saying where to put them. The framework's own
``nn.data.FashionMNIST`` is a different, faster thing: it finds the files by itself
(``$FASHION_MNIST_DIR``, Debian's package) and gives float32 Tensors (1, 28, 28) directly.
"""

import os
import pickle
import tarfile
import warnings

import numpy as np
from PIL import Image

import autograd
from autograd.errors import DatasetNotFoundError

from .dataset import Dataset
from .fashion_mnist import SYSTEM_DIR, read_idx
from .transforms.functional import to_pil_image

__all__ = ["VisionDataset", "StandardTransform", "MNIST", "FashionMNIST", "KMNIST", "CIFAR10",
           "CIFAR100", "FakeData",
           "DatasetFolder", "ImageFolder", "IMG_EXTENSIONS", "find_classes", "make_dataset",
           "has_file_allowed_extension", "is_image_file", "pil_loader", "default_loader"]


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


# -- MNIST and friends -------------------------------------------------------------------------
def _renamed(old, new):
    """A property ``old`` that warns as torchvision does and returns ``new``."""
    def get(self):
        warnings.warn(f"{old} has been renamed {new}", stacklevel=2)
        return getattr(self, new)
    return property(get, doc=f"Old name of ``{new}`` (warns).")


class MNIST(VisionDataset):
    """MNIST (LeCun et al. 1998) read from the four IDX files in ``root/MNIST/raw``
    (``torchvision.datasets.MNIST``); each file may be gzip-compressed (``.gz``) or not.

    Parameters
    ----------
    root : str or path
        The directory holding ``<ClassName>/raw/`` (``MNIST``, ``FashionMNIST``, ``KMNIST``).
    train : bool, default True
        ``train-*-idx?-ubyte`` (60,000 images) or ``t10k-*`` (10,000).
    transform, target_transform : callable, optional
        Applied to the PIL image (mode 'L', 28x28) / the int label of each sample.
    download : bool, default False
        Accepted; the files must already be there (this framework has no downloader).

    Attributes
    ----------
    data : Tensor, uint8, (N, 28, 28)
    targets : Tensor, int64, (N,)
    classes : list of str; class_to_idx : dict

    Raises
    ------
    DatasetNotFoundError
        (a RuntimeError and FileNotFoundError) when a file is missing, naming the folder.
    TypeError / ValueError
        When a file is not an IDX file of uint8 images (N, H, W) / labels (N,).
    """

    classes = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
               "7 - seven", "8 - eight", "9 - nine"]
    where_to_get = ""                   # a hint for the not-found message

    def __init__(self, root, train=True, transform=None, target_transform=None,
                 download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        split = "train" if train else "t10k"
        images = self._find(f"{split}-images-idx3-ubyte", download)
        labels = self._find(f"{split}-labels-idx1-ubyte", download)
        data, targets = read_idx(images), read_idx(labels)
        if data.dtype != np.uint8 or targets.dtype != np.uint8:
            raise TypeError(f"{type(self).__name__}: expected uint8 IDX files, got "
                            f"{data.dtype} ({images}) and {targets.dtype} ({labels})")
        if data.ndim != 3 or targets.ndim != 1 or len(data) != len(targets):
            raise ValueError(f"{type(self).__name__}: expected images (N, H, W) and labels (N,),"
                             f" got {data.shape} ({images}) and {targets.shape} ({labels})")
        self.data = autograd.from_numpy(data)
        self.targets = autograd.from_numpy(targets.astype(np.int64))

    @property
    def raw_folder(self):
        return os.path.join(self.root, type(self).__name__, "raw")

    @property
    def processed_folder(self):
        return os.path.join(self.root, type(self).__name__, "processed")

    @property
    def class_to_idx(self):
        return {name: i for i, name in enumerate(self.classes)}

    def _find(self, stem, download):
        for name in (stem, stem + ".gz"):
            path = os.path.join(self.raw_folder, name)
            if os.path.isfile(path):
                return path
        asked = "download=True was given, but this framework downloads nothing (no network)" \
            if download else "Dataset not found"
        raise DatasetNotFoundError(
            f"{type(self).__name__}: {asked}: {stem} (or {stem}.gz) is not in {self.raw_folder}."
            f" Put the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            f"t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each possibly .gz) there"
            + self.where_to_get)

    def __getitem__(self, index):
        """``(PIL image mode 'L', int target)`` after the transforms."""
        image = Image.fromarray(self.data.numpy()[index])
        return self.apply_transforms(image, int(self.targets.numpy()[index]))

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"

    # torchvision's old names, with its warnings
    train_labels = _renamed("train_labels", "targets")
    test_labels = _renamed("test_labels", "targets")
    train_data = _renamed("train_data", "data")
    test_data = _renamed("test_data", "data")


class FashionMNIST(MNIST):
    """Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) from ``root/FashionMNIST/raw``; see
    ``MNIST`` (same files, same interface, clothing classes)."""

    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]
    where_to_get = (f" (Debian's dataset-fashion-mnist package installs them in {SYSTEM_DIR}:"
                    " link or copy them)")


class KMNIST(MNIST):
    """Kuzushiji-MNIST (Clanuwat et al. 2018) from ``root/KMNIST/raw``; see ``MNIST``."""

    classes = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


# -- CIFAR -------------------------------------------------------------------------------------
class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles the CIFAR batches (dicts of lists, strings and numpy arrays) and nothing
    else: any other class in the file is refused, so a file cannot run code."""
    _ALLOWED = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray",
                                                             "_reconstruct"),
                ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode")}

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"CIFAR: refusing to unpickle {module}.{name}")


def _unpickle(path):
    with open(path, "rb") as f:
        try:
            return _ArrayUnpickler(f, encoding="latin1").load()
        except (pickle.UnpicklingError, EOFError, ValueError) as exc:
            raise ValueError(f"CIFAR: {path} is not a CIFAR batch file ({exc})") from exc


class CIFAR10(VisionDataset):
    """CIFAR-10 (Krizhevsky 2009): 60,000 32x32 RGB images of 10 classes, read from the python
    batches in ``root/cifar-10-batches-py`` (``torchvision.datasets.CIFAR10``).

    With ``download=True`` an archive ``root/cifar-10-python.tar.gz`` already in place is
    extracted; nothing is downloaded. Samples are ``(PIL image 'RGB', int)``.

    Attributes
    ----------
    data : ndarray, uint8, (N, 32, 32, 3) (HWC, as torchvision)
    targets : list of int
    classes : list of str (from ``batches.meta``); class_to_idx : dict

    Raises
    ------
    DatasetNotFoundError
        When a batch file is missing (naming the folder).
    ValueError
        When a file is not a CIFAR batch (only numpy arrays, lists and strings are unpickled).
    """

    base_folder = "cifar-10-batches-py"
    filename = "cifar-10-python.tar.gz"
    train_list = ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                  "data_batch_5"]
    test_list = ["test_batch"]
    meta = {"filename": "batches.meta", "key": "label_names"}

    def __init__(self, root, train=True, transform=None, target_transform=None,
                 download=False):
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        folder = os.path.join(self.root, self.base_folder)
        names = (self.train_list if train else self.test_list) + [self.meta["filename"]]
        archive = os.path.join(self.root, self.filename)
        if download and not os.path.isdir(folder) and os.path.isfile(archive):
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(self.root, filter="data")
        missing = [n for n in names if not os.path.isfile(os.path.join(folder, n))]
        if missing:
            asked = "download=True was given, but this framework downloads nothing" \
                if download else "Dataset not found"
            raise DatasetNotFoundError(
                f"{type(self).__name__}: {asked}: {', '.join(missing)} not in {folder}. "
                f"Extract {self.filename} (the python version) into {self.root}, or put "
                f"the archive there and pass download=True")
        batches = [_unpickle(os.path.join(folder, n)) for n in names[:-1]]
        self.data = np.vstack([b["data"] for b in batches]).reshape(-1, 3, 32, 32) \
            .transpose(0, 2, 3, 1)
        self.targets = [int(t) for b in batches for t in b.get("labels", b.get("fine_labels"))]
        self.classes = list(_unpickle(os.path.join(folder, names[-1]))[self.meta["key"]])
        self.class_to_idx = {name: i for i, name in enumerate(self.classes)}

    def __getitem__(self, index):
        """``(PIL image 'RGB' 32x32, int target)`` after the transforms."""
        return self.apply_transforms(Image.fromarray(self.data[index]), self.targets[index])

    def __len__(self):
        return len(self.data)

    def extra_repr(self):
        return f"Split: {'Train' if self.train is True else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100 from ``root/cifar-100-python`` (fine labels); see ``CIFAR10``."""

    base_folder = "cifar-100-python"
    filename = "cifar-100-python.tar.gz"
    train_list = ["train"]
    test_list = ["test"]
    meta = {"filename": "meta", "key": "fine_label_names"}


# -- FakeData ----------------------------------------------------------------------------------
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


# -- folders of images -------------------------------------------------------------------------
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
