"""Hand-written numpy baselines: how fast plain numpy can go on the benchmark's workloads.

No graph, no Tensor, no autograd: the forward pass keeps exactly what its hand-written reverse
pass needs, and the reverse pass is the chain rule typed out. These are the floors that
``bench/run.py`` prints beside this framework and PyTorch; they are not part of the library.

* :func:`chain` - the per-op overhead workload ``y = y * b + c`` repeated, forward and reverse.
* :class:`LeNet5` - LeNet-5 (ReLU, max pooling; the layout of ``nn.models.lenet5``) with its
  forward, backward, cross-entropy and SGD-with-momentum step in plain numpy.

The LeNet floor uses the fastest numpy kernels we know, from ``bench/prototypes.py``: stride-1
convolution by a row-run im2col + one GEMM (the weight gradient reuses the forward's patches),
2x2 max pooling by two pairwise maxima, and each ReLU applied *after* its pool (max and ReLU
commute, so the result is identical while the ReLU touches 4x fewer values). All float32, NCHW.

Source of the architecture: LeCun et al. 1998 (see ``nn/models/lenet.py``); SGD momentum as in
PyTorch's ``torch.optim.SGD`` (``buf = momentum * buf + grad; p -= lr * buf``).
"""

import numpy as np

from prototypes import conv_backward, conv_forward, pool2x2_backward, pool2x2_forward

__all__ = ["chain", "LeNet5", "lenet_flops", "pool_relu", "pool_relu_backward"]


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
def pool_relu(y):
    """2x2/2 max pool then ReLU of NCHW ``y``: (out, the pool's masks for backward)."""
    out, masks = pool2x2_forward(y)
    np.maximum(out, 0, out=out)
    return out, masks


def pool_relu_backward(g, out, masks, shape):
    """Gradient of :func:`pool_relu`: to each window's first maximum, where out > 0."""
    return pool2x2_backward(g * (out > 0), masks, shape)


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
        n = x.shape[0]
        y1, cols1 = conv_forward(x, p["conv1.weight"], p["conv1.bias"], 2)   # (N, 6, 28, 28)
        a1, m1 = pool_relu(y1)                                               # (N, 6, 14, 14)
        y2, cols2 = conv_forward(a1, p["conv2.weight"], p["conv2.bias"], 0)  # (N, 16, 10, 10)
        a2, m2 = pool_relu(y2)                                               # (N, 16, 5, 5)
        f = a2.reshape(n, 400)                                   # NCHW flatten, as torch
        h1 = f @ p["fc1.weight"].T + p["fc1.bias"]
        np.maximum(h1, 0, out=h1)
        h2 = h1 @ p["fc2.weight"].T + p["fc2.bias"]
        np.maximum(h2, 0, out=h2)
        logits = h2 @ p["fc3.weight"].T + p["fc3.bias"]
        saved = (x.shape, cols1, y1.shape, a1, m1, cols2, y2.shape, a2, m2, f, h1, h2)
        return logits, saved

    def predict(self, x, chunk=64):
        """Logits (N, 10) of float32 images ``x`` (N, 1, 28, 28), ``chunk`` images at a time
        (the patch matrices of 64 images stay in cache; 256 at once run ~2x slower)."""
        return np.concatenate([self._forward(x[i:i + chunk])[0]
                               for i in range(0, len(x), chunk)])

    # -- training step ---------------------------------------------------------------------
    def step(self, x, labels):
        """One SGD-with-momentum step on the mean cross-entropy; returns the loss (float)."""
        p = self.params
        logits, saved = self._forward(x)
        x_shape, cols1, y1_shape, a1, m1, cols2, y2_shape, a2, m2, f, h1, h2 = saved
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
        g = (g @ p["fc1.weight"]).reshape(a2.shape)
        # conv2 block: ReLU + pool, then dx, dw, db from the saved patches
        g = pool_relu_backward(g, a2, m2, y2_shape)
        g, grads["conv2.weight"], grads["conv2.bias"] = conv_backward(
            g, a1.shape, p["conv2.weight"], cols2, 0)
        # conv1 block: no input gradient needed
        g = pool_relu_backward(g, a1, m1, y1_shape)
        _, grads["conv1.weight"], grads["conv1.bias"] = conv_backward(
            g, x_shape, p["conv1.weight"], cols1, 2, need_x=False)
        # SGD with momentum, in place
        for name, param in p.items():
            buf = self.buffers[name]
            buf *= self.momentum
            buf += grads[name]
            param -= self.lr * buf
        return loss
