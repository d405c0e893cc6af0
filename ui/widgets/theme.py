"""The app's few colours of its own (alerts, tints, the body map), from one place.

Everything else is drawn from the QPalette. These colours are chosen against the
palette's background, so they stay readable when the desktop uses a dark or high-contrast
scheme; and the user setting `high_contrast` (policy) switches the whole app to a
high-contrast palette (white on black) where the desktop does not offer one.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

Role = QPalette.ColorRole


@dataclass(frozen=True)
class Colours:
    text: QColor  # ordinary text, the palette's own
    base: QColor  # the background ordinary text sits on
    alert: QColor  # red: a question to answer, a red flag, an injury mark
    amber: QColor
    alert_tint: QColor  # background of a returned visit's row and banner (text stays `text`)
    on_alert: QColor  # the number written inside an injury mark
    faded: QColor  # earlier visits' marks
    cursor: QColor  # the body map's keyboard cross-hair
    outline_fill: QColor  # the body outline's skin


LIGHT = {"alert": "#b42318", "amber": "#93370d", "alert_tint": "#fef3f2",
         "on_alert": "#ffffff", "faded": "#6b7280", "cursor": "#0050b3",
         "outline_fill": "#f4f1ea"}
# On a dark background (a dark scheme, or high contrast): light inks, a dark tint.
DARK = {"alert": "#ff9a9a", "amber": "#ffc266", "alert_tint": "#3a0a0a",
        "on_alert": "#000000", "faded": "#b0b0b0", "cursor": "#8ab4ff",
        "outline_fill": "#000000"}
# Stronger inks on a light high-contrast background.
LIGHT_HIGH = {**LIGHT, "alert": "#8a0000", "amber": "#5c2600", "faded": "#404040",
              "cursor": "#00307a", "outline_fill": "#ffffff"}


def is_dark(palette: QPalette) -> bool:
    return palette.color(Role.Base).lightness() < 128


def colours(palette: QPalette | None = None) -> Colours:
    """The app's colours for a palette (by default the application's)."""
    palette = palette or QGuiApplication.palette()
    key = (palette.cacheKey(), _state.high_contrast)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    chosen = DARK if is_dark(palette) else LIGHT_HIGH if _state.high_contrast else LIGHT
    made = Colours(text=palette.color(Role.Text), base=palette.color(Role.Base),
                   **{name: QColor(value) for name, value in chosen.items()})
    _cache.clear()
    _cache[key] = made
    return made


def high_contrast_palette() -> QPalette:
    """White on black, yellow selection: the shape of Windows' "High Contrast Black"."""
    palette = QPalette()
    black, white = QColor("#000000"), QColor("#ffffff")
    for role in (Role.Window, Role.Base, Role.AlternateBase, Role.Button, Role.ToolTipBase):
        palette.setColor(role, black)
    for role in (Role.WindowText, Role.Text, Role.ButtonText, Role.BrightText,
                 Role.ToolTipText, Role.Light, Role.Dark, Role.Shadow):
        palette.setColor(role, white)
    palette.setColor(Role.Midlight, QColor("#c0c0c0"))
    palette.setColor(Role.Mid, QColor("#c0c0c0"))
    palette.setColor(Role.PlaceholderText, QColor("#c8c8c8"))
    palette.setColor(Role.Highlight, QColor("#ffff00"))
    palette.setColor(Role.HighlightedText, black)
    palette.setColor(Role.Link, QColor("#8ab4ff"))
    palette.setColor(Role.LinkVisited, QColor("#d0a8ff"))
    palette.setColor(Role.Accent, QColor("#ffff00"))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#a0a0a0"))
    return palette


def platform_wants_high_contrast() -> bool:
    """The desktop's own preference. Asking builds Qt's enum namespace (~40 ms, once), so a
    window asks after its first frame unless the user setting needs the answer sooner."""
    from PySide6.QtCore import Qt

    style_hints = QGuiApplication.styleHints()  # held: its accessibility() dies with it
    preference = style_hints.accessibility().contrastPreference()
    return bool(preference == Qt.ContrastPreference.HighContrast)


class _ThemeState(QObject):
    changed = Signal()  # widgets with colours of their own repaint or restyle

    def __init__(self) -> None:
        super().__init__()
        self.high_contrast = False
        self.setting = False
        self.platform: bool | None = None  # the desktop's preference, once asked
        self.original: QPalette | None = None


_state = _ThemeState()
_cache: dict[tuple[int, bool], Colours] = {}


def theme_changed() -> SignalInstance:
    return _state.changed


def use_high_contrast(setting: bool) -> None:
    """Follow the user setting, and the desktop's own high-contrast preference.

    With the setting off, a desktop not yet asked counts as not asking for high contrast
    until `follow_desktop_contrast` asks it (the window does after its first frame): the
    desktop's palette is its own either way, only the app's few inks depend on it."""
    if QApplication.instance() is None:
        return
    if _state.platform is None and setting:
        _state.platform = platform_wants_high_contrast()
    _apply(setting)


def follow_desktop_contrast() -> None:
    """Ask the desktop whether it wants high contrast, and follow the answer."""
    if QApplication.instance() is None:
        return
    _state.platform = platform_wants_high_contrast()
    _apply(_state.setting)


def _apply(setting: bool) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    platform = bool(_state.platform)
    wanted = setting or platform
    if setting == _state.setting and wanted == _state.high_contrast:
        return
    if setting and not platform and _state.original is None:
        # The desktop's palette already is high contrast when it asks; otherwise ours.
        _state.original = app.palette()
        app.setStyle("Fusion")  # the style that draws everything from the palette
        app.setPalette(high_contrast_palette())
    elif not setting and _state.original is not None:
        app.setPalette(_state.original)
        _state.original = None
    _state.setting, _state.high_contrast = setting, wanted
    _cache.clear()
    _state.changed.emit()


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2.x contrast ratio of two opaque colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

        return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
                + 0.0722 * channel(colour.blueF()))

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)



class _AlertInk(QObject):
    """Keeps one widget's text in the alert colour; goes with the widget."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget
        _state.changed.connect(self.paint)
        self.paint()

    def paint(self) -> None:
        palette = self.widget.palette()
        palette.setColor(Role.WindowText, colours().alert)
        self.widget.setPalette(palette)


def show_in_alert_colour(widget: QWidget) -> None:
    """Text in the theme's red (a problem to put right), following theme changes."""
    _AlertInk(widget)
