"""``Module`` and ``Parameter``: the building blocks of networks, as in ``torch.nn``.

A ``Module`` registers what is assigned to it: a ``Parameter`` goes to ``_parameters``, a
sub-``Module`` to ``_modules``, a tensor given to ``register_buffer`` to ``_buffers``. These three
dicts are the module's state; ``named_parameters()``, ``state_dict()``, ``train()``/``eval()``,
``to(dtype)`` and ``zero_grad()`` walk them recursively, so a network is just a tree of modules.

Attribute reads of registered names (``self.weight`` in ``forward``) fall back to
``__getattr__``, which Python calls only when the normal lookup fails, so every other
attribute costs nothing extra (PyTorch's design).
"""

from collections import OrderedDict, namedtuple

import numpy as np

import autograd as ag
from autograd import Tensor, no_grad
from autograd.device import parse_to
from autograd.errors import AutogradError
from autograd.utils.hooks import RemovableHandle

__all__ = ["Module", "Parameter", "Sequential", "ModuleList", "ModuleDict",
           "RemovableHandle", "StateDictError", "register_module_forward_pre_hook",
           "register_module_forward_hook"]

# Hooks on every module's call (PyTorch's torch.nn.modules.module globals); they run before
# each module's own hooks.
_global_forward_pre_hooks = OrderedDict()
_global_forward_hooks = OrderedDict()


def register_module_forward_pre_hook(hook):
    """``hook(module, args)`` runs before every module's ``forward``, before the module's own
    pre-hooks; a non-None return replaces args (``torch.nn.modules.module.
    register_module_forward_pre_hook``). Returns a handle with ``remove()``.

    Global to the process: meant for tools (``viz.record()`` uses it), not for models."""
    handle = RemovableHandle(_global_forward_pre_hooks)
    _global_forward_pre_hooks[handle.id] = hook
    return handle


def register_module_forward_hook(hook):
    """``hook(module, args, output)`` runs after every module's ``forward``, before the
    module's own forward hooks; a non-None return replaces the output
    (``torch.nn.modules.module.register_module_forward_hook``). Returns a handle with
    ``remove()``."""
    handle = RemovableHandle(_global_forward_hooks)
    _global_forward_hooks[handle.id] = hook
    return handle


class StateDictError(AutogradError, RuntimeError):
    """``load_state_dict`` found missing, unexpected or mis-shaped keys (it lists all of them).

    A ``RuntimeError``, like PyTorch's, so ``except RuntimeError`` keeps working.
    """


