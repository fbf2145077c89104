"""The window's menu bar and toolbar: every command a user can reach, with its shortcut and icon.

The commands themselves are given as callables (`Commands`); this module only says where each is found
and how it is called up, so the menus can be read in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QSizePolicy, QToolBar, QWidget

from app.ui.icons import icon

SKIP_MS = 5000
TOOLBAR_ICON_PX = 20
Slot = Callable[[], object]


@dataclass(frozen=True)
class Commands:
    import_recordings: Slot
    record_call: Slot
    export_pack: Slot
    choose_library: Slot
    open_library_folder: Slot
    settings: Slot
    quit: Slot
    find_in_transcript: Slot
    guides: Slot
    search: Slot
    review_suggestions: Slot
    show_queue: Slot
    play_pause: Slot
    skip: Callable[[int], object]
    transcribe: Slot
    transcribe_again: Slot
    cancel: Slot
    welcome: Slot
    about: Slot


@dataclass(frozen=True)
class WindowActions:
    """The actions other parts of the window enable, trigger or show elsewhere."""

    import_recordings: QAction
    record_call: QAction
    search: QAction
    undo: QAction
    redo: QAction


def build_menus(
    window: QMainWindow,
    commands: Commands,
    undo_redo: tuple[QAction, QAction],
    speakers_menu: QMenu,
    views: list[QAction],
) -> WindowActions:
    """Fill `window`'s menu bar and toolbar. `views` are the view switcher's actions (Interview, Board,
    Themes)."""

    def action(
        text: str, slot: Slot, shortcut=None, menu: QMenu | None = None, icon_name: str = ""
    ) -> QAction:
        created = QAction(text, window)
        created.triggered.connect(slot)
        if icon_name:
            created.setIcon(icon(icon_name))
        if shortcut is not None:
            keys = [QKeySequence(key) for key in (shortcut if isinstance(shortcut, list) else [shortcut])]
            # A platform's standard key may be the literal one too (Quit is Ctrl+Q on Linux): the same key
            # twice on one action is an "ambiguous shortcut" that Qt ignores.
            unique = {key.toString(): key for key in keys if not key.isEmpty()}
            created.setShortcuts(list(unique.values()))
        if menu is not None:
            menu.addAction(created)
        window.addAction(created)
        return created

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    import_recordings = action(
        "&Import recordings…", commands.import_recordings, QKeySequence.StandardKey.Open, file_menu, "import"
    )
    record_call = action("&Record a call…", commands.record_call, "Ctrl+R", file_menu, "record")
    export_pack = action("Export &pack…", commands.export_pack, "Ctrl+Shift+E", file_menu, "export")
    action("Open another &library…", commands.choose_library, None, file_menu)
    action("Open library &folder", commands.open_library_folder, None, file_menu)
    file_menu.addSeparator()
    action("&Settings…", commands.settings, [QKeySequence.StandardKey.Preferences, "Ctrl+,"], file_menu)
    file_menu.addSeparator()
    action("&Quit", commands.quit, [QKeySequence.StandardKey.Quit, "Ctrl+Q"], file_menu)

    edit_menu = bar.addMenu("&Edit")
    undo, redo = undo_redo
    edit_menu.addActions([undo, redo])
    edit_menu.addSeparator()
    action("&Find in transcript", commands.find_in_transcript, QKeySequence.StandardKey.Find, edit_menu)
    edit_menu.addSeparator()
    edit_menu.addMenu(speakers_menu)
    action("&Guides…", commands.guides, "Ctrl+G", edit_menu)

    view_menu = bar.addMenu("&View")
    for view in views:
        view_menu.addAction(view)
        window.addAction(view)
    view_menu.addSeparator()
    search = action("&Search all interviews", commands.search, "Ctrl+Shift+F", view_menu, "search")
    review = action(
        "&Review suggestions", commands.review_suggestions, "Ctrl+Shift+R", view_menu, "suggestions"
    )
    review.setToolTip("Walk the guide's suggested questions and answers in this interview (Ctrl+Shift+R)")
    action("Transcription &queue", commands.show_queue, None, view_menu)

    play_menu = bar.addMenu("&Playback")
    action("&Play / pause", commands.play_pause, QKeySequence(Qt.Key.Key_Space), play_menu)
    action("&Back 5 seconds", lambda: commands.skip(-SKIP_MS), QKeySequence(Qt.Key.Key_Left), play_menu)
    action("&Forward 5 seconds", lambda: commands.skip(SKIP_MS), QKeySequence(Qt.Key.Key_Right), play_menu)

    transcribe_menu = bar.addMenu("&Transcription")
    transcribe = action("&Transcribe", commands.transcribe, "Ctrl+T", transcribe_menu, "transcribe")
    action("Transcribe &again", commands.transcribe_again, None, transcribe_menu)
    action("&Cancel", commands.cancel, None, transcribe_menu)

    help_menu = bar.addMenu("&Help")
    action("&Welcome", commands.welcome, None, help_menu)
    action("&About Earful", commands.about, None, help_menu)

    for created, short in (
        (import_recordings, "Import"),
        (record_call, "Record a call"),
        (transcribe, "Transcribe"),
        (export_pack, "Export pack"),
        (search, "Search"),
        (review, "Suggestions"),
    ):
        created.setIconText(short)  # the toolbar's words; the menus keep the full ones
    _toolbar(window, [import_recordings, record_call, transcribe, export_pack, review], views, search)
    return WindowActions(import_recordings, record_call, search, undo, redo)


def _toolbar(window: QMainWindow, commands: list[QAction], views: list[QAction], search: QAction) -> QToolBar:
    """Icons with words beside them (a marketer should not have to hover to learn what a button does); the
    views and search on the right, apart from the commands."""
    toolbar = QToolBar("Main", window)
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setFloatable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setIconSize(QSize(TOOLBAR_ICON_PX, TOOLBAR_ICON_PX))
    toolbar.addActions(commands)
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    toolbar.addActions([*views, search])
    window.addToolBar(toolbar)
    return toolbar
