"""The open data API: what it shows, what it never shows, its cursors, filters and OpenAPI description."""

from __future__ import annotations

import re
from datetime import date, timedelta

import jsonschema_rs
import pytest

from consultation.api.schemas import openapi_document
from consultation.councils.models import Council
from consultation.extensions import db
from consultation.opinions.models import MunicipalAnswer, Recommendation, RecommendationAnswer
from consultation.permissions import Role
from consultation.proposals.models import PaperCount, Proposal
from consultation.voting.rules import Status
from consultation.web import utcnow
from consultation.workshops.models import Workshop
from consultation.workshops.phases import Phase
from tests.factories import NOW, make_council, make_opinion, make_proposal, make_user, make_workshop
from tests.factories_votes import cast, close, keys, make_vote
from tests.factories_workshops import add_agenda, make_participant, make_question
from tests.statements import recorded_statements

DOCUMENT = openapi_document()
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
# Names of fields that would give away a person or a secret, wherever they appear.
FORBIDDEN_KEYS = {
    "email", "password", "password_hash", "author_id", "user_id", "voter_id", "cast_by_id", "participant_id",
    "created_by_id", "answered_by_id", "collected_by_id", "join_code", "paper_author", "ballot", "content",
}  # fmt: skip
SECRET_STRINGS: set[str] = set()


# ------------------------------------------------------------------------------------------ helpers


def _template_of(path: str) -> str:
    for template in DOCUMENT["paths"]:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not described in the OpenAPI document")


def _validate(path: str, status: int, body) -> None:
    """Check a response against the schema the OpenAPI document gives for this path and status."""
    responses = DOCUMENT["paths"][_template_of(path)]["get"]["responses"]
    assert str(status) in responses, f"{status} is not documented for {path}"
    schema = responses[str(status)]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.Draft202012Validator({"components": DOCUMENT["components"], **schema})
    errors = [f"{list(error.instance_path)}: {error.message}" for error in validator.iter_errors(body)]
    assert not errors, errors


