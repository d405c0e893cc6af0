"""Load a translation of the app's words for the system locale, when one is shipped.

Translators' files are ui/translations/homevisit_<locale>.qm (made from the .ts that
`make translations` extracts); with none for the locale, the English source text shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def install_translator(app: QCoreApplication, locale: QLocale | None = None) -> bool:
    translator = QTranslator(app)  # parented: lives as long as the application
    if not translator.load(locale or QLocale(), "homevisit", "_", str(TRANSLATIONS), ".qm"):
        translator.deleteLater()
        return False
    return app.installTranslator(translator)
