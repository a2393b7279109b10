"""Image transforms as functions (``torchvision.transforms.functional``).

An image is a ``PIL.Image.Image`` or a Tensor of shape ``(..., C, H, W)`` (geometric functions
also take ``(..., H, W)``). PIL images are worked on by Pillow, Tensors by numpy; each function
returns the kind it was given, with the same dtype. The semantics (rounding, which side gets the
odd pixel, fill values, error types) are torchvision's, read from its ``functional.py``,
``_functional_pil.py`` and ``_functional_tensor.py``.
"""

import enum
import numbers

import numpy as np
from PIL import Image

import autograd
from autograd import Tensor

__all__ = ["InterpolationMode", "get_dimensions", "get_image_size", "get_image_num_channels",
           "to_tensor", "pil_to_tensor", "to_pil_image", "normalize", "resize", "pad", "crop",
           "center_crop", "resized_crop", "hflip", "vflip", "rgb_to_grayscale", "to_grayscale"]


class InterpolationMode(enum.Enum):
    """Resampling filters (``torchvision.transforms.InterpolationMode``), Pillow's underneath."""
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"
    HAMMING = "hamming"
    LANCZOS = "lanczos"


_PIL_FILTERS = {InterpolationMode.NEAREST: Image.Resampling.NEAREST,
                InterpolationMode.NEAREST_EXACT: Image.Resampling.NEAREST,
                InterpolationMode.BILINEAR: Image.Resampling.BILINEAR,
                InterpolationMode.BICUBIC: Image.Resampling.BICUBIC,
                InterpolationMode.BOX: Image.Resampling.BOX,
                InterpolationMode.HAMMING: Image.Resampling.HAMMING,
                InterpolationMode.LANCZOS: Image.Resampling.LANCZOS}
# PIL's integer filter codes, accepted for backward compatibility as torchvision does
_FROM_INT = {0: InterpolationMode.NEAREST, 2: InterpolationMode.BILINEAR,
             3: InterpolationMode.BICUBIC, 4: InterpolationMode.BOX,
             5: InterpolationMode.HAMMING, 1: InterpolationMode.LANCZOS}


def _is_pil(img):
    return isinstance(img, Image.Image)


def _array(t):
    """The ndarray behind a Tensor (read-only use; copies are made before writing)."""
    return t.detach().numpy()


def _check_image(img, name):
    if not (_is_pil(img) or isinstance(img, Tensor)):
        raise TypeError(f"{name}: img should be a PIL Image or a Tensor, got {type(img)}")
    if isinstance(img, Tensor) and img.ndim < 2:
        raise ValueError(f"{name}: a tensor image has shape (..., H, W), got {tuple(img.shape)}")


def get_dimensions(img):
    """``[channels, height, width]`` of a PIL image or a Tensor (..., C, H, W)."""
    _check_image(img, "get_dimensions")
    if _is_pil(img):
        return [len(img.getbands()), img.height, img.width]
    shape = tuple(img.shape)
    return [1 if len(shape) == 2 else shape[-3], shape[-2], shape[-1]]


def get_image_size(img):
    """``[width, height]`` (torchvision's order)."""
    _, h, w = get_dimensions(img)
    return [w, h]


def get_image_num_channels(img):
    """The number of channels (bands of a PIL image)."""
    return get_dimensions(img)[0]


# -- conversions -----------------------------------------------------------------------------
_PIL_NPTYPES = {"I": np.int32, "I;16": np.int16, "F": np.float32}


def to_tensor(pic):
    """A PIL image or ndarray (H, W[, C]) as a Tensor (C, H, W) (``transforms.ToTensor``).

    uint8 data (PIL modes L, LA, P, RGB, RGBA, CMYK, YCbCr, ... and uint8 ndarrays) become
    float32 divided by 255, so in [0, 1]; mode '1' is 0 or 1; modes I, I;16, F and other
    ndarray dtypes keep their values and dtype (as in torchvision).

    Raises
    ------
    TypeError
        When ``pic`` is neither a PIL image nor an ndarray (a Tensor already is one).
    ValueError
        For an ndarray that is not 2- or 3-dimensional.
    """
    if isinstance(pic, np.ndarray):
        if pic.ndim not in (2, 3):
            raise ValueError(f"to_tensor: pic should be 2/3 dimensional, got {pic.ndim} "
                             "dimensions")
        array = np.ascontiguousarray((pic[:, :, None] if pic.ndim == 2 else pic)
                                     .transpose(2, 0, 1))
    elif _is_pil(pic):
        array = np.array(pic, _PIL_NPTYPES.get(pic.mode, np.uint8), copy=True)
        if pic.mode == "1":
            array = array * np.uint8(255)
        array = np.ascontiguousarray(array.reshape(pic.height, pic.width, -1).transpose(2, 0, 1))
    else:
        raise TypeError(f"to_tensor: pic should be a PIL Image or ndarray, got {type(pic)}")
    if array.dtype == np.uint8:
        array = np.divide(array, np.float32(255), dtype=np.float32)
    return autograd.from_numpy(array)


