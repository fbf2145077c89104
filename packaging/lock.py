"""The lock: the exact Python packages Earful is developed, tested and built with.

`packaging/requirements.lock` pins every package that `pyproject.toml`'s ranges admit, for every platform
(`uv pip compile --universal`), so a release of CTranslate2, onnxruntime or PySide6 next week changes nothing
until someone refreshes the lock on purpose (`bash packaging/refresh_lock.sh`). `dev.sh` installs with the
lock as pip constraints; `build.py` refuses to bundle from an environment that strays from it.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parent / "requirements.lock"


def pinned_versions(lock: Path = LOCK) -> dict[str, str]:
    """Package → pinned version for this interpreter and platform (lines whose markers do not apply are left out)."""
    pins: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            pins[canonicalize_name(requirement.name)] = str(requirement.specifier).removeprefix("==")
    return pins


def strays(lock: Path = LOCK) -> list[str]:
    """Installed packages whose version differs from the lock, as "name installed (lock: pinned)"."""
    found = []
    for name, pinned in sorted(pinned_versions(lock).items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # an extra this environment did not install (e.g. the test tools in a user's venv)
        if installed != pinned:
            found.append(f"{name} {installed} (lock: {pinned})")
    return found
