"""The guide editor's Tags page: the tags quotes are filed under, each with a colour and a definition, in
an order the user drags; and the small layout pieces the editor's pages share."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.guides.drafts import NEW_TAG_COLOUR, TagDraft
from app.ui.draft_list import DraftList


class TagsPage(QWidget):
    """Edits a list of tag drafts in place; `changed` after every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tags: list[TagDraft] = []
        self.tags = DraftList()
        self.tag_name = QLineEdit()
        self.tag_name.setPlaceholderText("e.g. Decision reason")
        self.tag_colour = QLineEdit()
        self.tag_colour.setPlaceholderText("#rrggbb")
        self.tag_colour.setMaxLength(7)
        self.colour_button = QPushButton("C&hoose…")
        self.colour_button.clicked.connect(self._choose_colour)
        self.tag_definition = QLineEdit()
        self.tag_definition.setPlaceholderText("One sentence: what belongs under this tag")
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.tag_colour)
        colour_row.addWidget(self.colour_button)
        colour_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Tags (drag to reorder)"))
        layout.addWidget(self.tags, 1)
        layout.addLayout(add_remove(self._add_tag, self._remove_tag, "tag"))
        form = QFormLayout()
        form.addRow("&Name", self.tag_name)
        colour_label = QLabel("Co&lour")
        colour_label.setBuddy(self.tag_colour)
        form.addRow(colour_label, colour_row)
        form.addRow("&Definition", self.tag_definition)
        layout.addLayout(form)
        self.tags.currentRowChanged.connect(self._tag_chosen)
        self.tags.reordered.connect(self._tags_reordered)
        for widget in (self.tag_name, self.tag_colour, self.tag_definition):
            widget.textEdited.connect(self._tag_edited)

    def show_tags(self, tags: list[TagDraft]) -> None:
        """Edit `tags` (the draft's own list, changed in place)."""
        self._tags = tags
        row = self.tags.currentRow()
        self.tags.fill(tags)
        for number, tag in enumerate(tags):
            _show_colour(self.tags.item(number), tag)
        self.tags.setCurrentRow(max(row, 0) if tags else -1)
        self.changed.emit()

    def _tags_reordered(self) -> None:
        self._tags[:] = self.tags.drafts()
        self.changed.emit()

    def _tag_chosen(self) -> None:
        tag = self.tags.current_draft()
        self.tag_name.setText(tag.name if tag else "")
        self.tag_colour.setText(tag.colour if tag else "")
        self.tag_definition.setText(tag.definition if tag else "")
        self._show_swatch()

    def _tag_edited(self) -> None:
        tag = self.tags.current_draft()
        if tag is None:
            return
        tag.name, tag.colour, tag.definition = (
            self.tag_name.text(),
            self.tag_colour.text(),
            self.tag_definition.text(),
        )
        item = self.tags.currentItem()
        item.setText(tag.label())
        _show_colour(item, tag)
        self._show_swatch()
        self.changed.emit()

    def _show_swatch(self) -> None:
        colour = self.tag_colour.text()
        if _is_colour(colour):
            text = "#000000" if QColor(colour).lightness() > 140 else "#ffffff"  # readable on the swatch
            self.colour_button.setStyleSheet(f"background-color: {colour}; color: {text};")
        else:
            self.colour_button.setStyleSheet("")

    def _add_tag(self) -> None:
        tags = self._tags
        tags.append(TagDraft("NewTag"))
        self.show_tags(tags)
        self.tags.setCurrentRow(len(tags) - 1)
        self.tag_name.setFocus()
        self.tag_name.selectAll()

    def _remove_tag(self) -> None:
        row = self.tags.currentRow()
        if row >= 0:
            del self._tags[row]
            self.show_tags(self._tags)

    def _choose_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.tag_colour.text() or NEW_TAG_COLOUR), self, "Tag colour")
        if chosen.isValid():
            self.tag_colour.setText(chosen.name())
            self._tag_edited()


def _show_colour(item: QListWidgetItem, tag: TagDraft) -> None:
    """The tag's colour as the item's swatch (none while the colour is not yet a valid #rrggbb)."""
    item.setData(Qt.ItemDataRole.DecorationRole, QColor(tag.colour) if _is_colour(tag.colour) else None)


def _is_colour(text: str) -> bool:
    return len(text) == 7 and text.startswith("#") and QColor.isValidColorName(text)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def add_remove(add: Callable[[], None], remove: Callable[[], None], what: str) -> QHBoxLayout:
    """ "Add …" and "Remove …" buttons under a list."""
    row = QHBoxLayout()
    for text, slot, tip in (
        (f"Add {what}", add, f"Add a {what}"),
        (f"Remove {what}", remove, f"Remove the chosen {what}"),
    ):
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        row.addWidget(button)
    row.addStretch(1)
    return row
