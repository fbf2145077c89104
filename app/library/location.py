"""Where a library lives when the user does not say."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

LIBRARY_ENV = "EARFUL_LIBRARY"


def default_library_dir() -> Path:
    """$EARFUL_LIBRARY if set, else the platform's per-user data folder (e.g. ~/.local/share/Earful/Library)."""
    configured = os.environ.get(LIBRARY_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir("Earful", appauthor=False)) / "Library"


def default_demo_library_dir() -> Path:
    """A library of its own for the demo interview, so trying Earful never mixes with real interviews."""
    return Path(platformdirs.user_data_dir("Earful", appauthor=False)) / "Demo library"
