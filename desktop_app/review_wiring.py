"""Give a team lead's window the review screen once their vault is unlocked.

The role is the one central gave at enrollment (stored by sync in the vault). A worker's
window is left as it is. The screen and its menu go at the next lock, with the session.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

from ui.widgets.background import run_in_background

if TYPE_CHECKING:
    from desktop_app.review_services import VaultReviewServices
    from ui.shell.main_window import MainWindow


def offer_review(window: MainWindow) -> None:
    from desktop_app.services import VaultServices

    services = window.services
    if not isinstance(services, VaultServices):
        return

    def make() -> VaultReviewServices | None:
        from sync.ledger import SyncLedger
        from sync.protocol import Role

        enrollment = SyncLedger(services.session.vault.connection).enrollment()
        if enrollment is None or enrollment.role is not Role.TEAM_LEAD:
            return None  # a worker: the review code is never loaded
        from desktop_app.review_services import VaultReviewServices

        return VaultReviewServices(services.session, services.policy, services.calendar)

    run_in_background(make, lambda review: _attach(window, review), owner=window)


def _attach(window: MainWindow, review: VaultReviewServices | None) -> None:
    if review is None or window.services is None:
        return
    from ui.review.review_screen import ReviewScreen  # imported on the UI thread: team leads only

    screen = ReviewScreen(review, date.today(), caseload_threshold=review.caseload_threshold)
    window.stack.addWidget(screen)
    menu = window.menuBar().addMenu(window.tr("&Review"))
    show_queue = QAction(window.tr("Review &queue"), window)
    show_queue.setShortcuts([QKeySequence("Ctrl+R")])
    show_queue.triggered.connect(lambda: window.stack.setCurrentWidget(screen))
    show_caseload = QAction(window.tr("My &caseload"), window)
    show_caseload.triggered.connect(lambda: window.stack.setCurrentWidget(window.caseload_screen))
    menu.addAction(show_queue)
    menu.addAction(show_caseload)
    window.stack.setCurrentWidget(screen)
    screen.reload()
    window.pulled.connect(screen.reload)  # the queue takes in what each sync brought

    def locked() -> None:
        window.locked.disconnect(locked)
        window.pulled.disconnect(screen.reload)
        window.menuBar().removeAction(menu.menuAction())
        window.stack.removeWidget(screen)
        screen.deleteLater()

    window.locked.connect(locked)
