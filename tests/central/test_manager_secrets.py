"""Managers' TOTP secrets are sealed at rest (AES-GCM, key as central keeps its signing
keys), old clear rows are sealed by `migrate`, and `manager reset-totp` / `reset-password`
give a locked-out manager a way back, audited, ending their sessions."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from central.app import create_app
from central.cli import main
from central.core.config import Settings
from central.core.secret_box import SecretBox, SecretUnreadable
from central.db.manager_models import ManagerAccount, ManagerSession
from tests.central.harness import Central
from tests.central.manage_world import PASSWORD, Managers, manage_world
from tests.central.test_manage_web import audited, sign_in

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
def managers(central: Central) -> Iterator[Managers]:
    central.client.base_url = central.client.base_url.copy_with(scheme="https")
    yield manage_world(central)


def stored_secret(central: Central, username: str) -> str:
    with central.admin() as session:
        return session.scalars(select(ManagerAccount.totp_secret)
                               .where(ManagerAccount.username == username)).one()


def url_of(central: Central) -> str:
    return central.engine.url.render_as_string(hide_password=False)


def test_the_secret_is_sealed_in_the_database_and_still_signs_in(
        central: Central, managers: Managers) -> None:
    stored = stored_secret(central, "northmgr")
    assert stored.startswith("v1:") and managers.secrets["northmgr"] not in stored
    assert sign_in(central, managers, "northmgr")[0] == 303
    box: SecretBox = central.client.app.state.manage.box  # type: ignore[attr-defined]
    # Bound to its account: the same sealed value does not open as another manager's.
    assert box.open(stored, "manager-totp:northmgr") == managers.secrets["northmgr"]
    with pytest.raises(SecretUnreadable):
        box.open(stored, "manager-totp:head")


def test_a_secret_left_in_the_clear_is_sealed_by_migrate_and_keeps_working(
        central: Central, managers: Managers, capsys: pytest.CaptureFixture[str]) -> None:
    with central.admin() as session:  # as an account made before secrets were sealed
        session.execute(update(ManagerAccount).where(ManagerAccount.username == "head")
                        .values(totp_secret=managers.secrets["head"]))
    assert main(["migrate", "--database-url", url_of(central)]) == 0
    assert "Sealed the TOTP secrets of 1 manager(s)." in capsys.readouterr().out
    assert stored_secret(central, "head").startswith("v1:")
    assert sign_in(central, managers, "head")[0] == 303
    assert audited(central, "manager.secrets_sealed")


def test_with_a_key_file_the_cli_and_the_app_share_the_key_and_another_key_opens_nothing(
        central: Central, managers: Managers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "secrets.key"
    key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    key_file.chmod(0o644)
    url = url_of(central)
    monkeypatch.setenv("HOMEVISIT_CENTRAL_MANAGER_SECRETS_KEY_FILE", str(key_file))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["manager", "add", "keyed", "--teams", "all", "--password-stdin",
                 "--database-url", url]) == 1
    assert "chmod 600" in capsys.readouterr().err  # a key others can read is refused
    key_file.chmod(0o600)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["manager", "add", "keyed", "--teams", "all", "--password-stdin",
                 "--database-url", url]) == 0
    secret = capsys.readouterr().out.split("secret=")[1].split("&")[0]
    keyed = Managers(managers.world, {"keyed": secret})
    with_key = Settings(database_url=url, manager_secrets_key_file=key_file)
    assert sign_in(served(central, with_key), keyed, "keyed")[0] == 303
    # The app without the key file (the database's own key) cannot open it: refused.
    central.clock.advance(30)
    monkeypatch.delenv("HOMEVISIT_CENTRAL_MANAGER_SECRETS_KEY_FILE")
    assert sign_in(served(central, Settings(database_url=url)), keyed, "keyed")[0] == 401
    assert [e.detail.get("reason") for e in audited(central, "manage.login_refused")] \
        == ["secret_unreadable"]


def served(central: Central, settings: Settings) -> Central:
    """Another app over the same database, as a second process of central would be."""
    client = TestClient(create_app(settings, engine=central.engine, clock=central.clock),
                        base_url="https://testserver")
    return replace(central, client=client)


def test_reset_totp_and_reset_password_give_a_way_back_audited_and_end_sessions(
        central: Central, managers: Managers, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = url_of(central)
    assert sign_in(central, managers, "northmgr")[0] == 303
    assert main(["manager", "reset-totp", "northmgr", "--database-url", url]) == 0
    out = capsys.readouterr().out
    fresh = out.split("secret=")[1].split("&")[0]
    assert fresh != managers.secrets["northmgr"] and "open sessions have ended" in out
    with central.admin() as session:
        assert not session.scalars(select(ManagerSession)
                                   .where(ManagerSession.account_id.is_not(None))).all()
    central.clock.advance(30)
    central.client.cookies.clear()
    assert sign_in(central, managers, "northmgr")[0] == 401  # the old app's code
    code = pyotp.TOTP(fresh).at(central.clock())
    assert sign_in(central, managers, "northmgr", code=code)[0] == 303

    monkeypatch.setattr("sys.stdin", io.StringIO("too short\n"))
    assert main(["manager", "reset-password", "northmgr", "--password-stdin",
                 "--database-url", url]) == 1
    assert "at least 12 characters: nothing was changed" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("an entirely new passphrase\n"))
    assert main(["manager", "reset-password", "northmgr", "--password-stdin",
                 "--database-url", url]) == 0
    capsys.readouterr()
    central.clock.advance(30)
    central.client.cookies.clear()
    code = pyotp.TOTP(fresh).at(central.clock())
    assert sign_in(central, managers, "northmgr", code=code)[0] == 401  # old password
    central.clock.advance(30)
    code = pyotp.TOTP(fresh).at(central.clock())
    assert sign_in(central, managers, "northmgr", code=code,
                   password="an entirely new passphrase")[0] == 303
    assert main(["manager", "reset-totp", "nobody", "--database-url", url]) == 1
    assert "no manager called 'nobody'" in capsys.readouterr().err
    assert [e.subject for e in audited(central, "manager.totp_reset")] == ["manager:northmgr"]
    assert [e.subject for e in audited(central, "manager.password_reset")] \
        == ["manager:northmgr"]


def test_secrets_sealed_with_the_database_key_move_under_a_key_file_added_later(
        central: Central, managers: Managers, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The accounts were sealed with the database's key (no key file named, as after a
    # package upgrade that kept IT's edited env file); the head's is sealed with a key nobody has.
    stranger = SecretBox(os.urandom(32)).seal("JBSWY3DPEHPK3PXP", "manager-totp:head")
    with central.admin() as session:
        session.execute(update(ManagerAccount).where(ManagerAccount.username == "head")
                        .values(totp_secret=stranger))
    key_file = tmp_path / "secrets.key"
    key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    key_file.chmod(0o600)
    url = url_of(central)
    before = stored_secret(central, "northmgr")
    monkeypatch.setenv("HOMEVISIT_CENTRAL_MANAGER_SECRETS_KEY_FILE", str(key_file))
    assert main(["migrate", "--database-url", url]) == 0
    moved = len(managers.secrets) - 1
    assert f"Moved the TOTP secrets of {moved} manager(s)" in capsys.readouterr().out
    assert stored_secret(central, "northmgr") != before
    assert stored_secret(central, "head") == stranger  # opens with neither: left
    [entry] = audited(central, "manager.secrets_resealed")
    assert entry.detail["accounts"] == moved and "head" not in entry.detail["managers"]
    with_key = Settings(database_url=url, manager_secrets_key_file=key_file)
    keyed = served(central, with_key)
    assert sign_in(keyed, managers, "northmgr")[0] == 303
    central.clock.advance(30)
    keyed.client.cookies.clear()
    assert sign_in(keyed, managers, "head")[0] == 401


def test_the_app_moves_them_at_start_when_migrate_was_not_run(
        central: Central, managers: Managers, tmp_path: Path) -> None:
    key_file = tmp_path / "secrets.key"
    key_file.write_text(base64.b64encode(os.urandom(32)).decode())
    key_file.chmod(0o600)
    with_key = Settings(database_url=url_of(central), manager_secrets_key_file=key_file)
    assert sign_in(served(central, with_key), managers, "northmgr")[0] == 303
    assert audited(central, "manager.secrets_resealed")
