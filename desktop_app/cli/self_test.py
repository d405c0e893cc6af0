"""`homevisit self-test`: does this installation work? One line per check, no personal data.

The crypto round trip makes a throwaway vault holding only the word "self-test" in a fresh
temporary folder, and removes it afterwards. Central is asked only for its health, and only
when the policy names it; nothing identifying the laptop or its worker is sent.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.policy import EffectivePolicy


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: bool
    detail: str


def run_checks(effective: EffectivePolicy) -> list[CheckResult]:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("SQLCipher", _sqlcipher),
        ("encrypted vault round trip", _vault_round_trip),
        ("policy", lambda: _policy(effective)),
        ("Qt platform", _qt_platform),
        ("PDF", _pdf),
        ("central", lambda: _central(effective)),
    ]
    results = []
    for name, check in checks:
        try:
            results.append(CheckResult(name, True, check()))
        except Exception as error:
            results.append(CheckResult(name, False, f"{type(error).__name__}: {error}"))
    return results


def _sqlcipher() -> str:
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    try:
        cipher = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    if not cipher or not cipher[0]:
        raise RuntimeError("the SQLite library in use has no SQLCipher encryption")
    major = int(str(cipher[0]).split(".")[0])
    if major < 4:
        raise RuntimeError(f"SQLCipher {cipher[0]} is older than 4")
    return f"SQLCipher {cipher[0]} on SQLite {sqlcipher3.sqlite_version}"


def _vault_round_trip() -> str:
    from storage.keyslots import KdfParams
    from storage.vault import Vault

    scratch = Path(tempfile.mkdtemp(prefix="homevisit-self-test-"))
    try:
        directory = scratch / "vault"
        with Vault.create(directory, "self-test passphrase", kdf=KdfParams()) as vault:
            vault.connection.execute("CREATE TABLE self_test (word TEXT)")
            vault.connection.execute("INSERT INTO self_test VALUES ('self-test')")
        with Vault.unlock(directory, "self-test passphrase") as vault:
            word = vault.connection.execute("SELECT word FROM self_test").fetchone()[0]
        if word != "self-test":
            raise RuntimeError("the vault did not give back what was written")
        if b"self-test" in (directory / "vault.db").read_bytes():
            raise RuntimeError("the vault file holds plain text")
        return "created, written, locked, reopened and read back; nothing readable on disk"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _policy(effective: EffectivePolicy) -> str:
    if effective.problems:
        raise RuntimeError("; ".join(effective.problems))
    locked = sorted(k for k in effective.sources if effective.is_locked(k))
    return f"valid; {len(locked)} keys set by IT" if locked else "valid; built-in defaults"


# A line in two of the scripts the laptop's own fonts must draw ("child" in Bengali, and
# Urdu's ہ, which DejaVu Sans lacks): a missing font shows here, not in a court record.
SCRIPTS_LINE = "শিশু · بچہ"


def _pdf(*, system_fonts: bool = True) -> str:
    """Typst's native module, its fonts and the PDF template are in this installation and
    make a tagged PDF (of no one: the words "self-test"), and the laptop has fonts for
    Bengali and Arabic script (the .deb recommends Debian's Noto fonts). `system_fonts`
    False: as on a laptop without them."""
    from datetime import UTC, datetime

    from ui.widgets.pdf_file import PdfSource, RunningHead, make_pdf
    from ui.widgets.record_blocks import Heading, Paragraph

    head = RunningHead("Self-test", "No one", "—", None, "Hash", "self-test",
                       datetime.now(UTC))
    made = make_pdf(PdfSource(head, (Heading(1, "self-test"), Paragraph(SCRIPTS_LINE))),
                    system_fonts=system_fonts)
    if not made.data.startswith(b"%PDF-"):
        raise RuntimeError("the PDF made is not a PDF file")
    if not made.archival:
        raise RuntimeError(f"no font on this laptop draws {made.undrawn_named or 'a script'}: "
                           "PDFs show such words as empty boxes; install fonts for it "
                           "(Debian: fonts-noto-core)")
    if b"pdfuaid" not in made.data:
        raise RuntimeError("the PDF made is not a tagged PDF/UA-1 file")
    return f"tagged PDF/UA-1 made, Bengali and Arabic script drawn ({len(made.data) // 1024} KB)"


def _central(effective: EffectivePolicy) -> str:
    import httpx

    policy = effective.policy
    if not policy.server_url:
        return "not configured (no server_url in the policy); skipped"
    from sync.transport import checked_server_url

    verify: str | bool = str(policy.ca_file) if policy.ca_file else True
    url = checked_server_url(policy.server_url) + "/v1/health"
    try:
        answer = httpx.get(url, verify=verify, timeout=10, follow_redirects=False)
    except httpx.HTTPError as error:
        raise RuntimeError(f"{url} cannot be reached ({type(error).__name__}: {error})"
                           ) from error
    if answer.status_code != 200:
        raise RuntimeError(f"{url} answered {answer.status_code}")
    pinned = f", certificate checked against {policy.ca_file}" if policy.ca_file else ""
    return f"{url} answered 200{pinned}"


def _qt_platform() -> str:
    from desktop_app.display import missing_display

    if (no_screen := missing_display()) is not None:
        raise RuntimeError(no_screen)
    # Qt aborts the whole process when no platform plugin loads, so ask a child process.
    command = [sys.executable, "qt-probe"] if getattr(sys, "frozen", False) else [
        sys.executable, "-m", "desktop_app.cli", "qt-probe"]
    try:
        probe = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired as error:
        raise RuntimeError("Qt did not start within 60 seconds") from error
    if probe.returncode != 0:
        lines = probe.stderr.strip().splitlines() or ["no output"]
        reason = next((line for line in lines if "needed" in line), lines[0])
        raise RuntimeError(f"Qt could not start a window system connection: {reason}")
    return f"Qt platform plugin '{probe.stdout.strip()}' loaded"


def qt_probe() -> int:
    """Start Qt's GUI layer and print the platform plugin's name (run as a child process)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([])
    print(QGuiApplication.platformName())
    del app
    return 0
