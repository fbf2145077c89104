"""No room does several jobs: a file in `app/` over ~450 lines has more than one job to split along (#13)."""

from __future__ import annotations

import pytest

from tests.conftest import REPO

MAX_LINES = 450

FILES = sorted(str(path.relative_to(REPO)) for path in (REPO / "app").rglob("*.py"))


@pytest.mark.parametrize("name", FILES)
def test_no_file_in_app_is_over_450_lines(name):
    lines = len((REPO / name).read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it along a seam so each part has one job"
