"""IT's recovery key from `homevisit-central recovery-keygen` to a recovered vault, and
`homevisit self-test` against a real central."""

from __future__ import annotations

import socket
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from central import cli as central_cli
from central.db.engine import make_engine
from central.db.migrate import upgrade
from desktop_app import policy_sources
from tests.desktop_app.test_cli import PASSPHRASE, cli
from tests.sync.harness import CentralThread


def test_keygen_makes_a_private_key_only_its_owner_reads_and_never_overwrites(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "safe" / "recovery.pem"
    assert central_cli.main(["recovery-keygen", "--out", str(target)]) == 0
    printed = capsys.readouterr().out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    public = (tmp_path / "safe" / "recovery.pem.pub").read_text().strip()
    assert f'recovery_public_key = "{public}"' in printed
    before = target.read_bytes()
    assert central_cli.main(["recovery-keygen", "--out", str(target)]) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_a_forgotten_passphrase_is_recovered_with_the_keygen_pair(tmp_path: Path) -> None:
    private = tmp_path / "recovery.pem"
    assert central_cli.main(["recovery-keygen", "--out", str(private)]) == 0
    public = (tmp_path / "recovery.pem.pub").read_text().strip()
    settings = f'recovery_public_key = "{public}"\n'
    vault = tmp_path / "vault"
    made = cli(tmp_path, "vault", "create", "--vault", str(vault), stdin=PASSPHRASE + "\n",
               settings=settings)
    assert made.returncode == 0, made.stderr
    assert "with an IT recovery key" in made.stdout
    new = "a brand new passphrase for the worker"
    recovered = cli(tmp_path, "vault", "recover", "--vault", str(vault), "--recovery-key",
                    str(private), stdin=new + "\n", settings=settings)
    assert recovered.returncode == 0, recovered.stderr
    assert cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=new + "\n",
               settings=settings).returncode == 0
    old = cli(tmp_path, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n",
              settings=settings)
    assert old.returncode != 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def central(tmp_path: Path) -> Iterator[str]:
    """A real central on an SQLite file (served on a thread here; `homevisit-central serve`
    as a process has its own test in tests/central/test_migrations_and_cli.py)."""
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    server = CentralThread(url, tmp_path)
    server.start()
    try:
        yield server.url
    finally:
        server.close()


def test_self_test_reaches_the_configured_central(tmp_path: Path, central: str) -> None:
    result = cli(tmp_path, "self-test", settings=f'server_url = "{central}"\n')
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "ok    SQLCipher", "ok    encrypted vault round trip", "ok    policy",
        "ok    Qt platform", "ok    PDF", "ok    central"]
    assert f"{central}/v1/health answered 200" in lines[-1]


def test_self_test_fails_with_an_exit_code_when_central_cannot_be_reached(
        tmp_path: Path) -> None:
    unreachable = f"http://127.0.0.1:{_free_port()}"
    result = cli(tmp_path, "self-test", settings=f'server_url = "{unreachable}"\n')
    assert result.returncode == 1
    central_line = result.stdout.splitlines()[-1]
    assert central_line.startswith("FAIL  central: ")
    assert "cannot be reached" in central_line
    refused = cli(tmp_path, "self-test", settings='server_url = "http://central.example"\n')
    assert refused.returncode == 1
    assert "only ever sent over https" in refused.stdout



@pytest.mark.expect_log("^PDF made without the PDF/A-2a and PDF/UA-1 checks")
def test_the_self_test_pdf_line_fails_where_no_font_draws_bengali_or_urdu() -> None:
    """The PDF check sets a Bengali word and Urdu's ہ: on a laptop with fonts for them
    (`make test` installs Debian's Noto fonts, as the .deb recommends) it passes and says
    so; without them (Typst kept to Homevisit's own fonts) IT is told which script and
    what to install, rather than finding out from a worker's PDF."""
    from desktop_app.cli.self_test import _pdf

    assert "Bengali and Arabic script drawn" in _pdf()
    with pytest.raises(RuntimeError) as missing:
        _pdf(system_fonts=False)
    said = str(missing.value)
    assert "Bengali: " in said and "U+06C1" in said and "fonts-noto-core" in said


