"""How tensors print: PyTorch's layout and number formatting (``torch/_tensor_str.py``'s rules),
so a ported script prints what it printed under PyTorch.

The rules, for floating point tensors (over the finite nonzero values, or the summarized ones
for big tensors):

* all values integers: ``1.``, ``-3.`` (``{:.0f}`` plus a point);
* else fixed point with ``precision`` decimals (4): ``0.6370``, ``0.0000``, ``-1.2500``;
* scientific (``{:.4e}``) when max/min > 1000, max > 1e8, or (non-integers) min < 1e-4;

every entry right-aligned to the widest one; integer tensors print their values aligned the
same way, bools ``True``/``False``. More than ``threshold`` (1000) elements are summarized
with ``edgeitems`` (3) at each end of every dim and ``...`` between. Rows wrap at ``linewidth``
(80). After the values come ``dtype=`` (unless float32, int64 or bool), ``grad_fn=<...>`` or
``requires_grad=True``, each on a new line when it would pass the line width.
"""

import math

import numpy as np

__all__ = ["set_printoptions", "get_printoptions", "tensor_repr"]

_DEFAULTS = dict(precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None)
_OPTIONS = dict(_DEFAULTS)
_PROFILES = {"default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
             "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
             "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Printing options (``torch.set_printoptions``): digits after the point, the element
    count above which tensors are summarized, the items kept at each end when summarizing,
    the line width, a ``profile`` ('default', 'short', 'full') and ``sci_mode`` (True/False
    forces scientific notation on or off; None chooses per tensor).

    Raises
    ------
    ValueError
        For an unknown profile.
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"set_printoptions: profile must be one of {sorted(_PROFILES)}, "
                             f"got {profile!r}")
        _OPTIONS.update(_PROFILES[profile])
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            _OPTIONS[name] = value
    _OPTIONS["sci_mode"] = sci_mode


def get_printoptions():
    """The current printing options as a dict (``torch.get_printoptions``)."""
    return dict(_OPTIONS)


class _Formatter:
    """Formats every value of one tensor to the same width (PyTorch's ``_Formatter``)."""

    def __init__(self, values):
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        precision = _OPTIONS["precision"]
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max((len(str(v)) for v in flat.tolist()), default=1)
        else:
            finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
            if finite.size:
                a = np.abs(finite)
                lo, hi = a.min(), a.max()
                self.int_mode = bool(np.all(finite == np.ceil(finite)))
                if self.int_mode:
                    self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8
                else:
                    self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
                if self.sci_mode:
                    spec, extra = f".{precision}e", 0
                elif self.int_mode:
                    spec, extra = ".0f", 1                      # room for the point
                else:
                    spec, extra = f".{precision}f", 0
                self.width = max(len(format(v, spec)) + extra for v in finite.tolist())
        if _OPTIONS["sci_mode"] is not None:
            self.sci_mode = _OPTIONS["sci_mode"]

    def format(self, value):
        precision = _OPTIONS["precision"]
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = format(value, f"{self.width}.{precision}e")
        elif self.int_mode:
            text = format(value, ".0f")
            if not (math.isinf(value) or math.isnan(value)):
                text += "."
        else:
            text = format(value, f".{precision}f")
        return " " * (self.width - len(text)) + text


def _summarized(x, edge):
    """``x`` with only ``edge`` items kept at each end of every dim longer than 2 * edge."""
    for axis, n in enumerate(x.shape):
        if n > 2 * edge:
            x = np.concatenate([x.take(range(edge), axis), x.take(range(n - edge, n), axis)],
                               axis)
    return x


def _vector(x, indent, summarize, fmt):
    edge, width = _OPTIONS["edgeitems"], fmt.width + 2
    per_line = max(1, int(math.floor((_OPTIONS["linewidth"] - indent) / width)))
    if summarize and x.shape[0] > 2 * edge:
        items = [fmt.format(v) for v in x[:edge].tolist()] + [" ..."] + \
            [fmt.format(v) for v in x[-edge:].tolist()]
    else:
        items = [fmt.format(v) for v in x.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(x, indent, summarize, fmt):
    if x.ndim == 0:
        return fmt.format(x.item())
    if x.ndim == 1:
        return _vector(x, indent, summarize, fmt)
    edge, n = _OPTIONS["edgeitems"], x.shape[0]
    if summarize and n > 2 * edge:
        rows = [_nested(x[i], indent + 1, summarize, fmt) for i in range(edge)] + ["..."] + \
            [_nested(x[i], indent + 1, summarize, fmt) for i in range(n - edge, n)]
    else:
        rows = [_nested(x[i], indent + 1, summarize, fmt) for i in range(n)]
    return "[" + ("," + "\n" * (x.ndim - 1) + " " * (indent + 1)).join(rows) + "]"


def values_str(array, indent):
    """The bracketed values of ``array`` as PyTorch prints them, continuation lines indented
    by ``indent`` (the width of ``tensor(``)."""
    if array.size == 0:
        return "[]"
    if array.dtype == np.float16:
        array = array.astype(np.float32)
    summarize = array.size > _OPTIONS["threshold"]
    fmt = _Formatter(_summarized(array, _OPTIONS["edgeitems"]) if summarize else array)
    return _nested(array, indent, summarize, fmt)


def _add_suffixes(text, suffixes, indent):
    parts = [text]
    last = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last + len(suffix) + 2 > _OPTIONS["linewidth"]:
            parts.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(parts) + ")"


def tensor_repr(array, dtype, grad_fn=None, requires_grad=False):
    """``repr`` of a tensor with values ``array`` (an ndarray), element type ``dtype`` (its
    printed name), ``grad_fn`` (a graph node) and ``requires_grad``."""
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    default = array.dtype in (np.float32, np.int64, np.bool_)
    if array.size == 0:
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if array.dtype != np.float32:
            suffixes.append(f"dtype={dtype}")
    elif not default:
        suffixes.append(f"dtype={dtype}")
    if grad_fn is not None:
        suffixes.append(f"grad_fn={grad_fn!r}")           # the node prints as <NameBackward>
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + values_str(array, indent), suffixes, indent)
