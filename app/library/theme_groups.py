"""Theme groups as the user left them in the Themes view, per guide and basis (a question or a theme tag)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.domain.themes import KeptGroup
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


def basis(question: str | None, tag: str | None) -> str:
    """What a grouping is of, as stored: `tag:<name>` for a theme tag's quotes, else `question:<key>`."""
    return f"tag:{tag}" if tag else f"question:{question}"


class ThemeGroupRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def kept(self, guide_slug: str, of: str) -> list[KeptGroup]:
        """The groups kept for `of` (see `basis`), in the user's order, holding only quotes that still exist;
        empty when the user never edited that grouping."""
        groups = [
            KeptGroup(row["label"], tuple(json.loads(row["quote_ids"])))
            for row in self._db.query(
                "SELECT label, quote_ids FROM theme_groups WHERE guide_slug = ? AND basis = ? ORDER BY position",
                [guide_slug, of],
            )
        ]
        wanted = sorted({q for group in groups for q in group.quote_ids})
        existing = {
            row[0]
            for row in self._db.execute(
                "SELECT id FROM quotes WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(wanted)]
            )
        }
        return [
            KeptGroup(group.label, tuple(q for q in group.quote_ids if q in existing))
            for group in groups
            if any(q in existing for q in group.quote_ids)
        ]

    def store(self, guide_slug: str, of: str, groups: Sequence[KeptGroup]) -> None:
        """Replace the groups kept for `of` with `groups`, in one transaction."""
        with writing(self._db):
            self._db.execute("DELETE FROM theme_groups WHERE guide_slug = ? AND basis = ?", [guide_slug, of])
            self._db.conn.executemany(
                "INSERT INTO theme_groups (guide_slug, basis, position, label, quote_ids) VALUES (?, ?, ?, ?, ?)",
                [
                    (guide_slug, of, position, group.label, json.dumps(list(group.quote_ids)))
                    for position, group in enumerate(groups)
                ],
            )

    def of_guide(self, guide_slug: str) -> dict[str, list[KeptGroup]]:
        """Every grouping of the guide the user kept, by basis (see `basis`): what a pack shows."""
        bases = self._db.execute(
            "SELECT DISTINCT basis FROM theme_groups WHERE guide_slug = ? ORDER BY basis", [guide_slug]
        )
        return {row[0]: self.kept(guide_slug, row[0]) for row in bases.fetchall()}
