"""Guides as the library keeps them: the exact document used, one row per version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.library.clock import now_iso
from app.library.errors import LibraryError
from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class StoredGuide:
    id: int
    slug: str
    version: int
    name: str
    document: str


class GuideRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def store(self, slug: str, version: int, name: str, document: str) -> StoredGuide:
        """The stored copy of this guide version, added the first time it is used.

        A different document under a version already stored is refused: that version's quotes were tagged
        against the stored wording, so a changed guide must carry a new version number.
        """
        existing = self.version(slug, version)
        if existing is not None:
            if existing.document != document:
                raise LibraryError(
                    f"The library already holds version {version} of guide {slug!r} with different content; "
                    "give the changed guide a new version number."
                )
            return existing
        with writing(self._db):
            cursor = self._db.execute(
                "INSERT INTO guides (slug, version, name, document, created_at) VALUES (?, ?, ?, ?, ?)",
                [slug, version, name, document, now_iso()],
            )
        return self.get(cursor.lastrowid)

    def add_edition(
        self, slug: str, name: str, version: int, render: Callable[[int], str]
    ) -> tuple[StoredGuide, bool]:
        """Keep a guide someone edited or imported, never touching a version already stored.

        `render(v)` is the guide's document when numbered `v` (the version is written inside it). The
        guide is stored as `version` if the library has no guide `slug` yet, otherwise as the version after
        the latest, unless it reads exactly as the latest: then that one is returned. The flag says whether
        a version was added.
        """
        latest = self.latest(slug)
        if latest is not None and latest.document == render(latest.version):
            return latest, False
        number = version if latest is None else max(version, latest.version + 1)
        return self.store(slug, number, name, render(number)), True

    def remove_unused(self, guide_id: int) -> bool:
        """Remove a version no one has come to rely on: the latest of its guide, followed by no interview,
        no quote filed against it. Undoing the step that added it a moment ago uses this; a version in use
        stays (the rule above holds: a stored version is never changed). Returns whether it went."""
        with writing(self._db):
            cursor = self._db.execute(
                "DELETE FROM guides WHERE id = ? "
                "AND NOT EXISTS (SELECT 1 FROM interview_guides WHERE guide_id = ?) "
                "AND NOT EXISTS (SELECT 1 FROM quotes WHERE guide_id = ?) "
                "AND version = (SELECT MAX(version) FROM guides AS g WHERE g.slug = guides.slug)",
                [guide_id, guide_id, guide_id],
            )
        return cursor.rowcount == 1

    def get(self, guide_id: int) -> StoredGuide:
        row = next(self._db.query("SELECT * FROM guides WHERE id = ?", [guide_id]), None)
        if row is None:
            raise LibraryError(f"There is no guide {guide_id} in this library.")
        return _guide(row)

    def version(self, slug: str, version: int) -> StoredGuide | None:
        row = next(
            self._db.query("SELECT * FROM guides WHERE slug = ? AND version = ?", [slug, version]), None
        )
        return _guide(row) if row else None

    def latest(self, slug: str) -> StoredGuide | None:
        row = next(
            self._db.query("SELECT * FROM guides WHERE slug = ? ORDER BY version DESC LIMIT 1", [slug]), None
        )
        return _guide(row) if row else None

    def all(self) -> list[StoredGuide]:
        return [_guide(row) for row in self._db.query("SELECT * FROM guides ORDER BY slug, version")]

    def use(self, interview_id: int, guide_id: int) -> None:
        with writing(self._db):
            self._db.execute(
                "INSERT INTO interview_guides (interview_id, guide_id) VALUES (?, ?) "
                "ON CONFLICT (interview_id) DO UPDATE SET guide_id = excluded.guide_id",
                [interview_id, guide_id],
            )

    def of_interview(self, interview_id: int) -> StoredGuide | None:
        row = next(
            self._db.query(
                "SELECT g.* FROM guides g JOIN interview_guides ig ON ig.guide_id = g.id WHERE ig.interview_id = ?",
                [interview_id],
            ),
            None,
        )
        return _guide(row) if row else None

    def interviews_using(self, slug: str) -> dict[int, int]:
        """{interview id: guide id} for every interview tagged with any version of the guide."""
        return dict(
            self._db.execute(
                "SELECT ig.interview_id, ig.guide_id FROM interview_guides ig JOIN guides g ON g.id = ig.guide_id "
                "WHERE g.slug = ?",
                [slug],
            ).fetchall()
        )


def _guide(row: dict) -> StoredGuide:
    return StoredGuide(row["id"], row["slug"], row["version"], row["name"], row["document"])
