"""Two threads backpropagating into one shared leaf lose no contribution (the engine serialises
writes to ``.grad``, as PyTorch's AccumulateGrad does with a mutex)."""

import sys
import threading

import numpy as np

import autograd as ag


def test_concurrent_first_writes_to_a_shared_grad_keep_both_contributions():
    w = ag.tensor(np.ones(3), requires_grad=True)
    rounds, lost = 300, []
    ready, done = threading.Barrier(3), threading.Barrier(3)

    def train():
        for _ in range(rounds):
            ready.wait()                       # both threads start with w.grad None
            (w * 2.0).sum().backward()
            done.wait()

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)             # switch threads as often as possible: races show
    try:
        threads = [threading.Thread(target=train) for _ in range(2)]
        for t in threads:
            t.start()
        for _ in range(rounds):
            w.grad = None
            ready.wait()
            done.wait()
            if not np.array_equal(w.grad.numpy(), [4.0, 4.0, 4.0]):
                lost.append(w.grad.numpy().copy())
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(previous)
    assert not lost, f"{len(lost)} of {rounds} rounds lost a contribution, e.g. {lost[0]}"
