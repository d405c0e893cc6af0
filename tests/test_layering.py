"""The import graph ../shared/DESIGN.md draws, held: every import in every product module
(at run time, inside functions and under TYPE_CHECKING alike) points down the layers, Qt is
imported only in ui/ and desktop_app/, and inside ui/ the arrows run shell → visit/review →
widgets."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("records", "storage", "sync", "central", "ui", "desktop_app")
# What each package may import, besides itself and the standard library and third parties.
ALLOWED: dict[str, set[str]] = {
    "records": set(),
    "storage": {"records"},
    "sync": {"records", "storage"},
    "central": {"records", "sync.protocol"},
    "ui": {"records"},
    "desktop_app": {"records", "storage", "sync", "ui"},
}
QT = ("PySide6", "shiboken6")
UI_GROUPS: dict[str, set[str]] = {
    "shell": {"visit", "review", "widgets"},
    "visit": {"widgets"},
    "review": {"widgets"},
    "widgets": set(),
}


def imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def broken_edges(path: Path) -> list[str]:
    here = module_name(path)
    package = here.split(".")[0]
    wrong: list[str] = []
    seen_lines: set[int] = set()
    for line, target in imports(path):
        if line in seen_lines:
            continue
        top = target.split(".")[0]
        where = f"{path.relative_to(ROOT)}:{line} imports {target}"
        if top in QT and package not in ("ui", "desktop_app"):
            wrong.append(where + " (Qt outside ui/ and desktop_app/)")
        if top not in PACKAGES or top == package:
            if top == "ui" == package:
                wrong += [where + f" ({problem})" for problem in ui_edge(here, target)]
            continue
        if not any(target == allowed or target.startswith(allowed + ".")
                   for allowed in ALLOWED[package]):
            wrong.append(where)
            seen_lines.add(line)
    return wrong


def ui_edge(here: str, target: str) -> list[str]:
    """Inside ui/: a group imports only the groups below it; the services ui is handed
    (ui.services, ui.review_services) are open to all."""
    parts, target_parts = here.split("."), target.split(".")
    if len(parts) < 3 or len(target_parts) < 2 or target_parts[1] not in UI_GROUPS:
        return []
    group, other = parts[1], target_parts[1]
    if group == other or group not in UI_GROUPS or other in UI_GROUPS[group]:
        return []
    return [f"ui/{group} may not import ui/{other}"]


def product_modules() -> list[Path]:
    return [path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def test_every_import_points_down_the_layers() -> None:
    modules = product_modules()
    assert len(modules) > 150, "the walk should see every product module"
    wrong = [edge for path in modules for edge in broken_edges(path)]
    assert wrong == [], "\n".join(wrong)


def test_the_check_catches_a_wrong_edge(tmp_path: Path) -> None:
    """The check itself: a ui module importing storage, a widget importing a screen and Qt
    in records are each named."""
    for relative, source in (("ui/widgets/bad.py", "from ui.visit import visit_editor\n"),
                             ("ui/visit/bad.py", "from storage.visits import StoredVisit\n"),
                             ("records/bad.py", "from PySide6.QtCore import QObject\n")):
        path = ROOT / relative
        assert not path.exists()
        try:
            path.write_text(source)
            assert broken_edges(path), relative
        finally:
            path.unlink()
