"""Start-up leaves the heavy libraries for later: nothing on the way to the window's first paint imports
them, and reading a command line loads none that only other commands use.

They are most of the start-up time (sqlite-utils with numpy alone take longer than Qt's widgets), and the
benches measure the result (bench/gui_responsiveness.py the window's, bench/transcribe_overhead.py the
commands'); these tests keep the structure that makes it so.
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


# Loaded by the commands that decode, write packs or run a model: `earful transcribe` and every other
# command start without them (the transcription itself loads its model in the worker process).
LOADED_BY_THEIR_COMMANDS = ["av", "docx", "jinja2", "lxml", "onnxruntime", "faster_whisper", "sounddevice"]


def test_a_command_starts_without_the_libraries_only_other_commands_use():
    code = (
        "import sys\n"
        "from app import cli\n"
        "cli.parse(['transcribe'])\n"
        f"print(','.join(name for name in {LOADED_BY_THEIR_COMMANDS!r} if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"imported to read the command line: {result.stdout.strip()}"
