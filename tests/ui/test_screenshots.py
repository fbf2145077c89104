"""The windows a user sees, rendered offscreen: no empty panes, and pictures to look at.

Set EARFUL_SCREENSHOTS=DIR to keep the PNGs (light and dark): the demo library with an interview open,
a transcript tagged through the keyboard (real speech, so the quotes' times are the model's), a
transcription in progress with the queue showing, and the settings dialog.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette, QTextCursor
from PySide6.QtWidgets import QApplication

from app.domain.transcript import SpeakerRole
from app.guides import builtin_guides
from app.library import Library
from app.resources import resource_path
from app.services.editing import TranscriptEditor
from app.services.importing import TWO_PARTY_ROLES, import_recording
from app.ui.settings_dialog import SettingsDialog
from app.ui.workspace import Workspace
from tests.ui.helpers import main_window, transcribe_into_library

CUSTOMERS = [
    (
        "Acme Logistics – ops lead",
        "Priya",
        "Acme Logistics",
        "Operations lead",
        "Mid-market logistics",
        "won",
    ),
    ("Harbor Foods – plant manager", "Luis", "Harbor Foods", "Plant manager", "Manufacturing", "lost"),
    ("Bright Dental – office manager", "Kim", "Bright Dental", "Office manager", "Small clinics", "churned"),
    ("Nordic Parcel – COO", "Anna", "Nordic Parcel", "COO", "Mid-market logistics", "won"),
]


def dark_palette() -> QPalette:
    """A dark desktop theme, as Fusion gets it from a dark system setting."""
    dark = QPalette()
    for role, colour in {
        QPalette.ColorRole.Window: "#202124",
        QPalette.ColorRole.WindowText: "#e8eaed",
        QPalette.ColorRole.Base: "#17181a",
        QPalette.ColorRole.AlternateBase: "#25272a",
        QPalette.ColorRole.Text: "#e8eaed",
        QPalette.ColorRole.Button: "#2b2d31",
        QPalette.ColorRole.ButtonText: "#e8eaed",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    }.items():
        dark.setColor(role, QColor(colour))
    return dark


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    original = qapp.palette()
    if request.param == "dark":
        qapp.setPalette(dark_palette())
    qapp.setStyle("Fusion")
    yield request.param
    qapp.setPalette(original)


@pytest.fixture(scope="module")
def demo_root(tmp_path_factory: pytest.TempPathFactory, speech: Path) -> Path:
    root = tmp_path_factory.mktemp("screens")
    library, _ids = transcribe_into_library(
        root, {"demo": (resource_path("demo/interview.flac"), TWO_PARTY_ROLES)}
    )
    demo = library.interviews.summaries()[0].interview
    library.interviews.update(
        demo.id,
        title="Demo: Northwind Freight – operations lead",
        company="Northwind Freight",
        role="Operations lead",
        segment="Mid-market logistics",
        outcome="won",
        interview_date="2026-11-02",
    )
    customer = next(s for s in library.transcripts.speakers(demo.id) if s.role is SpeakerRole.CUSTOMER)
    TranscriptEditor(library).rename_speaker(customer.id, "Dana (customer)")
    for title, name, company, role, segment, outcome in CUSTOMERS:
        library.interviews.create(
            title,
            customer_name=name,
            company=company,
            role=role,
            segment=segment,
            outcome=outcome,
            interview_date="2026-10-2" + str(len(title) % 9),
        )
    import_recording(
        library, speech / "librispeech_2412-153948-0000.flac", title="Coastal Freight – dispatcher"
    )
    library.close()
    return root / "library"


def save(widget_image: QImage, name: str, palette: str) -> None:
    folder = os.environ.get("EARFUL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget_image.save(str(Path(folder) / f"{name}-{palette}.png"))


def distinct_colours(image: QImage, step: int = 7) -> int:
    """How many different colours a grab holds: a blank pane has one or two."""
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    )


@pytest.fixture
def window(qtbot, demo_root, app_settings, palette):
    library = Library.open(demo_root)
    main = main_window(library, app_settings)
    qtbot.addWidget(main.window)
    main.window.resize(1440, 880)
    main.window.show()
    qtbot.waitExposed(main.window)
    yield main
    main.window.close()
    library.close()


def test_main_window_with_an_interview_open(qtbot, window, palette):
    demo = next(
        s.interview for s in window.library.interviews.summaries() if s.interview.title.startswith("Demo")
    )
    window.open_interview(demo.id)
    window.player.seek(18_500)
    qtbot.waitUntil(lambda: window.transcript.highlighted_word is not None)
    QApplication.processEvents()
    image = window.window.grab().toImage()
    save(image, "main-window", palette)
    for pane in (window.interviews, window.transcript, window.player_bar, window.inspector):
        assert distinct_colours(pane.grab().toImage()) > 8, pane
    assert "Dana (customer)" in window.transcript.toPlainText()


# (first words of a customer's answer, how many words, the roadmap question's number key)
TAGGED = [
    ("the night shift", 4, 2),
    ("i wanted people", 7, 3),
    ("asked a few", 4, 4),
    ("mobile access", 6, 5),
]


def select_phrase(window: Workspace, first_words: str, count: int) -> list[tuple[int, int, object]]:
    """Select `count` words starting where `first_words` are said; returns (segment id, index, word)."""
    wanted = first_words.split()
    for segment in window.library.transcripts.segments(window.current_interview):
        spoken = [word.text.strip(" .,?!").lower() for word in segment.words]
        for start in range(len(spoken)):
            if spoken[start : start + len(wanted)] == wanted:
                first, _ = window.transcript.word_range(segment.id, start)
                _, end = window.transcript.word_range(segment.id, start + count - 1)
                cursor = QTextCursor(window.transcript.document())
                cursor.setPosition(first)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                window.transcript.setTextCursor(cursor)
                return [(segment.id, i, segment.words[i]) for i in range(start, start + count)]
    raise AssertionError(f"{first_words!r} is not in the demo transcript")


def test_a_transcript_tagged_from_the_keyboard(qtbot, window, palette):
    demo = next(
        s.interview for s in window.library.interviews.summaries() if s.interview.title.startswith("Demo")
    )
    for quote in window.library.quotes.for_interview(demo.id):
        window.library.quotes.delete(quote.id)
    window.tagger.use_guide(demo.id, builtin_guides()[0])
    for marker in window.library.markers.of_interview(demo.id):
        window.library.markers.delete(marker.id)
    window.open_interview(demo.id)
    asked = next(s for s in window.library.transcripts.segments(demo.id) if "look first" in s.text)
    window.transcript.section_requested.emit(asked.start_ms, "first_steps")  # "Question asked here" menu
    assert "4 · Once you decided to look" in window.transcript.toPlainText()
    window.transcript.setFocus()
    for phrase, count, number in TAGGED:
        words = select_phrase(window, phrase, count)
        qtbot.keyClick(window.transcript, getattr(Qt.Key, f"Key_{number}"))
        qtbot.keyClick(window.transcript, Qt.Key.Key_Return)
        quote = max(window.library.quotes.for_interview(demo.id), key=lambda q: q.id)
        assert (quote.start_ms, quote.end_ms) == (words[0][2].start_ms, words[-1][2].end_ms)
        assert quote.text == " ".join(word.text.strip() for _, _, word in words)
        assert window.library.transcripts.speaker(quote.speaker_id).role is SpeakerRole.CUSTOMER
        assert quote.question_key == builtin_guides()[0].questions[number - 1].key
    select_phrase(window, "payroll i was", 8)
    window.quote_bar.choose_question(6)
    QApplication.processEvents()
    save(window.window.grab().toImage(), "tagged-transcript", palette)
    assert len(window.transcript.extraSelections()) >= len(TAGGED)
    assert distinct_colours(window.guide_panel.grab().toImage()) > 8


def test_main_window_while_transcribing_with_the_queue(qtbot, window, palette):
    pending = next(
        s.interview for s in window.library.interviews.summaries() if s.interview.title.startswith("Coastal")
    )
    window.open_interview(pending.id)
    with qtbot.waitSignal(window.queue.segment_committed, timeout=300_000):
        window.queue.enqueue([pending.id], redo=True)
    window._refresh_transcript()
    QApplication.processEvents()
    save(window.window.grab().toImage(), "transcribing", palette)
    assert distinct_colours(window.queue_panel.grab().toImage()) > 8
    with qtbot.waitSignal(window.queue.job_finished, timeout=300_000):
        window.queue.cancel(pending.id)


def test_settings_dialog(qtbot, window, palette):
    dialog = SettingsDialog(window.library, window.settings, window.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save(dialog.grab().toImage(), "settings", palette)
    assert dialog.chosen_options()["model"] == "tiny.en"
