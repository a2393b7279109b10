"""End to end: a small ConvNet built from nn layers memorises 16 Fashion-MNIST-shaped samples.

If any gradient in the stack (conv, pool, ReLU, linear, cross-entropy, Adam) were wrong or
missing, the loss would not reach ~0 on random labels.
"""

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import nn.optim as optim


def _small_convnet():
    return nn.Sequential(
        nn.Conv2d(1, 8, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),     # 8 x 14 x 14
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),               # 16 x 5 x 5
        nn.Flatten(), nn.Linear(16 * 5 * 5, 64), nn.ReLU(), nn.Linear(64, 10))


def test_small_convnet_overfits_16_samples():
    ag.manual_seed(0)
    rng = np.random.default_rng(0)
    images = ag.tensor(rng.random((16, 1, 28, 28), dtype=np.float32))   # pixels in [0, 1)
    labels = ag.tensor(rng.integers(0, 10, 16))                          # random: memorise
    model = _small_convnet()
    optimizer = optim.Adam(model.parameters(), lr=3e-3)
    first = None
    for _ in range(150):
        loss = F.cross_entropy(model(images), labels)
        first = loss.item() if first is None else first
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert first > 2.0                               # ~ln(10) at the start
    assert loss.item() < 0.01
    with ag.no_grad():
        assert (model(images).argmax(1) == labels).all()
