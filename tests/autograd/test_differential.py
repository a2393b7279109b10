"""Differential test against a reference interpreter in plain numpy (issue 11, "Must show").

Hypothesis draws small programs (2-8 ops) of the framework's ops: unary ufuncs, scalar and
binary ops with broadcasting shapes, reductions with dims/keepdim, reshape/permute/indexing,
matmul, the softmax family, and conv2d/max_pool2d/avg_pool2d with random geometry (kernel,
stride, padding, dilation, groups, ceil_mode, count_include_pad). Each program runs

(a) in the framework, float64, with backward of ``sum(out * R)`` for a fixed random R, and
(b) in the reference interpreter below: numpy only, direct loops/einsum for conv and pool,
    nothing shared with autograd's code, PyTorch's semantics (e.g. indexing applies integer
    indices before index arrays; pooling output sizes and avg-pool divisors as in ATen).

It compares the forward values, and the framework's gradients with central differences of
the reference in float64 (every element for small inputs, random directions for larger ones).
This is the in-suite guard against the defect classes the fuzzing against PyTorch found.

The reference interpreter was checked against torch 2.13.0 (forward values and gradients) on
random programs from these strategies, outside the suite; the suite never imports torch. On a
failure hypothesis shrinks to a minimal program and prints it in the form ``v2 = sum(v1, ...)``.
"""

from dataclasses import dataclass, field

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag

EPS = 1e-6              # central-difference step (float64)
FULL_CHECK_MAX = 40     # inputs up to this size get every partial derivative checked
DIRECTIONS = 3          # random directions per larger input
VALUE_LIMIT = 1e3       # programs whose values leave [-1e3, 1e3] are discarded (exp chains)


# == programs ===================================================================================
@dataclass
class Input:
    name: str
    shape: tuple
    positive: bool = False          # values in [0.5, 1.5] rather than [-1, 1]


@dataclass
class Step:
    name: str
    op: str
    args: tuple                     # names of inputs or earlier steps
    params: dict = field(default_factory=dict)


class Program:
    """Inputs, then steps; the last step is the output. Printed as code (hypothesis shows
    this on a failure)."""

    def __init__(self, seed, inputs, steps):
        self.seed, self.inputs, self.steps = seed, inputs, steps

    @property
    def output(self):
        return self.steps[-1].name

    def __repr__(self):
        lines = [f"Program(seed={self.seed}):"]
        for i in self.inputs:
            lines.append(f"    {i.name} = input({i.shape}{', positive' if i.positive else ''})")
        for s in self.steps:
            params = [f"{k}={show(v) if k == 'index' else repr(v)}" for k, v in s.params.items()]
            lines.append(f"    {s.name} = {s.op}({', '.join(list(s.args) + params)})")
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle):     # hypothesis's printer: use the code form
        printer.text(repr(self))


def show(index):
    """An index tuple as it is written: [0, :, [1, 2]]."""
    def one(i):
        if isinstance(i, slice):
            text = f"{'' if i.start is None else i.start}:{'' if i.stop is None else i.stop}"
            return text + (f":{i.step}" if i.step not in (None, 1) else "")
        return repr(i)
    return "[" + ", ".join(one(i) for i in index) + "]"


# == the reference interpreter (numpy only) =====================================================
def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def axes(a, dim):
    """``dim`` (None, int or tuple) as a tuple of non-negative axes of ``a``."""
    if dim is None:
        return tuple(range(a.ndim))
    dims = (dim,) if isinstance(dim, int) else dim
    return tuple(sorted(d % a.ndim for d in dims))


def reduce(fn, a, dim, keepdim, **kw):
    if a.ndim == 0:                 # PyTorch: dim 0 / -1 of a 0-d tensor is the tensor itself
        return fn(a, **kw) if dim is None else a.copy()
    return fn(a, axis=axes(a, dim), keepdims=keepdim, **kw)


def logsumexp(a, dim, keepdim):
    if a.ndim == 0:
        return a.copy()
    ax = axes(a, dim)
    m = np.max(a, axis=ax, keepdims=True)
    out = m + np.log(np.sum(np.exp(a - m), axis=ax, keepdims=True))
    return out if keepdim else np.squeeze(out, axis=ax)


def softmax(a, dim):
    if a.ndim == 0:
        return np.ones_like(a)
    e = np.exp(a - np.max(a, axis=dim, keepdims=True))
    return e / np.sum(e, axis=dim, keepdims=True)


