"""The `homevisit` command run inside the test's own process: its real `main`, argv, stdin,
stdout, stderr and exit code, without the ~1 s a new interpreter costs to start.

Everything a run changes in the process is put back afterwards: the environment variables
it was given, sys.stdin/stdout/stderr, sys.excepthook, the root logger's level and the log
file handler `configure_logging` adds, and the SIGTERM handler `sync` installs. Tests whose
point is a real process (a kill, a signal, an exit status seen by a parent) still start
`python -m desktop_app.cli` (`Laptop.run_process`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from logging.handlers import RotatingFileHandler


class _Stdin(io.StringIO):
    """Piped input: never a terminal, so passphrases are read as lines, as in a script."""

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _environment(changes: Mapping[str, str]) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def _process_state_restored() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    excepthook = sys.excepthook
    sigterm = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            if isinstance(handler, RotatingFileHandler):
                handler.close()
        root.setLevel(level)
        sys.excepthook = excepthook
        signal.signal(signal.SIGTERM, sigterm)


def run_cli(args: Sequence[str], *, stdin: str = "",
            env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`homevisit ARGS` with `stdin` piped in and `env` set: its exit code and output.

    An exception `main` does not turn into a message propagates (in a separate process the
    crash handler would print a calm line instead): the test fails loudly either way.
    """
    from desktop_app.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (_process_state_restored(), _environment(env or {}),
          contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)):
        saved_stdin = sys.stdin
        sys.stdin = _Stdin(stdin)
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse's refusals and --help, as the interpreter ends
            if exit_.code is None or isinstance(exit_.code, int):
                code = exit_.code or 0
            else:
                print(exit_.code, file=sys.stderr)
                code = 1
        finally:
            sys.stdin = saved_stdin
    return subprocess.CompletedProcess(["homevisit", *args], code, out.getvalue(),
                                       err.getvalue())
