"""`python -m desktop_app.cli`: the headless commands, as the `homevisit` command runs them."""

import sys

from desktop_app.cli import run

sys.exit(run())
