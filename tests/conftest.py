"""Shared fixtures: real speech from ../shared, real libraries on disk, and isolation from the user's home."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEECH = Path(os.environ.get("EARFUL_SHARED", REPO.parent / "shared")) / "data" / "speech"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read or write the real user's library, models or caches from a test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.delenv("EARFUL_LIBRARY", raising=False)
    monkeypatch.delenv("EARFUL_MODELS_DIR", raising=False)


@pytest.fixture(scope="session")
def speech() -> Path:
    """The folder of real recordings with reference transcripts (see its MANIFEST.md)."""
    if not (SPEECH / "MANIFEST.md").is_file():
        pytest.fail(f"Test speech not found in {SPEECH}: clone the project with ../shared beside it.")
    return SPEECH


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where a test saves pictures of what a user sees: EARFUL_SCREENSHOTS=DIR keeps them to look at."""
    folder = Path(os.environ.get("EARFUL_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def library(tmp_path: Path):
    from app.library import Library

    with Library.open(tmp_path / "library") as opened:
        yield opened


from tests.recording.sinks import clips, customer, pulse, you  # noqa: E402,F401 - one sound server per session


def reference_text(speech_dir: Path, stem: str) -> str:
    return (speech_dir / f"{stem}.ref.txt").read_text(encoding="utf-8")


@pytest.fixture
def one_mib_disk(tmp_path: Path):
    """A real 1 MiB tmpfs: writes past it fail with ENOSPC, exactly as on a full drive."""
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root and mount(8)")
    point = tmp_path / "small-disk"
    point.mkdir()
    result = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)], capture_output=True, text=True
    )
    if result.returncode:
        pytest.skip(f"cannot mount a 1 MiB tmpfs here: {result.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=True)
