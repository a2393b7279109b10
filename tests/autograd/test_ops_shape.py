"""Shape ops: reshape/view, transpose/permute, flatten, squeeze/unsqueeze, expand/broadcast_to,
indexing (basic, integer arrays, repeated indices, bool masks), cat/stack/split/chunk, pad,
clone and dtype casts. Forward against numpy, first and second derivatives, properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.testing import strategies as ats

rng = np.random.default_rng(11)
X = rng.standard_normal((2, 3, 4))


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


CASES = {
    "reshape": (lambda x: x.reshape(6, 4), lambda a: a.reshape(6, 4)),
    "reshape_tuple_-1": (lambda x: x.reshape((4, -1)), lambda a: a.reshape(4, -1)),
    "ag.reshape": (lambda x: ag.reshape(x, (24,)), lambda a: a.reshape(24)),
    "view": (lambda x: x.view(2, 12), lambda a: a.reshape(2, 12)),
    "transpose": (lambda x: x.transpose(0, 2), lambda a: a.swapaxes(0, 2)),
    "ag.transpose_neg": (lambda x: ag.transpose(x, -1, -2), lambda a: a.swapaxes(-1, -2)),
    "permute": (lambda x: x.permute(2, 0, 1), lambda a: a.transpose(2, 0, 1)),
    "ag.permute_neg": (lambda x: ag.permute(x, (-1, 0, -2)), lambda a: a.transpose(2, 0, 1)),
    "T": (lambda x: x.T, lambda a: a.transpose(2, 1, 0)),
    "mT": (lambda x: x.mT, lambda a: a.swapaxes(-1, -2)),
    "flatten": (lambda x: x.flatten(), lambda a: a.reshape(-1)),
    "flatten_1": (lambda x: ag.flatten(x, 1), lambda a: a.reshape(2, 12)),
    "flatten_0_1": (lambda x: x.flatten(0, 1), lambda a: a.reshape(6, 4)),
    "unsqueeze": (lambda x: x.unsqueeze(1), lambda a: a[:, None]),
    "unsqueeze_-1": (lambda x: ag.unsqueeze(x, -1), lambda a: a[..., None]),
    "squeeze": (lambda x: x[:, :1].squeeze(), lambda a: a[:, 0]),
    "squeeze_dim": (lambda x: ag.squeeze(x[:1, :, :1], 2), lambda a: a[:1, :, 0]),
    "squeeze_noop": (lambda x: x.squeeze(0) * 1.0, lambda a: a),
    "expand": (lambda x: x[:, :1].expand(2, 3, 4), lambda a: np.broadcast_to(a[:, :1], (2, 3, 4))),
    "expand_new_axis": (lambda x: x.expand(5, -1, -1, -1),
                        lambda a: np.broadcast_to(a, (5, 2, 3, 4))),
    "broadcast_to": (lambda x: ag.broadcast_to(x[0, :, :1], (2, 3, 4)),
                     lambda a: np.broadcast_to(a[0, :, :1], (2, 3, 4))),
    "expand_as": (lambda x: x[:1].expand_as(x), lambda a: np.broadcast_to(a[:1], a.shape)),
    "getitem_int": (lambda x: x[1], lambda a: a[1]),
    "getitem_neg_slice": (lambda x: x[-1, ::2, 1:3], lambda a: a[-1, ::2, 1:3]),
    "getitem_none_ellipsis": (lambda x: x[None, ..., 0], lambda a: a[None, ..., 0]),
    "getitem_int_array": (lambda x: x[[1, 0, 1]], lambda a: a[[1, 0, 1]]),
    "getitem_repeated": (lambda x: x[:, [2, 2, 0, 2]], lambda a: a[:, [2, 2, 0, 2]]),
    "getitem_tensor_index": (lambda x: x[ag.tensor([0, 0]), 1], lambda a: a[[0, 0], 1]),
    "getitem_two_arrays": (lambda x: x[[0, 1, 1], [2, 2, 0]], lambda a: a[[0, 1, 1], [2, 2, 0]]),
    "getitem_bool": (lambda x: x[ag.tensor(X > 0)], lambda a: a[X > 0]),
    "split_int": (lambda x: x.split(2, dim=2)[1], lambda a: a[:, :, 2:4]),
    "ag.split_sections": (lambda x: ag.split(x, [1, 2], 1)[1], lambda a: a[:, 1:3]),
    "chunk": (lambda x: x.chunk(3, 1)[2], lambda a: a[:, 2:3]),
    "ag.chunk": (lambda x: ag.chunk(x, 2, -1)[0], lambda a: a[..., :2]),
    "pad": (lambda x: ag.pad(x, (1, 2)), lambda a: np.pad(a, ((0, 0), (0, 0), (1, 2)))),
    "pad_2d_value": (lambda x: ag.pad(x, (0, 1, 2, 0), value=-1.5),
                     lambda a: np.pad(a, ((0, 0), (2, 0), (0, 1)), constant_values=-1.5)),
    "clone": (lambda x: x.clone(), lambda a: a),
    "contiguous": (lambda x: x.contiguous() * 1.0, lambda a: a),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_forward_matches_numpy_and_derivatives_hold(name):
    fn, ref = CASES[name]
    x = leaf(X)
    out = fn(x)
    np.testing.assert_array_equal(out.detach().numpy(), ref(X))
    assert out.dtype == np.float64
    ats.assert_gradients_hold(fn, x, second_order="fast")


@pytest.mark.parametrize("name", ["reshape", "permute", "expand", "getitem_repeated", "pad"])
def test_full_second_order(name):
    ats.assert_gradients_hold(CASES[name][0], leaf(X))


def test_repeated_indices_accumulate_their_gradients():
    x = leaf([10.0, 20.0, 30.0])
    y = x[[0, 2, 2, 2, 0]]
    (y * ag.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=np.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6.0, 0.0, 9.0])


def test_split_and_chunk_sizes_and_gradient_reassembles():
    x = leaf(np.arange(10.0))
    pieces = x.split(3)
    assert [p.shape for p in pieces] == [(3,), (3,), (3,), (1,)]
    assert [p.shape for p in x.chunk(4)] == [(3,), (3,), (3,), (1,)]
    assert [p.shape for p in ag.chunk(x, 5)] == [(2,)] * 5
    sum(((p * float(i + 1)).sum() for i, p in enumerate(pieces)), ag.tensor(0.0)).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1, 1, 1, 2, 2, 2, 3, 3, 3, 4])
    with pytest.raises(ag.ShapeError, match="split"):
        x.split([3, 3])


# -- cat / stack ------------------------------------------------------------------------------
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat_forward_and_derivatives(dim):
    a, b, c = leaf(X), leaf(X[:, :, :1] + 1 if dim == -1 else X + 1), leaf(X * 2)
    if dim in (-1,):
        c = leaf(X[:, :, :2] * 2)
    out = ag.cat([a, b, c], dim)
    np.testing.assert_array_equal(out.detach().numpy(),
                                  np.concatenate([a.numpy(force=True), b.numpy(force=True), c.numpy(force=True)], axis=dim))
    ats.assert_gradients_hold(lambda *ts: ag.cat(ts, dim=dim), a, b, c)


def test_cat_gives_each_input_its_slice_and_skips_constants():
    a, b = leaf([1.0, 2.0]), ag.tensor([3.0, 4.0, 5.0], dtype=np.float64)
    out = ag.concatenate((a, b))
    (out * ag.tensor(np.arange(5.0))).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 1.0])
    assert b.grad is None


@pytest.mark.parametrize("dim", [0, 1, 3, -1])
def test_stack_forward_and_derivatives(dim):
    a, b = leaf(X), leaf(-X)
    out = ag.stack([a, b], dim)
    np.testing.assert_array_equal(out.detach().numpy(), np.stack([X, -X], axis=dim))
    ats.assert_gradients_hold(lambda *ts: ag.stack(ts, dim=dim), a, b)


# -- dtype casts ------------------------------------------------------------------------------
def test_to_double_and_float_casts_are_differentiable_and_cast_grads_back():
    x = ag.tensor([1.0, 2.0], requires_grad=True)                  # float32
    y = x.double()
    assert y.dtype == np.float64 and y.grad_fn is not None
    (y * y).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])
    z = leaf([1.5])
    assert z.to(np.float32).dtype == np.float32
    assert z.to(ag.float64) is z and z.to("cpu") is z
    assert z.float().dtype == np.float32 and z.half().dtype == np.float16
    assert z.type_as(x).dtype == np.float32 and z.to(x).dtype == np.float32
    ints = z.long()
    assert ints.dtype == np.int64 and not ints.requires_grad
    assert z.int().dtype == np.int32 and z.bool().dtype == np.bool_
    # through a float32 intermediate: only float32-accurate, so loose tolerances
    assert ag.gradcheck(lambda t: t.float().double() * t, (leaf([0.5, -1.25]),), eps=1e-3,
                        atol=1e-3, rtol=1e-2)


# -- hypothesis -------------------------------------------------------------------------------
@st.composite
def tensor_and_permutation(draw):
    x = draw(ats.tensors(ats.shapes(min_dims=1, max_dims=4)))
    perm = draw(st.permutations(range(x.ndim)))
    signs = draw(st.lists(st.booleans(), min_size=x.ndim, max_size=x.ndim))
    return ats.Args((x, tuple(p - x.ndim if s else p for p, s in zip(perm, signs))))


test_permute = ats.check_gradients(lambda x, perm: x.permute(*perm), tensor_and_permutation())


@st.composite
def tensor_and_new_shape(draw):
    x = draw(ats.tensors(ats.shapes(max_dims=4)))
    items = list(np.unique(np.r_[1, [k for k in range(1, x.numpy(force=True).size + 1)
                                      if x.numpy(force=True).size % k == 0]]))
    first = draw(st.sampled_from(items))
    shape = (first, x.numpy(force=True).size // first)
    if draw(st.booleans()):
        shape = (-1, shape[1])
    return ats.Args((x, shape))


test_reshape = ats.check_gradients(lambda x, shape: x.reshape(shape), tensor_and_new_shape())


@given(tensor_and_new_shape())
def test_reshape_forward_matches_numpy(args):
    x, shape = args
    np.testing.assert_array_equal(x.reshape(shape).detach().numpy(), x.numpy(force=True).reshape(shape))
    np.testing.assert_array_equal(x.view(*shape).detach().numpy(), x.numpy(force=True).reshape(shape))


@st.composite
def broadcast_source_and_target(draw):
    small, target = draw(ats.broadcastable_shapes(2).map(
        lambda s: (s[0], np.broadcast_shapes(*s))))
    return ats.Args((draw(ats.tensors(small)), target))


test_expand = ats.check_gradients(lambda x, shape: x.expand(*shape),
                                  broadcast_source_and_target())


@given(broadcast_source_and_target())
def test_expand_gradient_sums_over_broadcast_axes(args):
    x, shape = args
    y = ag.broadcast_to(x, shape)
    np.testing.assert_array_equal(y.detach().numpy(), np.broadcast_to(x.numpy(force=True), shape))
    w = rng.standard_normal(shape)
    (y * ag.tensor(w)).sum().backward()
    lead = len(shape) - x.ndim
    expected = w.sum(axis=tuple(range(lead))) if lead else w
    expected = expected.sum(axis=tuple(i for i, s in enumerate(x.shape) if s == 1),
                            keepdims=True).reshape(x.shape)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12, atol=1e-12)


@st.composite
def tensor_and_index(draw):
    x = draw(ats.tensors(ats.shapes(min_dims=1, max_side=4)))
    kind = draw(st.sampled_from(["int", "slice", "array", "bool"]))
    n = x.shape[0]
    if kind == "int":
        index = draw(st.integers(-n, n - 1))
    elif kind == "slice":
        index = slice(draw(st.integers(-n, n)), draw(st.integers(-n, n)),
                      draw(st.sampled_from([1, 2, -1])))
    elif kind == "array":
        index = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=6))  # repeats
    else:
        index = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return ats.Args((x, index))


test_getitem = ats.check_gradients(lambda x, index: x[index] * 1.0, tensor_and_index())


@given(tensor_and_index())
def test_getitem_forward_matches_numpy(args):
    x, index = args
    np.testing.assert_array_equal(x[index].detach().numpy(), x.numpy(force=True)[index])


@st.composite
def tensors_to_join(draw):
    shape = draw(ats.shapes(min_dims=1))
    dim = draw(ats.single_dim(len(shape)))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    shapes = [tuple(s if i != dim % len(shape) else k for i, s in enumerate(shape))
              for k in sizes]
    return ats.Args((dim, *draw(ats.tensor_tuples(tuple(shapes)))))   # tensors: top level


test_cat = ats.check_gradients(lambda dim, *ts: ag.cat(ts, dim), tensors_to_join())


@given(tensors_to_join())
def test_cat_then_split_round_trips(args):
    dim, *ts = args
    joined = ag.cat(ts, dim)
    np.testing.assert_array_equal(joined.detach().numpy(),
                                  np.concatenate([t.numpy(force=True) for t in ts], axis=dim))
    back = joined.split([t.shape[dim] for t in ts], dim)
    for t, b in zip(ts, back):
        np.testing.assert_array_equal(b.detach().numpy(), t.numpy(force=True))


@st.composite
def tensors_to_stack(draw):
    shape = draw(ats.shapes())
    k = draw(st.integers(1, 3))
    ts = draw(ats.tensor_tuples(tuple([shape] * k)))
    return ats.Args((draw(ats.single_dim(len(shape) + 1)), *ts))


test_stack = ats.check_gradients(lambda dim, *ts: ag.stack(ts, dim), tensors_to_stack())


@st.composite
def tensor_and_padding(draw):
    x = draw(ats.tensors(ats.shapes(min_dims=1)))
    pairs = draw(st.integers(1, x.ndim))
    return ats.Args((x, tuple(draw(st.lists(st.integers(0, 2), min_size=2 * pairs,
                                            max_size=2 * pairs)))))


test_pad = ats.check_gradients(lambda x, p: ag.pad(x, p, value=0.5), tensor_and_padding())


@given(ats.tensors(ats.shapes(max_dims=4)), st.data())
def test_squeeze_unsqueeze_flatten_transpose_match_numpy(x, data):
    a = x.numpy(force=True)
    np.testing.assert_array_equal(x.squeeze().detach().numpy(), np.squeeze(a))
    d = data.draw(st.integers(-a.ndim - 1, a.ndim))
    np.testing.assert_array_equal(x.unsqueeze(d).detach().numpy(), np.expand_dims(a, d))
    np.testing.assert_array_equal(x.flatten().detach().numpy(), a.reshape(-1))
    if a.ndim >= 2:
        d0, d1 = data.draw(ats.single_dim(a.ndim)), data.draw(ats.single_dim(a.ndim))
        np.testing.assert_array_equal(x.transpose(d0, d1).detach().numpy(),
                                      np.swapaxes(a, d0, d1))
    ats.assert_gradients_hold(lambda t: t.unsqueeze(d).squeeze().flatten() * 1.0, x,
                              second_order=False)


@st.composite
def tensor_dim_and_split(draw):
    x = draw(ats.tensors(ats.shapes(min_dims=1, max_side=4)))
    dim = draw(ats.single_dim(x.ndim))
    return ats.Args((x, dim, draw(st.integers(1, 4))))


# every piece weighted differently, so a gradient sent to the wrong piece is caught
test_split = ats.check_gradients(
    lambda x, dim, size: sum(((p * float(i + 1)).sum() for i, p in
                              enumerate(x.split(size, dim))), ag.tensor(0.0, dtype=np.float64)),
    tensor_dim_and_split())
test_chunk = ats.check_gradients(
    lambda x, dim, n: ag.cat([p * float(i + 1) for i, p in enumerate(x.chunk(n, dim))], dim),
    tensor_dim_and_split())


@st.composite
def tensor_and_two_dims(draw):
    x = draw(ats.tensors(ats.shapes(min_dims=1, max_dims=4)))
    return ats.Args((x, draw(ats.single_dim(x.ndim)), draw(ats.single_dim(x.ndim))))


test_transpose = ats.check_gradients(lambda x, d0, d1: x.transpose(d0, d1), tensor_and_two_dims())
test_flatten_unsqueeze_squeeze = ats.check_gradients(
    lambda x, d0, d1: x.unsqueeze(d0).flatten(min(d0 % x.ndim, d1 % x.ndim)).squeeze(),
    tensor_and_two_dims())


@given(ats.tensors(dtype=np.float32))
def test_cast_to_double_and_back_routes_gradients_in_each_dtype(x):
    y = x.double()
    assert y.dtype == np.float64 and x.dtype == np.float32
    w = ag.tensor(np.linspace(-1, 1, y.numpy(force=True).size).reshape(y.shape))
    (y * w).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), w.numpy().astype(np.float32))
    z = ag.tensor(x.numpy(force=True).astype(np.float64), requires_grad=True)
    (z.float() * 3.0).sum().backward()
    assert z.grad.dtype == np.float64 and np.all(z.grad.numpy() == 3.0)
