"""The Alt+letter keys a window offers: from its menu bar, buttons, tabs and labelled inputs.

Two visible, enabled controls on one letter make Alt+letter ambiguous: Qt then only moves
focus between them (Alt+R focused "Return" instead of pressing it; Alt+V opened the Vault
menu instead of "Visits for this child…")."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ("&&" is a literal ampersand), lower-cased."""
    at = 0
    while (at := text.find("&", at)) != -1 and at + 1 < len(text):
        if text[at + 1] == "&":
            at += 2
            continue
        return text[at + 1].casefold()
    return None


def _live(widget: QWidget, window: QWidget) -> bool:
    return widget.window() is window and widget.isVisible() and widget.isEnabled()


def offered(window: QWidget) -> list[tuple[str, str]]:
    """(letter, what it belongs to) for every Alt+letter the window answers now."""
    found: list[tuple[str, str]] = []

    def add(text: str, what: str) -> None:
        letter = mnemonic(text)
        if letter is not None:
            found.append((letter, f"{what} {text!r}"))

    for bar in window.findChildren(QMenuBar):
        if _live(bar, window):
            for action in bar.actions():
                if action.isVisible() and action.isEnabled():
                    add(action.text(), "menu")
    for button in window.findChildren(QAbstractButton):
        if _live(button, window):
            add(button.text(), type(button).__name__)
    for label in window.findChildren(QLabel):
        if _live(label, window) and label.buddy() is not None:
            add(label.text(), "label")
    for tabs in window.findChildren(QTabBar):
        if _live(tabs, window):
            for index in range(tabs.count()):
                if tabs.isTabVisible(index) and tabs.isTabEnabled(index):
                    add(tabs.tabText(index), "tab")
    for box in window.findChildren(QGroupBox):
        if _live(box, window):
            add(box.title(), "group")
    return found


def duplicate_mnemonics(window: QWidget) -> list[str]:
    by_letter: dict[str, list[str]] = defaultdict(list)
    for letter, what in offered(window):
        by_letter[letter].append(what)
    return [f"Alt+{letter.upper()}: {', '.join(whats)}"
            for letter, whats in sorted(by_letter.items()) if len(whats) > 1]
