"""Screenshots of the demo interview with tagged quotes, light and dark, at 1366×768, to look at.

The demo call is transcribed once by the real model into `<out>/library` (kept for the next run; pass
--fresh to redo it), filed under the first built-in guide with notes and tags, then the window is grabbed
offscreen: the interview with the word being played inside a quote, the quote bar open on a quote, and the
"Edit text" dialog. Run at 200 % scaling with --scale 2 (Qt reads QT_SCALE_FACTOR before it starts, so the
script sets it first).

Run:  python bench/screenshots_transcript.py [--out /work/shots/transcript] [--scale 1|2] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

# (first words of the customer's phrase, words in the quote, question number, the guide's tag number, note)
QUOTES = [
    ("the night shift", 4, 2, 0, "The trigger: night-shift complaints"),
    ("i wanted people", 7, 3, None, None),
    ("asked a few", 4, 4, 1, "Peers mattered more than the website.\nAsk about this in every call."),
    ("mobile access", 6, 5, 2, None),
]
DARK = {
    "Window": "#202124",
    "WindowText": "#e8eaed",
    "Base": "#17181a",
    "AlternateBase": "#25272a",
    "Text": "#e8eaed",
    "Button": "#2b2d31",
    "ButtonText": "#e8eaed",
    "Highlight": "#3d7bd9",
    "HighlightedText": "#ffffff",
    "PlaceholderText": "#9aa0a6",
}
SIZE = (1366, 768)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/work/shots/transcript"))
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--fresh", action="store_true", help="transcribe the demo again")
    args = parser.parse_args()
    os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.out.mkdir(parents=True, exist_ok=True)
    root = args.out / "library"
    if args.fresh and root.exists():
        shutil.rmtree(root)
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if not (root / "library.db").exists():
        build_library(root)
    for theme in ("light", "dark"):
        shoot(app, root, args.out, theme, args.scale)


def build_library(root: Path) -> None:
    """The demo call transcribed by the real worker, its customer named, the first built-in guide chosen."""
    from app.domain.transcript import SpeakerRole
    from app.guides import builtin_guides
    from app.library import Library
    from app.resources import resource_path
    from app.services.editing import TranscriptEditor
    from app.services.importing import TWO_PARTY_ROLES, import_recording
    from app.services.tagging import Tagger
    from app.services.transcribing import Transcriber
    from app.transcription.options import TranscriptionOptions
    from app.transcription.runner import TranscriptionWorker

    library = Library.open(root)
    interview = import_recording(library, resource_path("demo/interview.flac"), channel_roles=TWO_PARTY_ROLES)
    interview_id = interview.interview.id
    with TranscriptionWorker() as worker, tempfile.TemporaryDirectory() as models:
        transcriber = Transcriber(library, worker, Path(models))
        for job in transcriber.queue([interview_id], TranscriptionOptions()).queued:
            transcriber.run(job)
    library.interviews.update(interview_id, title="Demo: Northwind Freight – operations lead")
    customer = next(s for s in library.transcripts.speakers(interview_id) if s.role is SpeakerRole.CUSTOMER)
    TranscriptEditor(library).rename_speaker(customer.id, "Dana Whitfield")
    tagger = Tagger(library)
    guide = builtin_guides()[0]
    tagger.use_guide(interview_id, guide)
    segments = library.transcripts.segments(interview_id)
    for phrase, count, number, tag, note in QUOTES:
        words = find_phrase(segments, phrase, count)
        tags = (guide.tags[tag].name,) if tag is not None else ()
        tagger.quote_words(
            interview_id, words, question_key=guide.questions[number - 1].key, tags=tags, note=note
        )
    asked = next(s for s in segments if "look first" in s.text)
    library.markers.add(interview_id, asked.start_ms, "question", question=guide.questions[3].key)
    library.close()


def find_phrase(segments, phrase: str, count: int) -> list[tuple[int, int]]:
    wanted = phrase.split()
    for segment in segments:
        spoken = [word.text.strip(" .,?!").lower() for word in segment.words]
        for start in range(len(spoken)):
            if spoken[start : start + len(wanted)] == wanted:
                return [(segment.id, index) for index in range(start, min(start + count, len(spoken)))]
    raise SystemExit(f"{phrase!r} is not in the demo transcript (the model heard it otherwise)")


def shoot(app, root: Path, out: Path, theme: str, scale: float) -> None:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtGui import QColor, QPalette, QTextCursor
    from PySide6.QtWidgets import QApplication

    from app.library import Library
    from app.services.editing import TranscriptEditor
    from app.ui.line_edit_dialog import LineEditDialog
    from app.ui.main_window import MainWindow
    from app.ui.player import Player
    from app.ui.settings import AppSettings
    from app.ui.transcription_queue import TranscriptionQueue

    palette = QPalette()
    if theme == "dark":
        for role, colour in DARK.items():
            palette.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
    else:
        palette = app.style().standardPalette()
    app.setPalette(palette)
    suffix = f"{theme}@{scale:g}x"
    with tempfile.TemporaryDirectory() as settings_dir:
        settings = AppSettings(QSettings(str(Path(settings_dir) / "earful.ini"), QSettings.Format.IniFormat))
        library = Library.open(root)
        frame = MainWindow(settings)
        workspace = frame.attach(
            library, TranscriptionQueue(library.root), TranscriptEditor(library), Player()
        )
        frame.resize(*SIZE)
        frame.show()
        settle()
        interview_id = library.interviews.summaries()[0].interview.id
        workspace.open_interview(interview_id)
        settle()
        quotes = sorted(library.quotes.for_interview(interview_id), key=lambda q: q.start_ms)
        view = workspace.transcript
        playing = quotes[0]
        view.highlight_time((playing.start_ms * 2 + playing.end_ms) // 3)
        settle()
        frame.grab().save(str(out / f"interview-{suffix}.png"))
        view.grab().save(str(out / f"transcript-{suffix}.png"))

        # The caret in a quote opens it in the quote bar, note and all.
        noted = next(q for q in quotes if q.note and "\n" in q.note)
        start = view.chips[[c.quote_id for c in view.chips].index(noted.id)].first
        cursor = QTextCursor(view.document())
        cursor.setPosition(start + 1)
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
        settle()
        frame.grab().save(str(out / f"quote-bar-{suffix}.png"))

        def grab_dialog() -> None:
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, LineEditDialog):
                QTimer.singleShot(50, grab_dialog)
                return
            dialog.grab().save(str(out / f"edit-dialog-{suffix}.png"))
            dialog.reject()

        QTimer.singleShot(0, grab_dialog)
        longest = max(library.transcripts.segments(interview_id), key=lambda s: len(s.text))
        view.edit_requested.emit(longest.id)
        frame.close()
        library.close()
    print(f"{theme}: {', '.join(sorted(p.name for p in out.glob(f'*-{suffix}.png')))}")


def settle() -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(300, loop.quit)
    loop.exec()


if __name__ == "__main__":
    main()
