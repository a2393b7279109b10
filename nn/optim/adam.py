"""Adam and AdamW (``torch.optim.Adam``, ``torch.optim.AdamW``).

Kingma & Ba, "Adam: A Method for Stochastic Optimization" (2015); the AMSGrad variant from
Reddi et al., "On the Convergence of Adam and Beyond" (2018); AdamW's decoupled weight decay
from Loshchilov & Hutter, "Decoupled Weight Decay Regularization" (2019).
"""

import math

import autograd as ag
from autograd import validate
from autograd.errors import ArgumentError

from .optimizer import Optimizer

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    r"""Adam, with optional L2 weight decay and AMSGrad.

    For each parameter ``p`` with gradient ``g`` at step ``t = 1, 2, ...`` (PyTorch's form)::

        g = g + weight_decay * p                       (Adam; AdamW decays p instead)
        m = beta1 * m + (1 - beta1) * g                 (exp_avg)
        v = beta2 * v + (1 - beta2) * g**2              (exp_avg_sq)
        v_max = max(v_max, v)                           (amsgrad; v_max replaces v below)
        p = p - lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)

    Parameters
    ----------
    params : iterable of Tensor or of dict (parameter groups)
    lr : float, default 1e-3
    betas : (float, float), default (0.9, 0.999)
    eps : float, default 1e-8
    weight_decay : float, default 0
    amsgrad : bool, default False
    maximize : bool, default False

    State per parameter: ``step`` (int), ``exp_avg``, ``exp_avg_sq`` and, with amsgrad,
    ``max_exp_avg_sq`` (Tensors shaped like the parameter).

    Raises
    ------
    ArgumentError
        For lr < 0, eps < 0, weight_decay < 0 or betas outside [0, 1) (ArgumentTypeError for
        a value that is not a number).
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, maximize=False):
        name = type(self).__name__
        for label, value in (("lr", lr), ("eps", eps), ("weight_decay", weight_decay)):
            validate.number(value, label, name, minimum=0)
        betas = tuple(betas)
        if len(betas) != 2 or not all(0.0 <= validate.number(b, "betas", name) < 1.0
                                      for b in betas):
            raise ArgumentError(f"{name}: invalid betas {betas} (two values in [0, 1))")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize))

    def _step_group(self, group):
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
        for p in group["params"]:
            if p.grad is None:
                continue
            g = self._grad(p, group)
            state = self.state[p]
            if not state:
                state["step"] = 0
                state["exp_avg"] = ag.zeros_like(p)
                state["exp_avg_sq"] = ag.zeros_like(p)
                if amsgrad:
                    state["max_exp_avg_sq"] = ag.zeros_like(p)
            state["step"] = t = state["step"] + 1
            if weight_decay != 0:
                if self._decoupled:
                    p.mul_(1 - lr * weight_decay)
                else:
                    g = g.add(p, alpha=weight_decay)
            m, v = state["exp_avg"], state["exp_avg_sq"]
            m.add_((g - m) * (1 - beta1))           # PyTorch's lerp form of the moving average
            v.mul_(beta2).add_(g * g * (1 - beta2))
            if amsgrad:
                if "max_exp_avg_sq" not in state:     # amsgrad switched on later
                    state["max_exp_avg_sq"] = ag.zeros_like(p)
                v = state["max_exp_avg_sq"].copy_(state["max_exp_avg_sq"].maximum(v))
            step_size = lr / (1 - beta1 ** t)
            denom = v.sqrt() / math.sqrt(1 - beta2 ** t) + eps
            p.sub_(m / denom * step_size)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter 2019).

    Same as :class:`Adam` except that weight decay shrinks the parameter directly, before the
    Adam update, instead of being added to the gradient::

        p = p * (1 - lr * weight_decay)

    Parameters are those of :class:`Adam`, with ``weight_decay`` defaulting to 1e-2.
    """

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize)
