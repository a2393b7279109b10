"""The elementwise ufunc ops as one table: each row is the numpy function, the local derivative
in words (``rule``) and in code (``vjp``), once.

A row's ``vjp_rule(xp, g, *inputs, out)`` returns one gradient per input. It is written with
operators and ``xp`` functions only, so the same rule runs on ndarrays (``xp`` is numpy: the
fast backward without ``create_graph``) and on Tensors (``xp`` is ``tensor_math``: a recorded,
differentiable backward for second derivatives). Comparisons in a rule (``a > 0``) are masks:
constants, whose derivative is zero almost everywhere, which is exactly right for second
derivatives.

Masks multiply (``g * (a > 0)``) rather than select (``np.where``): on activations, whose signs
are random, ``np.where`` costs a mispredicted branch per element, ~20x a multiplication.

Each row becomes a ``Function`` subclass (``Mul``, ``Exp``, ...) for ``viz``, the docs and
``Mul.apply``, and the Tensor operators call the same recording path, ``unary``/``binary``,
directly: no ``ctx`` set-up, no mode switch, no wrapper on the path every ``+`` and ``*`` take.
Type promotion is PyTorch's (``autograd.dtypes``): ``float32 * 2.0`` stays float32,
``int64 * float32`` is float32, ``int64 / int64`` is float32.
"""

import types

import numpy as np

from .. import dtypes, grad_mode
from ..errors import ArgumentTypeError, ShapeError
from ..graph import Node, TensorMeta, edges_of, fit_gradient, record_hooks, recorded
from ..tensor import Tensor, Version, clock, is_number, wrap
from . import elementwise

__all__ = ["Ufunc", "unary", "binary", "rbinary", "unary_operator", "binary_operator",
           "tensor_math", "ROWS", "table_markdown"]

_grad_enabled = grad_mode.grad_enabled.get
_new = object.__new__
_next = clock.__next__
_ndarray = np.ndarray
_FLOAT = dtypes.get_default_dtype()
_BOTH, _FIRST, _SECOND, _ONE = (True, True), (True, False), (False, True), (True,)


class Ufunc(Node):
    """A table op: the class attributes are its row (see the module docstring)."""

    __slots__ = ()
    ufunc = None          # the numpy function (extra inputs are Python numbers)
    vjp_rule = None       # vjp_rule(xp, g, *inputs, out) -> one gradient per input
    uses_inputs = False   # the rule reads the inputs' values (so they must not change)
    uses_out = False      # the rule reads the output's value
    float_only = False    # integer inputs compute in the default float dtype (exp of an int)
    quiet = False         # no numpy warnings (log(0) = -inf, 1/0 = inf, as PyTorch)

    @classmethod
    def apply(cls, *args):
        """``Op.apply(a)`` / ``Op.apply(a, b)``: the same recording path as the operators."""
        return unary(cls, *args) if cls.arity == 1 else binary(cls, *args)

    def replay(self, *inputs):
        """``Node.replay``; a number on the left (``2 - a``) goes through ``rbinary``."""
        if self.arity == 2 and not isinstance(inputs[0], Tensor):
            return rbinary(type(self), inputs[1], inputs[0])
        return type(self).apply(*inputs)

    @classmethod
    def compute(cls, *arrays):
        """The forward values of ndarrays ``arrays`` (numbers for extra parameters)."""
        if cls.quiet:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return cls.ufunc(*arrays)
        return cls.ufunc(*arrays)

    # ``_backward_arrays`` is made per row by ``_row_backward`` (flags bound, not looked up).

    def _backward_tensors(self, g):
        self._check_alive()
        if self.uses_inputs or self.uses_out:
            self._check_saved()
        out = None
        if self.uses_out:
            out = wrap(self._out)
            out._version, out.grad_fn, out.requires_grad = self._outv, self, True
        grads = self.vjp_rule(tensor_math, g, *self.inputs, out)
        return tuple(None if gi is None or not need else fit_gradient(self, x, gi)
                     for x, need, gi in zip(self.inputs, self.needs_input_grad, grads))

    def _check_saved(self):
        seq = self._seq
        if self.uses_inputs:
            for x in self.inputs:
                if type(x) is Tensor or isinstance(x, Tensor):
                    v = x._version
                    if v is not None and v.tick > seq:
                        raise self._stale(x)
        if self.uses_out and self._outv.tick > seq:
            raise self._stale(wrap(self._out))

    def _fit_all(self, grads):
        """The rule's raw gradients fitted to the inputs (after broadcasting or promotion)."""
        return tuple(None if gi is None or not need else fit_gradient(self, x, gi)
                     for x, need, gi in zip(self.inputs, self.needs_input_grad, grads))

    @property
    def inputs_meta(self):
        """Per input: ``TensorMeta`` for a Tensor, the value for a number."""
        if self.inputs is not None:
            return Node.inputs_meta.fget(self)
        m = self._meta
        return tuple(TensorMeta(m[i], m[i + 1], e is not None) if m[i] is not None
                     else m[i + 1] for i, e in zip(range(0, len(m), 2), self._edges))

    def _saved_arrays(self):
        arrays = []
        if self.uses_inputs:
            arrays += [x._data for x in self.inputs if isinstance(x, Tensor)]
        if self.uses_out and self._out is not None:
            arrays.append(self._out)
        return tuple(arrays)


