"""Workshop phase rules."""

import pytest

from consultation.workshops import phases
from consultation.workshops.phases import ORDER, Phase


@pytest.mark.parametrize("current", ORDER)
@pytest.mark.parametrize("target", ORDER)
def test_phases_only_move_forward_and_never_after_closing(current, target):
    expected = current is not Phase.CLOSED and ORDER.index(target) > ORDER.index(current)
    assert phases.can_move(current, target) is expected


def test_phases_may_be_skipped():
    assert phases.can_move(Phase.WELCOME, Phase.VOTE)


def test_next_phase_follows_the_order_and_stops_at_closed():
    assert [phases.next_phase(p) for p in ORDER] == [*ORDER[1:], None]


def test_only_ideation_takes_proposals():
    assert [p for p in ORDER if phases.accepts_proposals(p)] == [Phase.IDEATION]


def test_supports_are_open_during_ideation_and_discussion():
    assert [p for p in ORDER if phases.accepts_supports(p)] == [Phase.IDEATION, Phase.DISCUSSION]


def test_an_opinion_may_start_once_ideation_is_over():
    assert [p for p in ORDER if phases.proposal_phase_closed(p)] == list(ORDER[2:])
