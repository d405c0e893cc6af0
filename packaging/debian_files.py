"""What both .deb builders (packaging/linux for the laptop, packaging/central for central)
do alike: the version, reproducible gzip, and owner-independent modes with one timestamp;
and, for central's virtualenv, installed packages' RECORD files that match what is shipped."""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import os
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAINTAINER_SCRIPTS = ("postinst", "postrm", "prerm")


def project() -> dict[str, object]:
    table: dict[str, object] = tomllib.loads(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def version() -> str:
    return str(project()["version"])


def write_gzip(data: bytes, target: Path) -> None:
    """Compressed the same way every time: no name, no time."""
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                   mtime=0, compresslevel=9) as stream:
        stream.write(data)


def refresh_records(site_packages: Path) -> None:
    """Make each installed package's RECORD (name, hash, size a file) match the files as
    shipped. pip writes it at install, before the builder points the scripts at their
    installed folder and deletes direct_url.json: left as is, it holds the hash of a script
    naming the build's temporary folder, which differs from build to build, and lists a file
    that is not there. Rows of files now missing are dropped; every other file's hash and
    size are those of its bytes now; RECORD's own row keeps no hash, as the format says."""
    for record in sorted(site_packages.glob("*.dist-info/RECORD")):
        rows = []
        for row in csv.reader(io.StringIO(record.read_text(encoding="utf-8"))):
            if not row:
                continue
            target = site_packages / row[0]
            if target == record:
                rows.append([row[0], "", ""])
            elif target.is_file():
                data = target.read_bytes()
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
                rows.append([row[0], f"sha256={digest.decode()}", str(len(data))])
            elif target.is_symlink() or target.exists():
                rows.append(row)
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        record.write_text(text.getvalue(), encoding="utf-8")


def normalise(staging: Path, epoch: int, executable: Callable[[Path], bool]) -> None:
    """Owner-independent modes (0755 for folders, maintainer scripts and what `executable`
    names, 0644 for the rest) and one timestamp for everything."""
    for path in sorted(staging.rglob("*"), reverse=True):
        if path.is_symlink():
            os.utime(path, (epoch, epoch), follow_symlinks=False)
            continue
        if path.is_dir():
            path.chmod(0o755)
        elif path.parent.name == "DEBIAN":
            path.chmod(0o755 if path.name in MAINTAINER_SCRIPTS else 0o644)
        else:
            path.chmod(0o755 if executable(path) else 0o644)
        os.utime(path, (epoch, epoch))
    os.utime(staging, (epoch, epoch))
