"""Counts read as English: one day, two days; never "1 days" or "record(s)"."""

from __future__ import annotations

from records.wording import counted, plural


def test_one_is_singular_and_every_other_count_plural() -> None:
    assert [counted(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert counted(1, "child") == "1 child" and counted(3, "child") == "3 children"
    assert counted(2, "injury") == "2 injuries" and counted(2, "addendum") == "2 addenda"
    assert counted(3, "working day") == "3 working days"
    assert counted(2, "allocated child") == "2 allocated children"
    assert counted(1, "thing needs") == "1 thing needs"
    assert counted(4, "thing needs") == "4 things need"
    assert plural("try", 1) == "try" and plural("try", 2) == "tries"
