"""RMSprop (``torch.optim.RMSprop``): Hinton's lecture 6e of "Neural Networks for Machine
Learning" (2012); the centered variant from Graves, "Generating Sequences With Recurrent Neural
Networks" (2013)."""

import numpy as np

from autograd.tensor import Tensor

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
    ValueError
        For negative lr, eps, momentum, weight_decay or alpha.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False):
        for name, value in (("lr", lr), ("alpha", alpha), ("eps", eps), ("momentum", momentum),
                            ("weight_decay", weight_decay)):
            if value < 0:
                raise ValueError(f"RMSprop: invalid {name} {value} (must be >= 0)")
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
                state["square_avg"] = Tensor._wrap(np.zeros_like(p.data))
            state["step"] += 1
            work = self._work(p, 3 if weight_decay != 0 else 2)   # reused every step
            tmp, denom = work[0], work[1]
            if weight_decay != 0:
                np.multiply(p.data, weight_decay, out=work[2])
                work[2] += g
                g = work[2]
            s = state["square_avg"].data
            s *= alpha
            np.multiply(g, g, out=tmp)
            tmp *= 1 - alpha
            s += tmp
            if centered:
                a = _buffer(state, "grad_avg", p).data
                np.subtract(g, a, out=tmp)          # a += (1 - alpha) * (g - a)  (lerp form)
                tmp *= 1 - alpha
                a += tmp
                np.multiply(a, a, out=denom)
                np.subtract(s, denom, out=denom)
                np.sqrt(denom, out=denom)
            else:
                np.sqrt(s, out=denom)
            denom += eps
            np.divide(g, denom, out=tmp)
            if momentum > 0:
                b = _buffer(state, "momentum_buffer", p).data
                b *= momentum
                b += tmp
                np.multiply(b, lr, out=tmp)
            else:
                tmp *= lr
            p.data -= tmp
            p._mark_modified()


def _buffer(state, key, p):
    """``state[key]``, created as zeros the first time it is needed."""
    buf = state.get(key)
    if buf is None:
        buf = state[key] = Tensor._wrap(np.zeros_like(p.data))
    return buf
