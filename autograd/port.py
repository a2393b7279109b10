"""Port a PyTorch script: rewrite its imports, and nothing else, to this framework's modules.

    python -m autograd.port train.py train_ported.py       # one file
    python -m autograd.port examples/ ported/              # a directory tree (other files copied)
    python -m autograd.port a.py b.py outdir/              # several files into a directory
    python -m autograd.port --diff train.py -              # show the changed lines, write nothing

The mapping (the README's table; the longest matching prefix wins):

    torch.nn, torch.nn.functional, torch.nn.init   ->  nn, nn.functional, nn.init
    torch.optim, torch.optim.lr_scheduler          ->  nn.optim, nn.optim.lr_scheduler
    torch.utils.data                               ->  nn.data
    torch.autograd                                 ->  autograd
    torch, any other torch.X                       ->  autograd, autograd.X
    torchvision.datasets/.transforms/.utils/.io    ->  nn.data.datasets/.transforms/.utils/.io
    torchvision.models                             ->  nn.models
    torchvision                                    ->  nn.vision (the namespace of all five)

How: the script is parsed with ``ast``; each ``import``/``from ... import`` statement that names
a mapped module is replaced in place, at its exact source span, by statements that bind the same
names to the mapped modules (``import torch.nn as nn`` -> ``import nn``; ``from torch import nn,
optim`` -> ``import nn; from nn import optim``; ``import torch.nn.parallel``, which binds
``torch`` and loads the submodule, -> ``import autograd as torch; __import__("nn.parallel")``).
Comments on import lines are kept, a multi-line import keeps its line count (so tracebacks point
at the same lines), and imports inside functions, ``try`` blocks and ``if`` branches are handled
like top-level ones. Afterwards every line that
holds no rewritten import is checked to be byte-identical to the source, and the result must
parse; otherwise ``PortError`` is raised and nothing is written.

Not rewritten: ``__import__("torch")``, ``importlib.import_module(...)`` and strings; relative
imports; other packages (``torchaudio``, ``torchtext``: they stay as they are).
"""

import argparse
import ast
import difflib
import io
import os
import re
import shutil
import sys
import tokenize

__all__ = ["MAPPING", "PortError", "map_module", "port_source", "import_lines", "check_port",
           "port_file", "main"]

# PyTorch module -> module here. Longest matching prefix wins; the rest of the name is kept.
MAPPING = {
    "torch": "autograd",
    "torch.autograd": "autograd",
    "torch.nn": "nn",
    "torch.optim": "nn.optim",
    "torch.utils.data": "nn.data",
    "torchvision": "nn.vision",
    "torchvision.datasets": "nn.data.datasets",
    "torchvision.transforms": "nn.data.transforms",
    "torchvision.utils": "nn.data.utils",
    "torchvision.io": "nn.data.io",
    "torchvision.models": "nn.models",
}

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class PortError(Exception):
    """The rewrite cannot be done safely: unparsable source, or a line that should have stayed
    byte-identical changed (a bug in the rewriter; nothing is written)."""


def map_module(name):
    """The module here for PyTorch module ``name``, or None when ``name`` is not PyTorch's.

    ``map_module("torch.nn.functional") == "nn.functional"``; ``map_module("numpy") is None``.
    """
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        target = MAPPING.get(".".join(parts[:cut]))
        if target is not None:
            return ".".join([target] + parts[cut:])
    return None


def _alias(name, asname):
    return name if asname is None or asname == name else f"{name} as {asname}"


def _rewrite_import(node):
    """``import a.b as c, d`` -> the new statement text, or None when nothing is PyTorch's.

    ``import torch.nn.parallel`` both binds ``torch`` and loads ``torch.nn.parallel``; the
    rewrite binds ``torch`` to ``autograd`` and loads ``nn.parallel`` with ``__import__`` (so
    no other name is bound)."""
    if not any(map_module(a.name) for a in node.names):
        return None
    names, loads = [], []
    for a in node.names:
        target = map_module(a.name)
        if target is None:
            text = _alias(a.name, a.asname)
        elif a.asname is not None:
            text = _alias(target, a.asname)
        else:
            top = a.name.split(".")[0]
            text = _alias(map_module(top), top)
            if target != map_module(top) and target not in loads:
                loads.append(target)
        if text not in names:
            names.append(text)
    return "; ".join(["import " + ", ".join(names)] + [f'__import__("{m}")' for m in loads])


def _rewrite_from(node):
    """``from a import b as c, d`` -> the new statement text(s), or None when not PyTorch's."""
    if node.level or node.module is None or map_module(node.module) is None:
        return None
    if node.names[0].name == "*":
        return f"from {map_module(node.module)} import *"
    groups = []                         # [(parent or None, [alias texts])], in source order
    for a in node.names:
        bound = a.asname or a.name
        parent, _, leaf = map_module(f"{node.module}.{a.name}").rpartition(".")
        if not parent:                  # a top-level package here: `from torch import nn`
            groups.append((None, [_alias(leaf, bound)]))
            continue
        text = _alias(leaf, bound)
        if groups and groups[-1][0] == parent:
            groups[-1][1].append(text)
        else:
            groups.append((parent, [text]))
    return "; ".join(f"import {', '.join(names)}" if parent is None
                     else f"from {parent} import {', '.join(names)}" for parent, names in groups)


