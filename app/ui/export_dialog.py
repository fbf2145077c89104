"""Export a conversation pack: choose what goes in, anonymise, pick formats, review, save.

The dialog owns no library connection: building the pack runs on the thread pool with a connection of its
own (`tasks.run_query`, newest preview winning), and writing it runs on a plain thread whose progress is data — an `ExportProgress` value
read by a timer and a cancel `Event` (STYLE habit 3). An anonymised pack is built first and its redaction
report shown; only "Save" writes anything.
"""

from __future__ import annotations

import html
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.domain.wording import counted
from app.export.pack.formats import FORMATS
from app.export.pack.model import Pack, PackContents
from app.export.pack.writer import (
    ExportCancelled,
    ExportError,
    ExportProgress,
    existing_files,
    export_pack,
)
from app.services.packs import PackRequest, build_pack, redaction_terms, set_redaction_terms
from app.ui.tasks import LatestQuery, run_in_library, run_query

if TYPE_CHECKING:
    from app.library import Library

DEFAULT_FORMATS = ("html", "pdf", "docx")
_POLL_MS = 100


@dataclass(frozen=True, slots=True)
class _Choices:
    request: PackRequest
    terms: list[str]
    formats: list[str]
    folder: Path


class ExportPackDialog(QDialog):
    exported = Signal(list)
    """The files written (list of Path), once a pack is saved."""

    def __init__(
        self,
        library_root: Path,
        interview_ids: list[int],
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export conversation pack")
        self._root = Path(library_root)
        self._ids = tuple(interview_ids)
        self._pack: Pack | None = None
        self._cancel = threading.Event()
        self._progress: ExportProgress | None = None
        self._outcome: tuple[str, object] | None = None
        self._thread: threading.Thread | None = None
        self._previews = LatestQuery(self._root, owner=self)  # a preview for older choices is dropped

        self._build_widgets(folder or Path.home())
        self._poll = QTimer(self, interval=_POLL_MS, timeout=self._poll_export)
        self._refresh = QTimer(self, singleShot=True, interval=250, timeout=self._update_preview)
        for box in (*self._contents.values(), self._anonymise):
            box.toggled.connect(self._choices_changed)
        self._terms.textChanged.connect(self._choices_changed)
        self._title.textChanged.connect(self._choices_changed)
        run_query(self._root, redaction_terms, self._show_terms, owner=self)

    # Layout ----------------------------------------------------------------------------------------

    def _build_widgets(self, folder: Path) -> None:
        count = len(self._ids)
        self._heading = QLabel(f"<b>{counted(count, 'conversation')}</b> selected")
        self._title = QLineEdit(placeholderText="Title (default: the guide and the number of conversations)")

        contents = QGroupBox("Include")
        labels = {
            "summary": "Summary: answers per question",
            "quotes": "Quotes under each question and theme",
            "transcripts": "Every conversation in full",
            "clips": "Audio clips of the quotes (web page)",
            "notes": "Include interview notes (private; never in an anonymised pack)",
        }
        self._contents = {key: QCheckBox(text, checked=key != "notes") for key, text in labels.items()}
        column = QVBoxLayout(contents)
        for box in self._contents.values():
            column.addWidget(box)

        privacy = QGroupBox("Anonymise")
        self._anonymise = QCheckBox(
            "Describe people by role and segment; hide names, companies, emails, phones"
        )
        self._terms = QPlainTextEdit(
            placeholderText="More terms to redact, one per line (people mentioned, product codes)"
        )
        self._terms.setMaximumHeight(80)
        self._terms.setEnabled(False)
        self._anonymise.toggled.connect(self._terms.setEnabled)
        self._anonymise.toggled.connect(self._notes_allowed)
        column = QVBoxLayout(privacy)
        column.addWidget(self._anonymise)
        column.addWidget(self._terms)

        formats = QGroupBox("Formats")
        self._formats = {
            key: QCheckBox(f.label, checked=key in DEFAULT_FORMATS) for key, f in FORMATS.items()
        }
        grid = QGridLayout(formats)
        for n, box in enumerate(self._formats.values()):
            grid.addWidget(box, n // 2, n % 2)

        self._folder = QLineEdit(str(folder))
        browse = QPushButton("Choose…", clicked=self._choose_folder)
        where = QHBoxLayout()
        where.addWidget(QLabel("Save to"))
        where.addWidget(self._folder, 1)
        where.addWidget(browse)

        self._preview = QTextBrowser(openLinks=False)
        self._preview.setMinimumWidth(320)
        self._status = QLabel(wordWrap=True)
        self._bar = QProgressBar(visible=False, maximum=1000, textVisible=False)
        self._export = QPushButton("Export…", default=True, clicked=self._start)
        self._cancel_button = QPushButton("Close", clicked=self._cancel_or_close)

        left = QVBoxLayout()
        for widget in (self._heading, self._title, contents, privacy, formats):
            left.addWidget(widget)
        left.addLayout(where)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Preview</b>"))
        right.addWidget(self._preview, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self._status, 1)
        buttons.addWidget(self._cancel_button)
        buttons.addWidget(self._export)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(self._bar)
        outer.addLayout(buttons)

    # Choices and preview ---------------------------------------------------------------------------

    def _notes_allowed(self, anonymised: bool) -> None:
        """An anonymised pack never shows interview notes (`shows_interview_notes`): the box says so."""
        notes = self._contents["notes"]
        if anonymised:
            notes.setChecked(False)
        notes.setEnabled(not anonymised)

    def _show_terms(self, terms: list[str]) -> None:
        self._terms.setPlainText("\n".join(terms))
        self._update_preview()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Save the pack in", self._folder.text())
        if chosen:
            self._folder.setText(chosen)

    def _choices(self) -> _Choices:
        contents = PackContents(**{key: box.isChecked() for key, box in self._contents.items()})
        request = PackRequest(
            self._ids,
            contents,
            anonymise=self._anonymise.isChecked(),
            title=self._title.text().strip() or None,
        )
        terms = self._terms.toPlainText().splitlines()
        formats = [key for key, box in self._formats.items() if box.isChecked()]
        return _Choices(request, terms, formats, Path(self._folder.text().strip()).expanduser())

    def _choices_changed(self) -> None:
        self._pack = None  # a reviewed pack no longer matches; the next Export builds and shows it again
        self._export.setText("Export…")
        self._refresh.start()

    def _update_preview(self) -> None:
        request = self._choices().request
        self._previews.run(
            lambda library: build_pack(library, request),
            lambda pack: self._preview.setHtml(preview_html(pack)),
            self._show_error,
        )

    # Export ----------------------------------------------------------------------------------------

    def _start(self) -> None:
        choices = self._choices()
        if not choices.formats:
            self._show_error(ValueError("Choose at least one format."))
            return
        if self._pack is not None:  # reviewed: save exactly what the report described
            self._write(self._pack, choices)
            return
        self._set_busy(True, "Preparing the pack…")
        # Only an anonymised pack writes (its redaction terms, remembered for next time); others only read.
        build_on = run_in_library if choices.request.anonymise else run_query
        build_on(
            self._root,
            lambda library: _build(library, choices),
            lambda pack: self._built(pack, choices),
            self._failed,
            owner=self,
        )

    def _built(self, pack: Pack, choices: _Choices) -> None:
        self._set_busy(False)
        self._preview.setHtml(preview_html(pack))
        if pack.anonymised:
            self._pack = pack
            self._export.setText("Save")
            self._status.setText(f"Check what was redacted (in the preview), then Save. {_report_line(pack)}")
            return
        self._write(pack, choices)

    def _write(self, pack: Pack, choices: _Choices) -> None:
        try:
            existing = existing_files(pack, choices.folder, pack.title, choices.formats)
        except ExportError as error:  # a link out of the folder, an unknown format: said, nothing written
            self._show_error(error)
            return
        if existing and not self._replace(existing, choices.folder):
            self._status.setText("Nothing was written: choose another folder or title to keep both.")
            return
        self._cancel.clear()
        self._progress, self._outcome = None, None
        self._set_busy(True, "Writing…")

        def work() -> None:
            try:
                files = export_pack(
                    pack,
                    choices.folder,
                    pack.title,
                    choices.formats,
                    self._store_progress,
                    self._cancel,
                    overwrite=bool(existing),
                )
                self._outcome = ("done", files)
            except ExportCancelled:
                self._outcome = ("cancelled", None)
            except Exception as error:  # shown to the user; the writer left nothing behind
                self._outcome = ("failed", error)

        self._thread = threading.Thread(target=work, name="export-pack", daemon=True)
        self._thread.start()
        self._poll.start()

    def _replace(self, existing: list[Path], folder: Path) -> bool:
        """Ask before replacing the files of an earlier export; No is the default."""
        names = "\n".join(path.relative_to(folder).as_posix() for path in existing[:8])
        more = f"\n… and {len(existing) - 8} more" if len(existing) > 8 else ""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the earlier export?",
            f"{folder} already holds {counted(len(existing), 'file')} of this pack:\n\n{names}{more}"
            "\n\nReplace them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Replace")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _store_progress(self, progress: ExportProgress) -> None:
        """On the export thread: only stores a value the GUI thread reads."""
        self._progress = progress

    def _poll_export(self) -> None:
        progress = self._progress
        if progress is not None:
            self._bar.setValue(round(progress.fraction * 1000))
            self._status.setText(progress.step)
        if self._outcome is None:
            return
        self._poll.stop()
        self._thread.join()
        kind, value = self._outcome
        self._pack = None
        self._export.setText("Export…")
        self._set_busy(False)
        if kind == "done":
            self._status.setText(f"Saved {counted(len(value), 'file')} in {self._folder.text()}.")
            self.exported.emit(value)
        elif kind == "cancelled":
            self._status.setText("Cancelled; nothing was written.")
        else:
            self._show_error(value)

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        self._show_error(error)

    def _cancel_or_close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._cancel.set()
            self._status.setText("Cancelling…")
        else:
            self.reject()

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._bar.setVisible(busy)
        self._bar.setValue(0)
        self._export.setEnabled(not busy)
        self._cancel_button.setText("Cancel" if busy else "Close")
        if message:
            self._status.setText(message)

    def _show_error(self, error: Exception) -> None:
        self._status.setText(f"<span style='color:#b3261e'>{html.escape(str(error))}</span>")

    def reject(self) -> None:
        self._refresh.stop()
        self._previews.drop()  # a preview still being built is dropped when it arrives
        self._cancel.set()
        if self._thread is not None:
            self._thread.join()
        super().reject()


def _build(library: Library, choices: _Choices) -> Pack:
    """On a pool thread: the pack to save; an anonymised one remembers its redaction terms for next time."""
    if choices.request.anonymise:
        set_redaction_terms(library, choices.terms)
    return build_pack(library, choices.request)


def _report_line(pack: Pack) -> str:
    total = sum(pack.redactions.values())
    return f"{counted(total, 'replacement')}." if total else "Nothing else needed redacting."


def preview_html(pack: Pack) -> str:
    """The summary as the pack will show it (counts per question and theme), and the redaction report."""
    e = html.escape
    parts = [
        f"<h3>{e(pack.title)}</h3>",
        f"<p>{counted(len(pack.interviews), 'conversation')} · {counted(len(pack.quotes), 'quote')}</p>",
    ]
    if pack.anonymised:
        parts.append("<p><b>Redacted</b></p>")
        if pack.redactions:
            rows = "".join(
                f"<tr><td>{e(label)}</td><td align='right'>{n}</td></tr>"
                for label, n in pack.redactions.items()
            )
            parts.append(f"<table cellpadding='2'>{rows}</table>")
        else:
            parts.append("<p>Nothing beyond names in the interviews' details.</p>")
    if pack.questions:
        rows = "".join(
            f"<tr><td>{row.number}. {e(row.label)}</td><td align='right'><b>{row.headline}</b></td></tr>"
            for row in pack.questions
        )
        parts.append(f"<p><b>Answers per question</b></p><table cellpadding='2' width='100%'>{rows}</table>")
    if pack.themes:
        themes = " · ".join(f"{e(row.label)} {row.headline}" for row in pack.themes)
        parts.append(f"<p><b>Themes</b><br>{themes}</p>")
    parts.append(
        "<p><b>Conversations</b><br>"
        + "<br>".join(f"{i.number}. {e(i.heading)}" for i in pack.interviews)
        + "</p>"
    )
    return "".join(parts)
