"""In-place detection with one version counter per storage (issue 10, "Exact").

Every view of a storage (reshape, view, permute, transpose, t, T, mT, expand, squeeze,
unsqueeze, flatten, basic indexing, split, chunk, detach(), .data) shares the version counter
of its base, as PyTorch's shared version counter does. A tensor saved for backward that was
written in place since (through any view, under no_grad, by an optimizer) makes backward raise
InplaceError, which is also a RuntimeError (PyTorch raises RuntimeError "one of the variables
needed for gradient computation has been modified by an inplace operation"). The check has no
bounded memory: any number of unrelated in-place writes in between changes nothing.

Every expected outcome below was checked with torch 2.13.0 (/work/torchref), except where a
comment says the specification deliberately differs from PyTorch (``.data``).
"""

import re

import numpy as np
import pytest

import autograd as ag
import nn
from autograd.errors import InplaceError


def names_op_and_shape(message, op, shape):
    """True if the message names the op (e.g. 'Mul') and the shape, as (2, 3) or [2, 3]."""
    dims = ", ".join(str(s) for s in shape)
    shapes = [re.escape(f"({dims},)" if len(shape) == 1 else f"({dims})"), re.escape(f"[{dims}]")]
    return op.lower() in message.lower() and re.search("|".join(shapes), message) is not None


# -- the issue's reproducer --------------------------------------------------------------------
def test_issue_snippet_raises_after_300_unrelated_writes():
    # torch 2.13.0: RuntimeError "... [torch.FloatTensor [2]] is at version 1; expected version 0"
    # (today: w.grad == [103, 104], silently wrong, because the check remembers 256 writes)
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    base = ag.tensor([3.0, 4.0])
    y = (w * base.detach()).sum()
    base.add_(100.0)
    junk = ag.tensor([0.0])
    for _ in range(300):
        junk.add_(1.0)
    with pytest.raises(InplaceError) as info:
        y.backward()
    assert w.grad is None, "backward must not write a gradient computed from stale values"
    assert isinstance(info.value, RuntimeError)
    assert names_op_and_shape(str(info.value), "Mul", (2,)), \
        f"the message should name the op (Mul) and the saved tensor's shape (2,): {info.value}"


def test_writes_to_300_unrelated_tensors_never_raise():
    # torch 2.13.0: w.grad == [3., 4.]
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    base = ag.tensor([3.0, 4.0])
    y = (w * base).sum()
    junk = [ag.tensor([0.0]) for _ in range(300)]
    for j in junk:
        j.add_(1.0)
    y.backward()
    np.testing.assert_array_equal(w.grad.numpy(), [3.0, 4.0])


def test_one_write_among_many_unrelated_ones_is_still_caught():
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    saved = ag.tensor([3.0, 4.0])
    y = (w * saved).sum()
    for _ in range(1000):
        ag.tensor([0.0]).add_(1.0)
    saved.mul_(2.0)
    for _ in range(1000):
        ag.tensor([0.0]).add_(1.0)
    with pytest.raises(InplaceError):
        y.backward()


# -- views share the counter of their base ---------------------------------------------------
# Each maker turns a (3, 4) base into a view of its storage. torch 2.13.0 raises for every one
# of these in both directions, except .data (see test_data_shares_the_counter_of_its_tensor).
VIEWS = {
    "reshape": lambda b: b.reshape(4, 3),
    "view": lambda b: b.view(12),
    "permute": lambda b: b.permute(1, 0),
    "transpose": lambda b: b.transpose(0, 1),
    "t": lambda b: b.t(),
    "T": lambda b: b.T,
    "mT": lambda b: b.mT,
    "expand": lambda b: b[:1].expand(3, 4),
    "squeeze": lambda b: b[:1].squeeze(0),
    "unsqueeze": lambda b: b.unsqueeze(1),
    "flatten": lambda b: b.flatten(),
    "basic_index": lambda b: b[1:, ::2],
    "int_index": lambda b: b[2],
    "split": lambda b: b.split(1, dim=0)[1],
    "chunk": lambda b: b.chunk(2, dim=1)[1],
    "detach": lambda b: b.detach(),
    "view_of_views": lambda b: b.t()[1:3].unsqueeze(0).flatten(0, 1),
}


def make_base():
    return ag.tensor(np.arange(1.0, 13.0).reshape(3, 4))


def scribble(writes):
    """``writes`` in-place writes to an unrelated tensor (the issue's junk loop)."""
    junk = ag.tensor([0.0])
    for _ in range(writes):
        junk.add_(1.0)


# 0 writes in between: the view is tracked at all; 300: the tracking has no bounded memory
JUNK = pytest.mark.parametrize("junk_writes", [0, 300], ids=["direct", "after_300_writes"])


@JUNK
@pytest.mark.parametrize("make_view", VIEWS.values(), ids=VIEWS.keys())
def test_writing_the_base_invalidates_a_saved_view(make_view, junk_writes):
    base = make_base()
    view = make_view(base)
    w = ag.ones(*view.shape, dtype=ag.float64, requires_grad=True)
    y = (w * view).sum()
    base[2, 1] = -1.0
    scribble(junk_writes)
    with pytest.raises(InplaceError):
        y.backward()


