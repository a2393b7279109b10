"""Shape ops: reshape/view, permute/transpose, expand and its adjoint sum_to, indexing (and
indexed assignment), cat/stack/split, pad. Each backward moves the gradient back to where the
values came from.

Views (reshape when numpy can, permute, expand, basic indexing) share their base's storage and
version counter, so in-place writes through either are seen by both, as in PyTorch. Every
argument is checked the way PyTorch checks it, with errors that name the op.
"""

import math
import numbers

import numpy as np

from .. import dtypes, validate
from ..dims import normalize_dim
from ..errors import ArgumentError, ArgumentTypeError, DimError, ShapeError
from ..function import Function
from ..graph import sum_to_array
from ..tensor import Tensor, wrap

__all__ = ["reshape", "flatten", "unflatten", "squeeze", "unsqueeze", "transpose", "t",
           "permute", "expand", "sum_to", "broadcast_to", "getitem", "setitem", "assign", "cat",
           "concatenate", "stack", "split", "chunk", "narrow", "pad", "movedim"]


# -- reshape -------------------------------------------------------------------------------
class Reshape(Function):
    """Same elements, new shape.  Backward: reshape back."""

    rule = "d/da = 1 (reshaped)"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        return a._data.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.inputs[0].shape), None


def _infer_shape(op, shape, size, old):
    """``shape`` with its one -1 resolved (PyTorch's ``infer_size``)."""
    shape = tuple(validate.integer(s.item() if isinstance(s, Tensor) else s, "size", op)
                  for s in shape)
    if any(s < -1 for s in shape):
        raise ShapeError(f"{op}: invalid shape dimension {min(shape)} in {shape}")
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise ShapeError(f"{op}: only one dimension can be inferred (-1) in {shape}")
    known = math.prod(s for s in shape if s != -1)
    if unknown:
        if known == 0 or size % known:
            raise ShapeError(f"{op}: shape {shape} is invalid for input of size {size} "
                             f"(shape {tuple(old)})")
        shape = shape[:unknown[0]] + (size // known,) + shape[unknown[0] + 1:]
    elif known != size:
        raise ShapeError(f"{op}: shape {shape} is invalid for input of size {size} "
                         f"(shape {tuple(old)})")
    return shape


def reshape(input, shape):
    """The same elements in ``shape`` (one size may be -1; ``torch.reshape``). A view when
    numpy can make one, else a copy.

    Raises
    ------
    ShapeError
        Sizes that do not multiply to the number of elements, two -1, sizes below -1.
    """
    validate.tensor(input, "reshape")
    shape = _infer_shape("reshape", shape, input._data.size, input.shape)
    return input if shape == input.shape else Reshape.apply(input, shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Merge axes ``start_dim..end_dim`` into one (``torch.flatten``); a 0-d tensor becomes
    1-d.

    Raises
    ------
    DimError
        A dim out of range; ShapeError when ``start_dim`` comes after ``end_dim``.
    """
    validate.tensor(input, "flatten")
    if input.ndim == 0:
        normalize_dim(start_dim, 0, "flatten")
        normalize_dim(end_dim, 0, "flatten")
        return input.reshape(1)
    start = normalize_dim(start_dim, input.shape, "flatten")
    end = normalize_dim(end_dim, input.shape, "flatten")
    if start > end:
        raise ShapeError(f"flatten: start_dim {start_dim} cannot come after end_dim "
                         f"{end_dim} (shape {tuple(input.shape)})")
    shape = input.shape
    merged = math.prod(shape[start:end + 1])
    return reshape(input, shape[:start] + (merged,) + shape[end + 1:])


def unflatten(input, dim, sizes):
    """Split axis ``dim`` into ``sizes`` (``torch.unflatten``; one size may be -1)."""
    validate.tensor(input, "unflatten")
    d = normalize_dim(dim, input.shape, "unflatten")
    if not isinstance(sizes, (list, tuple)):
        raise ArgumentTypeError(f"unflatten: sizes must be a tuple of ints, got "
                                f"{type(sizes).__name__} {sizes!r}")
    sizes = _infer_shape("unflatten", tuple(sizes), input.shape[d], input.shape)
    return reshape(input, input.shape[:d] + sizes + input.shape[d + 1:])


def squeeze(input, dim=None):
    """Drop axes of size 1 (all of them, or those of ``dim``, an int or a tuple)."""
    shape = validate.tensor(input, "squeeze").shape
    if dim is None:
        new = tuple(s for s in shape if s != 1)
    else:
        dims = tuple(dim) if isinstance(dim, (list, tuple)) else (dim,)
        drop = {normalize_dim(d, input.shape, "squeeze") for d in dims}
        new = tuple(s for i, s in enumerate(shape) if not (i in drop and s == 1))
    return input if new == shape else reshape(input, new)


def unsqueeze(input, dim):
    """Insert an axis of size 1 at ``dim`` (negative counts from the end of the result)."""
    d = normalize_dim(dim, validate.tensor(input, "unsqueeze").shape, "unsqueeze", extra=1)
    return reshape(input, input.shape[:d] + (1,) + input.shape[d:])


# -- permute -------------------------------------------------------------------------------
class Permute(Function):
    """Reorder the axes.  Backward: the inverse permutation."""

    rule = "d/da = 1 (axes permuted back)"
    is_view = True

    @staticmethod
    def forward(ctx, a, dims):
        return np.transpose(a._data, dims)

    @staticmethod
    def backward(ctx, grad):
        return Permute.apply(grad, tuple(np.argsort(ctx.inputs[1]).tolist())), None


def permute(input, dims):
    """The axes reordered as ``dims`` (``torch.permute``).

    Raises
    ------
    ShapeError
        When ``dims`` is not a permutation of the axes (DimError for one out of range).
    """
    validate.tensor(input, "permute")
    dims = tuple(normalize_dim(d, input.shape, "permute") for d in dims)
    if sorted(dims) != list(range(input.ndim)):
        raise ShapeError(f"permute: {dims} is not a permutation of the {input.ndim} axes of "
                         f"a tensor of shape {tuple(input.shape)}")
    return input if dims == tuple(range(input.ndim)) else Permute.apply(input, dims)


def transpose(input, dim0, dim1):
    """Swap two axes (``torch.transpose``)."""
    d0 = normalize_dim(dim0, validate.tensor(input, "transpose").shape, "transpose")
    d1 = normalize_dim(dim1, input.shape, "transpose")
    if input.ndim < 2 or d0 == d1:
        return input
    dims = list(range(input.ndim))
    dims[d0], dims[d1] = d1, d0
    return Permute.apply(input, tuple(dims))


def movedim(input, source, destination):
    """Move axis ``source`` to position ``destination`` (``torch.movedim``, one int each)."""
    s = normalize_dim(source, validate.tensor(input, "movedim").shape, "movedim")
    d = normalize_dim(destination, input.shape, "movedim")
    order = [i for i in range(input.ndim) if i != s]
    order.insert(d, s)
    return permute(input, order)


def t(input):
    """The transpose of a matrix; 0-d and 1-d tensors are returned as they are (``torch.t``).

    Raises
    ------
    ShapeError
        For more than 2 dims.
    """
    if validate.tensor(input, "t").ndim > 2:
        raise ShapeError(f"t: expects a tensor with <= 2 dimensions, but it has "
                         f"{input.ndim} (shape {tuple(input.shape)}); use transpose(dim0, dim1)")
    return transpose(input, 0, 1) if input.ndim == 2 else input


# -- broadcasting --------------------------------------------------------------------------
class Expand(Function):
    """Broadcast to ``shape`` without copying.  Backward: sum over the broadcast axes."""

    rule = "d/da = sum over broadcast axes"
    is_view = True

    @staticmethod
    def forward(ctx, a, shape):
        return np.broadcast_to(a._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return SumTo.apply(grad, ctx.inputs[0].shape), None


class SumTo(Function):
    """Sum a broadcast array back to ``shape`` (the adjoint of expand).  Backward: expand."""

    rule = "d/da = 1 (expanded back)"

    @staticmethod
    def forward(ctx, a, shape):
        return sum_to_array(a._data, shape)

    @staticmethod
    def backward(ctx, grad):
        return Expand.apply(grad, ctx.inputs[0].shape), None


def expand(input, shape):
    """View ``input`` broadcast to ``shape`` (-1 keeps a size; ``Tensor.expand``).

    Raises
    ------
    ShapeError
        Fewer dims than the input, -1 on a new leading dim, or sizes that do not broadcast.
    """
    validate.tensor(input, "expand")
    shape = tuple(validate.integer(s, "size", "expand") for s in shape)
    lead = len(shape) - input.ndim
    if lead < 0:
        raise ShapeError(f"expand: the number of sizes {shape} must be at least the number of "
                         f"dims of the tensor (shape {tuple(input.shape)})")
    for i, s in enumerate(shape[:lead]):
        if s < 0:
            raise ShapeError(f"expand: the expanded size {s} isn't allowed in a leading, "
                             f"non-existing dimension {i} (shape {tuple(input.shape)} to {shape})")
    kept = zip(shape[lead:], input.shape)
    full = shape[:lead] + tuple(old if s == -1 else s for s, old in kept)
    for s, old in zip(full[lead:], input.shape):
        if s != old and old != 1 or s < 0:
            raise ShapeError(f"expand: shape {tuple(input.shape)} cannot be expanded to {shape}")
    return input if full == input.shape else Expand.apply(input, full)


def sum_to(input, shape):
    """Sum ``input`` over broadcast axes down to ``shape`` (``Tensor.sum_to_size``)."""
    shape = tuple(shape)
    return input if input.shape == shape else SumTo.apply(input, shape)


def broadcast_to(input, shape):
    """``torch.broadcast_to``."""
    return expand(input, shape)


# -- indexing ------------------------------------------------------------------------------
class GetItem(Function):
    """c = a[index] (ints, slices, None, Ellipsis, bool masks, integer arrays).
    Backward: scatter-add into zeros (repeated indices add up)."""

    rule = "d/da = 1 at the selected positions (summed over repeats)"
    is_view = True

    @staticmethod
    def forward(ctx, a, index):
        return _take(a._data, index)

    @staticmethod
    def backward(ctx, grad):
        a, index = ctx.inputs
        return IndexAdd.apply(grad, a.shape, index), None


class IndexAdd(Function):
    """zeros(shape) with ``a`` added at ``index`` (the adjoint of getitem).  Backward: getitem."""

    rule = "d/da = 1 (gathered back)"

    @staticmethod
    def forward(ctx, a, shape, index):
        out = np.zeros(shape, dtype=a.dtype)
        _add_at(out, index, a._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        return GetItem.apply(grad, ctx.inputs[2]), None, None


class IndexPut(Function):
    """c = a with c[index] = v (``a[index] = v`` while recording).
    dc/da = 1 outside ``index``, 0 inside; dc/dv = gathered (summed over broadcasting)."""

    rule = "d/da = 1 outside index, d/dv = 1 at index"

    @staticmethod
    def forward(ctx, a, index, v):
        out = a._data.copy()
        _put(out, index, v._data)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, index, v = ctx.inputs
        need_a, _, need_v = ctx.needs_input_grad
        ga = gv = None
        if need_a:
            ga = IndexPut.apply(grad, index, wrap(np.zeros((), dtype=grad.dtype)))
        if need_v:
            gv = GetItem.apply(grad, index)
        return ga, None, gv


class _Index:
    """A checked index: ``first`` (int selections, a view) then ``rest`` (numpy indexing).
    PyTorch treats ints as selections even beside integer arrays (``x[0, :, [1, 2]]``), where
    numpy would move the array's axis to the front; doing the ints first gives PyTorch's
    layout."""

    __slots__ = ("first", "rest", "advanced")

    def __init__(self, first, rest, advanced):
        self.first, self.rest, self.advanced = first, rest, advanced

    def __repr__(self):
        return repr(self.rest if self.first is None else (self.first, self.rest))


def _take(x, index):
    if index.first is not None:
        x = x[index.first]
    return x[index.rest]


def _add_at(out, index, values):
    target = out[index.first] if index.first is not None else out
    if index.advanced:
        np.add.at(target, index.rest, values)     # repeated indices must add up
    else:
        target[index.rest] += values


def _put(out, index, values):
    target = out[index.first] if index.first is not None else out
    target[index.rest] = values


def _index_item(i):
    if isinstance(i, Tensor):
        i = i._data
        if i.ndim == 0 and i.dtype.kind in "iu":
            return int(i)
    if isinstance(i, (list, np.ndarray)):
        i = np.asarray(i)
        if i.dtype.kind not in "iub" and i.size:
            raise DimError(f"getitem: tensors used as indices must be integer or bool, got "
                           f"dtype {i.dtype}")
        if i.size == 0:
            i = i.astype(np.int64)
    return i


def _plan_index(index, ndim, shape):
    """Check ``index`` and split it into PyTorch's two steps (see ``_Index``)."""
    items = index if isinstance(index, tuple) else (index,)
    items = tuple(_index_item(i) for i in items)
    advanced = any(isinstance(i, np.ndarray) for i in items)
    ints = any(isinstance(i, (numbers.Integral, np.integer)) and not isinstance(i, bool)
               for i in items)
    if not (advanced and ints):
        return _Index(None, items if isinstance(index, tuple) else items[0], advanced)
    consumed = [0 if i is None else (i.ndim if isinstance(i, np.ndarray) and i.dtype == bool
                                     else 0 if i is Ellipsis else 1) for i in items]
    free = ndim - sum(consumed)
    first, rest = [], []
    for i, n in zip(items, consumed):
        if i is Ellipsis:
            first += [slice(None)] * free
            rest.append(i)
        elif isinstance(i, (numbers.Integral, np.integer)) and not isinstance(i, bool):
            first.append(i)
        else:
            first += [slice(None)] * n
            rest.append(i)
    return _Index(tuple(first), tuple(rest), advanced)


def _check_index(op, x, plan):
    try:
        _take(x, plan)
    except IndexError as e:
        raise DimError(f"{op}: index {plan!r} is invalid for shape {tuple(x.shape)}: {e}") from None


def getitem(input, index):
    """``input[index]``: ints, slices, None, Ellipsis, bool masks and integer arrays or
    Tensors, with PyTorch's layout rules.

    Raises
    ------
    DimError
        An index out of range (also an IndexError, so sequence iteration stops as usual).
    """
    plan = _plan_index(index, input.ndim, input.shape)
    try:
        return GetItem.apply(input, plan)
    except IndexError as e:
        raise DimError(f"getitem: index {plan!r} is invalid for shape {tuple(input.shape)}: {e}"
                       ) from None


def setitem(input, index, value):
    """``input[index] = value`` computed out of place: the new array (for the in-place
    machinery of ``Tensor.__setitem__``)."""
    plan = _plan_index(index, input.ndim, input.shape)
    if not isinstance(value, Tensor):
        value = wrap(np.asarray(value, dtype=input.dtype))
    elif value.dtype != input.dtype:
        value = value.to(input.dtype)
    try:
        return IndexPut.apply(input, plan, value)
    except IndexError as e:
        raise DimError(f"setitem: index {plan!r} is invalid for shape {tuple(input.shape)}: {e}"
                       ) from None
    except ValueError:
        raise ShapeError(f"setitem: a value of shape {tuple(value.shape)} cannot be assigned to "
                         f"input{plan!r} (input shape {tuple(input.shape)})") from None


def assign(input, index, value):
    """``input[index] = value`` written into ``input``'s storage (no graph: the caller made
    sure nothing records), with PyTorch's index rules.

    Raises
    ------
    DimError
        An index out of range; ShapeError for a value that does not broadcast.
    """
    plan = _plan_index(index, input.ndim, input.shape)
    v = value._data if isinstance(value, Tensor) else value
    try:
        _put(input._data, plan, v)
    except IndexError as e:
        raise DimError(f"setitem: index {plan!r} is invalid for shape {tuple(input.shape)}: {e}"
                       ) from None
    except ValueError as e:
        if "read-only" in str(e):
            raise ShapeError(f"setitem: the tensor (shape {tuple(input.shape)}) is a read-only "
                             "view "
                             "(e.g. from expand); clone() it first") from None
        raise ShapeError(f"setitem: a value of shape {np.shape(v)} cannot be assigned to "
                         f"input{plan!r} (input shape {tuple(input.shape)})") from None


def narrow(input, dim, start, length):
    """``length`` elements of axis ``dim`` from ``start`` (``torch.narrow``), a view."""
    d = normalize_dim(dim, validate.tensor(input, "narrow").shape, "narrow")
    start = validate.integer(start, "start", "narrow")
    length = validate.integer(length, "length", "narrow")
    size = input.shape[d]
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise DimError(f"narrow: start {start} + length {length} exceeds dimension size "
                       f"{size} (shape {tuple(input.shape)}, dim {dim})")
    return getitem(input, (slice(None),) * d + (slice(start, start + length),))


# -- joining and splitting -----------------------------------------------------------------
def _check_join(op, tensors, dim):
    if not tensors:
        raise ShapeError(f"{op}: expected a non-empty sequence of tensors")
    first = tuple(tensors[0].shape)
    if op == "cat" and len(first) == 0:
        raise ShapeError("cat: zero-dimensional tensors cannot be concatenated (use stack)")
    d = normalize_dim(dim, first, op, extra=int(op == "stack"))
    for i, x in enumerate(tensors[1:], 1):
        same = x.shape == first if op == "stack" else (
            len(x.shape) == len(first) and all(a == b for k, (a, b) in
                                               enumerate(zip(first, x.shape)) if k != d))
        if not same:
            raise ShapeError(f"{op}: tensor 0 has shape {first} but tensor {i} has shape "
                             f"{tuple(x.shape)}" + ("" if op == "stack" else
                                                    f" (sizes must match except in dim {dim})"))
    return d


def _common_dtype(tensors):
    dtype = dtypes.result_type(*tensors)
    return [x if x.dtype == dtype else x.to(dtype) for x in tensors]


class Cat(Function):
    """Join tensors along ``dim``.  Backward: each input gets its slice of the gradient."""

    rule = "d/da_i = 1 (its slice)"

    @staticmethod
    def forward(ctx, dim, *tensors):
        return np.concatenate([x._data for x in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        dim, *tensors = ctx.inputs
        out, start = [None], 0
        for x, need in zip(tensors, ctx.needs_input_grad[1:]):
            size = x.shape[dim]
            out.append(narrow(grad, dim, start, size) if need else None)
            start += size
        return tuple(out)


class Stack(Function):
    """Join tensors along a new axis ``dim``.  Backward: each input gets its slice."""

    rule = "d/da_i = 1 (its slice)"

    @staticmethod
    def forward(ctx, dim, *tensors):
        return np.stack([x._data for x in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        dim = ctx.inputs[0]
        return (None,) + tuple(getitem(grad, (slice(None),) * dim + (i,)) if need else None
                               for i, need in enumerate(ctx.needs_input_grad[1:]))


def cat(tensors, dim=0):
    """Concatenate along an existing axis (``torch.cat``); dtypes are promoted together.

    Raises
    ------
    ShapeError
        Sizes differ outside ``dim``, ranks differ, or 0-d inputs; DimError for ``dim``.
    """
    tensors = validate.tensors(tensors, "cat")
    d = _check_join("cat", tensors, dim)
    return Cat.apply(d, *_common_dtype(tensors))


concatenate = cat


def stack(tensors, dim=0):
    """Stack equally shaped tensors along a new axis (``torch.stack``)."""
    tensors = validate.tensors(tensors, "stack")
    d = _check_join("stack", tensors, dim)
    return Stack.apply(d, *_common_dtype(tensors))


def split(input, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last one smaller), or of the given list of
    sizes (``torch.split``); views.

    Raises
    ------
    ShapeError
        A non-positive split size (0 only for an empty axis), or sections that do not add up.
    """
    d = normalize_dim(dim, validate.tensor(input, "split").shape, "split")
    size = input.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sections = [validate.integer(s, "split_size_or_sections", "split")
                    for s in split_size_or_sections]
        if any(s < 0 for s in sections) or sum(sections) != size:
            raise ShapeError(f"split: sections {sections} must be non-negative and add up to "
                             f"{size} (the size of dim {dim})")
    else:
        step = validate.integer(split_size_or_sections, "split_size", "split")
        if step < 0 or (step == 0 and size != 0):
            raise ShapeError(f"split: split_size must be a positive integer, got {step} "
                             f"(dim {dim} has size {size})")
        sections = [min(step, size - s) for s in range(0, size, step)] if step else [0]
    pieces, start = [], 0
    for n in sections:
        pieces.append(narrow(input, d, start, n))
        start += n
    return tuple(pieces)


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` nearly equal pieces (``torch.chunk``; fewer when the size does
    not allow).

    Raises
    ------
    ShapeError
        ``chunks`` not positive.
    """
    validate.tensor(input, "chunk")
    if validate.integer(chunks, "chunks", "chunk") <= 0:
        raise ShapeError(f"chunk: chunks must be a positive int, got {chunks!r}")
    d = normalize_dim(dim, input.shape, "chunk")
    size = input.shape[d]
    return split(input, max(-(-size // chunks), 1) if size else 0, d) if size else (input,)


# -- padding -------------------------------------------------------------------------------
class Pad(Function):
    """Constant padding, PyTorch's ``pad`` order: (last_left, last_right, prev_left, ...).

    Backward: the gradient of the un-padded region (a slice).
    """

    rule = "d/da = 1 (inner region)"

    @staticmethod
    def forward(ctx, a, widths, value):
        return np.pad(a._data, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx, grad):
        a, widths, _ = ctx.inputs
        index = tuple(slice(lo, lo + s) for (lo, _), s in zip(widths, a.shape))
        return getitem(grad, index), None, None


def pad(input, pad, mode="constant", value=0.0):
    """Pad with a constant (``torch.nn.functional.pad``; only ``mode='constant'``).

    Raises
    ------
    ShapeError
        An odd-length ``pad``, more pairs than dims, or negative padding.
    """
    validate.tensor(input, "pad")
    if mode != "constant":
        raise ArgumentError(f"pad: mode {mode!r} is not supported (only 'constant')")
    if not isinstance(pad, (list, tuple)):
        raise ArgumentTypeError(f"pad: pad must be a tuple of ints, got {type(pad).__name__}")
    pad = tuple(validate.integer(p, "pad", "pad") for p in pad)
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise ShapeError(f"pad: {pad} must hold (left, right) pairs for at most {input.ndim} "
                         f"dims of shape {tuple(input.shape)}")
    if any(p < 0 for p in pad):
        raise ShapeError(f"pad: negative padding {pad} is not supported")
    widths = [(0, 0)] * input.ndim
    for i in range(len(pad) // 2):
        widths[input.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return Pad.apply(input, tuple(widths), value)
