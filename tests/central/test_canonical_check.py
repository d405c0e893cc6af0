"""Central's quick canonical-form check says what `records.canonical.canonical_json` says.

`is_canonical` writes a record's dump with orjson instead of the standard library's encoder;
it must accept exactly the bytes `canonical_json` would write, for every value a record's
JSON dump can hold, and a record must never hold the one kind of value (a float) where the
two encoders are allowed to differ.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, RootModel

from central.services.record_checks import _NOTE_MODELS, is_canonical
from records.canonical import canonical_json
from records.corrections import Addendum, ReviewDecision
from records.visit import Visit
from tests.factories import make_case, make_child, make_injury, make_observation, make_visit

# Every code point a Python string can hold but the lone surrogates (which neither encoder
# can write as UTF-8; tested on their own below), control characters and U+2028 included.
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=25)


def _record(value: Any) -> BaseModel:
    return RootModel[Any](value)


@settings(max_examples=600, deadline=None)
@given(_JSON)
def test_the_quick_check_accepts_exactly_the_canonical_bytes(value: Any) -> None:
    record = _record(value)
    canonical = canonical_json(record)
    assert is_canonical(record, canonical)
    # The same value spelled any other way is refused: spaces, unsorted keys, escapes.
    for other in (json.dumps(value, ensure_ascii=False).encode(),
                  json.dumps(value, sort_keys=True, separators=(",", ":")).encode(),
                  canonical + b" "):
        assert is_canonical(record, other) == (other == canonical)


def test_every_control_character_and_line_separator_is_written_the_same() -> None:
    value = {chr(c): chr(c) + "\u2028\u2029\x7f\ufeff\U0001f600" for c in range(0x30)}
    record = _record(value)
    assert is_canonical(record, canonical_json(record))


def test_what_orjson_refuses_goes_the_exact_way() -> None:
    big = _record({"n": 2**64, "m": -(2**63) - 1})
    assert is_canonical(big, canonical_json(big))
    assert not is_canonical(big, canonical_json(big).replace(b'"m"', b'"m" '))
    # A lone surrogate cannot be UTF-8 at all: refused, not a crash.
    assert not is_canonical(_record({"a": "\ud800"}), b'{"a":"\\ud800"}')


@pytest.mark.parametrize("model", [Visit, Addendum, ReviewDecision, *_NOTE_MODELS.values()])
def test_no_record_can_hold_a_float(model: type[BaseModel]) -> None:
    """Where a float would go, orjson and the standard encoder may spell it differently
    (1e+16 against 1e16) and `canonical_json` refuses it: no record field may be a number."""
    numbers: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            kinds = node.get("type")
            if kinds == "number" or (isinstance(kinds, list) and "number" in kinds):
                numbers.append(where)
            for key, child in node.items():
                walk(child, f"{where}.{key}")
        elif isinstance(node, list):
            for n, child in enumerate(node):
                walk(child, f"{where}[{n}]")

    walk(model.model_json_schema(mode="serialization"), model.__name__)
    assert numbers == []


def test_a_visit_with_an_injury_is_checked_the_same_both_ways() -> None:
    case = make_case()
    child = make_child(case, given_name="Zoë")
    visit = make_visit(case, [child], children=(make_observation(
        child, injuries_seen=True, injuries=(make_injury(),)),))
    data = canonical_json(visit)
    assert is_canonical(visit, data)
    assert not is_canonical(visit, json.dumps(json.loads(data), indent=1).encode())
