"""The pack as a PDF, laid out by Qt's rich-text engine (QTextDocument printed to a QPdfWriter).

Why Qt: it is already a dependency, it shapes any Unicode text with the system's fonts, and it needs no
browser or native PDF library. It is imported here lazily and only here (the one exception to "only
app.ui imports Qt", declared in pyproject's import contract), so the CLI and the core still run without
PySide6 until a PDF is asked for; without a display Qt is started on its offscreen platform.
"""

from __future__ import annotations

from app.export.pack.model import Pack
from app.export.pack.templating import environment

_app = None  # a QGuiApplication we had to start ourselves (the CLI has none); kept for the process


def render_pdf(pack: Pack) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    _ensure_gui_application()
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


def _ensure_gui_application() -> None:
    """Qt lays out text only inside an application object. A QApplication rather than a bare
    QGuiApplication, so a process that later opens windows (a test run, a script) can still do so: Qt
    allows one application object per process and a QGuiApplication cannot host widgets."""
    global _app
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    if QCoreApplication.instance() is None:
        _app = QApplication(["earful", "-platform", "offscreen"])
