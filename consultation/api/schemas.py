"""The OpenAPI 3.1 document of the open data API: every path, parameter and response shape."""

from __future__ import annotations

from typing import Any

from consultation.api.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT
from consultation.opinions.rules import AnswerStatus, FollowUpState
from consultation.proposals.models import ORIGINS, VISIBLE_STATUSES
from consultation.referrals.models import KINDS
from consultation.voting.methods import METHODS
from consultation.voting.rules import Electorate, Status
from consultation.workshops.phases import ORDER as PHASES

_STRING = {"type": "string"}
_ID = {"type": "integer", "minimum": 1}
_COUNT = {"type": "integer", "minimum": 0}
_DATETIME = {"type": "string", "format": "date-time"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.1 (JSON Schema 2020-12) says "may be null" with a type array, not `nullable`."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    nullable = dict(schema)
    nullable["type"] = [schema["type"], "null"]
    if "enum" in schema:
        nullable["enum"] = [*schema["enum"], None]
    return nullable


def _enum(values) -> dict[str, Any]:
    return {"type": "string", "enum": [str(value) for value in values]}


def _object(properties: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    """Every property is always present (null when unknown), and nothing else is."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_DATE = {"type": "string", "format": "date"}
_COUNCIL_SLUG = {"type": "string", "description": "The slug of the council (see /councils)."}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "error": {"type": "string", "description": "What went wrong, for the developer."},
            "status": {"type": "integer"},
        }
    ),
    "Theme": _object({"id": _ID, "name": _STRING}),
    "Council": _object(
        {
            "id": _ID,
            "slug": _STRING,
            "name": _STRING,
            "territory": _STRING,
            "description": _STRING,
            "default_locale": _STRING,
            "response_months": {
                "type": "integer",
                "description": "Months the municipality has to answer an opinion of this council.",
            },
            "themes": {"type": "array", "items": _ref("Theme")},
            "created_at": _DATETIME,
        }
    ),
    "AgendaItem": _object({"position": {"type": "integer"}, "title": _STRING, "duration_minutes": _ID}),
    "Workshop": _object(
        {
            "id": _ID,
            "council": _COUNCIL_SLUG,
            "question_id": _nullable(_ID),
            "title": _STRING,
            "description": _STRING,
            "language": _STRING,
            "languages_spoken": {"type": "string", "description": "Languages spoken in the room, as written."},
            "location": _STRING,
            "online_url": _nullable(_STRING),
            "starts_at": _DATETIME,
            "ends_at": _DATETIME,
            "capacity": _nullable(_ID),
            "phase": _enum(PHASES),
            "agenda": {"type": "array", "items": _ref("AgendaItem")},
            "created_at": _DATETIME,
        },
        "A published workshop (drafts are never listed).",
    ),
    "Supports": _object({"online": _COUNT, "paper": _COUNT, "total": _COUNT}),
    "Proposal": _object(
        {
            "id": _ID,
            "workshop_id": _nullable(_ID),
            "consultation_id": {
                **_nullable(_ID),
                "description": "The online consultation it was sent to; null for a workshop's proposal.",
            },
            "council": _COUNCIL_SLUG,
            "theme": _nullable(_ref("Theme")),
            "title": _STRING,
            "body": _STRING,
            "language": {"type": "string", "description": "The language its author wrote in."},
            "status": _enum(VISIBLE_STATUSES),
            "origin": _enum(ORIGINS),
            "author_name": {
                "type": ["string", "null"],
                "description": "The public display name of its author; null when anonymous or written on paper.",
            },
            "supports": _ref("Supports"),
            "created_at": _DATETIME,
            "updated_at": _DATETIME,
        },
        "A proposal visible on the public pages (rejected and merged ones are not).",
    ),
    "VoteOption": _object(
        {
            "key": {"type": "string", "description": "How the result names this option."},
            "label": _STRING,
            "language": _nullable(_STRING),
            "proposal_id": _nullable(_ID),
        }
    ),
    "VoteResult": _object(
        {
            "ballots": _COUNT,
            "quorum_reached": {"type": "boolean"},
            "electorate": _nullable(_COUNT),
            "ranking": {
                "type": "array",
                "description": "Tiers of option keys, best first; tied options share a tier.",
                "items": {"type": "array", "items": _STRING},
            },
            "winners": {"type": "array", "items": _STRING},
            "details": {
                "type": "object",
                "description": "The method's own aggregated figures (counts, totals, grade distributions, "
                "pairwise matrix …), keyed by option key. Never individual ballots.",
                "required": ["ballots"],
                "properties": {"ballots": _COUNT},
                "additionalProperties": True,
            },
        },
        "The aggregated count stored when the vote closed.",
    ),
    "Vote": _object(
        {
            "id": _ID,
            "council": _COUNCIL_SLUG,
            "workshop_id": _nullable(_ID),
            "question": _STRING,
            "description": _STRING,
            "language": _STRING,
            "method": _enum(METHODS),
            "electorate": _enum(Electorate),
            "is_secret": {"type": "boolean"},
            "majority": _nullable(_STRING),
            "quorum": _nullable({"type": "integer"}),
            "max_score": _nullable({"type": "integer"}),
            "points": _nullable({"type": "integer"}),
            "grades": {"type": ["array", "null"], "items": _STRING},
            "status": _enum((Status.OPEN, Status.CLOSED)),
            "opens_at": _nullable(_DATETIME),
            "closes_at": _nullable(_DATETIME),
            "opened_at": _nullable(_DATETIME),
            "closed_at": _nullable(_DATETIME),
            "created_at": _DATETIME,
            "options": {"type": "array", "items": _ref("VoteOption")},
            "result": {
                "anyOf": [_ref("VoteResult"), {"type": "null"}],
                "description": "Null until the vote is closed.",
            },
        },
        "An open or closed vote; drafts are not listed.",
    ),
    "FollowUp": _object(
        {
            "state": _enum(FollowUpState),
            "on": {
                "type": ["string", "null"],
                "format": "date",
                "description": "answered: the answer's date; due and overdue: the deadline.",
            },
            "days": {
                "type": ["integer", "null"],
                "description": "due: days left; overdue: days late.",
            },
        }
    ),
    "RecommendationAnswer": _object(
        {
            "status": _enum(AnswerStatus),
            "reason": _STRING,
            "expected_on": _nullable(_DATE),
            "updated_at": _DATETIME,
        }
    ),
    "Recommendation": _object(
        {
            "id": _ID,
            "position": {"type": "integer"},
            "text": _STRING,
            "source_proposal_ids": {"type": "array", "items": _ID},
            "answer": _nullable(_ref("RecommendationAnswer")),
        }
    ),
    "OpinionProposal": _object({"proposal_id": _ID, "position": {"type": "integer"}, "support_count": _COUNT}),
    "MunicipalAnswer": _object({"answered_on": _DATE, "summary": _STRING}),
    "Opinion": _object(
        {
            "id": _ID,
            "council": _COUNCIL_SLUG,
            "number": _nullable(_STRING),
            "version": {"type": "integer"},
            "previous_version_id": _nullable(_ID),
            "title": _STRING,
            "language": _STRING,
            "context": {"type": "string", "description": "Markdown."},
            "findings": {"type": "string", "description": "Markdown."},
            "dissent": {"type": "string", "description": "Markdown."},
            "recommendations_intro": {"type": "string", "description": "Markdown."},
            "workshop_id": _nullable(_ID),
            "workshop_ids": {
                "type": "array",
                "items": _ID,
                "description": "Every published workshop the opinion gathers, the first one it started from first.",
            },
            "consultation_ids": {
                "type": "array",
                "items": _ID,
                "description": "Every published online consultation the opinion gathers.",
            },
            "question_id": _nullable(_ID),
            "adoption_vote_id": _nullable(_ID),
            "adopted_at": _nullable(_DATETIME),
            "transmitted_on": _nullable(_DATE),
            "addressee": _STRING,
            "acknowledged_on": _nullable(_DATE),
            "response_months": {"type": "integer"},
            "response_due_on": _nullable(_DATE),
            "follow_up": _ref("FollowUp"),
            "proposals": {"type": "array", "items": _ref("OpinionProposal")},
            "recommendations": {"type": "array", "items": _ref("Recommendation")},
            "municipal_answer": _nullable(_ref("MunicipalAnswer")),
        },
        "An adopted opinion with the municipality's answers (drafts are never listed).",
    ),
    "Question": _object(
        {
            "id": _ID,
            "council": _COUNCIL_SLUG,
            "title": _STRING,
            "text": _STRING,
            "kind": _enum(KINDS),
            "referred_by": _STRING,
            "referred_on": _DATE,
            "answer_expected_on": _nullable(_DATE),
            "created_at": _DATETIME,
        },
        "A question referred to a council, or taken up by the council itself (kind: self).",
    ),
}

_PAGING = [
    {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "Opaque: the next_cursor of the previous page. Anything else is refused (400).",
        "schema": {"type": "string"},
    },
    {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "Items per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    },
]
_FILTER_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _filter(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


_COUNCIL_FILTER = _filter("council", {"type": "string"}, "A council's slug; an unknown slug is refused (400).")


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR_400 = _json(_ref("Error"), "A parameter is unknown or has a value the API cannot use.")
_ERROR_404 = _json(_ref("Error"), "Nothing public has this id.")


def _list_operation(name: str, item: str, filters: list[dict[str, Any]], summary: str) -> dict[str, Any]:
    page = _object(
        {
            "data": {"type": "array", "items": _ref(item)},
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Give it as `cursor` to get the next page; null on the last page.",
            },
        }
    )
    return {
        "get": {
            "operationId": f"list_{name}",
            "summary": summary,
            "tags": [name],
            "parameters": [*filters, *_PAGING],
            "responses": {"200": _json(page, "One page, in the order of ids."), "400": _ERROR_400},
        }
    }


def _detail_operation(name: str, item: str, parameter: dict[str, Any], summary: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": f"show_{name}",
            "summary": summary,
            "tags": [name],
            "parameters": [{"in": "path", "required": True, **parameter}],
            "responses": {"200": _json(_ref(item), summary), "404": _ERROR_404},
        }
    }


def _id_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}


def openapi_document() -> dict[str, Any]:
    paths = {
        "/api/v1/councils": _list_operation("councils", "Council", [], "Citizen councils"),
        "/api/v1/councils/{slug}": _detail_operation(
            "councils", "Council", {"name": "slug", "schema": {"type": "string", "minLength": 1}}, "One council"
        ),
        "/api/v1/workshops": _list_operation(
            "workshops",
            "Workshop",
            [
                _COUNCIL_FILTER,
                _filter("phase", _enum(PHASES), "Only workshops in this phase."),
                _filter("question", _FILTER_ID, "Only workshops on this question (an unknown id is refused)."),
            ],
            "Published workshops",
        ),
        "/api/v1/workshops/{workshop_id}": _detail_operation(
            "workshops", "Workshop", _id_parameter("workshop_id"), "One published workshop"
        ),
        "/api/v1/proposals": _list_operation(
            "proposals",
            "Proposal",
            [
                _filter("workshop", _FILTER_ID, "A published workshop's id (another id is refused)."),
                _filter("consultation", _FILTER_ID, "A published online consultation's id (another id is refused)."),
                _COUNCIL_FILTER,
                _filter("theme", _FILTER_ID, "A theme's id (an unknown id is refused)."),
                _filter("origin", _enum(ORIGINS), "Typed in online, or collected on paper in the room."),
                _filter("status", _enum(VISIBLE_STATUSES), "Only proposals with this status."),
            ],
            "Public proposals with their support counts",
        ),
        "/api/v1/proposals/{proposal_id}": _detail_operation(
            "proposals", "Proposal", _id_parameter("proposal_id"), "One public proposal"
        ),
        "/api/v1/votes": _list_operation(
            "votes",
            "Vote",
            [
                _COUNCIL_FILTER,
                _filter("workshop", _FILTER_ID, "A published workshop's id (another id is refused)."),
                _filter("status", _enum((Status.OPEN, Status.CLOSED)), "Only votes with this status."),
                _filter("method", _enum(METHODS), "Only votes counted with this method."),
            ],
            "Open and closed votes, with the aggregated result of closed ones",
        ),
        "/api/v1/votes/{vote_id}": _detail_operation("votes", "Vote", _id_parameter("vote_id"), "One vote"),
        "/api/v1/opinions": _list_operation(
            "opinions",
            "Opinion",
            [
                _COUNCIL_FILTER,
                _filter("follow_up", _enum(FollowUpState), "Only opinions in this follow-up state today."),
            ],
            "Adopted opinions with the municipality's answers",
        ),
        "/api/v1/opinions/{opinion_id}": _detail_operation(
            "opinions", "Opinion", _id_parameter("opinion_id"), "One adopted opinion"
        ),
        "/api/v1/questions": _list_operation(
            "questions",
            "Question",
            [_COUNCIL_FILTER, _filter("kind", _enum(KINDS), "referral (saisine) or self (auto-saisine).")],
            "Questions councils work on",
        ),
        "/api/v1/questions/{question_id}": _detail_operation(
            "questions", "Question", _id_parameter("question_id"), "One question"
        ),
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This description",
                "tags": ["meta"],
                "responses": {
                    "200": _json(
                        {"type": "object", "required": ["openapi", "info", "paths"]}, "The OpenAPI 3.1 document."
                    )
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "info": {
            "title": "Citizen councils open data",
            "version": "1.0.0",
            "description": (
                "Read-only open data of the citizen councils: what their public pages show, and nothing "
                "more. No personal data beyond the display names authors chose to show. Lists are "
                "paginated with opaque cursors (`next_cursor`) in the order of ids, so pages never shift."
            ),
            "license": {"name": "Licence Ouverte / Open Licence 2.0", "identifier": "etalab-2.0"},
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
