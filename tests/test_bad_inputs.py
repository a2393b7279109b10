"""The bad-input contract, walked over the public API (issue 11).

``table(M)`` is a list of rows: an entry point of the API, a bad (or borderline) input, and a
call. The calls are written against a namespace ``M`` (``M.t`` is ``autograd``, ``M.nn`` is
``nn``, ``M.F`` is ``nn.functional``, ...) so that the same rows also run against PyTorch:
``PYTORCH`` below holds, per row, what torch 2.13.0 did with it (its exception, or its result
as shape, dtype and values), copied as literal data from a run in /work/torchref. The suite
never imports torch.

Each row expects one of two things:

* an error: the framework's error class named in the row (``autograd.errors``), whose message
  names the op, never a raw numpy/Python exception; PyTorch raises here too (or, for the few
  rows marked ``refused``, the framework deliberately refuses what PyTorch accepts, such as
  complex dtypes or integer convolutions);
* PyTorch's result (``None`` in the row): the same shape, dtype and values, also for NaN, inf,
  empty and 0-d inputs where the op must stay exact.

``python tests/test_bad_inputs.py`` runs every row and prints what each got (framework error /
matches PyTorch / clear builtin error / raw error / silently accepted or wrong); issue 11's
closing note quotes those counts. The hypothesis-drawn part (random bad sizes, strides, dims and
shapes for the conv, pool, reduction and shape families) is in test_bad_inputs_drawn.py.
"""

import math
import os
import re
import sys
from collections import Counter, namedtuple

import numpy as np

if __name__ == "__main__":
    # run as a script, tests/ is on sys.path, and its autograd/ folder would shadow the package
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]

# -- table ------------------------------------------------------------------------------------
Row = namedtuple("Row", ["api", "op", "case", "call", "expect"])


