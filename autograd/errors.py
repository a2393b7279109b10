"""Every exception the framework raises, in one place.

Each class also derives from the builtin exception a Python or PyTorch user would catch
(``ValueError`` for bad shapes, ``TypeError`` for bad dtypes, ``RuntimeError`` for misuse of
the graph, ``IndexError`` for a dimension out of range, as PyTorch raises), so ``except
ValueError`` keeps working.
"""


class AutogradError(Exception):
    """Base class of all framework errors."""


class ShapeError(AutogradError, ValueError):
    """Operands whose shapes do not fit the op (matmul, broadcasting, reshape, conv, ...)."""


class DimError(ShapeError, IndexError):
    """A ``dim`` argument outside [-ndim, ndim) (PyTorch raises IndexError "Dimension out of
    range"); also a ShapeError."""


class EmptyReductionError(ShapeError, RuntimeError):
    """A reduction with nothing to reduce: ``max()`` of an empty tensor without a dim (PyTorch
    raises RuntimeError); also a ShapeError."""


class DTypeError(AutogradError, TypeError):
    """A dtype the op cannot take, e.g. an integer tensor asked to require gradients."""


class BackwardError(AutogradError, RuntimeError):
    """Misuse of ``backward``/``grad``: non-scalar root without ``gradient``, freed graph, ..."""


class InplaceError(AutogradError, RuntimeError):
    """A tensor saved for backward was modified in place, or an in-place op would break the
    graph."""


class GradcheckError(AutogradError, RuntimeError):
    """Analytic and numerical derivatives disagree (``gradcheck``/``gradgradcheck``)."""


class CheckpointError(AutogradError, OSError):
    """A checkpoint file is missing, unreadable, truncated, corrupted, malformed or not in the
    expected format, or cannot be written (no space, permission denied, ...); the message
    names the file (and the key, where there is one), ``errno`` is the system's when there is
    one."""


class DeviceError(AutogradError, RuntimeError):
    """A device other than the CPU was asked for (``'cuda'``, ``'mps'``, ...): the framework
    runs on the CPU only (PyTorch raises RuntimeError on a machine without that device)."""


class DatasetNotFoundError(AutogradError, RuntimeError, FileNotFoundError):
    """A dataset's files are not where it looks (``nn.data.datasets``; nothing is downloaded).
    A RuntimeError as torchvision raises, and a FileNotFoundError."""
