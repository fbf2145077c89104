"""Run-time dependencies are what the app imports: nothing declared for nothing, nothing used undeclared."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PINNED_BY_ANOTHER = {"shiboken6"}
"""Imported, but installed at exactly the version its parent (PySide6) pins: declaring it adds nothing."""


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_levels() -> set[str]:
    names = set()
    for path in (REPO / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"app"}


def _declared() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_normalised(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in project["dependencies"]}


def test_every_run_time_dependency_is_imported_by_the_app_and_every_import_is_declared():
    by_module = importlib.metadata.packages_distributions()
    imported = {
        _normalised(dist) for module in _imported_top_levels() for dist in by_module.get(module, [])
    } - PINNED_BY_ANOTHER
    unknown = {module for module in _imported_top_levels() if module not in by_module}
    assert not unknown, f"imported by app/ but installed by no distribution: {unknown}"
    assert not imported - _declared(), "imported by app/ but not declared in pyproject.toml"
    assert not _declared() - imported, "declared as run-time dependencies but never imported by app/"