def table(M):
    """The rows, with calls bound to the framework namespace ``M``."""
    t, nn, F = M.t, M.nn, M.F
    rows = []

    def row(api, op, case, call, expect=None):
        rows.append(Row(api, op, case, call, expect))

    def ar(*shape):                          # 0, 1, 2, ... float32, deterministic
        return t.arange(float(math.prod(shape))).reshape(*shape)

    def img(n=1, c=3, h=8, w=8):
        return ar(n, c, h, w) / 100

    def seq(n=1, c=3, length=8):
        return ar(n, c, length) / 10

    def kernel(o=6, c=3, kh=3, kw=3):
        return ar(o, c, kh, kw) / 100

    def leaf(*shape):
        return ar(*shape).requires_grad_()

    def param():
        return nn.Parameter(t.ones(2))

    def scores():                            # (N=2, C=3) logits
        return ar(2, 3) / 10

    def grad_of(fn, x):
        x = x.detach().clone().requires_grad_()
        fn(x).backward()
        return x.grad

    X = ar(2, 3)
    V = t.tensor([3.0, -4.0])
    obj = np.array([1, "a"], dtype=object)

    # -- constructors -------------------------------------------------------------------------
    row("tensor", "tensor", "object array", lambda: t.tensor(obj), "DTypeError")
    row("tensor", "tensor", "complex list (refused)", lambda: t.tensor([1 + 2j]), "DTypeError")
    row("tensor", "tensor", "strings", lambda: t.tensor(["a", "b"]), "DTypeError")
    row("tensor", "tensor", "ragged nested lists", lambda: t.tensor([[1, 2], [3]]), "ShapeError")
    row("tensor", "tensor", "None inside", lambda: t.tensor([1.0, None]), "DTypeError")
    row("tensor", "tensor", "a dict", lambda: t.tensor({"a": 1}), "DTypeError")
    row("tensor", "tensor", "int too large for int64", lambda: t.tensor(2 ** 70), "DTypeError")
    row("tensor", "tensor", "nan and inf", lambda: t.tensor([math.nan, math.inf, -math.inf]))
    row("tensor", "tensor", "empty list", lambda: t.tensor([]))
    row("tensor", "tensor", "0-d bool", lambda: t.tensor(True))
    row("zeros", "zeros", "negative size", lambda: t.zeros(-1), "ShapeError")
    row("zeros", "zeros", "negative second size", lambda: t.zeros(2, -3), "ShapeError")
    row("zeros", "zeros", "float size", lambda: t.zeros(1.5), "ArgumentTypeError")
    row("zeros", "zeros", "string size", lambda: t.zeros((2, "3")), "ArgumentTypeError")
    row("zeros", "zeros", "size 0", lambda: t.zeros(0))
    row("zeros", "zeros", "empty size: 0-d", lambda: t.zeros(()))
    row("ones", "ones", "negative size", lambda: t.ones(-2), "ShapeError")
    row("empty", "empty", "negative size", lambda: t.empty(-1), "ShapeError")
    row("full", "full", "negative size", lambda: t.full((-1,), 0.0), "ShapeError")
    row("full", "full", "string fill value", lambda: t.full((2,), "a"), "ArgumentTypeError")
    row("arange", "arange", "step 0", lambda: t.arange(0, 5, 0), "ArgumentError")
    row("arange", "arange", "step of the wrong sign", lambda: t.arange(0, 5, -1),
        "ArgumentError")
    row("arange", "arange", "nan end", lambda: t.arange(math.nan), "ArgumentError")
    row("arange", "arange", "inf end", lambda: t.arange(math.inf), "ArgumentError")
    row("arange", "arange", "string end", lambda: t.arange("a"), "ArgumentTypeError")
    row("linspace", "linspace", "negative steps", lambda: t.linspace(0, 1, -1), "ShapeError")
    row("linspace", "linspace", "float steps", lambda: t.linspace(0, 1, 1.5),
        "ArgumentTypeError")
    row("randn", "randn", "negative size", lambda: t.randn(-1), "ShapeError")
    row("randn", "randn", "float size", lambda: t.randn(1.5), "ArgumentTypeError")
    row("rand", "rand", "negative second size", lambda: t.rand(2, -1), "ShapeError")
    row("randint", "randint", "high below low", lambda: t.randint(5, 2, (3,)), "ArgumentError")
    row("randint", "randint", "negative size", lambda: t.randint(0, 5, (-1,)), "ShapeError")
    row("randperm", "randperm", "negative n", lambda: t.randperm(-1), "ShapeError")
    row("eye", "eye", "negative n", lambda: t.eye(-1), "ShapeError")
    row("eye", "eye", "negative m", lambda: t.eye(2, -1), "ShapeError")
    row("from_numpy", "from_numpy", "a list", lambda: t.from_numpy([1.0, 2.0]),
        "ArgumentTypeError")
    row("from_numpy", "from_numpy", "object array", lambda: t.from_numpy(obj), "DTypeError")
    row("from_numpy", "from_numpy", "complex array (refused)",
        lambda: t.from_numpy(np.array([1 + 2j])), "DTypeError")
    row("as_tensor", "as_tensor", "object array", lambda: t.as_tensor(obj), "DTypeError")

    # -- Tensor methods: shapes and dims --------------------------------------------------------
    six = t.ones(6)
    cube = ar(2, 3, 4)
    row("Tensor.reshape", "reshape", "-2 in the shape", lambda: six.reshape(-2, 3), "ShapeError")
    row("Tensor.reshape", "reshape", "two -1", lambda: six.reshape(-1, -1), "ShapeError")
    row("Tensor.reshape", "reshape", "wrong size", lambda: six.reshape(4, 2), "ShapeError")
    row("Tensor.reshape", "reshape", "float size", lambda: six.reshape(1.5, 4),
        "ArgumentTypeError")
    row("Tensor.reshape", "reshape", "string size", lambda: six.reshape("a"),
        "ArgumentTypeError")
    row("Tensor.view", "view", "wrong size", lambda: six.view(4, 4), "ShapeError")
    row("Tensor.flatten", "flatten", "start after end", lambda: cube.flatten(2, 1), "ShapeError")
    row("Tensor.flatten", "flatten", "end_dim out of range", lambda: cube.flatten(0, 5),
        "DimError")
    row("Tensor.flatten", "flatten", "start_dim -4 on 3-D", lambda: cube.flatten(-4), "DimError")
    row("Tensor.flatten", "flatten", "float dim", lambda: cube.flatten(1.5), "ArgumentTypeError")
    row("Tensor.flatten", "flatten", "0-d", lambda: t.tensor(2.0).flatten())
    row("Tensor.t", "t", "3-D", lambda: cube.t(), "ShapeError")
    row("Tensor.t", "t", "0-d", lambda: t.tensor(2.0).t())
    row("Tensor.transpose", "transpose", "dim out of range", lambda: X.transpose(0, 3),
        "DimError")
    row("Tensor.transpose", "transpose", "float dim", lambda: X.transpose(0, 1.5),
        "ArgumentTypeError")
    row("Tensor.permute", "permute", "repeated dim", lambda: X.permute(0, 0), "ShapeError")
    row("Tensor.permute", "permute", "too few dims", lambda: X.permute(0), "ShapeError")
    row("Tensor.permute", "permute", "dim out of range", lambda: X.permute(0, 2), "DimError")
    row("Tensor.expand", "expand", "-1 on a new leading dim", lambda: t.ones(3).expand(-1, 3),
        "ShapeError")
    row("Tensor.expand", "expand", "fewer sizes than dims", lambda: X.expand(3), "ShapeError")
    row("Tensor.expand", "expand", "-2", lambda: t.ones(3).expand(-2), "ShapeError")
    row("Tensor.expand", "expand", "non-singleton dim", lambda: X.expand(4, 3), "ShapeError")
    row("Tensor.split", "split", "negative split_size", lambda: six.split(-2), "ShapeError")
    row("Tensor.split", "split", "split_size 0", lambda: six.split(0), "ShapeError")
    row("Tensor.split", "split", "negative section", lambda: six.split([3, -1, 4]),
        "ShapeError")
    row("Tensor.split", "split", "sections not adding up", lambda: six.split([2, 2]),
        "ShapeError")
    row("Tensor.split", "split", "dim out of range", lambda: six.split(2, dim=5), "DimError")
    row("Tensor.split", "split", "float split_size", lambda: six.split(1.5),
        "ArgumentTypeError")
    row("Tensor.split", "split", "split_size 0 of an empty dim",
        lambda: [s.shape for s in t.ones(0).split(0)])
    row("Tensor.chunk", "chunk", "negative chunks", lambda: six.chunk(-2), "ShapeError")
    row("Tensor.chunk", "chunk", "chunks 0", lambda: six.chunk(0), "ShapeError")
    row("Tensor.chunk", "chunk", "float chunks", lambda: six.chunk(1.5), "ArgumentTypeError")
    row("Tensor.squeeze", "squeeze", "dim out of range", lambda: X.squeeze(5), "DimError")
    row("Tensor.unsqueeze", "unsqueeze", "dim out of range", lambda: X.unsqueeze(4), "DimError")
    row("Tensor.unsqueeze", "unsqueeze", "float dim", lambda: X.unsqueeze(1.5),
        "ArgumentTypeError")
    row("Tensor.narrow", "narrow", "past the end", lambda: X.narrow(0, 1, 5), "DimError")
    row("Tensor.narrow", "narrow", "dim out of range", lambda: X.narrow(5, 0, 1), "DimError")
    row("Tensor.repeat", "repeat", "negative repeat", lambda: X.repeat(-1, 1), "ArgumentError")
    row("Tensor.repeat", "repeat", "fewer repeats than dims", lambda: X.repeat(2), "ShapeError")
    row("Tensor.__getitem__", "getitem", "index out of range", lambda: X[5], "DimError")
    row("Tensor.__getitem__", "getitem", "index array out of range", lambda: X[0, [0, 7]],
        "DimError")
    row("Tensor.__getitem__", "getitem", "float index", lambda: X[1.5], "DimError")
    row("Tensor.__getitem__", "getitem", "float tensor index", lambda: X[t.tensor([0.0])],
        "DimError")

    # -- Tensor methods: reductions ---------------------------------------------------------------
    row("Tensor.sum", "sum", "dim out of range", lambda: X.sum(5), "DimError")
    row("Tensor.sum", "sum", "repeated dim", lambda: X.sum((0, 0)), "DimError")
    row("Tensor.sum", "sum", "float dim", lambda: X.sum(1.5), "ArgumentTypeError")
    row("Tensor.sum", "sum", "empty tensor", lambda: t.ones(0).sum())
    row("Tensor.sum", "sum", "0-d with dim 0", lambda: t.tensor(2.0).sum(0))
    row("Tensor.sum", "sum", "nan", lambda: t.tensor([1.0, math.nan]).sum())
    row("Tensor.mean", "mean", "integer tensor", lambda: t.arange(3).mean(), "DTypeError")
    row("Tensor.mean", "mean", "empty tensor", lambda: t.ones(0).mean())
    row("Tensor.mean", "mean", "dim out of range", lambda: X.mean(-3), "DimError")
    row("Tensor.max", "max", "empty tensor", lambda: t.ones(0).max(), "EmptyReductionError")
    row("Tensor.max", "max", "dim out of range", lambda: X.max(5), "DimError")
    row("Tensor.max", "max", "nan wins", lambda: t.tensor([1.0, math.nan, 3.0]).max())
    row("Tensor.argmax", "argmax", "empty tensor", lambda: t.ones(0).argmax(), "DimError")
    row("Tensor.argmax", "argmax", "dim out of range", lambda: X.argmax(5), "DimError")
    row("Tensor.std", "std", "constant: value", lambda: t.tensor([2.0, 2.0, 2.0]).std())
    row("Tensor.std", "std", "constant: zero gradient",
        lambda: grad_of(lambda x: x.std(), t.tensor([2.0, 2.0, 2.0])))
    row("Tensor.std", "std", "dim out of range", lambda: X.std(5), "DimError")
    row("Tensor.var", "var", "dim out of range", lambda: X.var(3), "DimError")
    row("Tensor.norm", "norm", "p=inf", lambda: V.norm(p=math.inf))
    row("Tensor.norm", "norm", "p=-inf", lambda: V.norm(p=-math.inf))
    row("Tensor.norm", "norm", "p=0", lambda: V.norm(p=0))
    row("Tensor.norm", "norm", "p='fro'", lambda: V.norm(p="fro"))
    row("Tensor.norm", "norm", "p=inf gradient", lambda: grad_of(lambda x: x.norm(p=math.inf), V))
    row("Tensor.norm", "norm", "p='bogus'", lambda: V.norm(p="bogus"), "ArgumentError")
    row("Tensor.norm", "norm", "dim out of range", lambda: X.norm(dim=5), "DimError")
    row("Tensor.softmax", "softmax", "dim out of range", lambda: X.softmax(5), "DimError")
    row("Tensor.softmax", "softmax", "float dim", lambda: X.softmax(1.5), "ArgumentTypeError")
    row("Tensor.softmax", "softmax", "0-d", lambda: t.tensor(2.0).softmax(0))
    row("Tensor.softmax", "softmax", "inf logit", lambda: t.tensor([math.inf, 0.0]).softmax(0))
    row("Tensor.clamp", "clamp", "no bounds", lambda: X.clamp(), "ArgumentError")
    row("Tensor.clamp", "clamp", "tensor bounds",
        lambda: t.tensor([-1.0, 0.5, 2.0]).clamp(t.zeros(3), t.tensor([1.0, 0.2, 1.0])))
    row("Tensor.clamp", "clamp", "string bound", lambda: X.clamp(min="a"), "ArgumentTypeError")

    # -- Tensor methods: autograd and conversions -------------------------------------------------
    def backward_twice():
        y = (leaf(2) * 2).sum()
        y.backward()
        y.backward()

    def hook_returning(value_of):
        def run():
            w = leaf(3)
            w.register_hook(lambda g: value_of(g))
            (w * 2).sum().backward()
            return w.grad
        return run

    def set_grad(value):
        def run():
            w = leaf(3)
            w.grad = value
        return run

    row("Tensor.backward", "backward", "non-scalar without gradient",
        lambda: (leaf(2) * 2).backward(), "BackwardError")
    row("Tensor.backward", "backward", "tensor without grad", lambda: t.ones(1).backward(),
        "BackwardError")
    row("Tensor.backward", "backward", "gradient of the wrong shape",
        lambda: (leaf(2) * 2).backward(t.ones(3)), "ShapeError")
    row("Tensor.backward", "backward", "twice without retain_graph", backward_twice,
        "BackwardError")
    row("Tensor.register_hook", "hook", "wrong-shape gradient",
        hook_returning(lambda g: t.ones(2)), "ShapeError")
    row("Tensor.register_hook", "hook", "wrong-dtype gradient",
        hook_returning(lambda g: g.double()), "DTypeError")
    row("Tensor.register_hook", "register_hook", "on a tensor without grad",
        lambda: t.ones(2).register_hook(lambda g: g), "BackwardError")
    row("Tensor.grad", "grad", "assign the wrong shape", set_grad(t.ones(2)), "ShapeError")
    row("Tensor.grad", "grad", "assign the wrong dtype", set_grad(t.ones(3, dtype=t.float64)),
        "DTypeError")
    row("Tensor.grad", "grad", "assign a list", set_grad([1.0, 2.0, 3.0]), "ArgumentTypeError")
    row("Tensor.requires_grad_", "requires_grad_", "integer tensor",
        lambda: t.arange(3).requires_grad_(), "DTypeError")
    row("Tensor.item", "item", "two elements", lambda: t.ones(2).item(), "ShapeError")
    row("Tensor.numpy", "numpy", "requires grad", lambda: leaf(2).numpy(), "BackwardError")
    row("Tensor.__bool__", "bool", "two elements", lambda: bool(t.ones(2)), "ShapeError")
    row("Tensor.__len__", "len", "0-d", lambda: len(t.tensor(1.0)), "ArgumentTypeError")
    row("Tensor.to", "to", "cuda", lambda: X.to("cuda"), "DeviceError")

    # -- autograd functions: elementwise and activations ------------------------------------------
    for name in ("relu", "sigmoid", "tanh", "exp"):
        fn = getattr(t, name)
        row(f"autograd.{name}", name, "a float", lambda fn=fn: fn(2.0), "ArgumentTypeError")
        row(f"autograd.{name}", name, "a list", lambda fn=fn: fn([1.0]), "ArgumentTypeError")
    row("autograd.relu", "relu", "nan", lambda: t.relu(t.tensor([math.nan, -1.0])))
    row("autograd.log", "log", "0 and -1", lambda: t.log(t.tensor([0.0, -1.0])))
    row("autograd.sqrt", "sqrt", "negative", lambda: t.sqrt(t.tensor([-1.0])))
    row("autograd.softmax", "softmax", "a float", lambda: t.softmax(2.0, 0), "ArgumentTypeError")
    row("autograd.softmax", "softmax", "dim out of range", lambda: t.softmax(X, -3), "DimError")
    row("autograd.log_softmax", "log_softmax", "dim out of range", lambda: t.log_softmax(X, 2),
        "DimError")
    row("autograd.logsumexp", "logsumexp", "a list", lambda: t.logsumexp([1.0], 0),
        "ArgumentTypeError")
    row("autograd.logsumexp", "logsumexp", "dim out of range", lambda: t.logsumexp(X, 5),
        "DimError")
    row("autograd.maximum", "maximum", "an int other", lambda: t.maximum(X, 2),
        "ArgumentTypeError")
    row("autograd.maximum", "maximum", "a float other", lambda: t.maximum(X, 2.0),
        "ArgumentTypeError")
    row("autograd.maximum", "maximum", "an int input", lambda: t.maximum(2, X),
        "ArgumentTypeError")
    row("autograd.maximum", "maximum", "nan", lambda: t.maximum(t.tensor([math.nan, 1.0]),
                                                                t.tensor([0.0, math.nan])))
    row("autograd.maximum", "maximum", "shapes", lambda: t.maximum(t.ones(3), t.ones(2)),
        "ShapeError")
    row("autograd.minimum", "minimum", "a list other", lambda: t.minimum(X, [1.0, 2.0, 3.0]),
        "ArgumentTypeError")
    row("autograd.add", "add", "number first", lambda: t.add(2, X))
    row("autograd.add", "add", "two numbers", lambda: t.add(2, 3))
    row("autograd.add", "add", "a list other", lambda: t.add(X, [1.0, 2.0, 3.0]),
        "ArgumentTypeError")
    row("autograd.add", "add", "a string other", lambda: t.add(X, "a"), "ArgumentTypeError")
    row("autograd.add", "add", "shapes", lambda: t.add(t.ones(2, 3), t.ones(4, 3)), "ShapeError")
    row("autograd.mul", "mul", "number first", lambda: t.mul(2, X))
    row("autograd.sub", "sub", "number first", lambda: t.sub(2, X))
    row("autograd.div", "div", "number first", lambda: t.div(2, X))
    row("autograd.div", "div", "by zero", lambda: t.div(t.tensor([1.0, 0.0, -1.0]), 0.0))
    row("autograd.pow", "pow", "two numbers", lambda: t.pow(2.0, 3.0), "ArgumentTypeError")
    row("autograd.where", "where", "a list input", lambda: t.where(X > 0, [1.0], X),
        "ArgumentTypeError")
    row("autograd.where", "where", "float condition", lambda: t.where(X, X, X), "DTypeError")
    row("autograd.where", "where", "shapes", lambda: t.where(t.ones(4) > 0, t.ones(3),
                                                              t.ones(3)), "ShapeError")
    row("autograd.clamp", "clamp", "a float input", lambda: t.clamp(2.0, 0, 1),
        "ArgumentTypeError")
    row("autograd.clamp", "clamp", "a list bound", lambda: t.clamp(X, [0.0]),
        "ArgumentTypeError")
    row("autograd.clamp", "clamp", "min above max", lambda: t.clamp(t.tensor([0.0, 5.0]), 3, 1))

    # -- autograd functions: joins and linear algebra ---------------------------------------------
    row("autograd.cat", "cat", "numbers", lambda: t.cat([1, 2]), "ArgumentTypeError")
    row("autograd.cat", "cat", "a number among tensors", lambda: t.cat([X, 1]),
        "ArgumentTypeError")
    row("autograd.cat", "cat", "a Tensor instead of a sequence", lambda: t.cat(X),
        "ArgumentTypeError")
    row("autograd.cat", "cat", "empty sequence", lambda: t.cat([]), "ShapeError")
    row("autograd.cat", "cat", "shapes", lambda: t.cat([t.ones(2, 3), t.ones(3, 4)]),
        "ShapeError")
    row("autograd.cat", "cat", "0-d tensors", lambda: t.cat([t.tensor(1.0), t.tensor(2.0)]),
        "ShapeError")
    row("autograd.cat", "cat", "dim out of range", lambda: t.cat([X, X], 5), "DimError")
    row("autograd.cat", "cat", "float32 with float64",
        lambda: t.cat([t.ones(1), t.ones(1, dtype=t.float64)]))
    row("autograd.stack", "stack", "numbers", lambda: t.stack([1, 2]), "ArgumentTypeError")
    row("autograd.stack", "stack", "a Tensor instead of a sequence", lambda: t.stack(X),
        "ArgumentTypeError")
    row("autograd.stack", "stack", "shapes", lambda: t.stack([t.ones(2), t.ones(3)]),
        "ShapeError")
    row("autograd.stack", "stack", "dim out of range", lambda: t.stack([X, X], -4), "DimError")
    row("autograd.matmul", "matmul", "a list", lambda: t.matmul(X, [1.0, 2.0, 3.0]),
        "ArgumentTypeError")
    row("autograd.matmul", "matmul", "0-d", lambda: t.matmul(t.tensor(2.0), X), "ShapeError")
    row("autograd.matmul", "matmul", "shapes", lambda: t.matmul(X, X), "ShapeError")
    row("autograd.mm", "mm", "a list", lambda: t.mm([[1.0]], X), "ArgumentTypeError")
    row("autograd.mm", "mm", "1-D", lambda: t.mm(t.ones(3), X.t()), "ShapeError")
    row("autograd.bmm", "bmm", "2-D", lambda: t.bmm(X, X.t()), "ShapeError")
    row("autograd.reshape", "reshape", "a list", lambda: t.reshape([1.0, 2.0], (2, 1)),
        "ArgumentTypeError")
    row("autograd.flatten", "flatten", "a list", lambda: t.flatten([1.0, 2.0]),
        "ArgumentTypeError")
    row("autograd.transpose", "transpose", "a list", lambda: t.transpose([[1.0]], 0, 1),
        "ArgumentTypeError")
    row("autograd.squeeze", "squeeze", "a list", lambda: t.squeeze([1.0]), "ArgumentTypeError")
    row("autograd.sum", "sum", "a float", lambda: t.sum(2.0), "ArgumentTypeError")
    row("autograd.mean", "mean", "a list", lambda: t.mean([1.0, 2.0]), "ArgumentTypeError")
    row("autograd.max", "max", "a list", lambda: t.max([1.0, 2.0]), "ArgumentTypeError")
    row("autograd.argmax", "argmax", "a list", lambda: t.argmax([1.0, 2.0]), "ArgumentTypeError")

    # -- convolution ---------------------------------------------------------------------------
    x4, w4 = img(), kernel()
    row("conv2d", "conv2d", "stride (1.5, 1.5)", lambda: t.conv2d(x4, w4, stride=(1.5, 1.5)),
        "ArgumentTypeError")
    row("conv2d", "conv2d", "stride 1.5", lambda: F.conv2d(x4, w4, stride=1.5),
        "ArgumentTypeError")
    row("conv2d", "conv2d", "stride True", lambda: F.conv2d(x4, w4, stride=True),
        "ArgumentTypeError")
    row("conv2d", "conv2d", "stride 0", lambda: F.conv2d(x4, w4, stride=0), "ArgumentError")
    row("conv2d", "conv2d", "stride -1", lambda: F.conv2d(x4, w4, stride=-1), "ArgumentError")
    row("conv2d", "conv2d", "stride of 3 values", lambda: F.conv2d(x4, w4, stride=(1, 2, 3)),
        "ArgumentError")
    row("conv2d", "conv2d", "stride a string", lambda: F.conv2d(x4, w4, stride="a"),
        "ArgumentTypeError")
    row("conv2d", "conv2d", "padding -1", lambda: F.conv2d(x4, w4, padding=-1), "ArgumentError")
    row("conv2d", "conv2d", "padding 'foo'", lambda: F.conv2d(x4, w4, padding="foo"),
        "ArgumentError")
    row("conv2d", "conv2d", "padding 'same' with stride 2",
        lambda: F.conv2d(x4, w4, stride=2, padding="same"), "ArgumentError")
    row("conv2d", "conv2d", "dilation 0", lambda: F.conv2d(x4, w4, dilation=0), "ArgumentError")
    row("conv2d", "conv2d", "groups 0", lambda: F.conv2d(x4, w4, groups=0), "ArgumentError")
    row("conv2d", "conv2d", "groups not fitting the channels", lambda: F.conv2d(x4, w4, groups=2),
        "ShapeError")
    row("conv2d", "conv2d", "groups 1.0", lambda: F.conv2d(x4, w4, groups=1.0),
        "ArgumentTypeError")
    row("conv2d", "conv2d", "kernel with a size-0 dim", lambda: F.conv2d(x4, kernel(6, 3, 0, 3)),
        "ShapeError")
    row("conv2d", "conv2d", "a list input", lambda: F.conv2d([[1.0]], w4), "ArgumentTypeError")
    row("conv2d", "conv2d", "a list weight", lambda: F.conv2d(x4, [[[[1.0]]]]),
        "ArgumentTypeError")
    row("conv2d", "conv2d", "a list bias", lambda: F.conv2d(x4, w4, [1.0] * 6),
        "ArgumentTypeError")
    row("conv2d", "conv2d", "2-D input", lambda: F.conv2d(ar(8, 8), w4), "ShapeError")
    row("conv2d", "conv2d", "3-D input (unbatched)", lambda: F.conv2d(ar(3, 5, 5) / 100, w4))
    row("conv2d", "conv2d", "channels", lambda: F.conv2d(img(c=4), w4), "ShapeError")
    row("conv2d", "conv2d", "bias shape", lambda: F.conv2d(x4, w4, t.ones(5)), "ShapeError")
    row("conv2d", "conv2d", "kernel larger than the input", lambda: F.conv2d(img(h=2, w=2), w4),
        "ShapeError")
    row("conv2d", "conv2d", "3-D weight", lambda: F.conv2d(x4, ar(6, 3, 3)), "ShapeError")
    row("conv2d", "conv2d", "empty batch", lambda: F.conv2d(t.ones(0, 3, 8, 8), w4).shape)
    row("conv2d", "conv2d", "nan input", lambda: F.conv2d(x4 * math.nan, w4).isnan().all())
    row("conv2d", "conv2d", "integer tensors (refused)",
        lambda: F.conv2d(t.ones(1, 3, 4, 4, dtype=t.int64), t.ones(2, 3, 3, 3, dtype=t.int64)),
        "DTypeError")
    row("conv1d", "conv1d", "stride 1.5", lambda: F.conv1d(seq(), ar(6, 3, 3), stride=1.5),
        "ArgumentTypeError")
    row("conv1d", "conv1d", "stride of 2 values", lambda: F.conv1d(seq(), ar(6, 3, 3),
                                                                  stride=(1, 1)),
        "ArgumentError")
    row("conv1d", "conv1d", "stride 0", lambda: F.conv1d(seq(), ar(6, 3, 3), stride=0),
        "ArgumentError")
    row("conv1d", "conv1d", "kernel size 0", lambda: F.conv1d(seq(), ar(6, 3, 0)), "ShapeError")
    row("conv1d", "conv1d", "2-D input (unbatched)", lambda: F.conv1d(ar(3, 8) / 10,
                                                                     ar(2, 3, 3) / 10))
    row("conv1d", "conv1d", "4-D input", lambda: F.conv1d(img(), ar(6, 3, 3)), "ShapeError")
    row("conv1d", "conv1d", "a list input", lambda: F.conv1d([[[1.0]]], ar(1, 1, 1)),
        "ArgumentTypeError")
    wt = ar(3, 6, 3, 3) / 100
    row("conv_transpose2d", "conv_transpose2d", "stride 0",
        lambda: F.conv_transpose2d(x4, wt, stride=0), "ArgumentError")
    row("conv_transpose2d", "conv_transpose2d", "stride 1.5",
        lambda: F.conv_transpose2d(x4, wt, stride=1.5), "ArgumentTypeError")
    row("conv_transpose2d", "conv_transpose2d", "output_padding not below stride",
        lambda: F.conv_transpose2d(x4, wt, output_padding=1), "ArgumentError")
    row("conv_transpose2d", "conv_transpose2d", "kernel with a size-0 dim",
        lambda: F.conv_transpose2d(x4, ar(3, 6, 0, 3)), "ShapeError")
    row("conv_transpose2d", "conv_transpose2d", "negative padding",
        lambda: F.conv_transpose2d(x4, wt, padding=-1), "ArgumentError")
    row("conv_transpose2d", "conv_transpose2d", "output size not positive",
        lambda: F.conv_transpose2d(img(h=1, w=1), wt, padding=2), "ShapeError")
    row("conv_transpose2d", "conv_transpose2d", "channels",
        lambda: F.conv_transpose2d(img(c=4), wt), "ShapeError")
    row("conv_transpose2d", "conv_transpose2d", "a list input",
        lambda: F.conv_transpose2d([[1.0]], wt), "ArgumentTypeError")
    row("conv_transpose1d", "conv_transpose1d", "stride 0",
        lambda: F.conv_transpose1d(seq(), ar(3, 6, 3), stride=0), "ArgumentError")
    row("conv_transpose1d", "conv_transpose1d", "kernel size 0",
        lambda: F.conv_transpose1d(seq(), ar(3, 6, 0)), "ShapeError")

    # -- pooling ---------------------------------------------------------------------------------
    row("max_pool2d", "max_pool2d", "kernel_size 0", lambda: F.max_pool2d(x4, 0), "ArgumentError")
    row("max_pool2d", "max_pool2d", "kernel_size 1.5", lambda: F.max_pool2d(x4, 1.5),
        "ArgumentTypeError")
    row("max_pool2d", "max_pool2d", "kernel_size (2, 1.5)", lambda: F.max_pool2d(x4, (2, 1.5)),
        "ArgumentTypeError")
    row("max_pool2d", "max_pool2d", "kernel_size True", lambda: F.max_pool2d(x4, True),
        "ArgumentTypeError")
    row("max_pool2d", "max_pool2d", "stride (1.5, 1.5)",
        lambda: F.max_pool2d(x4, 2, stride=(1.5, 1.5)), "ArgumentTypeError")
    row("max_pool2d", "max_pool2d", "stride 0", lambda: F.max_pool2d(x4, 2, stride=0),
        "ArgumentError")
    row("max_pool2d", "max_pool2d", "padding above half the kernel",
        lambda: F.max_pool2d(x4, 2, padding=2), "ArgumentError")
    row("max_pool2d", "max_pool2d", "negative padding", lambda: F.max_pool2d(x4, 2, padding=-1),
        "ArgumentError")
    row("max_pool2d", "max_pool2d", "dilation 0", lambda: F.max_pool2d(x4, 2, dilation=0),
        "ArgumentError")
    row("max_pool2d", "max_pool2d", "5-D input", lambda: F.max_pool2d(t.ones(1, 1, 1, 4, 4), 2),
        "ShapeError")
    row("max_pool2d", "max_pool2d", "3-D input (unbatched)", lambda: F.max_pool2d(ar(1, 4, 4), 2))
    row("max_pool2d", "max_pool2d", "a list input", lambda: F.max_pool2d([[1.0]], 2),
        "ArgumentTypeError")
    row("max_pool2d", "max_pool2d", "kernel larger than the input", lambda: F.max_pool2d(x4, 9),
        "ShapeError")
    row("max_pool2d", "max_pool2d", "nan input",
        lambda: F.max_pool2d(t.tensor([[[[1.0, math.nan], [2.0, 0.0]]]]), 2))
    row("max_pool2d", "max_pool2d", "-inf input",
        lambda: F.max_pool2d(t.full((1, 1, 2, 2), -math.inf), 2))
    row("max_pool1d", "max_pool1d", "kernel_size 0", lambda: F.max_pool1d(seq(), 0),
        "ArgumentError")
    row("max_pool1d", "max_pool1d", "kernel_size 1.5", lambda: F.max_pool1d(seq(), 1.5),
        "ArgumentTypeError")
    row("max_pool1d", "max_pool1d", "2-D input (unbatched)", lambda: F.max_pool1d(ar(3, 8), 2))
    row("avg_pool2d", "avg_pool2d", "divisor_override 0",
        lambda: F.avg_pool2d(x4, 2, divisor_override=0), "ArgumentError")
    row("avg_pool2d", "avg_pool2d", "divisor_override 1.5",
        lambda: F.avg_pool2d(x4, 2, divisor_override=1.5), "ArgumentTypeError")
    row("avg_pool2d", "avg_pool2d", "divisor_override -1",
        lambda: F.avg_pool2d(ar(1, 1, 2, 2), 2, divisor_override=-1))
    row("avg_pool2d", "avg_pool2d", "kernel_size 0", lambda: F.avg_pool2d(x4, 0),
        "ArgumentError")
    row("avg_pool2d", "avg_pool2d", "stride (1.5, 1.5)",
        lambda: F.avg_pool2d(x4, 2, stride=(1.5, 1.5)), "ArgumentTypeError")
    row("avg_pool2d", "avg_pool2d", "3-D input (unbatched)", lambda: F.avg_pool2d(ar(1, 4, 4), 2))
    row("avg_pool2d", "avg_pool2d", "integer input (refused)",
        lambda: F.avg_pool2d(t.ones(1, 1, 4, 4, dtype=t.int64), 2), "DTypeError")
    row("avg_pool1d", "avg_pool1d", "kernel_size 0", lambda: F.avg_pool1d(seq(), 0),
        "ArgumentError")
    row("avg_pool1d", "avg_pool1d", "stride 0", lambda: F.avg_pool1d(seq(), 2, stride=0),
        "ArgumentError")
    row("avg_pool1d", "avg_pool1d", "padding above half the kernel",
        lambda: F.avg_pool1d(seq(), 2, padding=2), "ArgumentError")
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "output_size 0",
        lambda: F.adaptive_avg_pool2d(x4, 0).shape)
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "output_size -1",
        lambda: F.adaptive_avg_pool2d(x4, -1), "ArgumentError")
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "output_size 1.5",
        lambda: F.adaptive_avg_pool2d(x4, 1.5), "ArgumentTypeError")
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "output_size of 3 values",
        lambda: F.adaptive_avg_pool2d(x4, (2, 2, 2)), "ArgumentError")
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "3-D input (unbatched)",
        lambda: F.adaptive_avg_pool2d(ar(1, 4, 4), 2))
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "integer input",
        lambda: F.adaptive_avg_pool2d(t.ones(1, 1, 4, 4, dtype=t.int64), 2), "DTypeError")
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "empty plane",
        lambda: F.adaptive_avg_pool2d(t.ones(1, 3, 0, 4), 2), "ShapeError")
    row("adaptive_avg_pool2d", "adaptive_avg_pool2d", "a list input",
        lambda: F.adaptive_avg_pool2d([[[[1.0]]]], 1), "ArgumentTypeError")
    row("adaptive_avg_pool1d", "adaptive_avg_pool1d", "output_size 0",
        lambda: F.adaptive_avg_pool1d(seq(), 0).shape)
    row("adaptive_avg_pool1d", "adaptive_avg_pool1d", "output_size -1",
        lambda: F.adaptive_avg_pool1d(seq(), -1), "ArgumentError")

    # -- nn.functional ----------------------------------------------------------------------------
    lw = ar(2, 3) / 10
    row("F.linear", "linear", "a list input", lambda: F.linear([1.0, 2.0, 3.0], lw),
        "ArgumentTypeError")
    row("F.linear", "linear", "a list weight", lambda: F.linear(X, [[1.0, 2.0, 3.0]]),
        "ArgumentTypeError")
    row("F.linear", "linear", "in_features", lambda: F.linear(ar(4, 5), lw), "ShapeError")
    row("F.linear", "linear", "0-d input", lambda: F.linear(t.tensor(1.0), lw), "ShapeError")
    row("F.relu", "relu", "a float", lambda: F.relu(2.0), "ArgumentTypeError")
    row("F.relu", "relu", "a list", lambda: F.relu([1.0]), "ArgumentTypeError")
    row("F.sigmoid", "sigmoid", "a float", lambda: F.sigmoid(2.0), "ArgumentTypeError")
    row("F.tanh", "tanh", "a list", lambda: F.tanh([1.0]), "ArgumentTypeError")
    row("F.leaky_relu", "leaky_relu", "a float", lambda: F.leaky_relu(2.0), "ArgumentTypeError")
    row("F.leaky_relu", "leaky_relu", "string slope", lambda: F.leaky_relu(X, "a"),
        "ArgumentTypeError")
    row("F.softmax", "softmax", "a list", lambda: F.softmax([1.0], 0), "ArgumentTypeError")
    row("F.softmax", "softmax", "dim out of range", lambda: F.softmax(X, 5), "DimError")
    row("F.log_softmax", "log_softmax", "a list", lambda: F.log_softmax([1.0], 0),
        "ArgumentTypeError")
    row("F.log_softmax", "log_softmax", "float dim", lambda: F.log_softmax(X, 1.5),
        "ArgumentTypeError")
    row("F.dropout", "dropout", "p 1.5", lambda: F.dropout(X, 1.5), "ArgumentError")
    row("F.dropout", "dropout", "p -0.1", lambda: F.dropout(X, -0.1), "ArgumentError")
    row("F.dropout", "dropout", "p a string", lambda: F.dropout(X, "a"), "ArgumentTypeError")
    row("F.dropout", "dropout", "a list", lambda: F.dropout([1.0]), "ArgumentTypeError")
    row("F.dropout", "dropout", "a float", lambda: F.dropout(2.0), "ArgumentTypeError")
    row("F.dropout", "dropout", "integer tensor", lambda: F.dropout(t.ones(3, dtype=t.int64)),
        "DTypeError")
    row("F.dropout", "dropout", "p=1", lambda: F.dropout(X, 1.0))
    row("F.batch_norm", "batch_norm", "a list input",
        lambda: F.batch_norm([[1.0]], None, None, training=True), "ArgumentTypeError")
    row("F.batch_norm", "batch_norm", "running_mean shape",
        lambda: F.batch_norm(X, t.zeros(2), t.ones(3)), "ShapeError")
    row("F.batch_norm", "batch_norm", "one value per channel in training",
        lambda: F.batch_norm(t.ones(1, 3), None, None, training=True), "ShapeError")
    row("F.layer_norm", "layer_norm", "normalized_shape", lambda: F.layer_norm(X, (4,)),
        "ShapeError")
    row("F.layer_norm", "layer_norm", "a list input", lambda: F.layer_norm([1.0], (1,)),
        "ArgumentTypeError")
    row("F.layer_norm", "layer_norm", "weight shape",
        lambda: F.layer_norm(X, (3,), weight=t.ones(2)), "ShapeError")
    row("F.embedding", "embedding", "float indices", lambda: F.embedding(t.tensor([1.0]), lw),
        "DTypeError")
    row("F.embedding", "embedding", "index out of range", lambda: F.embedding(t.tensor([2]), lw),
        "DimError")
    row("F.embedding", "embedding", "negative index", lambda: F.embedding(t.tensor([-1]), lw),
        "DimError")
    row("F.embedding", "embedding", "a list of indices", lambda: F.embedding([1], lw),
        "ArgumentTypeError")
    row("F.one_hot", "one_hot", "a list", lambda: F.one_hot([1]), "ArgumentTypeError")
    row("F.one_hot", "one_hot", "float tensor", lambda: F.one_hot(t.tensor([1.0])),
        "DTypeError")
    row("F.one_hot", "one_hot", "negative class", lambda: F.one_hot(t.tensor([-1])),
        "ArgumentError")
    row("F.one_hot", "one_hot", "class beyond num_classes",
        lambda: F.one_hot(t.tensor([3]), num_classes=2), "ArgumentError")
    row("F.pad", "pad", "odd number of pads", lambda: F.pad(X, (1,)), "ShapeError")
    row("F.pad", "pad", "too many pads", lambda: F.pad(t.ones(2), (1, 1, 1, 1)), "ShapeError")
    row("F.pad", "pad", "float pad", lambda: F.pad(X, (1.5, 1)), "ArgumentTypeError")
    row("F.pad", "pad", "a list input", lambda: F.pad([1.0], (1, 1)), "ArgumentTypeError")
    row("F.pad", "pad", "negative pad (refused)", lambda: F.pad(X, (-1, 0)), "ShapeError")
    row("F.local_response_norm", "local_response_norm", "size 0",
        lambda: F.local_response_norm(x4, 0), "ArgumentError")
    row("F.local_response_norm", "local_response_norm", "size -1",
        lambda: F.local_response_norm(x4, -1), "ArgumentError")
    row("F.local_response_norm", "local_response_norm", "size 1.5",
        lambda: F.local_response_norm(x4, 1.5), "ArgumentTypeError")
    row("F.local_response_norm", "local_response_norm", "2-D input",
        lambda: F.local_response_norm(X, 2), "ShapeError")

    # -- losses ----------------------------------------------------------------------------------
    labels = t.tensor([0, 2])
    row("F.cross_entropy", "cross_entropy", "a list target",
        lambda: F.cross_entropy(scores(), [0, 1]), "ArgumentTypeError")
    row("F.cross_entropy", "cross_entropy", "a list input",
        lambda: F.cross_entropy([[1.0]], t.tensor([0])), "ArgumentTypeError")
    row("F.cross_entropy", "cross_entropy", "reduction 'bogus'",
        lambda: F.cross_entropy(scores(), labels, reduction="bogus"), "ArgumentError")
    row("F.cross_entropy", "cross_entropy", "label_smoothing 2",
        lambda: F.cross_entropy(scores(), labels, label_smoothing=2.0), "ArgumentError")
    row("F.cross_entropy", "cross_entropy", "class out of range",
        lambda: F.cross_entropy(scores(), t.tensor([0, 3])), "DimError")
    row("F.cross_entropy", "cross_entropy", "batch sizes",
        lambda: F.cross_entropy(scores(), t.tensor([0, 1, 2])), "ShapeError")
    row("F.cross_entropy", "cross_entropy", "0-d input",
        lambda: F.cross_entropy(t.tensor(1.0), t.tensor(0)), "ShapeError")
    row("F.cross_entropy", "cross_entropy", "float target of another shape",
        lambda: F.cross_entropy(scores(), t.ones(2, 2)), "ShapeError")
    row("F.cross_entropy", "cross_entropy", "every target ignored: value",
        lambda: F.cross_entropy(scores(), t.tensor([-100, -100])))
    row("F.cross_entropy", "cross_entropy", "every target ignored: zero gradient",
        lambda: grad_of(lambda x: F.cross_entropy(x, t.tensor([-100, -100])), scores()))
    row("F.cross_entropy", "cross_entropy", "an inf logit",
        lambda: F.cross_entropy(t.tensor([[math.inf, 0.0]]), t.tensor([1])))
    row("F.nll_loss", "nll_loss", "a list target", lambda: F.nll_loss(scores(), [0, 1]),
        "ArgumentTypeError")
    row("F.nll_loss", "nll_loss", "reduction 'bogus'",
        lambda: F.nll_loss(scores(), labels, reduction="bogus"), "ArgumentError")
    row("F.nll_loss", "nll_loss", "weight shape",
        lambda: F.nll_loss(scores(), labels, weight=t.ones(2)), "ShapeError")
    row("F.mse_loss", "mse_loss", "a list target", lambda: F.mse_loss(t.ones(2), [1.0, 2.0]),
        "ArgumentTypeError")
    row("F.mse_loss", "mse_loss", "a list input", lambda: F.mse_loss([1.0, 2.0], t.ones(2)),
        "ArgumentTypeError")
    row("F.mse_loss", "mse_loss", "a float target", lambda: F.mse_loss(t.ones(2), 1.0),
        "ArgumentTypeError")
    row("F.mse_loss", "mse_loss", "reduction 'bogus'",
        lambda: F.mse_loss(X, X, reduction="bogus"), "ArgumentError")
    row("F.mse_loss", "mse_loss", "reduction None", lambda: F.mse_loss(X, X, reduction=None),
        "ArgumentError")
    row("F.mse_loss", "mse_loss", "integer tensors",
        lambda: F.mse_loss(t.ones(3, dtype=t.int64), t.ones(3, dtype=t.int64)), "DTypeError")
    row("F.mse_loss", "mse_loss", "broadcasting shapes (refused)",
        lambda: F.mse_loss(t.ones(3), t.ones(2, 3)), "ShapeError")
    row("F.mse_loss", "mse_loss", "nan", lambda: F.mse_loss(t.tensor([math.nan]), t.ones(1)))
    row("F.l1_loss", "l1_loss", "a list target", lambda: F.l1_loss(t.ones(2), [1.0, 2.0]),
        "ArgumentTypeError")
    row("F.l1_loss", "l1_loss", "reduction 'bogus'", lambda: F.l1_loss(X, X, reduction="x"),
        "ArgumentError")
    row("F.binary_cross_entropy", "binary_cross_entropy", "input above 1",
        lambda: F.binary_cross_entropy(t.tensor([1.5]), t.ones(1)), "ArgumentError")
    row("F.binary_cross_entropy", "binary_cross_entropy", "nan input",
        lambda: F.binary_cross_entropy(t.tensor([math.nan]), t.ones(1)), "ArgumentError")
    row("F.binary_cross_entropy", "binary_cross_entropy", "a list target",
        lambda: F.binary_cross_entropy(t.tensor([0.5]), [1.0]), "ArgumentTypeError")
    row("F.binary_cross_entropy", "binary_cross_entropy", "input 0 and 1",
        lambda: F.binary_cross_entropy(t.tensor([0.0, 1.0]), t.tensor([1.0, 0.0])))
    row("F.binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits",
        "a list target", lambda: F.binary_cross_entropy_with_logits(t.ones(2), [1.0, 0.0]),
        "ArgumentTypeError")
    row("F.binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits", "shapes",
        lambda: F.binary_cross_entropy_with_logits(t.ones(2), t.ones(3)), "ShapeError")
    row("F.binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits",
        "logits of +-1000", lambda: F.binary_cross_entropy_with_logits(
            t.tensor([1000.0, -1000.0]), t.tensor([0.0, 1.0])))

    # -- layers: constructors (with a forward where PyTorch only checks there) ----------------
    def fwd(make, x):
        return lambda: make()(x)

    row("nn.Linear", "Linear", "in_features -1", lambda: nn.Linear(-1, 3), "ArgumentError")
    row("nn.Linear", "Linear", "out_features -2", lambda: nn.Linear(3, -2), "ArgumentError")
    row("nn.Linear", "Linear", "in_features 1.5", lambda: nn.Linear(1.5, 3), "ArgumentTypeError")
    row("nn.Linear", "Linear", "in_features '3'", lambda: nn.Linear("3", 3), "ArgumentTypeError")
    row("nn.Linear", "Linear", "in_features 0", lambda: tuple(nn.Linear(0, 3).weight.shape))
    row("nn.Conv2d", "Conv2d", "kernel_size 0", fwd(lambda: nn.Conv2d(3, 6, 0), x4),
        "ArgumentError")
    row("nn.Conv2d", "Conv2d", "kernel_size (3, 0)", fwd(lambda: nn.Conv2d(3, 6, (3, 0)), x4),
        "ArgumentError")
    row("nn.Conv2d", "Conv2d", "kernel_size -1", lambda: nn.Conv2d(3, 6, -1), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "kernel_size 1.5", lambda: nn.Conv2d(3, 6, 1.5),
        "ArgumentTypeError")
    row("nn.Conv2d", "Conv2d", "kernel_size of 3 values",
        fwd(lambda: nn.Conv2d(3, 6, (3, 3, 3)), x4), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "stride 0", fwd(lambda: nn.Conv2d(3, 6, 3, stride=0), x4),
        "ArgumentError")
    row("nn.Conv2d", "Conv2d", "stride 1.5", fwd(lambda: nn.Conv2d(3, 6, 3, stride=1.5), x4),
        "ArgumentTypeError")
    row("nn.Conv2d", "Conv2d", "stride (1.5, 1.5)",
        fwd(lambda: nn.Conv2d(3, 6, 3, stride=(1.5, 1.5)), x4), "ArgumentTypeError")
    row("nn.Conv2d", "Conv2d", "padding -1", fwd(lambda: nn.Conv2d(3, 6, 3, padding=-1), x4),
        "ArgumentError")
    row("nn.Conv2d", "Conv2d", "dilation 0", fwd(lambda: nn.Conv2d(3, 6, 3, dilation=0), x4),
        "ArgumentError")
    row("nn.Conv2d", "Conv2d", "groups 0", lambda: nn.Conv2d(3, 6, 3, groups=0), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "groups -1", lambda: nn.Conv2d(3, 6, 3, groups=-1),
        "ArgumentError")
    row("nn.Conv2d", "Conv2d", "groups not dividing in_channels",
        lambda: nn.Conv2d(3, 6, 3, groups=2), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "groups not dividing out_channels",
        lambda: nn.Conv2d(4, 6, 3, groups=4), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "groups 1.5", lambda: nn.Conv2d(3, 6, 3, groups=1.5),
        "ArgumentTypeError")
    row("nn.Conv2d", "Conv2d", "in_channels -1", lambda: nn.Conv2d(-1, 6, 3), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "out_channels -6", lambda: nn.Conv2d(3, -6, 3), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "out_channels 0", lambda: tuple(nn.Conv2d(3, 0, 3).weight.shape))
    row("nn.Conv2d", "Conv2d", "padding 'same' with stride 2",
        lambda: nn.Conv2d(3, 6, 3, padding="same", stride=2), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "padding 'foo'", lambda: nn.Conv2d(3, 6, 3, padding="foo"),
        "ArgumentError")
    row("nn.Conv2d", "Conv2d", "padding_mode 'bogus'",
        lambda: nn.Conv2d(3, 6, 3, padding_mode="bogus"), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "padding_mode 'reflect' (refused)",
        lambda: nn.Conv2d(3, 6, 3, padding_mode="reflect"), "ArgumentError")
    row("nn.Conv2d", "Conv2d", "forward on 2-D input", fwd(lambda: nn.Conv2d(3, 6, 3), ar(8, 8)),
        "ShapeError")
    row("nn.Conv2d", "Conv2d", "forward with the wrong channels",
        fwd(lambda: nn.Conv2d(3, 6, 3), img(c=4)), "ShapeError")
    row("nn.Conv1d", "Conv1d", "kernel_size 0", fwd(lambda: nn.Conv1d(3, 6, 0), seq()),
        "ArgumentError")
    row("nn.Conv1d", "Conv1d", "kernel_size of 2 values",
        fwd(lambda: nn.Conv1d(3, 6, (3, 3)), seq()), "ArgumentError")
    row("nn.ConvTranspose2d", "ConvTranspose2d", "kernel_size 0",
        fwd(lambda: nn.ConvTranspose2d(3, 6, 0), x4), "ArgumentError")
    row("nn.ConvTranspose2d", "ConvTranspose2d", "stride 0",
        fwd(lambda: nn.ConvTranspose2d(3, 6, 3, stride=0), x4), "ArgumentError")
    row("nn.ConvTranspose2d", "ConvTranspose2d", "output_padding 2 with stride 1",
        fwd(lambda: nn.ConvTranspose2d(3, 6, 3, output_padding=2), x4), "ArgumentError")
    row("nn.ConvTranspose1d", "ConvTranspose1d", "kernel_size 0",
        fwd(lambda: nn.ConvTranspose1d(3, 6, 0), seq()), "ArgumentError")
    pool_in = ar(1, 1, 4, 4)
    row("nn.MaxPool2d", "MaxPool2d", "kernel_size 0", fwd(lambda: nn.MaxPool2d(0), pool_in),
        "ArgumentError")
    row("nn.MaxPool2d", "MaxPool2d", "kernel_size -1", fwd(lambda: nn.MaxPool2d(-1), pool_in),
        "ArgumentError")
    row("nn.MaxPool2d", "MaxPool2d", "kernel_size 1.5", fwd(lambda: nn.MaxPool2d(1.5), pool_in),
        "ArgumentTypeError")
    row("nn.MaxPool2d", "MaxPool2d", "stride 0",
        fwd(lambda: nn.MaxPool2d(2, stride=0), pool_in), "ArgumentError")
    row("nn.MaxPool2d", "MaxPool2d", "padding above half the kernel",
        fwd(lambda: nn.MaxPool2d(2, padding=2), pool_in), "ArgumentError")
    row("nn.MaxPool1d", "MaxPool1d", "kernel_size 0", fwd(lambda: nn.MaxPool1d(0), seq()),
        "ArgumentError")
    row("nn.AvgPool2d", "AvgPool2d", "divisor_override 0",
        fwd(lambda: nn.AvgPool2d(2, divisor_override=0), pool_in), "ArgumentError")
    row("nn.AvgPool2d", "AvgPool2d", "kernel_size 0", fwd(lambda: nn.AvgPool2d(0), pool_in),
        "ArgumentError")
    row("nn.AvgPool1d", "AvgPool1d", "kernel_size 0", fwd(lambda: nn.AvgPool1d(0), seq()),
        "ArgumentError")
    row("nn.AdaptiveAvgPool2d", "AdaptiveAvgPool2d", "output_size -1",
        fwd(lambda: nn.AdaptiveAvgPool2d(-1), pool_in), "ArgumentError")
    row("nn.AdaptiveAvgPool1d", "AdaptiveAvgPool1d", "output_size -1",
        fwd(lambda: nn.AdaptiveAvgPool1d(-1), seq()), "ArgumentError")
    row("nn.BatchNorm2d", "BatchNorm2d", "num_features -1", lambda: nn.BatchNorm2d(-1),
        "ArgumentError")
    row("nn.BatchNorm2d", "BatchNorm2d", "num_features 1.5", lambda: nn.BatchNorm2d(1.5),
        "ArgumentTypeError")
    row("nn.BatchNorm2d", "BatchNorm2d", "num_features 0",
        lambda: tuple(nn.BatchNorm2d(0).weight.shape))
    row("nn.BatchNorm2d", "BatchNorm2d", "forward on 3-D input",
        fwd(lambda: nn.BatchNorm2d(3), ar(3, 4, 4)), "ShapeError")
    row("nn.BatchNorm2d", "BatchNorm2d", "forward with the wrong channels",
        fwd(lambda: nn.BatchNorm2d(3), img(c=4)), "ShapeError")
    row("nn.BatchNorm1d", "BatchNorm1d", "num_features -1", lambda: nn.BatchNorm1d(-1),
        "ArgumentError")
    row("nn.BatchNorm1d", "batch_norm", "one value per channel in training",
        fwd(lambda: nn.BatchNorm1d(3), ar(1, 3)), "ShapeError")
    row("nn.LayerNorm", "LayerNorm", "normalized_shape -1", lambda: nn.LayerNorm(-1),
        "ArgumentError")
    row("nn.LayerNorm", "LayerNorm", "normalized_shape 1.5", lambda: nn.LayerNorm(1.5),
        "ArgumentTypeError")
    row("nn.LayerNorm", "LayerNorm", "normalized_shape (2, -1)", lambda: nn.LayerNorm((2, -1)),
        "ArgumentError")
    row("nn.LayerNorm", "layer_norm", "forward on the wrong shape",
        fwd(lambda: nn.LayerNorm(4), X), "ShapeError")
    row("nn.Embedding", "Embedding", "num_embeddings -1", lambda: nn.Embedding(-1, 3),
        "ArgumentError")
    row("nn.Embedding", "Embedding", "embedding_dim -1", lambda: nn.Embedding(3, -1),
        "ArgumentError")
    row("nn.Embedding", "Embedding", "embedding_dim 1.5", lambda: nn.Embedding(3, 1.5),
        "ArgumentTypeError")
    row("nn.Embedding", "Embedding", "padding_idx = num_embeddings",
        lambda: nn.Embedding(4, 3, padding_idx=4), "ArgumentError")
    row("nn.Embedding", "Embedding", "padding_idx -5", lambda: nn.Embedding(4, 3, padding_idx=-5),
        "ArgumentError")
    row("nn.Embedding", "Embedding", "padding_idx 1.5",
        lambda: nn.Embedding(4, 3, padding_idx=1.5), "ArgumentTypeError")
    row("nn.Embedding", "Embedding", "padding_idx -1 counts from the end",
        lambda: nn.Embedding(4, 3, padding_idx=-1).padding_idx)
    row("nn.Embedding", "embedding", "forward on float indices",
        fwd(lambda: nn.Embedding(4, 3), t.tensor([1.0])), "DTypeError")
    row("nn.Embedding", "embedding", "forward on an index out of range",
        fwd(lambda: nn.Embedding(4, 3), t.tensor([4])), "DimError")
    row("nn.Dropout", "Dropout", "p -0.1", lambda: nn.Dropout(-0.1), "ArgumentError")
    row("nn.Dropout", "Dropout", "p 1.5", lambda: nn.Dropout(1.5), "ArgumentError")
    row("nn.Dropout", "Dropout", "p 'a'", lambda: nn.Dropout("a"), "ArgumentTypeError")
    row("nn.Dropout", "dropout", "forward on an integer tensor",
        fwd(lambda: nn.Dropout(), t.ones(3, dtype=t.int64)), "DTypeError")
    row("nn.LeakyReLU", "LeakyReLU", "negative_slope 'a'",
        fwd(lambda: nn.LeakyReLU("a"), t.ones(3)), "ArgumentTypeError")
    row("nn.LocalResponseNorm", "LocalResponseNorm", "size 0",
        fwd(lambda: nn.LocalResponseNorm(0), x4), "ArgumentError")
    row("nn.LocalResponseNorm", "LocalResponseNorm", "size -1",
        fwd(lambda: nn.LocalResponseNorm(-1), x4), "ArgumentError")
    row("nn.LocalResponseNorm", "LocalResponseNorm", "size 1.5",
        fwd(lambda: nn.LocalResponseNorm(1.5), x4), "ArgumentTypeError")
    row("nn.Flatten", "flatten", "start after end", fwd(lambda: nn.Flatten(2, 1), cube),
        "ShapeError")
    row("nn.Flatten", "flatten", "end_dim out of range", fwd(lambda: nn.Flatten(0, 5), cube),
        "DimError")
    row("nn.Flatten", "Flatten", "start_dim 1.5", fwd(lambda: nn.Flatten(1.5), cube),
        "ArgumentTypeError")
    row("nn.Unflatten", "unflatten", "sizes not multiplying up",
        fwd(lambda: nn.Unflatten(1, (4, 2)), ar(2, 6)), "ShapeError")
    row("nn.Unflatten", "unflatten", "dim out of range",
        fwd(lambda: nn.Unflatten(5, (2, 3)), ar(2, 6)), "DimError")
    row("nn.Unflatten", "Unflatten", "an int size", lambda: nn.Unflatten(1, 6),
        "ArgumentTypeError")
    row("nn.Unflatten", "unflatten", "-1 in the sizes",
        lambda: nn.Unflatten(1, (2, -1))(ar(2, 6)).shape)
    row("nn.Softmax", "softmax", "dim out of range", fwd(lambda: nn.Softmax(5), X), "DimError")
    row("nn.Softmax", "Softmax", "dim 1.5", fwd(lambda: nn.Softmax(1.5), X), "ArgumentTypeError")
    row("nn.Linear", "linear", "forward with the wrong in_features",
        fwd(lambda: nn.Linear(3, 2), ar(4, 5)), "ShapeError")
    row("nn.Linear", "linear", "forward on a list", fwd(lambda: nn.Linear(3, 2), [1.0, 2.0, 3.0]),
        "ArgumentTypeError")
    row("nn.Linear", "linear", "forward on 0-d", fwd(lambda: nn.Linear(3, 2), t.tensor(1.0)),
        "ShapeError")

    # -- loss modules ----------------------------------------------------------------------------
    row("nn.CrossEntropyLoss", "CrossEntropyLoss", "reduction 'bogus'",
        lambda: nn.CrossEntropyLoss(reduction="bogus")(scores(), labels), "ArgumentError")
    row("nn.CrossEntropyLoss", "CrossEntropyLoss", "label_smoothing -0.1 (refused)",
        lambda: nn.CrossEntropyLoss(label_smoothing=-0.1)(scores(), labels), "ArgumentError")
    row("nn.MSELoss", "mse_loss", "a list target", lambda: nn.MSELoss()(t.ones(2), [1.0, 2.0]),
        "ArgumentTypeError")
    row("nn.NLLLoss", "nll_loss", "weight shape",
        lambda: nn.NLLLoss(weight=t.ones(2))(scores(), labels), "ShapeError")
    row("nn.BCELoss", "binary_cross_entropy", "input above 1",
        lambda: nn.BCELoss()(t.tensor([1.5]), t.ones(1)), "ArgumentError")

    # -- optimizers --------------------------------------------------------------------------------
    optim = M.optim
    row("optim.SGD", "SGD", "lr -1", lambda: optim.SGD([param()], lr=-1), "ArgumentError")
    row("optim.SGD", "SGD", "momentum -1", lambda: optim.SGD([param()], lr=0.1, momentum=-1),
        "ArgumentError")
    row("optim.SGD", "SGD", "weight_decay -1",
        lambda: optim.SGD([param()], lr=0.1, weight_decay=-1), "ArgumentError")
    row("optim.SGD", "SGD", "nesterov without momentum",
        lambda: optim.SGD([param()], lr=0.1, nesterov=True), "ArgumentError")
    row("optim.SGD", "SGD", "empty parameter list", lambda: optim.SGD([], lr=0.1),
        "ArgumentError")
    row("optim.SGD", "SGD", "a single Tensor", lambda: optim.SGD(param(), lr=0.1),
        "ArgumentTypeError")
    row("optim.SGD", "SGD", "a non-leaf parameter",
        lambda: optim.SGD([leaf(2) * 2], lr=0.1), "ArgumentError")
    row("optim.SGD", "SGD", "lr a string", lambda: optim.SGD([param()], lr="a"),
        "ArgumentTypeError")

    def sgd_step_with_nan_grad():
        p = param()
        p.grad = t.tensor([math.nan, 1.0])
        optim.SGD([p], lr=0.5).step()
        return p.detach()

    row("optim.SGD", "SGD", "a nan gradient", sgd_step_with_nan_grad)
    row("optim.Adam", "Adam", "lr -1", lambda: optim.Adam([param()], lr=-1), "ArgumentError")
    row("optim.Adam", "Adam", "beta1 1.5", lambda: optim.Adam([param()], betas=(1.5, 0.9)),
        "ArgumentError")
    row("optim.Adam", "Adam", "eps -1", lambda: optim.Adam([param()], eps=-1), "ArgumentError")
    row("optim.Adam", "Adam", "weight_decay -1",
        lambda: optim.Adam([param()], weight_decay=-1), "ArgumentError")
    row("optim.AdamW", "AdamW", "lr -1", lambda: optim.AdamW([param()], lr=-1), "ArgumentError")
    row("optim.AdamW", "AdamW", "beta2 -0.1", lambda: optim.AdamW([param()], betas=(0.9, -0.1)),
        "ArgumentError")
    row("optim.RMSprop", "RMSprop", "lr -1", lambda: optim.RMSprop([param()], lr=-1),
        "ArgumentError")
    row("optim.RMSprop", "RMSprop", "alpha -1", lambda: optim.RMSprop([param()], alpha=-1),
        "ArgumentError")
    row("optim.RMSprop", "RMSprop", "eps -1", lambda: optim.RMSprop([param()], eps=-1),
        "ArgumentError")
    row("optim.RMSprop", "RMSprop", "momentum -1",
        lambda: optim.RMSprop([param()], momentum=-1), "ArgumentError")

    # -- schedulers --------------------------------------------------------------------------------
    sched = M.lr_scheduler

    def opt():
        return optim.SGD([param()], lr=0.1)

    def stepped(make):
        def run():
            s = make(opt())
            s.step()
            return s.get_last_lr()
        return run

    row("lr_scheduler.StepLR", "StepLR", "step_size 0",
        stepped(lambda o: sched.StepLR(o, 0)), "ArgumentError")
    row("lr_scheduler.StepLR", "StepLR", "not an optimizer",
        lambda: sched.StepLR("sgd", 2), "ArgumentTypeError")
    row("lr_scheduler.MultiStepLR", "MultiStepLR", "milestones out of order",
        stepped(lambda o: sched.MultiStepLR(o, [3, 1])))
    row("lr_scheduler.ExponentialLR", "ExponentialLR", "gamma a string",
        stepped(lambda o: sched.ExponentialLR(o, "a")), "ArgumentTypeError")
    row("lr_scheduler.CosineAnnealingLR", "CosineAnnealingLR", "T_max 0",
        stepped(lambda o: sched.CosineAnnealingLR(o, 0)), "ArgumentError")
    row("lr_scheduler.ReduceLROnPlateau", "ReduceLROnPlateau", "factor 1.5",
        lambda: sched.ReduceLROnPlateau(opt(), factor=1.5), "ArgumentError")
    row("lr_scheduler.ReduceLROnPlateau", "ReduceLROnPlateau", "mode 'bogus'",
        lambda: sched.ReduceLROnPlateau(opt(), mode="bogus"), "ArgumentError")

    # -- data ---------------------------------------------------------------------------------------
    data = M.data
    ds = data.TensorDataset(ar(4, 2), t.arange(4))
    row("data.DataLoader", "DataLoader", "batch_size 0", lambda: data.DataLoader(ds, batch_size=0),
        "ArgumentError")
    row("data.DataLoader", "DataLoader", "batch_size -1",
        lambda: data.DataLoader(ds, batch_size=-1), "ArgumentError")
    row("data.DataLoader", "DataLoader", "batch_size 1.5",
        lambda: data.DataLoader(ds, batch_size=1.5), "ArgumentError")
    row("data.DataLoader", "DataLoader", "shuffle with a sampler",
        lambda: data.DataLoader(ds, shuffle=True, sampler=data.SequentialSampler(ds)),
        "ArgumentError")
    row("data.DataLoader", "DataLoader", "num_workers -1",
        lambda: data.DataLoader(ds, num_workers=-1), "ArgumentError")
    row("data.TensorDataset", "TensorDataset", "first dims differ",
        lambda: data.TensorDataset(t.ones(3), t.ones(4)), "ShapeError")
    row("data.random_split", "random_split", "lengths not adding up",
        lambda: data.random_split(ds, [2, 1]), "ArgumentError")
    row("data.random_split", "random_split", "fractions above 1",
        lambda: data.random_split(ds, [0.5, 0.6]), "ArgumentError")

    # -- gradient checks and autograd.grad ------------------------------------------------------------
    ag = t.autograd
    row("autograd.gradcheck", "gradcheck", "no input requires grad",
        lambda: M.gradcheck(lambda x: x * 2, (t.ones(2, dtype=t.float64),)), "ArgumentError")
    row("autograd.grad", "grad", "an unused input",
        lambda: ag.grad((leaf(2) * 2).sum(), [leaf(2)]), "BackwardError")
    row("autograd.grad", "grad", "a non-scalar output", lambda: ag.grad(leaf(2) * 2, [leaf(2)]),
        "BackwardError")
    row("autograd.grad", "grad", "an output without grad", lambda: ag.grad(t.ones(1), [leaf(1)]),
        "BackwardError")
    return rows
