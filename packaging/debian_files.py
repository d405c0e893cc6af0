"""What both .deb builders (packaging/linux for the laptop, packaging/central for central)
do alike: the version, reproducible gzip, and owner-independent modes with one timestamp."""

from __future__ import annotations

import gzip
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
