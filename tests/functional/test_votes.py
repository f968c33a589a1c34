"""Votes in the app: access, ballots of every method, proxies, paper counts, secrecy, concurrency, recount."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from consultation.extensions import db
from consultation.permissions import Role
from consultation.proposals.models import Proposal
from consultation.voting import services
from consultation.voting.models import PaperEntry, Vote, VoteBallot, VoteParticipation, VoteProxy
from consultation.voting.rules import Status
from consultation.workshops.models import WorkshopParticipant
from consultation.workshops.phases import Phase
from tests.factories import NOW, make_council, make_opinion, make_proposal, make_user, make_workshop
from tests.factories_votes import cast, close, keys, make_vote
from tests.statements import recorded_statements

EN = {"Accept-Language": "en"}


def vote_url(vote: Vote, suffix: str = "") -> str:
    return f"/councils/{vote.council.slug}/votes/{vote.id}{suffix}"


def members(council, number: int, role: Role = Role.MEMBER):
    return [make_user(role, council) for _ in range(number)]


# ------------------------------------------------------------------------------------ access matrix


@pytest.fixture()
def world(ctx):
    council = make_council(slug="macouria")
    other = make_council(slug="pantin")
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "facilitator": make_user(Role.FACILITATOR, council),
        "member": make_user(Role.MEMBER, council),
        "secretary": make_user(Role.SECRETARY, council),
        "officer": make_user(Role.OFFICER, council),
        "admin": make_user(is_admin=True),
    }
    draft = make_vote(council, status=Status.DRAFT)
    opened = make_vote(council)
    closed = make_vote(council)
    close(people["facilitator"], closed)
    return {"draft": draft, "open": opened, "closed": closed, "people": people, "first": keys(opened)[0]}


ROLES = ["anonymous", "resident", "facilitator_elsewhere", "facilitator", "member", "secretary", "officer", "admin"]
LOGIN = 302
MANAGERS = ("facilitator", "secretary", "admin")

MATRIX = [
    ("GET", "/councils/macouria/votes", None, dict.fromkeys(ROLES, 200)),
    ("GET", "{open}", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/councils/pantin/votes/{open_id}", None, dict.fromkeys(ROLES, 404)),
    # A draft is seen by its managers and by its voters (who may give a proxy before it opens).
    ("GET", "{draft}", None, {**dict.fromkeys(ROLES, 404), **dict.fromkeys(MANAGERS, 200), "member": 200}),
    # Live results: managers only; everyone once closed.
    ("GET", "{open}/results", None, {**dict.fromkeys(ROLES, 403), **dict.fromkeys(MANAGERS, 200)}),
    ("GET", "{open}/ballots.csv", None, {**dict.fromkeys(ROLES, 403), **dict.fromkeys(MANAGERS, 200)}),
    ("GET", "{closed}/results", None, dict.fromkeys(ROLES, 200)),
    ("GET", "{closed}/ballots.csv", None, dict.fromkeys(ROLES, 200)),
    (
        "GET",
        "/councils/macouria/votes/new",
        None,
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, **dict.fromkeys(MANAGERS, 200)},
    ),
    (
        "POST",
        "{draft}/open",
        {},
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "member": 403, **dict.fromkeys(MANAGERS, 302)},
    ),
    ("POST", "{open}/close", {}, {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, **dict.fromkeys(MANAGERS, 302)}),
    # Only council members vote (electorate "members"): a facilitator or an admin is not a voter.
    (
        "POST",
        "{open}/ballot",
        {"choice": "{first}"},
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "member": 302, "secretary": 302},
    ),
    (
        "GET",
        "{open}/paper",
        None,
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, **dict.fromkeys(MANAGERS, 200)},
    ),
    (
        "GET",
        "{draft}/edit",
        None,
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "member": 403, **dict.fromkeys(MANAGERS, 200)},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "template", "data", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _d, _e in MATRIX]
)
def test_vote_access_matrix(app, world, login, role, method, template, data, expected):
    client = app.test_client()
    person = world["people"][role]
    if person is not None:
        login(client, person)
    names = {name: vote_url(world[name]) for name in ("draft", "open", "closed")}
    url = template.format(**names, open_id=world["open"].id)
    payload = {k: v.format(first=world["first"]) for k, v in data.items()} if data is not None else None
    response = client.open(url, method=method, data=payload)
    assert response.status_code == expected[role], (role, url, response.status_code)


# ---------------------------------------------------------------------------------------- set-up


def test_facilitator_prepares_a_vote_on_the_workshops_proposals(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    first, second = make_proposal(workshop, title="Un abri bus"), make_proposal(workshop, title="Des bancs")
    login(client, make_user(Role.FACILITATOR, council))
    url = f"/councils/{council.slug}/votes/new?workshop={workshop.id}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        data={
            "question": "Quelle proposition retenir ?",
            "method": "majority_judgment",
            "proposals": [str(first.id), str(second.id)],
            "options": "Ni l'une ni l'autre",
            "electorate": "workshop",
            "max_proxies": "1",
            "majority": "simple",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    vote = db.session.scalar(select(Vote))
    assert (vote.method, vote.workshop_id, vote.status, vote.grades) == (
        "majority_judgment",
        workshop.id,
        "draft",
        None,
    )
    assert [(o.label, o.proposal_id) for o in vote.options] == [
        ("Un abri bus", first.id),
        ("Des bancs", second.id),
        ("Ni l'une ni l'autre", None),
    ]


def test_bad_vote_settings_are_shown_again_with_what_was_typed(client, login):
    council = make_council()
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(
        f"/councils/{council.slug}/votes/new",
        data={
            "question": "Quel projet ?",
            "method": "plurality",
            "options": "Seule option",
            "max_proxies": "1",
            "electorate": "members",
            "majority": "simple",
        },
        headers=EN,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "A vote needs at least two options." in page
    assert "Seule option" in page and 'value="Quel projet ?"' in page
    response = client.post(
        f"/councils/{council.slug}/votes/new",
        data={"question": "Q", "method": "nonsense", "max_proxies": "x"},
        headers=EN,
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Vote.id))) == 0


def test_a_secret_ballot_cannot_be_changeable(client, login):
    council = make_council()
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(
        f"/councils/{council.slug}/votes/new",
        data={
            "question": "Adopter l'avis ?",
            "method": "motion",
            "is_secret": "y",
            "allows_change": "y",
            "max_proxies": "1",
            "electorate": "members",
            "majority": "simple",
        },
        headers=EN,
    )
    assert response.status_code == 422
    assert "A secret ballot cannot be changed once cast" in response.get_data(as_text=True)


def test_a_motion_can_adopt_an_opinion(client, login):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.SYNTHESIS))
    login(client, make_user(Role.PRESIDENT, council))
    response = client.post(
        f"/councils/{council.slug}/votes/new",
        data={
            "question": "Adopter l'avis du conseil ?",
            "method": "motion",
            "opinion": str(opinion.id),
            "majority": "absolute",
            "quorum": "3",
            "max_proxies": "1",
            "electorate": "members",
            "closes_at": "2026-12-01T18:00",
        },
    )
    assert response.status_code == 302
    vote = db.session.scalar(select(Vote))
    assert (vote.opinion_id, vote.majority, vote.quorum, vote.options) == (opinion.id, "absolute", 3, [])
    # Dates are typed in the council's time zone (Europe/Paris by default) and stored in UTC.
    assert vote.closes_at == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


def test_settings_lock_once_the_first_ballot_is_cast(client, login):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(council)
    login(client, facilitator)
    data = {
        "question": "Une autre question ?",
        "method": "plurality",
        "options": "X\nY",
        "max_proxies": "1",
        "electorate": "members",
        "majority": "simple",
    }
    assert client.post(vote_url(vote, "/edit"), data=data).status_code == 302
    db.session.refresh(vote)
    assert vote.question == "Une autre question ?"
    cast(make_user(Role.MEMBER, council), vote, keys(vote)[0])
    assert client.post(vote_url(vote, "/edit"), data={**data, "question": "Encore changée ?"}).status_code == 409
    assert "locked" in client.get(vote_url(vote, "/edit"), headers=EN).get_data(as_text=True)
    db.session.refresh(vote)
    assert vote.question == "Une autre question ?"


def test_a_vote_goes_from_draft_to_open_to_closed_only(client, login):
    council = make_council()
    vote = make_vote(council, status=Status.DRAFT)
    login(client, make_user(Role.SECRETARY, council))
    assert client.post(vote_url(vote, "/close")).status_code == 409
    assert client.post(vote_url(vote, "/open")).status_code == 302
    assert client.post(vote_url(vote, "/open")).status_code == 409
    assert client.post(vote_url(vote, "/close")).status_code == 302
    db.session.refresh(vote)
    assert vote.status == "closed" and vote.result is not None


# ---------------------------------------------------------------------------------------- voting


BALLOTS = {
    "plurality": lambda k: {"choice": k[1]},
    "approval": lambda k: {f"option_{k[0]}": "y", f"option_{k[2]}": "y"},
    "score": lambda k: {f"option_{k[0]}": "1", f"option_{k[1]}": "5"},
    "majority_judgment": lambda k: {f"option_{k[0]}": "5", f"option_{k[1]}": "2", f"option_{k[2]}": "0"},
    "schulze": lambda k: {f"option_{k[2]}": "1", f"option_{k[0]}": "2", f"option_{k[1]}": "2"},
    "dot": lambda k: {f"option_{k[0]}": "3", f"option_{k[2]}": "2"},
    "motion": lambda k: {"choice": "yes"},
}
EXPECTED = {
    "plurality": lambda k: k[1],
    "approval": lambda k: [k[0], k[2]],
    "score": lambda k: {k[0]: 1, k[1]: 5},
    "majority_judgment": lambda k: {k[0]: 5, k[1]: 2, k[2]: 0},
    "schulze": lambda k: [[k[2]], [k[0], k[1]]],
    "dot": lambda k: {k[0]: 3, k[2]: 2},
    "motion": lambda k: "yes",
}


@pytest.mark.parametrize("method", list(BALLOTS))
def test_member_casts_a_ballot_with_each_method(client, login, method):
    council = make_council()
    vote = make_vote(council, method=method)
    member = make_user(Role.MEMBER, council)
    login(client, member)
    page = client.get(vote_url(vote), headers=EN).get_data(as_text=True)
    assert "Send my ballot" in page
    response = client.post(vote_url(vote, "/ballot"), data=BALLOTS[method](keys(vote)), headers=EN)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.scalar(select(VoteBallot.content)) == EXPECTED[method](keys(vote))
    assert "Your ballot is recorded" in client.get(vote_url(vote), headers=EN).get_data(as_text=True)


def test_resident_cannot_vote_twice(client, login):
    council = make_council()
    vote = make_vote(council)
    login(client, make_user(Role.MEMBER, council))
    first, second = keys(vote)[:2]
    assert client.post(vote_url(vote, "/ballot"), data={"choice": first}).status_code == 302
    assert client.post(vote_url(vote, "/ballot"), data={"choice": second}).status_code == 409
    assert db.session.scalars(select(VoteBallot.content)).all() == [first]


def test_ballot_can_be_changed_until_closing_when_the_vote_allows_it(client, login):
    council = make_council()
    vote = make_vote(council, allows_change=True)
    member = make_user(Role.MEMBER, council)
    login(client, member)
    first, second = keys(vote)[:2]
    assert client.post(vote_url(vote, "/ballot"), data={"choice": first}).status_code == 302
    page = client.get(vote_url(vote), headers=EN).get_data(as_text=True)
    assert "You may change your ballot" in page
    assert re.search(rf'value="{first}"[^>]*checked|checked[^>]*value="{first}"', page)  # the ballot shown again
    assert client.post(vote_url(vote, "/ballot"), data={"choice": second}).status_code == 302
    assert db.session.scalars(select(VoteBallot.content)).all() == [second]
    assert db.session.scalar(select(func.count()).select_from(VoteParticipation)) == 1
    close(make_user(Role.FACILITATOR, council), vote)
    assert client.post(vote_url(vote, "/ballot"), data={"choice": first}).status_code == 409
    assert db.session.scalars(select(VoteBallot.content)).all() == [second]


@pytest.mark.parametrize(
    ("method", "data", "message"),
    [
        ("dot", lambda k: {f"option_{k[0]}": "4", f"option_{k[1]}": "3"}, "You gave more points than you have"),
        ("score", lambda k: {f"option_{k[0]}": "9"}, "outside the allowed range"),
        ("score", lambda k: {f"option_{k[0]}": "-2"}, "outside the allowed range"),
        ("majority_judgment", lambda k: {f"option_{k[0]}": "17"}, "outside the allowed range"),
        ("majority_judgment", lambda k: {f"option_{k[0]}": "bien"}, "incomplete or malformed"),
        ("plurality", lambda k: {"choice": "999999"}, "is not an option of this vote"),
        ("plurality", lambda k: {}, "Choose one option."),
        ("schulze", lambda k: {f"option_{k[0]}": "first"}, "incomplete or malformed"),
        ("motion", lambda k: {"choice": "perhaps"}, "is not an option of this vote"),
    ],
)
def test_a_bad_ballot_is_shown_again_with_a_clear_message(client, login, method, data, message):
    council = make_council()
    vote = make_vote(council, method=method)
    login(client, make_user(Role.MEMBER, council))
    sent = data(keys(vote))
    response = client.post(vote_url(vote, "/ballot"), data=sent, headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Your ballot was not recorded" in page
    for value in sent.values():
        if method in ("dot", "score"):
            assert f'value="{value}"' in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(VoteBallot)) == 0
    assert db.session.scalar(select(func.count()).select_from(VoteParticipation)) == 0


def test_concurrent_ballots_by_one_person_count_once(app, ctx, login):
    council = make_council()
    vote = make_vote(council, is_secret=True)
    member = make_user(Role.MEMBER, council)
    url = vote_url(vote, "/ballot")
    choice = keys(vote)[0]
    clients = [login(app.test_client(), member) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def click(client):
        barrier.wait()
        statuses.append(client.post(url, data={"choice": choice}).status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == len(clients)
    assert statuses.count(302) == 1 and set(statuses) <= {302, 409}
    vote_id = vote.id
    db.session.rollback()  # end this thread's read snapshot before counting
    assert db.session.scalar(select(func.count()).where(VoteBallot.vote_id == vote_id)) == 1
    assert db.session.scalar(select(func.count()).where(VoteParticipation.vote_id == vote_id)) == 1


def test_concurrent_changes_of_an_open_ballot_keep_one_ballot(app, ctx, login):
    council = make_council()
    vote = make_vote(council, allows_change=True)
    member = make_user(Role.MEMBER, council)
    url = vote_url(vote, "/ballot")
    options = keys(vote)
    clients = [login(app.test_client(), member) for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def click(client, choice):
        barrier.wait()
        statuses.append(client.post(url, data={"choice": choice}).status_code)

    threads = [threading.Thread(target=click, args=(c, options[i % 3])) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(clients)
    vote_id = vote.id
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(VoteBallot.vote_id == vote_id)) == 1


def test_a_ballot_reads_its_vote_once_under_the_shared_lock(app, client, login):
    """The vote is read once, with its row lock on PostgreSQL (FOR SHARE, held until the ballot commits),
    and whether the voter voted already is asked once: the participation insert settles the rest."""
    council = make_council()
    vote = make_vote(council)
    login(client, make_user(Role.MEMBER, council))
    url, choice = vote_url(vote, "/ballot"), keys(vote)[0]
    db.session.remove()
    with recorded_statements() as statements:
        assert client.post(url, data={"choice": choice}).status_code == 302
    reads_of_the_vote = [s for s in statements if re.search(r"\bFROM votes\b", s)]
    assert len(reads_of_the_vote) == 1, reads_of_the_vote
    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    assert ("FOR SHARE" in reads_of_the_vote[0]) == postgresql
    assert not [s for s in statements if re.search(r"\bFROM councils\b", s)]  # read with the vote
    assert len([s for s in statements if "FROM vote_participations" in s]) == 1
    assert len([s for s in statements if s != "BEGIN IMMEDIATE"]) <= 8  # 15 before it was read once, locked
    assert len([s for s in statements if "FROM vote_proxies" in s]) == 1  # read once, for the choices and the check


def test_the_shared_lock_of_a_ballot_is_not_trusted_after_its_transaction(app, ctx):
    council, other = make_council(), make_council()
    slug, other_slug, vote_id = council.slug, other.slug, make_vote(council).id
    db.session.remove()
    postgresql = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    vote = services.read_for_ballot(slug, vote_id)
    with recorded_statements() as statements:
        assert services._locked(vote, read=True) is vote
    assert statements == []  # read under the lock in this very transaction (SQLite needs no lock at all)
    db.session.commit()  # the lock ends here
    with recorded_statements() as statements:
        services._locked(vote, read=True)
    assert len([s for s in statements if s.rstrip().endswith("FOR SHARE")]) == (1 if postgresql else 0)
    assert services.read_for_ballot(other_slug, vote_id) is None  # only inside its council
    assert services.read_for_ballot(slug, vote_id + 1000) is None


# ---------------------------------------------------------------------------------------- proxies


def test_proxy_given_before_opening_lets_the_holder_vote_for_the_giver(client, login):
    council = make_council()
    giver, holder = members(council, 2)
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(council, status=Status.DRAFT)
    login(client, giver)
    assert client.post(vote_url(vote, "/proxy"), data={"holder": str(holder.id)}).status_code == 302
    assert db.session.scalar(select(VoteProxy.holder_id)) == holder.id
    services.open_vote(facilitator, vote, now=vote.created_at)
    db.session.commit()
    # The giver no longer votes in person, and can no longer take the proxy back.
    assert client.post(vote_url(vote, "/ballot"), data={"choice": keys(vote)[0]}).status_code == 409
    assert client.post(vote_url(vote, "/proxy/withdraw")).status_code == 409
    client.post("/account/logout")
    login(client, holder)
    page = client.get(vote_url(vote), headers=EN).get_data(as_text=True)
    assert f"{giver.display_name} (by proxy)" in page
    first, second = keys(vote)[:2]
    assert client.post(vote_url(vote, "/ballot"), data={"voter": str(holder.id), "choice": first}).status_code == 302
    response = client.post(vote_url(vote, "/ballot"), data={"voter": str(giver.id), "choice": second}, headers=EN)
    assert response.status_code == 302
    assert "is recorded" in client.get(vote_url(vote), headers=EN).get_data(as_text=True)
    close(facilitator, vote)
    page = client.get(vote_url(vote, "/results"), headers=EN).get_data(as_text=True)
    roll_call = page[page.index('id="roll-call-title"') :]
    assert giver.display_name in roll_call and holder.display_name in roll_call
    turnout = services.turnout(vote)
    assert (turnout.by_channel["online"], turnout.proxies) == (2, 1)


def test_proxy_limit_and_revocation(client, login):
    council = make_council()
    giver, other_giver, holder = members(council, 3)
    vote = make_vote(council, status=Status.DRAFT)
    login(client, giver)
    assert client.post(vote_url(vote, "/proxy"), data={"holder": str(holder.id)}).status_code == 302
    client.post("/account/logout")
    login(client, other_giver)
    response = client.post(vote_url(vote, "/proxy"), data={"holder": str(holder.id)}, headers=EN)
    assert response.status_code == 409
    assert "already holds as many proxies" in response.get_data(as_text=True)
    client.post("/account/logout")
    login(client, giver)
    assert client.post(vote_url(vote, "/proxy/withdraw")).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(VoteProxy)) == 0
    client.post("/account/logout")
    login(client, other_giver)
    assert client.post(vote_url(vote, "/proxy"), data={"holder": str(holder.id)}).status_code == 302


def test_proxy_limit_is_configurable_and_no_proxy_to_a_non_member(client, login):
    council = make_council()
    first, second, holder = members(council, 3)
    resident = make_user(Role.RESIDENT, council)
    vote = make_vote(council, status=Status.DRAFT, max_proxies=2)
    for giver in (first, second):
        login(client, giver)
        assert client.post(vote_url(vote, "/proxy"), data={"holder": str(holder.id)}).status_code == 302
        client.post("/account/logout")
    other = make_vote(council, status=Status.DRAFT)
    login(client, first)
    assert client.post(vote_url(other, "/proxy"), data={"holder": str(resident.id)}).status_code == 409
    assert client.post(vote_url(other, "/proxy"), data={"holder": str(first.id)}).status_code == 409


def test_no_proxy_once_the_vote_is_open(client, login):
    council = make_council()
    giver, holder = members(council, 2)
    vote = make_vote(council)
    login(client, giver)
    response = client.post(vote_url(vote, "/proxy"), data={"holder": str(holder.id)}, headers=EN)
    assert response.status_code == 409
    assert "before the vote opens" in response.get_data(as_text=True)


# ---------------------------------------------------------------------------------------- paper


def test_show_of_hands_counts_add_to_the_tally_and_the_turnout(client, login):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(council)
    a, b, c = keys(vote)
    for member in members(council, 2):
        cast(member, vote, b)
    login(client, facilitator)
    assert client.get(vote_url(vote, "/paper")).status_code == 200
    data = {"channel": "room", f"option_{a}": "3", f"option_{b}": "1", f"option_{c}": ""}
    assert client.post(vote_url(vote, "/paper"), data=data).status_code == 302
    data = {"channel": "paper", f"option_{c}": "1"}
    assert client.post(vote_url(vote, "/paper"), data=data).status_code == 302
    bad = {"channel": "paper", f"option_{a}": "-3"}
    assert client.post(vote_url(vote, "/paper"), data=bad).status_code == 422
    close(facilitator, vote)
    db.session.refresh(vote)
    assert vote.result["details"]["counts"] == {a: 3, b: 3, c: 1}
    assert vote.result["ranking"] == [[a, b], [c]]
    turnout = services.turnout(vote)
    assert turnout.by_channel == {"online": 2, "room": 4, "paper": 1} and turnout.total == 7
    entry = db.session.scalars(select(PaperEntry).order_by(PaperEntry.id)).first()
    assert (entry.entered_by_id, entry.channel, entry.ballots) == (facilitator.id, "room", 4)
    page = client.get(vote_url(vote, "/results"), headers=EN).get_data(as_text=True)
    assert "In the room" in page and facilitator.display_name in page


def test_approval_paper_counts_need_the_number_of_ballots(client, login):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(council, method="approval")
    a, b, _c = keys(vote)
    login(client, facilitator)
    response = client.post(
        vote_url(vote, "/paper"), data={"channel": "paper", "ballots": "2", f"option_{a}": "3"}, headers=EN
    )
    assert response.status_code == 422
    assert "cannot be ticked on more ballots" in response.get_data(as_text=True)
    data = {"channel": "paper", "ballots": "4", f"option_{a}": "3", f"option_{b}": "4"}
    assert client.post(vote_url(vote, "/paper"), data=data).status_code == 302
    close(facilitator, vote)
    assert vote.result["details"]["counts"][a] == 3 and vote.result["ballots"] == 4


def test_graded_paper_ballots_are_typed_in_one_by_one(client, login):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(council, method="majority_judgment", is_secret=True)
    a, b, c = keys(vote)
    login(client, facilitator)
    data = {"channel": "paper", f"option_{a}": "5", f"option_{b}": "3", f"option_{c}": "1"}
    assert client.post(vote_url(vote, "/paper"), data=data).status_code == 302
    response = client.post(vote_url(vote, "/paper"), data={"channel": "paper", f"option_{a}": "8"}, headers=EN)
    assert response.status_code == 422 and "outside the allowed range" in response.get_data(as_text=True)
    close(facilitator, vote)
    assert vote.result["winners"] == [a]
    assert services.turnout(vote).by_channel["paper"] == 1
    assert db.session.scalar(select(VoteBallot.voter_id)) is None


# ----------------------------------------------------------------------------------------- results


def test_results_page_shows_table_chart_turnout_and_method(client, login):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(council, method="majority_judgment")
    a, b, c = keys(vote)
    for grades in ({a: 5, b: 1}, {a: 4, b: 2, c: 3}, {a: 1, b: 5, c: 5}):
        cast(make_user(Role.MEMBER, council), vote, grades)
    close(facilitator, vote)
    page = client.get(vote_url(vote, "/results"), headers=EN).get_data(as_text=True)
    assert 'role="img"' in page and '<title id="chart-title">' in page
    assert "Majority grade" in page and "Very good" in page and "Good" in page
    assert "Each voter gives every option a grade" in page
    assert "Online" in page and "In the room" in page and "On paper" in page
    assert "style=" not in page  # the CSP forbids inline styles
    assert vote.result["winners"] == [a]


def test_secret_results_list_who_voted_but_not_what(client, login):
    council = make_council()
    vote = make_vote(council, is_secret=True)
    voter = make_user(Role.MEMBER, council, name="Anne Secrète")
    cast(voter, vote, keys(vote)[2])
    close(make_user(Role.FACILITATOR, council), vote)
    page = client.get(vote_url(vote, "/results"), headers=EN).get_data(as_text=True)
    roll_call = page[page.index('id="roll-call-title"') : page.index('id="check-title"')]
    assert "Anne Secrète" in roll_call and "Option C" not in roll_call


def test_open_results_publish_the_roll_call(client):
    council = make_council()
    vote = make_vote(council, method="approval")
    voter = make_user(Role.MEMBER, council, name="Bruno Public")
    cast(voter, vote, [keys(vote)[1]])
    close(make_user(Role.FACILITATOR, council), vote)
    page = client.get(vote_url(vote, "/results"), headers=EN).get_data(as_text=True)
    roll_call = page[page.index('id="roll-call-title"') : page.index('id="check-title"')]
    assert "Bruno Public" in roll_call and "Option B" in roll_call


def test_the_roll_call_of_a_large_vote_comes_a_page_of_names_at_a_time(client, monkeypatch):
    from consultation.voting import views

    monkeypatch.setattr(views, "ROLL_CALL_PER_PAGE", 2)
    council = make_council()
    vote = make_vote(council, method="approval")
    for name in ("Chloé Cinq", "Alice Un", "Eve Quatre", "Bob Deux", "Chris Trois"):
        cast(make_user(Role.MEMBER, council, name=name), vote, [keys(vote)[0]])
    close(make_user(Role.FACILITATOR, council), vote)

    def names(query: str) -> tuple[str, str]:
        page = client.get(vote_url(vote, "/results" + query), headers=EN).get_data(as_text=True)
        roll_call = page[page.index('id="roll-call-title"') : page.index('id="check-title"')]
        return re.findall(r'<th scope="row">([^<]+)</th>', roll_call), roll_call

    first, html = names("")
    assert first == ["Alice Un", "Bob Deux"] and "Page 1 of 3" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html and "page=2#roll-call-title" in html
    assert names("?page=2")[0] == ["Chloé Cinq", "Chris Trois"]
    last, html = names("?page=3")
    assert last == ["Eve Quatre"] and 'rel="prev"' in html and 'rel="next"' not in html
    assert names("?page=99")[0] == ["Eve Quatre"]  # past the end: the last page
    assert names("?page=abc")[0] == names("?page=-4")[0] == ["Alice Un", "Bob Deux"]
    # The turnout still counts every voter, not the page's.
    page = client.get(vote_url(vote, "/results?page=2"), headers=EN).get_data(as_text=True)
    turnout = page[page.index('id="turnout-title"') : page.index('id="roll-call-title"')]
    assert '<th scope="row">Total</th><td class="numeric">5</td>' in turnout


def test_results_page_query_count_does_not_grow_with_ballots(app, client, login):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    small = make_vote(council, method="score", options=("A", "B"))
    large = make_vote(council, method="score", options=tuple(f"Option {i}" for i in range(12)))
    cast(make_user(Role.MEMBER, council), small, {keys(small)[0]: 3})
    for _ in range(25):
        cast(make_user(Role.MEMBER, council), large, {k: 2 for k in keys(large)})
    login(client, facilitator)

    def count_queries(url):
        db.session.remove()
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    small_id, large_id, facilitator_id = small.id, large.id, facilitator.id
    urls = {vote.id: (vote_url(vote), vote_url(vote, "/results")) for vote in (small, large)}
    assert count_queries(urls[large_id][1]) == count_queries(urls[small_id][1])
    facilitator = db.session.get(type(facilitator), facilitator_id)
    close(facilitator, db.session.get(Vote, small_id))
    close(facilitator, db.session.get(Vote, large_id))
    assert count_queries(urls[large_id][1]) == count_queries(urls[small_id][1])
    assert count_queries(urls[large_id][0]) == count_queries(urls[small_id][0])


# ----------------------------------------------------------------------------------------- secrecy


def test_secret_ballots_cannot_be_linked_to_voters_in_a_database_dump(app, ctx):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the dump check reads the SQLite file; PostgreSQL reshuffles at closing instead")
    council = make_council()
    vote = make_vote(council, method="score", options=("A", "B"), max_score=20, is_secret=True)
    a, b = keys(vote)
    voters = members(council, 12)
    for number, voter in enumerate(voters):
        # Each ballot is distinguishable: the i-th voter gives A the score i.
        cast(voter, vote, {a: number, b: 20 - number})
    vote_id, voter_ids = vote.id, [v.id for v in voters]
    db.session.remove()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    connection = sqlite3.connect(path)
    try:
        dump = list(connection.iterdump())
        ballot_columns = [row[1] for row in connection.execute("PRAGMA table_info(vote_ballots)")]
        participation_columns = [row[1] for row in connection.execute("PRAGMA table_info(vote_participations)")]
        schema = connection.execute(
            "SELECT sql FROM sqlite_master WHERE name IN ('vote_ballots', 'vote_participations')"
        ).fetchall()
    finally:
        connection.close()
    # Structure: no time anywhere, no voter on a ballot, no rowid giving the insertion order.
    assert set(ballot_columns) == {"id", "vote_id", "voter_id", "participant_id", "content"}
    assert not any("_at" in column or "time" in column for column in ballot_columns + participation_columns)
    assert all("WITHOUT ROWID" in sql.upper() for (sql,) in schema)
    ballot_rows = [line for line in dump if line.startswith('INSERT INTO "vote_ballots"')]
    participation_rows = [line for line in dump if line.startswith('INSERT INTO "vote_participations"')]
    assert len(ballot_rows) == len(participation_rows) == 12
    parsed = [
        re.match(r"INSERT INTO \"vote_ballots\" VALUES\('([0-9a-f]{32})',(\d+),(NULL|\d+),'(.*)',(NULL|\d+)\);", r)
        for r in ballot_rows
    ]
    assert all(parsed), ballot_rows[:2]
    assert all(m.group(3) == m.group(5) == "NULL" for m in parsed)  # no voter (nor participant) on a secret ballot
    # The dump lists ballots in key order, and the keys are random: not the order of voting.
    dumped_keys = [m.group(1) for m in parsed]
    assert dumped_keys == sorted(dumped_keys)
    order_of_scores = [int(re.search(rf'"{a}": (\d+)', m.group(4)).group(1)) for m in parsed]
    assert sorted(order_of_scores) == list(range(12))
    assert order_of_scores != list(range(12))  # 1 in 12! of happening by chance
    assert len({key[12] for key in dumped_keys}) == 1 and dumped_keys[0][12] == "4"  # uuid4: random, not time-based
    # Participations are in random key order too: their order says nothing either.
    voter_order = [int(re.search(r"',\d+,(\d+),", r).group(1)) for r in participation_rows]
    assert sorted(voter_order) == sorted(voter_ids) and voter_order != voter_ids
    # Closing reshuffles the ballots under fresh keys.
    vote = db.session.get(Vote, vote_id)
    close(make_user(Role.FACILITATOR, vote.council), vote)
    new_keys = set(db.session.scalars(select(VoteBallot.id).where(VoteBallot.vote_id == vote_id)))
    assert len(new_keys) == 12 and not new_keys & set(dumped_keys)


@pytest.mark.postgres
def test_secret_ballots_are_reshuffled_on_postgresql_at_closing(app, ctx):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite keeps secret ballots in random key order already")
    council = make_council()
    vote = make_vote(council, method="score", options=("A", "B"), max_score=20, is_secret=True)
    a, _b = keys(vote)
    for number, voter in enumerate(members(council, 12)):
        cast(voter, vote, {a: number})
    close(make_user(Role.FACILITATOR, council), vote)
    physical = db.session.execute(
        text("SELECT content FROM vote_ballots WHERE vote_id = :vote ORDER BY ctid"), {"vote": vote.id}
    ).scalars()
    scores = [ballot[a] for ballot in physical]
    assert sorted(scores) == list(range(12)) and scores != list(range(12))  # 1 in 12! by chance


# ------------------------------------------------------------------------------------ export, recount


def test_export_is_anonymous_and_neutralises_formulas(client):
    council = make_council()
    vote = make_vote(council, method="approval", options=('=HYPERLINK("http://evil")', "@SUM(A1)", "Sain"))
    voter = make_user(Role.MEMBER, council, name="Nom Visible")
    cast(voter, vote, [keys(vote)[0]])
    close(make_user(Role.FACILITATOR, council), vote)
    response = client.get(vote_url(vote, "/ballots.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].startswith("'=HYPERLINK") and rows[0][1].startswith("'@SUM")
    assert rows[1:] == [["1", "0", "0"]]
    assert "Nom Visible" not in text and "voter" not in text.lower()


def _closed_vote_with_ballots(method="schulze"):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(council, method=method)
    a, b, c = keys(vote)
    for ranking in ([[a], [b], [c]], [[a], [c], [b]], [[b], [a], [c]], [[c, b]]):
        cast(make_user(Role.MEMBER, council), vote, ranking)
    close(facilitator, vote)
    return vote


def test_recount_from_the_export_matches_the_recorded_result(app, client, tmp_path):
    vote = _closed_vote_with_ballots()
    export = tmp_path / "ballots.csv"
    export.write_text(client.get(vote_url(vote, "/ballots.csv")).get_data(as_text=True), encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["votes", "recount", str(vote.id), "--csv", str(export)])
    assert result.exit_code == 0, result.output
    assert "matches the recorded result" in result.output
    assert f"1. [{keys(vote)[0]}] Option A" in result.output
    from_database = runner.invoke(args=["votes", "recount", str(vote.id)])
    assert from_database.exit_code == 0, from_database.output


def test_recount_fails_when_the_ballots_were_tampered_with(app, client, tmp_path):
    vote = _closed_vote_with_ballots()
    a, b, c = keys(vote)
    lines = client.get(vote_url(vote, "/ballots.csv")).get_data(as_text=True).splitlines()
    forged = lines + ["3,1,2"] * 5  # five more ballots putting B first
    export = tmp_path / "forged.csv"
    export.write_text("\n".join(forged) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["votes", "recount", str(vote.id), "--csv", str(export)])
    assert result.exit_code == 1
    assert "DIFFERS" in result.output
    broken = tmp_path / "broken.csv"
    broken.write_text("no,header\n1,2\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["votes", "recount", str(vote.id), "--csv", str(broken)])
    assert result.exit_code != 0 and "cannot read" in result.output


def test_recount_of_an_unknown_vote_fails(app, ctx):
    result = app.test_cli_runner().invoke(args=["votes", "recount", "999999"])
    assert result.exit_code != 0


def test_workshop_votes_are_for_those_who_took_part(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    proposal = make_proposal(workshop)
    vote = make_vote(council, workshop=workshop, electorate="workshop")
    person = make_user()
    login(client, person)
    assert client.post(vote_url(vote, "/ballot"), data={"choice": keys(vote)[0]}).status_code == 403
    db.session.add(WorkshopParticipant(workshop_id=workshop.id, user_id=person.id, charter_accepted_at=NOW))
    db.session.commit()
    assert client.post(vote_url(vote, "/ballot"), data={"choice": keys(vote)[0]}).status_code == 302
    assert db.session.get(Proposal, proposal.id) is not None
    page = client.get(f"/councils/{council.slug}/workshops/{workshop.id}", headers=EN).get_data(as_text=True)
    assert f"/councils/{council.slug}/votes" in page


def test_a_closed_votes_turnout_keeps_the_electorate_it_closed_with(ctx):
    from consultation.councils.models import Membership
    from tests.factories_votes import close

    council = make_council()
    members = [make_user(Role.MEMBER, council) for _ in range(4)]
    vote = make_vote(council)
    close(make_user(Role.SECRETARY, council), vote)
    assert services.turnout(vote).electorate == 5  # four members and the secretary
    db.session.execute(db.delete(Membership).where(Membership.user_id == members[0].id))
    db.session.commit()
    assert services.turnout(vote).electorate == 5
