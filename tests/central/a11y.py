"""Accessibility checks for the managers' pages, without a browser or a script.

`contrast_problems(css)`: WCAG 2.2 contrast of every colour manage.css declares, its custom
properties resolved: text 4.5:1 (1.4.3) against the surfaces it can sit on, non-text 3:1
(1.4.11: form control borders, the focus ring, the chart's line and points).
`page_problems(html)`: the basics of every page: language, title, one h1, headings in order,
a skip link to a focusable main, captions on tables, header cells with scope, a label for
every control, text on every link and button, an accessible name on every SVG, unique ids,
no positive tabindex, no script and no inline colour (so the stylesheet is every colour).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAGE_SURFACES = ("--bg", "--band", "#eef3fb")
"""Where body text sits: the page, a striped table row, a notice."""


def _hex(value: str) -> tuple[float, float, float]:
    value = value.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rules(css: str) -> list[tuple[str, dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declared = {}
        for part in body.split(";"):
            if ":" in part:
                name, value = part.split(":", 1)
                declared[name.strip()] = value.strip()
        found.append((" ".join(selector.split()), declared))
    return found


def _colour(value: str, variables: dict[str, str]) -> str | None:
    """The first colour in a declaration's value, variables resolved (None: no colour)."""
    for name in re.findall(r"var\((--[\w-]+)\)", value):
        value = value.replace(f"var({name})", variables[name])
    if value in ("#fff", "#ffffff") or value.startswith("#"):
        return value.split()[0]
    found = re.search(r"#[0-9a-fA-F]{3,6}\b", value)
    return found.group(0) if found else None


def contrast_problems(css: str) -> list[str]:
    rules = _rules(css)
    variables = {k: v for selector, declared in rules if selector == ":root"
                 for k, v in declared.items()}
    surfaces = [variables.get(s, s) for s in PAGE_SURFACES]
    by_selector = dict(rules)
    header = _colour(by_selector["header.top"]["background"], variables)
    badges = [_colour(d["background"], variables) for s, d in rules if s.startswith(".sev-")]
    problems = []

    def need(fg: str | None, bg: str | None, ratio: float, what: str) -> None:
        if fg and bg and contrast(fg, bg) < ratio:
            problems.append(f"{what}: {fg} on {bg} is {contrast(fg, bg):.2f}:1, needs {ratio}:1")

    for selector, declared in rules:
        if selector == ":root":
            continue
        fg = _colour(declared.get("color", ""), variables)
        own = _colour(declared.get("background", declared.get("background-color", "")),
                      variables)
        if fg and own:
            need(fg, own, 4.5, selector)
        elif fg and selector.startswith("header"):
            need(fg, header, 4.5, selector)
        elif fg and selector == ".sev":
            for badge in badges:
                need(fg, badge, 4.5, selector)
        elif fg:
            for surface in surfaces:
                need(fg, surface, 4.5, selector)
        if selector.startswith("svg ."):
            for prop in ("fill", "stroke"):
                mark = _colour(declared.get(prop, ""), variables)
                if mark and selector != "svg .grid":  # gridlines are decoration
                    need(mark, variables["--bg"], 4.5 if selector == "svg .axis" else 3,
                         f"{selector} {prop}")
        for prop in ("border", "border-color"):
            edge = _colour(declared.get(prop, ""), variables)
            if edge and re.match(r"^(button|select|form\.login input)$", selector):
                need(edge, own or variables["--bg"], 3, f"{selector} border")
        if "outline" in declared and "focus" in selector:
            ring = _colour(declared["outline"], variables)
            halo = _colour(declared.get("box-shadow", ""), variables)
            # Two-colour indicator: the halo stands out from the page, the ring from the halo.
            need(halo, variables["--bg"], 3, f"{selector} focus halo")
            need(ring, halo, 3, f"{selector} focus ring")
    return problems


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str], list[str]]] = []
        self.problems: list[str] = []
        self.lang = ""
        self.title = ""
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[tuple[str, dict[str, str]]] = []
        self.skip_target = ""
        self.main: dict[str, str] | None = None
        self.in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")
        if "id" in a:
            self.ids.append(a["id"])
        if a.get("tabindex", "0").lstrip("-").isdigit() and int(a.get("tabindex", "0")) > 0:
            self.problems.append(f"positive tabindex on <{tag}>")
        if "style" in a or tag == "script" or ({"fill", "stroke", "color"} & set(a)
                                               and tag not in ("svg",)):
            self.problems.append(f"<{tag}> carries script or inline colour: {a}")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label":
            self.in_label += 1
            if a.get("for"):
                self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append((tag, {**a, "_wrapped": "1" if self.in_label else ""}))
        if tag == "a" and "skip" in a.get("class", "").split():
            self.skip_target = a.get("href", "").lstrip("#")
        if tag == "main":
            self.main = a
        if tag == "th" and not a.get("scope") and not self._inside("thead"):
            self.problems.append("a <th> outside <thead> without scope")
        if tag == "svg" and not (a.get("role") == "img" and (
                a.get("aria-labelledby") or a.get("aria-label"))) and a.get(
                "aria-hidden") != "true":
            self.problems.append("an <svg> without role=img and a name (or aria-hidden)")
        if tag not in ("input", "meta", "link", "br", "img", "hr", "col", "path", "line",
                       "circle", "rect", "polyline", "stop"):
            self.stack.append((tag, a, []))

    def _inside(self, tag: str) -> bool:
        return any(t == tag for t, _, _ in self.stack)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1
        while self.stack:
            open_tag, a, text = self.stack.pop()
            words = " ".join("".join(text).split())
            if self.stack:
                self.stack[-1][2].append(words + " ")
            if open_tag == "title" and not self._inside("svg"):
                self.title = words
            if open_tag in ("a", "button") and not (words or a.get("aria-label")):
                self.problems.append(f"a <{open_tag}> with no text")
            if open_tag == "table" and not (a.get("aria-label") or a.get("aria-labelledby")
                                            or a.get("_caption")):
                self.problems.append("a <table> without a caption")
            if open_tag == "caption":
                for t, outer, _ in reversed(self.stack):
                    if t == "table":
                        outer["_caption"] = "1"
                        break
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)

    def finish(self) -> list[str]:
        problems = list(self.problems)
        if not self.lang:
            problems.append("no lang on <html>")
        if not self.title:
            problems.append("no <title>")
        if self.headings.count(1) != 1:
            problems.append(f"{self.headings.count(1)} <h1> (one is needed)")
        for before, after in zip(self.headings, self.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"heading h{before} followed by h{after}")
        if not self.main or self.main.get("id") != self.skip_target or not self.skip_target:
            problems.append("no skip link to <main>")
        elif self.main.get("tabindex") != "-1":
            problems.append("<main> cannot take the skip link's focus (tabindex=-1)")
        duplicated = {i for i in self.ids if self.ids.count(i) > 1}
        if duplicated:
            problems.append(f"ids used twice: {sorted(duplicated)}")
        for tag, a in self.controls:
            if not (a.get("id") in self.labels or a["_wrapped"] or a.get("aria-label")
                    or a.get("aria-labelledby")):
                problems.append(f"a <{tag} name={a.get('name')!r}> without a label")
        return problems


def page_problems(html: str) -> list[str]:
    page = _Page()
    page.feed(html)
    page.close()
    return page.finish()