# -- the recording paths (every operator goes through one of these) ------------------------
# Written out flat: this is the code every ``+``/``*`` runs, so each saved call, attribute
# lookup and tuple counts (docs/performance.md).
def _new_tensor(out):
    t = _new(Tensor)
    t._data = out if type(out) is _ndarray else np.asarray(out)
    t._grad = t.grad_fn = t._version = t._hooks = None
    t.requires_grad = False
    return t


def _new_node(cls, t, inputs, needs, fit=False):
    node = _new(cls)
    node.inputs = inputs
    node.needs_input_grad = needs
    node._edges = edges_of(inputs, needs)
    node._meta = _flat_meta(inputs)
    node._seq = _next()
    node._hooks = None
    node._fit = fit
    if record_hooks:                          # anomaly mode (graph.record_hooks)
        recorded(node)
    if cls.uses_out:
        node._out = t._data
        node._outv = t._version = Version()
    else:
        node._out = None
    t.grad_fn = node
    t.requires_grad = True


def _flat_meta(inputs):
    """A table node's ``_meta``: (shape, dtype) per Tensor input, (None, value) per number,
    flattened into one tuple (one allocation on the path every op takes)."""
    meta = []
    for x in inputs:
        if isinstance(x, Tensor):
            meta += (x._data.shape, x._data.dtype)
        else:
            meta += (None, x)
    return tuple(meta)


def unary(cls, a, *params):
    """``cls`` on Tensor ``a`` (and Python-number parameters such as the exponent of
    ``a ** 2``), recorded when ``a`` requires grad."""
    x = a._data
    if cls.float_only and x.dtype.kind != "f":
        x = x.astype(_FLOAT)
    if cls.quiet:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = cls.ufunc(x, *params)
    else:
        out = cls.ufunc(x, *params)
    t = _new_tensor(out)
    if a.requires_grad and _grad_enabled():
        _new_node(cls, t, (a,) + params, (True,) + (False,) * len(params))
    return t


def binary(cls, a, b):
    """``cls`` on Tensor ``a`` and ``b`` (a Tensor or a Python/numpy number), PyTorch's
    promotion, recorded when an operand requires grad."""
    x = a._data
    if isinstance(b, np.ndarray):            # an array operand acts as a Tensor of its dtype
        b = Tensor(b)
    if type(b) is Tensor or isinstance(b, Tensor):
        y = b._data
        if x.dtype is not y.dtype or cls.float_only and x.dtype.kind != "f":
            x, y = _promote(cls, a, b, x, y)
        needs = (a.requires_grad, b.requires_grad)
        fit = x.shape != y.shape or x.dtype != a._data.dtype or y.dtype != b._data.dtype
    else:
        x, y = _promote_number(cls, a, x, b)
        b = y
        needs = (a.requires_grad, False)
        fit = x.dtype != a._data.dtype
    t = _new_tensor(_compute2(cls, x, y, a, b))
    if True in needs and _grad_enabled():
        _new_node(cls, t, (a, b), needs, fit)
    return t


