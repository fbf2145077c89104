"""docs/ARCHITECTURE.md stays true: every file, module, class and command it names in backticks exists in
the tree (or, for a command, in `earful --help`). A newcomer reads it first; a name there that does not
exist sends them looking for nothing (#13 found `MainWindow.open_at` and `quote_bar.py` filing quotes)."""

from __future__ import annotations

import argparse
import ast
import functools
import re
from pathlib import Path

import pytest

from app.cli.parser import build_parser
from tests.conftest import REPO, SPEECH

DOC = REPO / "docs" / "ARCHITECTURE.md"
SOURCE_SUFFIXES = (".py", ".md", ".yaml", ".toml", ".j2", ".js", ".spec")
SEARCHED = ("app", "tests", "bench", "packaging", "resources", "docs")
SHARED = SPEECH.parents[1]
"""`$EARFUL_SHARED` (`../shared` by default), where `data/…` names point."""
# Named in the text but not ours: the standard library's and the engine's.
EXTERNAL = {"sys", "threading", "WhisperModel", "BatchedInferencePipeline"}
_QT_CLASS = re.compile(r"Q[A-Z]\w+")


def _named() -> list[str]:
    names = re.findall(r"`([^`\n]+)`", DOC.read_text(encoding="utf-8"))
    return sorted({re.sub(r"\(.*\)$", "", name) for name in names})


@functools.cache
def _definitions() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(class name → its members, module file stem → its top-level names) over app/."""
    classes: dict[str, set[str]] = {}
    modules: dict[str, set[str]] = {}
    for path in (REPO / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = modules.setdefault(path.stem, set())
        for node in tree.body:
            top |= _defined_names(node)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                members = classes.setdefault(node.name, set())
                for item in node.body:
                    members |= _defined_names(item)
                for item in ast.walk(node):  # attributes set on self in any method
                    if isinstance(item, ast.Attribute) and isinstance(item.ctx, ast.Store):
                        members.add(item.attr)
    return classes, modules


def _defined_names(node: ast.AST) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {target.id for target in node.targets if isinstance(target, ast.Name)}
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return {node.target.id}
    return set()


def _file_exists(name: str) -> bool:
    roots = (REPO, REPO / "app", REPO / "app" / "ui", SHARED)
    if "*" in name:
        return any(any(root.glob(name)) for root in roots)
    if any((root / name).exists() for root in roots):
        return True
    return "/" not in name.rstrip("/") and any(any((REPO / top).rglob(name.rstrip("/"))) for top in SEARCHED)


def _command_exists(words: list[str]) -> bool:
    parser = build_parser()
    if words[1].startswith("--"):
        return words[1] in parser.format_help()
    subcommands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    if words[1] not in subcommands or words[1] not in parser.format_help():
        return False
    # Options and literal words (an action such as `add`) must be in the command's help; placeholders
    # (ID, N, NAME) stand for what the user types.
    command = subcommands[words[1]]
    options = {option for action in command._actions for option in action.option_strings}
    literals = {choice for action in command._actions if action.choices for choice in action.choices}
    return all(
        word in (options if word.startswith("--") else literals) for word in words[2:] if not word.isupper()
    ) and all(option in command.format_help() for option in words[2:] if option.startswith("--"))


def _exists(name: str) -> bool | None:
    """Whether `name` exists; None when it is not a file, module, class or command (a table, a field…)."""
    if name.startswith("earful ") or name == "earful":
        return name == "earful" or _command_exists(name.split())
    if name.startswith(("../", ".")) or "<" in name or " " in name:
        return None
    classes, modules = _definitions()
    if "/" in name and not name.endswith(SOURCE_SUFFIXES) and "." in Path(name).name:
        path, _, attribute = name.rpartition(".")  # `services/packs.build_pack`
        file = next((r / f"{path}.py" for r in (REPO, REPO / "app") if (r / f"{path}.py").exists()), None)
        return file is not None and attribute in modules[file.stem] | {
            member for cls in ast.walk(ast.parse(file.read_text())) if isinstance(cls, ast.ClassDef)
            for member in classes.get(cls.name, ())
        }  # fmt: skip
    if "/" in name or name.endswith(SOURCE_SUFFIXES):
        return _file_exists(name)
    first, _, rest = name.partition(".")
    if first in EXTERNAL or _QT_CLASS.fullmatch(first):
        return None
    if first == "app":
        path = REPO / name.replace(".", "/")
        return path.with_suffix(".py").exists() or (path / "__init__.py").exists() or _app_attribute(name)
    if rest and re.fullmatch(r"\w+", rest):
        if first[0].isupper():
            return rest in classes.get(first, set())
        if first in modules:
            return rest in modules[first] or any(rest in classes.get(n, ()) for n in modules[first])
        return None
    if re.fullmatch(r"[A-Z][a-z0-9]+[A-Z]\w*|[A-Z][a-z]+", name):  # CamelCase: a class (or type) of ours
        return name in classes or any(name in names for names in modules.values())
    return None


def _app_attribute(name: str) -> bool:
    module, _, attribute = name.rpartition(".")
    path = REPO / module.replace(".", "/")
    file = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return file.exists() and attribute in _definitions()[1].get(file.stem if file.stem != "__init__" else "", set()) | {
        n for node in ast.parse(file.read_text()).body for n in _defined_names(node)
    }  # fmt: skip


@pytest.mark.parametrize("name", _named())
def test_every_file_module_class_and_command_the_architecture_names_exists(name):
    assert _exists(name) is not False, f"docs/ARCHITECTURE.md names `{name}`, which is not in the tree"


def test_the_check_catches_names_that_do_not_exist():
    """What #13 found untrue, and names of each kind that were never there, are caught."""
    for missing in (
        "MainWindow.open_at",
        "earful models download",
        "earful transcribe --fast",
        "app/ui/quote_filer.py",
        "services/packs.build_the_pack",
        "QuoteFiler",
    ):
        assert _exists(missing) is False, missing
