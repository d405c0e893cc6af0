"""User-visible strings are wrapped for translation: lupdate (shipped with PySide6) finds
each screen's words, and no bare literal reaches a label, button, tooltip or title."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UI = ROOT / "ui"
LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"
SHOWN = {"setText", "setToolTip", "setPlaceholderText", "setWindowTitle", "setAccessibleName",
         "setAccessibleDescription", "addTab", "setTabText", "QLabel", "QPushButton",
         "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "addMenu", "setStatusTip",
         "information", "warning", "critical", "question", "showMessage", "setHeaderLabels",
         "say"}
# Words from each screen, as the worker reads them.
KNOWN = ["&Lock now", "Filter caseload", "Attach a &photo from a file…", "Child protection",
         "Did you see {name} alone?", "Body map", "Save as &PDF…", "Name",
         "Any domestic abuse since the last visit, including police notifications?",
         "Your visits are locked. Enter your passphrase to open them."]


def bare_literals(source: str) -> list[int]:
    """Lines where a plain string (not tr/translate) is handed to something a user sees."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in SHOWN:
            continue
        # `log.warning(...)` goes to the log, not to a person (QMessageBox.warning does).
        if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                and func.value.id in {"log", "logger", "logging"}):
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and any(
                    ch.isalpha() for ch in arg.value):
                found.append(node.lineno)
    return found


def test_no_bare_user_visible_literal_in_ui() -> None:
    offenders = {path.name: lines for path in sorted(UI.rglob("*.py"))
                 if (lines := bare_literals(path.read_text()))}
    assert offenders == {}


@pytest.mark.skipif(not LUPDATE.exists(), reason="pyside6-lupdate is not installed")
def test_lupdate_extracts_each_screens_strings(tmp_path: Path) -> None:
    ts = tmp_path / "homevisit_en_GB.ts"
    subprocess.run([str(LUPDATE), *map(str, sorted(UI.rglob("*.py"))), "-ts", str(ts)],
                   check=True, capture_output=True, cwd=ROOT)
    extracted = ts.read_text()
    missing = [text for text in KNOWN
               if f"<source>{text.replace('&', '&amp;')}</source>" not in extracted]
    assert missing == []


def test_a_compiled_translation_for_the_locale_is_loaded(tmp_path: Path, qapp: object) -> None:
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

    from ui.shell import translation

    source = ROOT / "ui" / "translations" / "homevisit_en_GB.ts"
    text = source.read_text().replace(
        "<source>&amp;Lock now</source>\n        <translation type=\"unfinished\"></translation>",
        "<source>&amp;Lock now</source>\n        <translation>&amp;Verrouiller</translation>", 1)
    assert "Verrouiller" in text
    ts = tmp_path / "homevisit_fr_FR.ts"
    ts.write_text(text)
    subprocess.run([str(LUPDATE.with_name("pyside6-lrelease")), str(ts)], check=True,
                   capture_output=True)
    app = QCoreApplication.instance()
    assert app is not None
    before = translation.TRANSLATIONS
    translation.TRANSLATIONS = tmp_path
    try:
        assert not translation.install_translator(app, QLocale("de_DE"))
        assert translation.install_translator(app, QLocale("fr_FR"))
        assert QCoreApplication.translate("MainWindow", "&Lock now") == "&Verrouiller"
    finally:
        translation.TRANSLATIONS = before
        for translator in app.findChildren(QTranslator):
            app.removeTranslator(translator)
            translator.deleteLater()