# -- end table ----------------------------------------------------------------------------------


# -- what torch 2.13.0 did with each row (/work/torchref; generated, then copied here) ---------
# ("raises", exception class, first line of the message) or ("ok", summary of the result)
nan, inf = math.nan, math.inf
PYTORCH = {
    'tensor: object array': ('raises', 'TypeError', "can't convert np.ndarray of type numpy.object_. The only supported types are: float64, flo"),
    'tensor: complex list (refused)': ('ok', 'tensor', (1,), 'complex64', [(1+2j)]),
    'tensor: strings': ('raises', 'ValueError', "too many dimensions 'str'"),
    'tensor: ragged nested lists': ('raises', 'ValueError', 'expected sequence of length 2 at dim 1 (got 1)'),
    'tensor: None inside': ('raises', 'RuntimeError', 'Could not infer dtype of NoneType'),
    'tensor: a dict': ('raises', 'RuntimeError', 'Could not infer dtype of dict'),
    'tensor: int too large for int64': ('raises', 'ValueError', 'Overflow when unpacking long long'),
    'tensor: nan and inf': ('ok', 'tensor', (3,), 'float32', [nan, inf, -inf]),
    'tensor: empty list': ('ok', 'tensor', (0,), 'float32', []),
    'tensor: 0-d bool': ('ok', 'tensor', (), 'bool', True),
    'zeros: negative size': ('raises', 'RuntimeError', 'zeros: Dimension size must be non-negative.'),
    'zeros: negative second size': ('raises', 'RuntimeError', 'zeros: Dimension size must be non-negative.'),
    'zeros: float size': ('raises', 'TypeError', "zeros(): argument 'size' (position 1) must be tuple of ints, not float"),
    'zeros: string size': ('raises', 'TypeError', 'zeros(): argument \'size\' failed to unpack the object at pos 2 with error "type must be tup'),
    'zeros: size 0': ('ok', 'tensor', (0,), 'float32', []),
    'zeros: empty size: 0-d': ('ok', 'tensor', (), 'float32', 0.0),
    'ones: negative size': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -2: [-2]'),
    'empty: negative size': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'full: negative size': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'full: string fill value': ('raises', 'TypeError', "full(): argument 'fill_value' (position 2) must be Number, not str"),
    'arange: step 0': ('raises', 'RuntimeError', 'step must be nonzero'),
    'arange: step of the wrong sign': ('raises', 'RuntimeError', 'upper bound and lower bound inconsistent with step sign'),
    'arange: nan end': ('raises', 'RuntimeError', 'unsupported range: 0 -> nan'),
    'arange: inf end': ('raises', 'RuntimeError', 'unsupported range: 0 -> inf'),
    'arange: string end': ('raises', 'TypeError', "arange(): argument 'end' (position 1) must be Number, not str"),
    'linspace: negative steps': ('raises', 'RuntimeError', 'number of steps must be non-negative'),
    'linspace: float steps': ('raises', 'TypeError', 'linspace() received an invalid combination of arguments - got (int, int, float), but expec'),
    'randn: negative size': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'randn: float size': ('raises', 'TypeError', "randn(): argument 'size' (position 1) must be tuple of ints, not float"),
    'rand: negative second size': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [2, -1]'),
    'randint: high below low': ('raises', 'RuntimeError', "random_ expects 'from' to be less than 'to', but got from=5 >= to=2"),
    'randint: negative size': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'randperm: negative n': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'eye: negative n': ('raises', 'RuntimeError', 'n must be greater or equal to 0, got -1'),
    'eye: negative m': ('raises', 'RuntimeError', 'm must be greater or equal to 0, got -1'),
    'from_numpy: a list': ('raises', 'TypeError', 'expected np.ndarray (got list)'),
    'from_numpy: object array': ('raises', 'TypeError', "can't convert np.ndarray of type numpy.object_. The only supported types are: float64, flo"),
    'from_numpy: complex array (refused)': ('ok', 'tensor', (1,), 'complex128', [(1+2j)]),
    'as_tensor: object array': ('raises', 'TypeError', "can't convert np.ndarray of type numpy.object_. The only supported types are: float64, flo"),
    'Tensor.reshape: -2 in the shape': ('raises', 'RuntimeError', 'invalid shape dimension -2 at index 0 of shape [-2, 3]'),
    'Tensor.reshape: two -1': ('raises', 'RuntimeError', 'only one dimension can be inferred'),
    'Tensor.reshape: wrong size': ('raises', 'RuntimeError', "shape '[4, 2]' is invalid for input of size 6"),
    'Tensor.reshape: float size': ('raises', 'TypeError', 'reshape() takes 1 positional argument but 2 were given'),
    'Tensor.reshape: string size': ('raises', 'TypeError', "reshape(): argument 'shape' (position 1) must be tuple of ints, not str"),
    'Tensor.view: wrong size': ('raises', 'RuntimeError', "shape '[4, 4]' is invalid for input of size 6"),
    'Tensor.flatten: start after end': ('raises', 'RuntimeError', 'flatten() has invalid args: start_dim cannot come after end_dim'),
    'Tensor.flatten: end_dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-3, 2], but got 5)'),
    'Tensor.flatten: start_dim -4 on 3-D': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-3, 2], but got -4)'),
    'Tensor.flatten: float dim': ('raises', 'TypeError', "flatten(): argument 'start_dim' (position 1) must be int, not float"),
    'Tensor.flatten: 0-d': ('ok', 'tensor', (1,), 'float32', [2.0]),
    'Tensor.t: 3-D': ('raises', 'RuntimeError', 't() expects a tensor with <= 2 dimensions, but self is 3D'),
    'Tensor.t: 0-d': ('ok', 'tensor', (), 'float32', 2.0),
    'Tensor.transpose: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 3)'),
    'Tensor.transpose: float dim': ('raises', 'TypeError', "transpose(): argument 'dim1' (position 2) must be int, not float"),
    'Tensor.permute: repeated dim': ('raises', 'RuntimeError', 'permute(): duplicate dims are not allowed.'),
    'Tensor.permute: too few dims': ('raises', 'RuntimeError', 'permute(sparse_coo): number of dimensions in the tensor input does not match the length of'),
    'Tensor.permute: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    'Tensor.expand: -1 on a new leading dim': ('raises', 'RuntimeError', "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0"),
    'Tensor.expand: fewer sizes than dims': ('raises', 'RuntimeError', 'expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be grea'),
    'Tensor.expand: -2': ('raises', 'RuntimeError', 'The expanded size of the tensor (-2) must match the existing size (3) at non-singleton dim'),
    'Tensor.expand: non-singleton dim': ('raises', 'RuntimeError', 'The expanded size of the tensor (4) must match the existing size (2) at non-singleton dime'),
    'Tensor.split: negative split_size': ('raises', 'RuntimeError', 'split expects split_size be non-negative, but got split_size=-2'),
    'Tensor.split: split_size 0': ('raises', 'RuntimeError', 'split_size can only be 0 if dimension size is 0, but got dimension size of 6'),
    'Tensor.split: negative section': ('raises', 'RuntimeError', 'split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=['),
    'Tensor.split: sections not adding up': ('raises', 'RuntimeError', "split_with_sizes expects split_sizes to sum exactly to 6 (input tensor's size at dimension"),
    'Tensor.split: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-1, 0], but got 5)'),
    'Tensor.split: float split_size': ('raises', 'TypeError', "split_with_sizes(): argument 'split_sizes' (position 2) must be tuple of ints, not float"),
    'Tensor.split: split_size 0 of an empty dim': ('ok', 'value', [(0,)]),
    'Tensor.chunk: negative chunks': ('raises', 'RuntimeError', 'chunk expects `chunks` to be greater than 0, got: -2'),
    'Tensor.chunk: chunks 0': ('raises', 'RuntimeError', 'chunk expects `chunks` to be greater than 0, got: 0'),
    'Tensor.chunk: float chunks': ('raises', 'TypeError', "chunk(): argument 'chunks' (position 1) must be int, not float"),
    'Tensor.squeeze: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.unsqueeze: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-3, 2], but got 4)'),
    'Tensor.unsqueeze: float dim': ('raises', 'TypeError', "unsqueeze(): argument 'dim' (position 1) must be int, not float"),
    'Tensor.narrow: past the end': ('raises', 'RuntimeError', 'start (1) + length (5) exceeds dimension size (2).'),
    'Tensor.narrow: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.repeat: negative repeat': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -2: [-2, 3]'),
    'Tensor.repeat: fewer repeats than dims': ('raises', 'RuntimeError', 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor'),
    'Tensor.__getitem__: index out of range': ('raises', 'IndexError', 'index 5 is out of bounds for dimension 0 with size 2'),
    'Tensor.__getitem__: index array out of range': ('raises', 'IndexError', 'index 7 is out of bounds for dimension 0 with size 3'),
    'Tensor.__getitem__: float index': ('raises', 'IndexError', 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid i'),
    'Tensor.__getitem__: float tensor index': ('raises', 'IndexError', 'tensors used as indices must be long, int, byte or bool tensors'),
    'Tensor.sum: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.sum: repeated dim': ('raises', 'RuntimeError', 'dim 0 appears multiple times in the list of dims'),
    'Tensor.sum: float dim': ('raises', 'TypeError', 'sum() received an invalid combination of arguments - got (float), but expected one of:'),
    'Tensor.sum: empty tensor': ('ok', 'tensor', (), 'float32', 0.0),
    'Tensor.sum: 0-d with dim 0': ('ok', 'tensor', (), 'float32', 2.0),
    'Tensor.sum: nan': ('ok', 'tensor', (), 'float32', nan),
    'Tensor.mean: integer tensor': ('raises', 'RuntimeError', 'mean(): could not infer output dtype. Input dtype must be either a floating point or compl'),
    'Tensor.mean: empty tensor': ('ok', 'tensor', (), 'float32', nan),
    'Tensor.mean: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got -3)'),
    'Tensor.max: empty tensor': ('raises', 'RuntimeError', 'max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reductio'),
    'Tensor.max: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.max: nan wins': ('ok', 'tensor', (), 'float32', nan),
    'Tensor.argmax: empty tensor': ('raises', 'IndexError', 'argmax(): Expected reduction dim to be specified for input.numel() == 0.'),
    'Tensor.argmax: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.std: constant: value': ('ok', 'tensor', (), 'float32', 0.0),
    'Tensor.std: constant: zero gradient': ('ok', 'tensor', (3,), 'float32', [0.0, 0.0, 0.0]),
    'Tensor.std: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.var: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 3)'),
    'Tensor.norm: p=inf': ('ok', 'tensor', (), 'float32', 4.0),
    'Tensor.norm: p=-inf': ('ok', 'tensor', (), 'float32', 3.0),
    'Tensor.norm: p=0': ('ok', 'tensor', (), 'float32', 2.0),
    "Tensor.norm: p='fro'": ('ok', 'tensor', (), 'float32', 5.0),
    'Tensor.norm: p=inf gradient': ('ok', 'tensor', (2,), 'float32', [0.0, -1.0]),
    "Tensor.norm: p='bogus'": ('raises', 'RuntimeError', 'linalg.matrix_norm: Order bogus not supported.'),
    'Tensor.norm: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.softmax: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'Tensor.softmax: float dim': ('raises', 'TypeError', "softmax(): argument 'dim' (position 1) must be int, not float"),
    'Tensor.softmax: 0-d': ('ok', 'tensor', (), 'float32', 1.0),
    'Tensor.softmax: inf logit': ('ok', 'tensor', (2,), 'float32', [nan, nan]),
    'Tensor.clamp: no bounds': ('raises', 'RuntimeError', "torch.clamp: At least one of 'min' or 'max' must not be None"),
    'Tensor.clamp: tensor bounds': ('ok', 'tensor', (3,), 'float32', [0.0, 0.20000000298023224, 1.0]),
    'Tensor.clamp: string bound': ('raises', 'TypeError', 'clamp() received an invalid combination of arguments - got (min=str, ), but expected one o'),
    'Tensor.backward: non-scalar without gradient': ('raises', 'RuntimeError', 'grad can be implicitly created only for scalar outputs'),
    'Tensor.backward: tensor without grad': ('raises', 'RuntimeError', 'element 0 of tensors does not require grad and does not have a grad_fn'),
    'Tensor.backward: gradient of the wrong shape': ('raises', 'RuntimeError', 'Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape'),
    'Tensor.backward: twice without retain_graph': ('raises', 'RuntimeError', 'Trying to backward through the graph a second time (or directly access saved tensors after'),
    'Tensor.register_hook: wrong-shape gradient': ('raises', 'RuntimeError', "hook '<lambda>' has changed the size of value"),
    'Tensor.register_hook: wrong-dtype gradient': ('raises', 'RuntimeError', "hook '<lambda>' has changed the type of value (was torch.FloatTensor got torch.DoubleTenso"),
    'Tensor.register_hook: on a tensor without grad': ('raises', 'RuntimeError', "cannot register a hook on a tensor that doesn't require gradient"),
    'Tensor.grad: assign the wrong shape': ('raises', 'RuntimeError', "attempting to assign a gradient of size '[2]' to a tensor of size '[3]'. Please ensure tha"),
    'Tensor.grad: assign the wrong dtype': ('raises', 'RuntimeError', "attempting to assign a gradient with dtype 'double' to a tensor with grad_dtype 'Float'. T"),
    'Tensor.grad: assign a list': ('raises', 'TypeError', 'assigned grad expected to be a Tensor or None but got grad of type list'),
    'Tensor.requires_grad_: integer tensor': ('raises', 'RuntimeError', 'only Tensors of floating point dtype can require gradients'),
    'Tensor.item: two elements': ('raises', 'RuntimeError', 'a Tensor with 2 elements cannot be converted to Scalar'),
    'Tensor.numpy: requires grad': ('raises', 'RuntimeError', "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."),
    'Tensor.__bool__: two elements': ('raises', 'RuntimeError', 'Boolean value of Tensor with more than one value is ambiguous'),
    'Tensor.__len__: 0-d': ('raises', 'TypeError', 'len() of a 0-d tensor'),
    'Tensor.to: cuda': ('raises', 'AssertionError', 'Torch not compiled with CUDA enabled'),
    'autograd.relu: a float': ('raises', 'TypeError', "relu(): argument 'input' (position 1) must be Tensor, not float"),
    'autograd.relu: a list': ('raises', 'TypeError', "relu(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.sigmoid: a float': ('raises', 'TypeError', "sigmoid(): argument 'input' (position 1) must be Tensor, not float"),
    'autograd.sigmoid: a list': ('raises', 'TypeError', "sigmoid(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.tanh: a float': ('raises', 'TypeError', "tanh(): argument 'input' (position 1) must be Tensor, not float"),
    'autograd.tanh: a list': ('raises', 'TypeError', "tanh(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.exp: a float': ('raises', 'TypeError', "exp(): argument 'input' (position 1) must be Tensor, not float"),
    'autograd.exp: a list': ('raises', 'TypeError', "exp(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.relu: nan': ('ok', 'tensor', (2,), 'float32', [nan, 0.0]),
    'autograd.log: 0 and -1': ('ok', 'tensor', (2,), 'float32', [-inf, nan]),
    'autograd.sqrt: negative': ('ok', 'tensor', (1,), 'float32', [nan]),
    'autograd.softmax: a float': ('raises', 'TypeError', "softmax(): argument 'input' (position 1) must be Tensor, not float"),
    'autograd.softmax: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got -3)'),
    'autograd.log_softmax: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'),
    'autograd.logsumexp: a list': ('raises', 'TypeError', "logsumexp(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.logsumexp: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'autograd.maximum: an int other': ('raises', 'TypeError', "maximum(): argument 'other' (position 2) must be Tensor, not int"),
    'autograd.maximum: a float other': ('raises', 'TypeError', "maximum(): argument 'other' (position 2) must be Tensor, not float"),
    'autograd.maximum: an int input': ('raises', 'TypeError', "maximum(): argument 'input' (position 1) must be Tensor, not int"),
    'autograd.maximum: nan': ('ok', 'tensor', (2,), 'float32', [nan, nan]),
    'autograd.maximum: shapes': ('raises', 'RuntimeError', 'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0'),
    'autograd.minimum: a list other': ('raises', 'TypeError', "minimum(): argument 'other' (position 2) must be Tensor, not list"),
    'autograd.add: number first': ('ok', 'tensor', (2, 3), 'float32', [[2.0, 3.0, 4.0], [5.0, 6.0, 7.0]]),
    'autograd.add: two numbers': ('ok', 'tensor', (), 'int64', 5),
    'autograd.add: a list other': ('raises', 'TypeError', "add(): argument 'other' (position 2) must be Tensor, not list"),
    'autograd.add: a string other': ('raises', 'TypeError', "add(): argument 'other' (position 2) must be Tensor, not str"),
    'autograd.add: shapes': ('raises', 'RuntimeError', 'The size of tensor a (2) must match the size of tensor b (4) at non-singleton dimension 0'),
    'autograd.mul: number first': ('ok', 'tensor', (2, 3), 'float32', [[0.0, 2.0, 4.0], [6.0, 8.0, 10.0]]),
    'autograd.sub: number first': ('ok', 'tensor', (2, 3), 'float32', [[2.0, 1.0, 0.0], [-1.0, -2.0, -3.0]]),
    'autograd.div: number first': ('ok', 'tensor', (2, 3), 'float32', [[inf, 2.0, 1.0], [0.6666666865348816, 0.5, 0.4000000059604645]]),
    'autograd.div: by zero': ('ok', 'tensor', (3,), 'float32', [inf, nan, -inf]),
    'autograd.pow: two numbers': ('raises', 'TypeError', 'pow() received an invalid combination of arguments - got (float, float), but expected one '),
    'autograd.where: a list input': ('raises', 'TypeError', 'where() received an invalid combination of arguments - got (Tensor, list, Tensor), but exp'),
    'autograd.where: float condition': ('raises', 'RuntimeError', 'where expected condition to be a boolean tensor, but got a tensor with dtype Float'),
    'autograd.where: shapes': ('raises', 'RuntimeError', 'The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 0'),
    'autograd.clamp: a float input': ('raises', 'TypeError', 'clamp() received an invalid combination of arguments - got (float, int, int), but expected'),
    'autograd.clamp: a list bound': ('raises', 'TypeError', 'clamp() received an invalid combination of arguments - got (Tensor, list), but expected on'),
    'autograd.clamp: min above max': ('ok', 'tensor', (2,), 'float32', [1.0, 1.0]),
    'autograd.cat: numbers': ('raises', 'TypeError', 'expected Tensor as element 0 in argument 0, but got int'),
    'autograd.cat: a number among tensors': ('raises', 'TypeError', 'expected Tensor as element 1 in argument 0, but got int'),
    'autograd.cat: a Tensor instead of a sequence': ('raises', 'TypeError', "cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"),
    'autograd.cat: empty sequence': ('raises', 'ValueError', 'torch.cat(): expected a non-empty list of Tensors'),
    'autograd.cat: shapes': ('raises', 'RuntimeError', 'Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tens'),
    'autograd.cat: 0-d tensors': ('raises', 'RuntimeError', 'zero-dimensional tensor (at position 0) cannot be concatenated'),
    'autograd.cat: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'autograd.cat: float32 with float64': ('ok', 'tensor', (2,), 'float64', [1.0, 1.0]),
    'autograd.stack: numbers': ('raises', 'TypeError', 'expected Tensor as element 0 in argument 0, but got int'),
    'autograd.stack: a Tensor instead of a sequence': ('raises', 'TypeError', "stack(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"),
    'autograd.stack: shapes': ('raises', 'RuntimeError', 'stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1'),
    'autograd.stack: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-3, 2], but got -4)'),
    'autograd.matmul: a list': ('raises', 'TypeError', "matmul(): argument 'other' (position 2) must be Tensor, not list"),
    'autograd.matmul: 0-d': ('raises', 'RuntimeError', 'both arguments to matmul need to be at least 1D, but they are 0D and 2D'),
    'autograd.matmul: shapes': ('raises', 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)'),
    'autograd.mm: a list': ('raises', 'TypeError', "mm(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.mm: 1-D': ('raises', 'RuntimeError', 'self must be a matrix'),
    'autograd.bmm: 2-D': ('raises', 'RuntimeError', 'batch1 must be a 3D tensor'),
    'autograd.reshape: a list': ('raises', 'TypeError', "reshape(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.flatten: a list': ('raises', 'TypeError', "flatten(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.transpose: a list': ('raises', 'TypeError', "transpose(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.squeeze: a list': ('raises', 'TypeError', "squeeze(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.sum: a float': ('raises', 'TypeError', "sum(): argument 'input' (position 1) must be Tensor, not float"),
    'autograd.mean: a list': ('raises', 'TypeError', "mean(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.max: a list': ('raises', 'TypeError', "max(): argument 'input' (position 1) must be Tensor, not list"),
    'autograd.argmax: a list': ('raises', 'TypeError', "argmax(): argument 'input' (position 1) must be Tensor, not list"),
    'conv2d: stride (1.5, 1.5)': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Tensor, stride=tuple)'),
    'conv2d: stride 1.5': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Tensor, stride=float)'),
    'conv2d: stride True': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Tensor, stride=bool),'),
    'conv2d: stride 0': ('raises', 'RuntimeError', 'non-positive stride is not supported'),
    'conv2d: stride -1': ('raises', 'RuntimeError', 'non-positive stride is not supported'),
    'conv2d: stride of 3 values': ('raises', 'RuntimeError', 'expected stride to be a single integer value or a list of 2 values to match the convolutio'),
    'conv2d: stride a string': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Tensor, stride=str), '),
    'conv2d: padding -1': ('raises', 'RuntimeError', 'negative padding is not supported'),
    "conv2d: padding 'foo'": ('raises', 'RuntimeError', "Invalid padding string: 'foo'"),
    "conv2d: padding 'same' with stride 2": ('raises', 'RuntimeError', "padding='same' is not supported for strided convolutions"),
    'conv2d: dilation 0': ('raises', 'RuntimeError', 'dilation should be greater than zero, but got [0, 0]'),
    'conv2d: groups 0': ('raises', 'RuntimeError', 'non-positive groups is not supported'),
    'conv2d: groups not fitting the channels': ('raises', 'RuntimeError', 'Given groups=2, weight of size [6, 3, 3, 3], expected input[1, 3, 8, 8] to have 6 channels'),
    'conv2d: groups 1.0': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Tensor, groups=float)'),
    'conv2d: kernel with a size-0 dim': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 3'),
    'conv2d: a list input': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (list, Tensor), but expected o'),
    'conv2d: a list weight': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, list), but expected o'),
    'conv2d: a list bias': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Tensor, list), but ex'),
    'conv2d: 2-D input': ('raises', 'RuntimeError', 'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [8, 8]'),
    'conv2d: 3-D input (unbatched)': ('ok', 'tensor', (6, 3, 3), 'float32', None),
    'conv2d: channels': ('raises', 'RuntimeError', 'Given groups=1, weight of size [6, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels'),
    'conv2d: bias shape': ('raises', 'RuntimeError', 'Given weight of size [6, 3, 3, 3], expected bias to be 1-dimensional with 6 elements, but '),
    'conv2d: kernel larger than the input': ('raises', 'RuntimeError', "Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't"),
    'conv2d: 3-D weight': ('raises', 'RuntimeError', 'expected stride to be a single integer value or a list of 1 values to match the convolutio'),
    'conv2d: empty batch': ('ok', 'value', (0, 6, 6, 6)),
    'conv2d: nan input': ('ok', 'tensor', (), 'bool', True),
    'conv2d: integer tensors (refused)': ('ok', 'tensor', (1, 2, 2, 2), 'int64', [[[[27, 27], [27, 27]], [[27, 27], [27, 27]]]]),
    'conv1d: stride 1.5': ('raises', 'TypeError', 'conv1d() received an invalid combination of arguments - got (Tensor, Tensor, stride=float)'),
    'conv1d: stride of 2 values': ('raises', 'RuntimeError', 'expected stride to be a single integer value or a list of 1 values to match the convolutio'),
    'conv1d: stride 0': ('raises', 'RuntimeError', 'non-positive stride is not supported'),
    'conv1d: kernel size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 1 kernel_width: 0'),
    'conv1d: 2-D input (unbatched)': ('ok', 'tensor', (2, 6), 'float32', [[4.740000247955322, 5.100000381469727, 5.460000038146973, 5.819999694824219, 6.180000305175781, 6.539999961853027], [12.030000686645508, 13.200000762939453, 14.370000839233398, 15.539999961853027, 16.709999084472656, 17.880001068115234]]),
    'conv1d: 4-D input': ('raises', 'RuntimeError', 'Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [1, 3, 8, '),
    'conv1d: a list input': ('raises', 'TypeError', 'conv1d() received an invalid combination of arguments - got (list, Tensor), but expected o'),
    'conv_transpose2d: stride 0': ('raises', 'RuntimeError', 'non-positive stride is not supported'),
    'conv_transpose2d: stride 1.5': ('raises', 'TypeError', "conv_transpose2d(): argument 'stride' must be tuple of ints, not float"),
    'conv_transpose2d: output_padding not below stride': ('raises', 'RuntimeError', 'output padding must be smaller than either stride or dilation, but got output_padding_heig'),
    'conv_transpose2d: kernel with a size-0 dim': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 3'),
    'conv_transpose2d: negative padding': ('raises', 'RuntimeError', 'negative padding is not supported'),
    'conv_transpose2d: output size not positive': ('raises', 'RuntimeError', 'Given input size per channel: (1 x 1). Calculated output size per channel: (-1 x -1). Outp'),
    'conv_transpose2d: channels': ('raises', 'RuntimeError', 'Given transposed=1, weight of size [3, 6, 3, 3], expected input[1, 4, 8, 8] to have 3 chan'),
    'conv_transpose2d: a list input': ('raises', 'TypeError', "conv_transpose2d(): argument 'input' (position 1) must be Tensor, not list"),
    'conv_transpose1d: stride 0': ('raises', 'RuntimeError', 'non-positive stride is not supported'),
    'conv_transpose1d: kernel size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 1 kernel_width: 0'),
    'max_pool2d: kernel_size 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'max_pool2d: kernel_size 1.5': ('raises', 'TypeError', "max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float"),
    'max_pool2d: kernel_size (2, 1.5)': ('raises', 'TypeError', 'max_pool2d(): argument \'kernel_size\' failed to unpack the object at pos 2 with error "type'),
    'max_pool2d: kernel_size True': ('raises', 'TypeError', "max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not bool"),
    'max_pool2d: stride (1.5, 1.5)': ('raises', 'TypeError', "max_pool2d(): argument 'stride' (position 3) must be tuple of ints, but found element of t"),
    'max_pool2d: stride 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'max_pool2d: padding above half the kernel': ('raises', 'RuntimeError', 'pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dila'),
    'max_pool2d: negative padding': ('raises', 'RuntimeError', 'pad must be non-negative, but got pad: -1'),
    'max_pool2d: dilation 0': ('raises', 'RuntimeError', 'dilation should be greater than zero, but got dilationH: 0 dilationW: 0'),
    'max_pool2d: 5-D input': ('raises', 'RuntimeError', 'non-empty 3D or 4D (batch mode) tensor expected for input'),
    'max_pool2d: 3-D input (unbatched)': ('ok', 'tensor', (1, 2, 2), 'float32', [[[5.0, 7.0], [13.0, 15.0]]]),
    'max_pool2d: a list input': ('raises', 'TypeError', "max_pool2d(): argument 'input' (position 1) must be Tensor, not list"),
    'max_pool2d: kernel larger than the input': ('raises', 'RuntimeError', 'Given input size: (3x8x8). Calculated output size: (3x0x0). Output size is too small'),
    'max_pool2d: nan input': ('ok', 'tensor', (1, 1, 1, 1), 'float32', [[[[nan]]]]),
    'max_pool2d: -inf input': ('ok', 'tensor', (1, 1, 1, 1), 'float32', [[[[-inf]]]]),
    'max_pool1d: kernel_size 0': ('raises', 'RuntimeError', 'max_pool1d() kernel_size must be greater than zero, but got 0'),
    'max_pool1d: kernel_size 1.5': ('raises', 'TypeError', "max_pool1d(): argument 'kernel_size' (position 2) must be tuple of ints, not float"),
    'max_pool1d: 2-D input (unbatched)': ('ok', 'tensor', (3, 4), 'float32', [[1.0, 3.0, 5.0, 7.0], [9.0, 11.0, 13.0, 15.0], [17.0, 19.0, 21.0, 23.0]]),
    'avg_pool2d: divisor_override 0': ('raises', 'RuntimeError', 'divisor must be not zero'),
    'avg_pool2d: divisor_override 1.5': ('raises', 'TypeError', "avg_pool2d(): argument 'divisor_override' must be int, not float"),
    'avg_pool2d: divisor_override -1': ('ok', 'tensor', (1, 1, 1, 1), 'float32', [[[[-6.0]]]]),
    'avg_pool2d: kernel_size 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'avg_pool2d: stride (1.5, 1.5)': ('raises', 'TypeError', "avg_pool2d(): argument 'stride' must be tuple of ints, not tuple"),
    'avg_pool2d: 3-D input (unbatched)': ('ok', 'tensor', (1, 2, 2), 'float32', [[[2.5, 4.5], [10.5, 12.5]]]),
    'avg_pool2d: integer input (refused)': ('ok', 'tensor', (1, 1, 2, 2), 'int64', [[[[1, 1], [1, 1]]]]),
    'avg_pool1d: kernel_size 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'avg_pool1d: stride 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'avg_pool1d: padding above half the kernel': ('raises', 'RuntimeError', 'pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dila'),
    'adaptive_avg_pool2d: output_size 0': ('ok', 'value', (1, 3, 0, 0)),
    'adaptive_avg_pool2d: output_size -1': ('raises', 'RuntimeError', 'adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but receiv'),
    'adaptive_avg_pool2d: output_size 1.5': ('raises', 'TypeError', "object of type 'float' has no len()"),
    'adaptive_avg_pool2d: output_size of 3 values': ('raises', 'RuntimeError', 'adaptive_avg_pool2d: output_size must be 2'),
    'adaptive_avg_pool2d: 3-D input (unbatched)': ('ok', 'tensor', (1, 2, 2), 'float32', [[[2.5, 4.5], [10.5, 12.5]]]),
    'adaptive_avg_pool2d: integer input': ('raises', 'NotImplementedError', '"adaptive_avg_pool2d" not implemented for \'Long\''),
    'adaptive_avg_pool2d: empty plane': ('raises', 'RuntimeError', 'adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but '),
    'adaptive_avg_pool2d: a list input': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    'adaptive_avg_pool1d: output_size 0': ('ok', 'value', (1, 3, 0)),
    'adaptive_avg_pool1d: output_size -1': ('raises', 'RuntimeError', 'adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but receiv'),
    'F.linear: a list input': ('raises', 'TypeError', "linear(): argument 'input' (position 1) must be Tensor, not list"),
    'F.linear: a list weight': ('raises', 'TypeError', "linear(): argument 'weight' (position 2) must be Tensor, not list"),
    'F.linear: in_features': ('raises', 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)'),
    'F.linear: 0-d input': ('raises', 'RuntimeError', 'both arguments to linear need to be at least 1D, but they are 0D and 2D'),
    'F.relu: a float': ('raises', 'TypeError', "relu(): argument 'input' (position 1) must be Tensor, not float"),
    'F.relu: a list': ('raises', 'TypeError', "relu(): argument 'input' (position 1) must be Tensor, not list"),
    'F.sigmoid: a float': ('raises', 'AttributeError', "'float' object has no attribute 'sigmoid'"),
    'F.tanh: a list': ('raises', 'AttributeError', "'list' object has no attribute 'tanh'"),
    'F.leaky_relu: a float': ('raises', 'TypeError', "leaky_relu(): argument 'input' (position 1) must be Tensor, not float"),
    'F.leaky_relu: string slope': ('raises', 'TypeError', "leaky_relu(): argument 'negative_slope' (position 2) must be Number, not str"),
    'F.softmax: a list': ('raises', 'AttributeError', "'list' object has no attribute 'softmax'"),
    'F.softmax: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'F.log_softmax: a list': ('raises', 'AttributeError', "'list' object has no attribute 'log_softmax'"),
    'F.log_softmax: float dim': ('raises', 'TypeError', "log_softmax(): argument 'dim' (position 1) must be int, not float"),
    'F.dropout: p 1.5': ('raises', 'ValueError', 'dropout probability has to be between 0 and 1, but got 1.5'),
    'F.dropout: p -0.1': ('raises', 'ValueError', 'dropout probability has to be between 0 and 1, but got -0.1'),
    'F.dropout: p a string': ('raises', 'TypeError', "'<' not supported between instances of 'str' and 'float'"),
    'F.dropout: a list': ('raises', 'TypeError', "dropout(): argument 'input' (position 1) must be Tensor, not list"),
    'F.dropout: a float': ('raises', 'TypeError', "dropout(): argument 'input' (position 1) must be Tensor, not float"),
    'F.dropout: integer tensor': ('raises', 'RuntimeError', "result type Float can't be cast to the desired output type Long"),
    'F.dropout: p=1': ('ok', 'tensor', (2, 3), 'float32', [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
    'F.batch_norm: a list input': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    'F.batch_norm: running_mean shape': ('raises', 'RuntimeError', 'running_mean should contain 3 elements not 2'),
    'F.batch_norm: one value per channel in training': ('raises', 'ValueError', 'Expected more than 1 value per channel when training, got input size torch.Size([1, 3])'),
    'F.layer_norm: normalized_shape': ('raises', 'RuntimeError', 'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]'),
    'F.layer_norm: a list input': ('raises', 'TypeError', "layer_norm(): argument 'input' (position 1) must be Tensor, not list"),
    'F.layer_norm: weight shape': ('raises', 'RuntimeError', 'Expected weight to be of same shape as normalized_shape, but got weight of shape [2] and n'),
    'F.embedding: float indices': ('raises', 'RuntimeError', "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long,"),
    'F.embedding: index out of range': ('raises', 'IndexError', 'index out of range in self'),
    'F.embedding: negative index': ('raises', 'IndexError', 'index out of range in self'),
    'F.embedding: a list of indices': ('raises', 'TypeError', "embedding(): argument 'indices' (position 2) must be Tensor, not list"),
    'F.one_hot: a list': ('raises', 'TypeError', "one_hot(): argument 'input' (position 1) must be Tensor, not list"),
    'F.one_hot: float tensor': ('raises', 'RuntimeError', 'one_hot is only applicable to index tensor of type LongTensor.'),
    'F.one_hot: negative class': ('raises', 'RuntimeError', 'Class values must be non-negative.'),
    'F.one_hot: class beyond num_classes': ('raises', 'RuntimeError', 'Class values must be smaller than num_classes.'),
    'F.pad: odd number of pads': ('raises', 'RuntimeError', 'Padding length must be divisible by 2'),
    'F.pad: too many pads': ('raises', 'RuntimeError', 'Padding length should be less than or equal to two times the input dimension but got paddi'),
    'F.pad: float pad': ('raises', 'TypeError', "pad(): argument 'pad' (position 2) must be tuple of ints, but found element of type float "),
    'F.pad: a list input': ('raises', 'TypeError', "pad(): argument 'input' (position 1) must be Tensor, not list"),
    'F.pad: negative pad (refused)': ('ok', 'tensor', (2, 2), 'float32', [[1.0, 2.0], [4.0, 5.0]]),
    'F.local_response_norm: size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kT: 0 kH: 1 kW: 1'),
    'F.local_response_norm: size -1': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kT: -1 kH: 1 kW: 1'),
    'F.local_response_norm: size 1.5': ('raises', 'TypeError', 'pad(): argument \'pad\' failed to unpack the object at pos 5 with error "type must be tuple '),
    'F.local_response_norm: 2-D input': ('raises', 'ValueError', 'Expected 3D or higher dimensionality                          input (got 2 dimensions)'),
    'F.cross_entropy: a list target': ('raises', 'TypeError', "cross_entropy_loss(): argument 'target' (position 2) must be Tensor, not list"),
    'F.cross_entropy: a list input': ('raises', 'TypeError', "cross_entropy_loss(): argument 'input' (position 1) must be Tensor, not list"),
    "F.cross_entropy: reduction 'bogus'": ('raises', 'ValueError', 'bogus is not a valid value for reduction'),
    'F.cross_entropy: label_smoothing 2': ('raises', 'RuntimeError', 'label_smoothing must be between 0.0 and 1.0. Got: 2'),
    'F.cross_entropy: class out of range': ('raises', 'IndexError', 'Target 3 is out of bounds.'),
    'F.cross_entropy: batch sizes': ('raises', 'ValueError', 'Expected input batch_size (2) to match target batch_size (3).'),
    'F.cross_entropy: 0-d input': ('raises', 'RuntimeError', 'Expected floating point type for target with class probabilities, got Long'),
    'F.cross_entropy: float target of another shape': ('raises', 'RuntimeError', '0D or 1D target tensor expected, multi-target not supported'),
    'F.cross_entropy: every target ignored: value': ('ok', 'tensor', (), 'float32', nan),
    'F.cross_entropy: every target ignored: zero gradient': ('ok', 'tensor', (2, 3), 'float32', [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
    'F.cross_entropy: an inf logit': ('ok', 'tensor', (), 'float32', nan),
    'F.nll_loss: a list target': ('raises', 'TypeError', "nll_loss_nd(): argument 'target' (position 2) must be Tensor, not list"),
    "F.nll_loss: reduction 'bogus'": ('raises', 'ValueError', 'bogus is not a valid value for reduction'),
    'F.nll_loss: weight shape': ('raises', 'RuntimeError', 'weight tensor should be defined either for all 3 classes or no classes but got weight tens'),
    'F.mse_loss: a list target': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    'F.mse_loss: a list input': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    'F.mse_loss: a float target': ('raises', 'AttributeError', "'float' object has no attribute 'size'"),
    "F.mse_loss: reduction 'bogus'": ('raises', 'ValueError', 'bogus is not a valid value for reduction'),
    'F.mse_loss: reduction None': ('raises', 'ValueError', 'None is not a valid value for reduction'),
    'F.mse_loss: integer tensors': ('raises', 'NotImplementedError', '"mse_cpu" not implemented for \'Long\''),
    'F.mse_loss: broadcasting shapes (refused)': ('ok', 'tensor', (), 'float32', 0.0),
    'F.mse_loss: nan': ('ok', 'tensor', (), 'float32', nan),
    'F.l1_loss: a list target': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    "F.l1_loss: reduction 'bogus'": ('raises', 'ValueError', 'x is not a valid value for reduction'),
    'F.binary_cross_entropy: input above 1': ('raises', 'RuntimeError', 'all elements of input should be between 0 and 1'),
    'F.binary_cross_entropy: nan input': ('raises', 'RuntimeError', 'all elements of input should be between 0 and 1'),
    'F.binary_cross_entropy: a list target': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    'F.binary_cross_entropy: input 0 and 1': ('ok', 'tensor', (), 'float32', 100.0),
    'F.binary_cross_entropy_with_logits: a list target': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    'F.binary_cross_entropy_with_logits: shapes': ('raises', 'ValueError', 'Target size (torch.Size([3])) must be the same as input size (torch.Size([2]))'),
    'F.binary_cross_entropy_with_logits: logits of +-1000': ('ok', 'tensor', (), 'float32', 1000.0),
    'nn.Linear: in_features -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [3, -1]'),
    'nn.Linear: out_features -2': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -2: [-2, 3]'),
    'nn.Linear: in_features 1.5': ('raises', 'TypeError', 'empty(): argument \'size\' failed to unpack the object at pos 2 with error "type must be tup'),
    "nn.Linear: in_features '3'": ('raises', 'TypeError', 'empty(): argument \'size\' failed to unpack the object at pos 2 with error "type must be tup'),
    'nn.Linear: in_features 0': ('ok', 'value', (3, 0)),
    'nn.Conv2d: kernel_size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0'),
    'nn.Conv2d: kernel_size (3, 0)': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 3 kernel_width: 0'),
    'nn.Conv2d: kernel_size -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [6, 3, -1, -1]'),
    'nn.Conv2d: kernel_size 1.5': ('raises', 'TypeError', 'empty(): argument \'size\' failed to unpack the object at pos 3 with error "type must be tup'),
    'nn.Conv2d: kernel_size of 3 values': ('raises', 'RuntimeError', 'expected stride to be a single integer value or a list of 3 values to match the convolutio'),
    'nn.Conv2d: stride 0': ('raises', 'RuntimeError', 'non-positive stride is not supported'),
    'nn.Conv2d: stride 1.5': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Parameter, Parameter,'),
    'nn.Conv2d: stride (1.5, 1.5)': ('raises', 'TypeError', 'conv2d() received an invalid combination of arguments - got (Tensor, Parameter, Parameter,'),
    'nn.Conv2d: padding -1': ('raises', 'RuntimeError', 'negative padding is not supported'),
    'nn.Conv2d: dilation 0': ('raises', 'RuntimeError', 'dilation should be greater than zero, but got [0, 0]'),
    'nn.Conv2d: groups 0': ('raises', 'ValueError', 'groups must be a positive integer'),
    'nn.Conv2d: groups -1': ('raises', 'ValueError', 'groups must be a positive integer'),
    'nn.Conv2d: groups not dividing in_channels': ('raises', 'ValueError', 'in_channels must be divisible by groups'),
    'nn.Conv2d: groups not dividing out_channels': ('raises', 'ValueError', 'out_channels must be divisible by groups'),
    'nn.Conv2d: groups 1.5': ('raises', 'TypeError', 'empty(): argument \'size\' failed to unpack the object at pos 2 with error "type must be tup'),
    'nn.Conv2d: in_channels -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [6, -1, 3, 3]'),
    'nn.Conv2d: out_channels -6': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -6: [-6, 3, 3, 3]'),
    'nn.Conv2d: out_channels 0': ('ok', 'value', (0, 3, 3, 3)),
    "nn.Conv2d: padding 'same' with stride 2": ('raises', 'ValueError', "padding='same' is not supported for strided convolutions"),
    "nn.Conv2d: padding 'foo'": ('raises', 'ValueError', "Invalid padding string 'foo', should be one of {'valid', 'same'}"),
    "nn.Conv2d: padding_mode 'bogus'": ('raises', 'ValueError', "padding_mode must be one of {'zeros', 'replicate', 'circular', 'reflect'}, but got padding"),
    "nn.Conv2d: padding_mode 'reflect' (refused)": ('ok', 'object', 'Conv2d'),
    'nn.Conv2d: forward on 2-D input': ('raises', 'RuntimeError', 'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [8, 8]'),
    'nn.Conv2d: forward with the wrong channels': ('raises', 'RuntimeError', 'Given groups=1, weight of size [6, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels'),
    'nn.Conv1d: kernel_size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 1 kernel_width: 0'),
    'nn.Conv1d: kernel_size of 2 values': ('raises', 'RuntimeError', 'Expected 4-dimensional input for 4-dimensional weight [6, 3, 3, 3], but got 3-dimensional '),
    'nn.ConvTranspose2d: kernel_size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0'),
    'nn.ConvTranspose2d: stride 0': ('raises', 'RuntimeError', 'non-positive stride is not supported'),
    'nn.ConvTranspose2d: output_padding 2 with stride 1': ('raises', 'RuntimeError', 'output padding must be smaller than either stride or dilation, but got output_padding_heig'),
    'nn.ConvTranspose1d: kernel_size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kernel_height: 1 kernel_width: 0'),
    'nn.MaxPool2d: kernel_size 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'nn.MaxPool2d: kernel_size -1': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kH: -1 kW: -1'),
    'nn.MaxPool2d: kernel_size 1.5': ('raises', 'TypeError', "max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float"),
    'nn.MaxPool2d: stride 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'nn.MaxPool2d: padding above half the kernel': ('raises', 'RuntimeError', 'pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and dila'),
    'nn.MaxPool1d: kernel_size 0': ('raises', 'RuntimeError', 'max_pool1d() kernel_size must be greater than zero, but got 0'),
    'nn.AvgPool2d: divisor_override 0': ('raises', 'RuntimeError', 'divisor must be not zero'),
    'nn.AvgPool2d: kernel_size 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'nn.AvgPool1d: kernel_size 0': ('raises', 'RuntimeError', 'stride should not be zero'),
    'nn.AdaptiveAvgPool2d: output_size -1': ('raises', 'RuntimeError', 'adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but receiv'),
    'nn.AdaptiveAvgPool1d: output_size -1': ('raises', 'RuntimeError', 'adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but receiv'),
    'nn.BatchNorm2d: num_features -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'nn.BatchNorm2d: num_features 1.5': ('raises', 'TypeError', "empty(): argument 'size' (position 1) must be tuple of ints, not float"),
    'nn.BatchNorm2d: num_features 0': ('ok', 'value', (0,)),
    'nn.BatchNorm2d: forward on 3-D input': ('raises', 'ValueError', 'expected 4D input (got 3D input)'),
    'nn.BatchNorm2d: forward with the wrong channels': ('raises', 'RuntimeError', 'running_mean should contain 4 elements not 3'),
    'nn.BatchNorm1d: num_features -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'nn.BatchNorm1d: one value per channel in training': ('raises', 'ValueError', 'Expected more than 1 value per channel when training, got input size torch.Size([1, 3])'),
    'nn.LayerNorm: normalized_shape -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1]'),
    'nn.LayerNorm: normalized_shape 1.5': ('raises', 'TypeError', "'float' object is not iterable"),
    'nn.LayerNorm: normalized_shape (2, -1)': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [2, -1]'),
    'nn.LayerNorm: forward on the wrong shape': ('raises', 'RuntimeError', 'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]'),
    'nn.Embedding: num_embeddings -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [-1, 3]'),
    'nn.Embedding: embedding_dim -1': ('raises', 'RuntimeError', 'Trying to create tensor with negative dimension -1: [3, -1]'),
    'nn.Embedding: embedding_dim 1.5': ('raises', 'TypeError', 'empty(): argument \'size\' failed to unpack the object at pos 2 with error "type must be tup'),
    'nn.Embedding: padding_idx = num_embeddings': ('raises', 'AssertionError', 'Padding_idx must be within num_embeddings'),
    'nn.Embedding: padding_idx -5': ('raises', 'AssertionError', 'Padding_idx must be within num_embeddings'),
    'nn.Embedding: padding_idx 1.5': ('raises', 'IndexError', 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid i'),
    'nn.Embedding: padding_idx -1 counts from the end': ('ok', 'value', 3),
    'nn.Embedding: forward on float indices': ('raises', 'RuntimeError', "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long,"),
    'nn.Embedding: forward on an index out of range': ('raises', 'IndexError', 'index out of range in self'),
    'nn.Dropout: p -0.1': ('raises', 'ValueError', 'dropout probability has to be between 0 and 1, but got -0.1'),
    'nn.Dropout: p 1.5': ('raises', 'ValueError', 'dropout probability has to be between 0 and 1, but got 1.5'),
    "nn.Dropout: p 'a'": ('raises', 'TypeError', "'<' not supported between instances of 'str' and 'int'"),
    'nn.Dropout: forward on an integer tensor': ('raises', 'RuntimeError', "result type Float can't be cast to the desired output type Long"),
    "nn.LeakyReLU: negative_slope 'a'": ('raises', 'TypeError', "leaky_relu(): argument 'negative_slope' (position 2) must be Number, not str"),
    'nn.LocalResponseNorm: size 0': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kT: 0 kH: 1 kW: 1'),
    'nn.LocalResponseNorm: size -1': ('raises', 'RuntimeError', 'kernel size should be greater than zero, but got kT: -1 kH: 1 kW: 1'),
    'nn.LocalResponseNorm: size 1.5': ('raises', 'TypeError', 'pad(): argument \'pad\' failed to unpack the object at pos 5 with error "type must be tuple '),
    'nn.Flatten: start after end': ('raises', 'RuntimeError', 'flatten() has invalid args: start_dim cannot come after end_dim'),
    'nn.Flatten: end_dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-3, 2], but got 5)'),
    'nn.Flatten: start_dim 1.5': ('raises', 'TypeError', "flatten(): argument 'start_dim' (position 1) must be int, not float"),
    'nn.Unflatten: sizes not multiplying up': ('raises', 'RuntimeError', "unflatten: Provided sizes [4, 2] don't multiply up to the size of dim 1 (6) in the input t"),
    'nn.Unflatten: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'nn.Unflatten: an int size': ('raises', 'TypeError', 'unflattened_size must be a tuple of ints, but found type int'),
    'nn.Unflatten: -1 in the sizes': ('ok', 'value', (2, 2, 3)),
    'nn.Softmax: dim out of range': ('raises', 'IndexError', 'Dimension out of range (expected to be in range of [-2, 1], but got 5)'),
    'nn.Softmax: dim 1.5': ('raises', 'TypeError', "softmax(): argument 'dim' (position 1) must be int, not float"),
    'nn.Linear: forward with the wrong in_features': ('raises', 'RuntimeError', 'mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)'),
    'nn.Linear: forward on a list': ('raises', 'TypeError', "linear(): argument 'input' (position 1) must be Tensor, not list"),
    'nn.Linear: forward on 0-d': ('raises', 'RuntimeError', 'both arguments to linear need to be at least 1D, but they are 0D and 2D'),
    "nn.CrossEntropyLoss: reduction 'bogus'": ('raises', 'ValueError', 'bogus is not a valid value for reduction'),
    'nn.CrossEntropyLoss: label_smoothing -0.1 (refused)': ('ok', 'tensor', (), 'float32', 1.1019428968429565),
    'nn.MSELoss: a list target': ('raises', 'AttributeError', "'list' object has no attribute 'size'"),
    'nn.NLLLoss: weight shape': ('raises', 'RuntimeError', 'weight tensor should be defined either for all 3 classes or no classes but got weight tens'),
    'nn.BCELoss: input above 1': ('raises', 'RuntimeError', 'all elements of input should be between 0 and 1'),
    'optim.SGD: lr -1': ('raises', 'ValueError', 'Invalid learning rate: -1'),
    'optim.SGD: momentum -1': ('raises', 'ValueError', 'Invalid momentum value: -1'),
    'optim.SGD: weight_decay -1': ('raises', 'ValueError', 'Invalid weight_decay value: -1'),
    'optim.SGD: nesterov without momentum': ('raises', 'ValueError', 'Nesterov momentum requires a momentum and zero dampening'),
    'optim.SGD: empty parameter list': ('raises', 'ValueError', 'optimizer got an empty parameter list'),
    'optim.SGD: a single Tensor': ('raises', 'TypeError', 'params argument given to the optimizer should be an iterable of Tensors or dicts, but got '),
    'optim.SGD: a non-leaf parameter': ('raises', 'ValueError', "can't optimize a non-leaf Tensor"),
    'optim.SGD: lr a string': ('raises', 'TypeError', "'<' not supported between instances of 'str' and 'float'"),
    'optim.SGD: a nan gradient': ('ok', 'tensor', (2,), 'float32', [nan, 0.5]),
    'optim.Adam: lr -1': ('raises', 'ValueError', 'Invalid learning rate: -1'),
    'optim.Adam: beta1 1.5': ('raises', 'ValueError', 'Invalid beta parameter at index 0: 1.5'),
    'optim.Adam: eps -1': ('raises', 'ValueError', 'Invalid epsilon value: -1'),
    'optim.Adam: weight_decay -1': ('raises', 'ValueError', 'Invalid weight_decay value: -1'),
    'optim.AdamW: lr -1': ('raises', 'ValueError', 'Invalid learning rate: -1'),
    'optim.AdamW: beta2 -0.1': ('raises', 'ValueError', 'Invalid beta parameter at index 1: -0.1'),
    'optim.RMSprop: lr -1': ('raises', 'ValueError', 'Invalid learning rate: -1'),
    'optim.RMSprop: alpha -1': ('raises', 'ValueError', 'Invalid alpha value: -1'),
    'optim.RMSprop: eps -1': ('raises', 'ValueError', 'Invalid epsilon value: -1'),
    'optim.RMSprop: momentum -1': ('raises', 'ValueError', 'Invalid momentum value: -1'),
    'lr_scheduler.StepLR: step_size 0': ('raises', 'ZeroDivisionError', 'integer modulo by zero'),
    'lr_scheduler.StepLR: not an optimizer': ('raises', 'TypeError', 'str is not an Optimizer'),
    'lr_scheduler.MultiStepLR: milestones out of order': ('ok', 'value', [0.010000000000000002]),
    'lr_scheduler.ExponentialLR: gamma a string': ('raises', 'TypeError', "can't multiply sequence by non-int of type 'float'"),
    'lr_scheduler.CosineAnnealingLR: T_max 0': ('raises', 'ZeroDivisionError', 'integer modulo by zero'),
    'lr_scheduler.ReduceLROnPlateau: factor 1.5': ('raises', 'ValueError', 'Factor should be < 1.0.'),
    "lr_scheduler.ReduceLROnPlateau: mode 'bogus'": ('raises', 'ValueError', 'mode bogus is unknown!'),
    'data.DataLoader: batch_size 0': ('raises', 'ValueError', 'batch_size should be a positive integer value, but got batch_size=0'),
    'data.DataLoader: batch_size -1': ('raises', 'ValueError', 'batch_size should be a positive integer value, but got batch_size=-1'),
    'data.DataLoader: batch_size 1.5': ('raises', 'ValueError', 'batch_size should be a positive integer value, but got batch_size=1.5'),
    'data.DataLoader: shuffle with a sampler': ('raises', 'ValueError', 'sampler option is mutually exclusive with shuffle'),
    'data.DataLoader: num_workers -1': ('raises', 'ValueError', 'num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.'),
    'data.TensorDataset: first dims differ': ('raises', 'AssertionError', 'Size mismatch between tensors'),
    'data.random_split: lengths not adding up': ('raises', 'ValueError', 'Sum of input lengths does not equal the length of the input dataset!'),
    'data.random_split: fractions above 1': ('raises', 'ValueError', 'Sum of input lengths does not equal the length of the input dataset!'),
    'autograd.gradcheck: no input requires grad': ('raises', 'ValueError', 'gradcheck expects at least one input tensor to require gradient, but none of them have req'),
    'autograd.grad: an unused input': ('raises', 'RuntimeError', 'The differentiated Tensor at index 0 appears to not have been used in the graph. Set allow'),
    'autograd.grad: a non-scalar output': ('raises', 'RuntimeError', 'grad can be implicitly created only for scalar outputs'),
    'autograd.grad: an output without grad': ('raises', 'RuntimeError', 'element 0 of tensors does not require grad and does not have a grad_fn'),
}


