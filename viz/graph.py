"""Drawing the recorded graph with Graphviz: the forward graph, the backward view, modules.

One node per tensor (a record: name and role, shape and dtype, value, gradient), one node per
operation (its name and its local derivative, ``Function.rule``), edges in operand order (an
op with several operands labels each edge with its index and the letter the rule uses, so
``x * x`` shows two edges into ``Mul``). Parameters, leaves, inputs, constants, the output and
the loss each have their colour and border, explained by a legend.

The backward view draws the same layout with the gradient flowing back (arrows reversed, in
red): every edge carries the share of dE/d(operand) that its op sends back, every tensor its
total dE/dt (the sum over its edges, the slides' dE/dy), and tensors are coloured by gradient
magnitude on a log scale, so vanishing or exploding gradients stand out.

Graphs are ``graphviz.Digraph`` objects (``viz.Graph``, a subclass that turns a missing
``dot`` program into an error saying how to install it): ``.source`` is the DOT text, Jupyter
shows them inline, ``viz.render(graph, "out.svg")`` writes a file.
"""

import html
import math
import os
import re

import numpy as np

try:
    import graphviz
except ImportError as exc:  # pragma: no cover - graphviz is a declared dependency of viz
    raise ImportError("viz needs the Python graphviz package: pip install graphviz "
                      "(and the Graphviz programs: apt-get install graphviz)") from exc

from autograd import Tensor

from ._trace import Trace, rms, summarize, trace

__all__ = ["Graph", "DotNotFoundError", "draw_graph", "draw_backward", "render",
           "DEFAULT_MAX_NODES"]

#: Graphs larger than this are cut to the nodes nearest the root (``dot`` slows down a lot
#: past a few thousand nodes); pass ``max_nodes=None`` to draw everything.
DEFAULT_MAX_NODES = 1000

#: The drawings' font. dot sizes every box with the metrics of the font fontconfig finds for
#: this name, so it must be a font that is installed where the picture is made: with
#: "Helvetica" (absent on Debian) the boxes were sized for a narrower font than the DejaVu
#: Sans that viewers substituted, and long labels ran past their borders. DejaVu Sans comes
#: with Debian's fontconfig; a viewer without it falls back to a narrower sans-serif, which
#: still fits.
FONT = "DejaVu Sans"

_INSTALL_HINT = ("the Graphviz 'dot' program was not found on PATH. Install Graphviz "
                 "(Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz; "
                 "Windows and others: https://graphviz.org/download/). The DOT text is still "
                 "available as graph.source")


