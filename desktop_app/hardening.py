"""The process made safe before any secret exists in it: no core dumps, no ptrace by other
programs of the same user, and files created private by default.

A crash of an unlocked Homevisit would otherwise leave a core file holding the vault's data
key, the passphrase and children's names and words (docs/security.md, "Process hardening").
Called first by the real entry points (`homevisit`, the frozen program, `make run`); the test
suite's in-process calls of `main()` leave pytest's own process alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PRIVATE_FILES = 0o077


def harden_process() -> None:
    """Turn off core dumps and make new files private. Never fails the start: a platform
    that refuses one step is logged and the others still apply."""
    os.umask(PRIVATE_FILES)
    _no_core_files()
    if sys.platform.startswith("linux"):
        _not_dumpable()


def _no_core_files() -> None:
    try:
        import resource
    except ImportError:  # Windows: no core files; Windows Error Reporting is IT's policy
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError) as error:
        log.warning("could not turn off core files: %s", type(error).__name__)


def _not_dumpable() -> None:
    """PR_SET_DUMPABLE 0: no core even where a crash handler raises the limit again, and
    other processes of the same user cannot attach a debugger or read /proc/PID/mem."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        log.warning("could not mark the process not dumpable: no C library found")
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        log.warning("could not mark the process not dumpable: errno %d", ctypes.get_errno())
