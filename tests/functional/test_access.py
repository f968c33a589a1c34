"""The access matrix: every route declares a rule, and each role gets the expected answer."""

import pytest

from consultation import access
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_proposal, make_user, make_workshop


def test_every_route_declares_an_access_rule(app):
    with app.test_request_context():
        undeclared = [
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and access.rule_of(rule.endpoint) is None
        ]
    assert undeclared == []


def test_an_undeclared_route_is_refused(make_app):
    other = make_app()
    other.add_url_rule("/forgotten", "forgotten", lambda: "secret")
    assert other.test_client().get("/forgotten").status_code == 403


@pytest.fixture()
def world(ctx):
    council = make_council(slug="macouria")
    other = make_council(slug="pantin")
    ideation = make_workshop(council, phase=Phase.IDEATION)
    closed = make_workshop(council, phase=Phase.DISCUSSION)
    draft = make_workshop(council, is_published=False)
    author = make_user()
    proposal = make_proposal(ideation, author)
    closed_proposal = make_proposal(closed, author)
    opinion = make_opinion(closed)
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "facilitator": make_user(Role.FACILITATOR, council),
        "member": make_user(Role.MEMBER, council),
        "officer": make_user(Role.OFFICER, council),
        "admin": make_user(is_admin=True),
    }
    return {
        "council": council,
        "ideation": ideation,
        "closed": closed,
        "draft": draft,
        "proposal": proposal,
        "closed_proposal": closed_proposal,
        "opinion": opinion,
        "people": people,
    }


ROLES = ["anonymous", "resident", "facilitator_elsewhere", "facilitator", "member", "officer", "admin"]
LOGIN = 302  # anonymous visitors are sent to the login page

# (method, url template, data, {role: expected status})
MATRIX = [
    ("GET", "/", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/councils/macouria", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/councils/nowhere", None, dict.fromkeys(ROLES, 404)),
    ("GET", "/councils/macouria/workshops/{ideation}", None, dict.fromkeys(ROLES, 200)),
    (
        "GET",
        "/councils/macouria/workshops/{draft}",
        None,
        {**dict.fromkeys(ROLES, 404), "facilitator": 200, "admin": 200},
    ),
    ("GET", "/councils/pantin/workshops/{ideation}", None, dict.fromkeys(ROLES, 404)),
    (
        "GET",
        "/councils/macouria/workshops/{ideation}/proposals/new",
        None,
        {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN},
    ),
    (
        "POST",
        "/councils/macouria/workshops/{ideation}/proposals/{proposal}/support",
        {},
        {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN},
    ),
    (
        "POST",
        "/councils/macouria/workshops/{ideation}/phase",
        {"phase": "discussion"},
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "facilitator": 302, "admin": 302},
    ),
    (
        "GET",
        "/councils/macouria/workshops/{closed}/opinions/new",
        None,
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "member": 200, "admin": 200},
    ),
    (
        "POST",
        "/councils/macouria/workshops/{closed}/opinions/new",
        {"title": "Avis du conseil", "recommendations-0-text": "Recommandation", "top": "5"},
        {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "member": 302, "admin": 302},
    ),
    (
        "GET",
        "/councils/macouria/opinions/{opinion}",
        None,
        {**dict.fromkeys(ROLES, 404), "facilitator": 200, "member": 200, "officer": 200, "admin": 200},
    ),
    ("GET", "/councils/pantin/opinions/{opinion}", None, dict.fromkeys(ROLES, 404)),
    (
        "GET",
        "/councils/macouria/opinions/{opinion}.pdf",
        None,
        {**dict.fromkeys(ROLES, 404), "facilitator": 200, "member": 200, "officer": 200, "admin": 200},
    ),
    (
        "GET",
        "/councils/macouria/opinions/{opinion}/edit",
        None,
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 403,
            "officer": 403,
            "member": 200,
            "admin": 200,
        },
    ),
    ("GET", "/councils/macouria/opinions", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/councils/macouria/opinions.csv", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/councils/macouria/opinions.json", None, dict.fromkeys(ROLES, 200)),
    (
        "GET",
        "/councils/macouria/opinions/{opinion}/history",
        None,
        {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN, "member": 200, "admin": 200},
    ),
    (
        "POST",
        "/councils/macouria/opinions/{opinion}/comments",
        {"body": "Un commentaire"},
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 403,
            "officer": 403,
            "member": 302,
            "admin": 302,
        },
    ),
    (
        "POST",
        "/councils/macouria/opinions/{opinion}/follow",
        {},
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 302,
            "officer": 302,
            "member": 302,
            "admin": 302,
        },
    ),
    (
        "POST",
        "/councils/macouria/opinions/{opinion}/record",
        {},
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 403,
            "officer": 403,
            "member": 409,
            "admin": 409,
        },
    ),
    (
        "POST",
        "/councils/macouria/opinions/{opinion}/vote",
        {"majority": "simple"},
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 302,
            "officer": 403,
            "member": 403,
            "admin": 302,
        },
    ),
    (
        "POST",
        "/councils/macouria/opinions/{opinion}/transmit",
        {"addressee": "Le maire", "on": "2026-12-01"},
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 403,
            "officer": 403,
            "member": 409,
            "admin": 409,
        },
    ),
    (
        "GET",
        "/councils/macouria/opinions/{opinion}/answer",
        None,
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 403,
            "member": 403,
            "officer": 409,
            "admin": 409,
        },
    ),
    (
        "POST",
        "/councils/macouria/opinions/{opinion}/correct",
        {},
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "facilitator": 403,
            "officer": 403,
            "member": 409,
            "admin": 409,
        },
    ),
    ("GET", "/notifications", None, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("POST", "/account/logout", {}, {**dict.fromkeys(ROLES, 302)}),
    ("GET", "/account", None, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("POST", "/account", {"display_name": ""}, {**dict.fromkeys(ROLES, 422), "anonymous": LOGIN}),
    ("GET", "/account/email", None, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("POST", "/account/email", {}, {**dict.fromkeys(ROLES, 422), "anonymous": LOGIN}),
    ("GET", "/account/password", None, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("POST", "/account/password", {}, {**dict.fromkeys(ROLES, 422), "anonymous": LOGIN}),
    ("GET", "/account/confirm", None, {**dict.fromkeys(ROLES, 200), "anonymous": LOGIN}),
    ("POST", "/account/confirm", {}, {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}),
    ("GET", "/account/confirm/not-a-token", None, dict.fromkeys(ROLES, 400)),
    ("POST", "/account/confirm/not-a-token", {}, dict.fromkeys(ROLES, 400)),
    ("GET", "/account/password/forgot", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/account/password/reset/not-a-token", None, dict.fromkeys(ROLES, 400)),
    ("POST", "/account/password/reset/not-a-token", {}, dict.fromkeys(ROLES, 400)),
    ("GET", "/healthz", None, dict.fromkeys(ROLES, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "template", "data", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _d, _e in MATRIX]
)
def test_access_matrix(app, world, login, role, method, template, data, expected):
    client = app.test_client()
    person = world["people"][role]
    if person is not None:
        login(client, person)
    url = template.format(
        ideation=world["ideation"].id,
        closed=world["closed"].id,
        draft=world["draft"].id,
        proposal=world["proposal"].id,
        opinion=world["opinion"].id,
    )
    response = client.open(url, method=method, data=data)
    assert response.status_code == expected[role]
    if expected[role] == LOGIN and role == "anonymous":
        assert "/account/login" in response.headers["Location"]
