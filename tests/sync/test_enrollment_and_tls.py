"""Enrolling as IT and workers meet it: typing mistakes, no network, an untrusted server.

Every failure is one sentence on stderr (what happened, that nothing was lost, what to do)
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.sync.harness import ROOT, CentralProcess, CentralThread, Laptop, free_port
from tests.vaults import PASSPHRASE


def one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("homevisit: ")
    return lines[0]


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_mistakes_at_enrollment_are_explained_and_change_nothing(
        central: CentralProcess, tmp_path: Path) -> None:
    central.admin.world()
    laptop = Laptop.create(tmp_path, "north1")
    unenrolled = laptop.sync()
    assert unenrolled.returncode == 2
    assert "not enrolled" in one_line_error(unenrolled.stderr)

    wrong_code = laptop.enroll(central.url, "AAAAA-BBBBB-CCCCC-DDDDD")
    assert wrong_code.returncode == 2
    assert "enrollment code is not known" in one_line_error(wrong_code.stderr)

    garbage = laptop.enroll(central.url, "x" * 80)
    assert "not an enrollment code" in one_line_error(garbage.stderr)

    nobody_there = laptop.enroll(f"http://127.0.0.1:{free_port()}", "AAAAA-BBBBB")
    message = one_line_error(nobody_there.stderr)
    assert "could not be reached" in message and "Nothing was lost" in message

    plain_http = laptop.enroll("http://central.example.org", "AAAAA-BBBBB")
    assert "only ever sent over https" in one_line_error(plain_http.stderr)

    wrong_passphrase = laptop.run("enroll", "--vault", str(laptop.directory), "--server",
                                  central.url, stdin="not the passphrase\nAAAAA\n")
    assert "passphrase" in one_line_error(wrong_passphrase.stderr).lower()

    no_server = laptop.run("enroll", "--vault", str(laptop.directory),
                           stdin=f"{PASSPHRASE}\nAAAAA\n")
    assert "--server" in one_line_error(no_server.stderr)

    code = central.admin.invite("north1")
    assert laptop.enroll(central.url, code).returncode == 0
    twice = laptop.enroll(central.url, central.admin.invite("north1"))
    assert "already enrolled" in one_line_error(twice.stderr)
    assert laptop.sync().returncode == 0


def _certificate_authority(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a certificate for `localhost` signed by it, as an organisation's PKI makes."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Council test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(ca_key, hashes.SHA256()))
    paths = folder / "central.pem", folder / "central.key", folder / "ca.pem"
    paths[0].write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    paths[2].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return paths


@pytest.fixture
def tls_central(sqlite_template: Path, tmp_path: Path) -> Iterator[CentralProcess]:
    database = tmp_path / "central.sqlite3"
    shutil.copy(sqlite_template, database)
    process = CentralThread(f"sqlite:///{database}", tmp_path,
                             tls=_certificate_authority(tmp_path))
    process.start()
    yield process
    process.close()


def test_tls_trusts_only_the_ca_policy_pins(tls_central: CentralProcess, tmp_path: Path) -> None:
    tls_central.admin.world()
    untrusting = Laptop.create(tmp_path, "system-store")
    refused = untrusting.enroll(tls_central.url, tls_central.admin.invite("north1"))
    assert "certificate is not trusted" in one_line_error(refused.stderr)

    ca_file = tmp_path / "ca.pem"
    pinned = Laptop.create(tmp_path, "pinned", settings=f'ca_file = "{ca_file}"\n')
    enrolled = pinned.enroll(tls_central.url, tls_central.admin.invite("north1"))
    assert enrolled.returncode == 0, enrolled.stderr
    visits = []
    synced = pinned.sync()
    assert synced.returncode == 0, synced.stderr
    visits = pinned.submit_visits(1)
    assert pinned.sync().returncode == 0
    assert tls_central.visit_ids() == visits


@pytest.mark.parametrize("central_server", ["sqlite"], indirect=True)  # database-neutral
def test_sync_without_once_keeps_syncing_until_told_to_stop(central: CentralProcess,
                                                            tmp_path: Path) -> None:
    central.admin.world()
    laptop = Laptop.create(tmp_path, "north1")
    assert laptop.enroll(central.url, central.admin.invite("north1")).returncode == 0
    process = subprocess.Popen(laptop.command("sync", "--vault", str(laptop.directory)),
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=laptop.env(), cwd=ROOT)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(PASSPHRASE + "\n")
    process.stdin.close()
    while "Everything is synced." not in (line := process.stdout.readline()):
        assert line, "the sync loop ended by itself"
    assert process.poll() is None  # still running, waiting for the next interval
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert process.stderr is not None
    err = process.stderr.read()
    process.stdout.close()
    process.stderr.close()
    assert "Traceback" not in err