# -- running a row ------------------------------------------------------------------------------
def namespace():
    """The framework as ``M`` (the PyTorch run used torch, torch.nn, ... in these slots)."""
    import types

    import autograd
    import nn
    import nn.functional as F
    from nn import data, optim
    from nn.optim import lr_scheduler
    return types.SimpleNamespace(t=autograd, nn=nn, F=F, optim=optim, lr_scheduler=lr_scheduler,
                                 data=data, gradcheck=autograd.gradcheck)


def key(row):
    return f"{row.api}: {row.case}"


def summarize(result):
    """A result as comparable data: ("tensor", shape, dtype name, values or None), ..."""
    if hasattr(result, "shape") and hasattr(result, "dtype") and hasattr(result, "tolist"):
        shape = tuple(int(s) for s in result.shape)
        values = result.tolist() if math.prod(shape) <= 16 else None
        return ("tensor", shape, str(result.dtype).replace("autograd.", ""), values)
    if isinstance(result, (list, tuple)) and result and all(
            hasattr(x, "shape") and hasattr(x, "tolist") for x in result):
        return ("tensors", tuple(summarize(x) for x in result))
    if isinstance(result, tuple):
        return ("value", tuple(result))
    if isinstance(result, list):
        return ("value", [tuple(x) if isinstance(x, tuple) else x for x in result])
    if result is None or isinstance(result, (bool, int, float, str)):
        return ("value", result)
    return ("object", type(result).__name__)