def log_softmax(a, dim):
    if a.ndim == 0:
        return np.zeros_like(a)
    return a - logsumexp(a, dim, keepdim=True)


def flatten(a, start, end):
    if a.ndim == 0:
        return a.reshape(1)
    start, end = start % a.ndim, end % a.ndim
    return a.reshape(a.shape[:start] + (int(np.prod(a.shape[start:end + 1])),) + a.shape[end + 1:])


def torch_index(a, index):
    """PyTorch's indexing: integers select (and drop) their axis first, then the remaining
    slices and the one index list index as numpy does with a single advanced index."""
    axis, rest = 0, []
    for item in index:
        if isinstance(item, int):
            a = np.take(a, item, axis=axis)
        else:
            rest.append(item)
            axis += 1
    return a[tuple(rest)] if rest else a.copy()


def pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1, groups=1):
    """Cross-correlation, one output pixel at a time (einsum over the window and channels)."""
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    og = o // groups
    out = np.zeros((n, o, oh, ow))
    for g in range(groups):
        xg, wg = xp[:, g * cg:(g + 1) * cg], w[g * og:(g + 1) * og]
        for i in range(oh):
            for j in range(ow):
                window = xg[:, :, i * sh:i * sh + dh * (kh - 1) + 1:dh,
                            j * sw:j * sw + dw * (kw - 1) + 1:dw]
                out[:, g * og:(g + 1) * og, i, j] = np.einsum("nckl,ockl->no", window, wg)
    return out if b is None else out + b.reshape(1, o, 1, 1)


def pool_out(size, k, s, p, d, ceil_mode):
    """ATen's pooling_output_shape."""
    out = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    (kh, kw), (ph, pw), (dh, dw) = pair(kernel_size), pair(padding), pair(dilation)
    sh, sw = pair(kernel_size if stride is None else stride)
    h, w = x.shape[2:]
    oh, ow = pool_out(h, kh, sh, ph, dh, ceil_mode), pool_out(w, kw, sw, pw, dw, ceil_mode)
    out = np.full(x.shape[:2] + (oh, ow), -np.inf)
    for i in range(oh):
        for j in range(ow):
            rows = [r for r in range(i * sh - ph, i * sh - ph + dh * kh, dh) if 0 <= r < h]
            cols = [c for c in range(j * sw - pw, j * sw - pw + dw * kw, dw) if 0 <= c < w]
            out[:, :, i, j] = x[:, :, rows][:, :, :, cols].max(axis=(2, 3))
    return out


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    (kh, kw), (ph, pw) = pair(kernel_size), pair(padding)
    sh, sw = pair(kernel_size if stride is None else stride)
    h, w = x.shape[2:]
    oh, ow = pool_out(h, kh, sh, ph, 1, ceil_mode), pool_out(w, kw, sw, pw, 1, ceil_mode)
    out = np.zeros(x.shape[:2] + (oh, ow))
    for i in range(oh):
        for j in range(ow):
            h0, w0 = i * sh - ph, j * sw - pw
            h1, w1 = min(h0 + kh, h + ph), min(w0 + kw, w + pw)
            padded_count = (h1 - h0) * (w1 - w0)          # the window, clipped to the padding
            h0, w0, h1, w1 = max(h0, 0), max(w0, 0), min(h1, h), min(w1, w)
            total = x[:, :, h0:h1, w0:w1].sum(axis=(2, 3))
            out[:, :, i, j] = total / (padded_count if count_include_pad else
                                       (h1 - h0) * (w1 - w0))
    return out


