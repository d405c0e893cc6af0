"""The editor's "next visit due" preview is the date submission then records."""

from __future__ import annotations

from pathlib import Path

from tests.factories import make_case, make_child, make_visit
from tests.vaults import add_to_caseload, open_workspace


def test_preview_matches_what_submit_records(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "vault") as workspace:
        case = make_case()
        ana = make_child(case)
        add_to_caseload(workspace, case, ana)
        visit = make_visit(case, [ana])
        preview = workspace.visits.next_visit_due(visit)
        assert preview is not None and preview > visit.visit_date
        stored = workspace.visits.submit(visit)
        assert stored.visit.next_visit_due == preview
