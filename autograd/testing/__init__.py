"""Testing kit: property-test your own ops the way the framework tests its own.

``autograd.testing.strategies`` holds `hypothesis <https://hypothesis.readthedocs.io>`_
strategies for tensors, shapes, broadcastable shape tuples and reduction dims, plus
``assert_gradients_hold`` (gradcheck + gradgradcheck + shape/dtype checks in one call) and
``check_gradients`` (the same, wrapped as a ready-to-collect hypothesis test)::

    import autograd as ag
    from autograd.testing import strategies as ats

    class Cube(ag.Function):
        rule = "d/da = 3a^2"

        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a.numpy(force=True) ** 3        # forward may return an ndarray

        @staticmethod
        def backward(ctx, grad):
            (a,) = ctx.saved_tensors
            return grad * 3 * a * a

    # a pytest test: 20 random float64 tensors of random shapes, first and second derivatives
    test_cube_gradients = ats.check_gradients(Cube.apply, ats.tensors())

``check_graph(loss)`` checks every node of a recorded graph against central differences (a
faulty rule deep inside a network is named, with where it was created); see
docs/testing-kit.md, with ``autograd.detect_anomaly()``.

hypothesis is a *test-time* dependency: importing ``autograd`` (or this package, for
``check_graph``) does not import it; only ``autograd.testing.strategies`` does, and without
hypothesis that import raises an ImportError saying to install the test extra
(``pip install -e '.[test]'``).
"""

from .graph_check import GraphCheck, check_graph  # noqa: F401

__all__ = ["strategies", "check_graph", "GraphCheck"]


def __getattr__(name):
    # ``autograd.testing.strategies`` on attribute access, without importing hypothesis
    # when only the package is imported
    if name == "strategies":
        import importlib
        return importlib.import_module(".strategies", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