class DotNotFoundError(RuntimeError):
    """Rendering needs Graphviz's ``dot`` program, and it is not installed (or not on PATH)."""


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering explains how to install a missing ``dot``.

    Attributes
    ----------
    trace : Trace or None   the snapshot the drawing was made from
    chain : Chain or None   set by ``draw_chain``: the chain-rule product and its factors
    drawn_nodes : int       nodes drawn (after collapsing modules), without the legend
    hidden_nodes : int      nodes left out by ``max_nodes`` (0 when everything is drawn)
    """

    trace = None
    chain = None
    drawn_nodes = 0
    hidden_nodes = 0

    def pipe(self, *args, **kwargs):
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as exc:
            raise DotNotFoundError(f"viz: {_INSTALL_HINT}") from exc

    def render(self, *args, **kwargs):
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as exc:
            raise DotNotFoundError(f"viz: {_INSTALL_HINT}") from exc


def render(graph, path, format=None):
    """Write ``graph`` to ``path`` and return the path.

    Parameters
    ----------
    graph : graphviz.Digraph (or anything with ``.source`` and ``.pipe``)
    path : str or os.PathLike
    format : str, optional
        ``svg``, ``png``, ``pdf``, ... (any ``dot -T`` format) or ``dot``/``gv`` for the DOT
        text itself; default: the file's suffix, else ``svg``.

    Raises
    ------
    DotNotFoundError
        When the ``dot`` program is missing (the message says how to install it); the DOT
        text (``format="dot"``) needs no program.
    """
    path = os.fspath(path)
    fmt = (format or os.path.splitext(path)[1].lstrip(".") or "svg").lower()
    if fmt in ("dot", "gv"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(graph.source)
        return path
    try:
        data = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound as exc:
        raise DotNotFoundError(f"viz.render: {_INSTALL_HINT}") from exc
    with open(path, "wb") as f:
        f.write(data)
    return path


# -- styles ---------------------------------------------------------------------------------
#: role -> (header colour, table border, table style, legend text)
ROLE_STYLE = {
    "param": ("#9ecae1", 1, "rounded", "parameter"),
    "leaf": ("#a1d99b", 1, "rounded", "leaf (requires grad)"),
    "input": ("#d9d9d9", 1, "", "input / constant data"),
    "const": ("#f0f0f0", 1, "", "scalar constant"),
    "intermediate": ("#ffffff", 1, "", "intermediate"),
    "output": ("#fdd0a2", 2, "", "network output"),
    "loss": ("#fc9272", 3, "", "loss (root)"),
}
OP_FILL = "#fff3c4"
GRAD_EDGE = "#d62728"
#: ColorBrewer RdYlBu reversed: tiny gradients blue, large ones red (log scale).
GRAD_PALETTE = ["#4575b4", "#74add1", "#abd9e9", "#e0f3f8", "#ffffbf", "#fee090", "#fdae61",
                "#f46d43", "#d73027"]
ZERO_GRAD = "#bdbdbd"
BAD_GRAD = "#ff00ff"   # NaN or inf
FADED = "#c8c8c8"


def _e(text):
    return html.escape(str(text), quote=True)


class _GradScale:
    """Log10 colour scale over the gradient magnitudes (RMS) present in a drawing."""

    def __init__(self, values):
        logs = [math.log10(v) for v in values if v is not None and math.isfinite(v) and v > 0]
        if logs:
            lo, hi = min(logs), max(logs)
        else:
            lo = hi = 0.0
        if hi - lo < 2:           # always show at least two decades, centred
            mid = (lo + hi) / 2
            lo, hi = mid - 1, mid + 1
        self.lo, self.hi = lo, hi

    def color(self, value):
        if value is None:
            return None
        if not math.isfinite(value):
            return BAD_GRAD
        if value == 0:
            return ZERO_GRAD
        t = (math.log10(value) - self.lo) / (self.hi - self.lo)
        i = int(round(min(max(t, 0.0), 1.0) * (len(GRAD_PALETTE) - 1)))
        return GRAD_PALETTE[i]

    def legend_rows(self):
        cells = "".join(f'<td bgcolor="{c}" width="14"> </td>' for c in GRAD_PALETTE)
        return ('<tr><td colspan="2">gradient RMS (log scale)</td></tr>'
                '<tr><td colspan="2"><table border="0" cellspacing="0" cellborder="0"><tr>'
                f'<td>{10 ** self.lo:.0e}</td>{cells}<td>{10 ** self.hi:.0e}</td>'
                '</tr></table></td></tr>'
                f'<tr><td bgcolor="{ZERO_GRAD}"> </td><td align="left">zero gradient</td></tr>')


# -- building the scene -------------------------------------------------------------------------
class _Options:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def _row(content, attrs=""):
    """One row of a table label. dot measures 9-11 pt text about 2.5% narrower than SVG
    viewers draw it (its font metrics are rounded at small sizes: a 51-character line measures
    256 pt at 10 pt, 262 pt when measured at 100 pt and scaled), so long lines ran into the
    frame. No-break spaces are that slack: the shortfall adds up along the line, which dot
    starts at the left, so one goes before the text and two after."""
    return f"<tr><td{attrs}>&#160;{content}&#160;&#160;</td></tr>"


def _tensor_label(node, o, fill=None, faded=False):
    color, border, style, _ = ROLE_STYLE[node.role]
    if faded:
        color = "#f7f7f7"
    frame = ' color="#999999"' if faded else ""       # the table's border colour
    title = _e(node.label or "")
    head = f"<b>{title}</b>" if node.name else title
    role = ("" if node.role == "intermediate" or node.label == node.role
            else f' <font point-size="9">{node.role}</font>')
    rows = [_row(f"{head}{role}", f' bgcolor="{color}"')]
    if o.show_shapes:
        shape = "scalar" if node.shape == () else str(node.shape)
        rows.append(_row(f"{_e(shape)} {_e(node.dtype)}"))
    if o.show_values and node.value is not None:
        rows += [_row(_e(x)) for x in wrap(f"data {node.value}", 44)]
    if o.show_grads and node.grad is not None:
        g = summarize(node.grad)
        prefix = f"d{o.root_label}/d{node.label or ''} = " if o.backward else "grad "
        cell = f' bgcolor="{fill}"' if fill else ""
        fc = "#ffffff" if fill in (GRAD_PALETTE[0], GRAD_PALETTE[-1]) else None
        text = "<br/>".join(_e(x) for x in wrap(f"{prefix}{g}", 44))
        if fc:
            text = f'<font color="{fc}">{text}</font>'
        rows.append(_row(text, cell))
    st = f' style="{style}"' if style else ""
    body = "".join(rows)
    if faded:                                          # off the highlighted paths: grey
        body = re.sub(r"<td([^>]*)>(.*?)</td>", r'<td\1><font color="#999999">\2</font></td>',
                      body)
    # rows="*": a rule between rows and no cell borders, so rounded frames stay round
    return (f'<<table border="{max(border, 1)}" cellborder="0" cellspacing="0" cellpadding="3"'
            f' rows="*"{st}{frame}>{body}</table>>')


def _const_label(node):
    return _e(node.value)


def _op_label(op, o):
    lines = [f"<b>{_e(op.name)}</b>"]
    lines += [f'<font point-size="9">{_e(x)}</font>' for x in wrap(op.args, 32)]
    if op.rule and o.show_rules:
        lines += [f'<font point-size="10">{_e(x)}</font>' for x in wrap(op.rule, 40)]
    if o.show_saved:
        lines += [f'<font point-size="9">{_e(x)}</font>' for x in wrap(saved_text(op), 40)]
    return "<" + "<br/>".join(lines) + ">"


def wrap(text, width):
    """Break ``text`` after spaces and commas into lines of at most about ``width`` characters
    (a word longer than ``width`` stays whole): labels that fit a 900 px column."""
    lines, line = [], ""
    for word in re.split(r"(?<=[ ,])", text or ""):
        if line and len(line) + len(word.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += word
    if line.strip():
        lines.append(line.rstrip())
    return lines


def format_bytes(n):
    """``32 B``, ``4.7 kB``, ``1.2 MB`` (powers of 1000, as nn.summary)."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{int(n)} B"