def rbinary(cls, a, b):
    """``cls`` on a number (or ndarray) ``b`` and Tensor ``a`` (``2 - a``, ``1 / a``)."""
    if isinstance(b, np.ndarray):
        return binary(cls, Tensor(b), a)
    x, b = _promote_number(cls, a, a._data, b)
    t = _new_tensor(_compute2(cls, b, x, b, a))
    if a.requires_grad and _grad_enabled():
        _new_node(cls, t, (b, a), (False, True), x.dtype != a._data.dtype)
    return t


def binary_operator(cls):
    """``Tensor.__mul__`` and friends for the table op ``cls``: ``binary(cls, a, b)`` written
    out for the common case (two Tensors of one dtype, no warning control), the rest handed
    to ``binary``."""
    ufunc = cls.ufunc
    if cls.quiet or cls.float_only:
        return lambda a, b: binary(cls, a, b)

    def operator(a, b):
        if type(b) is not Tensor:
            return binary(cls, a, b)
        x, y = a._data, b._data
        if x.dtype is not y.dtype:
            return binary(cls, a, b)
        try:
            out = ufunc(x, y)
        except ValueError:
            raise _broadcast_error(cls, a, b) from None
        t = _new(Tensor)
        t._data = out if type(out) is _ndarray else np.asarray(out)
        t._grad = t.grad_fn = t._version = t._hooks = None
        ra, rb = a.requires_grad, b.requires_grad
        if (ra or rb) and _grad_enabled():
            node = _new(cls)
            node.inputs = (a, b)
            if ra and rb:
                node.needs_input_grad = _BOTH
                node._edges = (a.grad_fn or a, b.grad_fn or b)
            elif ra:
                node.needs_input_grad = _FIRST
                node._edges = (a.grad_fn or a, None)
            else:
                node.needs_input_grad = _SECOND
                node._edges = (None, b.grad_fn or b)
            xs, ys, dt = x.shape, y.shape, x.dtype
            node._meta = (xs, dt, ys, dt)
            node._fit = xs != ys
            node._seq = _next()
            node._hooks = node._out = None
            if record_hooks:                  # anomaly mode (graph.record_hooks)
                recorded(node)
            t.grad_fn = node
            t.requires_grad = True
        else:
            t.requires_grad = False
        return t

    operator.__name__ = f"__{cls.__name__.lower()}__"
    return operator


def unary_operator(cls):
    """``Tensor.exp`` and friends for the one-input row ``cls``: ``unary(cls, a)`` written out
    for a float input without warning control; the rest handed to ``unary``."""
    ufunc, uses_out = cls.ufunc, cls.uses_out
    if cls.quiet:
        return lambda a: unary(cls, a)

    def operator(a):
        x = a._data
        if cls.float_only and x.dtype.kind != "f":
            return unary(cls, a)
        out = ufunc(x)
        t = _new(Tensor)
        t._data = out if type(out) is _ndarray else np.asarray(out)
        t._grad = t.grad_fn = t._version = t._hooks = None
        if a.requires_grad and _grad_enabled():
            node = _new(cls)
            node.inputs = (a,)
            node.needs_input_grad = _ONE
            node._edges = (a.grad_fn or a,)
            node._meta = (x.shape, x.dtype)
            node._seq = _next()
            node._hooks = None
            if uses_out:
                node._out = t._data
                node._outv = t._version = Version()
            else:
                node._out = None
            t.grad_fn = node
            t.requires_grad = True
        else:
            t.requires_grad = False
        return t

    operator.__name__ = cls.__name__.lower()
    return operator


def _compute2(cls, x, y, a, b):
    try:
        if cls.quiet:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return cls.ufunc(x, y)
        return cls.ufunc(x, y)
    except ValueError:
        raise _broadcast_error(cls, a, b) from None


def _broadcast_error(cls, a, b):
    return ShapeError(f"{cls.__name__.lower()}: shapes {_shape(a)} and {_shape(b)} are not "
                      "broadcastable")


def _shape(x):
    return tuple(x._data.shape) if isinstance(x, Tensor) else ()


def _promote(cls, a, b, x, y):
    dtype = dtypes.result_type(a._data, b._data)
    if cls.float_only and dtype.kind != "f":
        dtype = _FLOAT
    return (x if x.dtype == dtype else x.astype(dtype),
            y if y.dtype == dtype else y.astype(dtype))


