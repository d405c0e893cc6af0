"""A vault written by the first schema opens with today's code, upgrades, and loses nothing."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from unittest import mock

from storage import migrations
from storage.migrations import latest_version
from storage.vault import Vault
from storage.workspace import Workspace
from tests.fixtures.make_v1_vault import HERE, PASSPHRASE


def test_a_version_one_vault_upgrades_and_its_visits_are_found(tmp_path: Path) -> None:
    copy = tmp_path / "vault"
    shutil.copytree(HERE, copy)
    versions_seen: list[int] = []
    real_migrate = migrations.migrate

    def watching(conn: Any, *args: Any, **kwargs: Any) -> int:
        versions_seen.append(conn.execute("PRAGMA user_version").fetchone()[0])
        return real_migrate(conn, *args, **kwargs)

    with mock.patch("storage.vault.migrations.migrate", watching), \
            Vault.unlock(copy, PASSPHRASE) as vault:
        conn = vault.connection
        assert versions_seen == [1], "the stored fixture must be a version-1 vault"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 2
        workspace = Workspace.over(conn, actor="test")
        [found] = workspace.visits.search("version one")
        assert workspace.visits.is_intact(found.id)
        assert workspace.visits.search("Ana")[0].id == found.id
        assert vault.check() == []
