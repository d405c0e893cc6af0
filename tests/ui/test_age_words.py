"""A child's age on the editor's pages reads as a worker would say it: never "1 months"."""

from __future__ import annotations

import pytest

from ui.widgets.labels import age_words


@pytest.mark.parametrize(("months", "said"), [
    (0, "0 months"), (1, "1 month"), (7, "7 months"), (12, "1 year"), (13, "1 year 1 month"),
    (42, "3 years 6 months"), (121, "10 years 1 month"), (120, "10 years"),
    (None, "date of birth not recorded"),
])
def test_a_childs_age_in_words(qapp: object, months: int | None, said: str) -> None:
    assert age_words(months) == said
