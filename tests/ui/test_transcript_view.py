"""TranscriptView with real transcripts: jfk (one speaker) and the demo call (two channels, two speakers)."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QFont, QPalette, QTextCursor
from PySide6.QtWidgets import QMenu

from app.domain.colours import AA_TEXT, contrast
from app.domain.timecode import clock
from app.domain.transcript import Segment, Speaker, SpeakerRole, Word
from app.resources import resource_path
from app.services.importing import TWO_PARTY_ROLES
from app.ui.colours import rgb
from app.ui.transcript_layout import PARAGRAPH_PAUSE_MS
from app.ui.transcript_view import PLACEHOLDER, TranscriptView
from tests.ui.helpers import DEMO, find_word, run_earful_script, transcribe_into_library, word_point


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory: pytest.TempPathFactory, speech: Path):
    """{name: (segments, speakers)} for jfk and the demo interview."""
    library, ids = transcribe_into_library(
        tmp_path_factory.mktemp("ui-transcripts"),
        {"jfk": (speech / "jfk.flac", None), "demo": (resource_path(DEMO), TWO_PARTY_ROLES)},
    )
    loaded = {
        name: (library.transcripts.segments(interview_id), library.transcripts.speakers(interview_id))
        for name, interview_id in ids.items()
    }
    library.close()
    return loaded


@pytest.fixture
def view(qtbot) -> TranscriptView:
    shown = TranscriptView()
    qtbot.addWidget(shown)
    shown.resize(640, 360)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def words_in_time_order(segments: list[Segment]) -> list[tuple[int, int, int, int]]:
    """(start_ms, end_ms, segment_id, word_index) of every word."""
    return sorted(
        (word.start_ms, word.end_ms, segment.id, index)
        for segment in segments
        for index, word in enumerate(segment.words)
    )


def top_line(view: TranscriptView) -> tuple[int | None, int]:
    """The segment at the top of the viewport and where its first character is drawn."""
    view.setTextCursor(view.cursorForPosition(QPoint(0, 0)))
    segment_id = view.segment_at_cursor()
    start, _end = view.word_range(segment_id, 0)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    return segment_id, view.cursorRect(cursor).top()


def expected_document(segments: list[Segment], speakers: list[Speaker]) -> list[str]:
    """The transcript as a document: a "Name  0:00" line where the speaker changes, then the turn's words as
    paragraphs (a new one after a pause of PARAGRAPH_PAUSE_MS)."""
    names = {speaker.id: speaker.name for speaker in speakers}
    lines: list[str] = []
    previous = None
    for segment in segments:
        if previous is None or segment.speaker_id != previous.speaker_id:
            lines += [f"{names[segment.speaker_id]}\u2003{clock(segment.start_ms)}", segment.text]
        elif segment.start_ms - previous.end_ms >= PARAGRAPH_PAUSE_MS:
            lines.append(segment.text)
        else:
            lines[-1] += " " + segment.text
        previous = segment
    return lines


def test_turns_are_paragraphs_under_the_speakers_name_and_time(view, transcripts):
    """Each line is the stored segment, as the model gave it on this machine (no words of one CPU here)."""
    assert sorted(speaker.name for speaker in transcripts["demo"][1]) == ["Customer", "Interviewer"]
    for name in ("demo", "jfk"):
        segments, speakers = transcripts[name]
        view.set_transcript(segments, speakers)
        lines = view.document().toPlainText().split("\n")
        assert lines == expected_document(segments, speakers)
    jfk = transcripts["jfk"][0]
    assert len(view.document().toPlainText().split("\n")) < len(jfk) + 1, (
        "one voice's segments share paragraphs"
    )


def test_an_empty_transcript_shows_the_placeholder(view, transcripts):
    view.set_transcript(*transcripts["jfk"])
    view.set_transcript([], [])
    assert view.document().isEmpty()
    assert view.placeholderText() == PLACEHOLDER
    assert view.highlighted_word is None
    assert view.selected_words() == []
    assert view.segment_at_cursor() is None


def dark_palette(view: TranscriptView) -> QPalette:
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    return dark


def name_colours(view: TranscriptView) -> dict[str, str]:
    """The colour each speaker's name is drawn in, read from the document's header lines."""
    colours = {}
    block = view.document().begin()
    while block.isValid():
        if "\u2003" in block.text():
            name = QTextCursor(view.document())
            name.setPosition(block.position() + 1)
            assert name.charFormat().fontWeight() == QFont.Weight.Bold
            colours[block.text().split("\u2003")[0]] = name.charFormat().foreground().color().name()
        block = block.next()
    return colours


@pytest.mark.parametrize("dark", [False, True])
def test_speakers_are_coloured_by_role_readably_and_a_swap_keeps_the_customers_colour(
    view, transcripts, dark
):
    segments, speakers = transcripts["demo"]
    if dark:
        view.setPalette(dark_palette(view))
    view.set_transcript(segments, speakers)
    before = name_colours(view)
    assert set(before) == {"Interviewer", "Customer"} and len(set(before.values())) == 2
    base = rgb(view.palette().color(QPalette.ColorRole.Base))
    assert all(contrast(rgb(QColor(colour)), base) >= AA_TEXT for colour in before.values())
    # Swap the speakers, as Edit ▸ Speakers ▸ Swap does: names and roles change places between the voices.
    first, second = speakers
    swapped = [
        replace(first, label=second.label, role=second.role, display_name=second.display_name),
        replace(second, label=first.label, role=first.role, display_name=first.display_name),
    ]
    view.set_transcript(segments, swapped)
    assert name_colours(view) == before, "the customer keeps the customer's colour, whoever's voice it is"


def test_clicking_a_word_seeks_to_its_start(view, qtbot, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    for segment_id, word_index in [
        find_word(segments, "night"),
        find_word(segments, "fix"),
        (segments[0].id, 0),
        (segments[2].id, len(segments[2].words) - 1),
    ]:
        expected = next(s for s in segments if s.id == segment_id).words[word_index].start_ms
        with qtbot.waitSignal(view.word_clicked) as clicked:
            qtbot.mouseClick(
                view.viewport(), Qt.MouseButton.LeftButton, pos=word_point(view, segment_id, word_index)
            )
        assert clicked.args == [expected], (segment_id, word_index)


def test_clicking_a_timestamp_seeks_to_its_segment(view, qtbot, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    segment = next(s for s, before in pairwise(segments) if s.speaker_id != before.speaker_id)
    time = clock(segment.start_ms)
    header = view.document().find(f"\u2003{time}")  # the turn's line: name, then its time
    assert header.block().next().text().startswith(segment.text)
    time_cursor = QTextCursor(view.document())
    time_cursor.setPosition(header.selectionEnd() - len(time) + 1)
    rect = view.cursorRect(time_cursor)
    with qtbot.waitSignal(view.word_clicked) as clicked:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.x() + 2, rect.center().y())
        )
    assert clicked.args == [segment.start_ms]


def test_a_drag_selects_without_seeking(view, qtbot, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    start = word_point(view, segments[1].id, 1)
    end = word_point(view, segments[1].id, 4)
    clicks: list[int] = []
    view.word_clicked.connect(clicks.append)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert clicks == []


def test_highlight_follows_time(view, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    words = words_in_time_order(segments)
    first_start = words[0][0]
    assert first_start > 0, "the demo starts with a moment of silence"
    view.highlight_time(first_start - 1)
    assert view.highlighted_word is None

    inside = next(w for w in words if w[1] - w[0] >= 200)
    view.highlight_time((inside[0] + inside[1]) // 2)
    assert view.highlighted_word == (inside[2], inside[3])

    # A pause after a word (no other word going on): the word stays highlighted for a moment...
    for before, after in pairwise(words):
        if after[0] - before[1] >= 150 and max(w[1] for w in words if w[0] <= before[0]) == before[1]:
            break
    else:
        raise AssertionError("no pause between words in the demo")
    view.highlight_time(before[1] + 100)
    assert view.highlighted_word == (before[2], before[3])
    view.highlight_time(after[0])
    assert view.highlighted_word == (after[2], after[3])

    # ...but not long after the last word.
    last = max(words, key=lambda w: w[1])
    view.highlight_time(last[1] + 1000)
    assert view.highlighted_word == (last[2], last[3])
    view.highlight_time(last[1] + 1600)
    assert view.highlighted_word is None
    assert view.extraSelections() == []


def test_highlight_uses_an_extra_selection_over_the_word(view, transcripts):
    segments, speakers = transcripts["jfk"]
    view.set_transcript(segments, speakers)
    segment_id, index = find_word(segments, "country")
    word = next(s for s in segments if s.id == segment_id).words[index]
    view.highlight_time(word.start_ms + 10)
    (selection,) = view.extraSelections()
    assert selection.cursor.selectedText() == word.text
    assert (selection.cursor.selectionStart(), selection.cursor.selectionEnd()) == view.word_range(
        segment_id, index
    )


def test_following_scrolls_only_when_the_word_leaves_the_view(view, transcripts):
    segments, speakers = transcripts["demo"]
    view.resize(420, 160)
    view.set_transcript(segments, speakers)
    bar = view.verticalScrollBar()
    assert bar.maximum() > 0
    view.highlight_time(segments[0].words[1].start_ms)
    assert bar.value() == 0, "the word is visible: no scrolling"

    last = segments[-1].words[-1]
    view.highlight_time(last.start_ms)
    assert bar.value() > 0
    point = word_point(view, segments[-1].id, len(segments[-1].words) - 1)
    assert view.viewport().rect().contains(point)

    view.follow = False
    bar.setValue(0)
    view.highlight_time(segments[-2].words[-1].start_ms)
    assert bar.value() == 0


def test_live_re_rendering_keeps_the_view_where_the_reader_is(view, transcripts):
    segments, speakers = transcripts["demo"]
    view.resize(420, 200)
    view.follow = False
    view.set_transcript(segments[:10], speakers)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    scrolled = bar.value()
    assert scrolled > 0
    selected = [(segments[4].id, 1), (segments[4].id, 2), (segments[4].id, 3)]
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.word_range(*selected[0])[0] + 1)
    cursor.setPosition(view.word_range(*selected[-1])[1], QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.highlight_time(segments[0].words[0].start_ms)

    view.set_transcript(segments[:12], speakers)  # more segments arrive
    assert bar.value() == scrolled
    assert view.selected_words() == selected
    assert view.highlighted_word == (segments[0].id, 0)

    # A segment arriving above the reader (the other channel's pass) must not push the lines they read.
    without_second = segments[:1] + segments[2:]
    view.set_transcript(without_second, speakers)
    bar.setValue(bar.maximum() // 2)
    before = top_line(view)
    view.set_transcript(segments, speakers)
    assert top_line(view) == before

    # Another interview starts at the top.
    view.set_transcript(*transcripts["jfk"])
    assert bar.value() == 0
    assert view.highlighted_word is None


def test_selected_words_and_segment_at_cursor(view, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    first, second = segments[1], segments[2]
    cursor = QTextCursor(view.document())
    # From inside the third-last word of one segment to inside the second word of the next.
    start, end = view.word_range(first.id, len(first.words) - 3)
    cursor.setPosition(start + 1)
    cursor.setPosition(view.word_range(second.id, 1)[0] + 1, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    assert view.selected_words() == [
        (first.id, len(first.words) - 3),
        (first.id, len(first.words) - 2),
        (first.id, len(first.words) - 1),
        (second.id, 0),
        (second.id, 1),
    ]
    assert view.segment_at_cursor() == second.id
    cursor.setPosition(end)
    view.setTextCursor(cursor)
    assert view.selected_words() == []
    assert view.segment_at_cursor() == first.id


def action(menu: QMenu, text: str) -> QAction:
    """The menu's action labelled `text` (ignoring the mnemonic ampersand and the shortcut)."""
    return next(a for a in menu.actions() if a.text().replace("&", "").split("\t")[0] == text)