def _promote_number(cls, a, x, b):
    """``x`` (Tensor ``a``'s array) cast to the result dtype of ``a`` op ``b``, and ``b`` as a
    Python number (numpy scalars would promote ``x`` in numpy, not in PyTorch)."""
    if not is_number(b):
        raise ArgumentTypeError(f"{cls.__name__.lower()}(): argument 'other' must be Tensor or "
                                f"a number, not {type(b).__name__}")
    if isinstance(b, np.generic):
        b = b.item()
    kind = x.dtype.kind
    if kind == "f":
        return x, b
    if cls.float_only or isinstance(b, float):
        return x.astype(_FLOAT), b
    if kind == "b" and not isinstance(b, bool):
        return x.astype(np.int64), b
    return x, b


# -- the table -----------------------------------------------------------------------------
def _stable_sigmoid(x):
    # exp(min(x, 0)) / (1 + exp(-|x|)): e^x never overflows, and no np.where (a branch per
    # element: 4x slower on real activations, whose signs are random); the same bits as the
    # two-branch formula
    return (np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))).astype(x.dtype, copy=False)


def _pow_scalar(x, p):
    if x.dtype.kind != "f" and not float(p).is_integer():
        x = x.astype(_FLOAT)                  # int ** 0.5 is float (int ** int stays int)
    return np.power(x, p)


def _pow_scalar_vjp(xp, g, a, p, out):
    if p == 0:
        return g * 0, None
    if p == 1:
        return g, None
    return g * p * a ** (p - 1), None


def _pow_vjp(xp, g, a, b, out):
    gb = g * out * xp.log(a)
    return g * b * a ** (b - 1), xp.where((a == 0) & (b >= 0), g * 0, gb)


ROWS = []


def _row_backward(vjp, binary_row, uses_inputs, uses_out, quiet):
    """The row's ``_backward_arrays``: its rule on the inputs' arrays (checked not to have
    been written in place since the node was recorded), fitted only when the forward
    broadcast or promoted. Flags are bound here, not looked up per call."""

    def backward_arrays(self, g):
        inputs = self.inputs
        if inputs is None:
            self._check_alive()
        seq = self._seq
        if uses_out and self._outv.tick > seq:
            raise self._stale(wrap(self._out))
        if binary_row:
            a, b = inputs
            if type(a) is Tensor or isinstance(a, Tensor):
                v = a._version
                if uses_inputs and v is not None and v.tick > seq:
                    raise self._stale(a)
                a = a._data
            if type(b) is Tensor or isinstance(b, Tensor):
                v = b._version
                if uses_inputs and v is not None and v.tick > seq:
                    raise self._stale(b)
                b = b._data
            if quiet:
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    grads = vjp(np, g, a, b, self._out)
            else:
                grads = vjp(np, g, a, b, self._out)
            return self._fit_all(grads) if self._fit else grads
        if uses_inputs:
            self._check_saved()
        args = [x._data if isinstance(x, Tensor) else x for x in inputs]
        if quiet:
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                return vjp(np, g, *args, self._out)
        return vjp(np, g, *args, self._out)

    return backward_arrays


def _define(name, arity, ufunc, rule, vjp, doc, methods, **flags):
    """One row of the table as a ``Ufunc`` subclass; its docstring states the rule once;
    ``methods`` names the Tensor methods and operators that record it (for the docs)."""
    attrs = dict(ufunc=staticmethod(ufunc), vjp_rule=staticmethod(vjp), rule=rule, arity=arity,
                 methods=methods,
                 __doc__=f"{doc}\n\nLocal derivative: {rule}.", __slots__=(),
                 __module__=__name__, **flags)
    attrs["_backward_arrays"] = _row_backward(vjp, arity == 2, flags.get("uses_inputs", False),
                                              flags.get("uses_out", False),
                                              flags.get("quiet", False))
    cls = type(name, (Ufunc,), attrs)
    ROWS.append(cls)
    return cls


Add = _define("Add", 2, np.add, "d/da = 1, d/db = 1", lambda xp, g, a, b, out: (g, g),
              "c = a + b (the slides' sum rule).",
              methods="`+`, `add`")
Sub = _define("Sub", 2, np.subtract, "d/da = 1, d/db = -1", lambda xp, g, a, b, out: (g, -g),
              "c = a - b.",
              methods="`-`, `sub`")
Mul = _define("Mul", 2, np.multiply, "d/da = b, d/db = a",
              lambda xp, g, a, b, out: (g * b, g * a),
              "c = a * b (the slides' weight rule).", uses_inputs=True,
              methods="`*`, `mul`")
