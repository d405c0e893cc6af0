"""Central's .deb as IT meets it: built from this checkout, clean under lintian, installed with
dpkg into a throwaway root (an overlay of this machine's root in a private mount namespace),
and started there as the unit starts it, under its environment file, on the real PostgreSQL:
its health must answer. Minutes long: `make package-check`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.central.conftest import postgres_url

__all__ = ["postgres_url"]

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]

INSTALL_AND_START = """
set -eu
root={root}
mkdir -p $root/upper $root/work $root/merged
mount -t overlay overlay -o lowerdir=/,upperdir=$root/upper,workdir=$root/work $root/merged
for fs in proc sys dev; do mount --rbind /$fs $root/merged/$fs; done
mount -t tmpfs tmpfs $root/merged/tmp
cp {deb} $root/merged/tmp/central.deb
echo "== install"; chroot $root/merged dpkg -i /tmp/central.deb >/dev/null
echo "== files"; chroot $root/merged stat -c '%a %U:%G %n' /etc/homevisit-central \\
    /etc/homevisit-central/env /etc/homevisit-central/receipt.pem \\
    /etc/homevisit-central/token.pem /etc/homevisit-central/secrets.key
sed -i 's|^HOMEVISIT_CENTRAL_DATABASE_URL=.*|HOMEVISIT_CENTRAL_DATABASE_URL={database}|' \\
    $root/merged/etc/homevisit-central/env
echo "== start"
chroot $root/merged setpriv --reuid=homevisit --regid=homevisit --init-groups \\
    sh -c 'set -a; . /etc/homevisit-central/env; exec homevisit-central serve \\
        --host 127.0.0.1 --port {port} --workers 1' \\
    >$root/central.log 2>&1 &
pid=$!
for i in $(seq 1 120); do
    if curl -fsS http://127.0.0.1:{port}/v1/health 2>/dev/null; then break; fi; sleep 0.5
done
echo
kill $pid; wait $pid || true
echo "== unit"
systemd-analyze verify --root=$root/merged homevisit-central.service 2>&1 || true
"""


def test_central_deb_installs_and_answers_health(tmp_path: Path, postgres_url: str) -> None:
    made = subprocess.run([sys.executable, str(ROOT / "packaging" / "central" / "build_deb.py"),
                           "--out", str(tmp_path / "out"), "--staging", str(tmp_path / "stage")],
                          capture_output=True, text=True, check=True)
    deb = Path(made.stdout.splitlines()[0])
    lint = subprocess.run(["lintian", "--tag-display-limit", "0", str(deb)],
                          capture_output=True, text=True, check=False)
    assert [line for line in lint.stdout.splitlines() if line.startswith("E:")] == []
    script = INSTALL_AND_START.format(root=tmp_path / "root", deb=deb, database=postgres_url,
                                      port=18443)
    result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                             textwrap.dedent(script)], capture_output=True, text=True,
                            check=False, timeout=600)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    sections = dict(part.split("\n", 1) for part in out.split("== ")[1:])
    assert "750 root:homevisit /etc/homevisit-central\n" in sections["files"]
    assert "640 root:homevisit /etc/homevisit-central/env" in sections["files"]
    assert "600 homevisit:homevisit /etc/homevisit-central/receipt.pem" in sections["files"]
    assert "600 homevisit:homevisit /etc/homevisit-central/secrets.key" in sections["files"]
    assert '"status":"ok"' in sections["start"], out
