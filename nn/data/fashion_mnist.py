"""Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 70,000 28x28 grey images of 10 clothing classes,
read from the original IDX files (``torchvision.datasets.FashionMNIST``'s interface).

Where the files are looked for, in order: ``root`` (and ``root/FashionMNIST/raw``, the layout
torchvision uses), ``$FASHION_MNIST_DIR``, and Debian's ``dataset-fashion-mnist`` package
(``/usr/share/datasets/fashion-mnist``). Nothing is downloaded.

This is the framework's convenience loader, not torchvision's class: ``root`` is optional, a
sample is already a float32 Tensor (1, 28, 28) in [0, 1] (``.data`` holds all of them, float32
(N, 1, 28, 28)), and a ``DataLoader`` batch is one fancy-index. A ported torchvision script
gets ``nn.data.datasets.FashionMNIST`` instead: ``root/FashionMNIST/raw`` only, PIL images
that a ``transforms.ToTensor()`` turns into Tensors, ``.data`` uint8 (N, 28, 28).
"""

import gzip
import os

import numpy as np

from .dataset import ArrayDataset

__all__ = ["FashionMNIST", "read_idx", "find_fashion_mnist", "SYSTEM_DIR"]

SYSTEM_DIR = "/usr/share/datasets/fashion-mnist"
_ENV = "FASHION_MNIST_DIR"
_FILES = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
          False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
# IDX type codes (the third byte of the magic number) -> big-endian numpy dtypes
_IDX_TYPES = {0x08: np.dtype(">u1"), 0x09: np.dtype(">i1"), 0x0B: np.dtype(">i2"),
              0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
_HOW_TO_GET = ("install Debian's package (apt-get install dataset-fashion-mnist, which puts them "
               f"in {SYSTEM_DIR}), or set {_ENV} to a directory holding the four IDX files "
               "(train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
               "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])")


def read_idx(path):
    """Read an IDX file (the MNIST format), gzip-compressed or not, into a numpy array.

    Format (LeCun's MNIST page): two zero bytes, a type code (0x08 ubyte, 0x09 byte, 0x0B
    short, 0x0C int, 0x0D float, 0x0E double), the number of dimensions, each dimension as a
    big-endian int32, then the values, big-endian, row-major.

    Raises
    ------
    ValueError
        Bad magic number, truncated file, or trailing bytes (message names the file).
    FileNotFoundError
        When ``path`` does not exist.
    """
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":                 # gzip's magic: decompress whatever the name
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ValueError(f"read_idx: {path}: corrupted or truncated gzip data ({exc})") from exc
    if len(raw) < 4:
        raise ValueError(f"read_idx: {path}: {len(raw)} bytes, too short for an IDX header")
    magic = int.from_bytes(raw[:4], "big")
    if raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES or raw[3] == 0:
        raise ValueError(f"read_idx: {path}: bad magic number 0x{magic:08X} (an IDX file starts "
                         "with 0x0000, a type code 08/09/0B/0C/0D/0E and the number of "
                         "dimensions)")
    dtype, ndim = _IDX_TYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"read_idx: {path}: truncated header ({len(raw)} bytes, {header} needed "
                         f"for {ndim} dimensions)")
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">i4", count=ndim, offset=4))
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) != expected:
        kind = "truncated" if len(raw) < expected else "has trailing bytes"
        raise ValueError(f"read_idx: {path}: {kind}: {len(raw)} bytes, the header (magic "
                         f"0x{magic:08X}, shape {shape}) implies {expected}")
    array = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="))          # native byte order, writable copy


def _find_file(directory, stem):
    for name in (stem, stem + ".gz"):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    return None


def find_fashion_mnist(root=None, train=True):
    """The paths ``(images, labels)`` of the split, searched as the module docstring says.

    Raises
    ------
    FileNotFoundError
        Naming every directory searched and how to get the files.
    """
    if root is not None:
        root = os.path.expanduser(os.fspath(root))
        candidates = [root, os.path.join(root, "FashionMNIST", "raw")]
    else:
        candidates = ([os.environ[_ENV]] if os.environ.get(_ENV) else []) + [SYSTEM_DIR]
    for directory in candidates:
        paths = tuple(_find_file(directory, stem) for stem in _FILES[bool(train)])
        if None not in paths:
            return paths
    split = "train" if train else "test (t10k)"
    raise FileNotFoundError(f"FashionMNIST: the {split} IDX files were not found in "
                            f"{', '.join(candidates)}; {_HOW_TO_GET}")


class FashionMNIST(ArrayDataset):
    """The Fashion-MNIST training (60,000) or test (10,000) split.

    Parameters
    ----------
    root : str or path, optional
        Directory with the IDX files (see the module docstring for the search order).
    train : bool, default True
    transform, target_transform : callable, optional
        Applied to each image Tensor (1, 28, 28) / label int when a sample is taken.
    download : bool, default False
        Accepted for torchvision compatibility; files are never downloaded (the error
        message says how to install them).

    Attributes
    ----------
    data : Tensor, float32, shape (N, 1, 28, 28), values in [0, 1] (pixel / 255)
    targets : Tensor, int64, shape (N,), values 0..9
    classes : the 10 class names, indexed by label

    Raises
    ------
    FileNotFoundError
        When the files are missing (with instructions).
    ValueError
        When a file is not a valid IDX file of the expected shape, or images and labels
        disagree.
    """

    classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]

    def __init__(self, root=None, train=True, transform=None, target_transform=None,
                 download=False):
        self.root, self.train = root, bool(train)
        image_path, label_path = find_fashion_mnist(root, train)
        images, labels = read_idx(image_path), read_idx(label_path)
        if images.dtype != np.uint8 or images.ndim != 3 or images.shape[1:] != (28, 28):
            raise ValueError(f"FashionMNIST: {image_path}: expected uint8 images of shape "
                             f"(N, 28, 28), got {images.dtype} {tuple(images.shape)}")
        if labels.dtype != np.uint8 or labels.ndim != 1:
            raise ValueError(f"FashionMNIST: {label_path}: expected uint8 labels of shape (N,), "
                             f"got {labels.dtype} {tuple(labels.shape)}")
        if len(labels) != len(images):
            raise ValueError(f"FashionMNIST: {len(images)} images ({image_path}) but "
                             f"{len(labels)} labels ({label_path})")
        if labels.size and labels.max() > 9:
            raise ValueError(f"FashionMNIST: {label_path}: label {labels.max()} outside 0..9")
        data = np.divide(images, 255, dtype=np.float32)[:, None, :, :]
        super().__init__(np.ascontiguousarray(data), labels.astype(np.int64),
                         transform, target_transform)
