"""`homevisit note add`: information from another agency recorded without the window, into the
subject access export too; bad input is one clear line and nothing recorded."""

from __future__ import annotations

import json
from pathlib import Path

from records.contracts import OperationKind
from storage.vault import Vault
from storage.workspace import Workspace
from tests.desktop_app.test_cli import (
    PASSPHRASE,
    cli,
    demo_vault_made_once,
    one_line_error,
    vault,
)

__all__ = ["demo_vault_made_once", "vault"]


def caseload_names(directory: Path) -> list[str]:
    with Vault.unlock(directory, PASSPHRASE) as opened:
        return [c.display_name for c in Workspace.over(opened.connection, actor="t").cases
                .children(on_caseload_only=True)]


def test_a_note_is_recorded_queued_and_exported(tmp_path: Path, vault: Path) -> None:
    name = caseload_names(vault)[0]
    base = ("note", "add", "--vault", str(vault), "--child", name, "--source",
            "Elm Row Primary, DSL Mrs Price", "--received-on", "2026-01-05", "--summary",
            "Came in hungry three days running.", "--reports-injury", "no",
            "--reports-food-or-weight", "yes")
    unanswered = cli(tmp_path, *base[:-2], "--kind", "school_concern", stdin=PASSPHRASE + "\n")
    assert unanswered.returncode == 2
    assert "--reports-food-or-weight" in unanswered.stderr.splitlines()[-1]
    maybe = cli(tmp_path, *base[:-1], "maybe", "--kind", "school_concern",
                stdin=PASSPHRASE + "\n")
    assert "'maybe' is not an answer: write yes or no" in maybe.stderr.splitlines()[-1]
    wrong_kind = cli(tmp_path, *base, "--kind", "burglary", stdin=PASSPHRASE + "\n")
    assert "'burglary' is not a kind of information" in one_line_error(wrong_kind)
    nobody = cli(tmp_path, *base[:4], "--child", "Nobody Atall", *base[6:], "--kind",
                 "school_concern", stdin=PASSPHRASE + "\n")
    assert "No child on this caseload is called 'Nobody Atall'" in one_line_error(nobody)

    done = cli(tmp_path, *base, "--kind", "school_concern", stdin=PASSPHRASE + "\n")
    assert done.returncode == 0, done.stderr
    assert f"about {name}" in done.stdout
    with Vault.unlock(vault, PASSPHRASE) as opened:
        workspace = Workspace.over(opened.connection, actor="t")
        (stored,) = workspace.notes.all_notes()
        assert stored.note.summary == "Came in hungry three days running."
        assert stored.note.about_food_or_weight and not stored.note.about_injury
        assert stored.note.entered_by  # the laptop's worker, filled in
        kinds = [op.kind for op in workspace.outbox.operations()]
        assert kinds.count(OperationKind.ADD_NOTE) == 1

    out = tmp_path / "export.json"
    exported = cli(tmp_path, "vault", "export", "--vault", str(vault), "--out", str(out),
                   stdin=PASSPHRASE + "\n", settings="export_allowed = true\n")
    assert exported.returncode == 0, exported.stderr
    (note,) = json.loads(out.read_text())["notes"]
    assert note["made_on_this_laptop"] and note["record"]["kind"] == "school_concern"
