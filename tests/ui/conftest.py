"""A real vault with a known household, and the real main window over it."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.app import unlocker
from desktop_app.policy import Policy
from desktop_app.unlocked_session import session_maker
from records.case import Case, Child, PlanType
from records.schedule import WorkingCalendar
from storage.workspace import Workspace
from tests.factories import make_case, make_child
from tests.ui.driving import forget_dialog_hooks
from tests.vaults import new_vault
from ui.shell.main_window import MainWindow, WindowOptions
from ui.widgets.background import wait_for_background_work

PASSPHRASE = "a long enough passphrase"


@dataclass
class Household:
    directory: Path
    case: Case
    ana: Child
    tomasz: Child


def make_household_vault(directory: Path) -> Household:
    case = make_case()
    ana = make_child(case, given_name="Ana", born=date(2020, 3, 2))
    tomasz = make_child(case, given_name="Tomasz", born=date(2025, 6, 1),
                        plan=PlanType.CHILD_PROTECTION)
    with new_vault(directory, PASSPHRASE) as vault:
        workspace = Workspace.over(vault.connection, actor="test")
        workspace.cases.save_case(case)
        workspace.cases.save_child(ana)
        workspace.cases.save_child(tomasz)
    return Household(directory, case, ana, tomasz)


@pytest.fixture(autouse=True)
def _dialog_hooks_end_with_their_test() -> Iterator[None]:
    """A test answers only its own dialogs (tests/ui/driving.py, `when_dialog_opens`)."""
    forget_dialog_hooks()
    yield
    forget_dialog_hooks()


@pytest.fixture(scope="session")
def household_template(tmp_path_factory: pytest.TempPathFactory) -> Household:
    """The household's vault, made once a session (its Argon2id key remembered all session,
    tests/conftest.py)."""
    from tests.conftest import kept_for_the_session  # here: crash_writer.py imports this file

    with kept_for_the_session():
        return make_household_vault(tmp_path_factory.mktemp("household") / "vault")


@pytest.fixture
def household(tmp_path: Path, household_template: Household) -> Household:
    """A copy of the household's vault for this test alone: same records, same key file."""
    directory = tmp_path / "vault"
    shutil.copytree(household_template.directory, directory)
    return dataclasses.replace(household_template, directory=directory)


@pytest.fixture
def make_window(qtbot: QtBot) -> Iterator[object]:
    made: list[MainWindow] = []

    def make(directory: Path, options: WindowOptions | None = None,
             policy: Policy | None = None,
             managed: frozenset[str] = frozenset()) -> MainWindow:
        policy = policy or Policy()
        # As the app makes it, without a sync thread (no central here): the unlocked
        # session owns the services, the pull watch and a team lead's review screen.
        window = MainWindow(unlocker(directory, policy, WorkingCalendar(), managed),
                            date.today,
                            options=options or WindowOptions(autosave_ms=200),
                            begin_session=session_maker(sync=False))
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        made.append(window)
        return window

    yield make
    for window in made:
        # A window closed by the test (or by pytest-qt first) locked as it closed, and its
        # parts may already be deleted: lock only what is still unlocked.
        if window.session is not None:
            window.lock("test over")
    wait_for_background_work()


def unlock(qtbot: QtBot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    screen = window.unlock_screen
    screen.passphrase.setFocus()
    qtbot.keyClicks(screen.passphrase, passphrase)
    with qtbot.waitSignal(screen.unlocked, timeout=15_000):
        qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
