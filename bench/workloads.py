"""The benchmark's workloads, built the same way for every side (ours, PyTorch, numpy floor).

Nothing here imports a framework at module level: each builder takes a :class:`Sides` (the
modules a worker imported) so that a process can hold ours alone, PyTorch alone, or both.
Every builder returns ``{side: zero-argument callable or None}``; ``None`` means the side is
not available in this process. All float32, NCHW, the same arrays on every side.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

SIDES = ("ours", "torch", "numpy")
CHAIN_LINKS = 1000                      # 1,000 links = 2,000 ops (a mul and an add each)


class Sides:
    """The frameworks one process imports: ``np``, ``ag`` and ``nn`` (ours), ``torch``,
    ``floor`` (bench/numpy_floor.py). Pass ``want`` to import only some sides; a side that
    cannot be imported is left ``None`` (so the benchmark runs without PyTorch).

    Importing ours also applies its glibc allocator setting to the whole process
    (``autograd.tune_allocator()``, the programs' opt-in; older trees applied it on import), so
    every side of a worker runs with it (set ``AUTOGRAD_NO_MALLOPT=1`` to measure without).
    """

    def __init__(self, want=SIDES):
        import numpy as np
        for path in (HERE, ROOT):
            if path not in sys.path:
                sys.path.insert(0, path)
        self.np = np
        self.ag = self.nn = self.torch = self.floor = None
        if "ours" in want:
            import autograd
            import nn
            import nn.functional  # noqa: F401  (submodules: import them explicitly)
            import nn.models  # noqa: F401
            import nn.optim  # noqa: F401
            self.ag, self.nn = autograd, nn
            tune = getattr(autograd, "tune_allocator", None)
            if tune is not None and not os.environ.get("AUTOGRAD_NO_MALLOPT"):
                tune()
        if "torch" in want:
            try:
                import torch
                self.torch = torch
            except ImportError:
                pass
        if "numpy" in want:
            import numpy_floor
            self.floor = numpy_floor

    def available(self, side):
        return {"ours": self.ag, "torch": self.torch, "numpy": self.floor}[side] is not None


# -- per-op overhead: the op chain -----------------------------------------------------------
def chain_arrays(np, shape):
    """x (ones), b in [0.4, 0.6] (so y stays bounded), c in [-1, 1], the output seed (ones)."""
    rng = np.random.default_rng(0)
    x = np.ones(shape, np.float32)
    b = rng.uniform(0.4, 0.6, shape).astype(np.float32)
    c = rng.uniform(-1, 1, shape).astype(np.float32)
    return x, b, c, np.ones(shape, np.float32)


def _framework_chain(make, arrays, links, backward):
    """The chain on a framework whose tensors ``make(array, requires_grad)`` builds (ours and
    PyTorch share every call used here)."""
    x, b, c, seed = arrays
    xt, st = make(x, False), make(seed, False)
    bt, ct = make(b, True), make(c, True)

    def run():
        bt.grad = ct.grad = None
        y = xt
        for _ in range(links):
            y = y * bt + ct
        if backward:
            y.backward(st)
    return run


def _numpy_chain(floor, arrays, links, backward):
    x, b, c, _ = arrays
    if backward:
        return lambda: floor.chain(x, b, c, links)

    def run():
        y = x
        for _ in range(links):
            y = y * b + c
    return run


def op_chain(s, shape=(1,), backward=True, links=CHAIN_LINKS):
    """``links`` times ``y = y * b + c`` (``2 * links`` ops) from ``y = x``, b and c leaves
    requiring grad; with ``backward``, then ``y.backward(ones)`` (numpy: the hand-written
    reverse pass of :func:`numpy_floor.chain`). Tensors of ``shape``, float32."""
    arrays = chain_arrays(s.np, shape)
    out = dict.fromkeys(SIDES)
    if s.ag is not None:
        ag = s.ag
        out["ours"] = _framework_chain(lambda a, rg: ag.tensor(a, requires_grad=rg), arrays,
                                       links, backward)
    if s.torch is not None:
        torch = s.torch
        out["torch"] = _framework_chain(lambda a, rg: torch.tensor(a, requires_grad=rg),
                                        arrays, links, backward)
    if s.floor is not None:
        out["numpy"] = _numpy_chain(s.floor, arrays, links, backward)
    return out


# -- single ops: conv2d and max_pool2d -------------------------------------------------------
CONV_CASES = [  # name, input shape (N, C, H, W), out channels, kernel, padding
    ("LeNet conv1 64x1x28x28->6 5x5 p2", (64, 1, 28, 28), 6, 5, 2),
    ("LeNet conv2 64x6x14x14->16 5x5", (64, 6, 14, 14), 16, 5, 0),
    ("VGG block 16x64x56x56->64 3x3 p1", (16, 64, 56, 56), 64, 3, 1),
]
POOL_SHAPE = (64, 6, 28, 28)


def _op_on(module, tensor, op, arrays, out_grad, backward):
    """fwd (no grad) or fwd+bwd of ``op(*tensors)`` on a framework (ours or torch: the same
    calls), inputs from ``arrays``, the output gradient ``out_grad`` (an array)."""
    ts = [tensor(a, backward) for a in arrays]
    if not backward:
        def forward():
            with module.no_grad():
                op(*ts)
        return forward
    gt = tensor(out_grad, False)

    def forward_backward():
        for t in ts:
            t.grad = None
        op(*ts).backward(gt)
    return forward_backward


def _both(s, ours_op, torch_op, arrays, out_shape, backward):
    """{"ours": ..., "torch": ..., "numpy": None} closures of one op (see :func:`_op_on`)."""
    g = s.np.random.default_rng(1).standard_normal(out_shape).astype(s.np.float32)
    out = dict.fromkeys(SIDES)
    if s.ag is not None:
        ag = s.ag
        out["ours"] = _op_on(ag, lambda a, rg: ag.tensor(a, requires_grad=rg), ours_op,
                             arrays, g, backward)
    if s.torch is not None:
        torch = s.torch
        out["torch"] = _op_on(torch, lambda a, rg: torch.tensor(a, requires_grad=rg),
                              torch_op, arrays, g, backward)
    return out


def conv_arrays(np, shape, out_ch, k):
    """Input, weight (scaled by 1/sqrt(fan-in)) and bias of a conv case, float32."""
    rng = np.random.default_rng(0)
    c = shape[1]
    x = rng.standard_normal(shape).astype(np.float32)
    weight = (rng.standard_normal((out_ch, c, k, k)) / np.sqrt(c * k * k)).astype(np.float32)
    return x, weight, rng.standard_normal(out_ch).astype(np.float32)


def conv_flop(shape, out_ch, k, pad, backward):
    """Multiply-adds x 2 of the conv (forward + backward = 3x the forward)."""
    n, c, h, w = shape
    oh, ow = h + 2 * pad - k + 1, w + 2 * pad - k + 1
    return 2 * n * out_ch * oh * ow * c * k * k * (3 if backward else 1)


def conv(s, shape, out_ch, k, pad, backward):
    """conv2d (stride 1) with input, weight and bias gradients on ours and PyTorch."""
    n, _, h, w = shape
    out_shape = (n, out_ch, h + 2 * pad - k + 1, w + 2 * pad - k + 1)
    ours = (lambda x, wt, b: s.ag.conv2d(x, wt, b, padding=pad)) if s.ag else None
    theirs = ((lambda x, wt, b: s.torch.nn.functional.conv2d(x, wt, b, padding=pad))
              if s.torch else None)
    return _both(s, ours, theirs, conv_arrays(s.np, shape, out_ch, k), out_shape, backward)


def max_pool(s, backward):
    """max_pool2d 2x2 stride 2 on POOL_SHAPE, ours and PyTorch."""
    x = s.np.random.default_rng(0).standard_normal(POOL_SHAPE).astype(s.np.float32)
    n, c, h, w = POOL_SHAPE
    ours = (lambda t: s.ag.max_pool2d(t, 2, 2)) if s.ag else None
    theirs = (lambda t: s.torch.nn.functional.max_pool2d(t, 2, 2)) if s.torch else None
    return _both(s, ours, theirs, (x,), (n, c, h // 2, w // 2), backward)


def matmul_peak(s, n):
    """numpy's and PyTorch's float32 n x n matmul (the machine's GEMM rate)."""
    a = s.np.random.default_rng(0).standard_normal((n, n)).astype(s.np.float32)
    b = a.T.copy()
    out = dict.fromkeys(SIDES)
    out["numpy"] = lambda: a @ b
    if s.torch is not None:
        ta, tb = s.torch.from_numpy(a), s.torch.from_numpy(b)
        out["torch"] = lambda: ta @ tb
    return out


# -- LeNet-5 on the three sides, the same weights and data -----------------------------------
LENET_PARAMS = ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight",
                "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"]
TRAIN_BATCH, INFER_BATCH = 64, 256
LR, MOMENTUM = 0.01, 0.9


def torch_lenet(torch):
    """PyTorch's twin of nn.models.lenet5(): conv 6@5x5 p2, pool 2, conv 16@5x5, pool 2, FC
    120-84-10, ReLU after every layer but the last (ReLU before each pool, as ours)."""
    tnn = torch.nn

    class LeNet5(tnn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = tnn.Conv2d(1, 6, 5, padding=2)
            self.conv2 = tnn.Conv2d(6, 16, 5)
            self.fc1, self.fc2 = tnn.Linear(400, 120), tnn.Linear(120, 84)
            self.fc3 = tnn.Linear(84, 10)

        def forward(self, x):
            f = tnn.functional
            x = f.max_pool2d(f.relu(self.conv1(x)), 2, 2)
            x = f.max_pool2d(f.relu(self.conv2(x)), 2, 2)
            x = f.relu(self.fc1(x.flatten(1)))
            return self.fc3(f.relu(self.fc2(x)))

    return LeNet5()


def lenet_batch(np, batch):
    """A batch of random 28x28 images (N, 1, 28, 28) float32 and labels (N,) int64."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 1, 28, 28)).astype(np.float32)
    return x, rng.integers(0, 10, batch).astype(np.int64)


def _ours_lenet(s, params):
    ag, nn = s.ag, s.nn
    model = nn.models.lenet5()
    named = dict(model.named_parameters())
    with ag.no_grad():
        for key in LENET_PARAMS:
            named[key].copy_(ag.from_numpy(params[key]))
    opt = nn.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    return model, opt, nn.functional.cross_entropy, ag.from_numpy, ag.no_grad


def _torch_lenet(s, params):
    torch = s.torch
    model = torch_lenet(torch)
    with torch.no_grad():
        for key, p in model.named_parameters():
            p.copy_(torch.from_numpy(params[key]))
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    return model, opt, torch.nn.functional.cross_entropy, torch.from_numpy, torch.no_grad


def _framework_step(model, opt, loss_fn, x, y):
    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def _framework_predict(model, no_grad, x):
    def predict():
        with no_grad():
            return model(x)
    return predict


def lenet(s, training, batch=None, sides=SIDES):
    """LeNet-5 training steps (zero_grad, forward, cross-entropy, backward, SGD momentum 0.9;
    each returns the loss) or inference forwards (no grad) on each of ``sides`` available in
    ``s``, all starting from the numpy floor's initial weights, on the same batch.

    ``s.floor`` must be imported (it holds the initial weights), even when ``sides`` leaves
    the numpy floor out.
    """
    batch = batch or (TRAIN_BATCH if training else INFER_BATCH)
    x, y = lenet_batch(s.np, batch)
    floor = s.floor.LeNet5(lr=LR, momentum=MOMENTUM)
    out = dict.fromkeys(SIDES)
    if "numpy" in sides:
        out["numpy"] = (lambda: floor.step(x, y)) if training else (lambda: floor.predict(x))
    for side, build in (("ours", _ours_lenet), ("torch", _torch_lenet)):
        if side not in sides or not s.available(side):
            continue
        model, opt, loss_fn, wrap, no_grad = build(s, floor.params)
        out[side] = (_framework_step(model, opt, loss_fn, wrap(x), wrap(y)) if training
                     else _framework_predict(model, no_grad, wrap(x)))
    return out


def lenet_flops(s, training):
    return s.floor.lenet_flops(TRAIN_BATCH if training else INFER_BATCH, training)


def _scalar(loss):
    return loss if isinstance(loss, float) else loss.item()


def lenet_agreement(s, steps=3):
    """Max |loss - the numpy floor's loss| over ``steps`` training steps per side (batch 16,
    the same weights and data): the sides compute the same thing."""
    steps_of = lenet(s, True, batch=16)
    losses = {side: [_scalar(fn()) for _ in range(steps)]
              for side, fn in steps_of.items() if fn is not None}
    return {side: max(abs(a - b) for a, b in zip(ls, losses["numpy"]))
            for side, ls in losses.items() if side != "numpy"}


# -- the workload groups, as the benchmark's rows --------------------------------------------
GROUPS = ("peak", "perop", "conv", "pool", "lenet")


def _passes(backward):
    return "fwd+bwd" if backward else "fwd"


def cases(s, group, quick=False):
    """The rows of a workload group: (name, info, {side: callable or None}). ``info`` holds
    the row's unit ("us/op", "ms", "img/s" or "GFLOP/s") and what converts seconds per call
    into it (``ops``, ``batch``, ``flop``: multiply-adds count 2)."""
    if group == "peak":
        n = 1024 if quick else 2048
        yield f"float32 matmul {n}x{n} (GEMM rate)", dict(unit="GFLOP/s", flop=2 * n ** 3), \
            matmul_peak(s, n)
    elif group == "perop":
        for shape in ((1,), (16, 16)):
            for backward in (False, True):
                yield (f"op chain {'x'.join(map(str, shape))} {_passes(backward)}",
                       dict(unit="us/op", ops=2 * CHAIN_LINKS), op_chain(s, shape, backward))
    elif group == "conv":
        for name, shape, out_ch, k, pad in CONV_CASES:
            for backward in (False, True):
                yield (f"conv2d {name} {_passes(backward)}",
                       dict(unit="ms", flop=conv_flop(shape, out_ch, k, pad, backward)),
                       conv(s, shape, out_ch, k, pad, backward))
    elif group == "pool":
        for backward in (False, True):
            yield (f"max_pool2d 2x2/2 {'x'.join(map(str, POOL_SHAPE))} {_passes(backward)}",
                   dict(unit="ms"), max_pool(s, backward))
    elif group == "lenet":
        yield (f"LeNet-5 train step batch {TRAIN_BATCH}",
               dict(unit="img/s", batch=TRAIN_BATCH, flop=lenet_flops(s, True)), lenet(s, True))
        yield (f"LeNet-5 inference batch {INFER_BATCH}",
               dict(unit="img/s", batch=INFER_BATCH, flop=lenet_flops(s, False)),
               lenet(s, False))
    else:
        raise ValueError(f"unknown workload group {group!r}; choose among {GROUPS}")
