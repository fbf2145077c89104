"""The export dialog on a real library, offscreen: preview counts, the redaction report before saving,
progress and cancel, and a clear message for a folder that cannot be written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.library import Library
from app.services.packs import redaction_terms
from app.ui.export_dialog import ExportPackDialog
from tests.export.conftest import PEOPLE, fill


@pytest.fixture
def filled(tmp_path) -> tuple[Path, list[int]]:
    root = tmp_path / "library"
    with Library.open(root) as library:
        ids = fill(library)
    return root, ids


@pytest.fixture
def dialog(qtbot, filled, tmp_path):
    root, ids = filled
    opened = ExportPackDialog(root, ids, folder=tmp_path / "out")
    qtbot.addWidget(opened)
    opened.resize(980, 640)
    opened.show()
    qtbot.waitUntil(lambda: "Answers per question" in opened._preview.toPlainText(), timeout=10_000)
    return opened


def test_the_preview_shows_the_boards_counts(dialog, filled, screenshots):
    import re

    from app.services.board import build_board
    from tests.export.conftest import GUIDE_SLUG

    text = dialog._preview.toPlainText()
    with Library.open(filled[0]) as library:
        board = build_board(library, GUIDE_SLUG)
    answers = text[text.index("Answers per question") : text.index("Themes")]
    assert re.findall(r"\d+ of \d+", answers) == [f"{row.answered} of 3" for row in board.questions]
    assert PEOPLE[0].title in text
    dialog.grab().save(str(screenshots / "pack_dialog.png"))


def test_an_anonymised_export_shows_the_report_before_anything_is_written(
    qtbot, dialog, filled, tmp_path, screenshots
):
    root, _ids = filled
    dialog._anonymise.setChecked(True)
    dialog._terms.setPlainText("night shift\n")
    dialog._formats["csv"].setChecked(True)
    qtbot.mouseClick(dialog._export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog._export.text() == "Save", timeout=10_000)
    report = dialog._preview.toPlainText()
    assert "Redacted" in report and "night shift" in report and PEOPLE[0].customer_name in report
    assert not (tmp_path / "out").exists(), "nothing is written before Save"
    with Library.open(root) as library:
        assert redaction_terms(library) == ["night shift"]
    dialog.grab().save(str(screenshots / "pack_dialog_report.png"))

    with qtbot.waitSignal(dialog.exported, timeout=60_000) as saved:
        qtbot.mouseClick(dialog._export, Qt.MouseButton.LeftButton)
    names = sorted(path.suffix for path in saved.args[0])
    assert names == [".csv", ".docx", ".html", ".pdf"]
    assert (
        "night shift"
        not in (tmp_path / "out" / f"{saved.args[0][0].stem}.html").read_text(encoding="utf-8").lower()
    )
    assert dialog._status.text().startswith("Saved 4 files")


def test_cancel_while_writing_leaves_nothing(qtbot, dialog, tmp_path):
    dialog._contents["clips"].setChecked(True)
    for key, box in dialog._formats.items():
        box.setChecked(key in ("html", "docx"))
    qtbot.mouseClick(dialog._export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog._cancel_button.text() == "Cancel" and dialog._thread is not None, timeout=10_000
    )
    qtbot.mouseClick(dialog._cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog._cancel_button.text() == "Close", timeout=30_000)
    assert dialog._status.text() == "Cancelled; nothing was written."
    assert not any(p.is_file() for p in (tmp_path / "out").rglob("*"))


def test_a_folder_that_cannot_be_written_is_explained(qtbot, dialog, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dialog._folder.setText(str(blocker / "pack"))
    qtbot.mouseClick(dialog._export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Could not write" in dialog._status.text(), timeout=30_000)
    assert dialog._export.isEnabled()


def test_interview_notes_are_off_by_default_and_cannot_go_into_an_anonymised_pack(qtbot, dialog):
    notes = dialog._contents["notes"]
    assert notes.text().startswith("Include interview notes") and not notes.isChecked()
    qtbot.mouseClick(notes, Qt.MouseButton.LeftButton)
    assert notes.isChecked() and dialog._choices().request.contents.notes
    qtbot.mouseClick(dialog._anonymise, Qt.MouseButton.LeftButton)
    assert not notes.isEnabled() and not notes.isChecked()
    assert not dialog._choices().request.contents.notes
    qtbot.mouseClick(dialog._anonymise, Qt.MouseButton.LeftButton)
    assert notes.isEnabled() and not notes.isChecked(), "ticked again only by the user"


def answer_next_question(button) -> list[str]:
    """Click `button` on the next message box that opens; returns [its text] once it has."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, answer)
    return seen


def test_exporting_again_asks_before_replacing_the_earlier_files(qtbot, dialog, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    for key, box in dialog._formats.items():
        box.setChecked(key == "md")
    with qtbot.waitSignal(dialog.exported, timeout=30_000) as first:
        qtbot.mouseClick(dialog._export, Qt.MouseButton.LeftButton)
    [written] = first.args[0]
    written.write_text("edited since", encoding="utf-8")

    asked = answer_next_question(QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog._export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    qtbot.waitUntil(lambda: "Nothing was written" in dialog._status.text(), timeout=10_000)
    assert written.name in asked[0]
    assert written.read_text(encoding="utf-8") == "edited since"

    asked = answer_next_question(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        qtbot.mouseClick(dialog._export, Qt.MouseButton.LeftButton)
    assert asked and written.read_text(encoding="utf-8") != "edited since"
