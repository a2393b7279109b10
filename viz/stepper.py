"""The step-through page: backpropagation (and the forward pass) one node at a time.

A ``StepData`` says what the page shows: the graph's nodes (stable ids, labels, kinds), its
edges, and one record per step in the order the engine ran the nodes. ``StepPage(data)``
turns it into ONE self-contained HTML file: the graph as inline SVG, the page's CSS and JS
inlined from ``viz/templates/``, the records as JSON; no server, no network, it opens from
disk. Controls: next, previous, play/pause, first/last, jump to a step (select box or a click
on a node), keyboard arrows (space plays, F/B switch forward/backward).

Each backward step highlights one node and its edges and shows the gradient arriving at its
output, its local rule, the share it sends to each input (local derivative x arriving = share
for elementwise ops, the vector-Jacobian product otherwise; every number for small tensors,
shape and norm for large ones), and the leaves' ``.grad`` as they accumulate. The forward mode
steps through the forward pass the same way: the inputs each node reads and what it computes.
Gradient magnitudes are coloured exactly as in ``viz.draw_backward`` (RMS, log scale, the same
palette).

The data model does not read the engine: an adapter fills it (the engine's public graph API
once ``autograd/graph.py`` exists; the tests build it from ``autograd.grad`` calls).

    page = StepPage(data)          # StepData -> page (draws the graph with Graphviz)
    page.save("backprop.html")     # open it in any browser
    page                           # inline in Jupyter (an iframe, so several pages coexist)
"""

import dataclasses
import html
import json
import math
import os
import re
from dataclasses import dataclass
from importlib import resources
from typing import Optional, Tuple

import numpy as np

from ._trace import fmt
from .graph import FONT, GRAD_PALETTE, OP_FILL, ROLE_STYLE, Graph, _GradScale

__all__ = ["Value", "Node", "Edge", "Operand", "Share", "GradUpdate", "ForwardStep",
           "BackwardStep", "StepData", "StepPage", "draw_svg", "build_html", "KINDS", "SMALL"]

#: Node kinds: an operation, a module call (a cluster, or one node when collapsed), and the
#: tensor roles of ``viz.draw_graph``.
KINDS = ("op", "module", "param", "leaf", "input", "const", "intermediate", "output", "loss")
TENSOR_KINDS = KINDS[2:]

#: Tensors with at most this many elements show every number; larger ones shape and norm.
SMALL = 6


# -- the data model ------------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """A tensor's value or gradient, as the page shows it (a snapshot, not the array).

    Attributes
    ----------
    shape : tuple of int
    numbers : tuple of float or None
        Every element (C order) when there are at most ``SMALL``; None for larger tensors.
    norm : float      L2 norm (sqrt of the sum of squares)
    rms : float       root mean square: the magnitude the colours encode (as draw_backward)
    min, max : float
    text : str        what the page prints: ``-1.075``, ``[0.5, 0, -0.75]`` or
                      ``(6, 1, 5, 5) norm 0.8 rms 0.06``
    """

    shape: Tuple[int, ...]
    numbers: Optional[Tuple[float, ...]]
    norm: float
    rms: float
    min: float
    max: float
    text: str

    @classmethod
    def of(cls, array, small=SMALL):
        """Summarise an ndarray (or anything ``np.asarray`` takes; a Tensor via ``.numpy()``).
        Large float arrays are summarised in their own dtype (one dot product for the norm),
        so a page of a real model's activations is quick to build."""
        if hasattr(array, "detach"):
            array = array.detach().numpy()
        a = np.asarray(array)
        if a.dtype.kind != "f" or a.size <= small:
            a = a.astype(np.float64)
        shape = tuple(int(d) for d in a.shape)
        if a.size == 0:
            return cls(shape, (), 0.0, math.nan, math.nan, math.nan, f"{shape} empty")
        flat = a.reshape(-1)
        with np.errstate(all="ignore"):
            sq = float(np.dot(flat, flat))
        norm, mean_sq = math.sqrt(sq), sq / a.size
        r = math.sqrt(mean_sq) if math.isfinite(mean_sq) else math.nan
        numbers = tuple(float(v) for v in flat) if a.size <= small else None
        if numbers is not None:
            text = fmt(numbers[0]) if a.ndim == 0 else \
                "[" + ", ".join(fmt(v) for v in numbers) + "]"
        else:
            text = f"{shape} norm {fmt(norm)} rms {fmt(r)}"
        return cls(shape, numbers, norm, r, float(a.min()), float(a.max()), text)


