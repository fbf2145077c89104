"""`pip install .` (not editable) ships resources/ inside the package, where app.resources finds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built as `pip install .` builds one, from a copy of the checkout (builds write into the tree)."""
    source = tmp_path_factory.mktemp("source") / "earful"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
        ),
    )
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = out.glob("earful-*.whl")
    return wheel


def test_wheel_holds_every_resource(wheel: Path) -> None:
    expected = {
        "app/_resources/" + path.relative_to(REPO / "resources").as_posix()
        for path in (REPO / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())

    assert "app/_resources/selfcheck/speech.flac" in expected
    assert expected <= names, sorted(expected - names)
    assert not any(name.startswith(("resources/", "packaging/")) for name in names)


def test_installed_wheel_finds_its_own_resources(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    probe = (
        "from app.resources import resource_path, resources_dir;"
        "print(resources_dir()); print(resource_path('demo/interview.flac'))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        check=True,
    )

    folder, demo = found.stdout.split()
    assert Path(folder) == target / "app" / "_resources"
    assert Path(demo).is_file()