REFERENCE = {
    "exp": np.exp, "tanh": np.tanh, "sigmoid": sigmoid, "relu": lambda a: np.maximum(a, 0.0),
    "abs": np.abs, "neg": np.negative, "square": lambda a: a * a, "log": np.log, "sqrt": np.sqrt,
    "add_scalar": lambda a, c: a + c, "mul_scalar": lambda a, c: a * c,
    "rsub_scalar": lambda a, c: c - a, "rdiv_scalar": lambda a, c: c / a,
    "pow_scalar": lambda a, p: a ** p,
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
    "maximum": np.maximum, "minimum": np.minimum,
    "sum": lambda a, dim, keepdim: reduce(np.sum, a, dim, keepdim),
    "mean": lambda a, dim, keepdim: reduce(np.mean, a, dim, keepdim),
    "var": lambda a, dim, keepdim: reduce(np.var, a, dim, keepdim, ddof=1),
    "amax": lambda a, dim, keepdim: reduce(np.max, a, dim, keepdim),
    "max_values": lambda a, dim, keepdim: reduce(np.max, a, dim, keepdim),
    "logsumexp": logsumexp, "sum_all": lambda a: np.sum(a),
    "softmax": softmax, "log_softmax": log_softmax,
    "reshape": lambda a, shape: a.reshape(shape), "permute": lambda a, dims: a.transpose(dims),
    "transpose": lambda a, dim0, dim1: np.swapaxes(a, dim0, dim1), "flatten": flatten,
    "unsqueeze": lambda a, dim: np.expand_dims(a, dim % (a.ndim + 1)),
    "squeeze": lambda a, dim: np.squeeze(a, axis=dim),
    "expand": lambda a, shape: np.broadcast_to(a, shape).copy(), "getitem": torch_index,
    "matmul": np.matmul,
    "conv2d": conv2d, "max_pool2d": max_pool2d, "avg_pool2d": avg_pool2d,
}

# == the same programs in the framework =========================================================
FRAMEWORK = {
    "exp": lambda t: t.exp(), "tanh": lambda t: t.tanh(), "sigmoid": lambda t: t.sigmoid(),
    "relu": lambda t: t.relu(), "abs": lambda t: t.abs(), "neg": lambda t: -t,
    "square": lambda t: t * t, "log": lambda t: t.log(), "sqrt": lambda t: t.sqrt(),
    "add_scalar": lambda t, c: t + c, "mul_scalar": lambda t, c: t * c,
    "rsub_scalar": lambda t, c: c - t, "rdiv_scalar": lambda t, c: c / t,
    "pow_scalar": lambda t, p: t ** p,
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b, "maximum": ag.maximum, "minimum": ag.minimum,
    "sum": lambda t, dim, keepdim: t.sum(dim, keepdim=keepdim),
    "mean": lambda t, dim, keepdim: t.mean(dim, keepdim=keepdim),
    "var": lambda t, dim, keepdim: t.var(dim, keepdim=keepdim),
    "amax": lambda t, dim, keepdim: t.amax(dim, keepdim=keepdim),
    "max_values": lambda t, dim, keepdim: t.max(dim, keepdim=keepdim).values,
    "logsumexp": lambda t, dim, keepdim: t.logsumexp(dim, keepdim=keepdim),
    "sum_all": lambda t: t.sum(),
    "softmax": lambda t, dim: t.softmax(dim), "log_softmax": lambda t, dim: t.log_softmax(dim),
    "reshape": lambda t, shape: t.reshape(shape), "permute": lambda t, dims: t.permute(*dims),
    "transpose": lambda t, dim0, dim1: t.transpose(dim0, dim1),
    "flatten": lambda t, start, end: t.flatten(start, end),
    "unsqueeze": lambda t, dim: t.unsqueeze(dim), "squeeze": lambda t, dim: t.squeeze(dim),
    "expand": lambda t, shape: t.expand(*shape), "getitem": lambda t, index: t[index],
    "matmul": lambda a, b: a @ b,
    "conv2d": lambda x, w, b=None, **geometry: ag.conv2d(x, w, b, **geometry),
    "max_pool2d": lambda x, **geometry: ag.max_pool2d(x, **geometry),
    "avg_pool2d": lambda x, **geometry: ag.avg_pool2d(x, **geometry),
}

POSITIVE_RESULTS = {"exp", "sigmoid", "softmax"}   # strictly positive: log/sqrt/div may follow


def evaluate(table, program, values):
    """Run ``program`` with the op ``table``; ``values`` maps input names to their values."""
    env = dict(values)
    for s in program.steps:
        env[s.name] = table[s.op](*(env[a] for a in s.args), **s.params)
    return env


def evaluate_reference(program, values):
    # overflow (exp of exp ...) gives inf here; check_program then discards the program
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return evaluate(REFERENCE, program, values)