def saved_text(op):
    """What an op keeps for backward: ``saved 32 B: (4,), (4,)`` (``node.saved_bytes`` and the
    shapes), or that backward freed it."""
    if op.released:
        return "saved: freed by backward()"
    shapes = op.saved_shapes
    if not shapes:
        return "saved: nothing"
    listed = ", ".join(str(s) for s in shapes[:4]) + (", ..." if len(shapes) > 4 else "")
    return f"saved {format_bytes(op.saved_bytes)}: {listed}"


def _module_label(call, out_node, o, fill=None):
    n_params = sum(int(p.detach().numpy().size) for p in call.module.parameters())
    rows = [_row(f"<b>{_e(call.title)}</b>", ' bgcolor="#c6dbef"'),
            "".join(_row(f'<font point-size="10">{_e(x)}</font>')
                    for x in wrap(call.describe(), 50))]
    if out_node is not None and o.show_shapes:
        rows.append(_row(f"out {_e(str(out_node.shape))}"))
    if n_params:
        rows.append(_row(f"{n_params:,} parameters"))
    if out_node is not None and o.show_grads and out_node.grad is not None:
        cell = f' bgcolor="{fill}"' if fill else ""
        rows.append(_row(f"grad out rms {_e(_fmt_rms(out_node.grad))}", cell))
    return ('<<table border="1" cellborder="0" cellspacing="0" cellpadding="3" rows="*" '
            f'style="rounded">{"".join(rows)}</table>>')


