"""``nn.summary``: a per-layer table of output shapes, activation counts and parameters.

One forward pass at batch size 1 in eval mode without recording (``no_grad``), with a forward
hook on every leaf module (a module without children). The activation totals follow CS231n's
VGG16 memory table: the input plus the output volume of every layer that computes a new
volume (CONV, POOL, FC, and normalisation layers), per image.
"""

import sys
from collections import namedtuple

import numpy as np

import autograd
from autograd import Tensor

__all__ = ["summary", "SummaryResult", "LayerInfo"]

LayerInfo = namedtuple("LayerInfo", ["name", "type", "output_shape", "activations",
                                     "counted", "params"])
LayerInfo.__doc__ = """One row of the summary: module name (as in ``named_modules``), class
name, per-image output shape, per-image output element count, whether it enters the
CS231n-style total, and parameters owned (0 on a repeated call of a shared module)."""

_SummaryFields = namedtuple("SummaryResult", [
    "total_params", "trainable_params", "non_trainable_params", "param_bytes",
    "input_activations", "total_activations", "activation_bytes",
    "all_activations", "all_activation_bytes", "output_shape", "layers", "input_shape",
    "dtype"])


class SummaryResult(_SummaryFields):
    """Totals returned by :func:`summary` (activations are per image); shows as the table.

    ``print(result)``, ``str(result)`` and ``repr(result)`` give the text table; Jupyter shows
    it once, as an HTML table (``_repr_html_``).

    total_params, trainable_params, non_trainable_params : int
    param_bytes : int
        total_params * itemsize of ``dtype``.
    input_activations : int
    total_activations, activation_bytes : int
        CS231n's count: input + outputs of conv, pool, linear and normalisation layers.
    all_activations, all_activation_bytes : int
        Input + the output of every leaf call, including ReLU, Dropout, Flatten.
    output_shape : tuple
    layers : list of LayerInfo
    input_shape : tuple    one sample's shape, as given
    dtype : numpy dtype    the input dtype that prices the bytes
    """

    __slots__ = ()

    def __str__(self):
        return _table(self)

    __repr__ = __str__

    def _repr_html_(self):
        return _html_table(self)


# Leaves whose output CS231n does not count: pointwise nonlinearities (run in place in the
# reference implementations), dropout (the identity at inference) and pure reshapes.
_NOT_COUNTED = {"ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU",
                "Sigmoid", "Tanh", "Hardtanh", "Softplus", "Dropout", "Dropout2d", "AlphaDropout",
                "Flatten", "Unflatten", "Identity", "_Identity"}
_ADAPTIVE = {"AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AdaptiveAvgPool1d", "AdaptiveMaxPool1d"}


def _tensors(out):
    if isinstance(out, Tensor):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for item in out for t in _tensors(item)]
    return []


def _counted(type_name, args, outputs):
    if type_name in _NOT_COUNTED:
        return False
    if type_name in _ADAPTIVE:  # pooling a map to its own size copies it: no new volume
        ins = _tensors(args)
        return not (ins and outputs and ins[0].shape == outputs[0].shape)
    return True


def _leaves(model):
    return [(name, m) for name, m in model.named_modules() if not any(True for _ in m.children())]


