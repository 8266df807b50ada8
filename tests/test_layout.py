"""The layout rules of docs/architecture.md, checked on the source itself: no import cycle among
our modules (imports inside functions and under TYPE_CHECKING count too), no module over 500
lines, no folder with more than 20 modules, and comments that cite only the repository."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "channels", "storage", "triage")
MAX_LINES = 500
MAX_MODULES = 20
# Pointers to documents a clone does not have: the design notes, issue numbers, seed files.
OUTSIDE = re.compile(r"DESIGN\.md|§\s*\d|\bissues? \d|\bseeds? 00\d|\bseeds?/", re.IGNORECASE)

# What the layout work has not reached yet, each with where it is going. The test fails when an
# entry is no longer needed, so this list only shrinks.
TOO_LONG: dict[str, str] = {}


def _sources() -> list[Path]:
    return sorted(
        p
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("*.py")
        if "migrations" not in p.relative_to(ROOT).parts
    )


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every module of ours that `path` imports, wherever the import stands."""
    this = _module(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()

    def ours(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            names = [f"{base}.{a.name}" for a in node.names] + [base]
        for name in names:
            target = ours(name)
            if target and target != this:
                found.add(target)
    return found


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    paths = {_module(p): p for p in _sources()}
    graph = {m: _imports(p, set(paths)) for m, p in paths.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_among_our_modules():
    assert _cycles() == []


def test_the_cycle_finder_sees_a_cycle_closed_by_a_late_import(tmp_path, monkeypatch):
    pkg = tmp_path / "triage"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from triage import b\n")
    (pkg / "b.py").write_text("def f():\n    from triage.a import g\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert _cycles() == [["triage.a", "triage.b"]]


def test_no_module_over_500_lines():
    sizes = {
        str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines())
        for p in _sources()
    }
    too_long = {rel: n for rel, n in sizes.items() if n > MAX_LINES}
    assert too_long.keys() == TOO_LONG.keys(), (too_long, "TOO_LONG lists what is left to split")


# The schema's history: one file per change, in order, never edited (docs/architecture.md).
HISTORY = ROOT / "storage" / "migrations" / "versions"


def test_no_folder_with_more_than_20_modules():
    crowded = {}
    for pkg in PACKAGES:
        for folder in [ROOT / pkg, *(p for p in (ROOT / pkg).rglob("*") if p.is_dir())]:
            if folder == HISTORY:
                continue
            modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
            if len(modules) > MAX_MODULES:
                crowded[str(folder.relative_to(ROOT))] = len(modules)
    assert crowded == {}


def test_comments_cite_only_the_repository():
    found = []
    for path in _sources():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_only_bootstrap_builds_channels_and_storage():
    """Rule 6: outside bot/bootstrap.py, bot/ imports channels and storage for their types and
    functions, never to make one (the demo's scripted stand-ins are handed to build()). Plain
    records such as a forum topic's are values, not adapters."""
    records = {"Topic"}
    made = []
    for path in (ROOT / "bot").rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.as_posix() == "bot/bootstrap.py" or rel.parts[1] == "demo":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        builders = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] in ("channels", "storage")
            for alias in node.names
            if (alias.name[:1].isupper() and alias.name not in records)
            or alias.name == "make_engine"
        }
        made += [
            f"{rel}:{node.lineno}: {node.func.id}(…)"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in builders
        ]
    assert made == []
