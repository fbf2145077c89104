"""The pack as a PDF, laid out by Qt's rich-text engine (QTextDocument printed to a QPdfWriter).

Why Qt: it is already a dependency, it shapes any Unicode text with the system's fonts, and it needs no
browser or native PDF library. It is imported here lazily (one of the two exceptions to "only app.ui
imports Qt" declared in pyproject's import contract), so the CLI and the core still run without
PySide6 until a PDF is asked for. The export layer never starts Qt: the caller owns the application object
(the window's, or `app.cli.offscreen_qt` in a headless process; `PackFormat.needs_qt` says which formats
need one).
"""

from __future__ import annotations

from app.export.pack.model import Pack
from app.export.pack.templating import environment


def render_pdf(pack: Pack) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    _require_gui_application()
    html = environment().get_template("pack_pdf.html.j2").render(pack=pack)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(pack.title)
    writer.setCreator("Earful")
    writer.setResolution(144)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 16, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 10))
    document.setHtml(html)
    document.print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(data.data())


def _require_gui_application() -> None:
    """Qt lays out text only inside a QGuiApplication (or QApplication); say who must start one rather
    than crash inside Qt."""
    from PySide6.QtGui import QGuiApplication

    if not isinstance(QGuiApplication.instance(), QGuiApplication):
        raise RuntimeError(
            "A PDF pack needs a running Qt application for its text layout: the window's, or "
            "app.cli.offscreen_qt.start_offscreen_qt() in a headless process."
        )