def _fmt_rms(g):
    v = rms(g)
    return f"{v:.3g}"


def _edge_grad_text(g, o, aname):
    value = summarize(g) if np.size(g) <= 6 else f"rms {_fmt_rms(g)}"
    return f"d{o.root_label}/d{aname} = {value}"


def ancestors(calls, index):
    """The call ``index`` and its enclosing calls, innermost first."""
    out = []
    while index is not None:
        out.append(index)
        index = calls[index].parent
    return out


def collapse_targets(calls, collapse):
    """call index -> the call it is drawn inside as one node (or None)."""
    if collapse is None or collapse is False or not calls:
        return {}

    def collapses(call):
        if collapse is True:
            return call.is_leaf_module
        return call.depth == collapse or (call.depth < collapse and call.is_leaf_module)

    out = {}
    for call in calls:
        target = None
        for idx in reversed(ancestors(calls, call.index)):   # outermost first
            if collapses(calls[idx]):
                target = idx
                break
        out[call.index] = target
    return out


class _Scene:
    """Nodes and edges after collapsing modules and cutting to ``max_nodes``."""

    def __init__(self, tr, o):
        self.tr, self.o = tr, o
        mods = tr.modules
        targets = collapse_targets(mods, o.collapse_modules)
        self.items = {}          # key -> ("tensor", node) | ("op", op) | ("module", call)
        self.cluster = {}        # key -> call index or None
        self.module_out = {}     # module key -> TensorNode (its output)

        def rep(node):
            t = targets.get(node.module) if node.module is not None else None
            if t is None:
                return node.key
            key = f"m{t}"
            if key not in self.items:
                self.items[key] = ("module", mods[t])
                self.cluster[key] = mods[t].parent
            return key

        self.rep = {}
        for node in tr.tensors:
            k = self.rep[node.key] = rep(node)
            if k == node.key:
                self.items[k] = ("tensor", node)
                self.cluster[k] = node.module
            elif k not in self.module_out:
                call = mods[int(k[1:])]
                outs = [tr.output_of(n) for n in call.output_nodes]
                outs = [x for x in outs if x is not None]
                self.module_out[k] = outs[0] if outs else node
        for op in tr.ops:
            k = self.rep[op.key] = rep(op)
            if k == op.key:
                self.items[k] = ("op", op)
                self.cluster[k] = op.module

        # edges: (src, dst, kind, op, pos, aname); kind "in" (operand -> op) or "out"
        self.edges, seen = [], set()
        for op in tr.ops:
            multi = len(op.inputs) > 1
            for pos, aname, src in op.inputs:
                a, b = self.rep[src.key], self.rep[op.key]
                if a == b:
                    continue
                plain = a == src.key and b == op.key
                ident = (a, b, pos if plain else None)
                if ident in seen:
                    continue
                seen.add(ident)
                self.edges.append((a, b, "in", op if plain else None, pos, aname, multi and plain))
            a, b = self.rep[op.key], self.rep[op.output.key]
            if a != b and (a, b, None) not in seen:
                seen.add((a, b, None))
                self.edges.append((a, b, "out", op, None, None, False))
        self.hidden = 0
        keep = getattr(o, "keep", None)
        if keep is not None:                       # draw_chain(prune=True): the paths only
            self.items = {k: v for k, v in self.items.items() if k in keep}
            self.edges = [e for e in self.edges if e[0] in keep and e[1] in keep]
        if o.max_nodes is not None and len(self.items) > o.max_nodes:
            self._cut(o.max_nodes)

    def _cut(self, limit):
        """Keep the ``limit`` nodes nearest the root (breadth first against the arrows)."""
        preds = {}
        for e in self.edges:
            preds.setdefault(e[1], []).append(e[0])
        start = self.rep[self.tr.root.key]
        keep, queue, i = {start}, [start], 0
        while i < len(queue) and len(keep) < limit:
            for p in preds.get(queue[i], ()):
                if p not in keep and len(keep) < limit:
                    keep.add(p)
                    queue.append(p)
            i += 1
        self.hidden = len(self.items) - len(keep)
        boundary = []
        kept_edges = []
        for e in self.edges:
            if e[0] in keep and e[1] in keep:
                kept_edges.append(e)
            elif e[1] in keep and e[1] not in boundary:
                boundary.append(e[1])
        self.edges = kept_edges
        self.items = {k: v for k, v in self.items.items() if k in keep}
        self.boundary = boundary