Div = _define("Div", 2, np.true_divide, "d/da = 1/b, d/db = -a/b^2",
              lambda xp, g, a, b, out: (g / b, -g * a / (b * b)),
              "c = a / b, true division (integers divide to float32, as PyTorch).",
              uses_inputs=True, quiet=True, float_only=True,
              methods="`/`, `div`")
Pow = _define("Pow", 2, np.power, "d/da = b*a^(b-1), d/db = a^b*ln(a)", _pow_vjp,
              "c = a ** b for a tensor exponent b.", uses_inputs=True, uses_out=True,
              quiet=True,
              methods="`**` (Tensor exponent), `pow`")
Maximum = _define("Maximum", 2, np.maximum, "d/da = 1 if a > b (1/2 if a == b), d/db = 1 - d/da",
                  lambda xp, g, a, b, out: (g * (a > b) + g * 0.5 * (a == b),
                                            g * (a < b) + g * 0.5 * (a == b)),
                  "c = max(a, b) elementwise (``torch.maximum``); ties split the gradient.",
                  uses_inputs=True,
                  methods="`maximum`")
Minimum = _define("Minimum", 2, np.minimum, "d/da = 1 if a < b (1/2 if a == b), d/db = 1 - d/da",
                  lambda xp, g, a, b, out: (g * (a < b) + g * 0.5 * (a == b),
                                            g * (a > b) + g * 0.5 * (a == b)),
                  "c = min(a, b) elementwise (``torch.minimum``); ties split the gradient.",
                  uses_inputs=True,
                  methods="`minimum`")
PowScalar = _define("PowScalar", 1, _pow_scalar, "d/da = p*a^(p-1)", _pow_scalar_vjp,
                    "c = a ** p for a Python number p.", uses_inputs=True, quiet=True,
                    methods="`**` (number exponent)")
Neg = _define("Neg", 1, np.negative, "d/da = -1", lambda xp, g, a, out: (-g,), "c = -a.",
              methods="unary `-`, `neg`")
Exp = _define("Exp", 1, np.exp, "d/da = exp(a)", lambda xp, g, a, out: (g * out,),
              "c = e^a.", uses_out=True, quiet=True, float_only=True,
              methods="`exp`")
Log = _define("Log", 1, np.log, "d/da = 1/a", lambda xp, g, a, out: (g / a,),
              "c = ln a (-inf at 0, nan below, as PyTorch).", uses_inputs=True, quiet=True,
              float_only=True,
              methods="`log`")
Sqrt = _define("Sqrt", 1, np.sqrt, "d/da = 1/(2*sqrt(a))", lambda xp, g, a, out: (g / (2 * out),),
               "c = sqrt(a).", uses_out=True, quiet=True, float_only=True,
               methods="`sqrt`")
Rsqrt = _define("Rsqrt", 1, lambda x: 1 / np.sqrt(x), "d/da = -1/(2*a^(3/2))",
                lambda xp, g, a, out: (g * out * out * out * -0.5,), "c = 1/sqrt(a).",
                uses_out=True, quiet=True, float_only=True,
                methods="`rsqrt`")
Reciprocal = _define("Reciprocal", 1, lambda x: 1 / x, "d/da = -1/a^2",
                     lambda xp, g, a, out: (-g * out * out,), "c = 1/a.", uses_out=True,
                     quiet=True, float_only=True,
                     methods="`reciprocal`")
Abs = _define("Abs", 1, np.abs, "d/da = sign(a)", lambda xp, g, a, out: (g * xp.sign(a),),
              "c = |a| (gradient 0 at 0, as PyTorch).", uses_inputs=True,
              methods="`abs`")
Sign = _define("Sign", 1, np.sign, "d/da = 0", lambda xp, g, a, out: (g * 0,),
               "c = sign(a): -1, 0 or 1.",
               methods="`sign`")
Floor = _define("Floor", 1, np.floor, "d/da = 0", lambda xp, g, a, out: (g * 0,),
                "c = floor(a), the largest integer <= a (integers unchanged).",
                methods="`floor`")
Ceil = _define("Ceil", 1, np.ceil, "d/da = 0", lambda xp, g, a, out: (g * 0,),
               "c = ceil(a), the smallest integer >= a.", methods="`ceil`")
