"""The lock pins what pyproject.toml asks for, and the environment the tests run in is the locked one."""

from __future__ import annotations

import sys
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "packaging"))
from lock import pinned_versions, strays


def _declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(line) for line in [*project["dependencies"], *extras["test"], *extras["base"]]]


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = pinned_versions()
    for requirement in _declared():
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is declared in pyproject.toml but not in the lock: refresh_lock.sh"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"the lock pins {name} {pins[name]} outside pyproject.toml's {requirement.specifier}"
        )


def test_the_test_environment_is_the_locked_one() -> None:
    assert strays() == [], "installed packages differ from packaging/requirements.lock"
