"""Call for projects pages: the list, the terms (and their drafting workshop's proposals), applying, the
jury's pages, the results and the council's opinion on them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from consultation import access, uploads
from consultation.calls import labels, rules, services
from consultation.calls.forms import (
    CallForm,
    ConflictForm,
    JuryForm,
    application_form,
    results_form,
    score_form,
)
from consultation.calls.models import ApplicationAttachment, Call
from consultation.calls.rules import CallStatus, Scoring
from consultation.councils.services import council_by_slug
from consultation.diagnostic.labels import citation
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import current_language
from consultation.permissions import can_draft_opinion, can_manage_call
from consultation.text import render_markdown
from consultation.web import utcnow

bp = Blueprint("calls", __name__, url_prefix="/councils/<slug>/calls")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "render_markdown": render_markdown,
        "call_status_label": labels.call_status_label,
        "scoring_label": labels.scoring_label,
        "challenge_citation": citation,
        "call_result_text": _result_text,
    }


def _result_text(scoring: str, value) -> str:
    """The jury's aggregate as words: a weighted mean, or a majority grade."""
    if value is None or value == []:
        return _("Not scored")
    if scoring == Scoring.SCORE:
        return _("%(score)s / 10", score=format_decimal(value, format="#,##0.##"))
    grade = value[0] if isinstance(value, list | tuple) else value
    return _("Majority grade: %(grade)s", grade=labels.grade_names()[grade])


def _call(slug: str, call_id: int) -> tuple[Any, Call]:
    council = council_by_slug(slug)
    return council, services.call_in_council(access.current_actor(), council, call_id)


def _check_manager(council_id: int) -> None:
    if not can_manage_call(access.current_actor(), council_id):
        raise NotAllowed()


def _to_show(slug: str, call: Call, anchor: str | None = None):
    return redirect(url_for(".show", slug=slug, call_id=call.id, _anchor=anchor))


@bp.get("")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    return render_template(
        "calls/index.html",
        council=council,
        calls=services.calls_of(actor, council),
        can_manage=can_manage_call(actor, council.id),
    )


# ------------------------------------------------------------------------------------------ terms


def _call_form(council, call: Call | None = None, **kwargs) -> CallForm:
    if call is not None and request.method == "GET":
        kwargs["data"] = {
            "title": call.title,
            "description": call.description,
            "themes": call.themes,
            "eligibility": call.eligibility,
            "budget": call.budget,
            "opens_on": call.opens_on,
            "closes_on": call.closes_on,
            "scoring": call.scoring,
            "min_organisations": call.min_organisations,
            "workshop": call.workshop_id,
            "challenges": [r.id for r in call.challenges],
            "criteria": [{"name": c.name, "weight": c.weight, "description": c.description} for c in call.criteria],
        }
    form = CallForm(**kwargs)
    form.scoring.choices = [(s.value, labels.scoring_label(s)) for s in Scoring]
    form.workshop.choices = [("", _("No workshop"))] + [
        (w.id, w.title) for w in services.workshops_for_drafting(council)
    ]
    form.challenges.choices = [
        (r.id, citation(number=r.number, diagnostic_title=r.diagnostic.title, rank=r.rank, ranked_at=r.ranked_at))
        for r in services.citable_rankings(council)
    ]
    while len(form.criteria.entries) < form.criteria.min_entries:
        form.criteria.append_entry()
    return form


def _call_input(form: CallForm) -> services.CallInput:
    return services.CallInput(
        title=form.title.data or "",
        description=form.description.data or "",
        themes=form.themes.data or "",
        eligibility=form.eligibility.data or "",
        budget=form.budget.data,
        opens_on=form.opens_on.data,
        closes_on=form.closes_on.data,
        scoring=form.scoring.data,
        min_organisations=form.min_organisations.data,
        workshop_id=form.workshop.data,
        ranking_ids=tuple(form.challenges.data or ()),
        criteria=tuple(
            services.CriterionInput(
                name=entry.form.name.data or "",
                weight=entry.form.weight.data or 1,
                description=entry.form.description.data or "",
            )
            for entry in form.criteria.entries
        ),
        language=current_language().code,
    )


