"""Real processes killed mid-submit: every acknowledged visit survives, nothing is torn."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability.kill_loop import run_kill_loop


def test_sigkill_during_submits_loses_nothing_acknowledged(tmp_path: Path) -> None:
    report = run_kill_loop(tmp_path / "vault", kills=8)
    assert report.problems == []
    assert report.kills == 8
    assert report.acknowledged > 0, "the loop never let a submit finish; nothing was tested"
    assert report.stored >= report.acknowledged


@pytest.mark.slow
def test_two_hundred_kills(tmp_path: Path) -> None:
    report = run_kill_loop(tmp_path / "vault", kills=200)
    assert report.problems == []
    assert report.stored >= report.acknowledged > 0
