"""Numerical gradient checking: the slides' "adjust each weight up and down a bit and see how
the error changes", used to prove the analytic (backpropagated) gradients.

``gradcheck`` compares the Jacobian from backpropagation with central differences
(f(x + eps) - f(x - eps)) / 2eps computed in float64; ``gradgradcheck`` does the same for the
gradient function itself (second derivatives). Both return True or raise ``GradcheckError``
naming the input, the element and both values, as ``torch.autograd.gradcheck`` does.
"""

import warnings

import numpy as np

from . import engine
from .errors import ArgumentError, GradcheckError
from .grad_mode import enable_grad, no_grad
from .tensor import Tensor, wrap

__all__ = ["gradcheck", "gradgradcheck", "numerical_jacobian", "analytical_jacobian"]


def _as_inputs(inputs):
    return (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)


def _float_outputs(out):
    outs = (out,) if isinstance(out, Tensor) else tuple(o for o in out if o is not None)
    return tuple(o for o in outs if isinstance(o, Tensor) and o.dtype.kind == "f")


def _differentiable(inputs):
    return [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]


def _flat_outputs(fn, inputs):
    with no_grad():
        outs = _float_outputs(fn(*inputs))
    return np.concatenate([o._data.astype(np.float64).ravel() for o in outs]) if outs \
        else np.zeros(0)


def numerical_jacobian(fn, inputs, eps=1e-6):
    """Central-difference Jacobians, one (n_outputs, input.size) float64 array per input that
    requires grad. ``inputs`` are perturbed in place and restored."""
    inputs = _as_inputs(inputs)
    jacobians = []
    for i in _differentiable(inputs):
        flat = inputs[i]._data.flat     # writes go to the input's own array
        cols = []
        for j in range(inputs[i]._data.size):
            orig = flat[j]
            flat[j] = orig + eps
            plus = _flat_outputs(fn, inputs)
            flat[j] = orig - eps
            minus = _flat_outputs(fn, inputs)
            flat[j] = orig
            cols.append((plus - minus) / (2 * eps))
        # an empty input still has one (empty) column block per output element
        jacobians.append(np.stack(cols, axis=1) if cols
                         else np.zeros((_flat_outputs(fn, inputs).size, 0)))
    return jacobians


def analytical_jacobian(fn, inputs):
    """Jacobians from backpropagation, one row per output element (same layout as
    ``numerical_jacobian``)."""
    inputs = _as_inputs(inputs)
    diff = _differentiable(inputs)
    outs = _float_outputs(fn(*inputs))
    sizes = [o._data.size for o in outs]
    rows = [[] for _ in diff]
    for k, o in enumerate(outs):
        for e in range(o._data.size):
            if not o.requires_grad:
                for r, i in zip(rows, diff):
                    r.append(np.zeros(inputs[i]._data.size))
                continue
            seed = np.zeros(o.shape, dtype=o.dtype)
            seed.reshape(-1)[e] = 1
            gs = engine.grad(o, [inputs[i] for i in diff], wrap(seed),
                             retain_graph=True, allow_unused=True)
            for r, i, g in zip(rows, diff, gs):
                r.append(np.zeros(inputs[i]._data.size) if g is None
                         else g._data.astype(np.float64).ravel())
    n_out = sum(sizes)
    return [np.array(r).reshape(n_out, inputs[i]._data.size) for r, i in zip(rows, diff)]


def _check_dtypes(inputs, where):
    for i in _differentiable(inputs):
        if inputs[i].dtype != np.float64:
            warnings.warn(f"{where}: input {i} is {inputs[i].dtype}, not float64; numerical "
                          "derivatives in low precision are unreliable", stacklevel=3)


def _fail(where, i, index, out_index, analytic, numeric):
    __tracebackhide__ = True
    raise GradcheckError(
        f"{where}: Jacobian mismatch for input {i} at element {index}, output element "
        f"{out_index}: analytical {analytic!r} vs numerical {numeric!r}",
        analytical=analytic, numerical=numeric)


