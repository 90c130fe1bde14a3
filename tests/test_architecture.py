"""The layers of docs/architecture.md hold: no module imports from a layer above its own."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wsitest_steps"

#: Lowest first; a module may import from its own layer and from the layers before it.
LAYERS = [
    "errors",
    "model",
    "settings",
    "matching",
    "recording",
    "connection",
    "http",
    "language",
    "scenario",
    "integration",
    "reporting",
    "steps",
    "report",
    "catalog",
    "__init__",
]


def layer_of(module: str) -> str:
    """``connection`` for ``wsitest_steps.connection.actor``, ``errors`` for ``wsitest_steps.errors``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ["wsitest_steps", *path.relative_to(PACKAGE).with_suffix("").parts]
        if parts[-1] == "__init__" and len(parts) > 2:
            parts = parts[:-1]
        yield ".".join(parts), path


def imported(module: str, path: Path) -> list[tuple[int, str]]:
    """Every wsitest_steps module ``module`` imports, relative imports resolved, with its line."""
    is_package = path.name == "__init__.py"
    package = module.split(".") if is_package else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names = [f"{target}.{alias.name}" for alias in node.names] if not node.module or node.level else [target]
            found.extend((node.lineno, name) for name in names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name.startswith("wsitest_steps")]


def test_every_layer_is_listed():
    listed = set(LAYERS)
    assert {layer_of(module) for module, _ in modules()} <= listed
    assert {
        p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if p.name != "__pycache__" and p.suffix in (".py", "")
    } <= listed


@pytest.mark.parametrize("module, path", list(modules()), ids=lambda value: value if isinstance(value, str) else "")
def test_no_module_imports_from_a_layer_above_its_own(module, path):
    rank = LAYERS.index(layer_of(module))
    upward = [
        f"line {line}: {name} ({layer_of(name)})" for line, name in imported(module, path) if LAYERS.index(layer_of(name)) > rank
    ]
    assert not upward, f"{module} ({layer_of(module)}) imports from layers above it: " + "; ".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The check itself can fail: a connection module importing the cast is caught."""
    fake = tmp_path / "actor.py"
    fake.write_text("from ..scenario.cast import Cast\n")
    names = [name for _, name in imported("wsitest_steps.connection.actor", fake)]
    assert names == ["wsitest_steps.scenario.cast.Cast"]
    assert LAYERS.index(layer_of(names[0])) > LAYERS.index("connection")


def test_the_layers_are_the_ones_the_architecture_page_lists():
    page = (PACKAGE.parent / "docs" / "architecture.md").read_text()
    for layer in LAYERS:
        if layer != "__init__":
            assert f"`{layer}" in page, f"docs/architecture.md does not describe the {layer} layer"
