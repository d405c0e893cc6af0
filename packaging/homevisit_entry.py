"""The frozen program's entry point: the same `homevisit` command as the installed script.

HOMEVISIT_EXIT_WHEN_SHOWN=1 makes the window print the time it was first shown and quit,
so bench/packaging.py can time the frozen and the source start the same way.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _exit_when_shown() -> int:
    from PySide6.QtWidgets import QApplication

    from desktop_app.app import run_app
    from desktop_app.policy import load_policy

    vault = sys.argv[1] if len(sys.argv) > 1 else None

    def shown(at: float) -> None:
        sys.stdout.write(f"{at}\n")
        sys.stdout.flush()
        QApplication.quit()

    return run_app(Path(vault) if vault else None, policy=load_policy().policy, on_shown=shown)


if __name__ == "__main__":
    from desktop_app.hardening import harden_process

    harden_process()
    if os.environ.get("HOMEVISIT_EXIT_WHEN_SHOWN") == "1":
        sys.exit(_exit_when_shown())
    from desktop_app.cli import main

    sys.exit(main())
