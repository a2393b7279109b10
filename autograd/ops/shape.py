"""Shape ops: reshape/view, permute/transpose, expand and its adjoint sum_to, indexing,
cat/stack/split, pad. Each backward moves the gradient back to where the values came from.
"""

import numpy as np

from ..errors import ShapeError
from ..function import Function
from ..tensor import Tensor

_wrap = Tensor._wrap


class Reshape(Function):
    """Same elements, new shape (``-1`` infers one size).  Backward: reshape back."""

    rule = "d/da = 1 (reshaped)"

    @staticmethod
    def forward(ctx, a, shape):
        try:
            out = a.data.reshape(shape)
        except ValueError:
            raise ShapeError(f"reshape: cannot view a tensor of shape {a.shape} "
                             f"({a.data.size} elements) as shape {tuple(shape)}") from None
        ctx.in_shape = a.shape
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.in_shape), None


class Permute(Function):
    """Reorder the axes.  Backward: the inverse permutation."""

    rule = "d/da = 1 (axes permuted back)"

    @staticmethod
    def forward(ctx, a, dims):
        if any(not -a.ndim <= d < max(a.ndim, 1) for d in dims) or \
                sorted(d % max(a.ndim, 1) for d in dims) != list(range(a.ndim)):
            raise ShapeError(f"permute: {tuple(dims)} is not a permutation of the "
                             f"{a.ndim} axes of a tensor of shape {a.shape}")
        ctx.dims = dims
        return _wrap(np.transpose(a.data, dims))

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(*np.argsort([d % grad.ndim for d in ctx.dims])), None


def transpose(input, dim0, dim1):
    """Swap two axes (``torch.transpose``)."""
    dims = list(range(input.ndim))
    try:
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    except IndexError:
        raise ShapeError(f"transpose: dims ({dim0}, {dim1}) out of range for shape "
                         f"{input.shape}") from None
    return Permute.apply(input, tuple(dims))


def flatten(input, start_dim=0, end_dim=-1):
    """Merge axes ``start_dim..end_dim`` into one (``torch.flatten``)."""
    if input.ndim == 0:
        return input.reshape(1)
    start, end = start_dim % input.ndim, end_dim % input.ndim
    shape = input.shape
    return input.reshape(shape[:start] + (-1,) + shape[end + 1:]) if start <= end else input


def squeeze(input, dim=None):
    """Drop axes of size 1 (all of them, or ``dim`` if it has size 1)."""
    shape = input.shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
    else:
        dims = _check_dims("squeeze", (dim,) if isinstance(dim, (int, np.integer)) else dim,
                           input.ndim, input.shape)
        new = tuple(s for i, s in enumerate(shape) if not (i in dims and s == 1))
    return input if new == shape else input.reshape(new)


def _check_dims(op_name, dims, ndim, shape):
    """``dims`` as a set of non-negative axes; ShapeError for an axis outside [-ndim, ndim)."""
    bound = max(ndim, 1)
    for d in dims:
        if not -bound <= d < bound:
            raise ShapeError(f"{op_name}: dim {d} out of range for shape {shape}")
    return {int(d) % bound for d in dims}


def unsqueeze(input, dim):
    """Insert an axis of size 1 at ``dim`` (negative counts from the end of the result)."""
    nd = input.ndim + 1
    if not -nd <= dim < nd:
        raise ShapeError(f"unsqueeze: dim {dim} out of range for shape {input.shape}")
    dim %= nd
    return input.reshape(input.shape[:dim] + (1,) + input.shape[dim:])


class Expand(Function):
    """Broadcast to ``shape`` without copying.  Backward: sum over the broadcast axes."""

    rule = "d/da = sum over broadcast axes"

    @staticmethod
    def forward(ctx, a, shape):
        lead = len(shape) - a.ndim
        if lead < 0:
            raise ShapeError(f"expand: cannot expand shape {a.shape} to fewer dims {shape}")
        shape = tuple(a.shape[i - lead] if s == -1 else s for i, s in enumerate(shape))
        try:
            out = np.broadcast_to(a.data, shape)
        except ValueError:
            raise ShapeError(f"expand: shape {a.shape} cannot be broadcast to {shape}") from None
        ctx.in_shape = a.shape
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        return SumTo.apply(grad, ctx.in_shape), None


