"""Give a team lead's window the review screen once their vault is unlocked.

The role is the one central gave at enrollment (stored by sync in the vault); the unlocked
session asks (`VaultServices.enrollment`) and, for a team lead, makes the review services on
the vault lane and hands them here. A worker's window is left as it is and the review code
is never loaded. The screen and its menu go at the next lock, with the session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from records.flag_types import today_in_england

if TYPE_CHECKING:
    from ui.review.review_screen import ReviewScreen
    from ui.review_services import ReviewServices
    from ui.shell.main_window import MainWindow


def attach_review(window: MainWindow,
                  review: ReviewServices) -> tuple[ReviewScreen, Callable[[], None]]:
    """The review screen on the window, reloading after each pull; returns the screen and
    what takes it (and its menu) away again."""
    from ui.review.review_screen import ReviewScreen  # imported on the UI thread: team leads only

    screen = ReviewScreen(review, today_in_england, thresholds=review.thresholds)
    remove_screen = window.add_review(screen)
    screen.reload()
    window.pulled.connect(screen.reload)  # the queue takes in what each sync brought
    window.activated.connect(screen.check_day)  # back after a suspend through midnight

    def remove() -> None:
        window.pulled.disconnect(screen.reload)
        window.activated.disconnect(screen.check_day)
        remove_screen()

    return screen, remove
