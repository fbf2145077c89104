"""Ship `resources/` inside the wheel as `app/_resources`, where `app/resources.py` looks in an installed Earful.

pyproject.toml names this class as setuptools' `build_py` command. An editable install needs nothing:
`app/resources.py` then falls back to the checkout's `resources/` folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            shutil.copytree(
                RESOURCES,
                Path(self.build_lib) / "app" / "_resources",
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                dirs_exist_ok=True,
            )