def _close(a, b):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        try:
            return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-5,
                                                                      abs_tol=1e-6)
        except TypeError:
            return False
    return a == b


def same_result(ours, theirs):
    """Our summary against PyTorch's ("ok", kind, ...)."""
    return ours[0] == theirs[1] and _close(list(ours[1:]), list(theirs[2:]))


def names_op(op, message):
    """The message names the op (as a word; ``Conv2d`` also counts for ``conv2d``)."""
    return re.search(rf"(?<![\w.]){re.escape(op)}\b", message, re.IGNORECASE) is not None


def run(row):
    """("raises", exception) or ("ok", summary) for our framework."""
    try:
        return "ok", summarize(row.call())
    except Exception as e:          # noqa: BLE001  (every outcome is recorded)
        return "raises", e


OUTCOMES = ("framework error", "matches PyTorch", "clear builtin error", "raw error",
            "silently accepted or wrong")


def classify(row, got):
    """What the row got, in the issue's terms (see the module docstring)."""
    import autograd.errors
    kind, value = got
    if kind == "raises":
        if not names_op(row.op, str(value)):
            return "raw error"
        if isinstance(value, autograd.errors.AutogradError):
            return "framework error"
        return "clear builtin error" if type(value).__module__ == "builtins" else "raw error"
    theirs = PYTORCH[key(row)]
    if theirs[0] == "ok" and same_result(value, theirs):
        return "matches PyTorch"
    return "silently accepted or wrong"