def _options(**kw):
    return _Options(**kw)


def draw_graph(root, params=None, show_values=True, show_grads=True, show_shapes=True,
               show_saved=False, rankdir="TB", collapse_modules=False,
               max_nodes=DEFAULT_MAX_NODES, backward=False, names=None, modules=None,
               outputs=None, legend=True, show_rules=True, title=None, expand=False):
    """Draw the graph that computed ``root``: a record per tensor, a node per op.

    Run the forward pass and ``backward()`` inside ``with viz.record():`` to see every value
    and gradient; otherwise the drawing shows what is alive and says how to see the rest.

    Parameters
    ----------
    root : Tensor or Trace
        Usually the loss (or a ``viz.trace(loss)`` snapshot).
    params : nn.Module, dict name -> Tensor, or iterable of (name, Tensor), optional
        Parameters to draw as such, with their names.
    show_values, show_grads, show_shapes : bool
        Rows of each tensor's record. Gradients are the engine's: dE/dt of every tensor
        after a backward inside ``viz.record()``, else the ``.grad`` backward stored.
    show_saved : bool
        Add to each op the bytes and shapes it saved for backward (``node.saved_bytes``).
    rankdir : {"TB", "LR", "BT", "RL"}
        Graphviz layout direction: top to bottom by default (inputs at the top), which keeps
        most graphs narrow enough for a page; "LR" lays them out left to right.
    collapse_modules : bool or int
        With module calls on the graph (``viz.record()`` or ``modules=``): ``True`` draws
        every leaf module (Conv2d, Linear, ...) as one node; an int ``d`` draws each module
        call at depth ``d`` (1 = the model's children) as one node. Without collapsing, each
        module call is a cluster.
    max_nodes : int or None
        Draw at most this many nodes, those nearest the root; the rest becomes one
        "... N more nodes" node. None draws everything.
    backward : bool
        The backward view: arrows reversed and red, each edge labelled with the gradient its
        op sends back, tensors coloured by gradient magnitude (log scale).
    names : dict, optional
        ``{"x": x}``, ``{x: "x"}`` or ``locals()``: names for tensors.
    modules : ModuleTrace, optional
        From ``viz.trace_modules(model)`` (without ``viz.record()``): module calls.
    outputs : Tensor or sequence, optional
        Tensors to mark as network output.
    legend : bool
        Add a legend node (colours, shapes and, in the backward view, the colour scale).
    show_rules : bool
        Write each op's local derivative under its name.
    title : str, optional
    expand : bool
        Draw the ops inside calls of composite functions (``cross_entropy``, ``mse_loss``,
        ``batch_norm``, ...) instead of one node per call.

    Returns
    -------
    Graph
        A ``graphviz.Digraph``: ``.source``, ``viz.render(g, "g.svg")``, inline in Jupyter.

    Raises
    ------
    TypeError
        If ``root`` is neither a Tensor nor a Trace.
    ValueError
        For an unknown ``rankdir``, a ``max_nodes`` below 1, or ``collapse_modules``
        with no module call on the graph.
    """
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph: rankdir must be LR, TB, RL or BT, got {rankdir!r}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"draw_graph: max_nodes must be at least 1 (or None), got {max_nodes}")
    tr = as_trace(root, params, names, modules, outputs, show_grads or backward, expand)
    if collapse_modules not in (False, None) and not tr.modules:
        raise ValueError("draw_graph: collapse_modules needs module calls on the graph: run "
                         "the forward pass inside 'with viz.record():' (or "
                         "'with viz.trace_modules(model) as modules:' and pass modules=)")
    o = _options(show_values=show_values, show_grads=show_grads or backward,
                 show_shapes=show_shapes, show_saved=show_saved, rankdir=rankdir,
                 collapse_modules=collapse_modules, max_nodes=max_nodes, backward=backward,
                 legend=legend, show_rules=show_rules, title=title,
                 root_label=tr.root.label or "E", highlight=None, edge_labels={}, notes=[])
    return _emit(tr, o)