@pytest.fixture
def it_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """IT's policy file, where `homevisit` reads it (/etc/homevisit/policy.toml)."""
    path = tmp_path / "etc" / "policy.toml"
    path.parent.mkdir()
    monkeypatch.setattr(policy_sources, "SYSTEM_POLICY_FILE", path)
    return path


def _keygen(tmp_path: Path, name: str) -> tuple[Path, str]:
    private = tmp_path / f"{name}.pem"
    assert central_cli.main(["recovery-keygen", "--out", str(private)]) == 0
    return private, (tmp_path / f"{name}.pem.pub").read_text().strip()


@pytest.mark.parametrize("policy_text", [
    'recovery_public_key = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n',  # not TOML
    'recovery_public_key = "not a key"\n',  # a value the schema refuses
    'recovery_public_key = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="\nphoto_allowed = 1\n',
], ids=["unreadable", "key refused", "unknown key"])
def test_no_vault_is_made_while_it_policy_cannot_give_its_recovery_key(
        tmp_path: Path, it_policy: Path, policy_text: str) -> None:
    it_policy.write_text(policy_text)
    vault = tmp_path / "vault"
    made = cli(tmp_path, "vault", "create", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert made.returncode == 2
    assert "The vault was not created" in made.stderr
    assert "ask IT to correct the policy" in made.stderr
    assert not (vault.exists() and any(vault.iterdir()))


def test_without_a_recovery_key_in_policy_a_vault_is_made_and_says_so(
        tmp_path: Path, it_policy: Path) -> None:
    it_policy.write_text("idle_lock_minutes = 5\n")  # IT chose no recovery key
    made = cli(tmp_path, "vault", "create", "--vault", str(tmp_path / "vault"),
               stdin=PASSPHRASE + "\n")
    assert made.returncode == 0, made.stderr
    assert "WITHOUT an IT recovery key" in made.stdout


def test_a_recovery_slot_is_added_then_rotated_and_each_key_recovers_in_turn(
        tmp_path: Path, it_policy: Path) -> None:
    vault = tmp_path / "vault"
    assert cli(tmp_path, "vault", "create", "--vault", str(vault),
               stdin=PASSPHRASE + "\n").returncode == 0
    first, first_public = _keygen(tmp_path, "first")
    second, second_public = _keygen(tmp_path, "second")

    rotated_early = cli(tmp_path, "vault", "rotate-recovery-key", "--vault", str(vault),
                        stdin=PASSPHRASE + "\n")
    assert rotated_early.returncode == 2 and "no usable recovery key" in rotated_early.stderr

    it_policy.write_text(f'recovery_public_key = "{first_public}"\n')
    added = cli(tmp_path, "vault", "add-recovery-key", "--vault", str(vault),
                stdin=PASSPHRASE + "\n")
    assert added.returncode == 0, added.stderr
    assert "Recovery slot added" in added.stdout
    after_first = "the passphrase set with the first key"
    assert cli(tmp_path, "vault", "recover", "--vault", str(vault), "--recovery-key",
               str(first), stdin=after_first + "\n").returncode == 0

    it_policy.write_text(f'recovery_public_key = "{second_public}"\n')
    again = cli(tmp_path, "vault", "add-recovery-key", "--vault", str(vault),
                stdin=after_first + "\n")
    assert again.returncode == 2 and "rotate-recovery-key" in again.stderr
    rotated = cli(tmp_path, "vault", "rotate-recovery-key", "--vault", str(vault),
                  stdin=after_first + "\n")
    assert rotated.returncode == 0, rotated.stderr
    assert "no longer with the old one" in rotated.stdout

    old_key = cli(tmp_path, "vault", "recover", "--vault", str(vault), "--recovery-key",
                  str(first), stdin="whatever the worker would choose\n")
    assert old_key.returncode == 2
    after_second = "the passphrase set with the second key"
    assert cli(tmp_path, "vault", "recover", "--vault", str(vault), "--recovery-key",
               str(second), stdin=after_second + "\n").returncode == 0
    assert cli(tmp_path, "vault", "check", "--vault", str(vault),
               stdin=after_second + "\n").returncode == 0
