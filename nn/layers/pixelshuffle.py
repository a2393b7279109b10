"""``PixelShuffle`` / ``PixelUnshuffle``: sub-pixel upsampling (Shi et al. 2016), channels
traded for resolution and back."""

from autograd import validate

from .. import functional as F
from ..module import Module


class PixelShuffle(Module):
    """(*, C r², H, W) -> (*, C, H r, W r) (see ``F.pixel_shuffle``)."""

    def __init__(self, upscale_factor):
        super().__init__()
        self.upscale_factor = validate.integer(upscale_factor, "upscale_factor", "PixelShuffle",
                                               minimum=1)

    def forward(self, input):
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H r, W r) -> (*, C r², H, W) (see ``F.pixel_unshuffle``)."""

    def __init__(self, downscale_factor):
        super().__init__()
        self.downscale_factor = validate.integer(downscale_factor, "downscale_factor",
                                                 "PixelUnshuffle", minimum=1)

    def forward(self, input):
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"
