"""The transcript's right-click menu: edit, split, merge or delete a segment, change who said it, mark a
guide question as asked there. Each action emits one of the view's signals; the view itself acts on nothing."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from app.domain.transcript import Speaker

# Editing the line under the caret from the keyboard: the same action as the menu's "Edit text…".
EDIT_SHORTCUT = QKeySequence("F2")


@dataclass(frozen=True, slots=True)
class MenuPlace:
    """What the right-click landed on."""

    segment_id: int
    segment_start_ms: int
    speaker_id: int | None
    word_index: int | None
    has_next: bool
    selected: list[tuple[int, int]]


def add_segment_actions(
    view, menu: QMenu, place: MenuPlace, speakers: list[Speaker], questions: list[tuple[str, str]]
) -> None:
    """Put the segment's actions above the standard ones (Copy, Select All) of `menu`."""
    first_standard = menu.actions()[0] if menu.actions() else None
    segment_id = place.segment_id
    edit = QAction("Edit text…", menu)
    edit.setShortcut(EDIT_SHORTCUT)
    edit.triggered.connect(lambda: view.edit_requested.emit(segment_id))
    split = QAction("Split here", menu)
    split.setEnabled(bool(place.word_index))
    split.setToolTip("Start a new segment at the word under the mouse")
    split.triggered.connect(lambda: view.split_requested.emit(segment_id, place.word_index))
    merge = QAction("Merge with next", menu)
    merge.setEnabled(place.has_next)
    merge.triggered.connect(lambda: view.merge_requested.emit(segment_id))
    delete = QAction("Delete segment…", menu)
    delete.triggered.connect(lambda: view.delete_requested.emit(segment_id))
    menu.insertActions(first_standard, [edit, split, merge, delete])

    change = QMenu("Change speaker", menu)
    for speaker in speakers:
        action = change.addAction(speaker.name)
        action.setCheckable(True)
        action.setChecked(speaker.id == place.speaker_id)
        action.setEnabled(speaker.id != place.speaker_id)
        action.triggered.connect(
            lambda _checked=False, speaker_id=speaker.id: view.reassign_requested.emit(segment_id, speaker_id)
        )
    change.setEnabled(bool(speakers))
    menu.insertMenu(first_standard, change)
    if place.selected:
        said_by = QMenu("Selected words are said by", menu)
        for speaker in speakers:
            said_by.addAction(speaker.name).triggered.connect(
                lambda _checked=False, speaker_id=speaker.id: view.reassign_words_requested.emit(
                    place.selected, speaker_id
                )
            )
        menu.insertMenu(first_standard, said_by)

    asked = QMenu("Question asked here", menu)
    asked.setToolTip("Start the section of a guide question at this segment (moves it if it is elsewhere)")
    for key, label in questions:
        asked.addAction(label).triggered.connect(
            lambda _checked=False, key=key: view.section_requested.emit(place.segment_start_ms, key)
        )
    asked.setEnabled(bool(questions))
    menu.insertMenu(first_standard, asked)
    menu.insertSeparator(first_standard)
