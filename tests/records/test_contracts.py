"""The editor knows a refusal that lists problems by its shape (records.contracts), not by
importing storage: the vault's refusals must keep that shape."""

from records.contracts import ListsProblems
from records.problems import Problem
from storage.case_notes import NoteRefused
from storage.refusals import SubmissionRefused, VisitAlreadySubmitted


def test_a_refusal_with_problems_is_seen_as_one() -> None:
    problems = [Problem("child.seen", "Say whether the child was seen.")]
    refused = SubmissionRefused(problems)
    assert isinstance(refused, ListsProblems)
    assert refused.problems == problems
    assert "1 thing needs putting right" in refused.user_message
    assert isinstance(NoteRefused(problems), ListsProblems)


def test_a_refusal_without_problems_is_not() -> None:
    assert not isinstance(VisitAlreadySubmitted(), ListsProblems)