def report(verbose=False):
    """Print, per outcome, how many rows got it (and the rows with ``verbose``)."""
    rows = table(namespace())
    counts, lines = Counter(), []
    for r in rows:
        got = run(r)
        outcome = classify(r, got)
        counts[outcome] += 1
        if verbose and outcome not in ("framework error", "matches PyTorch"):
            what = (f"{type(got[1]).__module__}.{type(got[1]).__name__}: {got[1]}"
                    if got[0] == "raises" else f"returned {got[1]}")
            lines.append(f"  [{outcome}] {key(r)} -> {what}"[:200])
    refused = sum(1 for r in rows if PYTORCH[key(r)][0] == "ok" and r.expect)
    print(f"{len(rows)} bad inputs over {len({r.api for r in rows})} entry points; PyTorch "
          f"raises on {sum(PYTORCH[key(r)][0] == 'raises' for r in rows)}, accepts "
          f"{sum(PYTORCH[key(r)][0] == 'ok' for r in rows)} ({refused} of those refused here "
          "on purpose)")
    for outcome in OUTCOMES:
        print(f"  {outcome:28s} {counts[outcome]}")
    print("\n".join(lines))
    return counts


# -- the tests ----------------------------------------------------------------------------------
import pytest  # noqa: E402  (below the table: the PyTorch run reads the table without pytest)

