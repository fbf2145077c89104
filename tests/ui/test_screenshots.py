"""The windows a user sees, rendered offscreen: no empty panes, and pictures to look at.

Set EARFUL_SCREENSHOTS=DIR to keep the PNGs (light and dark): the demo library with an interview open,
a transcription in progress with the queue showing, and the settings dialog.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from app.domain.transcript import SpeakerRole
from app.library import Library
from app.resources import resource_path
from app.services.editing import TranscriptEditor
from app.services.importing import TWO_PARTY_ROLES, import_recording
from app.ui.main_window import MainWindow
from app.ui.player import Player
from app.ui.settings_dialog import SettingsDialog
from app.ui.transcription_queue import TranscriptionQueue
from tests.ui.helpers import transcribe_into_library

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


@pytest.fixture(params=["light", "dark"])
def palette(request, qapp):
    original = qapp.palette()
    if request.param == "dark":
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
        qapp.setPalette(dark)
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
    queue = TranscriptionQueue(library.root)
    main = MainWindow(library, app_settings, queue, TranscriptEditor(library), Player())
    qtbot.addWidget(main)
    main.resize(1440, 880)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.close()
    library.close()


def test_main_window_with_an_interview_open(qtbot, window, palette):
    demo = next(
        s.interview for s in window.library.interviews.summaries() if s.interview.title.startswith("Demo")
    )
    window.open_interview(demo.id)
    window.player.seek(18_500)
    qtbot.waitUntil(lambda: window.transcript.highlighted_word is not None)
    QApplication.processEvents()
    image = window.grab().toImage()
    save(image, "main-window", palette)
    for pane in (window.interviews, window.transcript, window.player_bar, window.inspector):
        assert distinct_colours(pane.grab().toImage()) > 8, pane
    assert "Dana (customer)" in window.transcript.toPlainText()


def test_main_window_while_transcribing_with_the_queue(qtbot, window, palette):
    pending = next(
        s.interview for s in window.library.interviews.summaries() if s.interview.title.startswith("Coastal")
    )
    window.open_interview(pending.id)
    with qtbot.waitSignal(window.queue.segment_committed, timeout=300_000):
        window.queue.enqueue([pending.id], redo=True)
    window._refresh_transcript()
    QApplication.processEvents()
    save(window.grab().toImage(), "transcribing", palette)
    assert distinct_colours(window.queue_panel.grab().toImage()) > 8
    with qtbot.waitSignal(window.queue.job_finished, timeout=300_000):
        window.queue.cancel(pending.id)


def test_settings_dialog(qtbot, window, palette):
    dialog = SettingsDialog(window.library, window.settings, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save(dialog.grab().toImage(), "settings", palette)
    assert dialog.chosen_options()["model"] == "tiny.en"
