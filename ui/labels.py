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
    match member:
        case PlanType.CHILD_PROTECTION:
            return translate("Labels", "Child protection")
        case PlanType.CHILD_IN_NEED:
            return translate("Labels", "Child in need")
        case PlanType.LOOKED_AFTER:
            return translate("Labels", "Looked after")
        case VisitType.CORE_GROUP:
            return translate("Labels", "Core group (not a statutory visit)")
        case VisitOutcome.CHILD_NOT_SEEN:
            return translate("Labels", "A child was not seen")
        case InterpreterKind.PROFESSIONAL_IN_PERSON:
            return translate("Labels", "Professional interpreter, in person")
        case InterpreterKind.PROFESSIONAL_TELEPHONE:
            return translate("Labels", "Professional interpreter, by telephone")
        case InterpreterKind.PROFESSIONAL_VIDEO:
            return translate("Labels", "Professional interpreter, by video")
        case InterpreterKind.WORKER_SPEAKS_LANGUAGE:
            return translate("Labels", "I speak the family's language")
        case InterpreterKind.FAMILY_MEMBER:
            return translate("Labels", "A family member (flagged red)")
        case InterpreterKind.CHILD:
            return translate("Labels", "A child (flagged red)")
        case InterpreterKind.FAMILY_FRIEND:
            return translate("Labels", "A family friend (flagged red)")
        case InterpreterKind.NONE_AVAILABLE:
            return translate("Labels", "None could be had (flagged red; say why)")
        case InterpreterKind.NOT_NEEDED:
            return translate("Labels", "Not needed")
        case CommunicationMethod.OBSERVATION_PRE_VERBAL:
            return translate("Labels", "Observed (pre-verbal)")
        case ExplanationSource.NO_EXPLANATION_GIVEN:
            return translate("Labels", "Nobody explained it")
        case ExplanationSource.OTHER_ADULT:
            return translate("Labels", "Another adult")
        case Consistency.YES:
            return translate("Labels", "Yes, consistent")
        case Consistency.NO:
            return translate("Labels", "No, not consistent")
        case Consistency.UNSURE:
            return translate("Labels", "Unsure")
        case FoodConcern.NONE:
            return translate("Labels", "No concern")
        case FoodConcern.POSSIBLE:
            return translate("Labels", "Possible concern")
        case FoodConcern.CLEAR:
            return translate("Labels", "Clear concern")
        case BodyView.FRONT:
            return translate("Labels", "Front")
        case BodyView.BACK:
            return translate("Labels", "Back")
        case BodySide.LEFT:
            return translate("Labels", "Child's left")
        case BodySide.RIGHT:
            return translate("Labels", "Child's right")
        case BodySide.CENTRE:
            return translate("Labels", "Centre")
    return None


def options(enum: type[StrEnum]) -> list[tuple[StrEnum, str]]:
    return [(member, label(member)) for member in enum]

