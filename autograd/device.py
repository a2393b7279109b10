"""Devices, CPU only: ``autograd.device('cpu')`` and the accelerator queries PyTorch programs
make (``torch.cuda.is_available()``, ``torch.accelerator``, ``torch.backends.mps``), all of
which report that there is no accelerator.

Asking for another device (``device='cuda'``, ``.cuda()``, ``.to('mps')``) raises a
``DeviceError`` (a RuntimeError) that says this framework runs on the CPU only.
"""

import types

from .errors import DeviceError

__all__ = ["device", "as_device", "parse_to", "cpu", "cuda", "accelerator", "backends", "mps"]


class device:
    """A device (``torch.device``): only ``'cpu'`` (optionally ``'cpu:0'`` or index 0) exists.

    Raises
    ------
    DeviceError
        For any other device type (``'cuda'``, ``'mps'``, ...): this framework runs on the CPU.
    """

    __slots__ = ("type", "index")

    def __init__(self, type="cpu", index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        name = str(type)
        if ":" in name:
            name, _, idx = name.partition(":")
            index = int(idx) if idx.isdigit() else idx
        if name != "cpu":
            raise DeviceError(f"device {str(type)!r}: this framework runs on the CPU only "
                               "(numpy storage); use 'cpu'")
        if index not in (None, 0):
            raise DeviceError(f"device 'cpu:{index}': there is one CPU device, 'cpu'")
        self.type, self.index = "cpu", index

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = device(other)
            except RuntimeError:
                return False
        return isinstance(other, device) and other.type == self.type

    def __hash__(self):
        return hash(self.type)

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        return f"device(type='{self.type}')" if self.index is None else \
            f"device(type='{self.type}', index={self.index})"


_CPU = device("cpu")


def as_device(value, op="to"):
    """``value`` (None, a string, an int or a ``device``) checked to be the CPU.

    Raises
    ------
    DeviceError
        For any other device, naming ``op``.
    """
    if value is None or value is _CPU:
        return _CPU
    if isinstance(value, int) and not isinstance(value, bool):
        raise DeviceError(f"{op}: device {value} is a CUDA device index; this framework runs "
                          "on the CPU only")
    try:
        return device(value)
    except DeviceError as e:
        raise DeviceError(f"{op}: {e}") from None


def parse_to(args, dtype=None, device_=None, op="to"):
    """The dtype asked for by ``to(*args, dtype=, device=)`` (None: keep it), after checking
    that every device named is the CPU: a string, a ``device`` or an int is a device, a Tensor
    stands for its dtype, anything else is a dtype (``Tensor.to`` and ``Module.to``).

    Raises
    ------
    DeviceError
        For a device other than the CPU; DTypeError for an unsupported dtype.
    """
    from .dtypes import check_supported
    for a in args:
        if isinstance(a, (str, device)) or (isinstance(a, int) and not isinstance(a, bool)):
            device_ = a
        elif hasattr(a, "grad_fn"):              # a Tensor: its dtype
            dtype = a.dtype
        else:
            dtype = a
    as_device(device_, op)
    return None if dtype is None else check_supported(dtype, op)


def _no_accelerator(name):
    def fail(*args, **kwargs):
        raise DeviceError(f"{name}: no accelerator here; this framework runs on the CPU only")
    return fail


def _false(*args, **kwargs):
    return False


def _zero(*args, **kwargs):
    return 0


#: ``torch.cuda`` as a CPU-only program sees it.
cuda = types.SimpleNamespace(is_available=_false, device_count=_zero,
                             is_initialized=_false, manual_seed=lambda seed: None,
                             manual_seed_all=lambda seed: None, synchronize=lambda *a: None,
                             empty_cache=lambda: None, current_device=_no_accelerator(
                                 "torch.cuda.current_device"))
#: ``torch.mps``.
mps = types.SimpleNamespace(is_available=_false, manual_seed=lambda seed: None)
#: ``torch.accelerator`` (PyTorch 2.6+): no accelerator is available.
accelerator = types.SimpleNamespace(is_available=_false, device_count=_zero,
                                    current_accelerator=lambda *a, **k: None,
                                    current_device_index=_no_accelerator(
                                        "torch.accelerator.current_device_index"))
#: ``torch.backends``: ``mps``, ``cuda`` and ``cudnn`` report nothing available.
backends = types.SimpleNamespace(
    mps=types.SimpleNamespace(is_available=_false, is_built=_false),
    cuda=types.SimpleNamespace(is_built=_false),
    cudnn=types.SimpleNamespace(is_available=_false, enabled=False, benchmark=False,
                                deterministic=False),
)
cpu = _CPU