#: Why a second derivative is exactly 0 while central differences say otherwise.
NUMPY_BACKWARD_HINT = (
    "the analytical second derivative is exactly 0: the likely cause is a backward written in "
    "numpy (e.g. on .numpy() arrays, returning an ndarray) instead of Tensor ops; numpy "
    "operations are not recorded, so create_graph=True cannot differentiate the rule again. "
    "Write backward with Tensor operations (grad * a, a.exp(), ...).")


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, fast_mode=False, seed=0):
    """Check the gradients of ``fn`` at ``inputs`` against central differences.

    Parameters
    ----------
    fn : callable
        Takes ``*inputs`` and returns a Tensor or a tuple of Tensors.
    inputs : Tensor or tuple
        Arguments of ``fn``; those with ``requires_grad=True`` are checked. Use float64.
    eps, atol, rtol : float
        Step of the central difference; an element passes if
        ``|analytic - numeric| <= atol + rtol * |numeric|``.
    fast_mode : bool
        Compare ``vᵀ J u`` for random directions u, v instead of the full Jacobian: two extra
        forward passes per input instead of two per element (for large inputs).

    Returns
    -------
    True

    Raises
    ------
    GradcheckError
        Naming the input, the element, and the analytical and numerical values.
    ArgumentError
        No input requires grad (a ValueError, as PyTorch raises).
    """
    __tracebackhide__ = True          # pytest: the failure points at the caller
    inputs = _as_inputs(inputs)
    _check_dtypes(inputs, "gradcheck")
    if not _differentiable(inputs):
        raise ArgumentError("gradcheck: no input has requires_grad=True (gradcheck expects at "
                            "least one input tensor to require gradient)")
    if fast_mode:
        return _fast_gradcheck(fn, inputs, eps, atol, rtol, seed)
    numeric = numerical_jacobian(fn, inputs, eps)
    analytic = analytical_jacobian(fn, inputs)
    for i, jn, ja in zip(_differentiable(inputs), numeric, analytic):
        bad = np.abs(ja - jn) > atol + rtol * np.abs(jn)
        if bad.any():
            out_index, col = map(int, np.argwhere(bad)[0])
            index = np.unravel_index(col, inputs[i].shape)
            _fail("gradcheck", i, tuple(map(int, index)), out_index,
                  float(ja[out_index, col]), float(jn[out_index, col]))
    return True


def _fast_gradcheck(fn, inputs, eps, atol, rtol, seed):
    rng = np.random.default_rng(seed)
    outs = _float_outputs(fn(*inputs))
    vs = [rng.standard_normal(o.shape) for o in outs]
    v_flat = np.concatenate([v.ravel() for v in vs]) if vs else np.zeros(0)
    live = [(o, v) for o, v in zip(outs, vs) if o.requires_grad]
    for i in _differentiable(inputs):
        x = inputs[i]._data
        u = rng.standard_normal(x.shape)
        u /= np.linalg.norm(u) or 1.0
        orig = x.copy()
        x[...] = orig + eps * u
        plus = _flat_outputs(fn, inputs)
        x[...] = orig - eps * u
        minus = _flat_outputs(fn, inputs)
        x[...] = orig
        numeric = float(v_flat @ ((plus - minus) / (2 * eps)))
        analytic = 0.0
        if live:
            (g,) = engine.grad([o for o, _ in live], [inputs[i]],
                               [wrap(v.astype(o.dtype)) for o, v in live],
                               retain_graph=True, allow_unused=True)
            if g is not None:
                analytic = float(np.sum(g._data.astype(np.float64) * u))
        if abs(analytic - numeric) > atol + rtol * abs(numeric):
            _fail("gradcheck (fast mode)", i, "vᵀJu along a random direction", "all",
                  analytic, numeric)
    return True


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3,
                  fast_mode=False, seed=0):
    """Check second derivatives: ``gradcheck`` of (inputs, v) -> vᵀ ∂fn/∂inputs.

    The backward pass is recorded (``create_graph=True``) and checked against central
    differences with respect to both the inputs and the output gradients ``grad_outputs``
    (random float64 when not given).

    Raises
    ------
    GradcheckError
        As ``gradcheck``; input indices past ``len(inputs)`` are the ``grad_outputs``. When
        the analytical value is exactly 0 (and the numerical one is not), the message adds the
        likely cause: a backward written in numpy instead of Tensor ops.
    """
    __tracebackhide__ = True
    inputs = _as_inputs(inputs)
    _check_dtypes(inputs, "gradgradcheck")
    diff = _differentiable(inputs)
    outs = [o for o in _float_outputs(fn(*inputs)) if o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = tuple(Tensor(rng.standard_normal(o.shape), requires_grad=True,
                                    dtype=np.float64) for o in outs)
    grad_outputs = _as_inputs(grad_outputs)
    n = len(inputs)

    def first_derivative(*args):
        xs, gos = args[:n], args[n:]
        with enable_grad():          # also when gradcheck evaluates it under no_grad
            ys = [o for o in _float_outputs(fn(*xs)) if o.requires_grad]
            gs = engine.grad(ys, [xs[i] for i in diff], gos, create_graph=True,
                             allow_unused=True)
        return tuple(g for g in gs if g is not None)

    try:
        return gradcheck(first_derivative, inputs + tuple(grad_outputs), eps, atol, rtol,
                         fast_mode, seed)
    except GradcheckError as e:
        message = str(e).replace("gradcheck", "gradgradcheck", 1)
        if e.analytical == 0 and e.numerical:
            message += "\n  " + NUMPY_BACKWARD_HINT
        raise GradcheckError(message, e.analytical, e.numerical) from None
