"""The guide editor: what the interviewer will say (consent, sections, questions, probes) and the tags
quotes are filed under, with advice on question wording as it is typed.

The editor works on a `GuideDraft` (`app/guides/drafts.py`), turned into a `Guide` through the same YAML
loader as a file, so the editor can never save a guide a file could not hold, and its messages are the
loader's. Saving adds a new version to the library (`Tagger.save_guide`), never changing a stored
one: interviews keep the wording their quotes were tagged with. Built-in guides can be duplicated first, so
a customised copy lives beside the original.

Lists reorder by drag and drop, or from the keyboard with Alt+Up / Alt+Down.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.guides import Guide, GuideError, dump_guide, hints_for, load_guide_file
from app.guides.drafts import GuideDraft, QuestionDraft, SectionDraft, lines
from app.library import Library, LibraryError
from app.library.guides import StoredGuide
from app.services.tagging import Tagger
from app.ui.draft_list import DraftList
from app.ui.guide_tags import TagsPage, add_remove, heading
from app.ui.screen_fit import resize_to_fit

YAML_FILTER = "Interview guides (*.yaml *.yml);;All files (*)"
_ADVICE_STYLE = (
    "background: #fff4ce; color: #3d2e00; border: 1px solid #e0b400; border-radius: 4px; padding: 6px;"
)


class GuideEditor(QDialog):
    """Edit one guide and save it as a new version in the library."""

    guide_saved = Signal(str, int)
    """(slug, version) of the version just stored."""

    def __init__(self, library: Library, guide: Guide, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._draft = GuideDraft()
        self._loading = False

        self.tabs = QTabWidget()
        self.tabs.addTab(self._about_tab(), "&About")
        self.tabs.addTab(self._questions_tab(), "&Questions")
        self.tags_page = TagsPage()
        self.tags_page.changed.connect(self._changed)
        self.tabs.addTab(self.tags_page, "&Tags")
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
        resize_to_fit(self, 1000, 720)
        self.load(guide)

    # Building ---------------------------------------------------------------------------------------

    def _about_tab(self) -> QWidget:
        self.name = QLineEdit()
        self.slug = QLineEdit()
        self.slug.setPlaceholderText("one word or two joined by dashes, e.g. recent-buyer")
        self.slug.setToolTip("How the guide is named in files and on the command line")
        self.purpose = QPlainTextEdit()
        self.participants = QPlainTextEdit()
        self.consent = QPlainTextEdit()
        self.consent.setPlaceholderText("Read out at the start of the call to ask permission to record")
        self.universal_probes = QPlainTextEdit()
        self.universal_probes.setPlaceholderText("One per line, e.g. Why was that?")
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("&Name", self.name)
        form.addRow("&Short name", self.slug)
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
        self.question_key.setPlaceholderText(
            "one word, e.g. trigger (keep it once quotes are filed under it)"
        )
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
        grid.addWidget(heading("Sections"), 0, 0)
        grid.addWidget(heading("Questions in this section"), 0, 1)
        grid.addWidget(self.sections, 1, 0)
        grid.addWidget(self.questions, 1, 1)
        grid.addLayout(add_remove(self._add_section, self._remove_section, "section"), 2, 0)
        grid.addLayout(add_remove(self._add_question, self._remove_question, "question"), 2, 1)
        form = QFormLayout()
        form.addRow("Section &title", self.section_title)
        form.addRow("Short &label", self.question_key)
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

    # Public operations --------------------------------------------------------------------------------

    def load(self, guide: Guide) -> None:
        """Show `guide` for editing (replacing whatever was being edited)."""
        self._loading = True
        self._draft = draft = GuideDraft.of(guide)
        self.setWindowTitle(f"Guide editor — {guide.name}")
        self._show_header()
        self.sections.fill(draft.sections)
        self.tags_page.show_tags(draft.tags)
        self._loading = False
        self.sections.setCurrentRow(0)
        self.tags_page.tags.setCurrentRow(0)
        self._changed()

    def guide(self) -> Guide:
        """The guide as edited, checked by the YAML loader; GuideError names the problem."""
        return self._edited().guide()

    def problem(self) -> str | None:
        """What stops the guide being saved, in the loader's words, or None."""
        return self._edited().problem()

    def save(self) -> StoredGuide | None:
        """Store the guide as a new version in the library (nothing is stored if it is unchanged)."""
        try:
            guide = self.guide()
            stored, added = Tagger(self._library).save_guide(guide)
        except (GuideError, LibraryError) as error:
            self._say(f"Not saved: {error.problem if isinstance(error, GuideError) else error}", error=True)
            return None
        self._draft.version = stored.version
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
        slug = self._edited().make_copy({stored.slug for stored in self._library.guides.all()})
        self._show_header()
        self._changed()
        self._say(f"This is now a copy, short name “{slug}”: change it freely, then save.")

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
        position = self._draft.question_position(number)
        if position is not None:
            self.tabs.setCurrentIndex(1)
            self.sections.setCurrentRow(position[0])
            self.questions.setCurrentRow(position[1])

    def _show_header(self) -> None:
        draft = self._draft
        self.name.setText(draft.name)
        self.slug.setText(draft.slug)
        self.purpose.setPlainText(draft.purpose)
        self.participants.setPlainText(draft.participants)
        self.consent.setPlainText(draft.consent)
        self.universal_probes.setPlainText(draft.universal_probes)

    def _edited(self) -> GuideDraft:
        """The draft with the About tab's fields as typed (the lists keep the draft up to date as edited)."""
        draft = self._draft
        draft.name, draft.slug = self.name.text(), self.slug.text()
        draft.purpose, draft.participants = self.purpose.toPlainText(), self.participants.toPlainText()
        draft.consent, draft.universal_probes = (
            self.consent.toPlainText(),
            self.universal_probes.toPlainText(),
        )
        return draft

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
        self.questions.fill(section.questions if section else [])
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
        self._draft.sections[:] = self.sections.drafts()
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
            self.sections.currentItem().setText(section.label())
            self._changed()

    def _question_edited(self) -> None:
        question = self.questions.current_draft()
        if question is None or self._loading:
            return
        question.key = self.question_key.text()
        question.text = self.question_text.text()
        question.probes = list(lines(self.probes.toPlainText()))
        self.questions.currentItem().setText(question.label())
        self._show_hints()
        self._changed()

    def _show_hints(self) -> None:
        question = self.questions.current_draft()
        hints = hints_for(question.question()) if question else []
        self.hints.setText("\n".join(f"• {hint.message}" for hint in hints) or "No advice: this reads well.")
        # Dark text on amber in every theme: advice must stand out without looking like an error.
        self.hints.setStyleSheet(_ADVICE_STYLE if any(not hint.kind.is_gentle for hint in hints) else "")

    def _add_section(self) -> None:
        sections = self._draft.sections
        sections.append(SectionDraft("New section", [QuestionDraft()]))
        self.sections.fill(sections)
        self.sections.setCurrentRow(len(sections) - 1)
        self.section_title.setFocus()
        self.section_title.selectAll()
        self._changed()

    def _remove_section(self) -> None:
        row = self.sections.currentRow()
        sections = self._draft.sections
        if row >= 0:
            del sections[row]
            self.sections.fill(sections)
            self.sections.setCurrentRow(min(row, len(sections) - 1))
            self._changed()

    def _add_question(self) -> None:
        section = self.sections.current_draft()
        if section is None:
            return
        section.questions.append(QuestionDraft())
        self.questions.fill(section.questions)
        self.questions.setCurrentRow(len(section.questions) - 1)
        self.question_text.setFocus()
        self._changed()

    def _remove_question(self) -> None:
        section, row = self.sections.current_draft(), self.questions.currentRow()
        if section is not None and row >= 0:
            del section.questions[row]
            self.questions.fill(section.questions)
            self.questions.setCurrentRow(min(row, len(section.questions) - 1))
            self._changed()

    def _choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a guide", "", YAML_FILTER)
        if path:
            self.import_file(Path(path))

    def _choose_export(self) -> None:
        name = f"{self.slug.text().strip() or 'guide'}.yaml"
        path, _ = QFileDialog.getSaveFileName(self, "Export the guide", name, YAML_FILTER)
        if path:
            self.export_file(Path(path))