# == drawing programs ===========================================================================
class Builder:
    """Grows a program one op at a time, knowing each value's shape (from the reference
    interpreter run on ones, so the generator and the reference cannot disagree)."""

    def __init__(self, draw, seed):
        self.draw, self.program = draw, Program(seed, [], [])
        self.shape, self.positive = {}, {}

    def input(self, shape, positive=False):
        name = f"x{len(self.program.inputs)}"
        self.program.inputs.append(Input(name, tuple(shape), positive))
        self.shape[name], self.positive[name] = tuple(shape), positive
        return name

    def step(self, op, *args, **params):
        name = f"v{len(self.program.steps) + 1}"
        self.program.steps.append(Step(name, op, args, params))
        ones = [np.ones(self.shape[a]) for a in args]
        self.shape[name] = np.shape(REFERENCE[op](*ones, **params))
        self.positive[name] = op in POSITIVE_RESULTS
        return name

    def pick(self, options):
        return self.draw(st.sampled_from(options))

    def integer(self, lo, hi):
        return self.draw(st.integers(lo, hi))

    def flag(self):
        return self.draw(st.booleans())


def broadcast_partner(b, shape):
    """A shape that broadcasts with ``shape``: some of its trailing dims, each kept or set to
    1, and perhaps a new leading dim (then the result is larger than ``shape``)."""
    keep = b.integer(0, len(shape))
    tail = tuple(1 if b.flag() else s for s in shape[len(shape) - keep:])
    if keep == len(shape) and len(shape) < 3 and b.flag():
        tail = (b.integer(1, 3),) + tail
    return tail


def op_unary(b, cur):
    names = ["exp", "tanh", "sigmoid", "relu", "abs", "neg", "square"]
    return b.step(b.pick(names + (["log", "sqrt"] if b.positive[cur] else [])), cur)


def op_scalar(b, cur):
    op = b.pick(["add_scalar", "mul_scalar", "rsub_scalar", "pow_scalar"]
                + (["rdiv_scalar"] if b.positive[cur] else []))
    if op == "pow_scalar":
        return b.step(op, cur, p=b.pick([2, 3] + ([0.5, 1.5] if b.positive[cur] else [])))
    return b.step(op, cur, c=b.pick([0.5, 2.0, -1.5]))


def op_binary(b, cur):
    op = b.pick(["add", "sub", "mul", "maximum", "minimum", "div"])
    # any value so far whose shape broadcasts with cur's (cur itself too: x * x)
    partners = [n for n in b.shape if _broadcasts(b.shape[n], b.shape[cur])
                and (op != "div" or b.positive[n])]
    if partners and b.flag():
        other = b.pick(partners)
    else:
        other = b.input(broadcast_partner(b, b.shape[cur]), positive=op == "div")
    if op == "div" or b.flag():
        return b.step(op, cur, other)
    return b.step(op, other, cur)


def _broadcasts(s1, s2):
    return all(a == c or a == 1 or c == 1 for a, c in zip(reversed(s1), reversed(s2)))


def op_reduce(b, cur):
    shape, keepdim = b.shape[cur], b.flag()
    if not shape:                               # 0-d: PyTorch accepts dim 0 and -1
        op = b.pick(["sum", "mean", "amax", "max_values", "logsumexp"])
        return b.step(op, cur, dim=b.pick([0, -1]), keepdim=keepdim)
    op = b.pick(["sum", "mean", "amax", "max_values", "logsumexp", "var", "sum_all"])
    if op == "sum_all":
        return b.step(op, cur)
    nd = len(shape)
    if op in ("sum", "mean", "var") and b.flag():
        dims = tuple(sorted(b.draw(st.sets(st.integers(0, nd - 1), min_size=1, max_size=nd))))
        dim = tuple(d - nd if b.flag() else d for d in dims)
    else:
        dim = b.integer(-nd, nd - 1)
    if op == "var" and int(np.prod([shape[d] for d in axes(np.ones(shape), dim)])) < 2:
        op = "sum"                              # unbiased var needs two values
    return b.step(op, cur, dim=dim, keepdim=keepdim)


def op_softmax(b, cur):
    nd = len(b.shape[cur])
    dim = b.pick([0, -1]) if nd == 0 else b.integer(-nd, nd - 1)
    return b.step(b.pick(["softmax", "log_softmax"]), cur, dim=dim)