@bp.route("/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str):
    council = council_by_slug(slug)
    _check_manager(council.id)
    form = _call_form(council)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                call = services.create_call(current_user, council, _call_input(form), now=utcnow())
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The call is saved as a draft: discuss its terms, then publish them."), "success")
                return _to_show(slug, call)
        return render_template("calls/form.html", council=council, form=form, call=None), 422
    return render_template("calls/form.html", council=council, form=form, call=None)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    _check_manager(council.id)
    if call.status != CallStatus.DRAFTING:
        raise Conflict(_("The terms are published: they can no longer change."))
    form = _call_form(council, call)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.update_call(current_user, call, _call_input(form))
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The draft terms are saved."), "success")
                return _to_show(slug, call)
        return render_template("calls/form.html", council=council, form=form, call=call), 422
    return render_template("calls/form.html", council=council, form=form, call=call)


@bp.get("/<int:call_id>")
@access.public
def show(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    actor = access.current_actor()
    today = utcnow().date()
    return render_template(
        "calls/show.html",
        council=council,
        call=call,
        can_manage=can_manage_call(actor, council.id),
        is_jury=services.is_jury_member(actor.user_id, call),
        can_draft_opinion=can_draft_opinion(actor, council.id),
        accepts=rules.accepts_applications(call.status, today, call.opens_on, call.closes_on),
        has_closed=today > call.closes_on,
        proposals=services.draft_proposals(call, actor) if call.status == CallStatus.DRAFTING else [],
        own=services.own_applications(actor.user_id, call),
        button=ButtonForm(),
    )


@bp.post("/<int:call_id>/publish")
@access.authenticated
def publish(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    _check_manager(council.id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.publish_terms(current_user, call, now=utcnow())
    db.session.commit()
    flash(_("The terms are published and frozen: applicants can apply between the dates."), "success")
    return _to_show(slug, call)


# ------------------------------------------------------------------------------------------ applying


def _read_upload(form) -> uploads.Upload | None:
    file = form.attachment.data
    if not file:
        return None
    try:
        return uploads.read_upload(file.stream, limit=uploads.max_bytes())
    except Conflict as error:
        form.attachment.errors = [*form.attachment.errors, str(error.message)]
        return None


@bp.route("/<int:call_id>/apply", methods=["GET", "POST"])
@access.authenticated
def apply(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    now = utcnow()
    if not rules.accepts_applications(call.status, now.date(), call.opens_on, call.closes_on):
        raise Conflict(_("This call does not take applications now."))
    form = application_form(call.criteria)
    size = format_decimal(uploads.max_bytes() / (1024 * 1024), format="#,##0.#")
    form.attachment.description = _("A PNG, JPEG or WebP image, or a PDF document, of at most %(size)s MB.", size=size)
    if request.method == "POST":
        valid = form.validate_on_submit()
        upload = _read_upload(form) if valid else None
        if valid and not form.attachment.errors:
            data = services.ApplicationInput(
                title=form.title.data,
                summary=form.summary.data,
                budget_requested=form.budget_requested.data,
                answers={c.id: getattr(form, f"answer_{c.id}").data or "" for c in call.criteria},
                partners=tuple((form.partners.data or "").splitlines()),
                attachment_description=form.attachment_description.data or "",
                language=current_language().code,
            )
            try:
                application = services.submit_application(current_user, call, data, upload=upload, now=now)
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("Your application is submitted. The jury will read it after the call closes."), "success")
                return redirect(url_for(".application", slug=slug, call_id=call.id, application_id=application.id))
        return render_template("calls/apply.html", council=council, call=call, form=form), 422
    return render_template("calls/apply.html", council=council, call=call, form=form)


@bp.get("/<int:call_id>/applications")
@access.authenticated
def applications(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    if not services.can_read_applications(access.current_actor(), call):
        raise NotAllowed()
    listed = services.applications_of(call)
    jury = services.jury_of(call)
    return render_template(
        "calls/applications.html",
        council=council,
        call=call,
        standings=services.standings(call, listed, jury),
        jury=jury,
        can_manage=can_manage_call(access.current_actor(), council.id),
    )


def _application(slug: str, call_id: int, application_id: int):
    council, call = _call(slug, call_id)
    return council, call, services.application_in_call(access.current_actor(), call, application_id)


def _render_application(council, call, application, *, mark_form=None, conflict_form=None, status: int = 200):
    actor = access.current_actor()
    is_jury = services.is_jury_member(actor.user_id, call)
    conflict = services.conflict_of(actor.user_id, application) if is_jury else None
    may_score = (
        is_jury
        and conflict is None
        and call.status == CallStatus.PUBLISHED
        and application.applicant_id != actor.user_id
    )
    if may_score and mark_form is None:
        grades = labels.grade_names() if call.scoring == Scoring.GRADES else None
        mark_form = score_form(call.criteria, grades, services.marks_of(actor.user_id, application))
    if is_jury and conflict is None and conflict_form is None and call.status == CallStatus.PUBLISHED:
        conflict_form = ConflictForm()
    return render_template(
        "calls/application.html",
        council=council,
        call=call,
        application=application,
        criteria=call.criteria,
        conflict=conflict,
        mark_form=mark_form if may_score else None,
        conflict_form=conflict_form if is_jury and conflict is None else None,
    ), status


@bp.get("/<int:call_id>/applications/<int:application_id>")
@access.authenticated
def application(slug: str, call_id: int, application_id: int):
    return _render_application(*_application(slug, call_id, application_id))


@bp.get("/<int:call_id>/applications/<int:application_id>/files/<int:attachment_id>")
@access.authenticated
def attachment(slug: str, call_id: int, application_id: int, attachment_id: int):
    _council, _call_, application = _application(slug, call_id, application_id)
    stored = db.session.get(ApplicationAttachment, attachment_id)
    if stored is None or stored.application_id != application.id:
        raise NotFound()
    try:
        path = uploads.path_of(stored.stored_name)
    except ValueError:
        raise NotFound() from None
    if not path.is_file():
        raise NotFound()
    response = Response(path.read_bytes(), mimetype=stored.content_type)
    disposition = "inline" if stored.is_image else "attachment"
    filename = f"application-{application.id}-{stored.id}.{stored.extension}"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:call_id>/applications/<int:application_id>/score")
@access.authenticated
def score(slug: str, call_id: int, application_id: int):
    council, call, application = _application(slug, call_id, application_id)
    if not services.is_jury_member(current_user.id, call):
        raise NotAllowed()
    grades = labels.grade_names() if call.scoring == Scoring.GRADES else None
    form = score_form(call.criteria, grades, {})
    if form.validate_on_submit():
        marks = {c.id: getattr(form, f"mark_{c.id}").data for c in call.criteria}
        marks = {k: v for k, v in marks.items() if v is not None}
        services.score_application(current_user, application, marks, now=utcnow())
        db.session.commit()
        flash(_("Your marks are saved."), "success")
        return redirect(url_for(".application", slug=slug, call_id=call.id, application_id=application.id))
    return _render_application(council, call, application, mark_form=form, status=422)


@bp.post("/<int:call_id>/applications/<int:application_id>/conflict")
@access.authenticated
def declare_conflict(slug: str, call_id: int, application_id: int):
    council, call, application = _application(slug, call_id, application_id)
    form = ConflictForm()
    if form.validate_on_submit():
        services.declare_conflict(current_user, application, reason=form.reason.data or "", now=utcnow())
        db.session.commit()
        flash(_("Your conflict of interest is recorded: you do not score this application."), "success")
        return redirect(url_for(".application", slug=slug, call_id=call.id, application_id=application.id))
    return _render_application(council, call, application, conflict_form=form, status=422)


# ------------------------------------------------------------------------------------------ jury


def _jury_form(call: Call, **kwargs) -> JuryForm:
    form = JuryForm(**kwargs)
    form.member.choices = [("", _("Choose a council member"))] + [
        (u.id, u.display_name) for u in services.jury_candidates(call)
    ]
    return form


@bp.route("/<int:call_id>/jury", methods=["GET", "POST"])
@access.authenticated
def jury(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    _check_manager(council.id)
    form = _jury_form(call)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                services.name_jury_member(current_user, call, form.member.data, now=utcnow())
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The member is on the jury."), "success")
                return redirect(url_for(".jury", slug=slug, call_id=call.id))
        status = 422
    return render_template(
        "calls/jury.html", council=council, call=call, form=form, jury=services.jury_of(call), button=ButtonForm()
    ), status


@bp.post("/<int:call_id>/jury/<int:user_id>/remove")
@access.authenticated
def remove_jury_member(slug: str, call_id: int, user_id: int):
    council, call = _call(slug, call_id)
    _check_manager(council.id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.remove_jury_member(current_user, call, user_id)
    db.session.commit()
    flash(_("The member is no longer on the jury."), "success")
    return redirect(url_for(".jury", slug=slug, call_id=call.id))


# ------------------------------------------------------------------------------------------ results


@bp.route("/<int:call_id>/results/edit", methods=["GET", "POST"])
@access.authenticated
def decide(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    _check_manager(council.id)
    if call.status != CallStatus.PUBLISHED:
        raise Conflict(_("Publish the terms first; published results never change."))
    listed = services.applications_of(call)
    standings = services.standings(call, listed, services.jury_of(call))
    form = results_form(listed)
    if request.method == "POST":
        if form.validate_on_submit():
            decisions = [
                rules.Decision(
                    application_id=a.id,
                    is_selected=bool(getattr(form, f"selected_{a.id}").data),
                    amount=getattr(form, f"amount_{a.id}").data or 0,
                    requested=a.budget_requested,
                    reasons=getattr(form, f"reasons_{a.id}").data or "",
                )
                for a in listed
            ]
            try:
                services.publish_results(current_user, call, decisions, now=utcnow())
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The results are published with the jury's reasons."), "success")
                return redirect(url_for(".results", slug=slug, call_id=call.id))
        return render_template("calls/decide.html", council=council, call=call, form=form, standings=standings), 422
    return render_template("calls/decide.html", council=council, call=call, form=form, standings=standings)


@bp.get("/<int:call_id>/results")
@access.public
def results(slug: str, call_id: int):
    council, call = _call(slug, call_id)
    if call.status != CallStatus.RESULTS:
        raise NotFound()
    actor = access.current_actor()
    return render_template(
        "calls/results.html",
        council=council,
        call=call,
        applications=services.published_results(call),
        can_draft_opinion=can_draft_opinion(actor, council.id),
        button=ButtonForm(),
    )


@bp.post("/<int:call_id>/opinion")
@access.authenticated
def draft_opinion(slug: str, call_id: int):
    _council, call = _call(slug, call_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    opinion = services.draft_opinion(current_user, call, now=utcnow())
    db.session.commit()
    flash(_("A draft opinion on the results is ready: write the council's recommendations."), "success")
    return redirect(url_for("opinions.edit", slug=slug, opinion_id=opinion.id))
