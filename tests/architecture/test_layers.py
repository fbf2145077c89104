"""The core must run without Qt: the CLI, tests and servers use it with no display and no PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CORE_MODULES = [
    "app.cli",
    "app.services.importing",
    "app.services.transcribing",
    "app.services.demo",
    "app.export.transcript_formats",
    "app.transcription.worker",
    "app.guides",
    "app.services.tagging",
    "app.services.board",
    "app.cli.tagging",
]


def test_core_imports_with_pyside6_unavailable():
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