def _comments(segment):
    """The comments inside a statement's source (a parenthesized import may carry some)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(segment).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    return [(t.start[0] - 1, t.start[1], t.string) for t in tokens if t.type == tokenize.COMMENT]


def _replace(lines, node, text):
    """Put ``text`` where ``node`` was. A multi-line statement keeps its line count: its first
    line gets the new statement, its other lines keep only the comments they had."""
    first, last = node.lineno - 1, node.end_lineno - 1
    head = lines[first][:node.col_offset]
    tail = lines[last][node.end_col_offset:]
    if first == last:
        lines[first] = head + text.encode() + tail
        return
    segment = b"".join(lines[first:last + 1])[node.col_offset:]
    segment = segment[:len(segment) - len(tail)].decode()
    inner = {}
    for row, _, comment in _comments(segment):
        inner.setdefault(row, []).append(comment.encode())
    ending = [_ending(line) for line in lines[first:last + 1]]
    rest = tail[:len(tail) - len(ending[-1])]
    if rest.strip() and not rest.lstrip().startswith(b"#"):
        # code after the statement on its last line (`...); x = 1`): keep it on the first line
        if inner:
            raise PortError(f"port: line {node.end_lineno}: a multi-line import with comments "
                            "inside is followed by code on its last line; put that code on a "
                            "line of its own")
        lines[first] = head + text.encode() + rest + ending[0]
        rest = b""
    else:
        lines[first] = head + text.encode() + b"".join(b"  " + c for c in inner.get(0, [])) \
            + ending[0]
    for row in range(1, last - first + 1):
        kept = b"  ".join(inner.get(row, []))
        if row == last - first and rest.strip():
            kept = (kept + b"  " if kept else b"") + rest.lstrip()
        lines[first + row] = kept + ending[row]


def _ending(line):
    return line[len(line.rstrip(b"\r\n")):]


def _edits(tree):
    """(node, new text) for every PyTorch import statement of the parsed script."""
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            text = _rewrite_import(node)
        elif isinstance(node, ast.ImportFrom):
            text = _rewrite_from(node)
        else:
            continue
        if text is not None:
            edits.append((node, text))
    return edits


def _parse(source, what):
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise PortError(f"port: {what} does not parse: {exc}") from exc


def port_source(source):
    """Rewrite the PyTorch imports of ``source`` (str); return the new source (str).

    Raises
    ------
    PortError
        When ``source`` does not parse, or the result fails ``check_port``.
    """
    lines = [line.encode() for line in _LINE.findall(source)]
    edits = _edits(_parse(source, "the source"))
    # from the end backwards, so earlier column offsets on the same line stay valid
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        _replace(lines, node, text)
    ported = b"".join(lines).decode()
    check_port(source, ported)
    return ported


def import_lines(source):
    """The line numbers (1-based) spanned by the PyTorch import statements of ``source``."""
    return {row for node, _ in _edits(_parse(source, "the source"))
            for row in range(node.lineno, node.end_lineno + 1)}


def check_port(source, ported):
    """Check that ``ported`` differs from ``source`` only on PyTorch import lines.

    Both must have the same number of lines, every line outside ``import_lines(source)`` must
    be byte-identical, and ``ported`` must parse.

    Raises
    ------
    PortError
        Naming the first line that changed (before and after) or the parse error.
    """
    allowed = import_lines(source)
    before = [line.encode() for line in _LINE.findall(source)]
    after = [line.encode() for line in _LINE.findall(ported)]
    if len(before) != len(after):
        raise PortError(f"port: the line count changed from {len(before)} to {len(after)}")
    for row, (old, new) in enumerate(zip(before, after), start=1):
        if row not in allowed and old != new:
            raise PortError(f"port: line {row} is not an import line but changed:\n"
                            f"  before: {old!r}\n  after:  {new!r}")
    _parse(ported, "the rewritten source")


def _read(path):
    with open(path, "rb") as f:
        raw = f.read()
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return raw.decode(encoding), encoding


def port_file(src, dst=None):
    """Rewrite the file ``src`` into ``dst`` (same encoding and line endings); return the new
    text. ``dst=None`` writes nothing. Raises PortError (see ``port_source``) naming the file."""
    text, encoding = _read(src)
    try:
        ported = port_source(text)
    except PortError as exc:
        raise PortError(f"{src}: {exc}") from exc
    if dst is not None:
        os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
        with open(dst, "w", encoding=encoding, newline="") as f:
            f.write(ported)
    return ported


def _jobs(sources, dst):
    """(source file, destination file or None for a copy) pairs for the command line."""
    if len(sources) == 1 and os.path.isfile(sources[0]) and not os.path.isdir(dst):
        return [(sources[0], dst, True)]
    jobs = []
    for src in sources:
        if os.path.isdir(src):
            for root, dirs, files in os.walk(src):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
                for name in sorted(files):
                    path = os.path.join(root, name)
                    out = os.path.join(dst, os.path.relpath(path, src))
                    jobs.append((path, out, name.endswith(".py")))
        else:
            jobs.append((src, os.path.join(dst, os.path.basename(src)), True))
    return jobs


def main(argv=None):
    """The command line (``python -m autograd.port --help``); returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m autograd.port",
        description="Rewrite the imports of PyTorch scripts to this framework (nothing else "
                    "changes; every other line is checked to stay byte-identical).")
    parser.add_argument("paths", nargs="+", metavar="SRC... DST",
                        help="source files or directories, then the destination: a file (for "
                             "one source file), a directory, or '-' for standard output")
    parser.add_argument("--diff", action="store_true",
                        help="print a unified diff of the changed lines (default: off)")
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("give at least one SRC and a DST")
    *sources, dst = args.paths
    for src in sources:
        if not os.path.exists(src):
            parser.error(f"{src}: no such file or directory")
    try:
        for src, out, is_python in _jobs(sources, dst):
            if not is_python:
                os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
                shutil.copy2(src, out)
                continue
            ported = port_file(src, None if dst == "-" else out)
            if args.diff:
                original, _ = _read(src)
                sys.stdout.writelines(difflib.unified_diff(
                    original.splitlines(True), ported.splitlines(True), src, out))
            elif dst == "-":
                sys.stdout.write(ported)
    except PortError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
