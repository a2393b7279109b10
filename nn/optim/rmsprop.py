"""RMSprop (``torch.optim.RMSprop``): Hinton's lecture 6e of "Neural Networks for Machine
Learning" (2012); the centered variant from Graves, "Generating Sequences With Recurrent Neural
Networks" (2013)."""

import autograd as ag
from autograd import validate

from .optimizer import Optimizer

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    r"""RMSprop: divide the gradient by a running root mean square of recent gradients.

    For each parameter ``p`` with gradient ``g`` (PyTorch's form)::

        g = g + weight_decay * p                       (if weight_decay != 0)
        s = alpha * s + (1 - alpha) * g**2              (square_avg)
        a = alpha * a + (1 - alpha) * g                 (grad_avg, centered only)
        d = sqrt(s - a**2) + eps  if centered  else  sqrt(s) + eps
        b = momentum * b + g / d;  p = p - lr * b       (if momentum > 0)
        p = p - lr * g / d                              (otherwise)

    Parameters
    ----------
    params : iterable of Tensor or of dict (parameter groups)
    lr : float, default 1e-2
    alpha : float, default 0.99
    eps : float, default 1e-8
    weight_decay : float, default 0
    momentum : float, default 0
    centered : bool, default False
    maximize : bool, default False

    State per parameter: ``step`` (int), ``square_avg``, and ``momentum_buffer`` (momentum > 0)
    and ``grad_avg`` (centered) as Tensors shaped like the parameter.

    Raises
    ------
    ArgumentError
        For negative lr, eps, momentum, weight_decay or alpha (ArgumentTypeError for a value
        that is not a number).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False):
        for name, value in (("lr", lr), ("alpha", alpha), ("eps", eps), ("momentum", momentum),
                            ("weight_decay", weight_decay)):
            validate.number(value, name, "RMSprop", minimum=0)
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize))

    def _step_group(self, group):
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        weight_decay, momentum = group["weight_decay"], group["momentum"]
        centered = group["centered"]
        for p in group["params"]:
            if p.grad is None:
                continue
            g = self._grad(p, group)
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["square_avg"] = ag.zeros_like(p)
            state["step"] += 1
            if weight_decay != 0:
                g = g.add(p, alpha=weight_decay)
            s = state["square_avg"]
            s.mul_(alpha).add_(g * g * (1 - alpha))
            if centered:
                a = _buffer(state, "grad_avg", p)
                a.add_((g - a) * (1 - alpha))        # the lerp form, as PyTorch
                denom = (s - a * a).sqrt()
            else:
                denom = s.sqrt()
            step = g / (denom + eps)
            if momentum > 0:
                b = _buffer(state, "momentum_buffer", p)
                b.mul_(momentum).add_(step)
                step = b
            p.sub_(step * lr)


def _buffer(state, key, p):
    """``state[key]``, created as zeros the first time it is needed."""
    buf = state.get(key)
    if buf is None:
        buf = state[key] = ag.zeros_like(p)
    return buf
