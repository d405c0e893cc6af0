"""After real use through the CLI, nothing about a child can be read anywhere on disk.

The CLI runs as real processes with the temp folder, the log folder and the config folder
pointed inside the test's own directory, so every file they could write is looked at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop_app.policy import Policy
from desktop_app.session import unlock
from records.contracts import VisitStatus

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long enough passphrase"


def run_cli(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TMPDIR": str(home / "tmp"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "HOME": str(home),
        "HOMEVISIT_LOG_LEVEL": "DEBUG",
    }
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", *args], input=stdin, env=env,
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )


def secrets_in(vault: Path) -> set[str]:
    """The names, words and explanations the demo data put in the vault."""
    found: set[str] = set()
    with unlock(vault, PASSPHRASE, Policy()) as session:
        for child in session.workspace.cases.children():
            found |= {child.given_name + " " + child.family_name, child.family_name}
        for case in session.workspace.cases.cases():
            found |= {case.reference, case.address}
        visits = session.workspace.visits
        for summary in visits.summaries(status=VisitStatus.SUBMITTED, limit=10**6):
            stored = visits.get(summary.id)
            assert stored is not None
            for observation in stored.visit.children:
                found |= {observation.child_words, observation.reason_not_seen_alone}
                found |= {i.explanation_words for i in observation.injuries}
    return {s for s in found if len(s) >= 5}


def test_no_child_data_in_any_file_after_real_use(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "tmp").mkdir(parents=True)
    vault = tmp_path / "vault"
    made = run_cli(home, "demo-data", "--vault", str(vault), "--children", "12",
                   "--visits", "60", stdin=PASSPHRASE + "\n")
    assert made.returncode == 0, made.stderr
    checked = run_cli(home, "vault", "check", "--vault", str(vault), stdin=PASSPHRASE + "\n")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    wrong = run_cli(home, "vault", "check", "--vault", str(vault), stdin="not it at all\n")
    assert wrong.returncode == 2
    secrets = secrets_in(vault)
    assert len(secrets) > 20, "the demo data should have put real-looking content in the vault"

    files = [p for p in [*vault.rglob("*"), *home.rglob("*")] if p.is_file()]
    assert any(p.name == "vault.db" for p in files)
    assert any(p.name == "homevisit.log" for p in files), "the log file should exist and be read"
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            for encoding in ("utf-8", "utf-16-le"):
                assert secret.encode(encoding) not in data, f"{secret!r} found in {path.name}"
    outputs = made.stdout + made.stderr + checked.stdout + checked.stderr + wrong.stderr
    for secret in secrets:
        assert secret not in outputs
