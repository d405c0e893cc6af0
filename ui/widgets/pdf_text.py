"""A record's words on their way to paper. Qt-free.

Characters with no visible form (C0 controls other than tab, newline and carriage return,
U+FEFF, Unicode noncharacters) are dropped before Typst sees them: PDF/A and PDF/UA refuse
a glyph no font has, and these have none in any font. Word's manual line break (vertical
tab) and a form feed become a newline, which is what they showed on screen.

When a character still has no font on this laptop (a script IT has not installed fonts
for), `scripts_named` says which, in words a worker can pass on to IT.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_NONCHARACTERS = [*range(0xFDD0, 0xFDF0), *(plane * 0x10000 + low for plane in range(17)
                                            for low in (0xFFFE, 0xFFFF))]
_CLEANING: dict[int, str | None] = {
    **{code: None for code in range(0x20) if chr(code) not in "\t\n\r"},
    0x0B: "\n", 0x0C: "\n", 0xFEFF: None, **dict.fromkeys(_NONCHARACTERS),
}


def printable(text: str) -> str:
    """`text` without the characters that have no visible form (see the module)."""
    return text.translate(_CLEANING)


def cleaned(value: object) -> object:
    """Every string in a JSON-shaped value (dicts, lists, strings) made `printable`."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    return value


# Scripts whose Unicode name is not the name a worker or IT would look for.
_SCRIPT_NAMES = {
    "CJK": "Chinese, Japanese or Korean", "HANGUL": "Korean", "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese", "ETHIOPIC": "Ethiopic (Tigrinya, Amharic)",
    "ARABIC": "Arabic script (Arabic, Urdu, Pashto, Dari, Kurdish)",
    "GURMUKHI": "Gurmukhi (Punjabi)", "DEVANAGARI": "Devanagari (Hindi, Nepali, Marathi)",
}
SHOWN_PER_SCRIPT = 5


def script_of(character: str) -> str:
    """The script a character belongs to, as its Unicode name begins ("BENGALI LETTER A")."""
    if unicodedata.category(character) == "Co":
        return "Private use (a symbol only some fonts have)"
    name = unicodedata.name(character, "")
    if not name:
        return "Unnamed characters"
    first = name.split()[0]
    return _SCRIPT_NAMES.get(first, first.capitalize())


def scripts_named(characters: Iterable[str]) -> str:
    """The characters grouped by script, each with its code so it can be looked up even
    where this laptop's screen cannot show it either: "Bengali: আ (U+0986), …"."""
    by_script: dict[str, list[str]] = {}
    for character in characters:
        by_script.setdefault(script_of(character), []).append(character)
    parts = []
    for script, found in sorted(by_script.items()):
        shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in found[:SHOWN_PER_SCRIPT])
        more = len(found) - SHOWN_PER_SCRIPT
        parts.append(f"{script}: {shown}" + (f" and {more} more" if more > 0 else ""))
    return "; ".join(parts)