def test_context_menu_requests_edits(view, qtbot, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    segment = segments[1]
    other = next(s for s in speakers if s.id != segment.speaker_id)
    menu = view.context_menu(word_point(view, segment.id, 3))

    with qtbot.waitSignal(view.edit_requested) as edit:
        action(menu, "Edit text…").trigger()
    assert edit.args == [segment.id]
    with qtbot.waitSignal(view.split_requested) as split:
        action(menu, "Split here").trigger()
    assert split.args == [segment.id, 3]
    with qtbot.waitSignal(view.merge_requested) as merge:
        action(menu, "Merge with next").trigger()
    assert merge.args == [segment.id]
    speaker_menu = action(menu, "Change speaker").menu()
    current = action(speaker_menu, next(s.name for s in speakers if s.id == segment.speaker_id))
    assert current.isChecked() and not current.isEnabled()
    with qtbot.waitSignal(view.reassign_requested) as reassign:
        action(speaker_menu, other.name).trigger()
    assert reassign.args == [segment.id, other.id]
    assert action(menu, "Copy"), "the standard actions stay"

    first_word_menu = view.context_menu(word_point(view, segments[-1].id, 0))
    assert not action(first_word_menu, "Split here").isEnabled(), "nothing to split off before the first word"
    assert not action(first_word_menu, "Merge with next").isEnabled(), "the last segment has no next"


def test_double_click_on_text_requests_an_edit(view, qtbot, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    with qtbot.waitSignal(view.edit_requested) as edit:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=word_point(view, segments[2].id, 1))
    assert edit.args == [segments[2].id]


def test_find_selects_matches_and_wraps_around(view, transcripts):
    segments, speakers = transcripts["jfk"]
    view.set_transcript(segments, speakers)
    text = view.document().toPlainText()
    first = text.index("country")
    second = text.index("country", first + 1)
    assert view.find("country")
    assert view.textCursor().selectionStart() == first
    assert view.find("country")
    assert view.textCursor().selectionStart() == second
    assert view.find("country"), "wraps to the top"
    assert view.textCursor().selectionStart() == first
    assert view.find("country", backward=True), "wraps to the bottom"
    assert view.textCursor().selectionStart() == second
    assert not view.find("xylophone")
    assert view.textCursor().selectionStart() == second


def test_word_range_refuses_words_it_does_not_show(view, transcripts):
    segments, speakers = transcripts["jfk"]
    view.set_transcript(segments, speakers)
    with pytest.raises(IndexError):
        view.word_range(segments[0].id, len(segments[0].words))
    with pytest.raises(KeyError):
        view.word_range(-1, 0)


def test_names_and_text_are_never_markup(view):
    speaker = Speaker(1, 1, "<b>Ann</b> & co", SpeakerRole.OTHER, None, None)
    words = (Word(0, 400, "<i>hello</i>", 0.9), Word(400, 900, "&amp;🙂", 0.9), Word(900, 1200, "after", 0.9))
    segment = Segment(1, 1, 0, 1200, "<i>hello</i> &amp;🙂 after", 1, words, None)
    view.set_transcript([segment], [speaker])
    assert view.document().toPlainText() == "<b>Ann</b> & co\u20030:00\n<i>hello</i> &amp;🙂 after"
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.word_range(1, 2)[0])
    cursor.setPosition(view.word_range(1, 2)[1], QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "after", "an emoji counts as two document positions"


def test_a_palette_change_recolours_names_and_keeps_the_place(view, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    view.highlight_time(segments[1].words[2].start_ms)
    view.setPalette(dark_palette(view))
    name = QTextCursor(view.document().begin())
    name.setPosition(1)  # inside the first name
    assert name.charFormat().fontWeight() == QFont.Weight.Bold
    assert contrast(rgb(name.charFormat().foreground().color()), rgb(QColor("#1e1e1e"))) >= AA_TEXT
    assert view.highlighted_word == (segments[1].id, 2)


def test_segments_arriving_live_are_appended_without_rebuilding_what_is_shown(qtbot, view, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments[:5], speakers)
    shown_length = view.document().characterCount()
    changes = []
    view.document().contentsChange.connect(
        lambda position, removed, added: changes.append((position, removed))
    )
    view.set_transcript(segments, speakers)
    assert changes and all(position >= shown_length - 1 and removed <= 1 for position, removed in changes)

    fresh = TranscriptView()
    qtbot.addWidget(fresh)
    fresh.resize(view.size())
    fresh.set_transcript(segments, speakers)
    assert view.document().toPlainText() == fresh.document().toPlainText()
    last = segments[-1]
    assert view.word_range(last.id, 0) == fresh.word_range(last.id, 0)


def test_sections_head_the_segments_asked_after_them(view, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    without = view.document().toPlainText().split("\n")
    view.set_sections([(segments[2].start_ms, "first_steps", "2 · Where did you look first?")])
    lines = view.document().toPlainText().split("\n")
    heading = lines.index("2 · Where did you look first?")
    assert lines[:heading] == expected_document(segments[:2], speakers)
    assert lines[heading + 1 :] == expected_document(segments[2:], speakers), "a new turn starts under it"
    view.set_sections([])
    assert view.document().toPlainText().split("\n") == without


def test_dragging_a_section_heading_onto_another_line_asks_to_move_it_there(qtbot, view, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    view.set_sections([(segments[2].start_ms, "first_steps", "2 · Where did you look first?")])
    heading = view.document().find("2 · Where did you look first?")
    target = QTextCursor(view.document())
    target.setPosition(view.word_range(segments[4].id, 0)[0])
    with qtbot.waitSignal(view.section_requested) as moved:
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(heading).center())
        qtbot.mouseMove(view.viewport(), view.cursorRect(target).center())
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(target).center())
    assert moved.args == [segments[4].start_ms, "first_steps"]
    assert not view.textCursor().hasSelection(), "dragging a heading selects no text"



def test_a_suggested_section_is_drawn_quieter_than_a_placed_one_and_is_not_dragged(qtbot, view, transcripts):
    segments, speakers = transcripts["demo"]
    view.set_transcript(segments, speakers)
    view.set_sections(
        [(segments[2].start_ms, "first_steps", "2 · Where did you look first?")],
        [(segments[4].start_ms, "budget", "Suggested: 3 · What was the budget?")],
    )
    placed = view.document().find("2 · Where did you look first?").charFormat()
    suggested = view.document().find("Suggested: 3 · What was the budget?")
    assert suggested.charFormat().fontItalic() and not placed.fontItalic()
    assert suggested.charFormat().foreground().color() != placed.foreground().color()
    target = view.cursorRect(QTextCursor(view.document().findBlock(view.word_range(segments[6].id, 0)[0])))
    with qtbot.assertNotEmitted(view.section_requested):
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(suggested).center())
        qtbot.mouseMove(view.viewport(), target.center())
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=target.center())

