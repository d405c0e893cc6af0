"""`make run`: the app on a demo vault of invented families, made on first use.

Run: python -m desktop_app.demo --vault DIR
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop_app import session as sessions
from desktop_app.demo_data import make_demo_data
from desktop_app.logs import configure_logging
from desktop_app.policy import Policy
from storage.vault import Vault

DEMO_PASSPHRASE = "demo visit passphrase"


def ensure_demo_vault(directory: Path) -> None:
    if Vault.exists(directory):
        return
    print(f"Making a demo vault of invented families in {directory} …", flush=True)
    with sessions.create_vault(directory, DEMO_PASSPHRASE, Policy()) as opened:
        make_demo_data(opened.workspace, children=40, visits=160)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vault", type=Path, required=True)
    arguments = parser.parse_args()
    configure_logging()
    ensure_demo_vault(arguments.vault)
    print(f"Demo vault: {arguments.vault}  —  passphrase: {DEMO_PASSPHRASE}", flush=True)
    from desktop_app.app import run_app

    return run_app(arguments.vault, hint=f"Demo vault: the passphrase is “{DEMO_PASSPHRASE}”.")


if __name__ == "__main__":
    sys.exit(main())