def summary(model, input_shape, dtype=np.float32, file=None, print_table=None):
    """Print a layer table for ``model`` on one input of per-sample shape ``input_shape``.

    Parameters
    ----------
    model : nn.Module
    input_shape : tuple of int (or one int)
        One sample's shape without the batch dimension, e.g. ``(3, 224, 224)`` (NCHW models).
    dtype : numpy dtype
        Input dtype; its item size (4 bytes for float32) prices activations and parameters.
    file : file-like, optional
        Where to print (stdout by default).
    print_table : bool or None
        Print the table. None (default): print, except in an interactive session (Python's
        prompt, IPython, Jupyter: ``sys.ps1`` is set), where the returned result shows itself
        as the table, so it appears once (torchinfo's rule).

    Returns
    -------
    SummaryResult
        Parameter totals and per-image activation totals; ``layers`` lists the rows. Its
        ``repr``/``str`` is the table (``print(result)`` prints it), in Jupyter an HTML table.

    What is counted (per image): ``total_activations`` is CS231n's VGG16 memory count, the
    input (224*224*3 = 150K for VGG16) plus the output of every CONV, POOL and FC layer (also
    BatchNorm and LocalResponseNorm outputs, which are new volumes); ReLUs (in place), Dropout,
    Flatten, Identity and an adaptive pool to the size it already has are not counted.
    Non-module operations (the residual ``+``, ``cat`` in Inception/DenseNet) are not
    counted either. ``all_activations`` counts every leaf module's output. VGG16 at 224x224:
    138,357,544 parameters and 15,237,608 counted activations (61 MB in float32). The slides
    (from CS231n) print "TOTAL memory: 24M * 4 bytes ~= 96MB / image", but their own per-layer
    entries (150K + 3.2M + 3.2M + 800K + ... + 4096 + 4096 + 1000) add up to 15.2M; counting
    every ReLU output too gives 28.8M (``all_activations``).

    The model runs in eval mode (restored afterwards), so training-only branches (GoogLeNet's
    auxiliary heads) are not in the table although their parameters are in the totals.

    Raises
    ------
    TypeError
        ``model`` has no ``named_modules`` (not an nn.Module) or ``input_shape`` is not a
        sequence of ints.
    """
    if not hasattr(model, "named_modules"):
        raise TypeError(f"summary: expected an nn.Module, got {type(model).__name__}")
    if isinstance(input_shape, (int, np.integer)):
        input_shape = (input_shape,)
    try:
        if isinstance(input_shape, str):
            raise TypeError
        input_shape = tuple(int(s) for s in input_shape)
    except (TypeError, ValueError):
        raise TypeError(f"summary: input_shape must be a sequence of ints, got {input_shape!r}")
    dtype = np.dtype(dtype)
    rows, seen, handles = [], set(), []

    def make_hook(name):
        def hook(module, args, out):
            outputs = _tensors(out)
            type_name = type(module).__name__
            params = 0
            if id(module) not in seen:
                seen.add(id(module))
                params = sum(p.numel() for p in module.parameters())
            numel = sum(t.numel() for t in outputs)
            shape = tuple(outputs[0].shape[1:]) if len(outputs) == 1 else \
                tuple(tuple(t.shape[1:]) for t in outputs)
            rows.append(LayerInfo(name, type_name, shape, numel,
                                  _counted(type_name, args, outputs), params))
        return hook

    for name, module in _leaves(model):
        handles.append(module.register_forward_hook(make_hook(name)))
    modes = [(m, m.training) for m in model.modules()]
    x = autograd.zeros((1,) + input_shape, dtype=dtype)
    try:
        model.eval()
        with autograd.no_grad():
            out = model(x)
    finally:
        for handle in handles:
            handle.remove()
        for m, mode in modes:
            m.training = mode

    params = list(_unique(model.parameters()))
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    n_in = int(np.prod(input_shape))
    counted = n_in + sum(r.activations for r in rows if r.counted)
    every = n_in + sum(r.activations for r in rows)
    outs = _tensors(out)
    result = SummaryResult(total, trainable, total - trainable, total * dtype.itemsize, n_in,
                           counted, counted * dtype.itemsize, every, every * dtype.itemsize,
                           tuple(outs[0].shape[1:]) if outs else (), rows, input_shape, dtype)
    if print_table is None:
        print_table = not getattr(sys, "ps1", None)
    if print_table:
        print(_table(result), file=file or sys.stdout)
    return result


def _unique(params):
    seen = set()
    for p in params:
        if id(p) not in seen:
            seen.add(id(p))
            yield p


_HEADER = ("Layer (type)", "Output shape", "Activations", "MB", "Params")


def _rows(res):
    """The table's body: (label, shape, activations, MB, params) per line, input first."""
    size = res.dtype.itemsize
    out = [("input", str(list(res.input_shape)), f"{res.input_activations:,}",
            f"{res.input_activations * size / 1e6:.2f}", "0")]
    for r in res.layers:
        acts = f"{r.activations:,}" if r.counted else f"({r.activations:,})"
        out.append((f"{r.name or '(model)'} ({r.type})", str(list(r.output_shape)), acts,
                    f"{r.activations * size / 1e6:.2f}", f"{r.params:,}"))
    return out


def _totals(res):
    return [f"Total params: {res.total_params:,} ({res.param_bytes / 1e6:.2f} MB)",
            f"Trainable params: {res.trainable_params:,}",
            f"Non-trainable params: {res.non_trainable_params:,}",
            f"Activations per image (input + conv/pool/fc/norm outputs; numbers in parentheses"
            f" not counted): {res.total_activations:,} ({res.activation_bytes / 1e6:.2f} MB)",
            f"Activations per image, every layer output: {res.all_activations:,} "
            f"({res.all_activation_bytes / 1e6:.2f} MB)",
            f"Output shape: {list(res.output_shape)}"]


def _table(res):
    header = f"{_HEADER[0]:<44}{_HEADER[1]:<20}{_HEADER[2]:>13}{_HEADER[3]:>9}{_HEADER[4]:>14}"
    line = "-" * len(header)
    out = [line, header, "=" * len(header)]
    out += [f"{a[:43]:<44}{b:<20}{c:>13}{d:>9}{e:>14}" for a, b, c, d, e in _rows(res)]
    out += ["=" * len(header)] + _totals(res) + [line]
    return "\n".join(out)


def _html_table(res):
    from html import escape
    num = ' style="text-align:right;font-variant-numeric:tabular-nums"'
    head = "".join(f"<th{num if i >= 2 else ''}>{escape(h)}</th>" for i, h in enumerate(_HEADER))
    body = "".join("<tr>" + "".join(f"<td{num if i >= 2 else ''}>{escape(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in _rows(res))
    foot = "<br>".join(escape(t) for t in _totals(res))
    return (f'<table class="nn-summary"><thead><tr>{head}</tr></thead><tbody>{body}</tbody>'
            f'</table><p style="font-size:90%">{foot}</p>')
