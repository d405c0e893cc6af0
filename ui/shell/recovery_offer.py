"""At unlock: when IT's policy names a recovery key the vault is not wrapped to, say what it
is for and add it with one confirmation.

The vault is open, so its data key is at hand and the passphrase is not asked again; the
records are not touched (`VisitServices.add_recovery_key`, as `homevisit vault
add-recovery-key` does). "Not now" changes nothing, and the offer comes back at the next
unlock. The dialog is the window's child, so a lock closes it with every other dialog (and
a lock before the answer leaves the vault as it was).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from ui.widgets.accessibility import announce
from ui.widgets.background import op

if TYPE_CHECKING:
    from ui.services import RecoveryChange, VisitServices
    from ui.shell.main_window import MainWindow

OBJECT_NAME = "recoveryKeyOffer"


def offer_recovery_key(window: MainWindow, services: VisitServices) -> None:
    """Ask the vault (on the lane) whether the policy's recovery key is missing; if so, ask."""
    op(window, services.recovery_key_change).success(
        lambda change: _ask(window, services, change)).failure(window.failed).run()


def _ask(window: MainWindow, services: VisitServices, change: RecoveryChange | None) -> None:
    if change is None or window.services is not services:
        return  # nothing to add, or locked while the lane looked
    box = QMessageBox(window)
    box.setObjectName(OBJECT_NAME)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(window.tr("Homevisit"))
    if change == "add":
        box.setText(window.tr("Add your IT department's recovery key to this vault?"))
        box.setInformativeText(window.tr(
            "Your IT department has set a recovery key for Homevisit, and this vault does not "
            "have it yet. With it, IT can open your vault and let you set a new passphrase if "
            "you ever forget yours; without it, a forgotten passphrase means the visits on "
            "this laptop cannot be opened. Your records are not changed, and IT still needs "
            "this laptop and the key kept in their safe."))
    else:
        box.setText(window.tr("Change this vault to your IT department's new recovery key?"))
        box.setInformativeText(window.tr(
            "Your IT department has changed its recovery key, and this vault still opens with "
            "the old one. With the new key, IT can open your vault and let you set a new "
            "passphrase if you ever forget yours; the old key will no longer open it. Your "
            "records are not changed."))
    add = box.addButton(window.tr("&Add IT's recovery key") if change == "add"
                        else window.tr("&Change to the new key"),
                        QMessageBox.ButtonRole.AcceptRole)
    box.addButton(window.tr("&Not now"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(add)

    def answered() -> None:
        if box.clickedButton() is add and window.services is services:
            op(window, services.add_recovery_key).success(
                lambda _: _added(window, services, change)).failure(window.failed).run()

    box.finished.connect(answered)
    box.open()  # not exec(): the window goes on, and a lock closes it


def _added(window: MainWindow, services: VisitServices, change: RecoveryChange) -> None:
    if window.services is not services:
        return
    text = (window.tr("IT's recovery key was added: if you forget your passphrase, IT can "
                      "open this vault. Your records were not changed.") if change == "add"
            else window.tr("This vault now opens with IT's new recovery key, and no longer "
                           "with the old one. Your records were not changed."))
    window.statusBar().showMessage(text, 15_000)
    announce(window, text)
