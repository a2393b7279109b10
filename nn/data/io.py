"""Reading and writing image files (``torchvision.io``), by Pillow.

    from nn.data.io import read_image, ImageReadMode
    image = read_image("cat.png")                          # uint8 Tensor (C, H, W)
    gray = read_image("cat.png", ImageReadMode.GRAY)       # (1, H, W)
"""

import enum
import io as _bytes_io
import os

import numpy as np
from PIL import Image, ImageOps

import autograd
from autograd import Tensor

__all__ = ["ImageReadMode", "read_image", "decode_image", "read_file", "write_png",
           "write_jpeg"]


class ImageReadMode(enum.Enum):
    """The channels to decode to (``torchvision.io.ImageReadMode``)."""
    UNCHANGED = 0
    GRAY = 1
    GRAY_ALPHA = 2
    RGB = 3
    RGB_ALPHA = 4
    RGBA = 4                    # torchvision's alias of RGB_ALPHA


_CONVERT = {ImageReadMode.GRAY: "L", ImageReadMode.GRAY_ALPHA: "LA", ImageReadMode.RGB: "RGB",
            ImageReadMode.RGB_ALPHA: "RGBA"}
# UNCHANGED keeps the stored channels: palette and bilevel images are expanded to 8 bits
_UNCHANGED = {"1": "L", "P": "RGB", "PA": "RGBA", "CMYK": "RGB", "YCbCr": "RGB", "I": "I;16"}


def _mode(mode):
    if isinstance(mode, str):
        try:
            return ImageReadMode[mode.upper()]
        except KeyError:
            pass
    if isinstance(mode, ImageReadMode):
        return mode
    raise ValueError(f"read_image: mode should be an ImageReadMode (UNCHANGED, GRAY, "
                     f"GRAY_ALPHA, RGB, RGB_ALPHA) or its name, got {mode!r}")


def _decode(image, mode, apply_exif_orientation):
    mode = _mode(mode)
    if apply_exif_orientation:
        image = ImageOps.exif_transpose(image)
    if mode is ImageReadMode.UNCHANGED:
        target = _UNCHANGED.get(image.mode, image.mode)
        if image.mode == "P" and "transparency" in image.info:
            target = "RGBA"
    else:
        target = _CONVERT[mode]
    if image.mode != target:
        image = image.convert(target)
    array = np.asarray(image)
    if image.mode.startswith("I;16"):
        array = array.astype(np.uint16)
    elif array.dtype != np.uint8:
        raise ValueError(f"read_image: cannot decode an image of mode {image.mode!r} to "
                         "uint8/uint16")
    array = array.reshape(image.height, image.width, -1).transpose(2, 0, 1)
    return autograd.from_numpy(np.ascontiguousarray(array))


def read_image(path, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """The image file at ``path`` (PNG, JPEG, GIF, BMP, WEBP, ...) as a uint8 Tensor
    (C, H, W) (16-bit PNGs give uint16, as torchvision).

    ``mode`` (an ImageReadMode or its name): UNCHANGED keeps the file's channels (1 gray,
    2 gray+alpha, 3 RGB, 4 RGBA; palette images are expanded to RGB/RGBA), GRAY/GRAY_ALPHA/
    RGB/RGB_ALPHA convert with Pillow (gray = ITU-R 601-2 luma; libpng/libjpeg, which
    torchvision uses, may differ by 1 in a converted value).

    Raises
    ------
    FileNotFoundError
        When ``path`` does not exist.
    ValueError
        For a bad ``mode``.
    RuntimeError
        For a file that Pillow cannot decode (as torchvision), naming the file.
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"read_image: {path} does not exist")
    try:
        with Image.open(path) as image:
            image.load()
            return _decode(image, mode, apply_exif_orientation)
    except (OSError, SyntaxError) as exc:
        raise RuntimeError(f"read_image: {path}: not a readable image ({exc})") from exc


def read_file(path):
    """The bytes of the file at ``path`` as a uint8 Tensor (N,)."""
    with open(os.fspath(path), "rb") as f:
        return autograd.from_numpy(np.frombuffer(f.read(), dtype=np.uint8).copy())


def decode_image(input, mode=ImageReadMode.UNCHANGED, apply_exif_orientation=False):
    """``read_image`` for a path, or decode a uint8 Tensor (N,) of encoded bytes
    (``torchvision.io.decode_image``)."""
    if not isinstance(input, Tensor):
        return read_image(input, mode, apply_exif_orientation)
    data = input.detach().numpy()
    if data.dtype != np.uint8 or data.ndim != 1:
        raise ValueError(f"decode_image: expected a 1-d uint8 tensor of encoded bytes, got "
                         f"{data.dtype} of shape {tuple(data.shape)}")
    try:
        with Image.open(_bytes_io.BytesIO(data.tobytes())) as image:
            image.load()
            return _decode(image, mode, apply_exif_orientation)
    except (OSError, SyntaxError) as exc:
        raise RuntimeError(f"decode_image: not a readable image ({exc})") from exc


def _pil(input, name):
    if not isinstance(input, Tensor) or input.dtype != np.uint8 or input.ndim != 3 \
            or input.shape[0] not in (1, 2, 3, 4):
        raise ValueError(f"{name}: input should be a uint8 Tensor (C, H, W) with C in 1..4, got "
                         f"{getattr(input, 'dtype', type(input))} of shape "
                         f"{tuple(getattr(input, 'shape', ()))}")
    array = input.detach().numpy().transpose(1, 2, 0)
    return Image.fromarray(np.ascontiguousarray(array[:, :, 0] if array.shape[2] == 1
                                                else array))


def write_png(input, filename, compression_level=6):
    """Write a uint8 Tensor (C, H, W) to ``filename`` as PNG (zlib level 0..9)."""
    _pil(input, "write_png").save(os.fspath(filename), format="PNG",
                                  compress_level=compression_level)


def write_jpeg(input, filename, quality=75):
    """Write a uint8 Tensor (1 or 3, H, W) to ``filename`` as JPEG (quality 1..100)."""
    _pil(input, "write_jpeg").save(os.fspath(filename), format="JPEG", quality=quality)