Round = _define("Round", 1, np.round, "d/da = 0", lambda xp, g, a, out: (g * 0,),
                "c = a rounded to the nearest integer, halves to even (``torch.round``).",
                methods="`round`")
Trunc = _define("Trunc", 1, np.trunc, "d/da = 0", lambda xp, g, a, out: (g * 0,),
                "c = a rounded towards zero.", methods="`trunc`")
Sigmoid = _define("Sigmoid", 1, _stable_sigmoid, "d/da = sigmoid(a)*(1 - sigmoid(a))",
                  lambda xp, g, a, out: (g * out * (1 - out),),
                  "c = 1 / (1 + e^-a), the slides' squashing function (stable: never "
                  "evaluates e^x for large positive x).", uses_out=True, float_only=True,
                  methods="`sigmoid`")
Tanh = _define("Tanh", 1, np.tanh, "d/da = 1 - tanh(a)^2",
               lambda xp, g, a, out: (g * (1 - out * out),),
               "c = tanh(a), the sigmoid rescaled to (-1, 1).", uses_out=True, float_only=True,
               methods="`tanh`")
ReLU = _define("ReLU", 1, lambda x: np.maximum(x, 0), "d/da = 1 if a > 0 else 0",
               lambda xp, g, a, out: (g * (out > 0),),
               "c = max(a, 0), the slides' ReLU (gradient 0 at 0, as PyTorch).", uses_out=True,
               methods="`relu`")
LeakyReLU = _define("LeakyReLU", 1, lambda x, s: np.maximum(x, 0) + s * np.minimum(x, 0),
                    "d/da = 1 if a > 0 else negative_slope",
                    lambda xp, g, a, s, out: (g * (a > 0) + g * s * (a <= 0), None),
                    "c = a if a > 0 else negative_slope * a.", uses_inputs=True,
                    methods="`nn.functional.leaky_relu`")
Sin = _define("Sin", 1, np.sin, "d/da = cos(a)", lambda xp, g, a, out: (g * xp.cos(a),),
              "c = sin(a).", uses_inputs=True, float_only=True,
              methods="`sin`")
Cos = _define("Cos", 1, np.cos, "d/da = -sin(a)", lambda xp, g, a, out: (-g * xp.sin(a),),
              "c = cos(a).", uses_inputs=True, float_only=True,
              methods="`cos`")
Tan = _define("Tan", 1, np.tan, "d/da = 1 + tan(a)^2",
              lambda xp, g, a, out: (g * (1 + out * out),), "c = tan(a).", uses_out=True,
              float_only=True,
              methods="`tan`")
Log1p = _define("Log1p", 1, np.log1p, "d/da = 1/(1 + a)", lambda xp, g, a, out: (g / (a + 1),),
                "c = ln(1 + a), accurate for small a.", uses_inputs=True, quiet=True,
                float_only=True,
                methods="`log1p`")
Expm1 = _define("Expm1", 1, np.expm1, "d/da = exp(a)", lambda xp, g, a, out: (g * (out + 1),),
                "c = e^a - 1, accurate for small a.", uses_out=True, quiet=True,
                float_only=True,
                methods="`expm1`")


def table_markdown():
    """The table as Markdown (docs/engine.md's op table is this text; a test keeps them equal):
    one row per op with its method, its local derivative and what it is."""
    lines = ["| op | `Tensor` method / operator | local derivative | what it is |",
             "|---|---|---|---|"]
    for cls in ROWS:
        doc = cls.__doc__.split("\n\nLocal derivative:")[0]
        lines.append(f"| `{cls.__name__}` | {cls.methods} | "
                     f"`{cls.rule}` | {doc} |")
    return "\n".join(lines) + "\n"


# -- the functions rules call on Tensors (xp when differentiating twice) -------------------
def _on_tensors(cls):
    """``xp.name`` for rules on Tensors: the table op, or numpy's for a number operand."""
    ufunc = cls.ufunc
    return lambda x: unary(cls, x) if isinstance(x, Tensor) else float(ufunc(x))


tensor_math = types.SimpleNamespace(
    where=elementwise.where,
    log=_on_tensors(Log),
    exp=_on_tensors(Exp),
    sign=_on_tensors(Sign),
    sin=_on_tensors(Sin),
    cos=_on_tensors(Cos),
)