@dataclass(frozen=True)
class Node:
    """One node of the drawn graph.

    Attributes
    ----------
    id : str                 stable id: the SVG node's ``id`` or ``<title>`` (``t3``, ``f2``)
    label : str              what the reader sees (``w``, ``mul1``, ``conv1``)
    kind : str               one of ``KINDS``
    detail : str             ops: constant arguments (``dim=1``); modules: the layer's settings
                             (``Conv2d(1, 6, kernel 5, stride 1, padding 0)``); tensors: dtype
    value : Value or None    tensors: the forward value
    grad : Value or None     tensors: the final dE/d(tensor) (the page reveals it when reached)
    parent : str or None     id of the module-call node (kind ``module``) this node sits in
    """

    id: str
    label: str
    kind: str
    detail: str = ""
    value: Optional[Value] = None
    grad: Optional[Value] = None
    parent: Optional[str] = None


@dataclass(frozen=True)
class Edge:
    """A forward edge: an operand into the op that reads it, or an op into its result."""

    src: str
    dst: str
    label: str = ""


@dataclass(frozen=True)
class Operand:
    """What a forward step reads: the input node, the rule's name for it, its value."""

    id: str
    slot: str
    value: Value


@dataclass(frozen=True)
class Share:
    """What a backward step sends to one input.

    Attributes
    ----------
    to : str                 id of the input tensor
    slot : str               the rule's name for it (``a``, ``b``, ``input``, ``weight``)
    value : Value            the share: (d out/d in)^T . dE/d out, summed to the input's shape
    local : Value or None    d out/d in where it is elementwise (share = local * arriving,
                             the slides' product); None where it is a general Jacobian
    """

    to: str
    slot: str
    value: Value
    local: Optional[Value] = None


@dataclass(frozen=True)
class GradUpdate:
    """A leaf's ``.grad`` after a backward step added a share to it."""

    leaf: str
    added: Value
    total: Value


@dataclass(frozen=True)
class ForwardStep:
    """One node of the forward pass: what it reads and what it computes.

    Attributes
    ----------
    node : str               the op (or collapsed module) that runs
    output : str             the tensor it produces
    inputs : tuple of Operand
    result : Value
    formula : str            ``mul1 = w * x`` (optional)
    """

    node: str
    output: str
    inputs: Tuple[Operand, ...]
    result: Value
    formula: str = ""


@dataclass(frozen=True)
class BackwardStep:
    """One node of the backward pass, in the order the engine ran it.

    Attributes
    ----------
    node : str               the op (or collapsed module) that runs
    output : str             its output tensor, whose gradient has fully arrived
    arriving : Value         dE/d output
    rule : str               the local derivative (``Function.rule``: ``d/da = b, d/db = a``)
    shares : tuple of Share  one per input that needs a gradient
    grads : tuple of GradUpdate   leaves whose ``.grad`` this step added to
    """

    node: str
    output: str
    arriving: Value
    rule: str
    shares: Tuple[Share, ...]
    grads: Tuple[GradUpdate, ...] = ()


@dataclass(frozen=True)
class StepData:
    """Everything the page shows.

    Attributes
    ----------
    title : str
    root : str                           id of the loss (where backward starts, dE/dE = 1)
    nodes : tuple of Node
    edges : tuple of Edge                forward direction
    forward : tuple of ForwardStep       in the order the forward pass ran
    backward : tuple of BackwardStep     in the order the engine ran the nodes
    notes : tuple of str                 shown under the title (e.g. "drew 1,000 of 4,210 nodes")
    start : str                          the pass the page opens on: "backward" or "forward"
    """

    title: str
    root: str
    nodes: Tuple[Node, ...]
    edges: Tuple[Edge, ...]
    forward: Tuple[ForwardStep, ...] = ()
    backward: Tuple[BackwardStep, ...] = ()
    notes: Tuple[str, ...] = ()
    start: str = "backward"

    def check(self):
        """Raise ValueError when an id is repeated or unknown, or a kind is not in KINDS."""
        ids = {}
        for n in self.nodes:
            if n.id in ids:
                raise ValueError(f"StepData: node id {n.id!r} used twice")
            if n.kind not in KINDS:
                raise ValueError(f"StepData: node {n.id!r} has kind {n.kind!r}, not one of "
                                 f"{', '.join(KINDS)}")
            ids[n.id] = n
        refs = [("root", self.root)] + [(f"parent of {n.id}", n.parent) for n in self.nodes
                                        if n.parent is not None]
        refs += [(f"edge {e.src}->{e.dst}", i) for e in self.edges for i in (e.src, e.dst)]
        for k, s in enumerate(self.forward):
            refs += [(f"forward step {k + 1}", i) for i in (s.node, s.output)]
            refs += [(f"forward step {k + 1}", o.id) for o in s.inputs]
        for k, s in enumerate(self.backward):
            refs += [(f"backward step {k + 1}", i) for i in (s.node, s.output)]
            refs += [(f"backward step {k + 1}", x.to) for x in s.shares]
            refs += [(f"backward step {k + 1}", g.leaf) for g in s.grads]
        for where, i in refs:
            if i not in ids:
                raise ValueError(f"StepData: {where} names node {i!r}, which is not in nodes")
        if self.start not in ("backward", "forward"):
            raise ValueError(f"StepData: start must be 'backward' or 'forward', got "
                             f"{self.start!r}")
        return self

    def to_json(self, scale=None):
        """The page's JSON: the dataclasses as dicts, each Value with its colour added."""
        scale = scale or gradient_scale(self)
        return json.dumps(_colour(dataclasses.asdict(self), scale), separators=(",", ":"),
                          allow_nan=False, default=_no_nan)