def _walk(value, where: str = "$") -> None:
    """No e-mail address, no personal field, no secret of the test territory, anywhere in a response."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert key not in FORBIDDEN_KEYS, f"{where}.{key}"
            _walk(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{where}[{index}]")
    elif isinstance(value, str):
        assert not EMAIL.search(value), f"{where}: {value!r}"
        for secret in SECRET_STRINGS:
            assert secret not in value, f"{where}: {secret!r} leaked"


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response.headers
    body = response.get_json()
    _validate(url.split("?")[0], status, body)
    if not url.endswith("/openapi.json"):
        _walk(body)
    if status >= 400:
        assert body["status"] == status and body["error"]
    return body


def ids(body) -> list[int]:
    return [item["id"] for item in body["data"]]


def every_page(client, url: str) -> list[dict]:
    items, cursor, pages = [], None, 0
    while True:
        separator = "&" if "?" in url else "?"
        body = get(client, url + (f"{separator}cursor={cursor}" if cursor else ""))
        items.extend(body["data"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert pages < 100


def count_statements(client, url: str) -> int:
    db.session.remove()  # the client shares the test's context: start from an empty identity map
    with recorded_statements() as statements:
        get(client, url)
    return len(statements)


def _secret(text: str) -> str:
    SECRET_STRINGS.add(text)
    return text


@pytest.fixture(autouse=True)
def _forget_secrets():
    yield
    SECRET_STRINGS.clear()


def make_territory():
    """Two councils with public and hidden things of every kind; the hidden ones carry secret words."""
    council = make_council(slug="macouria", name="Conseil citoyen de Macouria", themes=("Mobilités", "Culture"))
    other = make_council(slug="kourou", name="Conseil citoyen de Kourou")
    theme = council.themes[0]
    workshop = make_workshop(council, title="Atelier mobilités", phase=Phase.IDEATION)
    add_agenda(workshop, ("Accueil", 15), ("Propositions", 45))
    draft_workshop = make_workshop(council, title=_secret("Atelier en préparation"), is_published=False)
    closed_workshop = make_workshop(other, title="Atelier clos", phase=Phase.CLOSED)
    question = make_question(council)

    author = make_user(name="Marie Public", email=_secret("marie.private@example.test"))
    online = make_proposal(workshop, author, title="Des bancs à l'ombre", supports=2)
    online.theme_id = theme.id
    db.session.add(PaperCount(proposal_id=online.id, count=3))
    paper = Proposal(
        workshop_id=workshop.id, title="Un abri bus", body="Écrit sur un papier.", language="fr",
        origin="paper", paper_author=_secret("Jean Papier-Manuscrit"),
    )  # fmt: skip
    hidden_account = make_user(name=_secret("Compte Discret"))
    anonymous = make_participant(workshop, name="", user=hidden_account)
    anonymous_proposal = Proposal(
        workshop_id=workshop.id, participant_id=anonymous.id, author_id=hidden_account.id,
        title="Une piste cyclable", body="Anonyme.", language="ht",
    )  # fmt: skip
    db.session.add_all([paper, anonymous_proposal])
    db.session.commit()
    rejected = make_proposal(workshop, title=_secret("Proposition rejetée"))
    rejected.status, rejected.rejection_reason = "rejected", _secret("Hors sujet")
    merged = make_proposal(workshop, title=_secret("Proposition fusionnée"))
    merged.status, merged.merged_into_id = "merged", online.id
    hidden = make_proposal(draft_workshop, title=_secret("Proposition d'un brouillon"))
    other_proposal = make_proposal(closed_workshop, title="Éclairer le stade")
    db.session.commit()

    members = [make_user(Role.MEMBER, council, email=f"member{n}@example.test") for n in range(3)]
    facilitator = make_user(Role.FACILITATOR, council)
    closed_vote = make_vote(council, question="Quel aménagement d'abord ?", workshop=workshop)
    for member, option in zip(members, [0, 0, 1], strict=True):
        cast(member, closed_vote, keys(closed_vote)[option])
    close(facilitator, closed_vote)
    secret_vote = make_vote(council, question="Vote à bulletin secret", is_secret=True)
    cast(members[0], secret_vote, keys(secret_vote)[2])
    close(facilitator, secret_vote)
    motion = make_vote(council, method="motion", question="Adopter l'avis ?")
    cast(members[0], motion, "yes")
    close(facilitator, motion)
    open_vote = make_vote(council, question="Vote en cours")
    cast(members[1], open_vote, keys(open_vote)[1])
    draft_vote = make_vote(council, question=_secret("Vote en préparation"), status=Status.DRAFT)
    hidden_vote = make_vote(council, question=_secret("Vote d'un atelier brouillon"), workshop=draft_workshop)

    adopted = make_opinion(workshop, status="adopted")
    adopted.number, adopted.adopted_at, adopted.title = "2026-01", NOW, "Avis sur les mobilités"
    adopted.transmitted_on, adopted.addressee = date(2026, 9, 1), "Monsieur le Maire"
    adopted.answer = MunicipalAnswer(answered_on=date(2026, 11, 2), summary="La commune répond.")
    recommendation = adopted.recommendation_list[0]
    recommendation.sources = [db.session.get(Proposal, online.id)]
    recommendation.answer = RecommendationAnswer(status="accepted", reason="Budget voté.", expected_on=date(2027, 3, 1))
    adopted.recommendation_list.append(Recommendation(position=2, text="Planter des arbres."))
    draft_opinion = make_opinion(workshop)
    draft_opinion.title = _secret("Avis en cours de rédaction")
    db.session.commit()
    return {
        "council": council, "other": other, "theme": theme, "workshop": workshop,
        "draft_workshop": draft_workshop, "closed_workshop": closed_workshop, "question": question,
        "online": online, "paper": paper, "anonymous": anonymous_proposal, "rejected": rejected,
        "merged": merged, "hidden": hidden, "other_proposal": other_proposal,
        "closed_vote": closed_vote, "secret_vote": secret_vote, "motion": motion, "open_vote": open_vote,
        "draft_vote": draft_vote, "hidden_vote": hidden_vote, "adopted": adopted, "draft_opinion": draft_opinion,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------- endpoints


LISTS = ["councils", "workshops", "proposals", "votes", "opinions", "questions"]


def test_every_list_and_every_item_answers_json_that_matches_the_openapi_schema(client):
    make_territory()
    for kind in LISTS:
        body = get(client, f"/api/v1/{kind}")
        assert body["data"], kind
        assert body["next_cursor"] is None
        for item in body["data"]:
            key = item["slug"] if kind == "councils" else item["id"]
            assert get(client, f"/api/v1/{kind}/{key}") == item


def test_councils_with_their_themes(client):
    territory = make_territory()
    body = get(client, "/api/v1/councils")
    assert [c["slug"] for c in body["data"]] == ["macouria", "kourou"]
    council = get(client, "/api/v1/councils/macouria")
    assert council["name"] == "Conseil citoyen de Macouria"
    assert {theme["name"] for theme in council["themes"]} == {"Mobilités", "Culture"}
    assert territory["theme"].id in {theme["id"] for theme in council["themes"]}


def test_only_published_workshops_are_shown(client):
    territory = make_territory()
    listed = get(client, "/api/v1/workshops")
    assert set(ids(listed)) == {territory["workshop"].id, territory["closed_workshop"].id}
    workshop = get(client, f"/api/v1/workshops/{territory['workshop'].id}")
    assert workshop["council"] == "macouria"
    assert [item["title"] for item in workshop["agenda"]] == ["Accueil", "Propositions"]
    get(client, f"/api/v1/workshops/{territory['draft_workshop'].id}", 404)
    get(client, f"/api/v1/proposals?workshop={territory['draft_workshop'].id}", 400)
    get(client, f"/api/v1/votes?workshop={territory['draft_workshop'].id}", 400)


def test_workshop_filters(client):
    territory = make_territory()
    assert ids(get(client, "/api/v1/workshops?council=kourou")) == [territory["closed_workshop"].id]
    assert ids(get(client, "/api/v1/workshops?phase=ideation")) == [territory["workshop"].id]
    assert ids(get(client, "/api/v1/workshops?council=macouria&phase=closed")) == []
    territory["workshop"].question_id = territory["question"].id
    db.session.commit()
    assert ids(get(client, f"/api/v1/workshops?question={territory['question'].id}")) == [territory["workshop"].id]


def test_proposals_show_supports_online_and_on_paper_and_only_public_names(client):
    territory = make_territory()
    body = get(client, f"/api/v1/proposals?workshop={territory['workshop'].id}")
    by_id = {item["id"]: item for item in body["data"]}
    assert set(by_id) == {territory["online"].id, territory["paper"].id, territory["anonymous"].id}
    online = by_id[territory["online"].id]
    assert online["supports"] == {"online": 2, "paper": 3, "total": 5}
    assert online["author_name"] == "Marie Public"
    assert online["theme"] == {"id": territory["theme"].id, "name": territory["theme"].name}
    assert by_id[territory["paper"].id]["author_name"] is None
    assert by_id[territory["paper"].id]["origin"] == "paper"
    assert by_id[territory["anonymous"].id]["author_name"] is None
    assert by_id[territory["anonymous"].id]["language"] == "ht"


def test_rejected_merged_and_draft_workshop_proposals_never_appear(client):
    territory = make_territory()
    listed = set(ids(get(client, "/api/v1/proposals")))
    for name in ("rejected", "merged", "hidden"):
        assert territory[name].id not in listed
        get(client, f"/api/v1/proposals/{territory[name].id}", 404)
    assert listed == {territory[n].id for n in ("online", "paper", "anonymous", "other_proposal")}


def test_proposal_filters(client):
    territory = make_territory()
    assert ids(get(client, "/api/v1/proposals?council=kourou")) == [territory["other_proposal"].id]
    assert ids(get(client, f"/api/v1/proposals?theme={territory['theme'].id}")) == [territory["online"].id]
    assert ids(get(client, "/api/v1/proposals?origin=paper")) == [territory["paper"].id]
    assert territory["paper"].id not in ids(get(client, "/api/v1/proposals?origin=online"))
    assert ids(get(client, "/api/v1/proposals?status=accepted")) == []
    assert len(ids(get(client, "/api/v1/proposals?council=macouria&status=submitted&origin=online"))) == 2


def test_votes_show_aggregated_results_once_closed_and_never_ballots(client):
    territory = make_territory()
    listed = get(client, "/api/v1/votes")
    assert set(ids(listed)) == {territory[n].id for n in ("closed_vote", "secret_vote", "motion", "open_vote")}
    closed = get(client, f"/api/v1/votes/{territory['closed_vote'].id}")
    first, second = (option["key"] for option in closed["options"][:2])
    assert closed["result"]["ballots"] == 3
    assert closed["result"]["winners"] == [first]
    assert closed["result"]["details"]["counts"][first] == 2
    assert closed["result"]["details"]["counts"][second] == 1
    motion = get(client, f"/api/v1/votes/{territory['motion'].id}")
    assert [option["key"] for option in motion["options"]] == ["yes", "no", "abstain"]
    assert motion["result"]["winners"] == ["yes"]
    assert get(client, f"/api/v1/votes/{territory['secret_vote'].id}")["result"]["ballots"] == 1
    open_vote = get(client, f"/api/v1/votes/{territory['open_vote'].id}")
    assert open_vote["status"] == "open" and open_vote["result"] is None
    assert ids(get(client, "/api/v1/votes?status=open")) == [territory["open_vote"].id]
    assert ids(get(client, "/api/v1/votes?method=motion")) == [territory["motion"].id]
    assert ids(get(client, f"/api/v1/votes?workshop={territory['workshop'].id}")) == [territory["closed_vote"].id]


def test_draft_votes_and_votes_of_draft_workshops_never_appear(client):
    territory = make_territory()
    listed = set(ids(get(client, "/api/v1/votes")))
    for name in ("draft_vote", "hidden_vote"):
        assert territory[name].id not in listed
        get(client, f"/api/v1/votes/{territory[name].id}", 404)


def test_adopted_opinions_with_recommendations_answers_and_follow_up(client):
    territory = make_territory()
    listed = get(client, "/api/v1/opinions")
    assert ids(listed) == [territory["adopted"].id]
    opinion = listed["data"][0]
    assert opinion["number"] == "2026-01"
    assert opinion["follow_up"] == {"state": "answered", "on": "2026-11-02", "days": None}
    assert opinion["municipal_answer"] == {"answered_on": "2026-11-02", "summary": "La commune répond."}
    first, second = opinion["recommendations"]
    assert first["source_proposal_ids"] == [territory["online"].id]
    assert first["answer"]["status"] == "accepted" and first["answer"]["expected_on"] == "2027-03-01"
    assert second["answer"] is None
    get(client, f"/api/v1/opinions/{territory['draft_opinion'].id}", 404)
    assert ids(get(client, "/api/v1/opinions?council=kourou")) == []


def test_opinions_filtered_by_follow_up_state(client):
    council = make_council()
    workshop = make_workshop(council)
    today = utcnow().date()
    expected = {}
    for state, transmitted, answered in [
        ("not_transmitted", None, None),
        ("due", today - timedelta(days=10), None),
        ("overdue", today - timedelta(days=200), None),
        ("answered", today - timedelta(days=200), today - timedelta(days=1)),
    ]:
        opinion = make_opinion(workshop, status="adopted")
        opinion.transmitted_on = transmitted
        if answered:
            opinion.answer = MunicipalAnswer(answered_on=answered)
        expected[state] = opinion.id
    # A council that gives its municipality a whole year: 200 days late elsewhere, still due here.
    long_delay = make_opinion(workshop, status="adopted")
    long_delay.transmitted_on, long_delay.response_months = today - timedelta(days=200), 12
    db.session.commit()
    for state, opinion_id in expected.items():
        body = get(client, f"/api/v1/opinions?follow_up={state}")
        wanted = [opinion_id, long_delay.id] if state == "due" else [opinion_id]
        assert ids(body) == wanted, state
        assert {item["follow_up"]["state"] for item in body["data"]} == {state}


def test_questions_and_their_filters(client):
    territory = make_territory()
    own = make_question(territory["other"], title="Le conseil se saisit du marché", kind="self")
    assert ids(get(client, "/api/v1/questions")) == [territory["question"].id, own.id]
    assert ids(get(client, "/api/v1/questions?kind=self")) == [own.id]
    assert ids(get(client, "/api/v1/questions?council=macouria")) == [territory["question"].id]
    assert get(client, f"/api/v1/questions/{own.id}")["referred_by"] == ""


# --------------------------------------------------------------------------------------- pagination


def test_pages_cover_every_row_once_even_when_rows_share_a_creation_time(client):
    council = make_council()
    workshop = make_workshop(council)
    made = [make_proposal(workshop).id for _ in range(7)]
    for proposal in db.session.query(Proposal).all():
        proposal.created_at = NOW  # the same instant for all: only the keyset's id tells them apart
    db.session.commit()
    for limit in (1, 2, 3, 7, 100):
        seen = [item["id"] for item in every_page(client, f"/api/v1/proposals?limit={limit}")]
        assert seen == sorted(made), limit


def test_a_page_does_not_shift_when_rows_appear_or_disappear_between_requests(client):
    council = make_council()
    workshop = make_workshop(council)
    made = [make_proposal(workshop).id for _ in range(4)]
    first = get(client, "/api/v1/proposals?limit=2")
    assert ids(first) == made[:2]
    late = make_proposal(workshop).id
    gone = db.session.get(Proposal, made[0])
    gone.status = "rejected"
    db.session.commit()
    second = get(client, f"/api/v1/proposals?limit=2&cursor={first['next_cursor']}")
    assert ids(second) == made[2:]
    third = get(client, f"/api/v1/proposals?limit=2&cursor={second['next_cursor']}")
    assert ids(third) == [late] and third["next_cursor"] is None


def test_default_page_size_is_twenty(client):
    council = make_council()
    for _ in range(21):
        make_question(council, title="Une question")
    body = get(client, "/api/v1/questions")
    assert len(body["data"]) == 20 and body["next_cursor"]
    assert len(get(client, f"/api/v1/questions?cursor={body['next_cursor']}")["data"]) == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/proposals?cursor=not-a-cursor",
        "/api/v1/proposals?cursor=",
        "/api/v1/proposals?cursor=eyJ2IjoxLCJrIjoicHJvcG9zYWxzIiwiYWZ0ZXIiOi0xfQ",  # after: -1
        "/api/v1/workshops?cursor=eyJ2IjoxLCJrIjoicHJvcG9zYWxzIiwiYWZ0ZXIiOjF9",  # a proposals cursor
        "/api/v1/councils?limit=0",
        "/api/v1/councils?limit=101",
        "/api/v1/councils?limit=ten",
        "/api/v1/councils?limit=",
        "/api/v1/councils?limit=5&limit=6",
        "/api/v1/councils?page=2",
        "/api/v1/workshops?phase=party",
        "/api/v1/workshops?council=nowhere",
        "/api/v1/workshops?question=999999",
        "/api/v1/proposals?origin=fax",
        "/api/v1/proposals?status=rejected",
        "/api/v1/proposals?status=merged",
        "/api/v1/proposals?workshop=abc",
        "/api/v1/proposals?workshop=0",
        "/api/v1/proposals?workshop=99999999999999999999",
        "/api/v1/proposals?workshop=424242",
        "/api/v1/proposals?theme=424242",
        "/api/v1/proposals?council=%00",
        "/api/v1/votes?status=draft",
        "/api/v1/votes?method=lottery",
        "/api/v1/opinions?follow_up=late",
        "/api/v1/questions?kind=other",
    ],
)
def test_bad_parameters_get_a_400_with_a_message(client, url):
    make_territory()
    body = get(client, url, 400)
    assert body["error"].split(":")[0] in url


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/councils/nowhere",
        "/api/v1/workshops/424242",
        "/api/v1/workshops/0",
        "/api/v1/workshops/99999999999999999999",
        "/api/v1/proposals/424242",
        "/api/v1/votes/424242",
        "/api/v1/opinions/424242",
        "/api/v1/questions/424242",
    ],
)
def test_unknown_ids_get_a_404_in_json(client, url):
    get(client, url, 404)


def test_the_api_only_reads(client):
    make_territory()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)("/api/v1/proposals")
        assert response.status_code == 405
        assert response.mimetype == "application/json"


def test_an_unknown_api_path_answers_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["status"] == 404


@pytest.mark.parametrize(
    ("kind", "make_one"),
    [
        ("workshops", lambda c, w: add_agenda(make_workshop(c), ("Accueil", 10))),
        ("proposals", lambda c, w: make_proposal(w, make_user(), supports=1)),
        ("votes", lambda c, w: make_vote(c, workshop=w)),
        ("opinions", lambda c, w: make_opinion(w, status="adopted")),
        ("questions", lambda c, w: make_question(c)),
        ("councils", lambda c, w: make_council()),
    ],
)
def test_query_count_does_not_grow_with_the_page_size(client, kind, make_one):
    council_id = make_council().id
    workshop_id = make_workshop(db.session.get(Council, council_id)).id

    def make(number):
        for _ in range(number):
            make_one(db.session.get(Council, council_id), db.session.get(Workshop, workshop_id))

    make(2)
    small = count_statements(client, f"/api/v1/{kind}")
    make(20)
    assert count_statements(client, f"/api/v1/{kind}") == small


def test_query_count_of_a_filtered_opinion_list_is_fixed(client):
    workshop_id = make_workshop(make_council(slug="cayenne")).id
    url = "/api/v1/opinions?follow_up=due&council=cayenne"

    def make(number):
        for _ in range(number):
            opinion = make_opinion(db.session.get(Workshop, workshop_id), status="adopted")
            opinion.transmitted_on = utcnow().date()
        db.session.commit()

    make(1)
    small = count_statements(client, url)
    make(15)
    assert len(get(client, url)["data"]) == 16
    assert count_statements(client, url) == small


# ---------------------------------------------------------------------------------- the description


def test_the_openapi_document_describes_every_route_of_the_api(client, app):
    document = get(client, "/api/v1/openapi.json")
    assert document == DOCUMENT
    assert document["openapi"].startswith("3.1")
    routes = {
        re.sub(r"<(?:int:)?([^>]+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(document["paths"])
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path
        placeholders = set(re.findall(r"{([^}]+)}", path))
        assert placeholders == {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"}


def test_every_object_in_the_openapi_document_is_closed_and_says_what_may_be_null():
    def visit(schema, where):
        if isinstance(schema, dict):
            if schema.get("type") == "object" and "properties" in schema and where != "VoteResult.properties.details":
                assert schema.get("additionalProperties") is False, where
                assert set(schema["required"]) == set(schema["properties"]), where
            assert "nullable" not in schema, f"{where}: OpenAPI 3.1 uses type arrays"
            for key, value in schema.items():
                visit(value, f"{where}.{key}" if where else key)
        elif isinstance(schema, list):
            for value in schema:
                visit(value, where)

    for name, schema in DOCUMENT["components"]["schemas"].items():
        visit(schema, name)


def test_schemathesis_finds_no_server_error_and_no_schema_violation(app, ctx):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    make_territory()
    SECRET_STRINGS.clear()  # schemathesis checks the shapes; the other tests check the contents
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_headers_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    # Schemathesis leaves out the operation it loaded the schema from.
    assert {operation.path for operation in operations} == set(DOCUMENT["paths"]) - {"/api/v1/openapi.json"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(checks=checks)
            if response.status_code < 500:
                _walk(response.json())

        run()
