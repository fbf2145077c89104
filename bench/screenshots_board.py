"""Screenshots of the board page with six interviews and of the search popup over it, light and dark, at
1366×768 (a small laptop) and 1920×1080, rendered offscreen for a person to look at.

The board is shown as the window shows its pages: full width, under the window's title bar and toolbar
(the page gets the screen's height less TITLE_AND_TOOLBAR). The popup searches for a word said in three
interviews and for a meaning said in other words, with the real sentence model.

Run:  python bench/screenshots_board.py [OUT]   (default /work/shots/board; images are not kept in git)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from app.ui.board_view import BoardView
from app.ui.search_popup import SearchPopup
from app.ui.search_view import SearchView
from tests.ui.test_board_screenshots import store_six  # the tests' six tagged conversations
from tests.ui.test_screenshots import dark_palette

SIZES = ((1366, 768), (1920, 1080))
TITLE_AND_TOOLBAR = 80
SEARCHES = (("search", "price"), ("search-meaning", "staff quitting"))


def wait_for(signal, timeout_ms: int = 60_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def shoot(root: Path, out: Path, theme: str, width: int, height: int) -> list[Path]:
    page = QWidget()
    page.resize(width, height - TITLE_AND_TOOLBAR)
    board = BoardView(root)
    QVBoxLayout(page).addWidget(board)
    page.layout().setContentsMargins(0, 0, 0, 0)
    page.show()
    wait_for(board.board_shown)
    settle()
    written = [out / f"board-{theme}-{width}x{height}.png"]
    page.grab().save(str(written[-1]))
    view = SearchView(root)
    popup = SearchPopup(view, page)
    popup.open_over()
    wait_for(view.meaning_ready)
    for name, text in SEARCHES:
        view.query.setText(text)
        wait_for(view.results_shown)
        settle()
        written.append(out / f"{name}-{theme}-{width}x{height}.png")
        popup.grab().save(str(written[-1]))  # a popup is a window of its own: the page's grab leaves it out
    popup.close()
    page.close()
    page.deleteLater()
    return written


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shots/board")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    light = QPalette(app.palette())
    with tempfile.TemporaryDirectory() as folder:
        root = store_six(Path(folder) / "library")
        for theme, palette in (("light", light), ("dark", dark_palette())):
            app.setPalette(palette)
            for width, height in SIZES:
                for path in shoot(root, out, theme, width, height):
                    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
