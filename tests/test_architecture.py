"""The layers of docs/architecture.md hold: no module imports from a layer above its own."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "wsitest_steps"

#: Lowest first; a module may import from its own layer and from the layers before it.
LAYERS = [
    "errors",
    "model",
    "protocols",
    "settings",
    "matching",
    "contracts",
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
    "load",
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


def importers_of(package: str) -> list[str]:
    found = []
    for module, path in modules():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            if any(name == package or name.startswith(package + ".") for name in names):
                found.append(module)
    return sorted(set(found))


def test_websocket_client_is_imported_by_the_transport_alone():
    assert importers_of("websocket") == ["wsitest_steps.connection.transport"]


def test_behave_is_imported_only_for_its_public_step_and_formatter_api():
    importers = importers_of("behave")
    assert importers, "the steps register themselves with behave"
    # behave_model also runs a load test's scenarios through behave's parser and step registry.
    doors = ("wsitest_steps.reporting.formatters", "wsitest_steps.integration.behave_model")
    assert all(module.startswith("wsitest_steps.steps.") or module in doors for module in importers), importers


def test_locust_is_imported_by_the_load_user_alone_and_never_by_a_behave_run():
    assert importers_of("locust") == ["wsitest_steps.load.locust_user"]
    import subprocess
    import sys

    code = "import sys, wsitest_steps, wsitest_steps.steps, wsitest_steps.report, wsitest_steps.load.runner; "
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] in ('locust', 'gevent')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


BEHAVE_MODEL = re.compile(
    r"\ball_steps\b|\berror_message\b|\.exception\b|\.filename\b|\bstatus\.name\b|\bcontext\.(?:table|text|config)\b"
)


def test_behave_model_objects_are_read_in_behave_model_alone():
    readers = {
        module
        for module, path in modules()
        if module != "wsitest_steps.integration.behave_model" and BEHAVE_MODEL.search(path.read_text())
    }
    assert not readers, f"read behave's model outside integration/behave_model.py: {sorted(readers)}"


def test_the_public_api_is_importable_typed_and_shipped_with_py_typed():
    import wsitest_steps

    assert (PACKAGE / "py.typed").is_file()
    assert "wsitest_steps = py.typed" in (PACKAGE.parent / "setup.cfg").read_text()
    missing = [name for name in wsitest_steps.__all__ if not hasattr(wsitest_steps, name)]
    assert not missing
    assert {"cast_of", "Cast", "Actor", "json_message", "expectation", "outgoing", "Deadline"} <= set(wsitest_steps.__all__)


def test_each_public_name_is_loaded_from_the_module_the_type_checker_sees():
    # The package hands its names on lazily; what mypy reads are the TYPE_CHECKING imports. The
    # two must name the same objects, and `from wsitest_steps import *` must still give them all.
    import importlib

    import wsitest_steps

    init = (PACKAGE / "__init__.py").read_text()
    typed = {
        name.strip(): module
        for module, names in re.findall(r"from \.([\w.]+) import \(?([^)]*?)\)?\n(?=\s*from|\s*\n)", init)
        for name in names.replace("\n", ",").split(",")
        if name.strip()
    }
    assert typed == wsitest_steps._HOME
    assert sorted(wsitest_steps.__all__) == sorted(wsitest_steps._HOME)
    for name, module in typed.items():
        assert getattr(wsitest_steps, name) is getattr(importlib.import_module(f"wsitest_steps.{module}"), name), name
    assert set(wsitest_steps.__all__) <= set(dir(wsitest_steps))
    namespace: dict[str, object] = {}
    exec("from wsitest_steps import *", namespace)
    assert set(wsitest_steps.__all__) <= set(namespace)
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        wsitest_steps.Nothing  # noqa: B018


def test_a_run_loads_contracts_http_and_protocols_only_when_it_uses_them():
    # Each is a tenth or so of the import: a scenario that holds no message to a document, makes no
    # HTTP request and speaks no protocol should not pay for them (docs/benchmarks.md, import rows).
    import subprocess
    import sys

    code = "import sys, wsitest_steps, wsitest_steps.steps; from wsitest_steps import Cast, Actor, cast_of; "
    code += "print(sorted(m for m in sys.modules if m.split('.')[1:2] in (['contracts'], ['http']) "
    code += "or m.startswith('wsitest_steps.protocols.') and m != 'wsitest_steps.protocols.base'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
    used = "import sys, wsitest_steps, wsitest_steps.protocols.base as base; wsitest_steps.HttpClient; base.protocol_named('stomp'); "
    used += "print(sorted(m for m in ('wsitest_steps.http.client', 'wsitest_steps.protocols.stomp') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", used], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "['wsitest_steps.http.client', 'wsitest_steps.protocols.stomp']", result.stderr


def _run_without_websockets(code):
    import subprocess
    import sys

    hidden = "import sys; sys.modules['websockets'] = None\n"  # as if the package were not installed
    return subprocess.run([sys.executable, "-c", hidden + code], capture_output=True, text=True, timeout=60)


def test_the_library_and_its_steps_need_no_websockets_package():
    result = _run_without_websockets("import wsitest_steps, wsitest_steps.steps, wsitest_steps.report")
    assert result.returncode == 0, result.stderr
    setup = (PACKAGE.parent / "setup.cfg").read_text()
    base = setup.split("install_requires =", 1)[1].split("\n\n", 1)[0]
    assert "websockets" not in base and "trustme" not in base


def test_the_demo_servers_without_websockets_say_which_extra_to_install():
    result = _run_without_websockets("import chat_server_fixture")
    assert result.returncode != 0
    assert "Install the library with its demo extra: pip install 'wsitest-steps[demo]'" in result.stderr, result.stderr
