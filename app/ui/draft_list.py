"""A list of guide drafts (sections, questions or tags) that reorders by drag and drop or from the keyboard
(Alt+Up / Alt+Down); each item carries its draft and shows the draft's `label()`."""

from __future__ import annotations

import functools

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

DRAFT_ROLE = Qt.ItemDataRole.UserRole


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

    def fill(self, drafts: list) -> None:
        self.blockSignals(True)
        self.clear()
        for draft in drafts:
            item = QListWidgetItem(draft.label())
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