def pil_to_tensor(pic):
    """A PIL image as a Tensor (C, H, W) of its own dtype, values unscaled
    (``transforms.PILToTensor``). TypeError for anything else."""
    if not _is_pil(pic):
        raise TypeError(f"pil_to_tensor: pic should be a PIL Image, got {type(pic)}")
    array = np.array(pic)
    return autograd.from_numpy(np.ascontiguousarray(
        array.reshape(pic.height, pic.width, -1).transpose(2, 0, 1)))


def _to_uint8(array):
    """The float -> uint8 cast torch's ``.byte()`` and numpy's ``astype`` do on x86: truncate
    toward zero, then wrap modulo 256 (-0.5*255 gives 129); written out so that it does not
    depend on the platform."""
    return (np.trunc(array).astype(np.int64) % 256).astype(np.uint8)


_MODES = {1: {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16", np.dtype(np.int32): "I",
              np.dtype(np.float32): "F"},
          2: ["LA"], 3: ["RGB", "YCbCr", "HSV"], 4: ["RGBA", "CMYK", "RGBX"]}


def to_pil_image(pic, mode=None):
    """A Tensor (C, H, W) or ndarray (H, W, C) as a PIL image (``transforms.ToPILImage``).

    Float data is multiplied by 255 and cast to uint8 as numpy casts (truncating; out-of-range
    values wrap, so -0.5 gives 129, as torchvision's ``(npimg * 255).astype(np.uint8)`` does on
    x86) unless ``mode='F'``. The mode follows the channels: 1 -> L (or I;16, I, F by dtype),
    2 -> LA, 3 -> RGB, 4 -> RGBA.

    Raises
    ------
    TypeError
        When ``pic`` is not a Tensor/ndarray, or its dtype has no PIL mode.
    ValueError
        For a shape that is not (H, W) / (C, H, W) with C <= 4, or a ``mode`` that does not
        fit the channels or dtype.
    """
    if isinstance(pic, Tensor):
        array = _array(pic)
        array = array.transpose(1, 2, 0) if array.ndim == 3 else array
    elif isinstance(pic, np.ndarray):
        array = pic
    else:
        raise TypeError(f"to_pil_image: pic should be a Tensor or ndarray, got {type(pic)}")
    array = array[:, :, None] if array.ndim == 2 else array
    if array.ndim != 3:
        raise ValueError(f"to_pil_image: pic should be 2/3 dimensional, got {array.ndim} "
                         "dimensions")
    if array.shape[-1] > 4:
        raise ValueError(f"to_pil_image: pic should not have > 4 channels, got "
                         f"{array.shape[-1]} channels")
    if np.issubdtype(array.dtype, np.floating) and mode != "F":
        array = _to_uint8(array * array.dtype.type(255))
    channels = array.shape[2]
    if channels == 1:
        array = array[:, :, 0]
        expected = _MODES[1].get(array.dtype)
        if mode is not None and mode != expected:
            raise ValueError(f"to_pil_image: incorrect mode ({mode}) supplied for input type "
                             f"{array.dtype}; should be {expected}")
        mode = expected
    else:
        if mode is not None and mode not in _MODES[channels]:
            raise ValueError(f"to_pil_image: only modes {_MODES[channels]} are supported for "
                             f"{channels}-channel inputs, got {mode!r}")
        if mode is None and array.dtype == np.uint8:
            mode = _MODES[channels][0]
    if mode is None:
        raise TypeError(f"to_pil_image: input type {array.dtype} is not supported")
    return _pil_from_array(array, mode)


def _pil_from_array(array, mode):
    """A PIL image of ``mode`` holding ``array`` (H, W[, C]); Pillow infers most modes from
    the dtype and shape, the rest (CMYK, YCbCr, I;16, ...) take the raw bytes."""
    array = np.ascontiguousarray(array)
    image = Image.fromarray(array)
    if image.mode == mode:
        return image
    if mode == "I;16":
        array = array.astype("<u2")
    return Image.frombytes(mode, (array.shape[1], array.shape[0]), array.tobytes())


