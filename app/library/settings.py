"""Per-library settings (transcription defaults, custom vocabulary), stored as JSON values."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from app.library.transactions import writing

if TYPE_CHECKING:
    from sqlite_utils import Database


class LibrarySettings:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return default if row is None else json.loads(row[0])

    def all(self) -> dict[str, Any]:
        return {key: json.loads(value) for key, value in self._db.execute("SELECT key, value FROM settings")}

    def set(self, key: str, value: Any) -> None:
        with writing(self._db):
            if value is None:
                self._db.execute("DELETE FROM settings WHERE key = ?", [key])
            else:
                self._db.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [key, json.dumps(value)],
                )
