"""The package's layer rules, read from the code itself (every module, no hand-kept list).

- The domain (every package but app/ and cli/) never imports the app, the CLI, Textual or Rich.
- Packages import one way, down this list: a package imports only those before it (and the
  top-level modules). Top-level modules (config, errors, records, text, ...) import only each
  other.
- Only index/whoosh_internals.py imports whoosh.codec, whoosh.writing or whoosh.matching, takes
  a private name from Whoosh, or subclasses a Whoosh class.
- No import circles between modules (imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

LAYERS = ("ingest", "fetch", "index", "search", "entities", "quotes", "store", "workspace", "app",
          "cli")
UI_PACKAGES = ("app", "cli")
UI_LIBRARIES = ("textual", "rich")
WHOOSH_PRIVATE_MODULES = ("whoosh.codec", "whoosh.writing", "whoosh.matching")
WHOOSH_INTERNALS = "index.whoosh_internals"


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package under `root`, by dotted name relative to the package."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts) or "__init__"] = path
    return found


def imports(path: Path, package: str, name: str) -> list[tuple[str, int, tuple[str, ...]]]:
    """(module imported, line, names taken) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = [package, *name.split(".")] if name != "__init__" else [package]
                base = base if is_package else base[:-1]
                base = base[:len(base) - (node.level - 1)]
                module = ".".join(base + ([module] if module else []))
            names = tuple(alias.name for alias in node.names)
            found.append((module, node.lineno, names))
    return found


def edges(module: str, names: tuple[str, ...], known: set[str], package: str) -> set[str]:
    """The package's modules an import statement depends on: `from explorer.quotes import kept`
    on the module quotes.kept (not on the package quotes, which imports nothing of it)."""
    inner = module[len(package) + 1:] if module.startswith(package + ".") else None
    if inner is None:
        return set()
    submodules = {f"{inner}.{name}" for name in names if f"{inner}.{name}" in known}
    if submodules and len(submodules) == len(names):
        return submodules
    return submodules | ({inner} if inner in known else set())


def whoosh_bases(path: Path) -> list[tuple[str, int]]:
    """Classes defined in the file whose base is a name taken from Whoosh."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    from_whoosh = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            from_whoosh.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            from_whoosh.update((a.asname or a.name).split(".")[0] for a in node.names
                               if a.name.startswith("whoosh"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                root = base
                while isinstance(root, ast.Attribute):
                    root = root.value
                if isinstance(root, ast.Name) and root.id in from_whoosh:
                    found.append((node.name, node.lineno))
    return found


def layer_of(name: str) -> str | None:
    head = name.split(".")[0]
    return head if head in LAYERS else None


def violations(root: Path, package: str = "explorer") -> list[str]:
    """Every broken rule in the package at `root`, one line each (empty when all hold)."""
    found: list[str] = []
    mods = modules(root, package)
    graph: dict[str, set[str]] = {name: set() for name in mods}
    for name, path in mods.items():
        where = path.relative_to(root.parent)
        layer = layer_of(name)
        domain = layer not in UI_PACKAGES and name != "__main__"
        for module, line, names in imports(path, package, name):
            top = module.split(".")[0]
            inner = module[len(package) + 1:] if module.startswith(package + ".") else None
            if domain and (top in UI_LIBRARIES or (inner and layer_of(inner) in UI_PACKAGES)):
                found.append(f"{where}:{line}: the domain imports {module}")
            if name != WHOOSH_INTERNALS and top == "whoosh":
                if module.startswith(WHOOSH_PRIVATE_MODULES):
                    found.append(f"{where}:{line}: {module} is imported outside "
                                 f"{WHOOSH_INTERNALS}")
                for taken in names:
                    if taken.startswith("_"):
                        found.append(f"{where}:{line}: Whoosh's private {taken} is used outside "
                                     f"{WHOOSH_INTERNALS}")
            for target in edges(module, names, set(mods), package) - {name}:
                graph[name].add(target)
                theirs = layer_of(target)
                if name == "__main__" or theirs is None:
                    continue
                if layer is None:
                    found.append(f"{where}:{line}: top-level module {name} imports {target}")
                elif LAYERS.index(theirs) > LAYERS.index(layer):
                    found.append(f"{where}:{line}: {layer}/ imports {target}, which comes after it")
        if name != WHOOSH_INTERNALS:
            for cls, line in whoosh_bases(path):
                found.append(f"{where}:{line}: {cls} subclasses a Whoosh class outside "
                             f"{WHOOSH_INTERNALS}")
    found.extend(circles(graph))
    return found


def circles(graph: dict[str, set[str]]) -> list[str]:
    """One line per import circle between modules (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[str] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append("import circle: " + " -> ".join(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found
