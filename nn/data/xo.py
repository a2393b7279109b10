"""The slides' X-and-O images (section 3 of the ConvNet slides): 9x9, pixels in {-1, 1}.

Images are rasterised from geometry, all at once with numpy: an X is two crossing strokes
(segments), an O a ring (an ellipse outline); a pixel is +1 when its centre lies within the
stroke's half-width of the shape, -1 otherwise. The canonical X (centre (4, 4), half-size 3,
no rotation, half-width 0.5) reproduces the slides' array exactly. The "trickier cases" the
slides ask a classifier to survive are random translation, scaling, rotation and stroke
weight.
"""

import numpy as np

from .dataset import ArrayDataset

__all__ = ["XODataset", "make_xo", "draw_x", "draw_o", "canonical_x", "canonical_o"]

SIZE = 9
_CENTRE = (SIZE - 1) / 2
_rows, _cols = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)   # pixel centres, (9, 9) each


def _column(value, n):
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (n,))[:, None, None]


def _segment_distance(ax, ay, bx, by):
    """Distance from every pixel centre to the segments A-B; arguments (N, 1, 1) -> (N, 9, 9)."""
    dx, dy = bx - ax, by - ay
    t = ((_cols - ax) * dx + (_rows - ay) * dy) / (dx * dx + dy * dy)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(_cols - (ax + t * dx), _rows - (ay + t * dy))


def _pixels(on):
    return np.where(on, 1.0, -1.0).astype(np.float32)[:, None, :, :]


def draw_x(cx, cy, size, angle, width):
    """X images (N, 1, 9, 9) float32 in {-1, 1}.

    Parameters (each a scalar or an (N,) array)
    ----------
    cx, cy : centre column and row (the canonical X: 4, 4)
    size : half the extent of each stroke along both axes (canonical: 3)
    angle : rotation in radians, counter-clockwise on screen (canonical: 0)
    width : half-width of the strokes in pixels (canonical: 0.5, one pixel wide)
    """
    n = np.broadcast(cx, cy, size, angle, width).size
    cx, cy, size, angle, width = (_column(v, n) for v in (cx, cy, size, angle, width))
    cos, sin = np.cos(angle), np.sin(angle)
    distances = []
    for ux, uy in ((1.0, 1.0), (1.0, -1.0)):        # the two diagonals, then rotated
        vx = size * (ux * cos + uy * sin)
        vy = size * (-ux * sin + uy * cos)
        distances.append(_segment_distance(cx - vx, cy - vy, cx + vx, cy + vy))
    return _pixels(np.minimum(*distances) <= width)


def draw_o(cx, cy, radius_x, radius_y, angle, width):
    """O images (N, 1, 9, 9) float32 in {-1, 1}: the outline of an ellipse.

    ``radius_x``/``radius_y`` are the semi-axes before rotation by ``angle``; a pixel is on
    when its distance to the outline, measured along the ray from the centre, is at most
    ``width`` (exact for a circle).
    """
    n = np.broadcast(cx, cy, radius_x, radius_y, angle, width).size
    cx, cy, rx, ry, angle, width = (_column(v, n) for v in (cx, cy, radius_x, radius_y,
                                                            angle, width))
    x, y = _cols - cx, _rows - cy
    cos, sin = np.cos(angle), np.sin(angle)
    u, v = x * cos - y * sin, x * sin + y * cos      # the pixel in the ellipse's own frame
    r = np.hypot(u, v)
    safe = np.where(r > 0, r, 1.0)
    ux, uy = np.where(r > 0, u / safe, 1.0), np.where(r > 0, v / safe, 0.0)
    outline = 1.0 / np.sqrt((ux / rx) ** 2 + (uy / ry) ** 2)   # the ellipse's radius that way
    return _pixels(np.abs(r - outline) <= width)


def canonical_x():
    """The slides' X, (9, 9) float32 in {-1, 1}."""
    return draw_x(_CENTRE, _CENTRE, 3.0, 0.0, 0.5)[0, 0]


def canonical_o():
    """A ring of radius 3 around the centre, one pixel wide, (9, 9) float32 in {-1, 1}."""
    return draw_o(_CENTRE, _CENTRE, 3.0, 3.0, 0.0, 0.5)[0, 0]


def make_xo(n, seed=0, tricky=True):
    """``n`` X and O images, half of each (one more X when n is odd), in random order.

    Parameters
    ----------
    n : int
    seed : int
        The images and their order depend on nothing else.
    tricky : bool, default True
        Random translation (so the shape may touch the border), scaling (half-size 2 to 3),
        rotation (up to 30 degrees either way) and stroke weight (half-width 0.5 to 0.95, less
        for small shapes); O's may also be ellipses. With False every X is the canonical X
        and every O the canonical ring.

    Returns
    -------
    images : ndarray, float32, shape (n, 1, 9, 9), values in {-1, 1}
    labels : ndarray, int64, shape (n,): 0 = X, 1 = O
    """
    if int(n) != n or n < 0:
        raise ValueError(f"make_xo: n must be a non-negative int, got {n!r}")
    n = int(n)
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.repeat(np.array([0, 1], dtype=np.int64), [n - n // 2, n // 2]))
    if tricky:
        size = rng.uniform(2.0, 3.0, n)
        reach = SIZE // 2 - size                      # room left to move without leaving
        cx = _CENTRE + rng.uniform(-1, 1, n) * reach
        cy = _CENTRE + rng.uniform(-1, 1, n) * reach
        angle = rng.uniform(-np.pi / 6, np.pi / 6, n)
        width = rng.uniform(0.5, np.minimum(0.95, 0.3 + 0.25 * size))  # thin small shapes
        aspect = rng.uniform(0.75, 1.0, n)
    else:
        size, cx, cy, angle, width, aspect = 3.0, _CENTRE, _CENTRE, 0.0, 0.5, 1.0
    xs = draw_x(cx, cy, size, angle, width) if n else np.empty((0, 1, SIZE, SIZE), np.float32)
    os_ = draw_o(cx, cy, size, np.multiply(size, aspect), angle, width) if n else xs
    xs, os_ = np.broadcast_to(xs, (n, 1, SIZE, SIZE)), np.broadcast_to(os_, (n, 1, SIZE, SIZE))
    images = np.where(labels[:, None, None, None] == 0, xs, os_).astype(np.float32)
    return images, labels


class XODataset(ArrayDataset):
    """``make_xo(n, seed, tricky)`` as a dataset: samples ``(image (1, 9, 9), label)``.

    ``classes = ['X', 'O']``; see :func:`make_xo` for the parameters.
    """

    classes = ["X", "O"]

    def __init__(self, n=200, seed=0, tricky=True, transform=None, target_transform=None):
        images, labels = make_xo(n, seed, tricky)
        super().__init__(images, labels, transform, target_transform)