def op_shape(b, cur):
    shape = b.shape[cur]
    nd = len(shape)
    options = ["reshape", "flatten", "unsqueeze"]
    if nd >= 2:
        options += ["permute", "transpose"]
    if 1 in shape:
        options += ["squeeze"]
    if nd < 3:
        options += ["expand"]
    op = b.pick(options)
    if op == "reshape":
        size = int(np.prod(shape))
        new = b.pick([(size,), tuple(reversed(shape)), (1,) + shape, shape + (1,)]
                     + ([(shape[0], -1)] if nd >= 2 else []))
        return b.step(op, cur, shape=new)
    if op == "flatten":
        if nd == 0:
            return b.step(op, cur, start=0, end=-1)
        start = b.integer(0, nd - 1)
        return b.step(op, cur, start=start, end=b.integer(start, nd - 1))
    if op == "unsqueeze":
        return b.step(op, cur, dim=b.integer(-nd - 1, nd))
    if op == "permute":
        return b.step(op, cur, dims=tuple(b.draw(st.permutations(range(nd)))))
    if op == "transpose":
        return b.step(op, cur, dim0=b.integer(-nd, nd - 1), dim1=b.integer(-nd, nd - 1))
    if op == "squeeze":
        return b.step(op, cur, dim=b.pick([d for d, s in enumerate(shape) if s == 1]))
    new = tuple(b.integer(2, 3) if s == 1 else s for s in shape)   # grow the size-1 dims
    if new == shape or b.flag():
        new = (b.integer(1, 2),) + new                              # and/or add a leading dim
    return b.step(op, cur, shape=new)


def op_index(b, cur):
    """``cur[index]``: basic (ints and slices), one index list, or the mixed case of an int and
    an index list separated by a slice (where PyTorch and numpy place the axis differently)."""
    shape = b.shape[cur]
    nd = len(shape)
    if nd == 0:
        return op_shape(b, cur)
    kind = b.pick(["basic", "list"] + (["mixed"] if nd >= 3 else []))
    if kind == "mixed":
        first = b.integer(0, nd - 3)
        index = [slice(None)] * first + [b.integer(-shape[first], shape[first] - 1),
                                         slice(None), _index_list(b, shape[first + 2])]
        return b.step("getitem", cur, index=tuple(index))
    if kind == "list":
        at = b.integer(0, nd - 1)
        return b.step("getitem", cur, index=(slice(None),) * at + (_index_list(b, shape[at]),))
    index = []
    for s in shape[:b.integer(1, nd)]:
        if b.flag():
            index.append(b.integer(-s, s - 1))
        else:
            start = b.integer(0, s - 1)
            index.append(slice(start, b.integer(start + 1, s), b.integer(1, 2)))
    return b.step("getitem", cur, index=tuple(index))


def _index_list(b, size):
    return b.draw(st.lists(st.integers(-size, size - 1), min_size=1, max_size=3))


def op_matmul(b, cur):
    shape = b.shape[cur]
    if not 1 <= len(shape) <= 3:
        return op_unary(b, cur)
    k = shape[-1]
    rhs = b.pick([(k,), (k, b.integer(1, 3))] + ([(shape[0], k, 2)] if len(shape) == 3 else []))
    return b.step("matmul", cur, b.input(rhs))


