"""``draw_model``: run a model once and draw its graph, with module clusters (the CLI's core)."""

import numpy as np

import autograd as ag

from autograd import Tensor

from ._trace import trace
from .graph import draw_graph
from .recording import record

__all__ = ["draw_model"]


def draw_model(model, input=None, input_shape=None, backward=False, collapse_modules=False,
               seed=0, **kwargs):
    """Run ``model`` on ``input`` (or a random N(0, 1) tensor of ``input_shape``) and draw it.

    Parameters
    ----------
    model : nn.Module
    input : Tensor, optional
    input_shape : tuple of int, optional
        Used when ``input`` is None, e.g. ``(1, 1, 28, 28)`` (NCHW).
    backward : bool
        Draw the backward view of a loss: cross-entropy against class 0 for (N, classes)
        outputs, else the sum of the output (so dE/d output = 1). The backward pass is the
        engine's, kept aside (``autograd.graph.record(into=...)``): no ``.grad`` is written.
    collapse_modules : bool or int
        See ``draw_graph``.
    seed : int
        Seed for the random input (``autograd.manual_seed``).
    **kwargs
        Passed to ``draw_graph`` (``rankdir``, ``max_nodes``, ``show_values``, ...).

    Returns
    -------
    Graph

    Raises
    ------
    ValueError
        When neither ``input`` nor ``input_shape`` is given, or the model returns no Tensor.
    """
    if input is None:
        if input_shape is None:
            raise ValueError("draw_model: pass input= or input_shape=")
        ag.manual_seed(seed)
        input = ag.randn(*input_shape)
    with record():                                  # module calls, for clusters and names
        out = model(input)
    outs = [out] if isinstance(out, Tensor) else \
        [t for t in (out if isinstance(out, (tuple, list)) else ()) if isinstance(t, Tensor)]
    if not outs:
        raise ValueError(f"draw_model: {type(model).__name__} returned no Tensor")
    root = outs[0]
    records = None
    if backward:
        from .steps import run_backward
        root = _pseudo_loss(root)
        records = run_backward(root)
    kwargs.setdefault("show_grads", backward)
    tr = trace(root, outputs=outs, grads=kwargs["show_grads"] or backward, records=records,
               expand=kwargs.pop("expand", False))
    return draw_graph(tr, backward=backward, collapse_modules=collapse_modules, **kwargs)


def _pseudo_loss(out):
    if out.ndim == 2:
        import nn.functional as F
        return F.cross_entropy(out, ag.tensor(np.zeros(out.shape[0], dtype=np.int64)))
    return out.sum()