class SumTo(Function):
    """Sum a broadcast array back to ``shape`` (the adjoint of expand).  Backward: expand."""

    rule = "d/da = 1 (expanded back)"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.in_shape = a.shape
        return _wrap(_sum_to_array(a.data, shape))

    @staticmethod
    def backward(ctx, grad):
        return Expand.apply(grad, ctx.in_shape), None


def _sum_to_array(x, shape):
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and x.shape[i + lead] != 1)
    out = np.sum(x, axis=axes, keepdims=True) if axes else x
    return out.reshape(shape) if lead or out.shape != shape else out


def expand(input, shape):
    """View ``input`` broadcast to ``shape`` (``-1`` keeps a size); ``Tensor.expand``."""
    return input if tuple(shape) == input.shape else Expand.apply(input, tuple(shape))


def sum_to(input, shape):
    """Sum ``input`` over broadcast axes down to ``shape`` (the engine's unbroadcast)."""
    return input if input.shape == tuple(shape) else SumTo.apply(input, tuple(shape))


def broadcast_to(input, shape):
    """``torch.broadcast_to``."""
    return expand(input, shape)


# -- indexing ------------------------------------------------------------------------------
def _plain_index(index):
    """The index with Tensors replaced by arrays, and whether it uses integer arrays."""
    items = index if isinstance(index, tuple) else (index,)
    plain, advanced = [], False
    for i in items:
        if isinstance(i, Tensor):
            i = i.data
        if isinstance(i, (list, np.ndarray)):
            i = np.asarray(i)
            advanced = advanced or i.dtype.kind in "iu"
        plain.append(i)
    return tuple(plain) if isinstance(index, tuple) else plain[0], advanced


class GetItem(Function):
    """c = a[index] (basic and integer-array indexing).  Backward: scatter-add into zeros."""

    rule = "d/da = 1 at the selected positions (summed over repeats)"

    @staticmethod
    def forward(ctx, a, index, advanced):
        try:
            out = a.data[index]
        except IndexError as e:
            raise ShapeError(f"getitem: index {index!r} is invalid for shape {a.shape}: {e}"
                             ) from None
        ctx.meta = (a.shape, index, advanced)
        return _wrap(out if isinstance(out, np.ndarray) else np.asarray(out))

    @staticmethod
    def backward(ctx, grad):
        shape, index, advanced = ctx.meta
        return IndexAdd.apply(grad, shape, index, advanced), None, None


class IndexAdd(Function):
    """zeros(shape) with ``a`` added at ``index`` (the adjoint of getitem).  Backward: getitem."""

    rule = "d/da = 1 (gathered back)"

    @staticmethod
    def forward(ctx, a, shape, index, advanced):
        out = np.zeros(shape, dtype=a.dtype)
        if advanced:
            np.add.at(out, index, a.data)      # repeated indices must add up
        else:
            out[index] = a.data
        ctx.meta = (index, advanced)
        return _wrap(out)

    @staticmethod
    def backward(ctx, grad):
        index, advanced = ctx.meta
        return GetItem.apply(grad, index, advanced), None, None, None


def getitem(input, index):
    """``input[index]``: ints, slices, None, Ellipsis, bool masks and integer arrays."""
    plain, advanced = _plain_index(index)
    return GetItem.apply(input, plain, advanced)


# -- joining and splitting -----------------------------------------------------------------
def _check_join(op_name, tensors, dim, same_rank_only=True):
    if not tensors:
        raise ShapeError(f"{op_name}: expected a non-empty sequence of tensors")
    first = tensors[0].shape
    rank = len(first) + (op_name == "stack")
    if rank == 0:
        raise ShapeError(f"{op_name}: zero-dimensional tensors cannot be concatenated "
                         "(use stack)")
    if not -rank <= dim < rank:
        raise ShapeError(f"{op_name}: dim {dim} out of range for tensors of shape {first}")
    for i, t in enumerate(tensors[1:], 1):
        if len(t.shape) != len(first):
            raise ShapeError(f"{op_name}: tensor 0 has shape {first} but tensor {i} has "
                             f"shape {t.shape}")
        for ax, (s0, s1) in enumerate(zip(first, t.shape)):
            if s0 != s1 and (op_name == "stack" or ax != dim % len(first)):
                raise ShapeError(f"{op_name}: tensor 0 has shape {first} but tensor {i} has "
                                 f"shape {t.shape} (sizes must match except in dim {dim})")


