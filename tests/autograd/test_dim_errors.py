"""One dimension normaliser for every op that takes ``dim`` (issue 10, "Exact").

An out-of-range dim raises the same framework error everywhere: ``autograd.errors.DimError``,
a subclass of both ShapeError and IndexError. PyTorch raises IndexError "Dimension out of range
(expected to be in range of [-2, 1], but got 5)" for every case below (checked with torch
2.13.0); ours also names the op. Today ``x.softmax(5)`` raises numpy's AxisError while
``x.sum(5)`` raises ShapeError.
"""

import re

import pytest

import autograd as ag
import nn.functional as F
from autograd import errors

X = ag.ones(2, 3)      # valid dims: -2 .. 1 (stack and unsqueeze: -3 .. 2)

# (op name the message must give, call, the bad dim) -- each raises IndexError in torch 2.13.0
OUT_OF_RANGE = [
    ("softmax", lambda: X.softmax(5), 5),
    ("softmax", lambda: F.softmax(X, 5), 5),
    ("softmax", lambda: ag.softmax(X, -3), -3),
    ("log_softmax", lambda: X.log_softmax(5), 5),
    ("log_softmax", lambda: F.log_softmax(X, -3), -3),
    ("logsumexp", lambda: X.logsumexp(5), 5),
    ("sum", lambda: X.sum(5), 5),
    ("sum", lambda: X.sum((0, 5)), 5),
    ("sum", lambda: ag.sum(X, -3), -3),
    ("mean", lambda: X.mean(-3), -3),
    ("var", lambda: X.var(5), 5),
    ("std", lambda: X.std(5), 5),
    ("max", lambda: X.max(5), 5),
    ("min", lambda: X.min(5), 5),
    ("amax", lambda: X.amax(5), 5),
    ("argmax", lambda: X.argmax(5), 5),
    ("argmin", lambda: X.argmin(-3), -3),
    ("norm", lambda: X.norm(dim=5), 5),
    ("cat", lambda: ag.cat([X, X], 5), 5),
    ("stack", lambda: ag.stack([X, X], 5), 5),
    ("stack", lambda: ag.stack([X, X], -4), -4),
    ("split", lambda: X.split(1, 5), 5),
    ("chunk", lambda: X.chunk(2, 5), 5),
    ("squeeze", lambda: X.squeeze(5), 5),
    ("unsqueeze", lambda: X.unsqueeze(5), 5),
    ("unsqueeze", lambda: X.unsqueeze(-4), -4),
    ("transpose", lambda: X.transpose(0, 5), 5),
    ("flatten", lambda: X.flatten(5), 5),
    ("flatten", lambda: X.flatten(0, 5), 5),
    ("permute", lambda: X.permute(0, 5), 5),
    ("sum", lambda: ag.tensor(1.0).sum(1), 1),              # 0-d: valid dims are -1 .. 0
    ("unsqueeze", lambda: ag.tensor(1.0).unsqueeze(1), 1),
]


def case_id(case):
    return f"{OUT_OF_RANGE.index(case):02d}-{case[0]}({case[2]})"


def test_dim_error_is_a_shape_error_and_an_index_error():
    assert issubclass(errors.DimError, errors.ShapeError)
    assert issubclass(errors.DimError, IndexError)


@pytest.mark.parametrize("op, call, dim", OUT_OF_RANGE, ids=[case_id(c) for c in OUT_OF_RANGE])
def test_out_of_range_dim_raises_the_framework_dim_error(op, call, dim):
    with pytest.raises(Exception) as info:
        call()
    e = info.value
    assert isinstance(e, IndexError), \
        f"{op}: expected IndexError (as PyTorch), got {type(e).__module__}.{type(e).__name__}: {e}"
    assert isinstance(e, errors.ShapeError), f"{op}: expected the framework's DimError, got {e!r}"
    assert type(e).__name__ == "DimError", f"{op}: expected DimError, got {type(e).__name__}"
    message = str(e)
    assert re.search(rf"\b{op}\b", message), f"the message should name the op ({op}): {message}"
    assert str(dim) in message, f"the message should give the bad dim ({dim}): {message}"


def test_dim_error_message_gives_the_valid_range_like_pytorch():
    # torch 2.13.0: "Dimension out of range (expected to be in range of [-2, 1], but got 5)"
    with pytest.raises(IndexError) as info:
        X.softmax(5)
    assert "[-2, 1]" in str(info.value), f"the message should give the range: {info.value}"


# Dims at the edges of the valid range must keep working -- torch 2.13.0 results
EDGE_OK = [
    ("stack dim 2", lambda: ag.stack([X, X], 2).shape, (2, 3, 2)),
    ("stack dim -3", lambda: ag.stack([X, X], -3).shape, (2, 2, 3)),
    ("unsqueeze 2", lambda: X.unsqueeze(2).shape, (2, 3, 1)),
    ("unsqueeze -3", lambda: X.unsqueeze(-3).shape, (1, 2, 3)),
    ("0-d unsqueeze -1", lambda: ag.tensor(1.0).unsqueeze(-1).shape, (1,)),
    ("0-d sum -1", lambda: ag.tensor(1.0).sum(-1).shape, ()),
    ("sum -2", lambda: X.sum(-2).shape, (3,)),
    ("softmax -2", lambda: X.softmax(-2).shape, (2, 3)),
    ("transpose -1 -2", lambda: X.transpose(-1, -2).shape, (3, 2)),
    ("cat -1", lambda: ag.cat([X, X], -1).shape, (2, 6)),
]


@pytest.mark.parametrize("name, call, shape", EDGE_OK, ids=[c[0] for c in EDGE_OK])
def test_dims_at_the_edge_of_the_range_work(name, call, shape):
    assert call() == shape
