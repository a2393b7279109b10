"""Adagrad (``torch.optim.Adagrad``): Duchi, Hazan and Singer, "Adaptive Subgradient Methods
for Online Learning and Stochastic Optimization" (JMLR 2011), in PyTorch's form."""

import autograd as ag

from .optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    r"""Adagrad: each coordinate's step shrinks with the sum of its squared gradients.

    For each parameter ``p`` with gradient ``g`` at step t = 1, 2, ... (PyTorch's update,
    torch/optim/adagrad.py)::

        g = g + weight_decay * p                         (if weight_decay != 0)
        clr = lr / (1 + (t - 1) * lr_decay)
        s = s + g**2                                      (sum, starts at
                                                           initial_accumulator_value)
        p = p - clr * g / (sqrt(s) + eps)

    Parameters
    ----------
    params : iterable of Tensor or of dict (parameter groups)
    lr : float, default 1e-2
    lr_decay : float, default 0
    weight_decay : float, default 0
    initial_accumulator_value : float, default 0
    eps : float, default 1e-10
    maximize : bool, default False

    State per parameter: ``step`` (int) and ``sum`` (a Tensor shaped like the parameter).
    PyTorch makes the state when the optimizer is built; so does this one.

    Raises
    ------
    ValueError
        Negative lr, lr_decay, weight_decay, initial_accumulator_value or eps.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, *, maximize=False):
        for name, value in (("lr", lr), ("lr_decay", lr_decay), ("weight_decay", weight_decay),
                            ("initial_accumulator_value", initial_accumulator_value),
                            ("eps", eps)):
            if value < 0:
                raise ValueError(f"Adagrad: invalid {name} {value} (must be >= 0)")
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize))
        for group in self.param_groups:
            for p in group["params"]:
                _init_state(self.state[p], p, group)

    def _step_group(self, group):
        lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
        weight_decay = group["weight_decay"]
        for p in group["params"]:
            if p.grad is None:
                continue
            g = self._grad(p, group)
            state = self.state[p]
            if not state:                           # a group added after construction
                _init_state(state, p, group)
            state["step"] += 1
            if weight_decay != 0:
                g = g.add(p, alpha=weight_decay)
            clr = lr / (1 + (state["step"] - 1) * lr_decay)
            s = state["sum"]
            s.addcmul_(g, g, value=1)
            p.addcdiv_(g, s.sqrt().add_(eps), value=-clr)


def _init_state(state, p, group):
    state["step"] = 0
    state["sum"] = ag.full_like(p, group["initial_accumulator_value"])
