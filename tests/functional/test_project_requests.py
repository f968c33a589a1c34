"""Project holders' requests: a resident describes a project and sees suggested organisations; a
facilitator takes it, refers it, changes its status and writes team notes; the holder follows its
timeline and is notified; representatives see the referrals made to their organisation; the
municipality's figures come in a fixed number of queries. Every refusal and bad input is checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consultation.councils.models import District
from consultation.extensions import db
from consultation.notifications.models import Notification
from consultation.permissions import Role
from consultation.territory.models import ProjectRequest
from tests.factories import NOW, PASSWORD, make_council, make_user
from tests.factories_territory import make_organisation, make_project_request, make_representative
from tests.functional.test_hostile_input import as_stored, assert_escaped, naughty_strings
from tests.statements import recorded_statements

BASE = "/councils/macouria/territory"


@pytest.fixture()
def world(ctx):
    council = make_council(slug="macouria", themes=("Emploi et économie solidaire", "Jeunesse", "Alimentation"))
    council.districts.extend([District(name="Sainte-Agathe"), District(name="Soula")])
    other = make_council(slug="pantin", themes=("Écoquartier",))
    db.session.commit()
    themes = {t.name: t for t in council.themes}
    districts = {d.name: d for d in council.districts}
    couveuse = make_organisation(
        council,
        name="Couveuse d'entreprises",
        kind="social_enterprise",
        services="Formation à la création d'entreprise et micro-crédit",
        themes=[themes["Emploi et économie solidaire"]],
        languages=("fr", "pt_BR"),
    )
    epicerie = make_organisation(
        council,
        name="Épicerie solidaire",
        services="Local partagé, réseau de producteurs",
        themes=[themes["Alimentation"]],
        districts=[districts["Soula"]],
    )
    unrelated = make_organisation(council, name="Club de foot", services="Football", welcomes=False)
    elsewhere = make_organisation(other, name="Régie de Pantin", themes=list(other.themes))
    people = {
        "anonymous": None,
        "holder": make_user(Role.RESIDENT, council, name="Joana"),
        "resident": make_user(Role.RESIDENT, council),
        "facilitator": make_user(Role.FACILITATOR, council),
        "officer": make_user(Role.OFFICER, council),
        "member": make_user(Role.MEMBER, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "representative": make_user(Role.RESIDENT, council),
        "representative_elsewhere": make_user(Role.RESIDENT, council),
        "admin": make_user(is_admin=True),
    }
    make_representative(couveuse, people["representative"])
    make_representative(epicerie, people["representative_elsewhere"])
    return {
        "council": council,
        "other": other,
        "themes": themes,
        "districts": districts,
        "couveuse": couveuse,
        "epicerie": epicerie,
        "unrelated": unrelated,
        "elsewhere": elsewhere,
        "people": people,
    }


def client_as(app, login, person):
    client = app.test_client()
    client.post("/language", data={"language": "en"})
    if person is not None:
        login(client, person)
    return client


def request_data(world, **overrides) -> dict:
    data = {
        "title": "Uma padaria comunitária",
        "description": "Quero abrir uma padaria com as mulheres do bairro.",
        "needs": ["funding", "training"],
        "themes": [str(world["themes"]["Emploi et économie solidaire"].id)],
        "district": str(world["districts"]["Sainte-Agathe"].id),
        "language": "pt_BR",
    }
    data.update(overrides)
    return data


def submit(app, login, world, **overrides) -> ProjectRequest:
    client = client_as(app, login, world["people"]["holder"])
    response = client.post(f"{BASE}/projects/new", data=request_data(world, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.scalar(select(ProjectRequest).order_by(ProjectRequest.id.desc()))


# ---------------------------------------------------------------------------- submitting


def test_a_holder_submits_a_request_and_sees_suggested_organisations(app, world, login):
    client = client_as(app, login, world["people"]["holder"])
    assert client.get(f"{BASE}/projects/new").status_code == 200
    response = client.post(f"{BASE}/projects/new", data=request_data(world))
    assert response.status_code == 302
    project = db.session.scalar(select(ProjectRequest))
    assert project.needs == ["funding", "training"] and project.language == "pt_BR" and project.status == "received"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    suggested = html.split('id="suggested"')[1].split("</section>")[0]
    assert "Couveuse d&#39;entreprises" in suggested and "speaks your language" in suggested
    assert "Club de foot" not in suggested and "Régie de Pantin" not in suggested
    assert 'data-status="received"' in html and "Request received." in html
    assert "Follow the request" not in html  # the team's panel is not for the holder
    assert "Uma padaria comunitária" in client.get(f"{BASE}/projects/mine").get_data(as_text=True)


def test_submitting_needs_an_account(app, world, login):
    response = client_as(app, login, None).get(f"{BASE}/projects/new")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Give your project a name or a short title."),
        ({"description": "court"}, "Use between 10 and 5000 characters."),
        ({"needs": []}, "Tick at least one need."),
        ({"needs": ["a castle"]}, "valid choice"),
        ({"language": "tlh"}, "Not a valid choice"),
        ({"district": "999999"}, "Not a valid choice"),
    ],
)
def test_bad_requests_are_explained_and_keep_what_was_typed(app, world, login, overrides, message):
    client = client_as(app, login, world["people"]["holder"])
    response = client.post(f"{BASE}/projects/new", data=request_data(world, **overrides))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "error-summary" in html
    if "description" not in overrides:
        assert "Quero abrir uma padaria" in html
    assert db.session.scalar(select(ProjectRequest.id)) is None


def test_a_theme_of_another_council_is_refused(app, world, login):
    client = client_as(app, login, world["people"]["holder"])
    foreign = str(world["other"].themes[0].id)
    assert client.post(f"{BASE}/projects/new", data=request_data(world, themes=[foreign])).status_code == 422


def test_naughty_strings_in_a_request(app, world, login):
    strings = naughty_strings()
    client = client_as(app, login, world["people"]["holder"])
    accepted = []
    for value in strings[::3]:
        response = client.post(
            f"{BASE}/projects/new",
            data=request_data(world, title=f"Projet {value}"[:200], description=f"Description : {value}",
                              needs=["other"], needs_other=value[:300]),
        )  # fmt: skip
        assert response.status_code in (302, 422), (value, response.status_code)
        if response.status_code == 302:
            accepted.append((response.headers["Location"], value))
    assert len(accepted) > len(strings[::3]) * 0.8
    for location, value in accepted[-40:]:
        html = client.get(location).get_data(as_text=True)
        assert_escaped(html, [value])
    project = db.session.scalar(select(ProjectRequest).order_by(ProjectRequest.id.desc()))
    assert project.description == as_stored(f"Description : {accepted[-1][1]}")
    facilitator = client_as(app, login, world["people"]["facilitator"])
    for value in strings[:80:4]:
        response = facilitator.post(f"{BASE}/projects/{project.id}/notes", data={"body": value})
        assert response.status_code in (302, 422), value
    assert facilitator.get(f"{BASE}/projects").status_code == 200


# ---------------------------------------------------------------------------- who sees what


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("member", 404),
        ("facilitator_elsewhere", 404),
        ("representative", 404),  # not referred to the couveuse yet
        ("holder", 200),
        ("facilitator", 200),
        ("officer", 200),
        ("admin", 200),
    ],
)
def test_a_request_is_seen_by_its_holder_and_the_team_only(app, world, login, who, status):
    project = make_project_request(world["council"], world["people"]["holder"])
    client = client_as(app, login, world["people"][who])
    assert client.get(f"{BASE}/projects/{project.id}").status_code == status


def test_a_request_of_another_council_is_not_found(app, world, login):
    project = make_project_request(world["other"], world["people"]["holder"])
    for who in ("holder", "facilitator", "admin"):
        client = client_as(app, login, world["people"][who])
        assert client.get(f"{BASE}/projects/{project.id}").status_code == 404, who
        assert client.post(f"{BASE}/projects/{project.id}/take").status_code == 404, who


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("holder", 403),
        ("member", 403),
        ("representative", 403),
        ("facilitator_elsewhere", 403),
        ("facilitator", 200),
        ("officer", 200),
    ],
)
def test_the_team_lists_and_figures_are_for_facilitators_and_officers(app, world, login, who, status):
    client = client_as(app, login, world["people"][who])
    assert client.get(f"{BASE}/projects").status_code == status
    assert client.get(f"{BASE}/projects/figures").status_code == status


@pytest.mark.parametrize("who", ["holder", "resident", "member", "representative", "facilitator_elsewhere"])
def test_only_the_team_takes_refers_changes_and_notes(app, world, login, who):
    project = make_project_request(world["council"], world["people"]["holder"])
    client = client_as(app, login, world["people"][who])
    expected = 403 if who == "holder" else 404
    url = f"{BASE}/projects/{project.id}"
    assert client.post(f"{url}/take").status_code == expected
    assert client.post(f"{url}/refer", data={"organisations": [str(world["couveuse"].id)]}).status_code == expected
    assert client.post(f"{url}/status", data={"status": "closed"}).status_code == expected
    assert client.post(f"{url}/notes", data={"body": "Note"}).status_code == expected
    db.session.expire_all()
    assert project.status == "received" and project.assigned_to_id is None and not project.referrals


# ---------------------------------------------------------------------------- following a request


def test_a_facilitator_takes_refers_and_closes_a_request_and_the_holder_follows(app, world, login):
    project = submit(app, login, world)
    holder = world["people"]["holder"]
    facilitator = client_as(app, login, world["people"]["facilitator"])
    url = f"{BASE}/projects/{project.id}"
    team_page = facilitator.get(url).get_data(as_text=True)
    assert "Couveuse d&#39;entreprises (suggested)" in team_page and holder.email in team_page

    assert facilitator.post(f"{url}/take").status_code == 302
    assert facilitator.post(f"{url}/take").status_code == 409
    assert facilitator.post(f"{url}/notes", data={"body": "Rappeler Joana mardi"}).status_code == 302
    bad = facilitator.post(f"{url}/refer", data={"organisations": [], "message": "Gardez ce message"})
    assert bad.status_code == 422 and "Choose at least one organisation." in bad.get_data(as_text=True)
    assert "Gardez ce message" in bad.get_data(as_text=True)
    foreign = facilitator.post(f"{url}/refer", data={"organisations": [str(world["elsewhere"].id)]})
    assert foreign.status_code == 422
    response = facilitator.post(
        f"{url}/refer", data={"organisations": [str(world["couveuse"].id)], "message": "Appelez le 0594"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert project.status == "referred" and project.first_answered_at is not None
    assert project.assigned_to_id == world["people"]["facilitator"].id
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == holder.id)).all()
    assert told.kind == "project_request_status" and told.params["status"] == "referred"
    assert told.link == url
    assert (
        db.session.scalar(select(Notification).where(Notification.user_id == world["people"]["representative"].id)).kind
        == "project_referral"
    )

    holder_client = client_as(app, login, holder)
    html = holder_client.get(url).get_data(as_text=True)
    assert 'data-status="referred"' in html and "Referred to: Couveuse d&#39;entreprises." in html
    assert "Appelez le 0594" in html
    assert "Rappeler Joana" not in html  # team notes are not for the holder
    assert "Rappeler Joana" in facilitator.get(url).get_data(as_text=True)

    # The couveuse's representative now sees it; the épicerie's does not.
    representative = client_as(app, login, world["people"]["representative"])
    assert representative.get(url).status_code == 200
    assert "Rappeler Joana" not in representative.get(url).get_data(as_text=True)
    assert "Uma padaria comunitária" in representative.get(f"{BASE}/projects/referrals").get_data(as_text=True)
    other = client_as(app, login, world["people"]["representative_elsewhere"])
    assert other.get(url).status_code == 404
    assert "Uma padaria" not in other.get(f"{BASE}/projects/referrals").get_data(as_text=True)

    again = facilitator.post(f"{url}/refer", data={"organisations": [str(world["couveuse"].id)]})
    assert again.status_code == 422  # already referred there: no longer among the choices
    assert facilitator.post(f"{url}/status", data={"status": "received"}).status_code == 422
    assert facilitator.post(f"{url}/status", data={"status": "in_progress"}).status_code == 302
    assert facilitator.post(f"{url}/status", data={"status": "closed"}).status_code == 302
    db.session.expire_all()
    assert project.status == "closed"
    kinds = [
        n.params.get("status")
        for n in db.session.scalars(select(Notification).where(Notification.user_id == holder.id))
    ]
    assert sorted(kinds) == ["closed", "referred"]
    closed = facilitator.post(f"{url}/refer", data={"organisations": [str(world["epicerie"].id)]})
    assert closed.status_code == 422 and "reopen it" in closed.get_data(as_text=True)
    timeline = holder_client.get(url).get_data(as_text=True)
    for step in ("Request received.", "follows the request.", "New status: In progress.", "New status: Closed."):
        assert step in timeline


def test_a_referral_to_a_hidden_organisation_is_refused(app, world, login):
    project = make_project_request(world["council"], world["people"]["holder"])
    hidden = make_organisation(world["council"], name="Cachée", hidden=True)
    facilitator = client_as(app, login, world["people"]["facilitator"])
    response = facilitator.post(f"{BASE}/projects/{project.id}/refer", data={"organisations": [str(hidden.id)]})
    assert response.status_code == 422


def test_a_status_change_without_a_referral_cannot_say_referred(app, world, login):
    project = make_project_request(world["council"], world["people"]["holder"])
    facilitator = client_as(app, login, world["people"]["facilitator"])
    response = facilitator.post(f"{BASE}/projects/{project.id}/status", data={"status": "referred"})
    assert response.status_code == 422
    assert facilitator.post(f"{BASE}/projects/{project.id}/status", data={"status": "nonsense"}).status_code == 422


def test_the_team_list_filters_and_pages_in_a_fixed_number_of_queries(app, world, login):
    council = world["council"]
    facilitator = client_as(app, login, world["people"]["facilitator"])

    def count_queries(url):
        with recorded_statements() as statements:
            assert facilitator.get(url).status_code == 200
        return len(statements)

    make_project_request(council, world["people"]["holder"], themes=[council.themes[0]])
    few = {suffix: count_queries(f"{BASE}/projects{suffix}") for suffix in ("", "?status=received", "?page=2")}
    few_figures = count_queries(f"{BASE}/projects/figures")
    for number in range(30):
        holder = make_user(Role.RESIDENT, council)
        make_project_request(
            council,
            holder,
            themes=list(council.themes[: 1 + number % 3]),
            created_at=NOW - timedelta(days=number * 9),
            first_answered_at=NOW - timedelta(days=number * 9) + timedelta(days=number % 4) if number % 2 else None,
        )
    for suffix, count in few.items():
        assert count_queries(f"{BASE}/projects{suffix}") == count, suffix
    assert count_queries(f"{BASE}/projects/figures") == few_figures
    assert "Page 1 of 2" in facilitator.get(f"{BASE}/projects").get_data(as_text=True)


def test_the_figures_count_months_themes_and_the_median_first_answer(app, world, login):
    council = world["council"]
    holder = world["people"]["holder"]
    emploi, jeunesse = world["themes"]["Emploi et économie solidaire"], world["themes"]["Jeunesse"]
    make_project_request(council, holder, themes=[emploi], created_at=NOW - timedelta(days=62),
                         first_answered_at=NOW - timedelta(days=60))  # fmt: skip
    make_project_request(council, holder, themes=[emploi, jeunesse], created_at=NOW - timedelta(days=5),
                         first_answered_at=NOW - timedelta(days=1))  # fmt: skip
    make_project_request(council, holder, themes=[emploi], created_at=NOW)
    make_project_request(world["other"], holder, created_at=NOW)
    html = client_as(app, login, world["people"]["officer"]).get(f"{BASE}/projects/figures").get_data(as_text=True)
    assert "<dt>Requests received</dt><dd>3</dd>" in html
    assert '<dd id="median-first-answer">3 days</dd>' in html
    assert '<time datetime="2026-09">2026-09</time></th><td class="numeric">1</td>' in html
    assert '<time datetime="2026-10">2026-10</time></th><td class="numeric">0</td>' in html
    assert '<time datetime="2026-11">2026-11</time></th><td class="numeric">2</td>' in html
    assert 'Emploi et économie solidaire</th><td class="numeric">3</td>' in html
    assert 'Jeunesse</th><td class="numeric">1</td>' in html


def test_a_referral_without_the_csrf_token_is_refused(csrf_app, world, login):
    project = make_project_request(world["council"], world["people"]["holder"])
    client = csrf_app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/account/login",
        data={"email": world["people"]["facilitator"].email, "password": PASSWORD, "csrf_token": token},
    )
    response = client.post(f"{BASE}/projects/{project.id}/refer", data={"organisations": [str(world["couveuse"].id)]})
    assert response.status_code == 400
    db.session.expire_all()
    assert project.status == "received" and not project.referrals
