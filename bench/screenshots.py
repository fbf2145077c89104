"""Screenshots of the main window to look at: the empty library, the Interview view (the demo, transcribed by
the real model, with tagged quotes), the Board (six interviews) and the search popup, in light and dark, at
1366×768 (a small laptop) and 1920×1080.

    PYTHONPATH=. EARFUL_SHARED=../shared python bench/screenshots.py [OUT]    (default /work/shots/window)

The demo is transcribed once into OUT/library and reused on later runs. Offscreen; nothing is asserted.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint, QSettings, QThread
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication

from app.domain.transcript import SpeakerRole
from app.domain.wording import readable_name
from app.guides import builtin_guides
from app.library import Library
from app.resources import resource_path
from app.services.importing import TWO_PARTY_ROLES
from app.services.tagging import Tagger
from app.ui.settings import AppSettings
from tests.ui.helpers import long_interview, main_window, transcribe_into_library
from tests.ui.test_screenshots import dark_palette

SIZES = {"1366x768": (1366, 768), "1920x1080": (1920, 1080)}
OTHERS = [  # five more customers, each saying something a marketer would file
    (
        "Acme Logistics – ops lead",
        (
            "What made you start looking?",
            "Our drivers kept calling the office because nobody knew which dock was free",
            "Where did you look first?",
            "A colleague at a trade fair showed me the app on her phone",
        ),
    ),
    (
        "Harbor Foods – plant manager",
        (
            "What made you start looking?",
            "An audit found we could not say who had changed the cleaning schedule",
            "Where did you look first?",
            "We asked our food safety consultant which tools her other clients used",
        ),
    ),
    (
        "Bright Dental – office manager",
        (
            "What made you start looking?",
            "Patients waited on hold for twenty minutes every Monday morning",
            "Where did you look first?",
            "Honestly I searched online for booking software for small clinics",
        ),
    ),
    (
        "Nordic Parcel – COO",
        (
            "What made you start looking?",
            "We doubled the fleet in a year and the spreadsheets stopped scaling",
            "Where did you look first?",
            "Our investors introduced us to two vendors they trusted",
        ),
    ),
    (
        "Coastal Freight – dispatcher",
        (
            "What made you start looking?",
            "Night dispatch was one person with three phones and a whiteboard",
            "Where did you look first?",
            "I read reviews from other dispatchers on a forum",
        ),
    ),
]


def build_library(folder: Path) -> Path:
    """The demo transcribed by the real model plus five stored interviews, all on the first guide, each
    with quotes filed under its first questions."""
    root = folder / "library"
    if (root / "library.db").exists():
        return root
    scratch = Path(tempfile.mkdtemp())
    library, ids = transcribe_into_library(
        scratch, {"demo": (resource_path("demo/interview.flac"), TWO_PARTY_ROLES)}
    )
    library.interviews.update(
        ids["demo"], title="Demo: Northwind Freight – operations lead", company="Northwind Freight"
    )
    others = [long_interview(library, title, sayings, turns=8) for title, sayings in OTHERS]
    tagger, guide = Tagger(library), builtin_guides()[0]
    # A tag named in one word ("DecisionReason") beside a plain one: the shots show how tags read.
    spaced = next(tag.name for tag in guide.tags if readable_name(tag.name) != tag.name)
    for interview_id in [ids["demo"], *others]:
        tagger.use_guide(interview_id, guide)
        customer = [
            segment
            for segment in library.transcripts.segments(interview_id)
            if library.transcripts.speaker(segment.speaker_id).role is SpeakerRole.CUSTOMER
        ]
        for question, segment in zip(guide.questions[:3], customer, strict=False):
            words = [(segment.id, index) for index in range(min(8, len(segment.words)))]
            tagger.quote_words(interview_id, words, question_key=question.key, tags=(spaced, guide.tags[0].name))
    library.close()
    shutil.copytree(scratch / "library", root)
    return root


def shoot(window, folder: Path, name: str, *popups) -> None:
    """The window as a person sees it: popups (their own top-level windows) painted over it where they are."""
    for _ in range(3):
        QApplication.processEvents()
    image = window.grab()
    painter = QPainter(image)
    for popup in popups:
        painter.drawPixmap(window.mapFromGlobal(popup.mapToGlobal(QPoint(0, 0))), popup.grab())
    painter.end()
    path = folder / f"{name}.png"
    image.save(str(path))
    print(path)


def wait_for(ready, seconds: float = 5.0) -> None:
    """Let the thread pool's answers arrive (a board build, a search): up to `seconds`."""
    for _ in range(round(seconds * 50)):
        QApplication.processEvents()
        if ready():
            return
        QThread.msleep(20)


def shoot_empty(settings: AppSettings, size: tuple[int, int], out: Path, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as empty_dir, Library.open(Path(empty_dir)) as empty:
        workspace = main_window(empty, settings)
        workspace.window.resize(*size)
        workspace.window.show()
        shoot(workspace.window, out, f"empty-library-{suffix}")
        workspace.window.close()


def shoot_views(root: Path, settings: AppSettings, size: tuple[int, int], out: Path, suffix: str) -> None:
    """The demo open in the Interview view at its first quote, search over it, the queue, then the Board."""
    with Library.open(root) as library:
        workspace = main_window(library, settings)
        workspace.window.resize(*size)
        workspace.window.show()
        demo = next(s.interview.id for s in library.interviews.summaries() if "Demo" in s.interview.title)
        workspace.open_interview(demo)
        moment = library.quotes.for_interview(demo)[0].start_ms + 200
        workspace.player.seek(moment)
        workspace.transcript.highlight_time(moment)
        shoot(workspace.window, out, f"interview-{suffix}")
        workspace.actions.search.trigger()
        workspace.search.query.setText("looking")
        workspace.search.search_now()
        wait_for(lambda: workspace.search.model.rowCount() > 0)
        shoot(workspace.window, out, f"search-{suffix}", workspace.search_popup)
        workspace.search_popup.close()
        workspace.queue_button.open_queue()
        shoot(workspace.window, out, f"queue-{suffix}", workspace.queue_button.popover)
        workspace.queue_button.popover.close()
        workspace.views.show_view("Board")
        workspace.board.refresh()
        wait_for(lambda: workspace.board.model.rowCount() > 0)
        shoot(workspace.window, out, f"board-{suffix}")
        workspace.window.close()


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    light = app.palette()
    out.mkdir(parents=True, exist_ok=True)
    root = build_library(out)
    for theme, palette in (("light", light), ("dark", dark_palette())):
        app.setPalette(palette)
        for size_name, size in SIZES.items():
            suffix = f"{size_name}-{theme}"
            settings = AppSettings(QSettings(str(out / f"{suffix}.ini"), QSettings.Format.IniFormat))
            shoot_empty(settings, size, out, suffix)
            shoot_views(root, settings, size, out, suffix)
    app.setPalette(light)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shots/window"))
