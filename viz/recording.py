"""``viz.record()``: keep what pictures need, so that drawing after ``loss.backward()`` works.

    with viz.record():
        loss = F.cross_entropy(model(x), y)
        loss.backward()
    viz.draw_graph(loss)                # values and dE/d of every tensor, module clusters
    viz.draw_backward(loss)             # the share sent along every edge
    viz.draw_chain(loss, model.fc1.weight)   # the chain rule, equal to .grad
    viz.step_backward(loss).save("backprop.html")

It is ``autograd.graph.record()`` (backward keeps the graph and, on every node, the gradient
it received and the shares it sent) plus module calls: a global forward hook makes each
module call a ``Group`` on the graph (clusters, one node per layer, parameter names, targets).
Outside it, backward frees the graph as PyTorch does; pictures then show the structure,
shapes and what is still alive, and say how to see the rest.
"""

import contextvars

from autograd import graph

from .modules import CallRecorder

__all__ = ["record"]

_ACTIVE = contextvars.ContextVar("viz_record", default=None)


class record:
    """Context manager: keep the graphs, gradients and module calls of the forward and
    backward passes run inside it (in this thread), for ``draw_graph``, ``draw_backward``,
    ``draw_chain`` and ``step_backward`` after ``loss.backward()``.

    Graphs recorded inside stay alive as long as their tensors do (as with
    ``retain_graph=True``); a training loop should not run inside one ``record()`` for good.

    Attributes
    ----------
    calls : list of autograd.graph.Group
        The module calls recorded, in completion order.
    """

    def __init__(self):
        self._graph = None
        self._recorder = None

    @property
    def calls(self):
        return list(self._recorder.done) if self._recorder is not None else []

    def __enter__(self):
        import nn.module as module
        self._recorder = CallRecorder()
        self._graph = graph.record()
        self._graph.__enter__()
        self._token = _ACTIVE.set(self)
        self._handles = [module.register_module_forward_pre_hook(self._pre),
                         module.register_module_forward_hook(self._post)]
        return self

    def _pre(self, module, args):
        if _ACTIVE.get() is self:               # hooks are global; the record is this thread's
            self._recorder.pre(module, args)

    def _post(self, module, args, output):
        if _ACTIVE.get() is self:
            self._recorder.post(module, args, output)

    def __exit__(self, *exc):
        for h in self._handles:
            h.remove()
        self._handles = []
        _ACTIVE.reset(self._token)
        self._graph.__exit__(*exc)
        return False

    def __repr__(self):
        return f"<viz.record: {len(self.calls)} module calls>"


def active():
    """The ``viz.record()`` open in this thread, or None."""
    return _ACTIVE.get()
