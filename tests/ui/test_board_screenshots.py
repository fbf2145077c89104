"""The board, search and guide editor rendered offscreen over a small tagged library, light and dark.

Set EARFUL_SCREENSHOTS=DIR to keep the PNGs (board-light.png, search-dark.png, guide-editor-light.png…);
each test also checks that no pane is blank.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from app.domain.transcript import SpeakerRole, TranscribedSegment, Word
from app.guides import builtin_guides
from app.library import Library
from app.services.tagging import Tagger
from app.ui.board_view import BoardView
from app.ui.guide_editor import GuideEditor
from app.ui.search_view import SearchView
from tests.ui.test_screenshots import distinct_colours, palette, save  # noqa: F401 - palette is a fixture

INTERVIEWS = [  # title, segment, outcome, date, interviewer, {question key: (answer, tags)}
    (
        "Acme Logistics – ops lead",
        "Mid-market logistics",
        "won",
        "2026-10-02",
        "Sam",
        {
            "trigger": ("The night shift roster fell apart twice in one week", ("Trigger",)),
            "first_steps": ("I searched for shift scheduling and read three pricing pages", ("Search",)),
            "why_us": ("You showed the price up front and the trial took ten minutes", ("DecisionReason",)),
        },
    ),
    (
        "Harbor Foods – plant manager",
        "Manufacturing",
        "lost",
        "2026-10-05",
        "Sam",
        {
            "trigger": ("Overtime costs doubled after we opened the second line", ("Trigger",)),
            "criteria": ("It had to work with our payroll export without a consultant", ("Criteria",)),
        },
    ),
    (
        "Bright Dental – office manager",
        "Small clinics",
        "churned",
        "2026-10-09",
        "Ana",
        {
            "first_steps": ("I asked two other practice managers what they used", ("Search",)),
            "criteria": ("Mostly whether the front desk could learn it in a day", ("Criteria", "Concern")),
        },
    ),
    (
        "Nordic Parcel – COO",
        "Mid-market logistics",
        "won",
        "2026-10-14",
        "Ana",
        {
            "trigger": ("A driver quit over a schedule mistake and that was the last straw", ("Trigger",)),
            "first_steps": ("Our dispatcher had used you at her last job", ("Search", "WordOfMouth")),
            "why_us": ("The mobile app meant drivers saw changes the same hour", ("DecisionReason",)),
        },
    ),
    (
        "Summit Retail – store operations",
        "Retail chains",
        "won",
        "2026-10-20",
        "Sam",
        {
            "trigger": ("Black Friday rosters took our area managers a full week to build", ("Trigger",)),
            "criteria": (
                "Managers had to swap shifts from their phones, not a back-office PC",
                ("Criteria",),
            ),
            "alternatives": (
                "We trialled two others but neither handled part-timers' availability",
                ("Alternative",),
            ),
            "why_us": (
                "Availability rules per employee, and the price per store was predictable",
                ("DecisionReason",),
            ),
        },
    ),
    (
        "Cobalt Care – clinic director",
        "Small clinics",
        "lost",
        "2026-10-23",
        "Ana",
        {
            "first_steps": (
                "A nurse on our team showed me the app her previous clinic used",
                ("Search", "WordOfMouth"),
            ),
            "criteria": (
                "It had to respect on-call rules and nurses' maximum hours",
                ("Criteria", "Concern"),
            ),
            "alternatives": ("In the end the hospital group's system was free for us", ("Alternative",)),
        },
    ),
]


def _store_conversation(library: Library, guide, title, segment, outcome, date, interviewer, answers) -> None:
    """Question, answer, question, answer… as the transcription worker stores a two-party call."""
    interview = library.interviews.create(
        title, persona_segment=segment, outcome=outcome, interview_date=date, interviewer=interviewer
    )
    with library.db.atomic():
        library.db.execute(
            "INSERT INTO recordings (interview_id, file, original_name, sha256, duration_ms, sample_rate, "
            "channels, imported_at) VALUES (?, 'x.wav', 'x.wav', ?, 600000, 16000, 2, 'now')",
            [interview.id, f"sha-{interview.id}"],
        )
    job = library.jobs.create(
        interview.id, library.recordings.for_interview(interview.id).id, "tiny.en", {}, [0, 1]
    )
    speakers = [
        library.transcripts.ensure_speaker(interview.id, "Interviewer", SpeakerRole.INTERVIEWER, 0),
        library.transcripts.ensure_speaker(interview.id, "Customer", SpeakerRole.CUSTOMER, 1),
    ]
    tagger = Tagger(library)
    tagger.use_guide(interview.id, guide)
    start = 4000
    for key, (answer, tags) in answers.items():
        for channel, text in ((0, guide.question(key).text), (1, answer)):
            words = tuple(
                Word(start + i * 380, start + i * 380 + 330, token, 0.9)
                for i, token in enumerate(text.split())
            )
            library.jobs.commit_segment(
                job, TranscribedSegment(start, words[-1].end_ms, text, words, channel), speakers[channel], 0.5
            )
            if channel == 1:
                tagger.add_quote(
                    interview.id, start, words[-1].end_ms, question_key=key, tags=tags, channel=1
                )
            start = words[-1].end_ms + 1500


def store_six(root: Path) -> Path:
    """A library of six tagged conversations that follow the built-in roadmap guide; returns its folder."""
    guide = builtin_guides()[0]
    with Library.open(root) as library:
        for row in INTERVIEWS:
            _store_conversation(library, guide, *row)
    return root


@pytest.fixture
def tagged_root(tmp_path):
    return store_six(tmp_path / "library")


def test_six_interviews_fit_a_1920_pixel_screen_with_every_quote_readable(qtbot, tagged_root):
    """The board page at full width on a 1920×1080 screen: no sideways scrolling, and every cell as tall
    as its quotes (nothing cut off), on a real widget."""
    view = BoardView(tagged_root)
    qtbot.addWidget(view)
    view.resize(1920, 1000)  # the window's page area on a 1920×1080 screen, below the title and toolbar
    with qtbot.waitSignal(view.board_shown, timeout=10_000):
        view.show()
    grid, model = view.grid, view.model
    assert model.columnCount() == 6
    assert grid.horizontalScrollBar().maximum() == 0
    assert all(
        grid.columnViewportPosition(c) + grid.columnWidth(c) <= grid.viewport().width() for c in range(6)
    )
    for row in range(model.rowCount()):
        for column in range(6):
            cell = model.index(row, column)
            if model.quotes(cell):
                needed = grid.itemDelegate().sizeHint(_option(grid, cell), cell).height()
                assert grid.rowHeight(row) >= needed, (row, column)


def test_board(qtbot, tagged_root, palette):  # noqa: F811
    view = BoardView(tagged_root)
    qtbot.addWidget(view)
    view.resize(1400, 860)
    view.show()
    qtbot.waitUntil(lambda: view.model.board is not None)
    with qtbot.waitSignal(view.board_shown, timeout=10_000):
        view.bar.segment.setCurrentText("Mid-market logistics")
    view.grid.setCurrentIndex(view.model.index(1, 0))
    QApplication.processEvents()
    save(view.grab().toImage(), "board", palette)
    for pane in (view.grid,):
        assert distinct_colours(pane.grab().toImage()) > 8, pane


def test_search(qtbot, tagged_root, palette):  # noqa: F811
    view = SearchView(tagged_root)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    with qtbot.waitSignal(view.results_shown, timeout=10_000):
        qtbot.keyClicks(view.query, "shift")
    QApplication.processEvents()
    save(view.grab().toImage(), "search", palette)
    assert distinct_colours(view.results.grab().toImage()) > 8


def test_guide_editor(qtbot, tagged_root, palette):  # noqa: F811
    with Library.open(tagged_root) as library:
        dialog = GuideEditor(library, builtin_guides()[0])
        qtbot.addWidget(dialog)
        dialog.duplicate()
        dialog.resize(1200, 820)
        dialog.show()
        dialog.select_question(1)
        dialog.question_text.selectAll()
        qtbot.keyClicks(dialog.question_text, "Would you say the price was what set it off?")
        QApplication.processEvents()
        save(dialog.grab().toImage(), "guide-editor", palette)
        assert distinct_colours(dialog.grab().toImage()) > 8


def _option(grid, index) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    grid.initViewItemOption(option)
    option.rect = grid.visualRect(index)
    return option
