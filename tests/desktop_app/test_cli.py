"""The headless commands as IT runs them: real vaults, real bad input.

Every failure must be one clear line on stderr and a non-zero exit, never a traceback.
Commands run through the program's real `main` with their argv, stdin and environment, in
the test's process (tests/cli_runner.py); where the process itself is the point (the exit
status a shell sees, a file-size limit the kernel enforces) they run as real processes.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from tests.cli_runner import run_cli

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long enough passphrase"


def cli(tmp_path: Path, *args: str, stdin: str = "", settings: str | None = None,
        file_size_limit: int | None = None,
        process: bool = False) -> subprocess.CompletedProcess[str]:
    """`homevisit ARGS`; in its own process when `process` or a file size limit is asked."""
    env = {"XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "QT_QPA_PLATFORM": "offscreen"}
    if settings is not None:
        path = tmp_path / "settings.toml"
        path.write_text(settings)
        env["HOMEVISIT_SETTINGS_FILE"] = str(path)
    if not process and file_size_limit is None:
        done = run_cli(args, stdin=stdin, env=env)
        assert "Traceback" not in done.stderr, done.stderr
        return done

    def limit_file_size() -> None:
        if file_size_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    result = subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", *args], input=stdin,
        env={**os.environ, **env}, cwd=ROOT,
        capture_output=True, text=True, timeout=300, check=False, preexec_fn=limit_file_size,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("homevisit: ")
    return lines[0]


@pytest.fixture(scope="module")
def demo_vault_made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A vault `homevisit demo-data` filled (4 children, 12 visits), made once a module."""
    home = tmp_path_factory.mktemp("demo-vault")
    made = cli(home, "demo-data", "--vault", str(home / "vault"), "--children", "4",
               "--visits", "12", stdin=PASSPHRASE + "\n")
    assert made.returncode == 0, made.stderr
    return home / "vault"


@pytest.fixture
def vault(tmp_path: Path, demo_vault_made_once: Path) -> Path:
    """This test's own copy of that vault: its files are the test's to change or break."""
    directory = tmp_path / "vault"
    shutil.copytree(demo_vault_made_once, directory)
    return directory


def test_version_and_self_test(tmp_path: Path) -> None:
    version = cli(tmp_path, "--version", process=True)
    assert version.returncode == 0 and version.stdout.startswith("homevisit ")
    test = cli(tmp_path, "self-test", process=True)
    assert test.returncode == 0, test.stdout
    assert [line.split()[0] for line in test.stdout.splitlines()] == ["ok"] * 6  # + PDF, central


def test_create_check_and_change_passphrase(tmp_path: Path, vault: Path) -> None:
    healthy = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert healthy.returncode == 0 and "healthy: 12 submitted visits" in healthy.stdout
    before = (vault / "vault.db").read_bytes()
    changed = cli(tmp_path, "vault", "change-passphrase", "--vault", str(vault),
                  stdin=f"{PASSPHRASE}\nan entirely new passphrase\n")
    assert changed.returncode == 0, changed.stderr
    assert cli(tmp_path, "vault", "check", "--vault", str(vault),
               stdin="an entirely new passphrase\n").returncode == 0
    old = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert "passphrase is not right" in one_line_error(old)
    assert before[:4096] == (vault / "vault.db").read_bytes()[:4096]


def test_wrong_passphrase_fails_closed(tmp_path: Path, vault: Path) -> None:
    # As a process: the exit status a script sees, and stderr with no traceback.
    wrong = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin="not the passphrase\n",
                process=True)
    assert wrong.returncode == 2
    assert "Nothing was changed" in one_line_error(wrong)


def test_missing_vault_and_missing_input(tmp_path: Path) -> None:
    missing = cli(tmp_path, "vault", "check", "--vault", str(tmp_path / "nowhere"), stdin="x\n")
    assert "no Homevisit vault" in one_line_error(missing)
    no_input = cli(tmp_path, "vault", "create", "--vault", str(tmp_path / "new"), stdin="")
    assert "stdin" in one_line_error(no_input)
    assert not (tmp_path / "new").exists()


def test_a_short_passphrase_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    short = cli(tmp_path, "vault", "create", "--vault", str(tmp_path / "new"), stdin="short\n")
    assert "at least 12 characters" in one_line_error(short)
    assert not (tmp_path / "new" / "vault.keys").exists()


def test_a_tampered_key_file_is_reported(tmp_path: Path, vault: Path) -> None:
    key_file = vault / "vault.keys"
    text = key_file.read_text()
    key_file.write_text(text.replace('"lanes": 4', '"lanes": 5', 1) if '"lanes": 4' in text
                        else text[:-20])
    result = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert "key file" in one_line_error(result)


