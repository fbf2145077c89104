"""An item delegate that paints an item's rich text wrapped to its cell (search hits with the match marked,
the quotes of a board cell), and says which paragraph a point falls in, so a click can open that one."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

_ModelIndex = QModelIndex | QPersistentModelIndex
MARGIN = 6
MIN_WIDTH = 120


class HtmlDelegate(QStyledItemDelegate):
    """Paints the item's `role` (HTML) with the view's font and palette, wrapped to the cell's width."""

    def __init__(self, parent: QWidget, role: int = Qt.ItemDataRole.DisplayRole) -> None:
        super().__init__(parent)
        self._role = role

    def document(self, option: QStyleOptionViewItem, index: _ModelIndex) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(MARGIN)
        document.setHtml(index.data(self._role) or "")
        # sizeHint may get no rect width: wrap to the view's viewport, as a list lays its items out.
        width = option.rect.width() or (option.widget.viewport().width() if option.widget else 400)
        document.setTextWidth(max(width, MIN_WIDTH))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _ModelIndex) -> None:
        self.initStyleOption(option, index)
        document = self.document(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(
            QPalette.ColorRole.Text,
            option.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text),
        )
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRectF(0, 0, option.rect.width(), option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _ModelIndex) -> QSize:
        self.initStyleOption(option, index)
        document = self.document(option, index)
        return QSize(int(document.idealWidth()), int(document.size().height()) + 2)

    def paragraph_at(
        self, option: QStyleOptionViewItem, index: _ModelIndex, rect: QRect, point: QPoint
    ) -> int:
        """The number of the paragraph (block) under `point` in the item painted in `rect`; -1 if none."""
        option.rect = rect
        self.initStyleOption(option, index)
        document = self.document(option, index)
        position = document.documentLayout().hitTest(
            (point - rect.topLeft()).toPointF(), Qt.HitTestAccuracy.FuzzyHit
        )
        return -1 if position < 0 else document.findBlock(position).blockNumber()
