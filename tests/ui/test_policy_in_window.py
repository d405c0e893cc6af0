"""High contrast as policy in the real window: set by IT, the very first frame is already
white on black and View ▸ High contrast is shown as managed and cannot be turned off; left
to the worker, the same menu item turns it on and off and is kept in their settings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app import policy_sources as sources_module
from desktop_app.app import build_window
from desktop_app.policy import load_policy
from tests.ui.conftest import Household, unlock
from ui.shell.main_window import MainWindow
from ui.widgets.background import wait_for_background_work
from ui.widgets.theme import use_high_contrast

BLACK = QColor("#000000")


def window_colour() -> QColor:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app.palette().color(QPalette.ColorRole.Window)


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    """(IT's policy file, the worker's settings file), both empty to start with."""
    system = tmp_path / "policy.toml"
    system.write_text("", encoding="utf-8")
    settings = tmp_path / "settings.toml"
    monkeypatch.setattr(sources_module, "SYSTEM_POLICY_FILE", system)
    monkeypatch.setenv("HOMEVISIT_SETTINGS_FILE", str(settings))
    before = window_colour()
    yield system, settings
    wait_for_background_work()
    use_high_contrast(False)
    assert window_colour() == before


@pytest.fixture
def open_window(qtbot: QtBot, household: Household,
                laptop: tuple[Path, Path]) -> Iterator[Callable[[], MainWindow]]:
    """Build the real window over the household's vault as the app does, reading the laptop's
    policy and settings; each window is locked at the end, before `laptop` checks the theme."""
    made: list[MainWindow] = []

    def open_one() -> MainWindow:
        _app, window = build_window(household.directory, listen_to_desktop=False)
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield open_one
    for window in made:
        window.lock("test over")


def test_high_contrast_set_by_it_holds_from_the_first_frame_and_cannot_be_turned_off(
        qtbot: QtBot, laptop: tuple[Path, Path], open_window: Callable[[], MainWindow]) -> None:
    system, settings = laptop
    system.write_text("high_contrast = true\nidle_lock_minutes = 3\n", encoding="utf-8")
    settings.write_text("high_contrast = false\n", encoding="utf-8")
    window = open_window()
    # Before the policy proper (pydantic) is read on the vault lane: already white on black.
    assert window.idle.timeout_ms != 3 * 60_000
    assert window_colour() == BLACK
    action = window.high_contrast_action
    assert action.isChecked() and not action.isEnabled()
    assert "set by your IT department" in action.text()
    window.show()
    qtbot.waitUntil(lambda: window.idle.timeout_ms == 3 * 60_000, timeout=30_000)
    assert action.isChecked() and not action.isEnabled() and window_colour() == BLACK

    action.setChecked(False)  # what a click would do, were the item not greyed out
    wait_for_background_work()
    assert window_colour() == BLACK
    assert settings.read_text(encoding="utf-8") == "high_contrast = false\n"
    unlock(qtbot, window)
    assert window_colour() == BLACK


def test_the_worker_turns_high_contrast_on_and_off_and_it_is_kept(
        qtbot: QtBot, laptop: tuple[Path, Path], open_window: Callable[[], MainWindow]) -> None:
    system, settings = laptop
    system.write_text("idle_lock_minutes = 3\n", encoding="utf-8")
    window = open_window()
    window.show()
    qtbot.waitUntil(lambda: window.idle.timeout_ms == 3 * 60_000, timeout=30_000)
    action = window.high_contrast_action
    assert action.isEnabled() and not action.isChecked() and window_colour() != BLACK

    action.trigger()  # View ▸ High contrast
    assert window_colour() == BLACK
    wait_for_background_work()
    effective = load_policy(system, settings)
    assert effective.policy.high_contrast is True
    assert not effective.is_locked("high_contrast")

    action.trigger()
    assert window_colour() != BLACK
    wait_for_background_work()
    assert load_policy(system, settings).policy.high_contrast is False


def test_the_worker_starts_in_the_high_contrast_they_chose(
        qtbot: QtBot, laptop: tuple[Path, Path], open_window: Callable[[], MainWindow]) -> None:
    _system, settings = laptop
    settings.write_text("high_contrast = true\n", encoding="utf-8")
    window = open_window()
    assert window_colour() == BLACK
    action = window.high_contrast_action
    assert action.isChecked() and action.isEnabled()
