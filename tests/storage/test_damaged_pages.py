"""A damaged vault.db, wherever the damage lies, is a problem `homevisit vault check` lists:
never an error that stops the check itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from storage.vault import check_vault
from tests.factories import make_case, make_child
from tests.vaults import PASSPHRASE, add_to_caseload, open_workspace


def test_a_flipped_byte_on_any_page_is_a_problem_the_check_lists_never_an_error(
        tmp_path: Path) -> None:
    """`homevisit vault check` lists damage wherever it lies: on a page of the schema too,
    which stops even the connection from counting the tables."""
    with open_workspace(tmp_path / "made") as workspace:
        for _ in range(30):
            case = make_case()
            add_to_caseload(workspace, case, make_child(case), make_child(case))
    good = (tmp_path / "made" / "vault.db").read_bytes()
    page = 4096
    reached_by_connect = 0
    for number in range(1, len(good) // page):  # every page but the first (the key's check)
        target = tmp_path / f"page{number}"
        shutil.copytree(tmp_path / "made", target)
        flipped = bytearray(good)
        flipped[number * page + page // 2] ^= 0x01
        (target / "vault.db").write_bytes(bytes(flipped))
        problems = check_vault(target, PASSPHRASE)
        assert problems, f"a flipped byte on page {number + 1} went unnoticed"
        reached_by_connect += any(p.startswith("opening the database: ") for p in problems)
        shutil.rmtree(target)
    assert reached_by_connect, "no page of the schema was damaged: the test proves nothing"
