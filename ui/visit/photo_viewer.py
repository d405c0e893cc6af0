"""Photos of an injury: thumbnails beside its form, and a larger view of one at a time.

A photo is read from the vault and decoded on the vault lane, in memory: it is never
written to a file (no temporary file, no cache on disk), the window title names no child,
and nothing here puts a photo on the clipboard. From the keyboard: the arrows move between
thumbnails, Enter opens one; in the larger view Left and Right move, Escape closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from PySide6.QtCore import QObject, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.services import VisitServices
from ui.widgets.background import op

THUMBNAIL = QSize(96, 96)


@dataclass(frozen=True)
class DecodedPhoto:
    """A photo decoded in memory, and its thumbnail."""

    image: QImage
    thumbnail: QImage


def decode(content: bytes | None) -> DecodedPhoto | None:
    """Bytes from the vault to pictures; runs on the lane (QImage is safe off the UI thread)."""
    if not content:
        return None
    image = QImage.fromData(content)
    if image.isNull():
        return None
    thumbnail = image.scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)
    return DecodedPhoto(image, thumbnail)


class PhotoSource:
    """Reads and decodes photos on the vault lane; keeps each decoded one in memory only."""

    def __init__(self, services: VisitServices) -> None:
        self._services = services
        self._decoded: dict[UUID, DecodedPhoto | None] = {}

    def load(self, photo_id: UUID, then: Callable[[DecodedPhoto | None], None],
             owner: QObject) -> None:
        """`then` gets the photo (None if it cannot be read), on the UI thread."""
        if photo_id in self._decoded:
            then(self._decoded[photo_id])
            return
        services = self._services

        def decoded(photo: DecodedPhoto | None) -> None:
            self._decoded[photo_id] = photo
            then(photo)

        op(owner, lambda: decode(services.photo(photo_id))).success(decoded).failure(
            lambda _: then(None)).run()

    def forget(self) -> None:
        """Drop every decoded photo (the editor closes, or the vault locks)."""
        self._decoded.clear()


class PhotoStrip(QListWidget):
    """The thumbnails of one injury's photos; Enter or a double-click opens one larger."""

    def __init__(self, source: PhotoSource) -> None:
        super().__init__()
        self.source = source
        self.photo_ids: list[UUID] = []
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(THUMBNAIL)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setFixedHeight(THUMBNAIL.height() + 44)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAccessibleName(self.tr("Photos of this injury"))
        self.setAccessibleDescription(self.tr("Arrow keys choose a photo; Enter opens it "
                                              "larger."))
        self.itemActivated.connect(lambda item: self.open_photo(self.row(item)))
        self.viewer: PhotoViewer | None = None
        self.setVisible(False)

    def show_photos(self, photo_ids: list[UUID]) -> None:
        if photo_ids == self.photo_ids:
            return
        self.photo_ids = list(photo_ids)
        self.clear()
        total = len(photo_ids)
        for number, photo_id in enumerate(photo_ids, start=1):
            item = QListWidgetItem(self.tr("Photo {n} of {total}").format(n=number,
                                                                          total=total))
            item.setToolTip(self.tr("Enter or double-click to open it larger"))
            self.addItem(item)
            self.source.load(photo_id, self._thumbnail_for(item), owner=self)
        self.setVisible(bool(photo_ids))
        if photo_ids and self.currentRow() < 0:
            self.setCurrentRow(0)

    def _thumbnail_for(self, item: QListWidgetItem) -> Callable[[DecodedPhoto | None], None]:
        return lambda photo: self._thumbnail(item, photo)

    def _thumbnail(self, item: QListWidgetItem, photo: DecodedPhoto | None) -> None:
        if self.row(item) < 0:
            return  # the list changed while the photo was read
        if photo is None:
            item.setText(item.text() + " — " + self.tr("cannot be shown"))
            return
        item.setIcon(QIcon(QPixmap.fromImage(photo.thumbnail)))

    def _viewer_closed(self) -> None:
        """Back to the thumbnail the worker opened, in the window they were in."""
        self.window().activateWindow()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_photo(self, number: int) -> None:
        """The photo at `number` (from 0) in a larger view, over the editor."""
        if not 0 <= number < len(self.photo_ids):
            return
        viewer = PhotoViewer(self, self.source, self.photo_ids, number)
        self.viewer = viewer
        viewer.finished.connect(self._viewer_closed)
        viewer.open()
        viewer.activateWindow()  # the keyboard goes with it at once


class PhotoViewer(QDialog):
    """One photo, as large as the window allows; Left / Right for the others."""

    def __init__(self, parent: QWidget, source: PhotoSource, photo_ids: list[UUID],
                 number: int) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Homevisit — photo"))  # never a child's name
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.source = source
        self.photo_ids = photo_ids
        self.number = number
        self.photo: DecodedPhoto | None = None
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(QSize(200, 200))
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.picture.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.caption = QLabel()
        self.previous_button = QPushButton(self.tr("&Previous"))
        self.previous_button.setAutoDefault(False)
        self.previous_button.clicked.connect(lambda: self.show_number(self.number - 1))
        self.next_button = QPushButton(self.tr("&Next"))
        self.next_button.setAutoDefault(False)
        self.next_button.clicked.connect(lambda: self.show_number(self.number + 1))
        self.close_button = QPushButton(self.tr("&Close"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.caption, 1)
        for button in (self.previous_button, self.next_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture, 1)
        layout.addLayout(buttons)
        # Shortcuts, not keyPressEvent: a focused push button would take the arrows itself.
        QShortcut(QKeySequence(Qt.Key.Key_Left), self).activated.connect(
            lambda: self.show_number(self.number - 1))
        QShortcut(QKeySequence(Qt.Key.Key_Right), self).activated.connect(
            lambda: self.show_number(self.number + 1))
        self.resize(800, 640)
        self.show_number(number)
        self.close_button.setFocus()

    def show_number(self, number: int) -> None:
        if not 0 <= number < len(self.photo_ids):
            return
        self.number = number
        total = len(self.photo_ids)
        described = self.tr("Photo {n} of {total}").format(n=number + 1, total=total)
        self.caption.setText(described)
        self.picture.setAccessibleName(described)
        self.picture.setText(self.tr("Opening…"))
        self.previous_button.setEnabled(number > 0)
        self.next_button.setEnabled(number < total - 1)
        self.photo = None
        self.source.load(self.photo_ids[number], self._shown_for(number), owner=self)

    def _shown_for(self, number: int) -> Callable[[DecodedPhoto | None], None]:
        return lambda photo: self._shown(number, photo)

    def _shown(self, number: int, photo: DecodedPhoto | None) -> None:
        if number != self.number:
            return
        self.photo = photo
        if photo is None:
            self.picture.setText(self.tr("This photo cannot be shown. It is still in the "
                                         "vault; nothing was lost."))
            return
        self._fit()

    def _fit(self) -> None:
        if self.photo is None:
            return
        scaled = self.photo.image.scaled(self.picture.size(),
                                         Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation)
        self.picture.setPixmap(QPixmap.fromImage(scaled))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

