"""Application preferences, each declared once with its type and default (Picard's habit).

Per-library choices (model, language, vocabulary) live in the library itself, so they travel with it;
window geometry is UI state, kept apart from preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    kind: type


LIBRARY_PATH = Setting[str]("library/path", "", str)
AUTO_TRANSCRIBE = Setting[bool]("transcription/auto", True, bool)
WELCOME_SHOWN = Setting[bool]("ui/welcome_shown", False, bool)
PLAYBACK_SPEED = Setting[float]("playback/speed", 1.0, float)
# Where the user was, so a restart opens it again: the interview and the moment, in the library they were in.
SESSION_LIBRARY = Setting[str]("session/library", "", str)
SESSION_INTERVIEW = Setting[int]("session/interview", 0, int)
SESSION_POSITION_MS = Setting[int]("session/position_ms", 0, int)


class AppSettings:
    """Typed access to QSettings. Tests pass a QSettings on a temporary file."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings("Earful", "Earful")

    def get(self, setting: Setting[T]) -> T:
        value = self._store.value(setting.key, setting.default)
        if setting.kind is bool and isinstance(value, str):  # INI files give strings back
            return value.lower() in ("true", "1", "yes")  # type: ignore[return-value]
        return setting.kind(value)

    def set(self, setting: Setting[T], value: T) -> None:
        self._store.setValue(setting.key, value)

    def library_path(self) -> Path | None:
        text = self.get(LIBRARY_PATH)
        return Path(text) if text else None

    # UI state ----------------------------------------------------------------------------------------

    def restore_state(self, name: str) -> QByteArray | None:
        value = self._store.value(f"state/{name}")
        return value if isinstance(value, QByteArray) else None

    def save_state(self, name: str, state: QByteArray) -> None:
        self._store.setValue(f"state/{name}", state)
