"""The lane: work that fails with no handler named is logged and told calmly."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.background import op, wait_for_background_work


class DiskFull(OSError):
    pass


def fail() -> int:
    raise DiskFull("Ana Nowak's visit")  # the text may hold a child's words


@pytest.mark.expect_log("background work failed: DiskFull")
def test_a_failure_nobody_handles_is_logged_by_type_and_told_calmly(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    screen.show()
    results: list[int] = []
    op(screen, fail).success(results.append).run()
    wait_for_background_work()

    def told() -> list[QMessageBox]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, QMessageBox) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(told()))
    box = told()[0]
    assert "Nothing was lost" in box.text()
    box.close()
    assert results == []
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert lines == ["background work failed: DiskFull"]
    assert "Ana" not in caplog.text


def test_a_named_failure_handler_gets_the_error_and_nothing_is_logged(qtbot: QtBot) -> None:
    screen = QWidget()
    qtbot.addWidget(screen)
    errors: list[Exception] = []
    op(screen, fail).failure(errors.append).run()
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], DiskFull)


def test_success_gets_the_typed_result(qtbot: QtBot) -> None:
    results: list[int] = []
    op(None, lambda: 42).success(results.append).run()
    qtbot.waitUntil(lambda: results == [42])
