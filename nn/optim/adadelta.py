"""Adadelta (``torch.optim.Adadelta``): Zeiler, "ADADELTA: An Adaptive Learning Rate Method"
(2012), in PyTorch's form (with a learning rate that scales the step, 1.0 by default)."""

import autograd as ag

from .optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    r"""Adadelta: steps of size RMS(past steps) / RMS(past gradients), no hand-tuned rate.

    For each parameter ``p`` with gradient ``g`` (PyTorch's update, torch/optim/adadelta.py)::

        g = g + weight_decay * p                         (if weight_decay != 0)
        v = rho * v + (1 - rho) * g**2                   (square_avg)
        d = sqrt(u + eps) / sqrt(v + eps) * g            (the step)
        u = rho * u + (1 - rho) * d**2                   (acc_delta)
        p = p - lr * d

    Parameters
    ----------
    params : iterable of Tensor or of dict (parameter groups)
    lr : float, default 1.0
        Scales the step (Zeiler's method is lr = 1).
    rho : float in [0, 1], default 0.9
        Decay of both running averages.
    eps : float, default 1e-6
    weight_decay : float, default 0
    maximize : bool, default False

    State per parameter: ``step`` (int), ``square_avg`` and ``acc_delta`` (Tensors shaped like
    the parameter, starting at zero).

    Raises
    ------
    ValueError
        Negative lr, eps or weight_decay; rho outside [0, 1].
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, *, maximize=False):
        for name, value in (("lr", lr), ("eps", eps), ("weight_decay", weight_decay)):
            if value < 0:
                raise ValueError(f"Adadelta: invalid {name} {value} (must be >= 0)")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Adadelta: invalid rho value {rho} (must be in [0, 1])")
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))

    def _step_group(self, group):
        lr, rho, eps, weight_decay = group["lr"], group["rho"], group["eps"], group["weight_decay"]
        for p in group["params"]:
            if p.grad is None:
                continue
            g = self._grad(p, group)
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["square_avg"] = ag.zeros_like(p)
                state["acc_delta"] = ag.zeros_like(p)
            state["step"] += 1
            if weight_decay != 0:
                g = g.add(p, alpha=weight_decay)
            v, u = state["square_avg"], state["acc_delta"]
            v.mul_(rho).addcmul_(g, g, value=1 - rho)
            delta = (u + eps).sqrt_().div_((v + eps).sqrt_()).mul_(g)
            u.mul_(rho).addcmul_(delta, delta, value=1 - rho)
            p.add_(delta, alpha=-lr)
