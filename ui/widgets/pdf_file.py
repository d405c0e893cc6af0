"""Writing a PDF (a visit, a chronology) so that a crash leaves no half-written file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument


def write_pdf(destination: Path, title: str, html: Callable[[QTextDocument], str]) -> None:
    """Print the HTML that `html` builds for the document to A4, beside `destination`,
    fsync it, then move it into place in one step.

    `title` shows in file managers and PDF viewers' title bars: it must name no one.
    """
    partial = destination.with_name(f".{destination.name}.part")
    writer = QPdfWriter(str(partial))
    writer.setTitle(title)
    writer.setCreator("Homevisit")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    document.setHtml(html(document))
    try:
        document.print_(writer)
        del writer
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
