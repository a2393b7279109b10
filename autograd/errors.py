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


class ArgumentError(AutogradError, ValueError):
    """An argument with a bad value: a negative size, a non-positive stride or kernel size, a
    negative padding, groups that do not divide the channels, a probability outside [0, 1],
    an unknown reduction or mode (``autograd.validate`` raises it, naming the op, the argument
    and the value)."""


class ArgumentTypeError(AutogradError, TypeError):
    """An argument of the wrong type: a Python number or list where a Tensor is expected
    (``relu(2.0)``: PyTorch's "argument 'input' (position 1) must be Tensor, not float"), a
    float or bool where an int is (``stride=1.5``), a string where a number is."""


class DimError(ShapeError, IndexError):
    """A ``dim`` argument outside [-ndim, ndim) (PyTorch raises IndexError "Dimension out of
    range"); also a ShapeError."""


class EmptyReductionError(ShapeError, RuntimeError):
    """A reduction with nothing to reduce: ``max()`` of an empty tensor without a dim (PyTorch
    raises RuntimeError); also a ShapeError."""


class DTypeError(AutogradError, TypeError):
    """A dtype the op cannot take, e.g. an integer tensor asked to require gradients."""


class BackwardError(AutogradError, RuntimeError):
    """Misuse of ``backward``/``grad`` or of the graph: non-scalar root without ``gradient``,
    freed graph, a hook on a tensor that does not require grad, ``numpy()`` of a tensor that
    requires grad, ..."""


class AnomalyError(BackwardError):
    """``autograd.detect_anomaly()``: a backward rule produced NaN or inf. The message names
    the node (``name()``), the input whose gradient it is, and the forward traceback where the
    node was created (``AnomalyError.node``, ``.input_index``, ``.stack`` hold them)."""

    def __init__(self, message, node=None, input_index=None, stack=None):
        super().__init__(message)
        self.node, self.input_index, self.stack = node, input_index, stack


class InplaceError(AutogradError, RuntimeError):
    """A tensor saved for backward was modified in place, or an in-place op would break the
    graph."""


class GradcheckError(AutogradError, RuntimeError):
    """Analytic and numerical derivatives disagree (``gradcheck``/``gradgradcheck``,
    ``autograd.testing.check_graph``); ``analytical`` and ``numerical`` hold the two values
    when there is a single pair to compare."""

    def __init__(self, message, analytical=None, numerical=None):
        super().__init__(message)
        self.analytical, self.numerical = analytical, numerical


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
