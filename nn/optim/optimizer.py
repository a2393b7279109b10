"""``Optimizer``: the base class every optimizer shares (PyTorch's ``torch.optim.Optimizer``).

An optimizer holds *parameter groups* (each a dict with its own hyperparameters and a list of
parameters) and a per-parameter ``state`` dict (momentum buffers, moment estimates, step
counts). ``step()`` reads each parameter's ``.grad`` and updates the parameter with in-place
Tensor ops under ``no_grad`` (as ``torch/optim/sgd.py`` does), so every update moves the
parameter's version counter: a graph that saved the old values refuses to backpropagate
(``InplaceError``) instead of using the new ones. The subclasses only write ``_step_group``,
the update of one group.

``state_dict()``/``load_state_dict()`` use PyTorch's layout, with parameters replaced by their
position in the order the groups list them::

    {'state': {0: {'step': 3, 'exp_avg': Tensor, ...}, 1: {...}},
     'param_groups': [{'lr': 0.001, 'betas': (0.9, 0.999), ..., 'params': [0, 1]}]}
"""

import copy
from collections import defaultdict

import numpy as np

import autograd as ag
from autograd import Tensor, enable_grad, no_grad
from autograd.errors import ArgumentError, ArgumentTypeError, DTypeError

__all__ = ["Optimizer", "required"]


