"""What each choice in the record is called on screen, in the worker's words, translatable."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from records.case import PlanType
from records.visit import (
    BodySide,
    BodyView,
    CommunicationMethod,
    Consistency,
    ExplanationSource,
    FoodConcern,
    InterpreterKind,
    VisitOutcome,
    VisitType,
)

translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def label(member: StrEnum) -> str:
    """The on-screen name of a choice."""
    custom = _custom(member)
    if custom is not None:
        return custom
    return _t(member.value.replace("_", " ").capitalize())


def _custom(member: StrEnum) -> str | None:
    # Keyed by the member's own type as well as its value: two enums share values ("child"
    # is both who explained an injury and who interpreted), and a plain
    # lookup or `match` compared them as equal strings.
    return _names().get((type(member), member.value))


def _names() -> dict[tuple[type[StrEnum], str], str]:
    named: list[tuple[StrEnum, str]] = [
        (PlanType.CHILD_PROTECTION, translate("Labels", "Child protection")),
        (PlanType.CHILD_IN_NEED, translate("Labels", "Child in need")),
        (PlanType.LOOKED_AFTER, translate("Labels", "Looked after")),
        (VisitType.CORE_GROUP, translate("Labels", "Core group (not a statutory visit)")),
        (VisitOutcome.CHILD_NOT_SEEN, translate("Labels", "A child was not seen")),
        (InterpreterKind.PROFESSIONAL_IN_PERSON,
         translate("Labels", "Professional interpreter, in person")),
        (InterpreterKind.PROFESSIONAL_TELEPHONE,
         translate("Labels", "Professional interpreter, by telephone")),
        (InterpreterKind.PROFESSIONAL_VIDEO,
         translate("Labels", "Professional interpreter, by video")),
        (InterpreterKind.WORKER_SPEAKS_LANGUAGE,
         translate("Labels", "I speak the family's language")),
        (InterpreterKind.FAMILY_MEMBER, translate("Labels", "A family member (flagged red)")),
        (InterpreterKind.CHILD, translate("Labels", "A child (flagged red)")),
        (InterpreterKind.FAMILY_FRIEND, translate("Labels", "A family friend (flagged red)")),
        (CommunicationMethod.OBSERVATION_PRE_VERBAL, translate("Labels", "Observed (pre-verbal)")),
        (ExplanationSource.NO_EXPLANATION_GIVEN, translate("Labels", "Nobody explained it")),
        (ExplanationSource.OTHER_ADULT, translate("Labels", "Another adult")),
        (Consistency.YES, translate("Labels", "Yes, consistent")),
        (Consistency.NO, translate("Labels", "No, not consistent")),
        (Consistency.UNSURE, translate("Labels", "Unsure")),
        (FoodConcern.NONE, translate("Labels", "No concern")),
        (FoodConcern.POSSIBLE, translate("Labels", "Possible concern")),
        (FoodConcern.CLEAR, translate("Labels", "Clear concern")),
        (BodyView.FRONT, translate("Labels", "Front")),
        (BodyView.BACK, translate("Labels", "Back")),
        (BodySide.LEFT, translate("Labels", "Child's left")),
        (BodySide.RIGHT, translate("Labels", "Child's right")),
        (BodySide.CENTRE, translate("Labels", "Centre")),
        (InterpreterKind.NONE_AVAILABLE,
         translate("Labels", "None could be had (flagged red; say why)")),
        (InterpreterKind.NOT_NEEDED, translate("Labels", "Not needed: we share a language")),
        (ExplanationSource.CHILD, translate("Labels", "The child")),
    ]
    return {(type(member), member.value): text for member, text in named}


def options(enum: type[StrEnum]) -> list[tuple[StrEnum, str]]:
    return [(member, label(member)) for member in enum]



def where_words(side: StrEnum | None, region: StrEnum | None) -> str:
    """Where an injury is, as a phrase: "Child's left upper arm" (not "Child's left Upper
    arm"); empty when neither is recorded."""
    words = [label(side)] if side else []
    if region:
        words.append(label(region).lower() if words else label(region))
    return " ".join(words)


def age_words(months: int | None) -> str:
    """A child's age as a worker says it: "3 years 6 months", "1 year 1 month", "7 months",
    "10 years"; each sentence whole for translators, singular beside plural."""
    if months is None:
        return translate("Labels", "date of birth not recorded")
    years, rest = divmod(months, 12)
    year_words = (translate("Labels", "1 year") if years == 1
                  else translate("Labels", "{0} years").format(years))
    month_words = (translate("Labels", "1 month") if rest == 1
                   else translate("Labels", "{0} months").format(rest))
    if years == 0:
        return month_words
    if rest == 0:
        return year_words
    return translate("Labels", "{0} {1}").format(year_words, month_words)
