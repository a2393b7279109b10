"""Grad mode is per thread (issue 10, "Exact"), as PyTorch's (thread-local) grad mode.

``no_grad()`` in one thread must not turn recording off in another. Two threads train two small
models; while one holds ``no_grad`` for a long stretch (evaluating), the other trains. Events
force the interleaving deterministically: each evaluation runs *between* the other thread's
forward and backward. The gradients must equal the single-threaded ones exactly.

PyTorch behaviour checked with torch 2.13.0: a thread started inside ``no_grad`` starts with
grad enabled; ``set_grad_enabled(False)`` in a thread leaves the main thread enabled.
"""

import threading

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

STEPS = 3
TIMEOUT = 30.0   # seconds; only reached if the interleaving deadlocks


def make_model(seed):
    ag.manual_seed(seed)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))


def data(seed):
    rng = np.random.default_rng(seed)
    return (ag.tensor(rng.standard_normal((5, 4)).astype(np.float32)),
            ag.tensor(rng.standard_normal((5, 3)).astype(np.float32)))


def grads_of(model):
    return [p.grad.numpy().copy() for p in model.parameters()]


def train_single_threaded(seed):
    """The reference: STEPS steps of SGD, the gradients of each step."""
    model, (x, t) = make_model(seed), data(seed)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    out = []
    for _ in range(STEPS):
        opt.zero_grad()
        F.mse_loss(model(x), t).backward()
        out.append(grads_of(model))
        opt.step()
    return out


def wait(event, what):
    if not event.wait(TIMEOUT):
        raise TimeoutError(f"gave up waiting for: {what}")


class Trainer:
    """Trains while the partner thread evaluates under no_grad; each step's forward and
    backward are separated by one of the partner's evaluations (forced with events)."""

    def __init__(self, seed):
        self.model, (self.x, self.t) = make_model(seed), data(seed)
        self.opt = nn.optim.SGD(self.model.parameters(), lr=0.1)
        self.grads, self.recording = [], []
        self.forwarded = [threading.Event() for _ in range(STEPS)]
        self.evaluated = [threading.Event() for _ in range(STEPS)]

    def train(self, partner_in_no_grad):
        wait(partner_in_no_grad, "the partner to enter no_grad")
        for k in range(STEPS):
            self.opt.zero_grad()
            loss = F.mse_loss(self.model(self.x), self.t)
            self.recording.append((ag.is_grad_enabled(), loss.requires_grad))
            self.forwarded[k].set()
            wait(self.evaluated[k], f"the partner's evaluation {k}")
            loss.backward()
            self.grads.append(grads_of(self.model))
            self.opt.step()

    def evaluate_partner(self, partner, in_no_grad):
        """Hold no_grad for all of the partner's training, evaluating between its steps."""
        seen = []
        with ag.no_grad():
            in_no_grad.set()
            for k in range(STEPS):
                wait(partner.forwarded[k], f"the partner's forward {k}")
                out = self.model(self.x)
                seen.append((ag.is_grad_enabled(), out.requires_grad))
                partner.evaluated[k].set()
        return seen


@pytest.fixture(autouse=True)
def restore_grad_mode():
    """With a process-wide flag (today's engine) a thread's switch would leak into the rest of
    the suite: switch it back on after each test."""
    yield
    ag.set_grad_enabled(True)


def run_in_threads(*targets, release=()):
    """Run each target in its own thread; re-raise the first error in the caller. An error in
    one thread sets every event in ``release``, so the other thread does not wait in vain."""
    errors = []

    def guarded(fn):
        def run():
            try:
                fn()
            except BaseException as e:   # re-raised in the main thread below
                errors.append(e)
                for event in release:
                    event.set()
        return run

    threads = [threading.Thread(target=guarded(fn)) for fn in targets]
    for th in threads:
        th.start()
    for th in threads:
        th.join(4 * TIMEOUT)
    assert not any(th.is_alive() for th in threads), "a thread hung"
    if errors:
        raise errors[0]


def test_two_threads_train_while_the_other_holds_no_grad():
    a, b = Trainer(seed=1), Trainer(seed=2)
    a_in_no_grad, b_in_no_grad = threading.Event(), threading.Event()
    seen = {}

    def thread_a():   # evaluates under no_grad while b trains, then trains while b evaluates
        seen["a_eval"] = a.evaluate_partner(b, a_in_no_grad)
        a.train(b_in_no_grad)

    def thread_b():
        b.train(a_in_no_grad)
        seen["b_eval"] = b.evaluate_partner(a, b_in_no_grad)

    run_in_threads(thread_a, thread_b, release=[a_in_no_grad, b_in_no_grad, *a.forwarded,
                                                *a.evaluated, *b.forwarded, *b.evaluated])

    assert b.recording == [(True, True)] * STEPS, \
        f"b trained while a held no_grad: (grad enabled, loss requires grad) = {b.recording}"
    assert a.recording == [(True, True)] * STEPS, \
        f"a trained while b held no_grad: (grad enabled, loss requires grad) = {a.recording}"
    assert seen["a_eval"] == [(False, False)] * STEPS, \
        f"a's no_grad evaluation recorded while b trained: {seen['a_eval']}"
    assert seen["b_eval"] == [(False, False)] * STEPS, \
        f"b's no_grad evaluation recorded while a trained: {seen['b_eval']}"
    for name, trainer, seed in (("a", a, 1), ("b", b, 2)):
        for step, (got, want) in enumerate(zip(trainer.grads, train_single_threaded(seed))):
            for i, (g, w) in enumerate(zip(got, want)):
                np.testing.assert_array_equal(
                    g, w, err_msg=f"thread {name}, step {step}, parameter {i}: gradient differs "
                                  "from the single-threaded run")
    assert ag.is_grad_enabled(), "the main thread's grad mode changed"


def test_a_new_thread_starts_with_grad_enabled():
    # torch 2.13.0: inside no_grad, a new thread sees is_grad_enabled() == True
    seen = {}

    def child():
        x = ag.tensor([1.0, 2.0], requires_grad=True)
        seen["enabled"] = ag.is_grad_enabled()
        seen["records"] = (x * 2.0).requires_grad

    with ag.no_grad():
        run_in_threads(child)
        assert not ag.is_grad_enabled()
    assert seen == {"enabled": True, "records": True}


def test_set_grad_enabled_false_in_a_thread_leaves_the_main_thread_enabled():
    # torch 2.13.0: set_grad_enabled(False) in a thread; main thread still True
    seen = {}

    def child():
        ag.set_grad_enabled(False)
        seen["child"] = ag.is_grad_enabled()

    run_in_threads(child)
    assert seen["child"] is False
    assert ag.is_grad_enabled()
    x = ag.tensor([1.0], requires_grad=True)
    assert (x * 2.0).requires_grad
