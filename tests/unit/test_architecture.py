"""The rooms of the code base (docs/CONVENTIONS.md), enforced.

- no import cycle anywhere in ``chalicelib`` (module level and function level imports alike);
- DynamoDB lives in ``chalicelib/store``: no other layer imports ``chalicelib.store.base``
  (the table model, transactions) nor writes a key literal such as ``"CUST#"``;
- no module imports another module's private (``_name``) function.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "chalicelib"
KEY_LITERAL = re.compile(r"^[A-Z][A-Z_]*#")
OUTSIDE_STORE = ("services", "api", "jobs", "domain", "render")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(path: Path, name: str, known: dict[str, Path]) -> set[str]:
    """chalicelib modules that ``name`` imports (``from x import y`` counts y if a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in known:
                    found.add(full)
                elif base in known:
                    found.add(base)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "lazy_module":
            arg = node.args[0] if node.args else None
            if isinstance(arg, ast.Constant) and arg.value in known:
                found.add(str(arg.value))
    found.discard(name)
    # A package's __init__ importing its own children is not a cycle through the child.
    return found


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, name, known) for name, path in known.items()}


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):
                continue  # a package importing its own submodule
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif not state.get(nxt):
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if not state.get(name):
            visit(name)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_dynamodb_lives_in_the_store() -> None:
    offenders = []
    for layer in OUTSIDE_STORE:
        for path in (PKG / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "chalicelib.store.base"
                ):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports store.base")
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and KEY_LITERAL.match(node.value)
                ):
                    offenders.append(
                        f"{path.relative_to(ROOT)}:{node.lineno} key literal {node.value!r}"
                    )
                if isinstance(node, ast.JoinedStr) and node.values:
                    head = node.values[0]
                    if isinstance(head, ast.Constant) and KEY_LITERAL.match(str(head.value)):
                        offenders.append(
                            f"{path.relative_to(ROOT)}:{node.lineno} key f-string {head.value!r}"
                        )
    assert not offenders, "\n".join(offenders)


def test_no_private_imports_across_modules() -> None:
    offenders = []
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("chalicelib"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name}")
    assert not offenders, "\n".join(offenders)


def test_every_store_model_is_listed_for_on_demand_loading() -> None:
    """Store modules load on demand (``chalicelib/store/__init__.py``): an item read from a
    collection imports its area by its ``type``, so every model's discriminator must be
    listed under its module in ``AREAS``."""
    import pkgutil

    import chalicelib.store as store
    from chalicelib.store.base import Item

    for info in pkgutil.iter_modules(store.__path__):
        __import__(f"chalicelib.store.{info.name}")
    defined: dict[str, set[str]] = {}
    stack = list(Item.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        name = Item.type.get_discriminator(cls)
        if name is not None:
            area = cls.__module__.removeprefix("chalicelib.store.")
            defined.setdefault(area, set()).add(name)
    listed = {area: set(types) for area, types in store.AREAS.items()}
    missing = {a: sorted(t - listed.get(a, set())) for a, t in defined.items()}
    stale = {a: sorted(t - defined.get(a, set())) for a, t in listed.items()}
    assert not any(missing.values()) and not any(stale.values()), (
        "list each model's discriminator under its module in chalicelib/store/__init__.py "
        f"AREAS; missing: { {a: t for a, t in missing.items() if t} }, "
        f"stale: { {a: t for a, t in stale.items() if t} }"
    )
