"""A commit of this repository unpacked into a temporary folder, for the benchmarks that
measure the code as it was (`--compare-commit REV`) beside the code as it is."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def unpacked(revision: str, *, within: Path | None = None) -> Iterator[Path]:
    """This repository's files at `revision` (`git archive`), in a temporary folder (inside
    `within` when given) named after the commit; removed afterwards."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(dir=within) as folder:
        target = Path(folder) / commit
        target.mkdir()
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        yield target