class _Required:
    """Marks a hyperparameter that has no default (``required``, as in PyTorch)."""

    def __repr__(self):
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class of the optimizers.

    Parameters
    ----------
    params : iterable of Tensor, or iterable of dict
        The tensors to optimise, or parameter groups: dicts with a ``'params'`` entry and any
        hyperparameters that override ``defaults`` for that group.
    defaults : dict
        Default hyperparameters of every group.

    Attributes
    ----------
    param_groups : list of dict
    state : dict
        Per-parameter state, keyed by the parameter Tensor.

    Raises
    ------
    ArgumentError
        Empty parameter list, a parameter in two groups, a missing required hyperparameter, a
        non-leaf parameter (a ValueError).
    ArgumentTypeError
        A parameter that is not a Tensor, or ``params`` given as a single Tensor or as a set
        (its order is not reproducible, so neither would be ``state_dict``) (a TypeError).
    DTypeError
        A parameter that is not floating point.
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = defaultdict(dict)
        self.param_groups = []
        if isinstance(params, Tensor):
            raise ArgumentTypeError(f"{type(self).__name__}: params must be an iterable of Tensors or "
                            "dicts, got a single Tensor; wrap it in a list")
        if isinstance(params, (set, frozenset)):
            raise ArgumentTypeError(f"{type(self).__name__}: params must be an ordered iterable (a "
                            "list), not a set: the order fixes the indices used by state_dict")
        params = list(params)
        if not params:
            raise ArgumentError(f"{type(self).__name__} got an empty parameter list")
        if not isinstance(params[0], dict):
            params = [{"params": params}]
        for group in params:
            self.add_param_group(group)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"

    # -- groups ----------------------------------------------------------------------------
    def add_param_group(self, param_group):
        """Add a group of parameters (a dict with ``'params'``) with its own hyperparameters.

        Missing hyperparameters take the optimizer's defaults.
        """
        if not isinstance(param_group, dict):
            raise ArgumentTypeError(f"add_param_group: expected a dict, got {type(param_group).__name__}")
        group = dict(param_group)
        params = group.get("params")
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise ArgumentTypeError("optimizer parameters must be an ordered iterable (a list), not a "
                            "set: the order fixes the indices used by state_dict")
        group["params"] = params = list(params if params is not None else [])
        for p in params:
            if not isinstance(p, Tensor):
                raise ArgumentTypeError(f"{type(self).__name__} can only optimize Tensors, got "
                                f"{type(p).__name__}")
            if p.grad_fn is not None:
                raise ArgumentError(f"{type(self).__name__} can only optimize leaf tensors; got a "
                                    f"tensor of shape {tuple(p.shape)} produced by "
                                    f"{p.grad_fn!r}")
            if p.dtype.kind != "f":
                raise DTypeError(f"{type(self).__name__} can only optimize floating point "
                                 f"tensors, got dtype {p.dtype} (shape {tuple(p.shape)})")
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ArgumentError(f"parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            group.setdefault(name, default)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if len({id(p) for p in params}) != len(params) or seen & {id(p) for p in params}:
            raise ArgumentError("some parameters appear in more than one parameter group "
                             "(or twice in one)")
        self.param_groups.append(group)

    # -- gradients and steps ---------------------------------------------------------------
    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: ``grad = None`` (default) or fill it with zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad = p.grad.detach()       # as PyTorch: cut a create_graph gradient
                    p.grad.zero_()

    def step(self, closure=None):
        """Update every parameter that has a ``.grad``; returns ``closure()``'s loss if given.

        ``closure`` (optional) re-evaluates the model and returns the loss; it runs with
        gradient recording on. The update runs under ``no_grad`` with in-place ops, so nothing
        is recorded and each updated parameter's version counter moves.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                self._step_group(group)
        return loss

    def _step_group(self, group):
        """Update the parameters of one group (the subclass's formula)."""
        raise NotImplementedError

    @staticmethod
    def _grad(p, group):
        """The gradient of ``p`` (negated when the group maximises), detached."""
        g = p.grad.detach()
        return -g if group.get("maximize", False) else g

    # -- checkpoints -----------------------------------------------------------------------
    def state_dict(self):
        """The optimizer's state as a dict (PyTorch's layout; parameters become indices).

        Arrays in the state are copied, so the dict is a snapshot that later steps do not
        change.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state and self.state[p]:
                    state[index[id(p)]] = {k: _snapshot(v) for k, v in self.state[p].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore hyperparameters and per-parameter state saved by ``state_dict``.

        Everything is validated before anything changes: on error the optimizer is untouched.

        Raises
        ------
        ValueError
            When the number of groups, a group's size, or a state array's shape differs from
            this optimizer's parameters, or an entry is missing.
        """
        name = type(self).__name__
        if not isinstance(state_dict, dict) or "param_groups" not in state_dict \
                or "state" not in state_dict:
            raise ValueError(f"{name}.load_state_dict: expected a dict with 'state' and "
                             f"'param_groups', got {_describe(state_dict)}")
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the loaded state dict has "
                             f"{len(saved_groups)} parameter groups, the optimizer has "
                             f"{len(self.param_groups)}")
        by_index = {}
        for i, (mine, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(mine["params"]) != len(saved["params"]):
                raise ValueError(f"{name}.load_state_dict: parameter group {i} has "
                                 f"{len(saved['params'])} parameters in the loaded state dict "
                                 f"and {len(mine['params'])} in the optimizer")
            for idx, p in zip(saved["params"], mine["params"]):
                by_index[int(idx)] = p
        new_state = defaultdict(dict)
        for idx, entry in state_dict["state"].items():
            if int(idx) not in by_index:
                raise ValueError(f"{name}.load_state_dict: state for parameter {idx}, which no "
                                 "parameter group lists")
            p = by_index[int(idx)]
            new_state[p] = {k: _restore(v, p, k, name) for k, v in entry.items()}
        new_groups = []
        for mine, saved in zip(self.param_groups, saved_groups):
            group = {k: copy.deepcopy(v) for k, v in saved.items() if k != "params"}
            if "betas" in group:     # a round trip through JSON may turn the tuple into a list
                group["betas"] = tuple(group["betas"])
            group["params"] = mine["params"]
            new_groups.append(group)
        self.state = new_state
        self.param_groups = new_groups


def _snapshot(value):
    if isinstance(value, Tensor):
        return value.detach().clone()
    if isinstance(value, np.ndarray):
        return ag.from_numpy(value.copy())
    return copy.deepcopy(value)


def _restore(value, p, key, name):
    """A saved state entry for parameter ``p``: arrays as Tensors of p's dtype, ``step`` an int."""
    if key == "step":
        return int(value.item() if isinstance(value, (Tensor, np.ndarray)) else value)
    if isinstance(value, (Tensor, np.ndarray)):
        array = value.detach().numpy() if isinstance(value, Tensor) else value
        if array.shape != p.shape:
            raise ValueError(f"{name}.load_state_dict: state '{key}' has shape "
                             f"{tuple(array.shape)}, "
                             f"its parameter has shape {tuple(p.shape)}")
        return ag.tensor(array, dtype=p.dtype)
    return copy.deepcopy(value)


def _describe(obj):
    return f"{type(obj).__name__} with keys {sorted(map(str, obj))}" if isinstance(obj, dict) \
        else type(obj).__name__