def draw_backward(root, **kwargs):
    """The backward view of ``draw_graph`` (``backward=True``): gradients flowing back.

    Every edge is labelled with the share of dE/d(operand) its op sends back (an operand
    used twice, as in ``x * x``, receives two shares that add up: the slides' dE/dy = sum),
    every tensor shows its total dE/dt and is coloured by its RMS on a log scale. The shares
    are the ones the engine computed in a backward inside ``viz.record()``.
    """
    kwargs["backward"] = True
    return draw_graph(root, **kwargs)


def as_trace(root, params=None, names=None, modules=None, outputs=None, grads=True,
             expand=False):
    """``root`` itself when it is a Trace, else ``viz.trace(root, ...)``."""
    if isinstance(root, Trace):
        return root
    if not isinstance(root, Tensor):
        raise TypeError(f"viz: expected a Tensor or a Trace, got {type(root).__name__}")
    return trace(root, params=params, names=names, modules=modules, outputs=outputs,
                 grads=grads, expand=expand)


def _emit(tr, o):
    """Turn a trace into a Graph according to the options ``o``."""
    scene = _Scene(tr, o)
    g = Graph(name="autograd", graph_attr={"rankdir": o.rankdir, "fontname": FONT,
                                           "fontsize": "12", "nodesep": "0.25",
                                           "ranksep": "0.35"},
              node_attr={"fontname": FONT, "fontsize": "11"},
              edge_attr={"fontname": FONT, "fontsize": "9", "arrowsize": "0.7"})
    g.trace = tr
    g.drawn_nodes, g.hidden_nodes = len(scene.items), scene.hidden
    scale = None
    if o.backward:
        scale = _GradScale([rms(n.grad) for n in tr.tensors if n.grad is not None])
    hl = o.highlight

    # nodes, grouped by module call (clusters)
    groups = {}
    for key, (kind, obj) in scene.items.items():
        groups.setdefault(scene.cluster.get(key), []).append((key, kind, obj))
    clusters = {}
    for cid, members in groups.items():
        target = g if cid is None else clusters.setdefault(cid, _cluster(tr.modules[cid]))
        for key, kind, obj in members:
            faded = hl is not None and key not in hl
            _add_node(target, key, kind, obj, o, scale, scene, faded)
    if clusters:
        _nest_clusters(g, tr.modules, clusters)
    if scene.hidden:
        g.node("more", f"... {scene.hidden:,} more nodes (max_nodes={o.max_nodes})",
               shape="note", style="filled", fillcolor="#eeeeee")
        for k in scene.boundary:
            g.edge("more", k, style="dashed", color="#999999")

    for a, b, kind, op, pos, aname, multi in scene.edges:
        g.edge(a, b, **_edge_attrs(kind, op, pos, aname, multi, o, a, b))

    if o.legend:
        roles = {obj.role for kind, obj in scene.items.values() if kind == "tensor"}
        with g.subgraph(name="legend_rank") as sub:     # after the root: out of the way
            sub.attr(rank="sink")
            sub.node("legend", _legend_label(roles, scene, scale, o), shape="plaintext")
    lines = [o.title] if o.title else []
    if o.backward and not o.title:
        lines.append(f"backward: d{o.root_label}/d(each tensor), red arrows carry each op's "
                     "share back to its operands")
    lines += o.notes
    if tr.note and o.show_grads:
        lines.append(tr.note)
    if lines:                  # wrapped so that the picture fits a 900 px column
        lines = [part for line in lines for part in wrap(line, 92)]
        g.attr(label="\\l".join(_dot_escape(x) for x in lines) + "\\l", labelloc="t",
               labeljust="l")
    return g


def _dot_escape(text):
    """A plain DOT label line: backslashes would start escapes (\\l, \\n)."""
    return text.replace("\\", "\\\\")


