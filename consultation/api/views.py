"""The read-only open data API: what the public pages show, as JSON, with cursors and filters."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from flask import Blueprint, jsonify, request
from sqlalchemy import Select

from consultation import access
from consultation.api import schemas, services
from consultation.api.pagination import MAX_ID, InvalidParameter, parse_id, parse_limit
from consultation.councils.models import Council
from consultation.extensions import db
from consultation.opinions import rules as opinion_rules
from consultation.opinions.models import Opinion
from consultation.proposals.models import ORIGINS, VISIBLE_STATUSES, Proposal
from consultation.referrals.models import KINDS, Question
from consultation.voting.methods import METHODS, MOTION_OPTIONS
from consultation.voting.models import Vote
from consultation.voting.rules import Status
from consultation.web import utcnow
from consultation.workshops.models import Workshop
from consultation.workshops.phases import ORDER as PHASES

bp = Blueprint("api", __name__, url_prefix="/api/v1")

FOLLOW_UP_STATES = tuple(state.value for state in opinion_rules.FollowUpState)


class NotFoundError(Exception):
    """Nothing public answers to this id (it may exist as a draft: the API does not say)."""


@bp.errorhandler(InvalidParameter)
def invalid_parameter(error: InvalidParameter):
    return jsonify(error=str(error), status=400), 400


@bp.errorhandler(NotFoundError)
def not_found(error: NotFoundError):
    return jsonify(error=str(error), status=404), 404


@bp.after_request
def open_data_headers(response):
    # Open data read without cookies or credentials: any site may fetch it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    if response.status_code == 200:
        response.headers.setdefault("Cache-Control", "public, max-age=60")
    return response


# ------------------------------------------------------------------------------------------ helpers


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _check_parameters(allowed: Iterable[str]) -> None:
    known = {"cursor", "limit", *allowed}
    for name in request.args:
        if name not in known:
            raise InvalidParameter(f"{name}: unknown parameter; known ones are {', '.join(sorted(known))}")
        if len(request.args.getlist(name)) > 1:
            raise InvalidParameter(f"{name}: give this parameter once")


def _choice(name: str, choices: Iterable[str]) -> str | None:
    value = request.args.get(name)
    if value is None:
        return None
    choices = tuple(str(choice) for choice in choices)
    if value not in choices:
        raise InvalidParameter(f"{name}: one of {', '.join(choices)}")
    return value


def _id_filter(name: str) -> int | None:
    value = request.args.get(name)
    return None if value is None else parse_id(name, value)


def _list(kind: str, query: Select, id_column, serialize: Callable[[Any], dict], *, tuples: bool = False):
    found = services.page(
        kind,
        query,
        id_column,
        limit=parse_limit(request.args.get("limit")),
        cursor=request.args.get("cursor"),
        tuples=tuples,
    )
    return jsonify(data=[serialize(row) for row in found.rows], next_cursor=found.next_cursor)


def _one(query: Select, *, tuples: bool = False):
    found = db.session.execute(query).one_or_none() if tuples else db.session.scalars(query).one_or_none()
    if found is None:
        raise NotFoundError("nothing public has this id")
    return found


def _detail_id(value: int) -> int:
    if not 0 < value <= MAX_ID:
        raise NotFoundError("nothing public has this id")
    return value


# --------------------------------------------------------------------------------------- councils


def council_json(council: Council) -> dict[str, Any]:
    return {
        "id": council.id,
        "slug": council.slug,
        "name": council.name,
        "territory": council.territory,
        "description": council.description,
        "default_locale": council.default_locale,
        "response_months": council.response_months,
        "themes": [{"id": theme.id, "name": theme.name} for theme in council.themes],
        "created_at": _iso(council.created_at),
    }


@bp.get("/councils")
@access.public
def councils_index():
    _check_parameters(())
    return _list("councils", services.councils(), Council.id, council_json)


@bp.get("/councils/<slug>")
@access.public
def councils_show(slug: str):
    if services.council_id_by_slug(slug) is None:
        raise NotFoundError("no council has this slug")
    return jsonify(council_json(_one(services.councils().where(Council.slug == slug))))


# -------------------------------------------------------------------------------------- workshops


def workshop_json(workshop: Workshop) -> dict[str, Any]:
    return {
        "id": workshop.id,
        "council": workshop.council.slug,
        "question_id": workshop.question_id,
        "title": workshop.title,
        "description": workshop.description,
        "language": workshop.language,
        "languages_spoken": workshop.languages_spoken,
        "location": workshop.location,
        "online_url": workshop.online_url or None,
        "starts_at": _iso(workshop.starts_at),
        "ends_at": _iso(workshop.ends_at),
        "capacity": workshop.capacity,
        "phase": workshop.phase,
        "agenda": [
            {"position": item.position, "title": item.title, "duration_minutes": item.duration_minutes}
            for item in workshop.agenda
        ],
        "created_at": _iso(workshop.created_at),
    }


@bp.get("/workshops")
@access.public
def workshops_index():
    _check_parameters(("council", "phase", "question"))
    query = services.workshops(
        council=request.args.get("council"),
        phase=_choice("phase", PHASES),
        question_id=_id_filter("question"),
    )
    return _list("workshops", query, Workshop.id, workshop_json)


@bp.get("/workshops/<int:workshop_id>")
@access.public
def workshops_show(workshop_id: int):
    return jsonify(workshop_json(_one(services.workshops().where(Workshop.id == _detail_id(workshop_id)))))


# -------------------------------------------------------------------------------------- proposals


def proposal_json(row) -> dict[str, Any]:
    online, paper = int(row.online or 0), int(row.paper or 0)
    return {
        "id": row.id,
        "workshop_id": row.workshop_id,
        "consultation_id": row.consultation_id,
        "council": row.council,
        "theme": {"id": row.theme_id, "name": row.theme_name} if row.theme_id is not None else None,
        "title": row.title,
        "body": row.body,
        "language": row.language,
        "status": row.status,
        "origin": row.origin,
        "author_name": row.author_name or None,
        "supports": {"online": online, "paper": paper, "total": online + paper},
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


@bp.get("/proposals")
@access.public
def proposals_index():
    _check_parameters(("workshop", "consultation", "council", "theme", "origin", "status"))
    query = services.proposals(
        workshop_id=_id_filter("workshop"),
        consultation_id=_id_filter("consultation"),
        council=request.args.get("council"),
        theme_id=_id_filter("theme"),
        origin=_choice("origin", ORIGINS),
        status=_choice("status", VISIBLE_STATUSES),
    )
    return _list("proposals", query, Proposal.id, proposal_json, tuples=True)


@bp.get("/proposals/<int:proposal_id>")
@access.public
def proposals_show(proposal_id: int):
    query = services.proposals().where(Proposal.id == _detail_id(proposal_id))
    return jsonify(proposal_json(_one(query, tuples=True)))


# ------------------------------------------------------------------------------------------ votes


def _vote_options(vote: Vote) -> list[dict[str, Any]]:
    if vote.is_motion:
        return [{"key": key, "label": key, "language": None, "proposal_id": None} for key in MOTION_OPTIONS]
    return [
        {"key": option.key, "label": option.label, "language": option.language, "proposal_id": option.proposal_id}
        for option in vote.options
    ]


def _vote_result(vote: Vote) -> dict[str, Any] | None:
    """Only the stored, aggregated count of a closed vote: never a ballot, never who voted what."""
    if vote.status != Status.CLOSED.value or not vote.result:
        return None
    result = vote.result
    details = result.get("details") or {}
    return {
        "ballots": int(result.get("ballots", 0)),
        "quorum_reached": bool(result.get("quorum_reached", True)),
        "electorate": result.get("electorate"),
        "ranking": [[str(key) for key in tier] for tier in result.get("ranking", [])],
        "winners": [str(key) for key in result.get("winners", [])],
        "details": {"ballots": int(details.get("ballots", result.get("ballots", 0))), **details},
    }


def vote_json(vote: Vote) -> dict[str, Any]:
    return {
        "id": vote.id,
        "council": vote.council.slug,
        "workshop_id": vote.workshop_id,
        "question": vote.question,
        "description": vote.description,
        "language": vote.language,
        "method": vote.method,
        "electorate": vote.electorate,
        "is_secret": vote.is_secret,
        "majority": vote.majority,
        "quorum": vote.quorum,
        "max_score": vote.max_score,
        "points": vote.points,
        "grades": list(vote.grades) if vote.grades is not None else None,
        "status": vote.status,
        "opens_at": _iso(vote.opens_at),
        "closes_at": _iso(vote.closes_at),
        "opened_at": _iso(vote.opened_at),
        "closed_at": _iso(vote.closed_at),
        "created_at": _iso(vote.created_at),
        "options": _vote_options(vote),
        "result": _vote_result(vote),
    }


@bp.get("/votes")
@access.public
def votes_index():
    _check_parameters(("council", "workshop", "status", "method"))
    query = services.votes(
        council=request.args.get("council"),
        workshop_id=_id_filter("workshop"),
        status=_choice("status", services.PUBLIC_VOTE_STATUSES),
        method=_choice("method", METHODS),
    )
    return _list("votes", query, Vote.id, vote_json)


@bp.get("/votes/<int:vote_id>")
@access.public
def votes_show(vote_id: int):
    return jsonify(vote_json(_one(services.votes().where(Vote.id == _detail_id(vote_id)))))


# --------------------------------------------------------------------------------------- opinions


def opinion_json(opinion: Opinion, today: date) -> dict[str, Any]:
    follow_up = opinion_rules.follow_up(
        transmitted_on=opinion.transmitted_on,
        answered_on=opinion.answer.answered_on if opinion.answer else None,
        today=today,
        months=opinion.response_months,
    )
    due_on = (
        opinion_rules.response_due_on(opinion.transmitted_on, opinion.response_months)
        if opinion.transmitted_on
        else None
    )
    workshop = opinion.workshop
    return {
        "id": opinion.id,
        "council": opinion.council.slug,
        "number": opinion.number,
        "version": opinion.version,
        "previous_version_id": opinion.previous_version_id,
        "title": opinion.title,
        "language": opinion.language,
        "context": opinion.context,
        "findings": opinion.findings,
        "dissent": opinion.dissent,
        "recommendations_intro": opinion.recommendations,
        "workshop_id": workshop.id if workshop is not None and workshop.is_published else None,
        "workshop_ids": [w.id for w in opinion.workshops if w.is_published],
        "consultation_ids": [c.id for c in opinion.consultations if c.is_published],
        "question_id": opinion.question_id,
        "adoption_vote_id": opinion.adoption_vote_id,
        "adopted_at": _iso(opinion.adopted_at),
        "transmitted_on": _iso(opinion.transmitted_on),
        "addressee": opinion.addressee,
        "acknowledged_on": _iso(opinion.acknowledged_on),
        "response_months": opinion.response_months,
        "response_due_on": _iso(due_on),
        "follow_up": {"state": follow_up.state.value, "on": _iso(follow_up.on), "days": follow_up.days},
        "proposals": [
            {"proposal_id": item.proposal_id, "position": item.position, "support_count": item.support_count}
            for item in opinion.items
        ],
        "recommendations": [
            {
                "id": recommendation.id,
                "position": recommendation.position,
                "text": recommendation.text,
                "source_proposal_ids": [source.id for source in recommendation.sources],
                "answer": (
                    {
                        "status": recommendation.answer.status,
                        "reason": recommendation.answer.reason,
                        "expected_on": _iso(recommendation.answer.expected_on),
                        "updated_at": _iso(recommendation.answer.updated_at),
                    }
                    if recommendation.answer
                    else None
                ),
            }
            for recommendation in opinion.recommendation_list
        ],
        "municipal_answer": (
            {"answered_on": _iso(opinion.answer.answered_on), "summary": opinion.answer.summary}
            if opinion.answer
            else None
        ),
    }


@bp.get("/opinions")
@access.public
def opinions_index():
    _check_parameters(("council", "follow_up"))
    today = utcnow().date()
    query = services.opinions(
        council=request.args.get("council"), follow_up=_choice("follow_up", FOLLOW_UP_STATES), today=today
    )
    return _list("opinions", query, Opinion.id, lambda opinion: opinion_json(opinion, today))


@bp.get("/opinions/<int:opinion_id>")
@access.public
def opinions_show(opinion_id: int):
    today = utcnow().date()
    opinion = _one(services.opinions(today=today).where(Opinion.id == _detail_id(opinion_id)))
    return jsonify(opinion_json(opinion, today))


# -------------------------------------------------------------------------------------- questions


def question_json(question: Question) -> dict[str, Any]:
    return {
        "id": question.id,
        "council": question.council.slug,
        "title": question.title,
        "text": question.text,
        "kind": question.kind,
        "referred_by": question.referred_by,
        "referred_on": _iso(question.referred_on),
        "answer_expected_on": _iso(question.answer_expected_on),
        "created_at": _iso(question.created_at),
    }


@bp.get("/questions")
@access.public
def questions_index():
    _check_parameters(("council", "kind"))
    query = services.questions(council=request.args.get("council"), kind=_choice("kind", KINDS))
    return _list("questions", query, Question.id, question_json)


@bp.get("/questions/<int:question_id>")
@access.public
def questions_show(question_id: int):
    return jsonify(question_json(_one(services.questions().where(Question.id == _detail_id(question_id)))))


# ------------------------------------------------------------------------------------- description


@bp.get("/openapi.json")
@access.public
def openapi():
    return jsonify(schemas.openapi_document())
