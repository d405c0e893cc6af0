"""Every page under /manage/ is checked for the accessibility basics, and manage.css for
WCAG 2.2 AA contrast, by `tests/central/a11y.py` (no browser and no script: the pages have
none, and their only colours are the stylesheet's). The checker is shown to catch faults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from central.web import access
from tests.central.a11y import contrast, contrast_problems, page_problems
from tests.central.harness import Central
from tests.central.manage_world import Managers, csrf_of, manage_world
from tests.central.test_manage_web import sign_in

STYLESHEET = Path(access.__file__).parent / "static" / "manage.css"


@pytest.fixture
def managers(central: Central) -> Iterator[Managers]:
    central.client.base_url = central.client.base_url.copy_with(scheme="https")
    yield manage_world(central)


def test_the_stylesheet_meets_aa_contrast_and_the_check_catches_a_pale_colour() -> None:
    css = STYLESHEET.read_text()
    assert contrast_problems(css) == []
    assert round(contrast("#000", "#fff"), 1) == 21.0  # WCAG's own extremes
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
    paler = css.replace("--muted: #505a5f", "--muted: #9a9a9a")
    assert any(p.startswith(".sub, .of, .muted, .hint") for p in contrast_problems(paler))
    ring = css.replace("box-shadow: 0 0 0 5px var(--ink)", "box-shadow: 0 0 0 5px #ffffff")
    assert any("focus halo" in p for p in contrast_problems(ring))


def test_the_page_check_catches_what_it_looks_for() -> None:
    bad = ('<html><head></head><body><h1>A</h1><h3>B</h3><table><tr><th>x</th></tr></table>'
           '<a href="/x"></a><input name="q" id="q"><svg></svg><p style="color:#ccc">'
           '</p><main id="main"></main></body></html>')
    found = " | ".join(page_problems(bad))
    for fault in ("no lang", "no <title>", "h1 followed by h3", "without a caption",
                  "<th> outside <thead>", "<a> with no text", "<input name='q'> without a "
                  "label", "<svg> without role=img", "inline colour", "no skip link"):
        assert fault in found, fault


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_every_manage_page_has_the_basics(central: Central, managers: Managers) -> None:
    client = central.client
    pages = {"login": client.get("/manage/login").text}
    assert sign_in(central, managers, "head")[0] == 303
    ana = managers.world.children["N1"]
    for name, address in (("service", "/manage/service"), ("team", "/manage/teams/North"),
                          ("worker", "/manage/teams/North/workers/north1"),
                          ("child", f"/manage/children/{ana.id}"), ("lists", "/manage/lists"),
                          ("overdue", "/manage/lists/overdue?sort=days_overdue&order=desc"),
                          ("never", "/manage/lists/never-visited?team=South"),
                          ("alone", "/manage/lists/not-seen-alone"),
                          ("injuries", "/manage/lists/injuries"),
                          ("not-found", "/manage/lists/nonsense")):
        answer = client.get(address)
        assert answer.status_code in (200, 404), (name, answer.status_code)
        pages[name] = answer.text
    child = pages["child"]
    action = child.split('<form method="post" action="')[-1].split('"')[0]
    pages["record"] = client.post(action, data={"csrf": csrf_of(child)}).text
    pages["signed-out"] = client.post("/manage/logout",
                                      data={"csrf": csrf_of(pages["service"])}).text
    assert len(pages) == 13
    problems = {name: page_problems(html) for name, html in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}