#: What ``load_state_dict`` returns (PyTorch's ``_IncompatibleKeys``).
IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Parameter(Tensor):
    """A Tensor that a ``Module`` registers as a learnable parameter (``torch.nn.Parameter``).

    ``Parameter(t)`` shares ``t``'s data (no copy) and sets ``requires_grad=True`` unless told
    otherwise. Results of ops on a Parameter are plain Tensors.

    Raises
    ------
    DTypeError
        ``requires_grad=True`` on integer or bool data.
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = ag.zeros(0)
        elif isinstance(data, np.ndarray):
            data = ag.from_numpy(data)
        elif not isinstance(data, Tensor):
            data = ag.tensor(data)                # Python floats -> float32, as tensor()
        super().__init__(np.empty((0,), dtype=data.dtype))
        self.data = data                          # share, as torch.nn.Parameter does
        if requires_grad:
            self.requires_grad_(True)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self.detach().numpy(), self.requires_grad))

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        out = Parameter(self.detach().numpy().copy(), self.requires_grad)
        if self.grad is not None:
            out.grad = self.grad.detach().clone()
        memo[id(self)] = out
        return out


def _rebuild_parameter(data, requires_grad):
    return Parameter(data, requires_grad)


def _addindent(text, spaces):
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


class Module:
    """Base class of every layer and network (``torch.nn.Module``).

    Subclasses call ``super().__init__()`` first, assign ``Parameter``s and sub-modules as
    attributes, and define ``forward``; calling the module runs the forward pre-hooks,
    ``forward`` and the forward hooks.

    Attributes
    ----------
    training : bool
        True in training mode (``train()``), False after ``eval()``; read by Dropout and
        BatchNorm.
    """

    _version = 1

    def __init__(self):
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers"] = set()
        d["_modules"] = {}
        d["_forward_hooks"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()

    def forward(self, *args, **kwargs):
        """The computation; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} has no forward() method")

    def __call__(self, *args, **kwargs):
        if not (self._forward_pre_hooks or self._forward_hooks or _global_forward_pre_hooks
                or _global_forward_hooks):
            return self.forward(*args, **kwargs)     # the hot path: no hooks
        for hook in (*_global_forward_pre_hooks.values(), *self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        out = self.forward(*args, **kwargs)
        for hook in (*_global_forward_hooks.values(), *self._forward_hooks.values()):
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    # -- registration ----------------------------------------------------------------------
    def __setattr__(self, name, value):
        d = self.__dict__
        params = d.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._forget(name, keep="_parameters")
            params[name] = value
        elif isinstance(value, Module):
            if params is None:
                raise AttributeError("cannot assign a submodule before Module.__init__() call")
            self._forget(name, keep="_modules")
            d["_modules"][name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as parameter '{name}' "
                                "(nn.Parameter or None expected)")
            params[name] = None
        elif params is not None and name in d["_modules"]:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as child module "
                                f"'{name}' (nn.Module or None expected)")
            d["_modules"][name] = None
        elif params is not None and name in d["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign {type(value).__name__} as buffer '{name}' "
                                "(Tensor or None expected)")
            d["_buffers"][name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name, keep=None):
        """Drop ``name`` from every store but ``keep``: a re-assigned child, parameter or buffer
        keeps its place in its dict (PyTorch's order for printing and ``state_dict``)."""
        d = self.__dict__
        d.pop(name, None)
        for store in ("_parameters", "_buffers", "_modules"):
            if store != keep:
                d[store].pop(name, None)
        if keep != "_buffers":
            d["_non_persistent_buffers"].discard(name)

    def __getattr__(self, name):
        # Only reached when normal lookup fails: registered names live in the three dicts.
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            values = d.get(store)
            if values is not None and name in values:
                return values[name]
        hint = "" if "_parameters" in d else \
            f" (did {type(self).__name__}.__init__ call super().__init__()?)"
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'{hint}")

    def __delattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if name in d[store]:
                del d[store][name]
                d["_non_persistent_buffers"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers)
                      | set(self._modules))

    def _check_name(self, name, kind):
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f"{kind} name can't be empty or contain '.', got {name!r}")
        if name in self.__dict__ and not (name in self._parameters or name in self._buffers
                                           or name in self._modules):
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name, param):
        """Register ``param`` (a Parameter, or None) under ``name``."""
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign {type(param).__name__} as parameter '{name}' "
                            "(nn.Parameter or None expected)")
        self._forget(name, keep="_parameters")
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Register a non-learnable tensor (e.g. BatchNorm's ``running_mean``) under ``name``.

        Buffers follow ``to(dtype)`` (floating ones only) and, when ``persistent``, are part of
        ``state_dict()``.
        """
        self._check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign {type(tensor).__name__} as buffer '{name}' "
                            "(Tensor or None expected)")
        self._forget(name, keep="_buffers")
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers.discard(name)
        else:
            self._non_persistent_buffers.add(name)

    def add_module(self, name, module):
        """Register ``module`` (or None) as a child under ``name``."""
        self._check_name(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._forget(name, keep="_modules")
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target):
        """The sub-module at dotted path ``target`` ('' is self)."""
        module = self
        for item in target.split(".") if target else []:
            if item not in module._modules:
                raise AttributeError(f"{module._get_name()} has no submodule '{item}' "
                                     f"(looking up '{target}')")
            module = module._modules[item]
        return module

    def get_parameter(self, target):
        """The parameter at dotted path ``target`` (``"conv1.weight"``)."""
        prefix, _, name = target.rpartition(".")
        module = self.get_submodule(prefix)
        if name not in module._parameters:
            raise AttributeError(f"{module._get_name()} has no parameter '{name}'")
        return module._parameters[name]

    # -- traversal -------------------------------------------------------------------------
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(dotted name, module) for self and every descendant, depth first; '' is self."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is None:
                continue
            sub = prefix + ("." if prefix else "") + name
            yield from module.named_modules(memo, sub, remove_duplicate)

    def modules(self):
        """Self and every descendant module, each once, depth first."""
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        """(name, module) for the direct children (each module once)."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        """The direct child modules, each once."""
        for _, module in self.named_children():
            yield module

    def _named_members(self, store, prefix, recurse, remove_duplicate=True):
        seen = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, value in module.__dict__[store].items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, Parameter) pairs, e.g. ``("conv1.weight", ...)``; shared ones once."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Every Parameter of self and (when ``recurse``) its descendants, each once."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, buffer) pairs, e.g. ``("bn.running_mean", ...)``."""
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Every buffer of self and (when ``recurse``) its descendants."""
        for _, buf in self.named_buffers(recurse=recurse):
            yield buf

    # -- modes and bulk changes ------------------------------------------------------------
    def train(self, mode=True):
        """Set training mode (``mode=True``) or evaluation mode on self and all descendants."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            module.__dict__["training"] = mode
        return self

    def eval(self):
        """Evaluation mode: Dropout is the identity, BatchNorm uses its running statistics."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` of every parameter (freeze with ``False``); returns self."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's ``.grad``: set it to None (default) or fill it with zeros."""
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                p.grad = p.grad.detach()          # as PyTorch: cut a create_graph gradient
                p.grad.zero_()

    def apply(self, fn):
        """Call ``fn(module)`` on every descendant (children first) and on self; returns self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    def _apply_dtype(self, dtype):
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Module.to: only floating point dtypes are supported, got {dtype}")
        with no_grad():
            for p in self.parameters():
                if p.dtype != dtype:
                    p.data = p.data.to(dtype)
                if p.grad is not None and p.grad.dtype != dtype:
                    p.grad = p.grad.detach().to(dtype)
            for module in self.modules():
                for name, buf in module._buffers.items():
                    if buf is not None and buf.dtype.kind == "f" and buf.dtype != dtype:
                        buf.data = buf.data.to(dtype)
        return self

    def to(self, *args, dtype=None, device=None, non_blocking=False, **kwargs):
        """Cast floating parameters and buffers in place: ``to(float64)``, ``to("cpu")`` or
        ``to(autograd.device("cpu"))`` (no-op), ``to(device, dtype)``, ``to(tensor)`` (its
        dtype). Parameters stay the same objects, so an optimizer made before keeps working.
        Integer buffers (``num_batches_tracked``) keep their dtype.

        Raises
        ------
        RuntimeError
            For a device other than the CPU (``'cuda'``, ``'mps'``).
        """
        dtype = parse_to(args, dtype, device, "Module.to")
        return self if dtype is None else self._apply_dtype(dtype)

    def cuda(self, device=None):
        """Refused: this framework runs on the CPU only (a RuntimeError, as ``Tensor.cuda``)."""
        raise RuntimeError("Module.cuda(): this framework runs on the CPU only (numpy storage); "
                           "use .to(device) with device 'cpu'")

    def double(self):
        """Cast floating parameters and buffers to float64 (for gradcheck)."""
        return self._apply_dtype(np.float64)

    def float(self):
        """Cast floating parameters and buffers to float32."""
        return self._apply_dtype(np.float32)

    def half(self):
        """Cast floating parameters and buffers to float16."""
        return self._apply_dtype(np.float16)

    def cpu(self):
        """A no-op (numpy storage is always on the CPU); returns self."""
        return self

    def type(self, dst_type):
        """Cast floating parameters and buffers to ``dst_type``."""
        return self._apply_dtype(dst_type)

    # -- state dict ------------------------------------------------------------------------
    def _state_items(self):
        """(dotted name, tensor) of parameters then persistent buffers, module by module."""
        for prefix, module in self.named_modules(remove_duplicate=False):
            dot = prefix + "." if prefix else ""
            for name, p in module._parameters.items():
                if p is not None:
                    yield dot + name, p
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent_buffers:
                    yield dot + name, b

    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """An ordered dict from dotted names (``conv1.weight``, ``bn.running_mean``) to the
        parameters and persistent buffers, as detached Tensors sharing the module's data
        (PyTorch's semantics: copy it, or save it, to keep a snapshot)."""
        out = OrderedDict() if destination is None else destination
        for name, t in self._state_items():
            out[prefix + name] = t if keep_vars else t.detach()
        return out

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from ``state_dict`` (Tensors or ndarrays) into the parameters and
        buffers, casting to their dtype; the module never aliases the given arrays.

        All problems are collected first: in strict mode any missing or unexpected key, and
        always any shape mismatch, raises one ``StateDictError`` that lists every bad key, and
        then nothing has been changed. Returns ``IncompatibleKeys(missing_keys,
        unexpected_keys)``.
        """
        if not hasattr(state_dict, "items"):
            raise TypeError(f"load_state_dict: expected a dict, got {type(state_dict).__name__}")
        own = OrderedDict(self._state_items())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        mismatched, values = [], {}
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            array = value.detach().numpy() if isinstance(value, Tensor) else np.asarray(value)
            if array.shape != target.shape:
                mismatched.append(f"{key}: copying a param with shape {tuple(array.shape)}, the "
                                  "shape "
                                  f"in the current model is {tuple(target.shape)}")
            elif array.dtype.kind not in "biuf":
                mismatched.append(f"{key}: cannot copy values of dtype {array.dtype} into a "
                                  f"{target.dtype} tensor")
            else:
                values[key] = array
        errors = []
        if strict and unexpected:
            errors.append("Unexpected key(s) in state_dict: "
                          + ", ".join(f'"{k}"' for k in unexpected) + ".")
        if strict and missing:
            errors.append("Missing key(s) in state_dict: "
                          + ", ".join(f'"{k}"' for k in missing) + ".")
        if mismatched:
            errors.append("Size or dtype mismatch: " + "; ".join(mismatched) + ".")
        if errors:
            raise StateDictError(f"Error(s) in loading state_dict for {self._get_name()}:\n\t"
                                 + "\n\t".join(errors))
        with no_grad():
            for key, array in values.items():       # copy_: never alias the source
                own[key].copy_(ag.from_numpy(np.asarray(array)))
        return IncompatibleKeys(missing, unexpected)

    # -- hooks -----------------------------------------------------------------------------
    def register_forward_pre_hook(self, hook):
        """``hook(module, args)`` runs before ``forward``; a non-None return replaces args
        (a single value is wrapped in a tuple). Returns a handle with ``remove()``."""
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        return handle

    def register_forward_hook(self, hook):
        """``hook(module, args, output)`` runs after ``forward``; a non-None return replaces
        the output. Returns a handle with ``remove()``."""
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    # -- printing --------------------------------------------------------------------------
    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        """The text inside the parentheses of ``repr`` (the layer's settings)."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(module), 2)
                       for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        body = ""
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                body = extra_lines[0]
            else:
                body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{self._get_name()}({body})"


class Sequential(Module):
    """Modules applied in order: ``Sequential(Conv2d(1, 6, 5), ReLU(), ...)`` or
    ``Sequential(OrderedDict([("conv1", Conv2d(1, 6, 5)), ...]))`` (named children).

    Supports ``len``, iteration, ``seq[i]`` (a module) and ``seq[i:j]`` (a Sequential).
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def _index(self, idx):
        n = len(self._modules)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} is out of range for a Sequential of length {n}")
        return idx % n

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[self._index(idx)]

    def __setitem__(self, idx, module):
        key = list(self._modules)[self._index(idx)]
        self.add_module(key, module)

    def __delitem__(self, idx):
        keys = list(self._modules)
        for key in (keys[idx] if isinstance(idx, slice) else [keys[self._index(idx)]]):
            del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self


class ModuleList(Module):
    """A list of modules whose parameters are registered (``torch.nn.ModuleList``).

    Has no ``forward``: the owner decides how to call them.
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _index(self, idx):
        n = len(self._modules)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} is out of range for a ModuleList of length {n}")
        return idx % n

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(self._index(idx))]

    def __setitem__(self, idx, module):
        self.add_module(str(self._index(idx)), module)

    def __delitem__(self, idx):
        items = list(self._modules.values())
        del items[idx]
        self._modules.clear()
        self.extend(items)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        items = list(self._modules.values())
        items.insert(index, module)
        self._modules.clear()
        self.extend(items)

    def __repr__(self):
        """Runs of identical entries are shown once, as PyTorch does: ``(0-2): 3 x Linear(...)``."""
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []                                   # [start, end, text]
        for i, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = [_addindent(f"({a}): {text}" if a == b else f"({a}-{b}): {b - a + 1} x {text}", 2)
                 for a, b, text in runs]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """A dict of named modules whose parameters are registered (``torch.nn.ModuleDict``)."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def update(self, modules):
        pairs = modules.items() if hasattr(modules, "items") else modules
        for key, module in pairs:
            self.add_module(key, module)
