"""``nn.parallel`` (``torch.nn.parallel``) as PyTorch behaves on a machine without GPUs
(torch/nn/parallel/data_parallel.py, checked on torch 2.13): ``DataParallel`` wraps the module
and calls it unchanged, and the functional ``data_parallel`` raises, as there is no device to
replicate onto (programs call it only behind ``if input.is_cuda``). Distributed training is not
supported.
"""

from ..module import Module

__all__ = ["DataParallel", "data_parallel", "DistributedDataParallel"]


class DataParallel(Module):
    """Wraps ``module`` (registered as ``self.module``) and calls it unchanged: with no GPU
    there is one device, the CPU. ``device_ids`` is kept as ``[]``, as PyTorch does then."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids = []
        self.output_device = None
        self.dim = dim

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


def data_parallel(module, inputs, device_ids=None, output_device=None, dim=0,
                  module_kwargs=None):
    """PyTorch's functional data parallelism, which needs GPUs.

    Raises
    ------
    RuntimeError
        Always, as PyTorch does without an accelerator ("device type could not be
        determined"): call ``module(input)``, or wrap it in ``DataParallel``.
    """
    raise RuntimeError("data_parallel: device type could not be determined (no GPU here; "
                       "this framework runs on the CPU): call the module directly or wrap it "
                       "in nn.DataParallel, which runs it unchanged")


class DistributedDataParallel(Module):
    """Not supported: this framework trains in one process on the CPU.

    Raises
    ------
    RuntimeError
        Always, on construction.
    """

    def __init__(self, module, *args, **kwargs):
        raise RuntimeError("DistributedDataParallel: distributed training is not supported "
                           "(one process, CPU only); call the module directly")