def _no_nan(x):
    raise TypeError(f"StepData: cannot write {type(x).__name__} to JSON")


def gradient_scale(data):
    """The colour scale of ``draw_backward`` over every gradient the page shows."""
    values = [s.arriving.rms for s in data.backward]
    values += [x.value.rms for s in data.backward for x in s.shares]
    values += [n.grad.rms for n in data.nodes if n.grad is not None]
    return _GradScale(values)


def _colour(obj, scale):
    """Add ``color`` (draw_backward's palette) to every Value dict; NaN/inf become null."""
    if isinstance(obj, dict):
        out = {k: _colour(v, scale) for k, v in obj.items()}
        if "rms" in obj and "text" in obj:
            out["color"] = scale.color(obj["rms"]) or ""
        return out
    if isinstance(obj, (list, tuple)):
        return [_colour(v, scale) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


# -- the graph picture ---------------------------------------------------------------------
#: Graphviz's cell colour of the hidden gradient row; the page finds the row by it.
GRAD_ROW_FILL = "#fefefe"


def _e(text):
    return html.escape(str(text), quote=True)


def _wrap(text, width=30):
    """Break ``text`` at spaces/commas into lines of about ``width`` characters."""
    words, lines, line = re.split(r"(?<=[ ,])", text), [], ""
    for w in words:
        if line and len(line) + len(w) > width:
            lines.append(line.rstrip())
            line = ""
        line += w
    lines.append(line.rstrip())
    return [x for x in lines if x]


def _tensor_label(node, root_label):
    color, border, style, _ = ROLE_STYLE[node.kind]
    role = "" if node.kind in ("intermediate", node.label) else \
        f' <font point-size="10" color="#555555">{node.kind}</font>'
    rows = [f'<tr><td bgcolor="{color}"><b>{_e(node.label)}</b>{role}</td></tr>']
    if node.value is not None:
        for line in _wrap(node.value.text, 34):
            rows.append(f"<tr><td>{_e(line)}</td></tr>")
    if node.grad is not None:             # hidden by the page until the gradient arrives
        text = f"\u2202{root_label}/\u2202{node.label} = {node.grad.text}"
        rows.append(f'<tr><td bgcolor="{GRAD_ROW_FILL}">{_e(text)}</td></tr>')
    st = f' style="{style}"' if style else ""
    return (f'<<table border="{max(border, 1)}" cellborder="0" cellspacing="0" cellpadding="3"'
            f'{st}>{"".join(rows)}</table>>')


def _op_label(node):
    lines = [f"<b>{_e(node.label)}</b>"]
    lines += [f'<font point-size="10">{_e(x)}</font>' for x in _wrap(node.detail, 30)]
    return "<" + "<br/>".join(lines) + ">"


def draw_svg(data, rankdir="TB"):
    """Lay the graph out with Graphviz (``dot``) and return the SVG text.

    Node ids are ``Node.id`` (the SVG groups' ``id`` and ``<title>``); module nodes with
    children are clusters (``<title>cluster_ID</title>``), the others boxes. Edges have no
    arrowheads: the page draws them forward or backward with SVG markers.

    Raises
    ------
    DotNotFoundError
        When Graphviz's ``dot`` program is missing.
    """
    root = next((n for n in data.nodes if n.id == data.root), None)
    root_label = root.label if root is not None else "E"
    g = Graph(name="stepper", graph_attr={"rankdir": rankdir, "fontname": FONT,
                                          "nodesep": "0.3", "ranksep": "0.32",
                                          "bgcolor": "transparent"},
              node_attr={"fontname": FONT, "fontsize": "12"},
              edge_attr={"arrowhead": "none", "color": "#8a8a8a", "fontname": FONT,
                         "fontsize": "10"})
    parents = {n.parent for n in data.nodes if n.parent is not None}
    clusters = {n.id: _cluster(n) for n in data.nodes if n.kind == "module" and n.id in parents}
    for n in data.nodes:
        if n.id in clusters:
            continue
        target = clusters[n.parent] if n.parent in clusters else g
        if n.kind == "op":
            target.node(n.id, _op_label(n), id=n.id, shape="box", style="rounded,filled",
                        fillcolor=OP_FILL, color="#b8860b", margin="0.08,0.04")
        elif n.kind == "module":
            target.node(n.id, _op_label(n), id=n.id, shape="box", style="rounded,filled",
                        fillcolor="#c6dbef", color="#4a78a8", margin="0.1,0.05")
        else:
            target.node(n.id, _tensor_label(n, root_label), id=n.id, shape="plaintext",
                        margin="0")
    for cid in sorted(clusters, key=lambda c: -_depth(data, c)):      # innermost first
        parent = next(n.parent for n in data.nodes if n.id == cid)
        (clusters[parent] if parent in clusters else g).subgraph(clusters[cid])
    for e in data.edges:
        g.edge(e.src, e.dst, id=f"e:{e.src}:{e.dst}", **({"label": e.label} if e.label else {}))
    svg = g.pipe(format="svg").decode("utf-8")
    return svg[svg.index("<svg"):]


def _cluster(node):
    import graphviz
    c = graphviz.Digraph(name=f"cluster_{node.id}")
    title = f"{node.label}: {node.detail}" if node.detail else node.label
    c.attr(label=title, style="rounded,filled", fillcolor="#f3f8fd", color="#6b8fb5",
           fontsize="11", labeljust="l", id=f"cluster_{node.id}")
    return c


def _depth(data, nid):
    by_id = {n.id: n for n in data.nodes}
    d, n = 0, by_id.get(nid)
    while n is not None and n.parent is not None:
        d, n = d + 1, by_id.get(n.parent)
    return d


# -- the page --------------------------------------------------------------------------------
def _template(name):
    return resources.files("viz").joinpath("templates", name).read_text(encoding="utf-8")


def _script_safe(text):
    """Text inside <script>: a literal ``</`` would end the element."""
    return text.replace("</", "<\\/")


def build_html(data, svg=None, rankdir="TB"):
    """Return the page as one HTML string (everything inline).

    Parameters
    ----------
    data : StepData
    svg : str, optional
        The graph as SVG whose node groups carry ``StepData`` node ids (as their ``id`` or
        ``<title>``: Graphviz output of a DOT graph named by those ids, e.g. ``viz.draw_graph``
        keyed the same way). Default: ``draw_svg(data, rankdir)``.

    Raises
    ------
    ValueError
        From ``data.check()``.
    """
    data.check()
    if svg is None:
        svg = draw_svg(data, rankdir)
    svg = svg[svg.index("<svg"):] if "<svg" in svg else svg
    scale = gradient_scale(data)
    page = _template("stepper.html")
    legend = "".join(f'<i style="background:{c}"></i>' for c in GRAD_PALETTE)
    parts = {
        "{{TITLE}}": _e(data.title),
        "{{NOTES}}": "".join(f"<p>{_e(n)}</p>" for n in data.notes),
        "{{LEGEND}}": (f'<span class="lo">{10 ** scale.lo:.0e}</span>{legend}'
                       f'<span class="hi">{10 ** scale.hi:.0e}</span>'),
        "{{CSS}}": _template("stepper.css"),
        "{{SVG}}": svg,
        "{{DATA}}": _script_safe(data.to_json(scale)),
        "{{JS}}": _script_safe(_template("stepper.js")),
    }
    return re.sub("|".join(re.escape(k) for k in parts), lambda m: parts[m.group(0)], page)


class StepPage:
    """The step-through page of one ``StepData``: ``.save(path)``, inline in Jupyter.

    Parameters
    ----------
    data : StepData
    svg : str, optional        see ``build_html``
    rankdir : str              layout direction when the page draws the graph (TB: top down)
    height : int               pixel height of the inline (Jupyter) frame
    """

    def __init__(self, data, svg=None, rankdir="TB", height=660):
        self.data, self.svg, self.rankdir, self.height = data, svg, rankdir, height
        self._html = None

    def html(self):
        """The whole page as a string (built once)."""
        if self._html is None:
            self._html = build_html(self.data, self.svg, self.rankdir)
        return self._html

    def save(self, path):
        """Write the page to ``path`` (one .html file, opens from disk); return the path."""
        path = os.fspath(path)
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html())
        return path

    def _repr_html_(self):
        # an iframe keeps the page's ids, CSS and keys apart from the notebook's
        return (f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd" '
                'sandbox="allow-scripts" title="backpropagation step by step"></iframe>')

    def __repr__(self):
        d = self.data
        return (f"<StepPage {d.title!r}: {len(d.nodes)} nodes, {len(d.forward)} forward and "
                f"{len(d.backward)} backward steps>")
