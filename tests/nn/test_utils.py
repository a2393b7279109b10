"""nn.utils: gradient clipping against PyTorch's numbers (torch 2.13), parameters <-> vector."""

import math

import numpy as np
import pytest

import autograd as ag
import nn


def _with_grads(*grads):
    params = []
    for g in grads:
        p = ag.zeros(np.shape(g), requires_grad=True)
        p.grad = ag.tensor(g)
        params.append(p)
    return params


@pytest.mark.parametrize("max_norm, norm_type, total, clipped", [
    (1.0, 2.0, 13.0, [[[0.23076921701431274, 0.307692289352417]], [0.923076868057251]]),
    (5.0, math.inf, 12.0, [[[1.2499998807907104, -1.6666665077209473]], [4.999999523162842]]),
    (100.0, 1, 19.0, [[[3.0, -4.0]], [12.0]]),
])
def test_clip_grad_norm_matches_pytorch(max_norm, norm_type, total, clipped):
    a, b = _with_grads([[3.0, 4.0 if norm_type == 2.0 else -4.0]], [12.0])
    out = nn.utils.clip_grad_norm_([a, b], max_norm, norm_type=norm_type)
    assert out.ndim == 0 and out.item() == pytest.approx(total)
    np.testing.assert_allclose(a.grad.numpy(), clipped[0], rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), clipped[1], rtol=1e-6)
    assert a.grad.dtype == np.float32


def test_clip_grad_norm_edge_cases():
    assert nn.utils.clip_grad_norm_([ag.zeros(2, requires_grad=True)], 1.0).item() == 0.0
    (p,) = _with_grads([float("nan"), 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(p, 1.0, error_if_nonfinite=True)
    (q,) = _with_grads([3.0, 4.0])
    assert nn.utils.clip_grad_norm_(q, 10.0).item() == pytest.approx(5.0)   # a single Tensor
    np.testing.assert_allclose(q.grad.numpy(), [3.0, 4.0], rtol=1e-6)     # under max_norm


def test_clip_grad_value_and_model_training_step():
    (a,) = _with_grads([[3.0, -4.0]])
    assert nn.utils.clip_grad_value_(a, 3.5) is None
    assert a.grad.tolist() == [[3.0, -3.5]]
    model = nn.Linear(3, 2)
    model(ag.ones(4, 3) * 100).sum().backward()
    nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    grads = np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])
    assert np.linalg.norm(grads) == pytest.approx(0.5, rel=1e-5)


def test_parameters_to_vector_and_back():
    model = nn.Linear(2, 2)
    vec = nn.utils.parameters_to_vector(model.parameters())
    assert vec.shape == (6,) and vec.requires_grad
    np.testing.assert_array_equal(vec.detach().numpy()[:4], model.weight.detach().numpy().ravel())
    nn.utils.vector_to_parameters(ag.arange(6.0), model.parameters())
    assert model.weight.tolist() == [[0.0, 1.0], [2.0, 3.0]] and model.bias.tolist() == [4.0, 5.0]
    with pytest.raises(ValueError, match="6 values"):
        nn.utils.vector_to_parameters(ag.zeros(5), model.parameters())
    with pytest.raises(TypeError):
        nn.utils.vector_to_parameters([0.0] * 6, model.parameters())
