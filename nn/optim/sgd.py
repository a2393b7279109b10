"""Stochastic gradient descent with momentum and Nesterov momentum (``torch.optim.SGD``)."""

from autograd import validate
from autograd.errors import ArgumentError

from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with (Nesterov) momentum and L2 weight decay.

    For each parameter ``p`` with gradient ``g`` (PyTorch's formulation, Sutskever et al. 2013
    for momentum)::

        g = g + weight_decay * p                        (if weight_decay != 0)
        b = g                                           (first step)
        b = momentum * b + (1 - dampening) * g          (later steps)
        g = g + momentum * b   if nesterov   else   b   (if momentum != 0)
        p = p - lr * g

    Parameters
    ----------
    params : iterable of Tensor or of dict (parameter groups)
    lr : float, default 1e-3
    momentum : float, default 0
    dampening : float, default 0
    weight_decay : float, default 0
    nesterov : bool, default False
        Needs ``momentum > 0`` and ``dampening == 0``.
    maximize : bool, default False
        Ascend instead of descend.

    State per parameter: ``momentum_buffer`` (Tensor, when momentum != 0).

    Raises
    ------
    ArgumentError
        For a negative lr, momentum or weight_decay, or nesterov without momentum / with
        dampening (ArgumentTypeError for a value that is not a number).
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False):
        for name, value in (("lr", lr), ("momentum", momentum), ("weight_decay", weight_decay)):
            validate.number(value, name, "SGD", minimum=0)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ArgumentError(f"SGD: Nesterov momentum requires momentum > 0 and dampening 0, got "
                             f"momentum={momentum}, dampening={dampening}")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def _step_group(self, group):
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        weight_decay, nesterov = group["weight_decay"], group["nesterov"]
        for p in group["params"]:
            if p.grad is None:
                continue
            g = self._grad(p, group)
            if weight_decay != 0:
                g = g.add(p, alpha=weight_decay)
            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:                      # first step: the buffer is the gradient
                    buf = state["momentum_buffer"] = g.clone()
                else:
                    buf.mul_(momentum).add_(g, alpha=1 - dampening)
                g = g.add(buf, alpha=momentum) if nesterov else buf
            p.add_(g, alpha=-lr)
