"""The least a define-by-run engine does for the op chain: a reference point, not library code.

``bench/instructions.py --sides bare`` counts it beside ours, PyTorch and the numpy floor. It
records ``mul`` and ``add`` on Tensor-like objects (one result object and one node per op,
``__slots__``), walks the nodes latest-first with a heap, as ours does, and sums each leaf's
gradients once at the end. It has nothing else: no hooks, no version counters (in-place
checks), no dtype promotion or unbroadcasting, no grad mode, no error checks, no
``create_graph``. So its count is roughly what issue 10's 20k-instructions-per-op target leaves
for an engine: ours' distance to it is the cost of those features.
"""

import heapq
import itertools

import numpy as np

_new = object.__new__
_tick = itertools.count()


class Value:
    __slots__ = ("data", "node", "requires_grad", "grad")


class Node:
    __slots__ = ("inputs", "seq", "is_mul")

    def __lt__(self, other):                 # heapq is a min-heap: latest-created first
        return self.seq > other.seq


def _record(data, a, b, is_mul):
    out = _new(Value)
    out.data, out.grad, out.requires_grad = data, None, True
    node = _new(Node)
    node.inputs, node.seq, node.is_mul = (a, b), next(_tick), is_mul
    out.node = node
    return out


def mul(a, b):
    return _record(a.data * b.data, a, b, True)


def add(a, b):
    return _record(a.data + b.data, a, b, False)


def leaf(array, requires_grad):
    v = _new(Value)
    v.data, v.node, v.requires_grad, v.grad = array, None, requires_grad, None
    return v


def backward(root, seed):
    """d(root)/d(leaf), accumulated into each leaf's ``grad``; each node runs once."""
    grads, heap, leaves = {root.node: seed}, [root.node], {}
    while heap:
        node = heapq.heappop(heap)
        g = grads.pop(node)
        a, b = node.inputs
        parts = (g * b.data, g * a.data) if node.is_mul else (g, g)
        for x, gx in zip(node.inputs, parts):
            parent = x.node
            if parent is None:
                if x.requires_grad:
                    leaves.setdefault(x, []).append(gx)
            elif parent in grads:
                grads[parent] = grads[parent] + gx
            else:
                grads[parent] = gx
                heapq.heappush(heap, parent)
        node.inputs = None                   # released after use, as backward frees the graph
    for x, parts in leaves.items():
        x.grad = np.add.reduce(np.asarray(parts), axis=0)


def op_chain(links):
    """``run()``: the chain ``y = y * b + c`` of ``links`` links on 1-element float32 values,
    forward and backward (bench/workloads.op_chain's workload); ``run.leaves`` is ``(b, c)``."""
    x = leaf(np.ones(1, np.float32), False)
    b = leaf(np.full(1, 0.5, np.float32), True)
    c = leaf(np.full(1, 0.1, np.float32), True)
    seed = np.ones(1, np.float32)

    def run():
        b.grad = c.grad = None
        y = x
        for _ in range(links):
            y = add(mul(y, b), c)
        backward(y, seed)
    run.leaves = (b, c)
    return run
