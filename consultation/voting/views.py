"""Vote pages: set a vote up, vote (in person or by proxy), type in paper ballots, read the results."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.accounts.models import User
from consultation.councils.services import council_by_slug, remember_page_council
from consultation.councils.zones import current_zone, zone_label
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import current_language
from consultation.opinions.models import Opinion
from consultation.permissions import can_manage_vote
from consultation.proposals.models import VISIBLE_STATUSES, Proposal
from consultation.voting import forms, labels, rules, schedule, services
from consultation.voting.export import ballots_csv
from consultation.voting.forms import ProxyForm, VoteForm, build_ballot_form
from consultation.voting.methods import InvalidBallot
from consultation.voting.models import Vote, VoteProxy
from consultation.voting.results import build_results
from consultation.voting.rules import Status
from consultation.voting.summaries import figure_text
from consultation.web import page_of, utcnow
from consultation.workshops.models import Workshop
from consultation.workshops.services import workshop_in_council

bp = Blueprint("votes", __name__, url_prefix="/councils/<slug>/votes")

ROLL_CALL_PER_PAGE = 200


@bp.app_context_processor
def _vote_words() -> dict[str, Any]:
    """Words for votes in every template (also the council and workshop pages that link to votes)."""
    return {
        "method_name": labels.method_name,
        "vote_status_label": lambda status: str(labels.STATUS_NAMES[Status(status)]),
        "electorate_label": lambda electorate: str(labels.ELECTORATE_NAMES[rules.Electorate(electorate)]),
        "channel_label": lambda channel: str(labels.CHANNEL_NAMES[rules.Channel(channel)]),
        "motion_outcome": lambda reason: str(labels.MOTION_OUTCOMES[reason]),
        "majority_label": lambda majority: str(labels.MAJORITY_NAMES[majority]),
        "vote_figure": figure_text,
    }


@bp.app_template_filter("option_label")
def _option_label(key: str, option_labels: dict[str, str]) -> str:
    return option_labels.get(key, key)


def _vote(slug: str, vote_id: int, *, for_ballot: bool = False):
    found = services.read_for_ballot(slug, vote_id) if for_ballot else None
    if found is not None:
        council = found.council
        remember_page_council(council)
    else:
        council = council_by_slug(slug)
        found = db.session.get(Vote, vote_id)
    if found is not None and found.council_id == council.id:
        schedule.apply_due(found, utcnow())  # its planned opening or closing may have come
    return council, services.vote_in_council(access.current_actor(), council, vote_id)


def _vote_url(vote: Vote, **kwargs) -> str:
    return url_for("votes.show", slug=vote.council.slug, vote_id=vote.id, **kwargs)


# ---------------------------------------------------------------------------------- set-up


def _local_zone() -> ZoneInfo:
    return current_zone()  # the council's zone (consultation.i18n.select_timezone)


def _to_utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=_local_zone()).astimezone(UTC) if value else None


def _to_local(value: datetime | None) -> datetime | None:
    return value.astimezone(_local_zone()).replace(tzinfo=None) if value else None


def _vote_form(council, workshop: Workshop | None, **kwargs) -> VoteForm:
    form = VoteForm(**kwargs)
    # The planned dates are typed in the council's zone: name it under both fields.
    form.opens_at.description = form.closes_at.description = zone_label(council.time_zone, get_locale())
    proposals = (
        list(
            db.session.scalars(
                db.select(Proposal)
                .where(Proposal.workshop_id == workshop.id, Proposal.status.in_(VISIBLE_STATUSES))
                .order_by(Proposal.id)
            )
        )
        if workshop
        else []
    )
    form.proposals.choices = forms.choices((p.id, p.title) for p in proposals)
    opinions = db.session.scalars(db.select(Opinion).where(Opinion.council_id == council.id).order_by(Opinion.id))
    form.opinion.choices = [SelectChoice("", _("No opinion"))] + [SelectChoice(str(o.id), o.title) for o in opinions]
    form.district.choices = [SelectChoice("", _("The whole council"))] + [
        SelectChoice(str(d.id), d.name) for d in council.districts
    ]
    return form


def _settings(form: VoteForm) -> services.VoteSettings:
    return services.VoteSettings(
        question=form.question.data,
        description=form.description.data or "",
        method=form.method.data,
        electorate=form.electorate.data,
        is_secret=form.is_secret.data,
        allows_change=form.allows_change.data,
        options=form.option_lines(),
        proposal_ids=list(form.proposals.data or []),
        max_score=form.max_score.data,
        points=form.points.data,
        grades=form.grade_lines(),
        majority=form.majority.data,
        quorum=form.quorum.data,
        electorate_size=form.electorate_size.data,
        max_proxies=form.max_proxies.data,
        opinion_id=form.opinion.data,
        opens_at=_to_utc(form.opens_at.data),
        closes_at=_to_utc(form.closes_at.data),
        district_id=form.district.data,
    )


def _settings_problem(form: VoteForm, call) -> Any:
    """Run a service; a rule it refuses becomes a message on the form (409 errors stay pages otherwise)."""
    try:
        return call()
    except Conflict as error:
        db.session.rollback()
        form.form_errors.append(str(error.message))
        return None


@bp.get("")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    workshop_id = request.args.get("workshop", type=int)
    workshop = workshop_in_council(actor, council, workshop_id) if workshop_id else None
    return render_template(
        "voting/index.html",
        council=council,
        workshop=workshop,
        votes=services.votes_of(actor, council, workshop_id=workshop.id if workshop else None),
        can_manage=can_manage_vote(actor, council.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    if not can_manage_vote(actor, council.id):
        raise NotAllowed()
    workshop_id = request.args.get("workshop", type=int)
    workshop = workshop_in_council(actor, council, workshop_id) if workshop_id else None
    form = _vote_form(council, workshop)
    if request.method == "GET" and workshop is not None:
        form.proposals.data = [int(c.value) for c in form.proposals.choices]
        form.electorate.data = rules.Electorate.WORKSHOP.value  # a vote prepared from a workshop is the room's
    if form.validate_on_submit():
        vote = _settings_problem(
            form,
            lambda: services.create_vote(
                current_user,
                council,
                _settings(form),
                workshop=workshop,
                language=current_language().code,
                now=utcnow(),
            ),
        )
        if vote is not None:
            db.session.commit()
            flash(_("The vote is prepared. Check it, then open it."), "success")
            return redirect(_vote_url(vote))
    status = 422 if request.method == "POST" else 200
    return render_template("voting/edit.html", council=council, workshop=workshop, form=form, vote=None), status


@bp.route("/<int:vote_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, vote_id: int):
    council, vote = _vote(slug, vote_id)
    if not can_manage_vote(access.current_actor(), council.id):
        raise NotAllowed()
    locked = services.is_locked(vote)
    if request.method == "GET":
        form = _vote_form(
            council,
            vote.workshop,
            obj=vote,
            options="\n".join(o.label for o in vote.options if o.proposal_id is None),
            grades="\n".join(vote.grades or []),
            opinion=vote.opinion_id,
            opens_at=_to_local(vote.opens_at),
            closes_at=_to_local(vote.closes_at),
        )
        form.proposals.data = [o.proposal_id for o in vote.options if o.proposal_id is not None]
        # WTForms reads `obj` before keyword values: show the stored UTC times in the council's zone.
        form.opens_at.data, form.closes_at.data = _to_local(vote.opens_at), _to_local(vote.closes_at)
        form.district.data = vote.district.id if vote.district else None
    else:
        form = _vote_form(council, vote.workshop)
    if request.method == "POST" and locked:
        raise Conflict(_("The vote's settings are locked: ballots have been cast."))
    if request.method == "POST" and form.validate_on_submit():
        updated = _settings_problem(
            form, lambda: services.update_vote(current_user, vote, _settings(form), language=current_language().code)
        )
        if updated is not None:
            db.session.commit()
            flash(_("The vote is saved."), "success")
            return redirect(_vote_url(vote))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "voting/edit.html", council=council, workshop=vote.workshop, form=form, vote=vote, locked=locked
    ), status


@bp.post("/<int:vote_id>/open")
@access.authenticated
def open_(slug: str, vote_id: int):
    _council, vote = _vote(slug, vote_id)
    services.open_vote(current_user, vote, now=utcnow())
    db.session.commit()
    flash(_("The vote is open."), "success")
    return redirect(_vote_url(vote))


@bp.post("/<int:vote_id>/close")
@access.authenticated
def close(slug: str, vote_id: int):
    _council, vote = _vote(slug, vote_id)
    services.close_vote(current_user, vote, now=utcnow())
    db.session.commit()
    flash(_("The vote is closed and its result is recorded."), "success")
    return redirect(url_for("votes.results", slug=slug, vote_id=vote.id))


# -------------------------------------------------------------------------------------- voting


def _presentation(vote: Vote) -> dict[str, Any]:
    grades = labels.grade_labels(vote.grades)
    return {
        "grades": grades,
        "option_labels": services.option_labels(vote),
        "explanation": labels.method_explanation(
            vote.method, max_score=vote.max_score, points=vote.points, grades=grades
        ),
    }


def _voter_choices(user: User, vote: Vote, proxies: list[VoteProxy]) -> list[tuple[int, str]]:
    """Whom this person can cast a ballot for now: themself, and the givers of the proxies they hold."""
    if vote.status != Status.OPEN or not current_user.is_authenticated:
        return []
    may_change = rules.may_change_ballot(is_secret=vote.is_secret, allows_change=vote.allows_change)
    voted = services.voters_among(vote, [user.id] + [p.giver_id for p in proxies if p.holder_id == user.id])
    choices = []
    gave = any(p.giver_id == user.id for p in proxies)
    if services.is_eligible(user.actor, vote) and not gave and (user.id not in voted or may_change):
        choices.append((user.id, _("Myself")))
    for proxy in proxies:
        if proxy.holder_id == user.id and (proxy.giver_id not in voted or may_change):
            choices.append((proxy.giver_id, _("%(name)s (by proxy)", name=proxy.giver.display_name)))
    return choices


def _ballot_form(vote: Vote, presentation: dict[str, Any], *, voters=None, data=None, paper=False):
    labels_by_key = presentation["option_labels"]
    return build_ballot_form(
        vote.method,
        [(k, labels_by_key[k]) for k in services.option_keys(vote)],
        grades=presentation["grades"],
        max_score=vote.max_score,
        points=vote.points,
        voters=voters,
        paper=paper,
        data=data,
    )


def _render_show(council, vote: Vote, *, ballot_form=None, ballot_error: str | None = None, status: int = 200):
    actor = access.current_actor()
    presentation = _presentation(vote)
    user = current_user if current_user.is_authenticated else None
    proxies = services.proxies_of(vote)
    voters = _voter_choices(user, vote, proxies) if user else []
    if ballot_form is None and voters:
        own = services.own_ballot(user.id, vote) if voters[0][0] == user.id else None
        ballot_form = _ballot_form(
            vote, presentation, voters=voters if len(voters) > 1 else None, data=forms.form_data_of(vote.method, own)
        )
    eligible = bool(user) and services.is_eligible(actor, vote)
    given = next((p for p in proxies if user and p.giver_id == user.id), None)
    proxy_form = None
    if vote.status == Status.DRAFT and eligible and given is None and vote.max_proxies > 0:
        proxy_form = ProxyForm()
        proxy_form.holder.choices = forms.choices(
            (u.id, u.display_name) for u in services.eligible_members(vote) if u.id != user.id
        )
    can_manage = can_manage_vote(actor, vote.council_id)
    return render_template(
        "voting/show.html",
        council=council,
        vote=vote,
        ballot_form=ballot_form,
        ballot_error=ballot_error,
        has_voted=bool(user) and services.has_voted(user.id, vote),
        is_eligible=eligible,
        proxy_form=proxy_form,
        given_proxy=given,
        held_proxies=[p for p in proxies if user and p.holder_id == user.id],
        proxies=proxies if can_manage else [],
        can_manage=can_manage,
        is_locked=services.is_locked(vote),
        can_see_results=rules.results_visible(vote.status, is_manager=can_manage),
        button_form=ButtonForm(),
        **presentation,
    ), status


@bp.get("/<int:vote_id>")
@access.public
def show(slug: str, vote_id: int):
    council, vote = _vote(slug, vote_id)
    return _render_show(council, vote)


@bp.post("/<int:vote_id>/ballot")
@access.authenticated
def cast(slug: str, vote_id: int):
    council, vote = _vote(slug, vote_id, for_ballot=True)
    presentation = _presentation(vote)
    proxies = services.proxies_of(vote)
    voters = _voter_choices(current_user, vote, proxies)
    form = _ballot_form(vote, presentation, voters=voters if len(voters) > 1 else None)
    if not voters:
        # Not open, not a voter, or already voted: the service says which, with the right status.
        services.check_can_cast(current_user, vote)
        raise Conflict(services.ALREADY_CAST)
    if not form.validate_on_submit():
        return _render_show(council, vote, ballot_form=form, status=422)
    voter_id = form.voter.data if len(voters) > 1 else voters[0][0]
    on_behalf_of = db.session.get(User, voter_id) if voter_id != current_user.id else None
    try:
        ballot = forms.ballot_from(form, vote.method, services.option_keys(vote))
        outcome = services.cast_ballot(
            current_user, vote, ballot, on_behalf_of=on_behalf_of, now=utcnow(), proxies=proxies
        )
    except InvalidBallot as error:
        db.session.rollback()
        message = labels.BALLOT_ERRORS.get(error.reason, labels.BALLOT_ERRORS["wrong_shape"])
        return _render_show(council, vote, ballot_form=form, ballot_error=str(message), status=422)
    # Read before the commit: after it, every object is expired and reading it again would begin a new
    # (on SQLite: writing) transaction only to build a message and a URL.
    done, behalf_name = _vote_url(vote), on_behalf_of.display_name if on_behalf_of is not None else None
    db.session.commit()
    if behalf_name is not None:
        flash(_("The ballot of %(name)s is recorded.", name=behalf_name), "success")
    elif outcome == "changed":
        flash(_("Your ballot is changed."), "success")
    else:
        flash(_("Your ballot is recorded. Thank you for voting."), "success")
    return redirect(done)


@bp.post("/<int:vote_id>/proxy")
@access.authenticated
def give_proxy(slug: str, vote_id: int):
    council, vote = _vote(slug, vote_id)
    holder_id = request.form.get("holder", type=int)
    holder = db.session.get(User, holder_id) if holder_id else None
    if holder is None:
        raise NotFound()
    proxy = services.give_proxy(current_user, vote, holder, now=utcnow())
    db.session.commit()
    flash(_("%(name)s holds your proxy for this vote.", name=proxy.holder.display_name), "success")
    return redirect(_vote_url(vote))


@bp.post("/<int:vote_id>/proxy/withdraw")
@access.authenticated
def withdraw_proxy(slug: str, vote_id: int):
    _council, vote = _vote(slug, vote_id)
    services.revoke_proxy(current_user, vote)
    db.session.commit()
    flash(_("Your proxy is withdrawn: you vote yourself."), "success")
    return redirect(_vote_url(vote))


# ------------------------------------------------------------------------------- paper ballots


@bp.route("/<int:vote_id>/paper", methods=["GET", "POST"])
@access.authenticated
def paper(slug: str, vote_id: int):
    council, vote = _vote(slug, vote_id)
    if not can_manage_vote(access.current_actor(), council.id):
        raise NotAllowed()
    presentation = _presentation(vote)
    keys = services.option_keys(vote)
    countable = vote.method in rules.COUNTABLE_METHODS
    labels_by_key = presentation["option_labels"]
    form = build_ballot_form(
        vote.method,
        [(k, labels_by_key[k]) for k in keys],
        grades=presentation["grades"],
        max_score=vote.max_score,
        points=vote.points,
        paper=True,
        counts=countable,
    )
    error = None
    if form.validate_on_submit():
        try:
            if countable:
                services.enter_paper_counts(
                    current_user,
                    vote,
                    channel=form.channel.data,
                    counts=forms.counts_from(form, keys),
                    ballots=form.ballots.data if vote.method == "approval" else None,
                    now=utcnow(),
                )
            else:
                ballot = forms.ballot_from(form, vote.method, keys)
                services.enter_paper_ballot(current_user, vote, ballot, channel=form.channel.data, now=utcnow())
        except InvalidBallot as problem:
            db.session.rollback()
            error = str(labels.BALLOT_ERRORS.get(problem.reason, labels.BALLOT_ERRORS["wrong_shape"]))
        except Conflict as problem:
            if vote.status != Status.OPEN:
                raise
            db.session.rollback()
            error = str(problem.message)
        else:
            db.session.commit()
            flash(_("The ballots are added to the count."), "success")
            return redirect(url_for("votes.paper", slug=slug, vote_id=vote.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "voting/paper.html",
        council=council,
        vote=vote,
        form=form,
        countable=countable,
        error=error,
        entries=services.paper_entries(vote),
        **presentation,
    ), status


# ------------------------------------------------------------------------------------- results


def _visible_results(slug: str, vote_id: int):
    council, vote = _vote(slug, vote_id)
    can_manage = can_manage_vote(access.current_actor(), council.id)
    if not rules.results_visible(vote.status, is_manager=can_manage):
        raise NotAllowed(_("The results are published when the vote closes."))
    return council, vote, can_manage


@bp.get("/<int:vote_id>/results")
@access.public
def results(slug: str, vote_id: int):
    council, vote, can_manage = _visible_results(slug, vote_id)
    presentation = _presentation(vote)
    result = services.current_result(vote)
    turnout = services.turnout(vote)
    # A vote of thousands of residents keeps a light page: the roll call comes a page of names at a time.
    page, pages = page_of(turnout.participations, ROLL_CALL_PER_PAGE, request.args.get("page", type=int))
    return render_template(
        "voting/results.html",
        council=council,
        vote=vote,
        result=result,
        view=build_results(vote.method, result, presentation["option_labels"], presentation["grades"]),
        turnout=turnout,
        roll_call=services.roll_call(vote, limit=ROLL_CALL_PER_PAGE, offset=(page - 1) * ROLL_CALL_PER_PAGE),
        page=page,
        pages=pages,
        entries=services.paper_entries(vote),
        can_manage=can_manage,
        **presentation,
    )


@bp.get("/<int:vote_id>/ballots.csv")
@access.public
def export(slug: str, vote_id: int):
    council, vote, _can_manage = _visible_results(slug, vote_id)
    presentation = _presentation(vote)
    text = ballots_csv(
        vote.method, services.option_keys(vote), presentation["option_labels"], services.all_ballots(vote)
    )
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="vote-{council.slug}-{vote.id}-ballots.csv"'},
    )
