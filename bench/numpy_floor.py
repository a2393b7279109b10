"""Hand-written numpy baselines: how fast plain numpy can go on the benchmark's workloads.

No graph, no Tensor, no autograd: the forward pass keeps exactly what its hand-written reverse
pass needs, and the reverse pass is the chain rule typed out. These are the floors that
``bench/run.py`` prints beside this framework and PyTorch; they are not part of the library.

* :func:`chain` - the per-op overhead workload ``y = y * b + c`` repeated, forward and reverse.
* :class:`LeNet5` - LeNet-5 (ReLU, max pooling; the layout of ``nn.models.lenet5``) with its
  forward, backward, cross-entropy and SGD-with-momentum step in plain numpy.

The LeNet floor works in NHWC internally (with one input channel NCHW and NHWC coincide), so
every convolution is one im2col copy plus one GEMM whose result is already in the next layer's
layout, and it applies each ReLU *after* the 2x2 max pool (max and ReLU commute, so the result
is identical while the ReLU touches 4x fewer values). Everything is float32.

Source of the architecture: LeCun et al. 1998 (see ``nn/models/lenet.py``); SGD momentum as in
PyTorch's ``torch.optim.SGD`` (``buf = momentum * buf + grad; p -= lr * buf``).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = ["chain", "LeNet5", "lenet_flops"]


# -- per-op overhead floor -------------------------------------------------------------------
def chain(x, b, c, links):
    """``links`` times ``y = y * b + c`` from ``y = x``, then d(sum y)/db and d(sum y)/dc.

    Returns (y, grad_b, grad_c); 2 * links ops forward (a mul and an add per link).
    """
    inputs = [None] * links         # the y each mul saw: d(y*b)/db = y
    y = x
    for i in range(links):
        inputs[i] = y
        y = y * b + c
    gy = np.ones_like(y)
    gb = np.zeros_like(b)
    gc = np.zeros_like(c)
    for i in range(links - 1, -1, -1):
        gc += gy
        gb += gy * inputs[i]
        gy = gy * b
    return y, gb, gc


# -- LeNet-5 floor ---------------------------------------------------------------------------
def _im2col(x, k, pad):
    """NHWC ``x`` -> (N*OH*OW, C*k*k) patches (channel-major inside a patch, as torch's OIHW)."""
    if pad:
        x = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    n, h, w, c = x.shape
    win = sliding_window_view(x, (k, k), axis=(1, 2))          # (N, OH, OW, C, k, k), a view
    return win.reshape(n * (h - k + 1) * (w - k + 1), c * k * k), (n, h - k + 1, w - k + 1)


def _col2im(dcols, shape, k):
    """Adjoint of :func:`_im2col` (pad 0): add (N*OH*OW, C*k*k) patches into NHWC ``shape``."""
    n, h, w, c = shape
    oh, ow = h - k + 1, w - k + 1
    d = dcols.reshape(n, oh, ow, c, k, k)
    dx = np.zeros(shape, dtype=dcols.dtype)
    for i in range(k):          # one strided add per kernel offset (k*k of them), not per pixel
        for j in range(k):
            dx[:, i:i + oh, j:j + ow, :] += d[..., i, j]
    return dx


def _pool_relu(y):
    """2x2/2 max pool then ReLU of NHWC ``y``; returns (out, window view, mask of maxima)."""
    n, h, w, c = y.shape
    y6 = y.reshape(n, h // 2, 2, w // 2, 2, c)
    m = y6.max(axis=(2, 4))
    np.maximum(m, 0, out=m)
    return m, y6


def _pool_relu_backward(g, out, y6):
    """Gradient of :func:`_pool_relu`: to each window's maximum, where the output was > 0."""
    g = np.where(out > 0, g, 0).astype(out.dtype, copy=False)
    hit = y6 == out[:, :, None, :, None, :]
    d = np.where(hit, g[:, :, None, :, None, :], np.float32(0))
    n, a, _, b, _, c = d.shape
    return d.reshape(n, 2 * a, 2 * b, c)


def lenet_flops(batch, training):
    """GEMM floating-point operations of one LeNet-5 pass on 28x28 inputs (multiply-add = 2).

    Forward: conv1 6x(1*5*5) on 28x28, conv2 16x(6*5*5) on 10x10, FC 400-120-84-10. Training
    adds the weight gradients (same count as forward) and the input gradients of every layer
    but conv1 (whose input needs none).
    """
    conv1 = 2 * 28 * 28 * 6 * 25
    conv2 = 2 * 10 * 10 * 16 * 150
    fc = 2 * (400 * 120 + 120 * 84 + 84 * 10)
    forward = conv1 + conv2 + fc
    if not training:
        return batch * forward
    return batch * (3 * forward - conv1)


class LeNet5:
    """LeNet-5 in plain numpy: params in torch's layouts (conv OIHW, linear (out, in)).

    ``step(x, y)`` runs forward, cross-entropy, backward and SGD with momentum and returns the
    loss; ``predict(x)`` is the inference forward. ``x`` float32 (N, 1, 28, 28), ``y`` int (N,).
    """

    def __init__(self, lr=0.01, momentum=0.9, seed=0, params=None):
        rng = np.random.default_rng(seed)
        shapes = [("conv1.weight", (6, 1, 5, 5)), ("conv1.bias", (6,)),
                  ("conv2.weight", (16, 6, 5, 5)), ("conv2.bias", (16,)),
                  ("fc1.weight", (120, 400)), ("fc1.bias", (120,)),
                  ("fc2.weight", (84, 120)), ("fc2.bias", (84,)),
                  ("fc3.weight", (10, 84)), ("fc3.bias", (10,))]
        self.params = {}
        fan_in = {}
        for name, shape in shapes:
            layer = name.split(".")[0]
            if name.endswith("weight"):
                fan_in[layer] = int(np.prod(shape[1:]))
            if params is not None:
                self.params[name] = np.array(params[name], dtype=np.float32)
            else:                                   # torch's default Linear/Conv2d init bound
                bound = 1.0 / np.sqrt(fan_in[layer])
                self.params[name] = rng.uniform(-bound, bound, shape).astype(np.float32)
        self.lr, self.momentum = np.float32(lr), np.float32(momentum)
        self.buffers = {k: np.zeros_like(v) for k, v in self.params.items()}

    # -- forward ---------------------------------------------------------------------------
    def _forward(self, x):
        p = self.params
        x = x.reshape(x.shape[0], 28, 28, 1)                       # NCHW == NHWC for C = 1
        cols1, (n, oh, ow) = _im2col(x, 5, 2)
        y1 = (cols1 @ p["conv1.weight"].reshape(6, 25).T + p["conv1.bias"]).reshape(n, oh, ow, 6)
        a1, y1_6 = _pool_relu(y1)                                  # (N, 14, 14, 6)
        cols2, (_, oh2, ow2) = _im2col(a1, 5, 0)
        y2 = (cols2 @ p["conv2.weight"].reshape(16, 150).T + p["conv2.bias"]).reshape(
            n, oh2, ow2, 16)
        a2, y2_6 = _pool_relu(y2)                                  # (N, 5, 5, 16)
        # torch flattens NCHW (C, H, W); our features are (H, W, C): permute once (N x 400)
        f = a2.transpose(0, 3, 1, 2).reshape(n, 400)
        h1 = f @ p["fc1.weight"].T + p["fc1.bias"]
        np.maximum(h1, 0, out=h1)
        h2 = h1 @ p["fc2.weight"].T + p["fc2.bias"]
        np.maximum(h2, 0, out=h2)
        logits = h2 @ p["fc3.weight"].T + p["fc3.bias"]
        return logits, (cols1, y1_6, a1, cols2, y2_6, a2, f, h1, h2)

    def predict(self, x):
        """Logits (N, 10) of float32 images ``x`` (N, 1, 28, 28)."""
        return self._forward(x)[0]

    # -- training step ---------------------------------------------------------------------
    def step(self, x, labels):
        """One SGD-with-momentum step on the mean cross-entropy; returns the loss (float)."""
        p = self.params
        logits, (cols1, y1_6, a1, cols2, y2_6, a2, f, h1, h2) = self._forward(x)
        n = logits.shape[0]
        # cross-entropy: softmax - onehot, divided by N (mean reduction)
        z = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = float(np.mean(np.log(s[:, 0]) - z[rows, labels]))
        g = e / s
        g[rows, labels] -= 1
        g /= n
        grads = {}
        # fully connected layers: dW = g^T a, db = sum g, da = g W, through the ReLUs
        grads["fc3.weight"], grads["fc3.bias"] = g.T @ h2, g.sum(0)
        g = g @ p["fc3.weight"]
        g *= h2 > 0
        grads["fc2.weight"], grads["fc2.bias"] = g.T @ h1, g.sum(0)
        g = g @ p["fc2.weight"]
        g *= h1 > 0
        grads["fc1.weight"], grads["fc1.bias"] = g.T @ f, g.sum(0)
        g = (g @ p["fc1.weight"]).reshape(n, 16, 5, 5).transpose(0, 2, 3, 1)
        # conv2 block: pool+ReLU, then dW = cols^T g, db = sum g, dx = col2im(g W)
        g = _pool_relu_backward(g, a2, y2_6).reshape(-1, 16)       # (N*10*10, 16)
        grads["conv2.weight"] = (g.T @ cols2).reshape(16, 6, 5, 5)
        grads["conv2.bias"] = g.sum(0)
        g = _col2im(g @ p["conv2.weight"].reshape(16, 150), a1.shape, 5)
        # conv1 block: no input gradient needed
        g = _pool_relu_backward(g, a1, y1_6).reshape(-1, 6)        # (N*28*28, 6)
        grads["conv1.weight"] = (g.T @ cols1).reshape(6, 1, 5, 5)
        grads["conv1.bias"] = g.sum(0)
        # SGD with momentum, in place
        for name, param in p.items():
            buf = self.buffers[name]
            buf *= self.momentum
            buf += grads[name]
            param -= self.lr * buf
        return loss