def op_image(b, cur):
    """conv2d, max_pool2d or avg_pool2d with random geometry that fits the image."""
    n, c, h, w = b.shape[cur]
    op = b.pick(["conv2d", "max_pool2d", "avg_pool2d"])
    if op == "conv2d":
        groups = b.pick([g for g in (1, 2, 3) if c % g == 0])
        out_channels = groups * b.integer(1, 2)
        kernel, dilation, padding = [], [], []
        for size in (h, w):                     # the least padding that fits is at most 2
            k, d = b.integer(1, 3), b.integer(1, 2)
            least = max(0, -(-(d * (k - 1) + 1 - size) // 2))
            kernel.append(k), dilation.append(d), padding.append(b.integer(least, 2))
        weight = b.input((out_channels, c // groups) + tuple(kernel))
        bias = (b.input((out_channels,)),) if b.flag() else ()
        return b.step(op, cur, weight, *bias, stride=b.pick([1, 2, (1, 2), (2, 1)]),
                      padding=tuple(padding), dilation=tuple(dilation), groups=groups)
    k = b.integer(1, min(3, h, w))              # fits without padding
    geometry = dict(kernel_size=k, stride=b.pick([None, 1, 2, 3]),
                    padding=b.integer(0, k // 2),  # PyTorch: at most half the kernel
                    ceil_mode=b.flag())
    if op == "max_pool2d":
        d = b.integer(1, 2)
        geometry["dilation"] = d if d * (k - 1) + 1 <= min(h, w) else 1
    else:
        geometry["count_include_pad"] = b.flag()
    return b.step(op, cur, **geometry)


GENERAL_OPS = [op_unary, op_scalar, op_binary, op_reduce, op_shape, op_index, op_matmul,
               op_softmax]


@st.composite
def programs(draw, start, first_op=None):
    """A program of 2-8 ops from a ``start`` input: 'general' (0-3 dims), 'cube' (3 dims of
    2-4) or 'image' (NCHW, H and W of 3-7)."""
    b = Builder(draw, draw(st.integers(0, 2 ** 32 - 1)))
    if start == "image":
        cur = b.input((draw(st.integers(1, 2)), draw(st.integers(1, 4)),
                       draw(st.integers(3, 7)), draw(st.integers(3, 7))))
    elif start == "cube":
        cur = b.input(tuple(draw(st.lists(st.integers(2, 4), min_size=3, max_size=3))))
    else:
        cur = b.input(tuple(draw(st.lists(st.integers(1, 4), min_size=0, max_size=3))))
    if first_op is not None:
        cur = first_op(b, cur)
    # "one more op?" before each op after the second, as st.lists does: lets hypothesis shrink
    # a failing program by deleting whole ops
    while len(b.program.steps) < 2 or (len(b.program.steps) < 8 and draw(st.booleans())):
        if len(b.shape[cur]) == 4 and draw(st.booleans()):
            cur = op_image(b, cur)
        else:
            cur = b.pick(GENERAL_OPS)(b, cur)
    return b.program


# == running and comparing ======================================================================
def input_values(program):
    rng = np.random.default_rng(program.seed)
    return {i.name: rng.uniform(0.5, 1.5, i.shape) if i.positive else rng.uniform(-1, 1, i.shape)
            for i in program.inputs}


def loss(program, values, weights):
    return float(np.sum(evaluate_reference(program, values)[program.output] * weights))


def check_gradient(program, values, weights, name, analytic):
    """Compare d loss / d input ``name`` with central differences of the reference."""
    x = values[name]

    def f(v):
        return loss(program, {**values, name: v}, weights)

    atol = 1e-6 * max(1.0, abs(f(x)))
    if x.size <= FULL_CHECK_MAX:
        numeric = np.zeros_like(x)
        for i in range(x.size):
            e = np.zeros_like(x)
            e.flat[i] = EPS
            numeric.flat[i] = (f(x + e) - f(x - e)) / (2 * EPS)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=atol,
                                   err_msg=f"d loss / d {name}: framework vs central differences")
        return
    rng = np.random.default_rng(program.seed + 1)
    for _ in range(DIRECTIONS):
        v = rng.standard_normal(x.shape)
        v /= np.linalg.norm(v)
        numeric = (f(x + EPS * v) - f(x - EPS * v)) / (2 * EPS)
        along = float(np.sum(analytic * v))
        assert abs(along - numeric) <= 1e-5 * abs(numeric) + atol, (
            f"d loss / d {name} along a random direction: framework {along!r}, "
            f"central differences {numeric!r}")


def check_program(program):
    values = input_values(program)
    reference = evaluate_reference(program, values)
    assume(all(np.all(np.isfinite(v)) and np.all(np.abs(v) <= VALUE_LIMIT)
               for v in reference.values()))
    expected = reference[program.output]

    leaves = {n: ag.tensor(v, requires_grad=True) for n, v in values.items()}
    out = evaluate(FRAMEWORK, program, leaves)[program.output]
    assert out.shape == expected.shape, \
        f"{program.output}: framework shape {out.shape}, reference {expected.shape}"
    assert out.dtype == np.float64, f"{program.output}: dtype {out.dtype}, expected float64"
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-9, atol=1e-12,
                               err_msg=f"{program.output}: forward values")

    weights = np.random.default_rng(program.seed + 2).standard_normal(expected.shape)
    (out * ag.tensor(weights)).sum().backward()
    for name, leaf in leaves.items():
        analytic = np.zeros(leaf.shape) if leaf.grad is None else leaf.grad.numpy()
        assert analytic.shape == leaf.shape, f"{name}.grad has shape {analytic.shape}"
        check_gradient(program, values, weights, name, analytic)


@settings(derandomize=True, deadline=None, report_multiple_bugs=False)
@given(programs("general"))
def test_programs_of_elementwise_reduction_shape_and_matmul_ops(program):
    check_program(program)


@settings(derandomize=True, deadline=None, report_multiple_bugs=False)
@given(programs("image", first_op=op_image))
def test_programs_with_conv2d_and_pooling(program):
    check_program(program)


@settings(derandomize=True, deadline=None, report_multiple_bugs=False)
@given(programs("cube", first_op=op_index))
def test_programs_that_start_by_indexing(program):
    check_program(program)
