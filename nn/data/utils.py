"""Image grids and image files from tensors (``torchvision.utils``: ``make_grid``,
``save_image``).

    from nn.data.utils import save_image
    save_image(samples.view(64, 1, 28, 28), "samples.png")    # an 8 x 8 grid, 2-pixel gaps
"""

import math

import numpy as np
from PIL import Image

import autograd
from autograd import Tensor

__all__ = ["make_grid", "save_image"]


def _batch(tensor):
    """A float ndarray (B, C, H, W) from a Tensor (B, C, H, W) / (C, H, W) / (H, W) or a list
    of same-shaped Tensors; 1-channel images become 3-channel, as torchvision does."""
    if isinstance(tensor, (list, tuple)) and tensor and all(isinstance(t, Tensor) for t in tensor):
        shapes = {tuple(t.shape) for t in tensor}
        if len(shapes) != 1:
            raise ValueError(f"make_grid: the images have different shapes {sorted(shapes)}")
        array = np.stack([t.detach().numpy() for t in tensor])
    elif isinstance(tensor, Tensor):
        array = tensor.detach().numpy()
    else:
        raise TypeError(f"make_grid: tensor or list of tensors expected, got {type(tensor)}")
    if array.ndim == 2:
        array = array[None]
    if array.ndim == 3:
        array = (np.concatenate([array] * 3) if array.shape[0] == 1 else array)[None]
    if array.ndim != 4:
        raise ValueError(f"make_grid: expected images (B, C, H, W), (C, H, W) or (H, W), got "
                         f"shape {tuple(array.shape)}")
    if array.shape[1] == 1:
        array = np.concatenate([array] * 3, axis=1)
    return array


def _normalize(array, value_range, scale_each):
    """Clamp to (low, high) and map that to (0, 1): per image when ``scale_each``, else over
    the batch; the range defaults to the data's min and max. The arithmetic is torchvision's
    ``norm_ip``: ``(x - low) / max(high - low, 1e-5)`` with the divisor formed in float64."""
    if value_range is not None and not isinstance(value_range, tuple):
        raise TypeError("make_grid: value_range has to be a tuple (min, max) if specified")
    if value_range is not None:
        low, high = (np.float64(v) for v in value_range)
    elif scale_each:
        low = array.min(axis=(1, 2, 3), keepdims=True).astype(np.float64)
        high = array.max(axis=(1, 2, 3), keepdims=True).astype(np.float64)
    else:
        low, high = np.float64(array.min()), np.float64(array.max())
    clamped = np.clip(array, np.asarray(low, array.dtype), np.asarray(high, array.dtype))
    divisor = np.maximum(high - low, 1e-5)
    return (clamped - np.asarray(low, dtype=array.dtype)) / np.asarray(divisor, array.dtype)


def make_grid(tensor, nrow=8, padding=2, normalize=False, value_range=None, scale_each=False,
              pad_value=0.0, **kwargs):
    """The images of a batch tiled into one image (``torchvision.utils.make_grid``).

    Parameters
    ----------
    tensor : Tensor (B, C, H, W), (C, H, W), (H, W), or a list of Tensors (C, H, W)
        1-channel images are repeated to 3 channels.
    nrow : int, default 8
        Images per row; the grid has ``ceil(B / nrow)`` rows.
    padding : int, default 2
        Pixels of ``pad_value`` around and between the images.
    normalize : bool, default False
        Shift and scale to [0, 1] by ``value_range`` (min, max) or by the data's min and max.
    scale_each : bool, default False
        Normalize each image by its own min and max.
    pad_value : float, default 0

    Returns
    -------
    Tensor (C, rows * (H + padding) + padding, ncols * (W + padding) + padding) of the input
    dtype; a single image comes back as it is (C, H, W), without padding.

    Raises
    ------
    TypeError
        For a non-tensor input or a ``value_range`` that is not a tuple.
    ValueError
        For shapes that are not images, or a list of images of different shapes.
    """
    if "range" in kwargs:                       # torchvision's deprecated name
        value_range = kwargs.pop("range")
    if kwargs:
        raise TypeError(f"make_grid: unexpected arguments {sorted(kwargs)}")
    array = _batch(tensor)
    if normalize:
        array = _normalize(array, value_range, scale_each)
    if array.shape[0] == 1:
        return autograd.from_numpy(np.ascontiguousarray(array[0]))
    nmaps, channels, h, w = array.shape
    xmaps = min(nrow, nmaps)
    ymaps = int(math.ceil(float(nmaps) / xmaps))
    height, width = h + padding, w + padding
    # every cell is the image with `padding` rows/columns of pad_value above and left of it
    cells = np.full((ymaps * xmaps, channels, height, width), pad_value, dtype=array.dtype)
    cells[:nmaps, :, padding:, padding:] = array
    grid = np.full((channels, ymaps * height + padding, xmaps * width + padding), pad_value,
                   dtype=array.dtype)
    grid[:, :ymaps * height, :xmaps * width] = (
        cells.reshape(ymaps, xmaps, channels, height, width).transpose(2, 0, 3, 1, 4)
        .reshape(channels, ymaps * height, xmaps * width))
    return autograd.from_numpy(grid)


def save_image(tensor, fp, format=None, **kwargs):
    """Write ``make_grid(tensor, **kwargs)`` as an image file (``torchvision.utils.save_image``).

    Values in [0, 1] become ``uint8(clamp(x * 255 + 0.5, 0, 255))`` (rounded to nearest);
    the format follows the file name unless ``format`` (needed for file objects) is given.
    """
    grid = make_grid(tensor, **kwargs).numpy()
    scaled = np.clip(grid * grid.dtype.type(255) + grid.dtype.type(0.5), 0, 255)
    array = np.ascontiguousarray(scaled.transpose(1, 2, 0).astype(np.uint8))
    Image.fromarray(array[:, :, 0] if array.shape[2] == 1 else array).save(fp, format=format)