def normalize(tensor, mean, std, inplace=False):
    """``(tensor - mean) / std`` per channel of a float Tensor (..., C, H, W), in its dtype
    (``transforms.Normalize``). Out of place unless ``inplace``.

    Raises
    ------
    TypeError
        When ``tensor`` is not a float Tensor.
    ValueError
        For fewer than 3 dimensions, or a std that is zero in the tensor's dtype.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"normalize: tensor should be a Tensor, got {type(tensor)}")
    if not tensor.is_floating_point():
        raise TypeError(f"normalize: tensor should be a float tensor, got {tensor.dtype}")
    if tensor.ndim < 3:
        raise ValueError("normalize: expected a tensor image of size (..., C, H, W), got "
                         f"tensor.size() = {tuple(tensor.shape)}")
    if not inplace:
        tensor = tensor.clone()
    mean = np.asarray(mean, dtype=tensor.dtype)
    std = np.asarray(std, dtype=tensor.dtype)
    if (std == 0).any():
        raise ValueError(f"normalize: std evaluated to zero after conversion to {tensor.dtype}, "
                         "leading to division by zero")
    mean = mean.reshape(-1, 1, 1) if mean.ndim == 1 else mean
    std = std.reshape(-1, 1, 1) if std.ndim == 1 else std
    return tensor.sub_(autograd.from_numpy(mean)).div_(autograd.from_numpy(std))


# -- geometry --------------------------------------------------------------------------------
def _interpolation(interpolation):
    if isinstance(interpolation, int) and not isinstance(interpolation, bool):
        interpolation = _FROM_INT.get(interpolation, interpolation)
    if not isinstance(interpolation, InterpolationMode):
        raise TypeError(f"interpolation should be an InterpolationMode, got {interpolation!r}")
    return interpolation


def _resized_size(height, width, size, max_size):
    """torchvision's ``_compute_resized_output_size``: an int (or [int]) matches the shorter
    edge, keeping the aspect ratio (truncated); a pair is (h, w)."""
    if isinstance(size, numbers.Integral):
        size = [int(size)]
    size = list(size)
    if len(size) not in (1, 2):
        raise ValueError(f"resize: size must be an int or a 1 or 2 element sequence, got {size}")
    if len(size) == 2:
        if max_size is not None:
            raise ValueError("resize: max_size should only be passed if size specifies the "
                             "length of the smaller edge, i.e. size should be an int")
        return size[0], size[1]
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = size[0], int(size[0] * long / short)
    if max_size is not None:
        if max_size <= size[0]:
            raise ValueError(f"resize: max_size = {max_size} must be strictly greater than the "
                             f"requested size for the smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return (new_long, new_short) if width <= height else (new_short, new_long)


def _float_planes(array):
    """Each (H, W) plane of ``array`` (..., H, W) as a PIL 'F' (float32) image."""
    planes = array.reshape((-1,) + array.shape[-2:]).astype(np.float32, copy=False)
    return [Image.fromarray(np.ascontiguousarray(plane)) for plane in planes]


def resize(img, size, interpolation=InterpolationMode.BILINEAR, max_size=None, antialias=True):
    """Resize to ``size`` (``transforms.Resize``).

    ``size`` an int matches the shorter edge to it (the longer one scaled and truncated); a
    pair ``(h, w)`` is the output size. PIL images go through Pillow's filters (antialiased,
    as torchvision's PIL path). A Tensor (..., H, W) is resized plane by plane with Pillow's
    float ('F') filters, which give ``torch.nn.functional.interpolate(..., antialias=True)``'s
    values to ~1e-6 for bilinear; integer tensors are rounded back to their dtype.

    Raises
    ------
    TypeError
        For a non-image, or an ``interpolation`` that is not an InterpolationMode.
    ValueError
        For a bad ``size`` / ``max_size``.
    """
    _check_image(img, "resize")
    interpolation = _interpolation(interpolation)
    _, height, width = get_dimensions(img)
    out_h, out_w = _resized_size(height, width, size, max_size)
    if (out_h, out_w) == (height, width):
        return img
    resample = _PIL_FILTERS[interpolation]
    if _is_pil(img):
        return img.resize((out_w, out_h), resample)
    array = _array(img)
    planes = [np.asarray(p.resize((out_w, out_h), resample), dtype=np.float32)
              for p in _float_planes(array)]
    out = np.stack(planes).reshape(array.shape[:-2] + (out_h, out_w))
    if np.issubdtype(array.dtype, np.integer):
        info = np.iinfo(array.dtype)
        out = np.clip(np.round(out), info.min, info.max)
    return autograd.from_numpy(out.astype(array.dtype, copy=False))


def _padding(padding):
    """(left, top, right, bottom) from an int or a 1/2/4-sequence (torchvision's order)."""
    if isinstance(padding, numbers.Integral):
        return (int(padding),) * 4
    padding = [int(p) for p in padding]
    if len(padding) == 1:
        return (padding[0],) * 4
    if len(padding) == 2:
        return (padding[0], padding[1], padding[0], padding[1])
    if len(padding) == 4:
        return tuple(padding)
    raise ValueError(f"pad: padding must be an int or a 1, 2, or 4 element sequence, got "
                     f"{len(padding)} elements")


def _pad_array(array, ltrb, fill, padding_mode, hw_axes):
    """Pad (or crop, for negative amounts) the two ``hw_axes`` of ``array``."""
    left, top, right, bottom = ltrb
    h_ax, w_ax = hw_axes
    index = [slice(None)] * array.ndim
    index[h_ax] = slice(max(-top, 0), array.shape[h_ax] - max(-bottom, 0))
    index[w_ax] = slice(max(-left, 0), array.shape[w_ax] - max(-right, 0))
    array = array[tuple(index)]
    widths = [(0, 0)] * array.ndim
    widths[h_ax] = (max(top, 0), max(bottom, 0))
    widths[w_ax] = (max(left, 0), max(right, 0))
    if padding_mode != "constant":
        return np.pad(array, widths, mode=padding_mode)
    shape = tuple(n + a + b for n, (a, b) in zip(array.shape, widths))
    out = np.empty(shape, dtype=array.dtype)
    out[...] = np.asarray(fill, dtype=array.dtype)      # a per-band fill broadcasts on axis -1
    inner = tuple(slice(a, a + n) for n, (a, _) in zip(array.shape, widths))
    out[inner] = array
    return out


_PAD_MODES = {"constant": "constant", "edge": "edge", "reflect": "reflect",
              "symmetric": "symmetric"}


def pad(img, padding, fill=0, padding_mode="constant"):
    """Pad every side of the image (``transforms.Pad``); negative padding crops.

    ``padding``: an int for all sides, (left/right, top/bottom), or (left, top, right, bottom).
    ``padding_mode``: 'constant' (``fill``: a number, or one per band for PIL images), 'edge',
    'reflect' (mirror without the edge pixel) or 'symmetric' (mirror with it).

    Raises
    ------
    TypeError / ValueError
        For a non-image, bad padding, an unknown mode, or a tuple fill on a Tensor.
    """
    _check_image(img, "pad")
    if padding_mode not in _PAD_MODES:
        raise ValueError(f"pad: padding_mode should be constant, edge, reflect or symmetric, "
                         f"got {padding_mode!r}")
    ltrb = _padding(padding)
    if _is_pil(img):
        out = _pad_array(np.asarray(img), ltrb, fill, padding_mode, (0, 1))
        if img.mode == "P":                      # pad the palette indices, keep the palette
            padded = Image.fromarray(out)
            padded.putpalette(img.getpalette())
            return padded
        return _pil_from_array(out, img.mode)
    if not isinstance(fill, numbers.Number):
        raise TypeError(f"pad: a tensor image takes a number as fill, got {fill!r}")
    array = _array(img)
    return autograd.from_numpy(_pad_array(array, ltrb, fill, padding_mode,
                                          (array.ndim - 2, array.ndim - 1)))


def crop(img, top, left, height, width):
    """The box with corner (``top``, ``left``) and size ``height`` x ``width``; parts outside
    the image are zero (PIL's and torchvision's behaviour)."""
    _check_image(img, "crop")
    if _is_pil(img):
        return img.crop((left, top, left + width, top + height))
    _, h, w = get_dimensions(img)
    right, bottom = left + width, top + height
    ltrb = (-left, -top, right - w, bottom - h)         # negative = crop, positive = pad
    array = _array(img)
    return autograd.from_numpy(np.ascontiguousarray(
        _pad_array(array, ltrb, 0, "constant", (array.ndim - 2, array.ndim - 1))))


def _pair(size, what):
    if isinstance(size, numbers.Number):
        return int(size), int(size)
    size = tuple(size)
    if len(size) == 1:
        return int(size[0]), int(size[0])
    if len(size) != 2:
        raise ValueError(f"{what}: please provide only two dimensions (h, w) for size, got "
                         f"{size}")
    return int(size[0]), int(size[1])


def center_crop(img, output_size):
    """The centred ``output_size`` (int or (h, w)) box; an image smaller than that is first
    zero-padded, the odd pixel going right/bottom (``transforms.CenterCrop``). The top-left
    corner is ``round((H - h) / 2)`` with Python's round, as torchvision."""
    crop_h, crop_w = _pair(output_size, "center_crop")
    _, height, width = get_dimensions(img)
    if crop_w > width or crop_h > height:
        ltrb = ((crop_w - width) // 2 if crop_w > width else 0,
                (crop_h - height) // 2 if crop_h > height else 0,
                (crop_w - width + 1) // 2 if crop_w > width else 0,
                (crop_h - height + 1) // 2 if crop_h > height else 0)
        img = pad(img, list(ltrb), fill=0)
        _, height, width = get_dimensions(img)
        if (crop_w, crop_h) == (width, height):
            return img
    top = int(round((height - crop_h) / 2.0))
    left = int(round((width - crop_w) / 2.0))
    return crop(img, top, left, crop_h, crop_w)


def resized_crop(img, top, left, height, width, size, interpolation=InterpolationMode.BILINEAR,
                 antialias=True):
    """``resize(crop(img, top, left, height, width), size, interpolation)``."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def hflip(img):
    """Mirror left-right (the last axis of a Tensor)."""
    _check_image(img, "hflip")
    if _is_pil(img):
        return img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return autograd.from_numpy(np.ascontiguousarray(_array(img)[..., ::-1]))


def vflip(img):
    """Mirror top-bottom (the second-to-last axis of a Tensor)."""
    _check_image(img, "vflip")
    if _is_pil(img):
        return img.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    return autograd.from_numpy(np.ascontiguousarray(_array(img)[..., ::-1, :]))


def rgb_to_grayscale(img, num_output_channels=1):
    """Luma of an RGB image (``transforms.Grayscale``): PIL images by Pillow's ``convert('L')``
    (ITU-R 601-2: L = R*299/1000 + G*587/1000 + B*114/1000, integer rounding); Tensors
    (..., 3, H, W) by torchvision's float formula 0.2989 R + 0.587 G + 0.114 B, cast back to
    the dtype (truncated for integers). A 1-channel image is copied. ``num_output_channels``
    3 repeats the result.

    Raises
    ------
    ValueError
        For num_output_channels not 1 or 3, or a tensor with neither 1 nor 3 channels.
    """
    if num_output_channels not in (1, 3):
        raise ValueError(f"rgb_to_grayscale: num_output_channels should be either 1 or 3, got "
                         f"{num_output_channels}")
    _check_image(img, "rgb_to_grayscale")
    if _is_pil(img):
        gray = img.convert("L")
        if num_output_channels == 1:
            return gray
        return Image.fromarray(np.ascontiguousarray(np.repeat(np.asarray(gray)[:, :, None], 3,
                                                              axis=2)))
    array = _array(img)
    channels = get_dimensions(img)[0]
    if img.ndim < 3 or channels not in (1, 3):
        raise ValueError(f"rgb_to_grayscale: input image tensor should have 1 or 3 channels "
                         f"in dimension -3, got shape {tuple(img.shape)}")
    if channels == 3:
        work = array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float32)
        c = work.dtype.type
        r, g, b = work[..., 0, :, :], work[..., 1, :, :], work[..., 2, :, :]
        gray = (c(0.2989) * r + c(0.587) * g + c(0.114) * b)
        gray = (np.trunc(gray) if not np.issubdtype(array.dtype, np.floating) else gray)
        gray = gray.astype(array.dtype)[..., None, :, :]
    else:
        gray = array.copy()
    if num_output_channels == 3:
        gray = np.repeat(gray, 3, axis=-3)
    return autograd.from_numpy(np.ascontiguousarray(gray))


def to_grayscale(img, num_output_channels=1):
    """``rgb_to_grayscale`` for PIL images (torchvision's PIL-only name)."""
    if not _is_pil(img):
        raise TypeError(f"to_grayscale: img should be a PIL Image, got {type(img)}")
    return rgb_to_grayscale(img, num_output_channels)