MEASURE_AT_SCALE = """
import json
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.domain.transcript import Segment, Speaker, SpeakerRole, Word
from app.ui.transcript_view import TranscriptView
words = tuple(Word(i * 400, i * 400 + 300, f"word{i % 10}", 0.9) for i in range(120))
view = TranscriptView()
view.resize(700, 500)
view.show()
app.processEvents()
speaker = Speaker(1, 1, "Customer", SpeakerRole.CUSTOMER, None, 1)
view.set_transcript([Segment(1, 1, 0, 48_000, "", 1, words, 1)], [speaker])
app.processEvents()
paragraph = view.document().begin().next()
layout = paragraph.layout()
first, second = layout.lineAt(0), layout.lineAt(1)
name = QTextCursor(view.document())
name.setPosition(1)
time = QTextCursor(view.document())
time.setPosition(view.document().begin().length() - 2)
ratio = view.devicePixelRatioF()
print(json.dumps({
    "ratio": ratio,
    "points": view.document().defaultFont().pointSizeF(),
    "interface_points": view.font().pointSizeF(),
    "line_device_px": (second.y() - first.y()) * ratio,
    "line_over_font": (second.y() - first.y()) / second.height(),
    "chars_in_first_line": first.textLength(),
    "time_points": time.charFormat().fontPointSize(),
}))
"""


def test_the_text_reads_the_same_at_100_and_200_percent_scaling():
    """A reading size (≥ 11 pt, above the interface's), lines 1.3× the font or more, smaller timestamps, and
    the same layout at 200 %: twice the device pixels, the same words on each line."""
    at = {
        scale: json.loads(run_earful_script(MEASURE_AT_SCALE, QT_SCALE_FACTOR=str(scale))[-1])
        for scale in (1, 2)
    }
    assert (at[1]["ratio"], at[2]["ratio"]) == (1, 2)
    for measured in at.values():
        assert measured["points"] >= 11 and measured["points"] > measured["interface_points"]
        assert measured["line_over_font"] >= 1.3
        assert 0 < measured["time_points"] < measured["points"], "timestamps are smaller than the words"
    assert at[2]["line_device_px"] == pytest.approx(2 * at[1]["line_device_px"], abs=2)
    assert at[2]["chars_in_first_line"] == pytest.approx(at[1]["chars_in_first_line"], abs=6)
