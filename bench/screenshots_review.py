"""Screenshots of review mode (the Suggestions tab, suggested questions in the transcript) and of the Themes
view (grouped, then with its first group made a theme of the guide), light and dark, at 1366×768, in the
real window over four of the labelled corpus interviews, with the real sentence model; rendered offscreen
for a person to look at.

Three interviews have their suggested answers filed (the Themes view groups them); the fourth is left
undecided for review mode.

Run:  python bench/screenshots_review.py [OUT]   (default /work/shots/review; images are not kept in git)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QSettings
from PySide6.QtWidgets import QApplication

from app.analysis.embedder import SentenceEmbedder
from app.library import Library
from app.services.analysis import Analyst
from app.ui.settings import AppSettings
from tests.analysis.corpus import corpus_document, store_interview
from tests.ui.helpers import main_window
from tests.ui.test_screenshots import dark_palette

SIZE = (1366, 768)
FILED, REVIEWED = ("roadmap-01", "roadmap-03", "roadmap-04"), "roadmap-02"
QUESTION = "criteria"


def wait_until(condition, timeout_ms: int = 120_000) -> None:
    clock = QElapsedTimer()
    clock.start()
    while not condition():
        if clock.elapsed() > timeout_ms:
            raise TimeoutError("the window did not get there")
        QApplication.processEvents()


def build_library(root: Path) -> None:
    with Library.open(root) as library:
        analyst = Analyst(library, SentenceEmbedder())
        for name in (*FILED, REVIEWED):
            interview_id, _ = store_interview(library, corpus_document(name))
            if name in FILED:
                analyst.suggest(interview_id)
                analyst.accept(interview_id)


def shoot(root: Path, out: Path, theme: str, scratch: Path) -> list[Path]:
    settings = AppSettings(QSettings(str(scratch / f"{theme}.ini"), QSettings.Format.IniFormat))
    library = Library.open(root)
    workspace = main_window(library, settings)
    workspace.window.resize(*SIZE)
    workspace.window.show()
    reviewed = next(s.interview.id for s in library.interviews.summaries() if s.interview.title == REVIEWED)
    workspace.open_interview(reviewed)
    next(a for a in workspace.window.actions() if a.text() == "&Review suggestions").trigger()
    panel = workspace.review.panel
    wait_until(lambda: panel.list.count() > 0 and panel.message.isHidden())
    for _ in range(3):  # to an answer, so the excerpt and its question show
        panel.list.setCurrentRow(panel.list.currentRow() + 1)
    written = [out / f"review-{theme}-{SIZE[0]}x{SIZE[1]}.png"]
    for _ in range(5):
        QApplication.processEvents()  # laid out before the picture
    workspace.window.grab().save(str(written[-1]))

    workspace.views.show_view("Themes")
    themes = workspace.themes
    combo = themes.question
    combo.setCurrentIndex(next(i for i in range(combo.count()) if combo.itemData(i)[1] == QUESTION))
    themes.regroup()
    wait_until(lambda: themes.tree.topLevelItemCount() > 0 and themes.message.isHidden())
    for _ in range(5):
        QApplication.processEvents()
    written.append(out / f"themes-{theme}-{SIZE[0]}x{SIZE[1]}.png")
    workspace.window.grab().save(str(written[-1]))

    themes.tree.setCurrentItem(
        themes.tree.topLevelItem(0)
    )  # made a theme of the guide (Shift+T), then undone
    themes.make_theme_action.trigger()
    for _ in range(5):
        QApplication.processEvents()
    written.append(out / f"themes-made-a-theme-{theme}-{SIZE[0]}x{SIZE[1]}.png")
    workspace.window.grab().save(str(written[-1]))
    themes.undo_stack.undo()
    workspace.window.close()
    library.close()
    return written


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shots/review")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    light = app.palette()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "library"
        build_library(root)
        for theme, palette in (("light", light), ("dark", dark_palette())):
            app.setPalette(palette)
            for path in shoot(root, out, theme, Path(scratch)):
                print(path)


if __name__ == "__main__":
    main()
