"""A `serve` worker ends when the process that started it does.

`homevisit-central serve` runs one uvicorn worker a core under uvicorn's supervisor. Under
systemd (the shipped unit) a stop or a crash takes the whole control group. Run by hand, a
supervisor killed outright (SIGKILL, the out-of-memory killer) cannot stop its workers:
they went on holding the port and answering with a database no one was watching over, and
the next `serve` failed to bind. Each worker now asks Linux to send it SIGTERM the moment
its parent goes (`PR_SET_PDEATHSIG`), and uvicorn shuts it down as for any stop: the request
in hand finishes, nothing half-written is left.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""


def end_with_supervisor() -> None:
    """In a worker process started by `serve`'s supervisor (a multiprocessing child): SIGTERM
    when the supervisor ends, however it ends. Elsewhere (one worker, tests, other systems)
    nothing."""
    parent = multiprocessing.parent_process()
    if parent is None or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        return  # not granted: the worker runs as before, and systemd still stops it
    if os.getppid() != parent.pid:
        # The supervisor died before the request was made: Linux will send nothing.
        os.kill(os.getpid(), signal.SIGTERM)