import autograd.errors as errors  # noqa: E402

ROWS = table(namespace())

#: Rows whose error class differs from the builtin PyTorch raises, on purpose: strings and
#: out-of-range ints are dtype problems here (PyTorch: ValueError), and a float padding_idx is
#: a type error (PyTorch's IndexError comes from indexing the weight with it).
TYPE_DIFFERS = {"tensor: strings", "tensor: int too large for int64",
                "nn.Embedding: padding_idx 1.5"}


def test_the_table_covers_the_public_api():
    assert len(ROWS) >= 250 and len({r.api for r in ROWS}) >= 80
    assert len({key(r) for r in ROWS}) == len(ROWS), "row names must be unique"
    assert set(PYTORCH) == {key(r) for r in ROWS}, "every row needs its PyTorch record"


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors:UserWarning")
@pytest.mark.parametrize("row", ROWS, ids=[key(r) for r in ROWS])
def test_bad_input(row):
    theirs = PYTORCH[key(row)]
    if row.expect is None:
        assert theirs[0] == "ok", f"PyTorch raises here ({theirs}): the row must expect an error"
        got = summarize(row.call())
        assert same_result(got, theirs), f"{key(row)}: got {got}, PyTorch gives {theirs[1:]}"
        return
    error = getattr(errors, row.expect)
    with pytest.raises(error) as info:
        row.call()
    message = str(info.value)
    assert names_op(row.op, message), f"the message should name {row.op!r}: {message}"
    if theirs[0] == "ok":
        assert "(refused)" in row.case, f"PyTorch accepts this ({theirs}); mark it (refused)"
    elif theirs[1] in ("TypeError", "ValueError", "IndexError") and key(row) not in TYPE_DIFFERS:
        builtin = {"TypeError": TypeError, "ValueError": ValueError,
                   "IndexError": IndexError}[theirs[1]]
        assert isinstance(info.value, builtin), \
            f"PyTorch raises {theirs[1]}; ours ({type(info.value).__name__}) should be one too"


if __name__ == "__main__":
    report(verbose="-v" in sys.argv)
