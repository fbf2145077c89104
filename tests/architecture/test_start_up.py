"""The window paints before the heavy libraries load: nothing on the way to the first paint imports them.

They are most of the start-up time (sqlite-utils with numpy alone take longer than Qt's widgets), and the
bench (bench/gui_responsiveness.py) measures the result; this test keeps the structure that makes it so.
"""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

# Loaded with the library, a recording, a model or an export: never needed to paint the empty window.
LOADED_LATER = [
    "sqlite_utils",
    "numpy",
    "av",
    "faster_whisper",
    "onnxruntime",
    "sounddevice",
    "jinja2",
    "docx",
]


def test_the_start_up_path_leaves_the_heavy_libraries_for_later():
    code = (
        "import sys\n"
        "from app.ui.application import EarfulApplication, start\n"
        f"print(','.join(name for name in {LOADED_LATER!r} if name in sys.modules))\n"
    )
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"imported before the first paint: {result.stdout.strip()}"
