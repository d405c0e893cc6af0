"""A record's pictures (SVG, as the PDF has them) shown in a QTextDocument on screen."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSize, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from PySide6.QtSvg import QSvgRenderer

from ui.widgets.record_blocks import figure_name


def svg_image(svg: str, width: int) -> QImage:
    """`svg` drawn `width` pixels wide (its own proportions), on white, as on paper."""
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    size = renderer.defaultSize()
    image = QImage(QSize(width, max(1, round(width * size.height() / max(size.width(), 1)))),
                   QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def add_figures(document: QTextDocument, figures: Sequence[str], width: int = 600) -> None:
    """Give `document` the pictures `record_blocks.blocks_html` names, in order."""
    for number, svg in enumerate(figures):
        document.addResource(QTextDocument.ResourceType.ImageResource,
                             QUrl(figure_name(number)), svg_image(svg, width))
