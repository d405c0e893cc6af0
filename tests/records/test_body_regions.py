"""Where on the child a body-map mark is: the side a mark is drawn on is the side its words
say, on the front view (the child's left on the viewer's right) and on the back view (the
child's left on the viewer's left)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from records.body_regions import (
    injury_mark_agrees,
    mark_agrees,
    mark_disagreement,
    random_spot,
    region_at,
    regions_on,
    spot_for,
    spots,
)
from records.visit import BodyRegion, BodySide, BodyView
from tests.factories import make_injury

LIMBS = [BodyRegion.UPPER_ARM, BodyRegion.FOREARM, BodyRegion.HAND, BodyRegion.THIGH,
         BodyRegion.KNEE, BodyRegion.LOWER_LEG, BodyRegion.FOOT, BodyRegion.SHOULDER]


@pytest.mark.parametrize("region", LIMBS)
def test_the_childs_left_is_the_viewers_right_from_the_front_and_left_from_behind(
        region: BodyRegion) -> None:
    for view, viewers_side_of_left in ((BodyView.FRONT, "right"), (BodyView.BACK, "left")):
        left = spots(view, region, BodySide.LEFT)
        right = spots(view, region, BodySide.RIGHT)
        assert left and right
        if viewers_side_of_left == "right":
            assert all(x > Decimal("0.5") for x, _ in left)
            assert all(x < Decimal("0.5") for x, _ in right)
        else:
            assert all(x < Decimal("0.5") for x, _ in left)
            assert all(x > Decimal("0.5") for x, _ in right)


def test_every_spot_offered_is_on_its_region_and_side() -> None:
    for view in BodyView:
        for region in BodyRegion:
            for side in BodySide:
                for x, y in spots(view, region, side):
                    assert region_at(view, x, y) == (region, side)


def test_every_place_the_body_has_gets_a_mark_on_a_view_that_shows_it() -> None:
    for region in BodyRegion:
        for side in BodySide:
            found = spot_for(region, side)
            limb_centre = side is BodySide.CENTRE and region in (*LIMBS, BodyRegion.EAR)
            assert (found is None) == limb_centre, (region, side)
            if found is not None:
                view, x, y = found
                assert region in regions_on(view)
                assert region_at(view, x, y) == (region, side)


def test_a_part_on_one_view_only_goes_to_that_view() -> None:
    assert spot_for(BodyRegion.BUTTOCKS, BodySide.RIGHT, BodyView.FRONT)[0] is BodyView.BACK  # type: ignore[index]
    assert spot_for(BodyRegion.CHEST, BodySide.LEFT, BodyView.BACK)[0] is BodyView.FRONT  # type: ignore[index]


def test_random_spots_for_invented_data_agree_with_their_words() -> None:
    rng = random.Random(7)
    for _ in range(200):
        region = rng.choice([BodyRegion.UPPER_ARM, BodyRegion.FACE, BodyRegion.LOWER_LEG,
                             BodyRegion.UPPER_BACK])
        side = rng.choice([BodySide.LEFT, BodySide.RIGHT])
        view, x, y = random_spot(rng, region, side)
        assert mark_agrees(view, x, y, region, side)
    with pytest.raises(ValueError, match="no centre forearm"):
        random_spot(rng, BodyRegion.FOREARM, BodySide.CENTRE)


def test_a_mark_on_the_other_arm_from_its_words_disagrees() -> None:
    # The tester's bruise: "left upper arm", drawn on the front view's left near the elbow.
    wrong = make_injury(view=BodyView.FRONT, x=Decimal("0.300"), y=Decimal("0.410"),
                        region=BodyRegion.UPPER_ARM, side=BodySide.LEFT)
    assert not injury_mark_agrees(wrong)
    assert mark_disagreement(wrong) == "marked on the child's right abdomen (front view)"
    # The same spot seen from behind is on the child's left.
    turned = wrong.model_copy(update={"view": BodyView.BACK, "region": BodyRegion.LOWER_BACK})
    assert injury_mark_agrees(turned) and mark_disagreement(turned) == ""


def test_a_mark_just_over_an_edge_still_agrees() -> None:
    # The upper arm ends at 178 units down, the forearm starts at 174: a click at the elbow.
    elbow = Decimal(str(round(45 / 200, 3))), Decimal(str(round(176 / 440, 3)))
    assert mark_agrees(BodyView.FRONT, *elbow, BodyRegion.UPPER_ARM, BodySide.RIGHT)
    assert mark_agrees(BodyView.FRONT, *elbow, BodyRegion.FOREARM, BodySide.RIGHT)
    assert not mark_agrees(BodyView.FRONT, *elbow, BodyRegion.FOREARM, BodySide.LEFT)


def test_no_position_or_no_words_is_not_a_disagreement() -> None:
    assert injury_mark_agrees(make_injury(view=None, x=None, y=None))
    assert injury_mark_agrees(make_injury(side=None))
    assert injury_mark_agrees(make_injury())  # the factory's own bruise is where it says
