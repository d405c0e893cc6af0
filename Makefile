# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_VAULT ?= $(HOME)/.local/share/homevisit-demo

.PHONY: run run-team-lead test test-slow lint typecheck bench clean screenshots frozen deb deb-central sbom package-check bench-packaging translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,central,packaging]'
	touch $(STAMP)

# What Qt needs at run time (offscreen included), fonts, and the D-Bus daemon the lock tests
# talk to; only what is missing is installed.
QT_RUNTIME_PACKAGES := libegl1 libgl1 libxkbcommon0 libfontconfig1 fonts-dejavu-core \
	libglib2.0-0 libdbus-1-3 dbus-daemon

# pdftoppm and pdftotext: the PDF tests render every page and read its words back; and the
# fonts the .deb recommends (build_deb.py RECOMMENDS), which the tests print Bengali,
# Tigrinya, Chinese and Urdu with and the self-test's PDF line checks.
PDF_TOOLS := poppler-utils fonts-noto-core fonts-noto-cjk

# A real X server and an X client that asks for the PRIMARY selection: the lock test
# checks, as another program on the desktop would, that nothing selected is still offered;
# and what Qt's xcb platform plugin loads to run the app on that server (a machine with a
# desktop has them; a fresh server or CI image may not).
X11_TEST_TOOLS := xvfb xclip libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
	libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0

# Checkers of the packaging files (cheap ones run in `make test`), and what the .deb's
# Depends name, so the installed program can be run and its libraries resolved here.
PACKAGING_TOOLS := wixl msitools desktop-file-utils appstream systemd nginx-light openssl
# The browser the managers' web view is tested in (Playwright launches it by path).
BROWSER_PACKAGES := chromium
DEB_DEPENDS = $(shell $(BIN)/python packaging/linux/build_deb.py --print-depends)
DEB_RECOMMENDS = $(shell $(BIN)/python packaging/linux/build_deb.py --print-recommends)
# Reproducible builds: the time of the last commit, and no hash randomisation.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
FREEZE = PYTHONHASHSEED=0 SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(BIN)/pyinstaller \
	--noconfirm --clean --log-level WARN

# The app on a demo vault, enrolled with a local central (in $(DEMO_VAULT)-central) that
# runs while the app does; run-team-lead opens the team lead's side of the same central.
run: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES) libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
	$(BIN)/python -m desktop_app.demo --vault "$(DEMO_VAULT)"

run-team-lead: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES) libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
	$(BIN)/python -m desktop_app.demo --team-lead --vault "$(DEMO_VAULT)-team-lead" \
		--central "$(DEMO_VAULT)-central"

# Two workers, a test file each at a time (its module fixtures stay on one worker), the
# slowest files first; central runs on a thread of each worker and the CLI in-process
# except where the process is the point (docs/architecture.md, "tests/"); template vaults
# are copied where making one is not the point. From a fresh clone, venv included, the
# whole command took 3:38-3:46 here with nothing else running (pytest 3:12-3:18, ~330 s of
# CPU; docs/benchmarks.md, "Test suite"). Every worker makes its own PostgreSQL database
# and ports.
test: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES) $(PACKAGING_TOOLS) $(BROWSER_PACKAGES) $(PDF_TOOLS) \
		$(X11_TEST_TOOLS)
	$(BIN)/ruff check .
	@# mypy runs beside the tests: its cold cache costs ~20 s of one core, which the tests
	@# leave idle while they wait on PostgreSQL and real processes. Both must pass.
	$(BIN)/mypy records storage sync central ui desktop_app >.mypy-beside-tests.log 2>&1 & \
	types=$$!; \
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -n 2 --dist loadfile; tests=$$?; \
	wait $$types; typed=$$?; cat .mypy-beside-tests.log; rm -f .mypy-beside-tests.log; \
	[ $$tests -eq 0 ] && [ $$typed -eq 0 ]

# The long loops: 200 SIGKILLs mid-submit, 120 killed sync rounds (tens of minutes).
test-slow: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m slow

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy records storage sync central ui desktop_app

# Every benchmark in turn (tens of minutes); figures go in docs/benchmarks.md by hand.
bench: $(STAMP)
	$(BIN)/python bench/vault.py
	$(BIN)/python bench/crash_loop.py
	$(BIN)/python bench/central.py
	$(BIN)/python bench/push_cpu.py
	$(BIN)/python bench/sync.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/startup.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/review.py
	$(BIN)/python bench/notes.py

# PNGs of each main screen, from the real app under Xvfb on a fresh demo vault.
screenshots: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES) $(X11_TEST_TOOLS)
	xvfb-run -a -s "-screen 0 1280x900x24" $(BIN)/python -m desktop_app.screenshots docs/screenshots
	HOMEVISIT_PDF_SCREENSHOTS=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
		tests/ui/test_pdf_output.py -k screenshots_of_every_page

# The frozen program (PyInstaller onedir) in dist/homevisit.
frozen: $(STAMP)
	.ci/debian-packages $(DEB_DEPENDS)
	$(FREEZE) --distpath dist --workpath build/pyinstaller packaging/homevisit.spec

# dist/homevisit_VERSION_ARCH.deb, with its SBOM inside.
deb: frozen
	.ci/debian-packages $(PACKAGING_TOOLS) lintian
	$(BIN)/python packaging/sbom.py dist/homevisit --out dist/homevisit/sbom.cdx.json
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(BIN)/python packaging/linux/build_deb.py \
		--bundle dist/homevisit --out dist

# dist/homevisit-central_VERSION_ARCH.deb (central in a virtualenv under /opt, its unit, env
# file and signing keys) and the wheel it installs, dist/homevisit-VERSION-py3-none-any.whl.
deb-central: $(STAMP)
	.ci/debian-packages python3.11 python3.11-venv lintian
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(BIN)/python packaging/central/build_deb.py --out dist
	lintian --tag-display-limit 0 dist/homevisit-central_*.deb

sbom: frozen
	$(BIN)/python packaging/sbom.py dist/homevisit --out dist/homevisit/sbom.cdx.json

# The laptop's and central's .deb: two builds of each byte-identical, lintian, installed into
# a throwaway root and run there; and the IT guide's commands run word for word (minutes).
package-check: $(STAMP)
	.ci/debian-packages $(QT_RUNTIME_PACKAGES) $(PACKAGING_TOOLS) lintian $(DEB_DEPENDS) \
		$(DEB_RECOMMENDS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m packaging tests/packaging

# Bundle and .deb size, frozen start vs start from source: docs/benchmarks.md "Packaging".
bench-packaging: deb
	$(BIN)/python bench/packaging.py

# The source strings for translators (ui/translations/homevisit_en_GB.ts); a translator's
# homevisit_<locale>.qm (pyside6-lrelease) beside it is loaded for that system locale.
translations: $(STAMP)
	$(BIN)/pyside6-lupdate ui/*.py ui/*/*.py -ts ui/translations/homevisit_en_GB.ts

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
