"""``nn.summary``: a per-layer table of output shapes, activations, the memory each layer
keeps for backward, and parameters.

One recorded forward pass at batch size 1 (eval mode by default), with a forward pre-hook and
hook on every leaf module (a module without children): each call is an
``autograd.graph.Group``, and one ``autograd.graph.walk`` over the recorded graph gives every
node's ``saved_bytes`` to the layer that recorded it. The activation totals follow CS231n's
VGG16 memory table: the input plus the output volume of every layer that computes a new
volume (CONV, POOL, FC, and normalisation layers), per image.
"""

import sys
from collections import namedtuple

import numpy as np

import autograd
from autograd import Tensor, graph

__all__ = ["summary", "SummaryResult", "LayerInfo"]

LayerInfo = namedtuple("LayerInfo", ["name", "type", "output_shape", "activations",
                                     "counted", "params", "saved_bytes"])
LayerInfo.__doc__ = """One row of the summary: module name (as in ``named_modules``), class
name, per-image output shape, per-image output element count, whether it enters the
CS231n-style total, parameters owned (0 on a repeated call of a shared module), and the bytes
its recorded ops keep alive for backward per image (``node.saved_bytes``: inputs, outputs or
masks they need for their gradients; the parameters they refer to are not counted)."""

_SummaryFields = namedtuple("SummaryResult", [
    "total_params", "trainable_params", "non_trainable_params", "param_bytes",
    "input_activations", "total_activations", "activation_bytes",
    "all_activations", "all_activation_bytes", "output_shape", "layers", "input_shape",
    "dtype", "saved_bytes", "other_saved_bytes"])


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
    saved_bytes : int
        Bytes kept for backward per image: the layers' ``saved_bytes`` plus
        ``other_saved_bytes`` (ops outside any layer: a residual ``+``, ``cat``). An array two
        ops both keep (a ReLU's output that the next layer also saves) counts for each.
    other_saved_bytes : int
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


def summary(model, input_shape, dtype=np.float32, file=None, print_table=None, mode="eval"):
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
    mode : {"eval", "train"}
        The mode of the probe pass (torchinfo's ``mode``): what a layer saves for backward
        differs (training-mode batch norm, dropout masks). Buffers (running statistics) and
        the random state are restored afterwards, as is each module's mode.

    Returns
    -------
    SummaryResult
        Parameter totals, per-image activation totals and saved-for-backward bytes;
        ``layers`` lists the rows. Its ``repr``/``str`` is the table (``print(result)`` prints
        it), in Jupyter an HTML table.

    What is counted (per image): ``total_activations`` is CS231n's VGG16 memory count, the
    input (224*224*3 = 150K for VGG16) plus the output of every CONV, POOL and FC layer (also
    BatchNorm and LocalResponseNorm outputs, which are new volumes); ReLUs (in place), Dropout,
    Flatten, Identity and an adaptive pool to the size it already has are not counted.
    Non-module operations (the residual ``+``, ``cat`` in Inception/DenseNet) are not
    counted either. ``all_activations`` counts every leaf module's output. VGG16 at 224x224:
    138,357,544 parameters and 15,237,608 counted activations (61 MB in float32). The slides
    (from CS231n) print "TOTAL memory: 24M * 4 bytes ~= 96MB / image", but their own per-layer
    entries (150K + 3.2M + 3.2M + 800K + ... + 4096 + 4096 + 1000) add up to 15.2M; counting
    every ReLU output too gives 28.8M (``all_activations``). The "Saved" column is what
    training needs on top: the arrays each layer's ops keep until backward (a convolution its
    input and its unfolded patches, a ReLU its output, a max pool its input), measured on the
    recorded graph (``node.saved_bytes``), without the parameters they refer to.

    In eval mode (the default) training-only branches (GoogLeNet's auxiliary heads) are not in
    the table although their parameters are in the totals.

    Raises
    ------
    TypeError
        ``model`` has no ``named_modules`` (not an nn.Module) or ``input_shape`` is not a
        sequence of ints.
    ValueError
        ``mode`` is not "eval" or "train".
    """
    if not hasattr(model, "named_modules"):
        raise TypeError(f"summary: expected an nn.Module, got {type(model).__name__}")
    if mode not in ("eval", "train"):
        raise ValueError(f"summary: mode must be 'eval' or 'train', got {mode!r}")
    input_shape = _shape(input_shape)
    dtype = np.dtype(dtype)
    rows, calls, out = _probe(model, input_shape, dtype, mode)

    params = list(_unique(model.parameters()))
    total = sum(p.numel() for p in params)
    trainable = sum(p.numel() for p in params if p.requires_grad)
    n_in = int(np.prod(input_shape))
    counted = n_in + sum(r.activations for r in rows if r.counted)
    every = n_in + sum(r.activations for r in rows)
    outs = _tensors(out)
    saved, other = _saved_per_layer(outs, calls)
    rows = [r._replace(saved_bytes=b) for r, b in zip(rows, saved)]
    result = SummaryResult(total, trainable, total - trainable, total * dtype.itemsize, n_in,
                           counted, counted * dtype.itemsize, every, every * dtype.itemsize,
                           tuple(outs[0].shape[1:]) if outs else (), rows, input_shape, dtype,
                           sum(saved) + other, other)
    if print_table is None:
        print_table = not getattr(sys, "ps1", None)
    if print_table:
        print(_table(result), file=file or sys.stdout)
    return result


def _shape(input_shape):
    if isinstance(input_shape, (int, np.integer)):
        input_shape = (input_shape,)
    try:
        if isinstance(input_shape, str):
            raise TypeError
        return tuple(int(s) for s in input_shape)
    except (TypeError, ValueError):
        raise TypeError(f"summary: input_shape must be a sequence of ints, got {input_shape!r}")


def _probe(model, input_shape, dtype, mode):
    """One recorded forward pass on zeros of shape (1,) + input_shape with a group per leaf
    call: (rows, groups, output). Modes, buffers and the random state are restored."""
    rows, calls, seen, handles = [], [], set(), []

    def pre(module, args):
        calls.append(graph.Group(type(module).__name__, "module", module).start())

    def make_hook(name):
        def hook(module, args, out):
            calls[len(rows)].end(out, args)
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
                                  _counted(type_name, args, outputs), params, 0))
        return hook

    for name, module in _leaves(model):
        handles.append(module.register_forward_pre_hook(pre))
        handles.append(module.register_forward_hook(make_hook(name)))
    modes = [(m, m.training) for m in model.modules()]
    buffers = [(b, b.detach().numpy().copy()) for b in model.buffers()]
    rng = autograd.get_rng_state()
    x = autograd.zeros((1,) + input_shape, dtype=dtype)
    try:
        model.train(mode == "train")
        with autograd.enable_grad():
            out = model(x)
    finally:
        for handle in handles:
            handle.remove()
        for m, was in modes:
            m.training = was
        with autograd.no_grad():
            for b, values in buffers:
                b.copy_(autograd.from_numpy(values))
        autograd.set_rng_state(rng)
    return rows, calls, out


def _saved_per_layer(outputs, calls):
    """Bytes each leaf call's nodes keep for backward, and those of nodes outside every call,
    from one walk over the recorded graph (leaf calls never overlap, so the calls are
    searched from the latest backwards as walk goes from the latest node backwards)."""
    saved, other = [0] * len(calls), 0
    order = sorted(range(len(calls)), key=lambda i: calls[i], reverse=True)
    at = 0
    for node in graph.walk([t for t in outputs if t.grad_fn is not None]):
        kept = _activation_bytes(node)
        for k in range(at, len(order)):
            if node in calls[order[k]]:
                saved[order[k]] += kept
                at = k
                break
        else:
            other += kept
    return saved, other


def _activation_bytes(node):
    """``node.saved_bytes`` without the parameters it keeps a reference to (a Linear keeps
    its weight, which is in memory anyway): saved arrays matched, by shape and dtype, to the
    node's leaf inputs are not counted."""
    leaves = [(tuple(e.variable.shape), e.variable.dtype) for e, _ in node.next_functions
              if isinstance(e, graph.AccumulateGrad)]
    total = 0
    for info in node.saved_tensors_info:
        key = (tuple(info.shape), info.dtype)
        if key in leaves:
            leaves.remove(key)
        else:
            total += info.nbytes
    return total


def _unique(params):
    seen = set()
    for p in params:
        if id(p) not in seen:
            seen.add(id(p))
            yield p


_HEADER = ("Layer (type)", "Output shape", "Activations", "MB", "Saved MB", "Params")


def _rows(res):
    """The table's body: (label, shape, activations, MB, saved MB, params) per line, input
    first."""
    size = res.dtype.itemsize
    out = [("input", str(list(res.input_shape)), f"{res.input_activations:,}",
            f"{res.input_activations * size / 1e6:.2f}", "", "0")]
    for r in res.layers:
        acts = f"{r.activations:,}" if r.counted else f"({r.activations:,})"
        out.append((f"{r.name or '(model)'} ({r.type})", str(list(r.output_shape)), acts,
                    f"{r.activations * size / 1e6:.2f}", f"{r.saved_bytes / 1e6:.2f}",
                    f"{r.params:,}"))
    return out


def _totals(res):
    return [f"Total params: {res.total_params:,} ({res.param_bytes / 1e6:.2f} MB)",
            f"Trainable params: {res.trainable_params:,}",
            f"Non-trainable params: {res.non_trainable_params:,}",
            f"Activations per image (input + conv/pool/fc/norm outputs; numbers in parentheses"
            f" not counted): {res.total_activations:,} ({res.activation_bytes / 1e6:.2f} MB)",
            f"Activations per image, every layer output: {res.all_activations:,} "
            f"({res.all_activation_bytes / 1e6:.2f} MB)",
            f"Saved for backward per image: {res.saved_bytes / 1e6:.2f} MB"
            + (f" ({res.other_saved_bytes / 1e6:.2f} MB by ops outside the layers)"
               if res.other_saved_bytes else ""),
            f"Output shape: {list(res.output_shape)}"]


def _table(res):
    h = _HEADER
    header = f"{h[0]:<40}{h[1]:<18}{h[2]:>13}{h[3]:>8}{h[4]:>10}{h[5]:>13}"
    line = "-" * len(header)
    out = [line, header, "=" * len(header)]
    out += [f"{a[:39]:<40}{b:<18}{c:>13}{d:>8}{e:>10}{f:>13}" for a, b, c, d, e, f in _rows(res)]
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
