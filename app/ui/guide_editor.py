"""The guide editor: what the interviewer will say (consent, sections, questions, probes) and the tags
quotes are filed under, with advice on question wording as it is typed.

The editor works on drafts (plain mutable records) and turns them into a `Guide` through the same YAML
loader as a file, so the editor can never save a guide a file could not hold, and its messages are the
loader's. Saving adds a new version to the library (`GuideRepository.add_edition`), never changing a stored
one: interviews keep the wording their quotes were tagged with. Built-in guides can be duplicated first, so
a customised copy lives beside the original.

Lists reorder by drag and drop, or from the keyboard with Alt+Up / Alt+Down.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.guides import (
    Guide,
    GuideError,
    Question,
    Section,
    Tag,
    dump_guide,
    hints_for,
    load_guide,
    load_guide_file,
)
from app.library import Library, LibraryError
from app.library.guides import StoredGuide

DRAFT_ROLE = Qt.ItemDataRole.UserRole
YAML_FILTER = "Interview guides (*.yaml *.yml);;All files (*)"
NEW_TAG_COLOUR = "#4e79a7"
_ADVICE_STYLE = (
    "background: #fff4ce; color: #3d2e00; border: 1px solid #e0b400; border-radius: 4px; padding: 6px;"
)


@dataclass(slots=True)
class QuestionDraft:
    key: str = ""
    text: str = ""
    probes: list[str] = field(default_factory=list)

    def question(self) -> Question:
        return Question(
            self.key.strip(), self.text.strip(), tuple(p.strip() for p in self.probes if p.strip())
        )


@dataclass(slots=True)
class SectionDraft:
    title: str = ""
    questions: list[QuestionDraft] = field(default_factory=list)


@dataclass(slots=True)
class TagDraft:
    name: str = ""
    colour: str = NEW_TAG_COLOUR
    definition: str = ""


def _drafts(guide: Guide) -> tuple[list[SectionDraft], list[TagDraft]]:
    sections = [
        SectionDraft(s.title, [QuestionDraft(q.key, q.text, list(q.probes)) for q in s.questions])
        for s in guide.sections
    ]
    return sections, [TagDraft(t.name, t.colour, t.definition) for t in guide.tags]


class DraftList(QListWidget):
    """A list of drafts that reorders by drag and drop or Alt+Up/Alt+Down; `reordered` gives the new order."""

    reordered = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.model().rowsMoved.connect(lambda *_: self.reordered.emit())
        for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(functools.partial(self.move_current, step))

    def current_draft(self):
        item = self.currentItem()
        return item.data(DRAFT_ROLE) if item else None

    def drafts(self) -> list:
        return [self.item(row).data(DRAFT_ROLE) for row in range(self.count())]

    def fill(self, drafts: list, label) -> None:
        self.blockSignals(True)
        self.clear()
        for draft in drafts:
            item = QListWidgetItem(label(draft))
            item.setData(DRAFT_ROLE, draft)
            self.addItem(item)
        self.blockSignals(False)

    def dropEvent(self, event: QDropEvent) -> None:
        """Move the dragged item to where it is dropped, keeping the item and so its draft. QListWidget's own
        internal move may go through MIME data (a remove and an insert), which cannot carry the draft."""
        row, target = self.currentRow(), self.indexAt(event.position().toPoint())
        to = self.count()
        if target.isValid():
            to = target.row() + int(event.position().y() > self.visualRect(target).center().y())
        event.setDropAction(Qt.DropAction.CopyAction)  # a "move" result would make the drag remove the item
        event.accept()
        if row >= 0 and to not in (row, row + 1):
            self.model().moveRow(QModelIndex(), row, QModelIndex(), to)
            self.setCurrentRow(to - 1 if to > row else to)

    def move_current(self, step: int) -> None:
        row = self.currentRow()
        if row < 0 or not 0 <= row + step < self.count():
            return
        self.model().moveRow(self.rootIndex(), row, self.rootIndex(), row + step + (1 if step > 0 else 0))
        self.setCurrentRow(row + step)


class GuideEditor(QDialog):
    """Edit one guide and save it as a new version in the library."""

    guide_saved = Signal(str, int)
    """(slug, version) of the version just stored."""

    def __init__(self, library: Library, guide: Guide, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._version = guide.version
        self._sections: list[SectionDraft] = []
        self._tags: list[TagDraft] = []
        self._loading = False

        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(), "&About")
        self.tabs.addTab(self._questions_tab(), "&Questions")
        self.tabs.addTab(self._tags_tab(), "&Tags")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for text, slot, tip in (
            ("&Duplicate", self.duplicate, "Make a copy of this guide, with its own name, to customise"),
            ("&Import…", self._choose_import, "Open a guide from a YAML file"),
            ("&Export…", self._choose_export, "Write this guide to a YAML file to share it"),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.save_button = QPushButton("&Save as new version")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Store this guide in the library (Ctrl+S); interviews keep their version")
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(1000, 720)
        self.load(guide)

    # Building ---------------------------------------------------------------------------------------

    def _about_tab(self) -> QWidget:
        self.name = QLineEdit()
        self.slug = QLineEdit()
        self.slug.setPlaceholderText("made from the name, e.g. recent-buyer")
        self.purpose = QPlainTextEdit()
        self.participants = QPlainTextEdit()
        self.consent = QPlainTextEdit()
        self.consent.setPlaceholderText("Read out at the start of the call to ask permission to record")
        self.universal_probes = QPlainTextEdit()
        self.universal_probes.setPlaceholderText("One per line, e.g. Why was that?")
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("&Name", self.name)
        form.addRow("S&lug", self.slug)
        form.addRow("&Purpose", self.purpose)
        form.addRow("Partic&ipants", self.participants)
        form.addRow("&Consent line", self.consent)
        form.addRow("&Follow-ups for any question", self.universal_probes)
        for widget in (self.name, self.slug):
            widget.textEdited.connect(self._changed)
        for widget in (self.purpose, self.participants, self.consent, self.universal_probes):
            widget.setTabChangesFocus(True)
            widget.textChanged.connect(self._changed)
        return page

    def _questions_tab(self) -> QWidget:
        self.sections = DraftList()
        self.questions = DraftList()
        self.section_title = QLineEdit()
        self.question_key = QLineEdit()
        self.question_key.setPlaceholderText("short id, e.g. trigger (never change it once used)")
        self.question_text = QLineEdit()
        self.probes = QPlainTextEdit()
        self.probes.setPlaceholderText("One follow-up per line")
        self.probes.setTabChangesFocus(True)
        self.probes.setMaximumHeight(self.probes.fontMetrics().lineSpacing() * 5 + 14)
        self.hints = QLabel()
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.PlainText)
        self.hints.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        page = QWidget()
        grid = QGridLayout(page)
        grid.addWidget(_heading("Sections"), 0, 0)
        grid.addWidget(_heading("Questions in this section"), 0, 1)
        grid.addWidget(self.sections, 1, 0)
        grid.addWidget(self.questions, 1, 1)
        grid.addLayout(_add_remove(self._add_section, self._remove_section, "section"), 2, 0)
        grid.addLayout(_add_remove(self._add_question, self._remove_question, "question"), 2, 1)
        form = QFormLayout()
        form.addRow("Section &title", self.section_title)
        form.addRow("Question &key", self.question_key)
        form.addRow("Question te&xt", self.question_text)
        form.addRow("&Probes", self.probes)
        form.addRow("Advice", self.hints)
        grid.addLayout(form, 3, 0, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        grid.setRowStretch(1, 1)  # the lists take the spare height, not the advice

        self.sections.currentRowChanged.connect(self._section_chosen)
        self.sections.reordered.connect(self._sections_reordered)
        self.questions.currentRowChanged.connect(self._question_chosen)
        self.questions.reordered.connect(self._questions_reordered)
        self.section_title.textEdited.connect(self._section_edited)
        for widget in (self.question_key, self.question_text):
            widget.textEdited.connect(self._question_edited)
        self.probes.textChanged.connect(self._question_edited)
        return page

    def _tags_tab(self) -> QWidget:
        self.tags = DraftList()
        self.tag_name = QLineEdit()
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
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_heading("Tags (drag to reorder)"))
        layout.addWidget(self.tags, 1)
        layout.addLayout(_add_remove(self._add_tag, self._remove_tag, "tag"))
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
        return page

    # Public operations --------------------------------------------------------------------------------

    def load(self, guide: Guide) -> None:
        """Show `guide` for editing (replacing whatever was being edited)."""
        self._loading = True
        self._version = guide.version
        self.setWindowTitle(f"Guide editor — {guide.name}")
        self.name.setText(guide.name)
        self.slug.setText(guide.slug)
        self.purpose.setPlainText(guide.purpose)
        self.participants.setPlainText(guide.participants)
        self.consent.setPlainText(guide.consent)
        self.universal_probes.setPlainText("\n".join(guide.universal_probes))
        self._sections, tags = _drafts(guide)
        self.sections.fill(self._sections, _section_label)
        self._set_tags(tags)
        self._loading = False
        self.sections.setCurrentRow(0)
        self.tags.setCurrentRow(0)
        self._changed()

    def guide(self) -> Guide:
        """The guide as edited, checked by the YAML loader; GuideError names the problem."""
        draft = Guide(
            slug=self.slug.text().strip(),
            name=self.name.text().strip(),
            version=self._version,
            purpose=self.purpose.toPlainText().strip(),
            consent=self.consent.toPlainText().strip(),
            participants=self.participants.toPlainText().strip(),
            universal_probes=_lines(self.universal_probes.toPlainText()),
            sections=tuple(
                Section(s.title.strip(), tuple(q.question() for q in s.questions)) for s in self._sections
            ),
            tags=tuple(
                Tag(t.name.strip(), t.colour.strip().lower(), t.definition.strip()) for t in self._tags
            ),
        )
        return load_guide(dump_guide(draft), "this guide")

    def problem(self) -> str | None:
        """What stops the guide being saved, in the loader's words, or None."""
        try:
            self.guide()
        except GuideError as error:
            return error.problem
        return None

    def save(self) -> StoredGuide | None:
        """Store the guide as a new version in the library (nothing is stored if it is unchanged)."""
        try:
            guide = self.guide()
            stored, added = self._library.guides.add_edition(
                guide.slug, guide.name, guide.version, functools.partial(dump_guide, guide)
            )
        except (GuideError, LibraryError) as error:
            self._say(f"Not saved: {error.problem if isinstance(error, GuideError) else error}", error=True)
            return None
        self._version = stored.version
        if added:
            self._say(
                f"Saved {stored.name} as version {stored.version}. Interviews keep the version they used."
            )
            self.guide_saved.emit(stored.slug, stored.version)
        else:
            self._say(f"No changes since version {stored.version}; nothing to save.")
        return stored

    def duplicate(self) -> None:
        """Turn the guide being edited into a new guide of its own (a copy to customise)."""
        taken = {stored.slug for stored in self._library.guides.all()} | {self.slug.text()}
        base = (self.slug.text().strip() or "guide") + "-copy"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        self.slug.setText(slug)
        self.name.setText(f"{self.name.text().strip()} (copy)")
        self._version = 1
        self._changed()
        self._say(f"This is now a copy, {slug}: change it freely, then save.")

    def import_file(self, path: Path) -> bool:
        """Load a guide from a YAML file; a broken file is refused with its line and problem."""
        try:
            guide = load_guide_file(path)
        except GuideError as error:
            self._say(f"Not imported: {error}", error=True)
            return False
        except OSError as error:
            self._say(f"Not imported: cannot read {path}: {error.strerror or error}", error=True)
            return False
        self.load(guide)
        self._say(f"Imported {guide.name} from {path.name}; save to keep it in the library.")
        return True

    def export_file(self, path: Path) -> bool:
        try:
            path.write_text(dump_guide(self.guide()), encoding="utf-8")
        except GuideError as error:
            self._say(f"Not exported: {error.problem}", error=True)
            return False
        except OSError as error:
            self._say(f"Not exported: cannot write {path}: {error.strerror or error}", error=True)
            return False
        self._say(f"Wrote {path}.")
        return True

    def select_question(self, number: int) -> None:
        """Show the question at this 1-based position in the whole guide (as tagging numbers them)."""
        for row, section in enumerate(self._sections):
            if number <= len(section.questions):
                self.tabs.setCurrentIndex(1)
                self.sections.setCurrentRow(row)
                self.questions.setCurrentRow(number - 1)
                return
            number -= len(section.questions)

    # Reactions ----------------------------------------------------------------------------------------

    def _changed(self) -> None:
        if self._loading:
            return
        problem = self.problem()
        self.save_button.setEnabled(problem is None)
        if problem:
            self._say(f"To fix before saving: {problem}", error=True)
        else:
            self._say("")

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c5221f; font-weight: 600;" if error else "")

    def _section_chosen(self) -> None:
        section = self.sections.current_draft()
        self.section_title.setText(section.title if section else "")
        self.section_title.setEnabled(section is not None)
        self.questions.fill(section.questions if section else [], _question_label)
        self.questions.setCurrentRow(0)
        self._question_chosen()

    def _question_chosen(self) -> None:
        question = self.questions.current_draft()
        loading, self._loading = self._loading, True
        self.question_key.setText(question.key if question else "")
        self.question_text.setText(question.text if question else "")
        self.probes.setPlainText("\n".join(question.probes) if question else "")
        self._loading = loading
        for widget in (self.question_key, self.question_text, self.probes):
            widget.setEnabled(question is not None)
        self._show_hints()

    def _sections_reordered(self) -> None:
        self._sections[:] = self.sections.drafts()
        self._changed()

    def _questions_reordered(self) -> None:
        section = self.sections.current_draft()
        if section is not None:
            section.questions[:] = self.questions.drafts()
            self._changed()

    def _section_edited(self) -> None:
        section = self.sections.current_draft()
        if section is not None:
            section.title = self.section_title.text()
            self.sections.currentItem().setText(_section_label(section))
            self._changed()

    def _question_edited(self) -> None:
        question = self.questions.current_draft()
        if question is None or self._loading:
            return
        question.key = self.question_key.text()
        question.text = self.question_text.text()
        question.probes = list(_lines(self.probes.toPlainText()))
        self.questions.currentItem().setText(_question_label(question))
        self._show_hints()
        self._changed()

    def _show_hints(self) -> None:
        question = self.questions.current_draft()
        hints = hints_for(question.question()) if question else []
        self.hints.setText("\n".join(f"• {hint.message}" for hint in hints) or "No advice: this reads well.")
        # Dark text on amber in every theme: advice must stand out without looking like an error.
        self.hints.setStyleSheet(_ADVICE_STYLE if any(not hint.kind.is_gentle for hint in hints) else "")

    def _add_section(self) -> None:
        section = SectionDraft("New section", [QuestionDraft()])
        self._sections.append(section)
        self.sections.fill(self._sections, _section_label)
        self.sections.setCurrentRow(len(self._sections) - 1)
        self.section_title.setFocus()
        self.section_title.selectAll()
        self._changed()

    def _remove_section(self) -> None:
        row = self.sections.currentRow()
        if row >= 0:
            del self._sections[row]
            self.sections.fill(self._sections, _section_label)
            self.sections.setCurrentRow(min(row, len(self._sections) - 1))
            self._changed()

    def _add_question(self) -> None:
        section = self.sections.current_draft()
        if section is None:
            return
        section.questions.append(QuestionDraft())
        self.questions.fill(section.questions, _question_label)
        self.questions.setCurrentRow(len(section.questions) - 1)
        self.question_text.setFocus()
        self._changed()

    def _remove_question(self) -> None:
        section, row = self.sections.current_draft(), self.questions.currentRow()
        if section is not None and row >= 0:
            del section.questions[row]
            self.questions.fill(section.questions, _question_label)
            self.questions.setCurrentRow(min(row, len(section.questions) - 1))
            self._changed()

    def _set_tags(self, tags: list[TagDraft]) -> None:
        self._tags = tags
        row = self.tags.currentRow()
        self.tags.fill(tags, _tag_label)
        for number, tag in enumerate(tags):
            _show_colour(self.tags.item(number), tag)
        self.tags.setCurrentRow(max(row, 0) if tags else -1)
        self._changed()

    def _tags_reordered(self) -> None:
        self._tags[:] = self.tags.drafts()
        self._changed()

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
        item.setText(_tag_label(tag))
        _show_colour(item, tag)
        self._show_swatch()
        self._changed()

    def _show_swatch(self) -> None:
        colour = self.tag_colour.text()
        if _is_colour(colour):
            text = "#000000" if QColor(colour).lightness() > 140 else "#ffffff"  # readable on the swatch
            self.colour_button.setStyleSheet(f"background-color: {colour}; color: {text};")
        else:
            self.colour_button.setStyleSheet("")

    def _add_tag(self) -> None:
        self._tags.append(TagDraft("NewTag"))
        self._set_tags(self._tags)
        self.tags.setCurrentRow(len(self._tags) - 1)
        self.tag_name.setFocus()
        self.tag_name.selectAll()

    def _remove_tag(self) -> None:
        row = self.tags.currentRow()
        if row >= 0:
            del self._tags[row]
            self._set_tags(self._tags)

    def _choose_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.tag_colour.text() or NEW_TAG_COLOUR), self, "Tag colour")
        if chosen.isValid():
            self.tag_colour.setText(chosen.name())
            self._tag_edited()

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a guide", "", YAML_FILTER)
        if path:
            self.import_file(Path(path))

    def _choose_export(self) -> None:
        name = f"{self.slug.text().strip() or 'guide'}.yaml"
        path, _ = QFileDialog.getSaveFileName(self, "Export the guide", name, YAML_FILTER)
        if path:
            self.export_file(Path(path))


def _section_label(section: SectionDraft) -> str:
    return f"{section.title or '(untitled)'}  ({len(section.questions)})"


def _question_label(question: QuestionDraft) -> str:
    warn = any(not hint.kind.is_gentle for hint in hints_for(question.question()))
    return f"{'⚠ ' if warn else ''}{question.text or '(no text yet)'}  [{question.key or 'no key'}]"


def _tag_label(tag: TagDraft) -> str:
    name = tag.name or "(unnamed)"
    return f"{name} — {tag.definition}" if tag.definition else name


def _show_colour(item: QListWidgetItem, tag: TagDraft) -> None:
    """The tag's colour as the item's swatch (none while the colour is not yet a valid #rrggbb)."""
    item.setData(Qt.ItemDataRole.DecorationRole, QColor(tag.colour) if _is_colour(tag.colour) else None)


def _is_colour(text: str) -> bool:
    return len(text) == 7 and text.startswith("#") and QColor.isValidColorName(text)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _add_remove(add, remove, what: str) -> QHBoxLayout:
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
