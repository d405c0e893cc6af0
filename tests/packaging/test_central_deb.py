"""Central's .deb as IT meets it: built twice from one snapshot of this checkout, in two
folders, byte-identical (and so the wheel it installs); clean under lintian; installed with
dpkg into a throwaway root (an overlay of this machine's root in a private mount namespace),
and started there as the unit starts it, under its environment file, on the real PostgreSQL:
its health must answer. Tens of minutes long: `make package-check`."""

from __future__ import annotations

import hashlib
import os
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


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip()


def _build(source: Path, epoch: str, where: Path) -> tuple[Path, Path]:
    """One build, as `make deb-central` makes it: the .deb and the wheel."""
    made = subprocess.run([sys.executable, str(source / "packaging" / "central" / "build_deb.py"),
                           "--out", str(where / "out"), "--staging", str(where / "stage")],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
    deb, wheel = made.stdout.split()
    return Path(deb), Path(wheel)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[tuple[Path, Path], ...]:
    """HEAD's committed tree, built twice in two folders of different lengths."""
    base = tmp_path_factory.mktemp("central-deb")
    commit = _git("rev-parse", "HEAD")
    source = base / "source"
    source.mkdir()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive, check=True)
    epoch = _git("log", "-1", "--format=%ct", commit)
    return (_build(source, epoch, base / "first"),
            _build(source, epoch, base / "second-build-in-a-longer-folder"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _differing(first: Path, second: Path, scratch: Path) -> list[str]:
    """Which installed files differ between two .debs (for the failure message)."""
    trees = []
    for name, deb in (("a", first), ("b", second)):
        subprocess.run(["dpkg-deb", "-R", str(deb), str(scratch / name)], check=True)
        trees.append(scratch / name)
    return sorted(str(path.relative_to(trees[0])) for path in trees[0].rglob("*")
                  if path.is_file() and not path.is_symlink()
                  and _sha256(path) != _sha256(trees[1] / path.relative_to(trees[0])))


def test_two_builds_are_byte_identical(builds: tuple[tuple[Path, Path], ...],
                                       tmp_path: Path) -> None:
    (first_deb, first_wheel), (second_deb, second_wheel) = builds
    assert _sha256(first_wheel) == _sha256(second_wheel)
    if _sha256(first_deb) != _sha256(second_deb):
        pytest.fail("the two .debs differ in: "
                    + ", ".join(_differing(first_deb, second_deb, tmp_path)))


def test_central_deb_installs_and_answers_health(builds: tuple[tuple[Path, Path], ...],
                                                 tmp_path: Path, postgres_url: str) -> None:
    deb = builds[0][0]
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
