"""The window writes through services, never straight through the library (#13): a service holds the
rules that go with a write (validation, one transaction with what changes along, the undo record), and a
write from a widget skips them. Reading through the library's repositories is fine.

Imports of the library's write machinery are forbidden by an import contract (pyproject.toml); writes
through an opened `Library`'s repositories are calls, not imports, so this test finds them in the source.
"""

from __future__ import annotations

import ast

from tests.conftest import REPO

WRITE_VERBS = (
    "add", "commit", "create", "delete", "ensure", "finish", "forget", "move", "remove", "replace", "requeue",
    "restore", "retry", "save", "set", "store", "update", "use", "write",
)  # fmt: skip

# The one write the window makes through a repository: the details panel saving a field. No rule goes with
# it beyond the repository's own validation (`library/interviews._validated`, shared with `earful set`), so
# a service would only pass it on. Any other write fails this test: put it behind a service.
KNOWN_UI_WRITES = {
    "interviews.update",  # workspace: the details panel's save
}


def _is_write(method: str) -> bool:
    return method.split("_")[0] in WRITE_VERBS


def _library_writes(tree: ast.AST) -> set[str]:
    """`repository.method` of each call `<…>library.<repository>.<write verb…>(…)`, and `db` for any use
    of the library's raw database handle."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "db":
            found.add("db")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            repository = node.func.value
            if isinstance(repository, ast.Attribute) and _is_write(node.func.attr):
                owner = repository.value
                name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
                if name.endswith("library"):
                    found.add(f"{repository.attr}.{node.func.attr}")
    return found


def test_repository_methods_that_write_are_named_by_a_write_verb():
    """What the scan below relies on: in app/library, a public method that runs INSERT, UPDATE or DELETE
    or opens a transaction is named by one of WRITE_VERBS."""
    misnamed = []
    for path in sorted((REPO / "app" / "library").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for cls in (node for node in ast.parse(text).body if isinstance(node, ast.ClassDef)):
            for method in (node for node in cls.body if isinstance(node, ast.FunctionDef)):
                source = ast.get_source_segment(text, method) or ""
                writes = any(word in source for word in ("INSERT ", "UPDATE ", "DELETE ", "writing("))
                if writes and not method.name.startswith("_") and not _is_write(method.name):
                    misnamed.append(f"{path.name}: {cls.name}.{method.name}")
    assert misnamed == []


def test_the_window_writes_to_the_library_only_where_known():
    found = set()
    for path in sorted((REPO / "app" / "ui").rglob("*.py")):
        found |= _library_writes(ast.parse(path.read_text(encoding="utf-8")))
    assert found - KNOWN_UI_WRITES == set(), "write through a service (app/services), not the library"
    assert KNOWN_UI_WRITES - found == set(), "no longer written from app/ui: remove it from KNOWN_UI_WRITES"
