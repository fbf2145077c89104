"""Find files in `resources/` from a checkout, an installed wheel or a PyInstaller bundle alike."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # PyInstaller: the spec copies resources/ into the bundle
        return Path(bundle) / "resources"
    installed = Path(__file__).parent / "_resources"  # wheel: pyproject maps resources/ here
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "resources"  # checkout or editable install


def resource_path(relative: str) -> Path:
    path = resources_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"Earful resource missing: {relative} (looked in {resources_dir()}).")
    return path
