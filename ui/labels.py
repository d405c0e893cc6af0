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


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def label(member: StrEnum) -> str:
    """The on-screen name of a choice."""
    custom = _custom(member)
    if custom is not None:
        return custom
    return _t(member.value.replace("_", " ").capitalize())


def _custom(member: StrEnum) -> str | None:
    match member:
        case PlanType.CHILD_PROTECTION:
            return _t("Child protection")
        case PlanType.CHILD_IN_NEED:
            return _t("Child in need")
        case PlanType.LOOKED_AFTER:
            return _t("Looked after")
        case VisitType.CORE_GROUP:
            return _t("Core group (not a statutory visit)")
        case VisitOutcome.CHILD_NOT_SEEN:
            return _t("A child was not seen")
        case InterpreterKind.PROFESSIONAL_IN_PERSON:
            return _t("Professional interpreter, in person")
        case InterpreterKind.PROFESSIONAL_TELEPHONE:
            return _t("Professional interpreter, by telephone")
        case InterpreterKind.PROFESSIONAL_VIDEO:
            return _t("Professional interpreter, by video")
        case InterpreterKind.WORKER_SPEAKS_LANGUAGE:
            return _t("I speak the family's language")
        case InterpreterKind.FAMILY_MEMBER:
            return _t("A family member (not allowed)")
        case InterpreterKind.CHILD:
            return _t("A child (not allowed)")
        case InterpreterKind.FAMILY_FRIEND:
            return _t("A family friend (not allowed)")
        case CommunicationMethod.OBSERVATION_PRE_VERBAL:
            return _t("Observed (pre-verbal)")
        case ExplanationSource.NO_EXPLANATION_GIVEN:
            return _t("Nobody explained it")
        case ExplanationSource.OTHER_ADULT:
            return _t("Another adult")
        case Consistency.YES:
            return _t("Yes, consistent")
        case Consistency.NO:
            return _t("No, not consistent")
        case Consistency.UNSURE:
            return _t("Unsure")
        case FoodConcern.NONE:
            return _t("No concern")
        case FoodConcern.POSSIBLE:
            return _t("Possible concern")
        case FoodConcern.CLEAR:
            return _t("Clear concern")
        case BodyView.FRONT:
            return _t("Front")
        case BodyView.BACK:
            return _t("Back")
        case BodySide.LEFT:
            return _t("Child's left")
        case BodySide.RIGHT:
            return _t("Child's right")
        case BodySide.CENTRE:
            return _t("Centre")
    return None


def options(enum: type[StrEnum]) -> list[tuple[StrEnum, str]]:
    return [(member, label(member)) for member in enum]

