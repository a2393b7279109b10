"""``nn.parallel`` (``torch.nn.parallel``) as PyTorch behaves on a machine without GPUs: data
parallelism over devices has nothing to split across, so ``DataParallel`` and ``data_parallel``
run the module as it is (``torch/nn/parallel/data_parallel.py`` does the same when no
accelerator is available). Distributed training is not supported.
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
    """``module(*inputs, **module_kwargs)`` (``inputs`` a tensor or a tuple): the functional
    ``DataParallel`` on a CPU-only machine."""
    if not isinstance(inputs, tuple):
        inputs = (inputs,) if inputs is not None else ()
    return module(*inputs, **(module_kwargs or {}))


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
