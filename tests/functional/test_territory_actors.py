"""The territory's directory of local actors: public list with search, filters and pages, exports, an
organisation's page, facilitators' entries and hiding, representatives asking and being approved, and
experts invited to a workshop who appear on its page and in its minutes. Access is checked for every
route, objects of another council are never reached, and bad input never gives a 500."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from consultation.councils.models import District
from consultation.csv_cells import FORMULA_STARTS
from consultation.extensions import db
from consultation.notifications.models import Notification
from consultation.permissions import Role
from consultation.territory.models import Organisation, OrganisationRepresentative, WorkshopExpert
from consultation.workshops.minutes import draft_text
from tests.factories import make_council, make_user, make_workshop
from tests.factories_territory import make_organisation, make_representative
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
        name="Couveuse d'entreprises de Guyane",
        kind="social_enterprise",
        services="Formation à la création d'entreprise, micro-crédit et accompagnement",
        themes=[themes["Emploi et économie solidaire"]],
        languages=("fr", "pt_BR"),
    )
    tiers_lieu = make_organisation(
        council,
        name="Tiers-lieu de Soula",
        kind="third_place",
        services="Salle de réunion, coworking et atelier partagé",
        themes=[themes["Jeunesse"]],
        districts=[districts["Soula"]],
        languages=("fr", "es"),
        welcomes=False,
    )
    hidden = make_organisation(council, name="Association cachée", hidden=True)
    waiting = make_organisation(council, name="Association en attente", approved=False)
    elsewhere = make_organisation(other, name="Régie de quartier de Pantin")
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "facilitator": make_user(Role.FACILITATOR, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "officer": make_user(Role.OFFICER, council),
        "representative": make_user(Role.RESIDENT, council),
        "representative_elsewhere": make_user(Role.RESIDENT, council),
        "admin": make_user(is_admin=True),
    }
    make_representative(couveuse, people["representative"])
    make_representative(tiers_lieu, people["representative_elsewhere"])
    return {
        "council": council,
        "other": other,
        "themes": themes,
        "districts": districts,
        "couveuse": couveuse,
        "tiers_lieu": tiers_lieu,
        "hidden": hidden,
        "waiting": waiting,
        "elsewhere": elsewhere,
        "people": people,
    }


def client_as(app, login, person):
    """A client reading the pages in English (the messages the tests look for)."""
    client = app.test_client()
    client.post("/language", data={"language": "en"})
    if person is not None:
        login(client, person)
    return client


def entry(**overrides) -> dict:
    data = {
        "name": "Maison des initiatives locales",
        "kind": "public_service",
        "description": "Le guichet d'accueil des porteurs de projets.",
        "services": "Accueil, orientation, aide au financement",
        "languages": ["fr", "ht"],
        "opening_hours": "Lundi au vendredi, 8 h 30 – 12 h 30",
        "is_welcoming_holders": "y",
        "email": "mil@example.org",
        "phone": "+594 594 30 12 34",
        "address": "1 place de la mairie, Macouria",
        "website": "mil.example.org",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------- public directory


def test_the_directory_lists_only_public_organisations_of_its_council(app, world, login):
    html = client_as(app, login, None).get(f"{BASE}/actors").get_data(as_text=True)
    assert "Couveuse d&#39;entreprises de Guyane" in html and "Tiers-lieu de Soula" in html
    for absent in ("Association cachée", "Association en attente", "Régie de quartier de Pantin"):
        assert absent not in html
    assert "2 organisations" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=credit", {"Couveuse"}),  # accents and case folded: "micro-crédit"
        ("q=COWORKING", {"Tiers-lieu"}),
        ("kind=third_place", {"Tiers-lieu"}),
        ("language=pt_BR", {"Couveuse"}),
        ("welcomes=y", {"Couveuse"}),
        ("q=nothing-like-this", set()),
        ("kind=not-a-kind&theme=abc&district=999999999999&language=xx", {"Couveuse", "Tiers-lieu"}),
    ],
)
def test_the_directory_searches_and_filters(app, world, login, query, expected):
    html = client_as(app, login, None).get(f"{BASE}/actors?{query}").get_data(as_text=True)
    found = {name for name in ("Couveuse", "Tiers-lieu") if f">{name}" in html}
    assert found == expected


def test_filters_by_theme_and_district_count_the_whole_territory(app, world, login):
    client = client_as(app, login, None)
    jeunesse = world["themes"]["Jeunesse"].id
    assert ">Tiers-lieu" in client.get(f"{BASE}/actors?theme={jeunesse}").get_data(as_text=True)
    assert ">Couveuse" not in client.get(f"{BASE}/actors?theme={jeunesse}").get_data(as_text=True)
    # The couveuse names no district: it serves the whole territory, Sainte-Agathe included.
    agathe = world["districts"]["Sainte-Agathe"].id
    html = client.get(f"{BASE}/actors?district={agathe}").get_data(as_text=True)
    assert ">Couveuse" in html and ">Tiers-lieu" not in html


def test_the_directory_pages_have_stable_urls_and_a_fixed_number_of_queries(app, world, login):
    council = world["council"]
    client = client_as(app, login, None)

    def count_queries(url):
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    few = count_queries(f"{BASE}/actors")
    for number in range(45):
        make_organisation(
            council, name=f"Collectif {number:02d}", themes=[world["themes"]["Jeunesse"]], languages=("fr", "ar")
        )
    assert count_queries(f"{BASE}/actors") == few
    assert count_queries(f"{BASE}/actors?page=2&language=fr") == few
    assert count_queries(f"{BASE}/actors.json") <= few
    page2 = client.get(f"{BASE}/actors?page=2&welcomes=y").get_data(as_text=True)
    assert "Page 2 of 3" in page2
    assert (
        f'href="{BASE}/actors?page=3&amp;welcomes=y"' in page2 or f'href="{BASE}/actors?welcomes=y&amp;page=3"' in page2
    )


def test_exports_give_the_public_entries_and_neutralise_formulas(app, world, login):
    couveuse = world["couveuse"]
    couveuse.services = '=HYPERLINK("http://evil")'
    db.session.commit()
    client = client_as(app, login, None)
    response = client.get(f"{BASE}/actors.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {row["name"] for row in rows} == {"Couveuse d'entreprises de Guyane", "Tiers-lieu de Soula"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS)
    data = json.loads(client.get(f"{BASE}/actors.json?kind=social_enterprise").get_data(as_text=True))
    [only] = data["organisations"]
    assert only["name"] == couveuse.name and only["languages"] == ["fr", "pt_BR"]
    # Only the contact the organisation published: nothing about its representatives or its creator.
    assert set(only) == {
        "id", "name", "kind", "description", "services", "themes", "districts", "languages", "opening_hours",
        "welcomes_project_holders", "email", "phone", "address", "website", "updated_at",
    }  # fmt: skip
    assert world["people"]["representative"].email not in json.dumps(data)


def test_an_organisations_page_shows_its_contact(app, world, login):
    html = client_as(app, login, None).get(f"{BASE}/actors/{world['couveuse'].id}").get_data(as_text=True)
    assert "mailto:contact@example.org" in html and "Português (Brasil)" in html


@pytest.mark.parametrize("who", ["anonymous", "resident", "facilitator_elsewhere", "representative_elsewhere"])
def test_hidden_waiting_and_foreign_organisations_are_not_found(app, world, login, who):
    client = client_as(app, login, world["people"][who])
    for name in ("hidden", "waiting", "elsewhere"):
        assert client.get(f"{BASE}/actors/{world[name].id}").status_code == 404, name


def test_facilitators_see_hidden_organisations(app, world, login):
    client = client_as(app, login, world["people"]["facilitator"])
    assert client.get(f"{BASE}/actors/{world['hidden'].id}").status_code == 200
    assert "Association en attente" in client.get(f"{BASE}/actors").get_data(as_text=True)
    assert client.get(f"/councils/pantin/territory/actors/{world['hidden'].id}").status_code == 404


# ---------------------------------------------------------------------------- facilitators' entries


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("representative", 403),
        ("facilitator_elsewhere", 403),
        ("officer", 403),
        ("facilitator", 302),
        ("admin", 302),
    ],
)
def test_only_the_councils_managers_add_an_organisation(app, world, login, who, status):
    client = client_as(app, login, world["people"][who])
    response = client.post(f"{BASE}/actors/new", data=entry(name=f"Entrée de {who}"))
    assert response.status_code == status
    if status == 302 and who != "anonymous":
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == f"Entrée de {who}"))
        assert organisation.is_public and organisation.website == "https://mil.example.org"
        assert organisation.languages == ["fr", "ht"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-address", "Enter an email address like name@example.org."),
        ("phone", "call me maybe", "Enter a phone number with 6 to 15 digits"),
        ("website", "javascript:alert(1)", "Enter a web address like https://example.org."),
        ("name", "", "Give the organisation"),
        ("kind", "castle", "Not a valid choice"),
        ("languages", ["fr", "klingon"], "valid choice"),
    ],
)
def test_bad_contact_details_are_explained_and_the_form_keeps_what_was_typed(app, world, login, field, value, message):
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post(f"{BASE}/actors/new", data=entry(**{field: value, "services": "Garde ce texte"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and "Garde ce texte" in html
    # The error is linked to its field (or to its group of checkboxes).
    assert f'id="{field}-error"' in html
    assert re.search(f'aria-describedby="[^"]*{field}-error', html)


def test_two_organisations_cannot_share_a_name(app, world, login):
    client = client_as(app, login, world["people"]["facilitator"])
    response = client.post(f"{BASE}/actors/new", data=entry(name="tiers-lieu de soula"))
    assert response.status_code == 422
    assert "already in the directory" in response.get_data(as_text=True)


def test_a_theme_of_another_council_is_refused(app, world, login):
    client = client_as(app, login, world["people"]["facilitator"])
    foreign = world["other"].themes[0].id
    response = client.post(f"{BASE}/actors/new", data=entry(themes=[str(foreign)]))
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("resident", 403),
        ("representative_elsewhere", 403),
        ("facilitator_elsewhere", 403),
        ("representative", 302),
        ("facilitator", 302),
    ],
)
def test_an_entry_is_edited_by_its_approved_representative_and_the_facilitators(app, world, login, who, status):
    client = client_as(app, login, world["people"][who])
    url = f"{BASE}/actors/{world['couveuse'].id}/edit"
    if who not in ("anonymous",):
        assert client.get(url).status_code == (200 if status == 302 else 403)
    response = client.post(url, data=entry(name="Couveuse d'entreprises de Guyane", services="Nouveau service"))
    assert response.status_code == status
    db.session.expire_all()
    assert (world["couveuse"].services == "Nouveau service") is (status == 302 and who != "anonymous")


def test_a_pending_representative_cannot_edit(app, world, login):
    person = make_user(Role.RESIDENT, world["council"])
    make_representative(world["couveuse"], person, status="pending")
    client = client_as(app, login, person)
    assert client.post(f"{BASE}/actors/{world['couveuse'].id}/edit", data=entry()).status_code == 403


def test_facilitators_hide_and_show_an_organisation(app, world, login):
    couveuse = world["couveuse"]
    for who in ("resident", "representative", "facilitator_elsewhere"):
        assert client_as(app, login, world["people"][who]).post(f"{BASE}/actors/{couveuse.id}/hide").status_code == 403
    client = client_as(app, login, world["people"]["facilitator"])
    assert client.post(f"{BASE}/actors/{couveuse.id}/hide").status_code == 302
    assert ">Couveuse" not in client_as(app, login, None).get(f"{BASE}/actors").get_data(as_text=True)
    assert client_as(app, login, None).get(f"{BASE}/actors/{couveuse.id}").status_code == 404
    assert client.post(f"{BASE}/actors/{couveuse.id}/unhide").status_code == 302
    assert client_as(app, login, None).get(f"{BASE}/actors/{couveuse.id}").status_code == 200


# ---------------------------------------------------------------------------- representatives


def test_a_resident_asks_to_represent_a_new_organisation_and_a_facilitator_approves(app, world, login):
    resident = world["people"]["resident"]
    client = client_as(app, login, resident)
    assert client.get(f"{BASE}/actors/represent").status_code == 200
    response = client.post(
        f"{BASE}/actors/represent",
        data=entry(organisation="", role_title="Trésorière", message="Nous ouvrons une AMAP."),
    )
    assert response.status_code == 302
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == "Maison des initiatives locales"))
    assert not organisation.is_public
    assert client_as(app, login, None).get(f"{BASE}/actors/{organisation.id}").status_code == 404
    assert client.get(f"{BASE}/actors/{organisation.id}").status_code == 200  # its own requester sees it
    assert client.post(f"{BASE}/actors/{organisation.id}/edit", data=entry()).status_code == 403

    [request] = db.session.scalars(
        select(OrganisationRepresentative).where(OrganisationRepresentative.user_id == resident.id)
    ).all()
    for who in ("resident", "representative", "facilitator_elsewhere", "officer"):
        other = client_as(app, login, world["people"][who])
        assert other.get(f"{BASE}/representatives").status_code == 403, who
        assert other.post(f"{BASE}/representatives/{request.id}/approve").status_code == 403, who
    assert (
        client_as(app, login, world["people"]["facilitator_elsewhere"])
        .post(f"/councils/pantin/territory/representatives/{request.id}/approve")
        .status_code
        == 404
    )
    facilitator = client_as(app, login, world["people"]["facilitator"])
    assert "Trésorière" in facilitator.get(f"{BASE}/representatives").get_data(as_text=True)
    assert facilitator.post(f"{BASE}/representatives/{request.id}/approve").status_code == 302
    assert facilitator.post(f"{BASE}/representatives/{request.id}/refuse").status_code == 409
    db.session.expire_all()
    assert organisation.is_public and request.status == "approved"
    assert db.session.scalar(select(Notification).where(Notification.user_id == resident.id)) is not None
    assert client.post(f"{BASE}/actors/{organisation.id}/edit", data=entry(services="Mis à jour")).status_code == 302


def test_a_resident_asks_to_represent_an_existing_organisation_once(app, world, login):
    resident = world["people"]["resident"]
    client = client_as(app, login, resident)
    data = {"organisation": str(world["tiers_lieu"].id), "role_title": "Salarié"}
    assert client.post(f"{BASE}/actors/represent", data=data).status_code == 302
    again = client.post(f"{BASE}/actors/represent", data=data)
    assert again.status_code == 422 and "already asked" in again.get_data(as_text=True)
    facilitator = client_as(app, login, world["people"]["facilitator"])
    request = db.session.scalar(
        select(OrganisationRepresentative).where(OrganisationRepresentative.user_id == resident.id)
    )
    assert facilitator.post(f"{BASE}/representatives/{request.id}/refuse").status_code == 302
    assert client.post(f"{BASE}/actors/{world['tiers_lieu'].id}/edit", data=entry()).status_code == 403
    # A refused request may be made again.
    assert client.post(f"{BASE}/actors/represent", data=data).status_code == 302


def test_an_organisation_of_another_council_cannot_be_represented_here(app, world, login):
    client = client_as(app, login, world["people"]["resident"])
    response = client.post(
        f"{BASE}/actors/represent", data={"organisation": str(world["elsewhere"].id), "role_title": "x"}
    )
    assert response.status_code == 422  # not among the choices


def test_representing_requires_an_account(app, world, login):
    response = client_as(app, login, None).get(f"{BASE}/actors/represent")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


# ---------------------------------------------------------------------------- workshop experts


def test_experts_are_invited_shown_on_the_workshop_and_in_its_minutes(app, world, login):
    workshop = make_workshop(world["council"], title="Atelier emploi")
    url = f"{BASE}/workshops/{workshop.id}/experts"
    for who in ("anonymous", "resident", "representative", "facilitator_elsewhere"):
        response = client_as(app, login, world["people"][who]).post(
            url, data={"organisation": str(world["couveuse"].id), "person_name": "Inès"}
        )
        assert response.status_code in (302, 403) and (who == "anonymous") == (response.status_code == 302), who
    assert db.session.scalar(select(WorkshopExpert.id)) is None
    facilitator = client_as(app, login, world["people"]["facilitator"])
    response = facilitator.post(
        url, data={"organisation": str(world["couveuse"].id), "person_name": "Inès *Da Silva*", "role": "Conseillère"}
    )
    assert response.status_code == 302
    assert (
        facilitator.post(
            url, data={"organisation": str(world["couveuse"].id), "person_name": "Inès *Da Silva*"}
        ).status_code
        == 422
    )
    for bad in (str(world["elsewhere"].id), str(world["hidden"].id), "", "abc"):
        assert facilitator.post(url, data={"organisation": bad, "person_name": "X"}).status_code == 422, bad
    assert facilitator.post(url, data={"organisation": str(world["couveuse"].id), "person_name": ""}).status_code == 422

    page = client_as(app, login, None).get(f"/councils/macouria/workshops/{workshop.id}").get_data(as_text=True)
    assert "Invited experts" in page and "Inès *Da Silva*" in page and "Couveuse d&#39;entreprises" in page
    with app.test_request_context():
        minutes = draft_text(workshop)
        from flask_babel import gettext

        from consultation.i18n import force_locale

        with force_locale(workshop.language):  # the minutes are written in the workshop's language
            heading = gettext("Invited experts")
    assert heading != "Invited experts" or workshop.language == "en"
    assert f"### {heading}" in minutes
    assert "Inès \\*Da Silva\\* (Conseillère), Couveuse d'entreprises de Guyane" in minutes

    expert = db.session.scalar(select(WorkshopExpert))
    other_workshop = make_workshop(world["council"])
    assert facilitator.post(f"{BASE}/workshops/{other_workshop.id}/experts/{expert.id}/remove").status_code == 404
    assert facilitator.post(f"{BASE}/workshops/{workshop.id}/experts/{expert.id}/remove").status_code == 302
    assert db.session.scalar(select(WorkshopExpert.id)) is None


def test_a_workshop_of_another_council_is_not_found(app, world, login):
    foreign = make_workshop(world["other"])
    client = client_as(app, login, world["people"]["facilitator"])
    assert client.get(f"{BASE}/workshops/{foreign.id}/experts").status_code == 404


def test_minutes_without_experts_are_unchanged(app, world):
    workshop = make_workshop(world["council"])
    with app.test_request_context():
        assert "Invited experts" not in draft_text(workshop)


# ---------------------------------------------------------------------------- hostile input


def test_naughty_strings_in_an_organisations_entry(app, world, login):
    strings = naughty_strings()
    client = client_as(app, login, world["people"]["facilitator"])
    url = f"{BASE}/actors/{world['couveuse'].id}/edit"
    accepted = []
    for value in strings[::2]:
        response = client.post(
            url,
            data=entry(
                name=f"Couveuse {value}"[:200],
                description=value,
                services=value,
                opening_hours=value[:500],
                address=value[:300],
            ),
        )
        assert response.status_code in (302, 422), (value, response.status_code)
        if response.status_code == 302:
            accepted.append(value)
    assert len(accepted) > len(strings[::2]) * 0.8
    last = accepted[-1]
    db.session.expire_all()
    assert world["couveuse"].services == as_stored(last)
    html = client_as(app, login, None).get(f"{BASE}/actors/{world['couveuse'].id}").get_data(as_text=True)
    assert_escaped(html, [last])
    markup = [value for value in accepted if "<" in value and ">" in value][:5]
    for value in markup:
        client.post(url, data=entry(name="Couveuse", services=value))
        html = client_as(app, login, None).get(f"{BASE}/actors").get_data(as_text=True)
        assert_escaped(html, [value])
    table = client.get(f"{BASE}/actors.csv").get_data(as_text=True).lstrip("\ufeff")
    for row in csv.DictReader(io.StringIO(table)):
        for value in row.values():
            assert not value.startswith(FORMULA_STARTS)
    # Contact fields refuse what is not an address, a number or a site: never a 500.
    for value in strings[1::7]:
        response = client.post(url, data=entry(email=value, phone=value, website=value))
        assert response.status_code in (302, 422), (value, response.status_code)
    for value in strings[:60]:
        assert client.get(f"{BASE}/actors", query_string={"q": value, "language": value}).status_code == 200