def test_missing_changes_are_reported_and_their_loss_accepted_only_when_confirmed(
        tmp_path: Path, vault: Path) -> None:
    older = (vault / "vault.db").read_bytes()  # demo-data closed cleanly: no WAL
    assert cli(tmp_path, "vault", "check", "--vault", str(vault),
               stdin=PASSPHRASE + "\n").returncode == 0  # its unlock is audited: a change
    (vault / "vault.db").write_bytes(older)

    check = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert check.returncode == 1
    assert "PROBLEM  the database is missing 1 change it had saved" in check.stdout
    declined = cli(tmp_path, "vault", "accept-rollback", "--vault", str(vault),
                   stdin=PASSPHRASE + "\nno\n")
    assert declined.returncode == 1 and "Not accepted. Nothing was changed" in declined.stdout
    assert (vault / "vault.db").read_bytes() == older
    refused = cli(tmp_path, "vault", "change-passphrase", "--vault", str(vault),
                  stdin=f"{PASSPHRASE}\nan entirely new passphrase\n")
    assert "missing 1 change it had saved" in one_line_error(refused)

    accepted = cli(tmp_path, "vault", "accept-rollback", "--vault", str(vault),
                   stdin=PASSPHRASE + "\nACCEPT\n")
    assert accepted.returncode == 0, accepted.stderr
    assert "opens again without 1 saved change; the audit log records this" in accepted.stdout
    healthy = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert healthy.returncode == 0 and "healthy: 12 submitted visits" in healthy.stdout
    again = cli(tmp_path, "vault", "accept-rollback", "--vault", str(vault),
                stdin=PASSPHRASE + "\n")
    assert again.returncode == 0 and "missing nothing" in again.stdout


@pytest.mark.parametrize("where", ["header", "middle", "end"])
def test_a_flipped_byte_in_the_database_is_reported(tmp_path: Path, vault: Path,
                                                    where: str) -> None:
    database = vault / "vault.db"
    data = bytearray(database.read_bytes())
    offset = {"header": 20, "middle": len(data) // 2, "end": len(data) - 100}[where]
    data[offset] ^= 0x01
    database.write_bytes(bytes(data))
    result = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert result.returncode == 1, result.stderr
    assert "PROBLEM" in result.stdout
    assert "Nothing was changed" in result.stdout
    assert "Traceback" not in result.stderr


def test_recovery_with_the_organisation_key(tmp_path: Path) -> None:
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes(serialization.Encoding.Raw,
                                               serialization.PublicFormat.Raw)
    import base64

    settings = f'recovery_public_key = "{base64.b64encode(public).decode()}"\n'
    key_file = tmp_path / "recovery.pem"
    key_file.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    vault = tmp_path / "vault"
    made = cli(tmp_path, "vault", "create", "--vault", str(vault), stdin=PASSPHRASE + "\n",
               settings=settings)
    assert made.returncode == 0 and "with an IT recovery key" in made.stdout
    recovered = cli(tmp_path, "vault", "recover", "--vault", str(vault), "--recovery-key",
                    str(key_file), stdin="the worker's fresh passphrase\n", settings=settings)
    assert recovered.returncode == 0, recovered.stderr
    assert cli(tmp_path, "vault", "check", "--vault", str(vault),
               stdin="the worker's fresh passphrase\n").returncode == 0
    not_a_key = tmp_path / "nonsense.pem"
    not_a_key.write_text("hello")
    bad = cli(tmp_path, "vault", "recover", "--vault", str(vault), "--recovery-key",
              str(not_a_key), stdin="another fresh passphrase\n")
    assert "not a Homevisit recovery private key" in one_line_error(bad)


def test_export_follows_policy_and_is_complete(tmp_path: Path, vault: Path) -> None:
    out = tmp_path / "export.json"
    refused = cli(tmp_path, "vault", "export", "--vault", str(vault), "--out", str(out),
                  stdin=PASSPHRASE + "\n")
    assert "turned off by this laptop's IT policy" in one_line_error(refused)
    assert not out.exists()
    allowed = cli(tmp_path, "vault", "export", "--vault", str(vault), "--out", str(out),
                  stdin=PASSPHRASE + "\n", settings="export_allowed = true\n")
    assert allowed.returncode == 0, allowed.stderr
    document = json.loads(out.read_text())
    assert len([v for v in document["visits"] if v["status"] == "submitted"]) == 12
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    nowhere = cli(tmp_path, "vault", "export", "--vault", str(vault), "--out",
                  str(tmp_path / "no" / "such" / "x.json"), stdin=PASSPHRASE + "\n",
                  settings="export_allowed = true\n")
    assert "does not exist" in one_line_error(nowhere)


def test_a_path_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = cli(tmp_path, "vault", "create", "--vault", str(blocker / "vault"),
                 stdin=PASSPHRASE + "\n")
    assert "cannot write" in one_line_error(result).lower()


def test_a_full_disk_is_a_clear_message_and_the_vault_stays_whole(tmp_path: Path,
                                                                     vault: Path) -> None:
    size = (vault / "vault.db").stat().st_size
    full = cli(tmp_path, "demo-data", "--vault", str(vault), "--children", "40",
               "--visits", "400", stdin=PASSPHRASE + "\n", file_size_limit=size + 8192)
    assert "disk may be full" in one_line_error(full)
    healthy = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr


def test_a_malformed_policy_file_is_named_and_ignored(tmp_path: Path) -> None:
    result = cli(tmp_path, "self-test", settings="idle_lock_minutes = 'soon'\n")
    assert result.returncode == 1
    assert "line 1, key 'idle_lock_minutes'" in result.stdout + result.stderr


def test_help_lists_no_hidden_command(tmp_path: Path) -> None:
    shown = cli(tmp_path, "--help")
    assert shown.returncode == 0
    assert "SUPPRESS" not in shown.stdout and "qt-probe" not in shown.stdout
