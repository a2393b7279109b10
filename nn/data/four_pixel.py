"""The slides' four-pixel images (section 2): a 2x2 image with brightnesses in [-1, 1] is solid,
vertical, diagonal or horizontal.

Each class is a sign pattern over the pixels (top-left, top-right, bottom-left,
bottom-right)::

    solid       + +      vertical   + -      diagonal   + -      horizontal   + +
                + +                 + -                 - +                   - -

An example multiplies its class's pattern by a random overall sign (light-on-dark or
dark-on-light) and each pixel by a random brightness in [0.25, 1].
"""

import numpy as np

from .dataset import ArrayDataset

__all__ = ["FourPixelDataset", "make_four_pixel", "PATTERNS", "CLASSES"]

CLASSES = ["solid", "vertical", "diagonal", "horizontal"]
PATTERNS = np.array([[[1, 1], [1, 1]],
                     [[1, -1], [1, -1]],
                     [[1, -1], [-1, 1]],
                     [[1, 1], [-1, -1]]], dtype=np.float32)


def make_four_pixel(n, seed=0):
    """``n`` four-pixel images with (near-)balanced labels, in random order.

    Returns
    -------
    images : ndarray, float32, shape (n, 1, 2, 2), values in [-1, -0.25] U [0.25, 1]
    labels : ndarray, int64, shape (n,), 0..3 indexing ``CLASSES``
    """
    if int(n) != n or n < 0:
        raise ValueError(f"make_four_pixel: n must be a non-negative int, got {n!r}")
    n = int(n)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n, dtype=np.int64) % len(CLASSES))
    sign = rng.choice(np.array([-1.0, 1.0], dtype=np.float32), size=(n, 1, 1))
    brightness = rng.uniform(0.25, 1.0, size=(n, 2, 2)).astype(np.float32)
    images = PATTERNS[labels] * sign * brightness
    return images[:, None, :, :], labels


class FourPixelDataset(ArrayDataset):
    """``make_four_pixel(n, seed)`` as a dataset: samples ``(image (1, 2, 2), label)``."""

    classes = CLASSES

    def __init__(self, n=400, seed=0, transform=None, target_transform=None):
        images, labels = make_four_pixel(n, seed)
        super().__init__(images, labels, transform, target_transform)