class Cat(Function):
    """Join tensors along ``dim``.  Backward: each input gets its slice of the gradient."""

    rule = "d/da_i = 1 (its slice)"

    @staticmethod
    def forward(ctx, *tensors, dim=0):
        _check_join("cat", tensors, dim)
        ctx.dim = dim % tensors[0].ndim
        ctx.sizes = [t.shape[ctx.dim] for t in tensors]
        return _wrap(np.concatenate([t.data for t in tensors], axis=ctx.dim))

    @staticmethod
    def backward(ctx, grad):
        out, start = [], 0
        for size, need in zip(ctx.sizes, ctx.needs_input_grad):
            if need:
                index = (slice(None),) * ctx.dim + (slice(start, start + size),)
                out.append(GetItem.apply(grad, index, False))
            else:
                out.append(None)
            start += size
        return tuple(out)


class Stack(Function):
    """Join tensors along a new axis ``dim``.  Backward: each input gets its slice."""

    rule = "d/da_i = 1 (its slice)"

    @staticmethod
    def forward(ctx, *tensors, dim=0):
        _check_join("stack", tensors, dim)
        ctx.dim = dim % (tensors[0].ndim + 1)
        return _wrap(np.stack([t.data for t in tensors], axis=ctx.dim))

    @staticmethod
    def backward(ctx, grad):
        return tuple(GetItem.apply(grad, (slice(None),) * ctx.dim + (i,), False) if need
                     else None for i, need in enumerate(ctx.needs_input_grad))


def cat(tensors, dim=0):
    """Concatenate along an existing axis (``torch.cat``).

    Raises ShapeError when sizes differ outside ``dim`` or ranks differ.
    """
    return Cat.apply(*tensors, dim=dim)


concatenate = cat


def stack(tensors, dim=0):
    """Stack equally shaped tensors along a new axis (``torch.stack``)."""
    return Stack.apply(*tensors, dim=dim)


def split(input, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` (or of the given list of sizes) along ``dim``."""
    size = input.shape[dim]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        sections = [min(step, size - s) for s in range(0, size, step)]
    else:
        sections = list(split_size_or_sections)
        if sum(sections) != size:
            raise ShapeError(f"split: sections {sections} do not add up to size {size}")
    dim %= input.ndim
    pieces, start = [], 0
    for n in sections:
        pieces.append(input[(slice(None),) * dim + (slice(start, start + n),)])
        start += n
    return tuple(pieces)


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` nearly equal pieces (``torch.chunk``)."""
    size = input.shape[dim]
    return split(input, -(-size // chunks), dim)


# -- padding -------------------------------------------------------------------------------
class Pad(Function):
    """Constant padding, PyTorch's ``pad`` order: (last_left, last_right, prev_left, ...).

    Backward: the gradient of the un-padded region (a slice).
    """

    rule = "d/da = 1 (inner region)"

    @staticmethod
    def forward(ctx, a, pad, value=0.0):
        if len(pad) % 2 or len(pad) // 2 > a.ndim:
            raise ShapeError(f"pad: {tuple(pad)} must hold (left, right) pairs for at most "
                             f"{a.ndim} dims of shape {a.shape}")
        if any(p < 0 for p in pad):
            raise ShapeError(f"pad: negative padding {tuple(pad)} is not supported")
        widths = [(0, 0)] * a.ndim
        for i in range(len(pad) // 2):
            widths[a.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
        ctx.index = tuple(slice(lo, lo + s) for (lo, _), s in zip(widths, a.shape))
        return _wrap(np.pad(a.data, widths, mode="constant", constant_values=value))

    @staticmethod
    def backward(ctx, grad):
        return GetItem.apply(grad, ctx.index, False), None, None


def pad(input, pad, mode="constant", value=0.0):
    """Pad with a constant (``torch.nn.functional.pad``; only ``mode='constant'``)."""
    if mode != "constant":
        raise ValueError(f"pad: mode {mode!r} is not supported (only 'constant')")
    return Pad.apply(input, tuple(pad), value)
