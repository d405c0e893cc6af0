"""The caseload is rebuilt from what changed: a reload after an autosave parses nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from records.case import Child, PlanType
from records.contracts import CaseloadRow
from records.schedule import VisitStandards, WorkingCalendar
from records.visit import Visit, VisitOutcome
from storage.caseload import Caseload, caseload
from storage.vault import Vault
from storage.workspace import Workspace
from tests.factories import VISIT_START, make_case, make_child, make_observation, make_visit
from tests.vaults import FixedClock, add_to_caseload, new_vault


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    with new_vault(tmp_path / "vault") as opened:
        yield opened


@pytest.fixture
def workspace(vault: Vault) -> Workspace:
    return Workspace.over(vault.connection, actor="J. Okafor", clock=FixedClock())


def _caseload(vault: Vault) -> Caseload:
    return Caseload(vault.connection, VisitStandards(), WorkingCalendar())


def _by_child(rows: list[CaseloadRow]) -> dict[str, CaseloadRow]:
    return {str(row.child_id): row for row in rows}


def _household(workspace: Workspace) -> tuple[Child, Child, Child]:
    nowak = make_case()
    ana = make_child(nowak, given_name="Ana")
    tomasz = make_child(nowak, given_name="Tomasz", plan=PlanType.CHILD_IN_NEED)
    add_to_caseload(workspace, nowak, ana, tomasz)
    other = make_case().model_copy(update={"reference": "CIN-2"})
    leo = make_child(other, given_name="Leo")
    add_to_caseload(workspace, other, leo)
    return ana, tomasz, leo


def test_a_reload_with_nothing_changed_reuses_every_row(workspace: Workspace, vault: Vault) -> None:
    ana, tomasz, _ = _household(workspace)
    built = _caseload(vault)
    first = built.rows()
    workspace.visits.save_draft(Visit(id=make_visit(make_case(), []).id,
                                      case_id=ana.case_id, purpose="autosaved"))
    again = built.rows()
    assert len(again) == 3 and all(a is b for a, b in zip(first, again, strict=True))
    assert _by_child(again)[str(tomasz.id)].case_reference == "CP-104233"


def test_a_submitted_visit_changes_only_its_childrens_rows(workspace: Workspace,
                                                           vault: Vault) -> None:
    ana, tomasz, leo = _household(workspace)
    built = _caseload(vault)
    before = _by_child(built.rows())
    assert before[str(ana.id)].last_seen is None
    case = make_case().model_copy(update={"id": ana.case_id})
    visit = make_visit(case, [ana], started_at=VISIT_START - timedelta(days=7),
                       ended_at=VISIT_START - timedelta(days=7, minutes=-50))
    visit = visit.model_copy(update={"children": (
        make_observation(ana, seen_alone=False, reason_not_seen_alone="Asleep on arrival."),)})
    workspace.visits.submit(visit)
    after = _by_child(built.rows())
    assert after[str(ana.id)] is not before[str(ana.id)]
    assert after[str(ana.id)].last_seen == visit.visit_date
    assert after[str(ana.id)].seen_alone_when_last_seen is False
    assert after[str(ana.id)].next_visit_due == WorkingCalendar().add_working_days(
        visit.visit_date or date.min, VisitStandards().child_protection_working_days)
    assert after[str(tomasz.id)] is before[str(tomasz.id)]
    assert after[str(leo.id)] is before[str(leo.id)]
    later = make_visit(case, [ana])
    workspace.visits.submit(later)
    assert _by_child(built.rows())[str(ana.id)].last_seen == later.visit_date


def test_a_renamed_child_and_a_new_child_are_picked_up(workspace: Workspace, vault: Vault) -> None:
    _, _, leo = _household(workspace)
    built = _caseload(vault)
    built.rows()
    workspace.cases.save_child(leo.model_copy(update={"given_name": "Leon"}))
    newcomer = make_child(make_case(), given_name="Maya")
    add_to_caseload(workspace, make_case().model_copy(update={"id": newcomer.case_id,
                                                               "reference": "LAC-9"}), newcomer)
    rows = _by_child(built.rows())
    assert rows[str(leo.id)].child_name == "Leon Nowak"
    assert rows[str(newcomer.id)].case_reference == "LAC-9"
    assert len(rows) == 4


def test_the_incremental_caseload_matches_a_full_build(workspace: Workspace, vault: Vault) -> None:
    ana, tomasz, _ = _household(workspace)
    built = _caseload(vault)
    built.rows()
    case = make_case().model_copy(update={"id": ana.case_id})
    workspace.visits.submit(make_visit(case, [ana, tomasz]))
    fresh = caseload(vault.connection, VisitStandards(), WorkingCalendar())
    assert _by_child(built.rows()) == _by_child(fresh)


def test_a_no_access_visit_leaves_last_seen_and_next_due_as_they_were(
        workspace: Workspace, vault: Vault) -> None:
    ana, _, _ = _household(workspace)
    case = make_case().model_copy(update={"id": ana.case_id})
    seen = make_visit(case, [ana], started_at=VISIT_START - timedelta(days=14),
                      ended_at=VISIT_START - timedelta(days=14, minutes=-50))
    workspace.visits.submit(seen)
    built = _caseload(vault)
    before = _by_child(built.rows())[str(ana.id)]
    no_access = make_visit(case, [ana], outcome=VisitOutcome.NO_ACCESS,
                           no_access_reasons="No answer at the door.",
                           no_access_steps_taken="Called mother; left a card.",
                           children=(make_observation(ana, seen=False, seen_alone=None,
                                                      spoken_to_alone=None, bedroom_seen=None,
                                                      reason_not_seen="No access.",
                                                      child_words="",
                                                      reason_words_not_recorded="Not seen."),))
    workspace.visits.submit(no_access)
    after = _by_child(built.rows())[str(ana.id)]
    assert after.last_seen == seen.visit_date == before.last_seen
    assert after.next_visit_due == before.next_visit_due
    assert after.seen_alone_when_last_seen is True