@JUNK
@pytest.mark.parametrize("make_view", [m for k, m in VIEWS.items() if k != "expand"],
                         ids=[k for k in VIEWS if k != "expand"])
def test_writing_through_a_view_invalidates_the_saved_base(make_view, junk_writes):
    # (expand is left out: torch refuses to write through an expanded view at all)
    base = make_base()
    w = ag.ones(3, 4, dtype=ag.float64, requires_grad=True)
    y = (w * base).sum()
    make_view(base).mul_(2.0)
    scribble(junk_writes)
    with pytest.raises(InplaceError):
        y.backward()


def test_one_counter_per_storage_even_where_the_view_does_not_reach():
    # torch 2.13.0 raises: the counter belongs to the storage, not to the elements written
    base = ag.tensor(np.arange(8.0))
    w = ag.ones(2, dtype=ag.float64, requires_grad=True)
    y = (w * base[:2]).sum()
    base[5] = 1.0
    with pytest.raises(InplaceError):
        y.backward()


def test_view_of_a_view_written_in_place_invalidates_a_sibling_view():
    base = make_base()
    saved = base[1].view(2, 2).t()
    w = ag.ones(2, 2, dtype=ag.float64, requires_grad=True)
    y = (w * saved).sum()
    base.reshape(12)[4:6].unsqueeze(0).add_(1.0)    # another chain of views into row 1
    with pytest.raises(InplaceError):
        y.backward()


def test_detach_writes_invalidate_the_saved_original():
    # torch 2.13.0: RuntimeError (detach() shares the version counter)
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    x = ag.tensor([3.0, 4.0], requires_grad=True)
    y = (w * x).sum()
    x.detach().add_(1.0)
    scribble(300)
    with pytest.raises(InplaceError):
        y.backward()


def test_data_shares_the_counter_of_its_tensor():
    # The specification (issue 10: ".data ... is version-counted") deliberately differs from
    # PyTorch here: torch 2.13.0 gives .data a fresh version counter, so there the same program
    # silently returns w.grad == [4., 5.] (computed with the modified x).
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    x = ag.tensor([3.0, 4.0], requires_grad=True)
    y = (w * x).sum()
    x.data.add_(1.0)
    with pytest.raises(InplaceError):
        y.backward()


def test_no_grad_write_to_a_saved_leaf_is_caught():
    # torch 2.13.0: RuntimeError
    w = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    with ag.no_grad():
        w.mul_(2.0)
    with pytest.raises(InplaceError):
        y.backward()


def test_no_grad_write_through_a_view_of_a_saved_leaf_is_caught():
    w = ag.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = (w * w).sum()
    with ag.no_grad():
        w.view(4)[1:3].zero_()
    scribble(300)
    with pytest.raises(InplaceError):
        y.backward()


def test_writes_before_saving_are_fine():
    base = make_base()
    base.add_(1.0)
    base.t()[0].mul_(2.0)
    w = ag.ones(3, 4, dtype=ag.float64, requires_grad=True)
    y = (w * base).sum()
    y.backward()
    np.testing.assert_array_equal(w.grad.numpy(), base.numpy())


# -- optimizers update parameters in place -----------------------------------------------------
def two_layer_loss():
    """A loss that saves the second layer's weight (the first layer's output requires grad,
    so Linear keeps W2 for d/dx), as in torch 2.13.0."""
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2))
    x = ag.tensor(np.linspace(-1.0, 1.0, 15, dtype=np.float32).reshape(5, 3))
    return model, (model(x) ** 2).sum()


@pytest.mark.parametrize("make_opt", [lambda p: nn.optim.SGD(p, lr=0.1),
                                      lambda p: nn.optim.SGD(p, lr=0.1, momentum=0.9),
                                      lambda p: nn.optim.Adam(p, lr=0.1)],
                         ids=["SGD", "SGD-momentum", "Adam"])
def test_optimizer_step_invalidates_a_retained_graph(make_opt):
    # torch 2.13.0 (Sequential(Linear(3, 4), Linear(4, 2)), SGD and Adam): RuntimeError on the
    # second backward, "[torch.FloatTensor [4, 2]], which is output 0 of AsStridedBackward0, is
    # at version 1; expected version 0"
    model, loss = two_layer_loss()
    opt = make_opt(model.parameters())
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(InplaceError):
        loss.backward()


@pytest.mark.parametrize("opt_class", [nn.optim.SGD, nn.optim.Adam], ids=["SGD", "Adam"])
def test_optimizer_step_invalidates_a_matmul_that_saved_the_parameter(opt_class):
    # torch 2.13.0: w = randn(3, 3); loss = (w @ w).sum() -> RuntimeError after opt.step()
    w = ag.tensor(np.eye(3) + 0.5, requires_grad=True)
    opt = opt_class([w], lr=0.1)
    loss = (w @ w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(InplaceError):
        loss.backward()


def test_optimizer_step_is_fine_when_the_parameter_was_not_saved():
    # torch 2.13.0: loss = (w + 1).sum(); second backward after SGD.step() works, grad [2, 2, 2]
    w = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    opt = nn.optim.SGD([w], lr=0.1)
    loss = (w + 1.0).sum()
    loss.backward(retain_graph=True)
    opt.step()
    loss.backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0, 2.0])
