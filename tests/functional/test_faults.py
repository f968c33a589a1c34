"""Injected faults: when something fails in the middle of an action (a write refused, the PDF engine
raising, a notification failing), the person is told the action was not saved, and nothing of it
remains half done."""

from datetime import date

import pytest
from sqlalchemy import func, select

from consultation.audit.models import AuditEntry
from consultation.extensions import db
from consultation.opinions.models import Opinion
from consultation.permissions import Role
from consultation.proposals.models import Proposal, Support
from consultation.voting.models import Vote, VoteBallot, VoteParticipation
from consultation.workshops.models import WorkshopEvent
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_proposal, make_user, make_workshop
from tests.factories_votes import keys, make_vote
from tests.factories_workshops import give_join_code

EN = {"Accept-Language": "en"}
NOT_SAVED = "Your action was not saved"


class Refused(RuntimeError):
    """What the injected fault raises: a database or engine saying no in the middle of an action."""


def refuse(*_args, **_kwargs):
    raise Refused("injected fault")


def count(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_closing_a_vote_whose_audit_write_fails_leaves_it_open_and_uncounted(client, login, monkeypatch):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    vote = make_vote(council, workshop=workshop, electorate="workshop")
    login(client, make_user(Role.FACILITATOR, council))
    monkeypatch.setattr("consultation.voting.services.audit.record", refuse)
    response = client.post(
        f"/councils/{council.slug}/workshops/{workshop.id}/console/votes/{vote.id}/close", headers=EN
    )
    assert response.status_code == 500 and NOT_SAVED in response.get_data(as_text=True)
    db.session.rollback()
    closed = db.session.get(Vote, vote.id)
    assert closed.status == "open" and closed.result is None and closed.closed_at is None
    assert count(WorkshopEvent, WorkshopEvent.action == "vote_closed") == 0


def test_a_phone_ballot_whose_second_write_fails_leaves_no_participation_and_can_be_sent_again(
    app, client, monkeypatch
):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    code = give_join_code(workshop)
    vote = make_vote(council, workshop=workshop, electorate="workshop")
    client.post(f"/join/{code}", data={"display_name": "Ana", "charter": "y"})
    with monkeypatch.context() as patch:
        # The participation is written first; the ballot (the second write) is refused.
        patch.setattr("consultation.voting.services.VoteBallot", refuse)
        failed = client.post(f"/join/{code}/votes/{vote.id}", data={"choice": keys(vote)[0]}, headers=EN)
    assert failed.status_code == 500 and NOT_SAVED in failed.get_data(as_text=True)
    assert count(VoteParticipation) == 0 and count(VoteBallot) == 0  # not "already voted" with no ballot
    assert client.post(f"/join/{code}/votes/{vote.id}", data={"choice": keys(vote)[0]}).status_code == 302
    assert count(VoteParticipation) == 1 and count(VoteBallot) == 1


def test_a_merge_whose_history_write_fails_moves_no_support(client, login, monkeypatch):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    kept, duplicate = make_proposal(workshop, make_user(), supports=2), make_proposal(workshop, make_user(), supports=3)
    login(client, make_user(Role.FACILITATOR, council))
    monkeypatch.setattr("consultation.proposals.services.record", refuse)
    response = client.post(
        f"/councils/{council.slug}/workshops/{workshop.id}/console/merge",
        data={"merge-target": kept.id, "merge-source": duplicate.id},
        headers=EN,
    )
    assert response.status_code == 500
    assert count(Support, Support.proposal_id == kept.id) == 2
    assert count(Support, Support.proposal_id == duplicate.id) == 3
    assert db.session.get(Proposal, duplicate.id).status == "submitted"


def test_a_pdf_engine_failure_answers_clearly_and_changes_nothing(client, login, monkeypatch):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION))
    login(client, make_user(Role.MEMBER, council))
    monkeypatch.setattr("consultation.opinions.views.render_opinion_pdf", refuse)
    response = client.get(f"/councils/{council.slug}/opinions/{opinion.id}.pdf", headers=EN)
    assert response.status_code == 500 and "text/html" in response.content_type
    assert NOT_SAVED in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "failing", ["consultation.opinions.services._tell", "consultation.opinions.services.audit.record"]
)
def test_a_transmission_whose_notification_or_audit_fails_is_not_recorded(client, login, monkeypatch, failing):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="adopted")
    login(client, make_user(Role.SECRETARY, council))
    audit_entries = count(AuditEntry)
    monkeypatch.setattr(failing, refuse)
    response = client.post(
        f"/councils/{council.slug}/opinions/{opinion.id}/transmit",
        data={"addressee": "Monsieur le Maire", "on": date(2026, 12, 1).isoformat()},
        headers=EN,
    )
    assert response.status_code == 500
    db.session.rollback()
    assert db.session.get(Opinion, opinion.id).transmitted_on is None
    assert count(AuditEntry) == audit_entries
