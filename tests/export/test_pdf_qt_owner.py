"""Who starts Qt for a PDF pack: the caller (the window, or the CLI in a headless process), never the export
layer, and the CLI only when a format needs Qt. Each test runs in a fresh process, where no test fixture
has started Qt already."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=240)


def test_earful_export_starts_qt_only_for_the_pdf(pack_library, tmp_path):
    library, ids = pack_library
    code = f"""
import sys
from app.cli import main
base = ["--library", {str(library.root)!r}, "export", "{ids[0]}", "--out", {str(tmp_path)!r}]
assert main([*base, "--format", "md", "--name", "plain"]) == 0
assert "PySide6" not in sys.modules, "a Markdown pack loaded Qt"
assert main([*base, "--format", "pdf", "--name", "print"]) == 0
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "print.pdf").read_bytes().startswith(b"%PDF")


def test_the_pdf_renderer_refuses_without_a_qt_application_and_says_who_starts_one():
    code = """
from app.export.pack.pdf import render_pdf
try:
    render_pdf(None)
except RuntimeError as error:
    print(error)
"""
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert "app.cli.offscreen_qt.start_offscreen_qt()" in result.stdout
