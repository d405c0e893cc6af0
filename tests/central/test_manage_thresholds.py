"""The managers' pages name the thresholds their figures were counted with: a council that
sets its own (policy, central's settings) reads its own numbers in the headings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from central.core.config import Settings
from records.thresholds import FlagThresholds
from tests.central.harness import Central
from tests.central.manage_world import Managers, manage_world
from tests.central.test_manage_web import sign_in

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, flag_thresholds=FlagThresholds(
        repeat_injury_window_days=30, device_unsynced_hours=48, not_seen_alone_red_streak=3))


@pytest.fixture
def managers(central: Central) -> Iterator[Managers]:
    central.client.base_url = central.client.base_url.copy_with(scheme="https")
    yield manage_world(central)


def test_the_headings_say_the_councils_thresholds(central: Central, managers: Managers) -> None:
    assert sign_in(central, managers, "head")[0] == 303
    lists = central.client.get("/manage/lists").text
    assert "Injuries in the last 30 days" in lists and "90 days" not in lists
    injuries = central.client.get("/manage/lists/injuries").text
    assert "<h1>Injuries in the last 30 days</h1>" in injuries
    # Ana's bruise of 2 Nov is within 30 days of the harness's 16 Nov.
    assert "Ana Nowak" in injuries
    # Ana was seen, not alone, at two visits running: red from the third under this policy,
    # so not yet on the list that counts the visits where the flag turns red.
    assert "Not seen alone at the last 3 visits" in lists and "last 2 visits" not in lists
    alone = central.client.get("/manage/lists/not-seen-alone").text
    assert "<h1>Not seen alone at the last 3 visits</h1>" in alone and "Ana Nowak" not in alone
    service = central.client.get("/manage/service").text
    assert "Laptops not synced &gt; 48 h" in service and "&gt; 24 h" not in service
