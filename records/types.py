"""Value types shared by every record: UTC timestamps, exact decimals, short text."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, PlainSerializer

RECORD_CONFIG = ConfigDict(
    extra="forbid",
    frozen=True,
    str_strip_whitespace=False,
    validate_default=True,
)


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def iso_utc(value: datetime) -> str:
    # One spelling for every instant, so the canonical JSON of a record never varies.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


UtcDateTime = Annotated[
    AwareDatetime,
    AfterValidator(_to_utc),
    PlainSerializer(iso_utc, return_type=str, when_used="json"),
]
"""A moment in time. Naive datetimes are refused; every value is held and written in UTC."""


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


Centimetres = Annotated[
    Decimal,
    Field(ge=Decimal("0"), le=Decimal("200"), max_digits=6, decimal_places=1),
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
]
"""A measured size, exact to a millimetre; written as a decimal string, never a float."""

BodyMapCoordinate = Annotated[
    Decimal,
    Field(ge=Decimal("0"), le=Decimal("1"), max_digits=4, decimal_places=3),
    PlainSerializer(_decimal_text, return_type=str, when_used="json"),
]
"""Position on the body-map outline as a fraction of its width or height (0 to 1)."""

ShortText = Annotated[str, Field(max_length=500)]
LongText = Annotated[str, Field(max_length=20_000)]


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == ()


def added_later(default: object = None, description: str = "") -> Any:
    """A field added to a record after records were signed: left out of the canonical JSON
    while empty, so every record signed before it keeps its hash and signature."""
    return Field(default=default, description=description or None, exclude_if=_is_empty)
