# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_VAULT ?= $(HOME)/.local/share/homevisit-demo

.PHONY: run test lint typecheck bench clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,central]'
	touch $(STAMP)

# What Qt needs at run time (offscreen included), fonts, and the D-Bus daemon the lock tests
# talk to; only what is missing is installed.
QT_RUNTIME_PACKAGES := libegl1 libgl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core \
	libglib2.0-0 libdbus-1-3 dbus-daemon

run: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES) libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
	$(BIN)/python -m desktop_app.demo --vault "$(DEMO_VAULT)"

test: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check .
	$(BIN)/mypy records storage sync central ui desktop_app

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy records storage sync central ui desktop_app

bench: $(STAMP)
	$(BIN)/python bench/vault.py
	$(BIN)/python bench/crash_loop.py

# PNGs of each main screen, from the real app under Xvfb on a fresh demo vault.
screenshots: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES) xvfb libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
	xvfb-run -a -s "-screen 0 1280x900x24" $(BIN)/python -m desktop_app.screenshots docs/screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
