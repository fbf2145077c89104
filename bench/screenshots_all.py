"""Every screenshot issue #14 asks for, in one run: the empty library, the demo interview with tagged quotes,
the board with six interviews, search, the queue, then the Record a call, Export pack, Settings and guide
editor dialogs over the window, and the Themes view once the window has one; in light and dark, on a
1366×768 (a small laptop) and a 1920×1080 screen.

Each screen size runs in a process of its own whose offscreen screen has that size, so a dialog that
sizes itself to the screen (or fails to) is seen as it would be on that laptop. A private PulseAudio server
with two null sinks gives the Record dialog real devices to list (skipped, with a line, where PulseAudio is
not installed). The window's views come from `bench/screenshots.py` (its library, its `shoot`), reused here.

Run:  PYTHONPATH=. EARFUL_SHARED=../shared python bench/screenshots_all.py [OUT]   (default /work/shots/all)
Images are for a person to look at (not kept in git); nothing is asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QTextBrowser

from app.library import Library
from app.ui.screen_fit import free_area
from app.ui.settings import AppSettings
from app.ui.themes_view import GROUPING
from bench.screenshots import SIZES, build_library, shoot, shoot_empty, shoot_views, wait_for
from tests.recording.pulse import PulseServer, PulseUnavailable
from tests.ui.helpers import main_window, menu_action
from tests.ui.test_screenshots import dark_palette


def _previewed(dialog: QDialog) -> bool:
    """The export dialog builds its preview on a worker thread: shot once it is there."""
    preview = dialog.findChild(QTextBrowser)
    return preview is None or bool(preview.toPlainText())


# (image name, menu, entry, ready to shoot): each dialog as a user opens it, over the demo interview.
DIALOGS = (
    ("record", "File", "Record a call…", None),
    ("export", "File", "Export pack…", _previewed),
    ("settings", "File", "Settings…", None),
    ("guide-editor", "Edit", "Guides…", None),
)
THEMES_VIEW = "Themes"


def shoot_dialog(window, action: QAction, out: Path, name: str, ready=None) -> None:
    """Trigger `action` and shoot the modal dialog it opens over the window, once `ready(dialog)`, and each
    further tab it has, then cancel it (it may run its own event loop, as `exec()` does, or return at once,
    as `open()` does)."""
    shot: list[bool] = []

    def grab() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (ready is not None and not ready(dialog)):
            QTimer.singleShot(50, grab)
            return
        shoot(window, out, name, dialog)
        tabs = dialog.findChild(QTabWidget)
        for index in range(1, tabs.count() if tabs else 0):
            tabs.setCurrentIndex(index)
            shoot(window, out, f"{name}-{tabs.tabText(index).replace('&', '').lower()}", dialog)
        screen = free_area(dialog)
        frame = dialog.frameGeometry()
        if not screen.contains(frame):
            print(
                f"  {name}: {frame.width()}×{frame.height()} at ({frame.x()},{frame.y()}) leaves the screen"
            )
        shot.append(True)
        dialog.reject()

    QTimer.singleShot(0, grab)
    action.trigger()
    wait_for(lambda: bool(shot))


def view_action(window, name: str) -> QAction | None:
    """The View menu's entry for the view `name`, if the window has that view."""
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View")
    return next((a for a in view_menu.actions() if a.text().replace("&", "") == name), None)


def shoot_dialogs(root: Path, settings: AppSettings, size: tuple[int, int], out: Path, suffix: str) -> None:
    with Library.open(root) as library:
        workspace = main_window(library, settings)
        window = workspace.window
        window.resize(*size)
        window.show()
        demo = next(s.interview.id for s in library.interviews.summaries() if "Demo" in s.interview.title)
        workspace.open_interview(demo)
        for name, menu, entry, ready in DIALOGS:
            shoot_dialog(window, menu_action(window, menu, entry), out, f"{name}-{suffix}", ready)
        view_action(window, THEMES_VIEW).trigger()
        message = workspace.themes.message  # hidden once the groups are in, else it says why there are none

        def grouping() -> bool:
            return not message.isHidden() and message.text() == GROUPING

        wait_for(lambda: not grouping(), seconds=120)  # the sentence model runs on the pool
        if grouping():
            print(f"  themes-{suffix}: still grouping after two minutes; shot as it is")
        shoot(window, out, f"themes-{suffix}")
        window.close()


def shoot_screen(out: Path, size_name: str) -> None:
    """Every image at one screen size, light then dark (this process's screen has that size)."""
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    light = app.palette()
    root = build_library(out)
    for theme, palette in (("light", light), ("dark", dark_palette())):
        app.setPalette(palette)
        suffix = f"{size_name}-{theme}"
        with tempfile.TemporaryDirectory() as folder:
            settings = AppSettings(QSettings(str(Path(folder) / "earful.ini"), QSettings.Format.IniFormat))
            shoot_empty(settings, SIZES[size_name], out, suffix)
            shoot_views(root, settings, SIZES[size_name], out, suffix)
            shoot_dialogs(root, settings, SIZES[size_name], out, suffix)
    app.setPalette(light)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    build_library(out)  # once, before the screens share it
    env = dict(os.environ)
    pulse = PulseServer(Path(tempfile.mkdtemp(prefix="earful-pulse-")))
    try:
        env.update(pulse.start().env)
    except PulseUnavailable as error:
        print(f"Record a call will list no devices: {error}")
    try:
        for size_name, (width, height) in SIZES.items():
            screen = out / f"screen-{size_name}.json"
            screen.write_text(
                json.dumps(
                    {"screens": [{"name": size_name, "width": width, "height": height, "logicalDpi": 96}]}
                )
            )
            platform = f"offscreen:configfile={screen}"
            command = [sys.executable, __file__, str(out), "--screen", size_name]
            subprocess.run(command, env={**env, "QT_QPA_PLATFORM": platform}, check=True)
    finally:
        pulse.stop()


if __name__ == "__main__":
    arguments = sys.argv[1:]
    folder = (
        Path(arguments[0]) if arguments and not arguments[0].startswith("--") else Path("/work/shots/all")
    )
    if "--screen" in arguments:
        shoot_screen(folder, arguments[arguments.index("--screen") + 1])
    else:
        main(folder)
