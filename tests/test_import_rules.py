"""The import direction of shared/ARCHITECTURE.md, read from the source: every import statement, lazy ones too.

Production code never imports the demo, the benchmarks or the CLI; only the application layer (the CLI, the
local stack) and the demo mode of pipelines/definitions.py import ``demo``. ``demo`` builds on the core only,
and its modules import each other without a circle.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = ("cloudforge", "assets", "policies", "provisioners", "pipelines", "dashboards")
APPLICATION_LAYER = ("cloudforge.cli", "cloudforge.local.stack", "pipelines.definitions")  # and their submodules
FORBIDDEN_IN_PRODUCTION = ("demo", "benchmarks", "cloudforge.cli")
FORBIDDEN_IN_DEMO = (
    "assets", "pipelines", "policies", "provisioners", "dashboards", "benchmarks", "cloudforge.cli",
    "cloudforge.local.stack",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(package: str) -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def imports(name: str, path: Path) -> set[str]:
    """The absolute names of the modules (or their members) this module imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def within(imported: str, packages: tuple[str, ...]) -> bool:
    return any(imported == package or imported.startswith(package + ".") for package in packages)


PRODUCTION_MODULES = {
    name: path for package in PRODUCTION for name, path in modules(package).items()
    if not within(name, APPLICATION_LAYER)
}


@pytest.mark.parametrize("name", sorted(PRODUCTION_MODULES))
def test_production_code_imports_neither_the_demo_nor_the_benchmarks_nor_the_cli(name):
    wrong = sorted(i for i in imports(name, PRODUCTION_MODULES[name]) if within(i, FORBIDDEN_IN_PRODUCTION))
    assert wrong == [], f"{PRODUCTION_MODULES[name].relative_to(ROOT)} imports {wrong}"


def test_the_demo_builds_on_the_core_only():
    wrong = {
        name: sorted(i for i in imports(name, path) if within(i, FORBIDDEN_IN_DEMO))
        for name, path in modules("demo").items()
    }
    assert {name: found for name, found in wrong.items() if found} == {}


def test_the_demo_modules_import_each_other_without_a_circle():
    demo = modules("demo")
    graph = {name: {i for i in imports(name, path) if i in demo and i not in (name, "demo")} for name, path in demo.items()}
    assert graph["demo.billing"] >= {"demo.seeding"}  # the graph is read: billing names seeding's ids
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as circle:
        pytest.fail(f"import circle among the demo modules: {' -> '.join(circle.args[1])}")


def test_the_rules_see_the_application_layer_import_the_demo():
    """The checks above would pass on an empty walk; the application layer's demo imports are found."""
    assert within("demo.cloud", FORBIDDEN_IN_PRODUCTION)
    application = {name: path for package in PRODUCTION for name, path in modules(package).items()}
    for layer in APPLICATION_LAYER:
        assert any(within(i, ("demo",)) for name, path in application.items() if within(name, (layer,))
                   for i in imports(name, path)), layer