def _cluster(call):
    c = graphviz.Digraph(name=f"cluster_m{call.index}")
    fill = ["#f7fbff", "#eef5fb", "#e3eef8", "#d6e6f4"][min(call.depth, 3)]
    c.attr(label=f"{call.title}: {type(call.module).__name__}", style="rounded,filled",
           fillcolor=fill, color="#6b8fb5", fontsize="11", labeljust="l")
    return c


def _nest_clusters(g, modules, clusters):
    """Put every cluster inside its enclosing call's cluster (inner calls complete first,
    so increasing call index visits children before their parents)."""
    for idx in list(clusters):
        parent = modules[idx].parent
        while parent is not None and parent not in clusters:
            # an enclosing call with no node of its own still frames its children
            clusters[parent] = _cluster(modules[parent])
            parent = modules[parent].parent
    for idx in sorted(clusters):
        parent = modules[idx].parent
        (g if parent is None else clusters[parent]).subgraph(clusters[idx])


def _add_node(target, key, kind, obj, o, scale, scene, faded):
    if kind == "tensor":
        fill = scale.color(rms(obj.grad)) if scale is not None and obj.grad is not None else None
        if obj.role == "const":
            target.node(key, _const_label(obj), shape="ellipse", style="filled",
                        fillcolor="#f0f0f0", fontsize="9", height="0.2", margin="0.02",
                        color=FADED if faded else "#969696")
        else:
            target.node(key, _tensor_label(obj, o, fill, faded), shape="plaintext",
                        margin="0")
    elif kind == "op":
        target.node(key, _op_label(obj, o), shape="box", style="rounded,filled",
                    fillcolor="#fafafa" if faded else OP_FILL,
                    color=FADED if faded else "#b8860b", fontcolor="#999999" if faded else "black")
    else:
        out = scene.module_out.get(key)
        fill = None
        if scale is not None and out is not None and out.grad is not None:
            fill = scale.color(rms(out.grad))
        target.node(key, _module_label(obj, out, o, fill), shape="plaintext", margin="0")


def _edge_attrs(kind, op, pos, aname, multi, o, a, b):
    attrs = {}
    label = None
    if kind == "in" and multi:
        label = f"{pos}: {aname}"
    if o.backward:
        attrs.update(dir="back", color=GRAD_EDGE, fontcolor=GRAD_EDGE)
        if kind == "in" and op is not None and pos in op.edge_grads:
            label = _edge_grad_text(op.edge_grads[pos], o, aname)
            if multi:
                label = f"{pos}: {label}"
    special = o.edge_labels.get((a, b, pos if kind == "in" else None))
    if o.highlight is not None:
        on = a in o.highlight and b in o.highlight
        if on:
            attrs.update(color=GRAD_EDGE, penwidth="2.5", fontcolor=GRAD_EDGE)
        else:
            attrs.update(color=FADED, fontcolor=FADED)
    if special is not None:
        label = special
    if label:
        attrs["label"] = "\\n".join(wrap(label, 30))
    return attrs


def _legend_label(roles, scene, scale, o):
    rows = ['<tr><td colspan="2"><b>legend</b></td></tr>']
    for role in ("param", "leaf", "input", "const", "intermediate", "output", "loss"):
        if role in roles:
            color, border, style, text = ROLE_STYLE[role]
            rows.append(f'<tr><td bgcolor="{color}" border="{border}" width="18"> </td>'
                        f'<td align="left">{_e(text)}</td></tr>')
    if any(kind == "op" for kind, _ in scene.items.values()):
        rows.append(f'<tr><td bgcolor="{OP_FILL}" width="18"> </td>'
                    '<td align="left">operation: name, local derivative</td></tr>')
    if any(kind == "module" for kind, _ in scene.items.values()):
        rows.append('<tr><td bgcolor="#c6dbef" width="18"> </td>'
                    '<td align="left">module (collapsed)</td></tr>')
    if scale is not None:
        rows.append(scale.legend_rows())
    return ('<<table border="1" cellborder="0" cellspacing="2" cellpadding="2" '
            f'color="#999999">{"".join(rows)}</table>>')
