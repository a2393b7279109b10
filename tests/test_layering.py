"""Layering follows the import direction, and packages use only each other's public names
(issue 10, "Declared once"; STANDARDS.md "NO private names used across packages").

* The module-level imports inside ``autograd/`` form no cycle (tensor.py, function.py,
  engine.py and ops/ must not import each other in a loop; imports inside functions don't
  count, they run later).
* ``nn/functional.py`` defines no ``Function`` subclass (Linear, BatchNormTrain,
  ChannelWindowSum and the BCE pair move to ``autograd/ops/``).
* Nothing in ``nn/``, ``viz/`` or ``examples/`` reaches into autograd's private names:
  ``Tensor._wrap``, ``._data``, ``._version``, ``._saved``, ``._released``, ``._hooks``,
  ``._mark_modified()``, ``creation.default_generator``, ``autograd.X._y``, or imports of
  ``_private`` names and modules from autograd. ``self._x`` inside a class is the class's own.

These tests read the source with ``ast``; they import nothing from the project.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules(package):
    return {module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}


def import_time_statements(body):
    """Statements run when the module is imported: the module body, including if/try/with
    blocks and class bodies, but not function bodies."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        yield node
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from import_time_statements(inner)


def imported_modules(name, path, known):
    """The modules of ``known`` that module ``name`` imports at import time."""
    is_package = path.name == "__init__.py"
    out = set()
    for node in import_time_statements(parse(path).body):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:
                    out.add(sub)            # `from . import engine`: the submodule
                elif target in known:
                    out.add(target)         # `from .errors import ShapeError`: the module
    out.discard(name)
    return out


def find_cycle(graph):
    """One import cycle as a list of module names, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def autograd_import_graph():
    known = package_modules("autograd")
    return {name: imported_modules(name, path, known) for name, path in known.items()}


def test_the_scan_sees_the_core_modules_and_their_imports():
    # guards the test below against passing because it parsed nothing
    graph = autograd_import_graph()
    for core in ("autograd.tensor", "autograd.function", "autograd.engine", "autograd.errors"):
        assert core in graph, f"{core} not found under {ROOT / 'autograd'}"
    assert "autograd.errors" in graph["autograd.function"]


def test_find_cycle_finds_a_planted_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_autograd_module_level_imports_have_no_cycle():
    graph = autograd_import_graph()
    cycle = find_cycle(graph)
    assert cycle is None, "module-level import cycle in autograd/: " + " -> ".join(cycle)


# -- Functions live in autograd/ops ---------------------------------------------------------------
def function_subclasses(path):
    """Names of the classes in ``path`` that derive (directly or via a class of the same file)
    from ``Function``."""
    classes = [n for n in ast.walk(parse(path)) if isinstance(n, ast.ClassDef)]
    derived = {"Function"}
    changed = True
    while changed:
        changed = False
        for c in classes:
            bases = {b.id if isinstance(b, ast.Name) else b.attr
                     for b in c.bases if isinstance(b, (ast.Name, ast.Attribute))}
            if c.name not in derived and bases & derived:
                derived.add(c.name)
                changed = True
    return sorted(derived - {"Function"})


def test_nn_functional_defines_no_function_subclass():
    found = function_subclasses(ROOT / "nn" / "functional.py")
    assert not found, f"nn/functional.py defines Function subclasses {found}: they belong in " \
                      "autograd/ops/"


# -- no private autograd names outside autograd -------------------------------------------------
KNOWN_PRIVATE = {"_data", "_wrap", "_version", "_saved", "_released", "_hooks",
                 "_mark_modified", "_inplace", "_stamp", "_release", "_mode"}


def is_private(name):
    return name.startswith("_") and not name.startswith("__")


def root_name(node):
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def autograd_bound_names(tree):
    """Local names that refer to autograd or something imported from it."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "autograd" or a.name.startswith("autograd."):
                    names.add(a.asname or a.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                (node.module == "autograd" or node.module.startswith("autograd.")):
            names.update(a.asname or a.name for a in node.names)
    return names


def private_uses(path, root=ROOT):
    """``path:line: expression`` for each use of a private autograd name, in source order."""
    tree = parse(path)
    bound = autograd_bound_names(tree)
    where = path.relative_to(root)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue                    # the class's own attribute
            owner = root_name(node.value)
            if node.attr in KNOWN_PRIVATE or node.attr == "default_generator" or \
                    (owner in bound and is_private(node.attr)):
                found.append((node.lineno, node.col_offset, ast.unparse(node)))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.split(".")[0] == "autograd":
            private_module = any(is_private(p) for p in node.module.split("."))
            names = [a.name for a in node.names if is_private(a.name)]
            if private_module or names:
                found.append((node.lineno, node.col_offset, f"from {node.module} import "
                              f"{', '.join(a.name for a in node.names)}"))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "autograd" and any(map(is_private, a.name.split("."))):
                    found.append((node.lineno, node.col_offset, f"import {a.name}"))
    return [f"{where}:{line}: {text}" for line, _, text in sorted(found)]


def test_the_private_name_scan_catches_the_known_patterns(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import autograd as ag\n"
        "from autograd import Tensor, creation\n"
        "from autograd.function import _FREED\n"
        "class M:\n"
        "    def f(self, p):\n"
        "        self._wrap = 1\n"                    # fine: the class's own attribute
        "        p._mark_modified()\n"
        "        return Tensor._wrap(p), creation.default_generator, ag.engine._run, p._version\n"
        "    def g(self):\n"
        "        return self.weight._saved\n")
    found = private_uses(sample, root=tmp_path)
    assert [f.split(": ", 1)[1] for f in found] == [
        "from autograd.function import _FREED", "p._mark_modified", "Tensor._wrap",
        "creation.default_generator", "ag.engine._run", "p._version", "self.weight._saved"], found


def test_nn_viz_and_examples_use_no_private_autograd_names():
    found = []
    for package in ("nn", "viz", "examples"):
        for path in sorted((ROOT / package).rglob("*.py")):
            found.extend(private_uses(path))
    assert not found, f"{len(found)} uses of autograd's private names outside autograd/ " \
                      "(use the public API):\n" + "\n".join(found)
