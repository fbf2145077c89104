"""Helpers shared by the UI tests: real transcripts made once, and where a user would click a word."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

from app.domain.interview import JobState
from app.domain.transcript import Segment, SpeakerRole, TranscribedSegment, Word
from app.library import Library
from app.services.editing import TranscriptEditor
from app.services.importing import import_recording
from app.services.transcribing import Transcriber
from app.transcription.options import TranscriptionOptions
from app.transcription.runner import TranscriptionWorker
from app.ui.main_window import MainWindow
from app.ui.player import Player
from app.ui.settings import AppSettings
from app.ui.transcript_view import TranscriptView
from app.ui.transcription_queue import TranscriptionQueue
from app.ui.workspace import Workspace
from tests.conftest import REPO

DEMO = "demo/interview.flac"

SAYINGS = (
    "What made you start looking for something new last spring?",
    "The night shift fell apart and the spreadsheet we used for the rota failed us twice in a week",
    "Where did you look first?",
    "I read the pricing pages of three vendors and asked a few peers in a logistics group",
)


def long_interview(
    library: Library,
    title: str = "Northwind Freight – operations lead",
    sayings: tuple[str, ...] = SAYINGS,
    turns: int = 40,
) -> int:
    """An interview whose transcript is longer than any window: `turns` turns taking `sayings` in turn
    (interviewer, customer, …), stored as the transcription worker stores them; no audio behind it."""
    interview = library.interviews.create(title)
    with library.db.atomic():
        library.db.execute(
            "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, "
            "channels, imported_at) VALUES (?, 'x.wav', 'x.wav', ?, 600000, 16000, 2, 'now')",
            [interview.id, f"sha-long-{interview.id}"],
        )
    recording = library.recordings.for_interview(interview.id)
    job = library.jobs.create(interview.id, recording.id, "tiny.en", {}, [0, 1])
    speakers = [
        library.transcripts.ensure_speaker(interview.id, "Interviewer", SpeakerRole.INTERVIEWER, 0),
        library.transcripts.ensure_speaker(interview.id, "Customer", SpeakerRole.CUSTOMER, 1),
    ]
    for turn in range(turns):
        channel, text, start = turn % 2, sayings[turn % len(sayings)], turn * 10_000
        words = tuple(
            Word(start + i * 400, start + i * 400 + 350, w, 0.9) for i, w in enumerate(text.split())
        )
        segment = TranscribedSegment(start, words[-1].end_ms, text, words, channel)
        library.jobs.commit_segment(job, segment, speakers[channel], turn / turns)
    library.jobs.set_state(job.id, JobState.DONE)
    return interview.id


def transcribe_into_library(
    root: Path, sources: dict[str, tuple[Path, tuple | None]]
) -> tuple[Library, dict]:
    """Import each (path, channel roles) and transcribe it through the real worker process, once.

    A source without channel roles is one person speaking (jfk, mfa…), said as a user would say it
    (Number of speakers ▸ 1): else Earful assumes at least two voices and splits the monologue.
    """
    library = Library.open(root / "library")
    ids = {
        name: import_recording(library, path, channel_roles=roles).interview.id
        for name, (path, roles) in sources.items()
    }
    for name, (_path, roles) in sources.items():
        if roles is None:
            library.transcripts.set_speaker_count(ids[name], 1)
    with TranscriptionWorker() as worker:
        transcriber = Transcriber(library, worker, root / "models")
        outcome = transcriber.queue(list(ids.values()), TranscriptionOptions())
        finals = [transcriber.run(job) for job in outcome.queued]
    assert [job.state for job in finals] == [JobState.DONE] * len(ids), [job.error for job in finals]
    return library, ids


def main_window(library: Library, settings: AppSettings) -> Workspace:
    """The main window as the application builds it (the frame, then its contents for the library); tests
    drive its contents, and reach the frame as `.window`."""
    window = MainWindow(settings)
    return window.attach(library, TranscriptionQueue(library.root), TranscriptEditor(library), Player())


def word_point(view: TranscriptView, segment_id: int, word_index: int) -> QPoint:
    """The viewport point over the middle character of a word: where a user would click it."""
    start, end = view.word_range(segment_id, word_index)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start + (end - start) // 2)
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 1, rect.center().y())


def find_word(segments: list[Segment], text: str) -> tuple[int, int]:
    for segment in segments:
        for index, word in enumerate(segment.words):
            if word.text.strip(".,?!").lower() == text:
                return segment.id, index
    raise AssertionError(f"{text!r} is not in the transcript")


def menu_action(window: QMainWindow, menu: str, text: str) -> QAction:
    """The action a user finds under `menu` ▸ `text` in the window's menu bar (mnemonics ignored)."""
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    found = [a for a in menus[menu].actions() if a.text().replace("&", "") == text]
    assert len(found) == 1, f"{menu} ▸ {text}: {len(found)} entries"
    return found[0]


def run_earful_script(code: str, *args: str, prefix: tuple[str, ...] = (), **env: str) -> list[str]:
    """Run `code` in a fresh Python with this checkout's `app` (behind `prefix`, e.g. xvfb-run); its stdout
    lines, once it exited cleanly."""
    result = subprocess.run(
        [*prefix, sys.executable, "-c", code, *args],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


# A turn's first line: the speaker's name (if it has one), an em space, the time.
_TURN_LINE = re.compile(r"^(?:(.*)\u2003)?\d{1,2}(?::\d\d){1,2}$")


def turns(view: TranscriptView) -> list[tuple[str, str]]:
    """(speaker name, words) of each paragraph as a reader sees it: under its turn's name line."""
    name, shown = "", []
    for line in view.toPlainText().splitlines():
        turn = _TURN_LINE.match(line)
        if turn:
            name = turn.group(1) or ""
        else:
            shown.append((name, line))
    return shown


D = TypeVar("D", bound=QDialog)


def answer_modal(kind: type[D], respond: Callable[[D], None]) -> list[D]:
    """Answer the next modal dialog of `kind` from inside its own event loop (as a user would, with keys
    or clicks in `respond`); returns the dialogs met, filled in once it has opened."""
    met: list[D] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, answer)
            return
        met.append(dialog)
        respond(dialog)

    QTimer.singleShot(0, answer)
    return met
