"""Preferences: the library's transcription options and where the library lives."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.library import Library, LibraryError
from app.services.transcribing import library_options, save_library_options
from app.transcription.models import (
    BUNDLED_MODEL,
    PACKAGED_MODELS,
    ModelError,
    check_model_folder,
    download_model,
)
from app.ui.settings import AUTO_TRANSCRIBE, AppSettings
from app.ui.tasks import run_task

LANGUAGES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "": "Detect automatically",
}


class _DownloadSignals(QObject):
    progress = Signal(int, int)


class SettingsDialog(QDialog):
    """Changes apply on OK. The model download is the only network use in Earful, and only on request."""

    def __init__(self, library: Library, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Earful Settings")
        self.setMinimumWidth(560)
        self._library = library
        self._settings = settings
        self._download_cancel = threading.Event()
        self._download_signals = _DownloadSignals(self)
        self._download_signals.progress.connect(self._show_download_progress)
        options = library_options(library)

        self.model = QComboBox()
        self.model.addItem(f"{BUNDLED_MODEL} — bundled, English only", BUNDLED_MODEL)
        for name, packaged in PACKAGED_MODELS.items():
            if packaged.installed():
                self.model.addItem(f"{name} — installed package, many languages", name)
        self.model.addItem("A model folder on this computer…", "folder")
        self.folder = QLineEdit()
        self.folder.setPlaceholderText("Folder with model.bin, config.json, tokenizer.json")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse_model)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        self.folder_row = QWidget()
        self.folder_row.setLayout(folder_row)
        folder_row.setContentsMargins(0, 0, 0, 0)
        self._select_model(options.model)
        self.model.currentIndexChanged.connect(self._model_kind_changed)

        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(self.language.findData(options.language or ""), 0))
        self.beam = QSpinBox()
        self.beam.setRange(1, 10)
        self.beam.setValue(options.beam_size)
        self.beam.setToolTip(
            "How many wordings Whisper weighs at each step (its beam size): higher is slower, a little more "
            "accurate"
        )
        self.vad = QCheckBox("Skip silence")
        self.vad.setToolTip(
            "Leave out stretches without speech before transcribing (voice activity detection)"
        )
        self.vad.setChecked(options.vad_filter)
        self.vocabulary = QLineEdit(options.vocabulary or "")
        self.vocabulary.setPlaceholderText("Product and company names, e.g. Tallyline, Northwind Freight")
        self.auto = QCheckBox("Transcribe new recordings automatically")
        self.auto.setChecked(settings.get(AUTO_TRANSCRIBE))

        transcription = QGroupBox("Transcription (saved in this library)")
        form = QFormLayout(transcription)
        form.addRow("Model", self.model)
        form.addRow("", self.folder_row)
        form.addRow("Language", self.language)
        form.addRow("Names to expect", self.vocabulary)
        form.addRow("", self.auto)
        self.show_advanced = QToolButton(text="Advanced options", checkable=True)
        self.show_advanced.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.show_advanced.setArrowType(Qt.ArrowType.RightArrow)
        self.show_advanced.setAutoRaise(True)
        self.advanced = QWidget()
        advanced = QFormLayout(self.advanced)
        advanced.setContentsMargins(0, 0, 0, 0)
        advanced.addRow("Thoroughness", self.beam)
        advanced.addRow("", self.vad)
        self.advanced.setVisible(False)
        self.show_advanced.toggled.connect(self._fold_advanced)
        form.addRow(self.show_advanced)
        form.addRow(self.advanced)

        download = QGroupBox("Download a model (uses the internet)")
        download_layout = QFormLayout(download)
        note = QLabel(
            "This is the only thing in Earful that connects to the internet, and only when you press "
            "Download. Names: tiny, base, small, medium, large-v3, distil-large-v3 …"
        )
        note.setWordWrap(True)
        self.download_name = QLineEdit()
        self.download_name.setPlaceholderText("e.g. small")
        self.download_button = QPushButton("Download")
        self.download_button.clicked.connect(self._toggle_download)
        self.download_progress = QProgressBar()
        self.download_progress.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.download_name)
        row.addWidget(self.download_button)
        download_layout.addRow(note)
        download_layout.addRow("Model name", row)
        download_layout.addRow(self.download_progress)

        place = QGroupBox("Library")
        place_layout = QFormLayout(place)
        place_layout.addRow("Folder", QLabel(str(library.root)))

        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (transcription, download, place, self.error, buttons):
            layout.addWidget(widget)
        self._model_kind_changed()

    def chosen_options(self) -> dict:
        model = self.model.currentData()
        if model == "folder":
            model = self.folder.text().strip()
        return {
            "model": model,
            "language": self.language.currentData() or None,
            "beam_size": self.beam.value(),
            "vad_filter": self.vad.isChecked(),
            "vocabulary": self.vocabulary.text().strip() or None,
        }

    def accept(self) -> None:
        chosen = self.chosen_options()
        try:
            if self.model.currentData() == "folder":
                check_model_folder(Path(chosen["model"]))
            save_library_options(self._library, chosen, check_model=True)
        except (ModelError, LibraryError) as error:
            self.error.setText(str(error))
            return
        self._settings.set(AUTO_TRANSCRIBE, self.auto.isChecked())
        self._download_cancel.set()
        super().accept()

    def reject(self) -> None:
        self._download_cancel.set()
        super().reject()

    def _select_model(self, model: str) -> None:
        index = self.model.findData(model)
        if index >= 0:
            self.model.setCurrentIndex(index)
        else:
            self.model.setCurrentIndex(self.model.findData("folder"))
            self.folder.setText(model)

    def _fold_advanced(self, shown: bool) -> None:
        """Options a marketer rarely needs stay folded away until asked for."""
        self.advanced.setVisible(shown)
        self.show_advanced.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _model_kind_changed(self) -> None:
        self.folder_row.setVisible(self.model.currentData() == "folder")

    def _browse_model(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Choose a faster-whisper model folder")
        if folder:
            self.folder.setText(folder)

    def _toggle_download(self) -> None:
        if self.download_progress.isVisible():
            self._download_cancel.set()
            return
        name = self.download_name.text().strip()
        if not name:
            self.error.setText("Type the name of the model to download.")
            return
        self._download_cancel.clear()
        self.download_progress.setVisible(True)
        self.download_progress.setRange(0, 0)
        self.download_button.setText("Cancel download")
        signals, cancel = self._download_signals, self._download_cancel

        def report(done: int, total: int) -> None:
            if cancel.is_set():
                raise ModelError("Download cancelled.")
            signals.progress.emit(done, total)

        run_task(
            lambda: download_model(name, on_progress=report),
            self._downloaded,
            self._download_failed,
            owner=self,
        )

    def _show_download_progress(self, done: int, total: int) -> None:
        if total:
            self.download_progress.setRange(0, 1000)
            self.download_progress.setValue(round(done * 1000 / total))

    def _downloaded(self, model) -> None:
        self._download_finished()
        self.model.addItem(f"{model.name} — downloaded", model.name)
        self.model.setCurrentIndex(self.model.count() - 1)
        self.error.setText("")

    def _download_failed(self, error: BaseException) -> None:
        self._download_finished()
        self.error.setText(str(error))

    def _download_finished(self) -> None:
        self.download_progress.setVisible(False)
        self.download_button.setText("Download")
        self.download_button.setEnabled(True)
