"""A workshop's formal votes: opened from the console, cast from phones without an account, counted once
with the paper and show-of-hands counts, shown on the wall and in the history."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consultation.errors import Conflict
from consultation.extensions import db
from consultation.permissions import Role
from consultation.voting import services
from consultation.voting.models import VoteBallot, VoteParticipation
from consultation.voting.rules import Status
from consultation.workshops.models import Attendance, WorkshopEvent, WorkshopParticipant
from consultation.workshops.phases import Phase
from tests.factories import NOW, make_council, make_proposal, make_user, make_workshop
from tests.factories_votes import keys, make_vote
from tests.factories_workshops import give_join_code, make_participant
from tests.statements import recorded_statements

EN = {"Accept-Language": "en"}


def join_as(client, code, name=""):
    response = client.post(f"/join/{code}", data={"display_name": name, "charter": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def console(workshop, path=""):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}/console{path}"


@pytest.fixture()
def room(ctx):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    code = give_join_code(workshop)
    first, second = make_proposal(workshop, title="Un abri bus"), make_proposal(workshop, title="Un jardin partagé")
    vote = make_vote(council, workshop=workshop, electorate="workshop", options=())
    services.update_vote(
        make_user(Role.FACILITATOR, council),
        vote,
        services.VoteSettings(
            question=vote.question, method="plurality", electorate="workshop", proposal_ids=[first.id, second.id]
        ),
    )
    db.session.commit()
    return {"council": council, "workshop": workshop, "code": code, "vote": vote}


def test_a_person_without_an_account_votes_from_the_phone_once(client, room):
    code, vote = room["code"], room["vote"]
    join_as(client, code, "Ana")
    live = client.get(f"/join/{code}/live", headers=EN).get_data(as_text=True)
    assert "Vote now" in live and f"/join/{code}/votes/{vote.id}" in live
    page = client.get(f"/join/{code}/votes/{vote.id}", headers=EN)
    assert page.status_code == 200 and "Un abri bus" in page.get_data(as_text=True)
    first = keys(vote)[0]
    assert client.post(f"/join/{code}/votes/{vote.id}", data={"choice": first}).status_code == 302
    again = client.post(f"/join/{code}/votes/{vote.id}", data={"choice": keys(vote)[1]}, headers=EN)
    assert again.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(VoteParticipation)) == 1
    participation = db.session.scalar(select(VoteParticipation))
    assert participation.voter_id is None and participation.participant_id is not None
    assert services.current_result(vote)["details"]["counts"][first] == 1
    assert "You have voted" in client.get(f"/join/{code}/live", headers=EN).get_data(as_text=True)


def test_a_phone_ballot_reads_its_vote_once_under_the_shared_lock(app, client, room):
    """As on the vote page (test_votes): one read of the vote, locked on PostgreSQL, one "voted already?"."""
    code, vote = room["code"], room["vote"]
    join_as(client, code, "Ana")
    url, choice = f"/join/{code}/votes/{vote.id}", keys(vote)[0]
    db.session.remove()
    with recorded_statements() as statements:
        assert client.post(url, data={"choice": choice}).status_code == 302
    reads_of_the_vote = [s for s in statements if "FROM votes" in s and "FROM votes JOIN" not in s]
    assert len(reads_of_the_vote) == 1, reads_of_the_vote
    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert ("FOR SHARE" in reads_of_the_vote[0]) == postgresql
    voted_already = [s for s in statements if "FROM vote_participations" in s and "participant_id" in s]
    assert len(voted_already) == 1, voted_already


def test_a_phone_ballot_with_no_choice_is_refused_with_a_message(client, room):
    code, vote = room["code"], room["vote"]
    join_as(client, code)
    response = client.post(f"/join/{code}/votes/{vote.id}", data={}, headers=EN)
    assert response.status_code == 422
    assert "Your ballot was not recorded" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(VoteParticipation)) == 0


def test_phone_votes_need_an_identity_and_stay_in_their_workshop(client, room):
    code, vote = room["code"], room["vote"]
    assert client.post(f"/join/{code}/votes/{vote.id}", data={"choice": keys(vote)[0]}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(VoteParticipation)) == 0  # sent to join first
    join_as(client, code)
    other = make_vote(room["council"], workshop=make_workshop(room["council"]), electorate="workshop")
    assert client.get(f"/join/{code}/votes/{other.id}").status_code == 404
    draft = make_vote(room["council"], workshop=room["workshop"], electorate="workshop", status="draft")
    assert client.get(f"/join/{code}/votes/{draft.id}").status_code == 404
    members_only = make_vote(room["council"], workshop=room["workshop"], electorate="members")
    assert (
        client.post(f"/join/{code}/votes/{members_only.id}", data={"choice": keys(members_only)[0]}).status_code == 403
    )
    closed = make_vote(room["council"], workshop=room["workshop"], electorate="workshop", status="closed")
    assert client.post(f"/join/{code}/votes/{closed.id}", data={"choice": keys(closed)[0]}).status_code == 409


def test_an_account_that_joined_is_counted_once_on_the_phone_and_on_the_vote_page(app, client, login, room):
    code, vote = room["code"], room["vote"]
    person = make_user(name="Jean-Baptiste")
    login(client, person)
    vote_page = f"/councils/{room['council'].slug}/votes/{vote.id}/ballot"
    assert client.post(vote_page, data={"choice": keys(vote)[0]}).status_code == 403  # not in the workshop yet
    join_as(client, code)
    assert client.post(f"/join/{code}/votes/{vote.id}", data={"choice": keys(vote)[0]}).status_code == 302
    assert client.post(vote_page, data={"choice": keys(vote)[1]}).status_code == 409
    participation = db.session.scalar(select(VoteParticipation))
    assert participation.voter_id == person.id and participation.participant_id is None
    assert db.session.scalar(select(func.count()).select_from(VoteParticipation)) == 1


def test_a_person_marked_present_votes_on_the_vote_page(client, login, room):
    person = make_user()
    db.session.add(
        Attendance(workshop_id=room["workshop"].id, user_id=person.id, status="present", channel="room", updated_at=NOW)
    )
    db.session.commit()
    login(client, person)
    vote = room["vote"]
    response = client.post(f"/councils/{room['council'].slug}/votes/{vote.id}/ballot", data={"choice": keys(vote)[0]})
    assert response.status_code == 302


def test_a_facilitator_who_did_not_join_is_not_a_voter(client, login, room):
    login(client, make_user(Role.FACILITATOR, room["council"]))
    vote = room["vote"]
    response = client.post(f"/councils/{room['council'].slug}/votes/{vote.id}/ballot", data={"choice": keys(vote)[0]})
    assert response.status_code == 403


def test_two_simultaneous_ballots_of_one_participant_count_once(ctx, room):
    participant = make_participant(room["workshop"], name="Ana")
    vote = room["vote"]
    assert services.cast_participant_ballot(participant, vote, keys(vote)[0], now=NOW) == "cast"
    db.session.commit()
    with pytest.raises(Conflict):
        services.cast_participant_ballot(participant, vote, keys(vote)[1], now=NOW)
    db.session.rollback()
    # The guard itself: a second insert of the same participation writes nothing.
    assert services._insert_participation(vote.id, None, None, participant_id=participant.id) is False
    assert db.session.scalar(select(func.count()).select_from(VoteParticipation)) == 1


def test_a_secret_phone_ballot_names_nobody_and_an_open_one_is_in_the_roll_call(ctx, room):
    council, workshop = room["council"], room["workshop"]
    secret = make_vote(council, workshop=workshop, electorate="workshop", is_secret=True)
    open_vote = make_vote(council, workshop=workshop, electorate="workshop")
    named, anonymous = make_participant(workshop, name="Ana"), make_participant(workshop)
    for participant in (named, anonymous):
        services.cast_participant_ballot(participant, secret, keys(secret)[0], now=NOW)
        services.cast_participant_ballot(participant, open_vote, keys(open_vote)[1], now=NOW)
    db.session.commit()
    secret_ballots = db.session.scalars(select(VoteBallot).where(VoteBallot.vote_id == secret.id)).all()
    assert len(secret_ballots) == 2 and all(b.participant_id is None and b.voter_id is None for b in secret_ballots)
    entries = services.roll_call(open_vote)
    assert sorted((e.voter or "", e.ballot, e.is_participant) for e in entries) == [
        ("", keys(open_vote)[1], True),
        ("Ana", keys(open_vote)[1], True),
    ]
    assert all(e.ballot is None for e in services.roll_call(secret))


def test_phone_ballots_and_paper_counts_add_up_in_the_result(client, login, room):
    code, vote, workshop = room["code"], room["vote"], room["workshop"]
    for name in ("Ana", "Bruno"):
        phone = join_as(client.application.test_client(), code, name)
        assert phone.post(f"/join/{code}/votes/{vote.id}", data={"choice": keys(vote)[0]}).status_code == 302
    facilitator = make_user(Role.FACILITATOR, room["council"])
    services.enter_paper_counts(facilitator, vote, channel="room", counts={keys(vote)[0]: 1, keys(vote)[1]: 3}, now=NOW)
    db.session.commit()
    assert services.turnout(vote).by_channel == {"online": 2, "room": 4, "paper": 0}
    login(client, facilitator)
    assert client.post(console(workshop, f"/votes/{vote.id}/close")).status_code == 302
    db.session.expire_all()
    assert vote.result["details"]["counts"] == {keys(vote)[0]: 3, keys(vote)[1]: 3}
    live = client.get(console(workshop)[: -len("/console")] + "/projector/live", headers=EN).get_data(as_text=True)
    assert "Vote result" in live and "Un abri bus" in live and "Un jardin partagé" in live
    history = [
        e.action for e in db.session.scalars(select(WorkshopEvent).where(WorkshopEvent.workshop_id == workshop.id))
    ]
    assert {"vote_paper", "vote_closed"} <= set(history)


def test_the_workshop_electorate_counts_each_person_once(ctx, room):
    workshop = room["workshop"]
    linked_user = make_user()
    linked = make_participant(workshop, name="Ana", user=linked_user)
    make_participant(workshop)  # anonymous phone
    db.session.add_all(
        [
            Attendance(
                workshop_id=workshop.id,
                participant_id=linked.id,
                user_id=linked_user.id,
                status="present",
                channel="room",
                updated_at=NOW,
            ),
            Attendance(workshop_id=workshop.id, name="Walk-in", status="present", channel="room", updated_at=NOW),
            Attendance(
                workshop_id=workshop.id, user_id=make_user().id, status="present", channel="online", updated_at=NOW
            ),
            Attendance(
                workshop_id=workshop.id, user_id=make_user().id, status="absent", channel="room", updated_at=NOW
            ),
        ]
    )
    db.session.commit()
    # two identities by code + a walk-in + an account ticked present; the absent person is not counted
    assert services.electorate_count(room["vote"]) == 4


@pytest.mark.parametrize(
    ("role", "expected"),
    [(None, 302), (Role.RESIDENT, 403), ("elsewhere", 403), (Role.MEMBER, 403), (Role.FACILITATOR, 302)],
)
def test_only_the_workshops_facilitators_open_and_close_its_votes(app, client, login, room, role, expected):
    workshop = room["workshop"]
    draft = make_vote(room["council"], workshop=workshop, electorate="workshop", status="draft")
    if role == "elsewhere":
        login(client, make_user(Role.FACILITATOR, make_council()))
    elif role is not None:
        login(client, make_user(role, room["council"]))
    response = client.post(console(workshop, f"/votes/{draft.id}/open"))
    assert response.status_code == expected
    if role is None:
        assert "/login" in response.headers["Location"]
    db.session.expire_all()
    assert (draft.status == "open") is (role == Role.FACILITATOR)


def test_a_vote_of_another_workshop_cannot_be_run_from_this_console(client, login, room):
    other = make_vote(room["council"], workshop=make_workshop(room["council"]), electorate="workshop", status="draft")
    login(client, make_user(Role.FACILITATOR, room["council"]))
    assert client.post(console(room["workshop"], f"/votes/{other.id}/open")).status_code == 404


def test_the_console_lists_the_votes_and_opening_is_recorded(client, login, room):
    workshop = room["workshop"]
    draft = make_vote(room["council"], workshop=workshop, electorate="workshop", status="draft", question="Quel nom ?")
    login(client, make_user(Role.FACILITATOR, room["council"]))
    page = client.get(console(workshop), headers=EN).get_data(as_text=True)
    assert "Quel nom ?" in page and "Open the vote" in page and "Close the vote and count" in page
    client.post(console(workshop, f"/votes/{draft.id}/open"))
    event_row = db.session.scalar(select(WorkshopEvent).where(WorkshopEvent.action == "vote_opened"))
    assert event_row is not None and event_row.details["question"] == "Quel nom ?"
    history = client.get(console(workshop), headers=EN).get_data(as_text=True)
    assert "Opened the vote “Quel nom ?”" in history


def test_the_projector_etag_changes_when_a_phone_votes(client, login, room):
    code, vote, workshop = room["code"], room["vote"], room["workshop"]
    login(client, make_user(Role.FACILITATOR, room["council"]))
    url = console(workshop)[: -len("/console")] + "/projector/live"
    first = client.get(url, headers=EN)
    assert "1 ballot" not in first.get_data(as_text=True) and "0 ballots cast" in first.get_data(as_text=True)
    phone = join_as(client.application.test_client(), code)
    phone.post(f"/join/{code}/votes/{vote.id}", data={"choice": keys(vote)[0]})
    second = client.get(url, headers={**EN, "If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and "1 ballot cast" in second.get_data(as_text=True)


def test_phone_live_query_count_does_not_grow_with_votes(app, client, room):
    council = room["council"]
    small, large = make_workshop(council, phase=Phase.VOTE), make_workshop(council, phase=Phase.VOTE)
    codes = {}
    for workshop, how_many in ((small, 1), (large, 6)):
        codes[workshop.id] = give_join_code(workshop)
        for _ in range(how_many):
            make_vote(council, workshop=workshop, electorate="workshop")
            closed = make_vote(council, workshop=workshop, electorate="workshop")
            services.close_vote(make_user(Role.FACILITATOR, council), closed, now=NOW)
        db.session.commit()

    def count_queries(code):
        phone = join_as(app.test_client(), code)
        db.session.remove()
        with recorded_statements() as statements:
            assert phone.get(f"/join/{code}/live").status_code == 200
        return len(statements)

    large_code, small_code = codes[large.id], codes[small.id]
    assert count_queries(large_code) == count_queries(small_code)


def test_deleting_a_participant_identity_keeps_the_ballot_counted(ctx, room):
    participant = make_participant(room["workshop"], name="Ana")
    vote = room["vote"]
    services.cast_participant_ballot(participant, vote, keys(vote)[0], now=NOW)
    db.session.commit()
    db.session.delete(db.session.get(WorkshopParticipant, participant.id))
    db.session.commit()
    assert services.turnout(vote).total == 1
    assert services.current_result(vote)["ballots"] == 1


def test_the_wall_lists_open_votes_as_they_opened_then_closed_ones_as_they_closed(ctx):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    later, earlier = timedelta(minutes=30), timedelta(minutes=5)
    open_late, open_early = make_vote(council, workshop=workshop), make_vote(council, workshop=workshop)
    open_late.opened_at, open_early.opened_at = NOW + later, NOW + earlier
    closed_late = make_vote(council, workshop=workshop, status=Status.CLOSED)
    closed_early = make_vote(council, workshop=workshop, status=Status.CLOSED)
    closed_late.closed_at, closed_early.closed_at = NOW + later, NOW + earlier
    make_vote(council, workshop=workshop, status=Status.DRAFT)
    make_vote(council, workshop=make_workshop(council))  # another workshop's
    db.session.commit()
    with recorded_statements() as statements:
        open_ones, closed = services.shown_workshop_votes(workshop)
    assert (open_ones, closed) == ([open_early, open_late], [closed_early, closed_late])
    assert len([s for s in statements if "FROM votes" in s]) == 1
