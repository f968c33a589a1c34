"""Votes open and close on their planned dates: when read, from a workshop's live page, and by
`flask votes advance`; the dates are checked when the vote is prepared."""

from datetime import timedelta

from sqlalchemy import select

from consultation.audit.models import AuditEntry
from consultation.db import utcnow
from consultation.extensions import db
from consultation.permissions import Role
from consultation.voting.models import Vote
from consultation.voting.schedule import apply_due
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_user, make_workshop
from tests.factories_votes import make_vote
from tests.factories_workshops import give_join_code

EN = {"Accept-Language": "en"}


def planned(council, *, opens=None, closes=None, status="draft", **settings):
    vote = make_vote(council, status=status, **settings)
    now = utcnow()
    vote.opens_at = now + opens if opens is not None else None
    vote.closes_at = now + closes if closes is not None else None
    db.session.commit()
    return vote


def status_of(vote) -> str:
    db.session.expire_all()
    return db.session.get(Vote, vote.id).status


def test_reading_a_vote_opens_it_when_its_opening_has_come(client, login):
    council = make_council()
    login(client, make_user(Role.MEMBER, council))  # a draft is shown to its voters
    due = planned(council, opens=timedelta(minutes=-5), closes=timedelta(hours=1))
    later = planned(council, opens=timedelta(hours=1))
    page = client.get(f"/councils/{council.slug}/votes/{due.id}", headers=EN)
    assert page.status_code == 200 and status_of(due) == "open"
    assert "Planned opening" in client.get(f"/councils/{council.slug}/votes/{later.id}", headers=EN).get_data(
        as_text=True
    )
    assert status_of(later) == "draft"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "vote.opened"))
    assert entry.actor_id is None and entry.details["by"] == "schedule"


def test_a_vote_past_its_closing_is_closed_with_its_result_when_read(client):
    council = make_council()
    vote = planned(council, status="open", closes=timedelta(minutes=-1))
    response = client.get(f"/councils/{council.slug}/votes/{vote.id}/results", headers=EN)
    assert response.status_code == 200
    db.session.expire_all()
    closed = db.session.get(Vote, vote.id)
    assert closed.status == "closed" and closed.result is not None and closed.closed_at == closed.closes_at


def test_the_cli_advances_every_due_vote_and_says_which(app, ctx):
    council = make_council()
    to_open = planned(council, opens=timedelta(minutes=-1))
    to_close = planned(council, status="open", closes=timedelta(minutes=-1))
    both = planned(council, opens=timedelta(minutes=-10), closes=timedelta(minutes=-5))
    untouched = planned(council, opens=timedelta(days=1))
    result = app.test_cli_runner().invoke(args=["votes", "advance"])
    assert result.exit_code == 0, result.output
    assert f"opened 2 vote(s): {to_open.id}, {both.id}" in result.output
    assert "closed 2 vote(s)" in result.output
    assert [status_of(v) for v in (to_open, to_close, both, untouched)] == ["open", "closed", "closed", "draft"]
    again = app.test_cli_runner().invoke(args=["votes", "advance"])
    assert "opened 0 vote(s)" in again.output and "closed 0 vote(s)" in again.output
    future = (utcnow() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert "opened 1 vote(s)" in app.test_cli_runner().invoke(args=["votes", "advance", "--now", future]).output
    bad = app.test_cli_runner().invoke(args=["votes", "advance", "--now", "tomorrow"])
    assert bad.exit_code != 0 and "2026-12-01T18:30" in bad.output


def test_a_phone_sees_the_rooms_vote_open_on_time(app, client):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    code = give_join_code(workshop)
    vote = planned(council, opens=timedelta(seconds=-1), workshop=workshop, electorate="workshop")
    client.post(f"/join/{code}", data={"display_name": "", "charter": "y"})
    live = client.get(f"/join/{code}/live", headers=EN).get_data(as_text=True)
    assert "Vote now" in live and status_of(vote) == "open"


def test_applying_twice_takes_each_step_once(ctx):
    council = make_council()
    vote = planned(council, opens=timedelta(minutes=-1))
    assert [s.value for s in apply_due(vote, utcnow())] == ["open"]
    assert apply_due(db.session.get(Vote, vote.id), utcnow()) == []
    assert db.session.query(AuditEntry).filter(AuditEntry.action == "vote.opened").count() == 1


def test_a_closing_before_the_opening_is_refused_with_the_form_kept(client, login):
    council = make_council()
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(
        f"/councils/{council.slug}/votes/new",
        data={
            "question": "Quel jour pour le marché ?",
            "method": "plurality",
            "electorate": "members",
            "options": "Samedi\nDimanche",
            "opens_at": "2026-12-10T18:00",
            "closes_at": "2026-12-10T17:00",
            "max_proxies": "1",
        },
        headers=EN,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The planned closing must come after the planned opening." in page and "Quel jour pour le marché ?" in page


def test_a_ballot_sent_after_the_closing_closes_the_vote_and_is_refused(client, login):
    from consultation.voting.models import VoteBallot
    from tests.factories_votes import keys

    council = make_council()
    vote = planned(council, status="open", closes=timedelta(seconds=-1))
    login(client, make_user(Role.MEMBER, council))
    response = client.post(f"/councils/{council.slug}/votes/{vote.id}/ballot", data={"choice": keys(vote)[0]})
    assert response.status_code == 409
    assert status_of(vote) == "closed"
    assert db.session.query(VoteBallot).filter(VoteBallot.vote_id == vote.id).count() == 0


def test_readers_arriving_together_close_a_due_vote_once(app, ctx):
    import threading

    from consultation.audit.services import verify

    council = make_council()
    vote = planned(council, status="open", closes=timedelta(minutes=-1))
    url = f"/councils/{council.slug}/votes/{vote.id}"
    clients = [app.test_client() for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def read(client):
        barrier.wait()
        statuses.append(client.get(url).status_code)

    threads = [threading.Thread(target=read, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * len(clients)
    db.session.rollback()  # end this thread's read snapshot before counting
    assert status_of(vote) == "closed"
    assert db.session.query(AuditEntry).filter(AuditEntry.action == "vote.closed").count() == 1
    assert verify()[1] == []
