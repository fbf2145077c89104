"""The core must run without Qt (the CLI, tests and servers use it with no display and no PySide6), and a
part of the window never imports the whole it belongs to."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _core_modules() -> list[str]:
    """Every module of the core: all of `app` but the window (`app.ui`) and the entry point that opens it.
    Packs, recording, speakers and analysis included: any of them reaching Qt would break the CLI."""
    modules = []
    for path in sorted((REPO / "app").rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[:2] == ("app", "ui") or parts == ("app", "__main__"):
            continue
        modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


CORE_MODULES = _core_modules()


def test_core_imports_with_pyside6_unavailable():
    assert {"app.services.packs", "app.services.recording", "app.speakers.stage", "app.cli"} <= set(
        CORE_MODULES
    )
    # A None entry in sys.modules makes any `import PySide6` raise ImportError.
    code = "import sys; sys.modules['PySide6'] = None\n" + "\n".join(f"import {m}" for m in CORE_MODULES)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_import_contracts_hold():
    """import-linter: only app.ui imports PySide6; layers never import upwards (see pyproject.toml)."""
    lint_imports = Path(sys.executable).with_name("lint-imports")  # installed with the test extras
    result = subprocess.run([str(lint_imports)], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# Each whole of the window and the modules allowed to import it: only what builds it. A part (tagging,
# menus, a view) gets the widgets and callbacks it needs handed in, never the whole it belongs to (#13).
WHOLES = {
    "app.ui.workspace": {"app.ui.main_window", "app.ui.application"},
    "app.ui.main_window": {"app.ui.application"},
}


def _imported(path: Path) -> set[str]:
    """Every module `path` imports, at any depth of its code (under TYPE_CHECKING and in functions too)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_part_of_the_window_imports_the_whole_it_belongs_to():
    importers: dict[str, set[str]] = {whole: set() for whole in WHOLES}
    for path in sorted((REPO / "app").rglob("*.py")):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        for whole in WHOLES.keys() & _imported(path):
            importers[whole].add(module)
    assert importers["app.ui.workspace"]  # the scan sees the imports it looks for
    assert {whole: found - WHOLES[whole] for whole, found in importers.items()} == {w: set() for w in WHOLES}
