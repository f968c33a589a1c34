"""Diagnostic pages: the list, one diagnostic with its challenges and workshops, proposing and moderating
challenges, the prioritisation vote, and the public dated ranking."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.diagnostic import labels, services
from consultation.diagnostic.forms import ChallengeForm, DiagnosticForm, LinkWorkshopForm, ModerateForm, PrioritiseForm
from consultation.diagnostic.rules import RANKING_METHODS, ChallengeStatus, Decision, Step
from consultation.errors import Conflict, NotAllowed
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import current_language
from consultation.permissions import can_manage_diagnostic, can_manage_vote
from consultation.text import render_markdown
from consultation.voting.labels import grade_labels, method_name
from consultation.web import utcnow

bp = Blueprint("diagnostic", __name__, url_prefix="/councils/<slug>/diagnostics")


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "render_markdown": render_markdown,
        "diagnostic_step_label": labels.step_label,
        "challenge_status_label": labels.challenge_status_label,
        "challenge_citation": labels.citation,
        "grade_label": lambda name: (grade_labels([name]) or [name])[0] if name else "",
    }


def _diagnostic(slug: str, diagnostic_id: int):
    council = council_by_slug(slug)
    return council, services.diagnostic_in_council(council, diagnostic_id)


def _to_show(slug: str, diagnostic_id: int, anchor: str | None = None):
    return redirect(url_for(".show", slug=slug, diagnostic_id=diagnostic_id, _anchor=anchor))


@bp.get("")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    return render_template(
        "diagnostic/index.html",
        council=council,
        diagnostics=services.diagnostics_of(council),
        can_manage=can_manage_diagnostic(access.current_actor(), council.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str):
    council = council_by_slug(slug)
    if not can_manage_diagnostic(access.current_actor(), council.id):
        raise NotAllowed()
    form = DiagnosticForm()
    if request.method == "POST":
        if form.validate_on_submit():
            data = services.DiagnosticInput(
                title=form.title.data,
                description=form.description.data or "",
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                language=current_language().code,
            )
            try:
                diagnostic = services.open_diagnostic(current_user, council, data, now=utcnow())
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The diagnostic is open: residents and actors can propose challenges."), "success")
                return _to_show(slug, diagnostic.id)
        return render_template("diagnostic/new.html", council=council, form=form), 422
    return render_template("diagnostic/new.html", council=council, form=form)


def _moderate_form(challenge, choices, data=None) -> ModerateForm:
    form = ModerateForm(prefix=f"c{challenge.id}", formdata=data)
    form.decision.choices = [(d.value, str(labels.DECISION_NAMES[d])) for d in Decision]
    form.target.choices = [("", _("No merge"))] + [
        (c.id, f"#{c.number} {c.title}") for c in choices if c.id != challenge.id
    ]
    return form


def _link_form(challenge, workshops, data=None) -> LinkWorkshopForm:
    form = LinkWorkshopForm(prefix=f"w{challenge.id}", formdata=data)
    form.workshop.choices = [("", _("Choose a workshop"))] + [(w.id, w.title) for w in workshops]
    return form


def _prioritise_form(data=None) -> PrioritiseForm:
    form = PrioritiseForm(formdata=data)
    form.method.choices = [(m, method_name(m)) for m in RANKING_METHODS]
    return form


def _render_show(council, diagnostic, *, failed: Any = None, status: int = 200):
    actor = access.current_actor()
    can_manage = can_manage_diagnostic(actor, council.id)
    challenges = services.challenges_of(actor, diagnostic)
    accepted = [c for c in challenges if c.status == ChallengeStatus.ACCEPTED]
    moderate_forms: dict[int, ModerateForm] = {}
    link_forms: dict[int, LinkWorkshopForm] = {}
    if can_manage and diagnostic.step == Step.COLLECTING:
        workshops = services.workshops_for_linking(diagnostic)
        for challenge in challenges:
            if challenge.status == ChallengeStatus.PROPOSED or challenge.status == ChallengeStatus.ACCEPTED:
                moderate_forms[challenge.id] = _moderate_form(challenge, accepted)
            if challenge.status == ChallengeStatus.ACCEPTED:
                link_forms[challenge.id] = _link_form(challenge, workshops)
    if failed is not None:
        kind, challenge_id, form = failed
        (moderate_forms if kind == "moderate" else link_forms)[challenge_id] = form
    by_workshop: dict[int, tuple[Any, list]] = {}
    for challenge in accepted:
        for workshop in challenge.workshops:
            if workshop.is_published or can_manage:
                by_workshop.setdefault(workshop.id, (workshop, []))[1].append(challenge)
    return render_template(
        "diagnostic/show.html",
        council=council,
        diagnostic=diagnostic,
        challenges=challenges,
        by_workshop=sorted(by_workshop.values(), key=lambda pair: pair[0].starts_at),
        ranking=services.ranking_of(diagnostic) if diagnostic.step == Step.RANKED else [],
        can_manage=can_manage,
        can_open_vote=can_manage_vote(actor, council.id),
        accepts=diagnostic.step == Step.COLLECTING,
        moderate_forms=moderate_forms,
        link_forms=link_forms,
        prioritise_form=(failed[2] if failed and failed[0] == "prioritise" else _prioritise_form()),
        button=ButtonForm(),
    ), status


@bp.get("/<int:diagnostic_id>")
@access.public
def show(slug: str, diagnostic_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    return _render_show(council, diagnostic)


@bp.route("/<int:diagnostic_id>/challenges/new", methods=["GET", "POST"])
@access.authenticated
def propose(slug: str, diagnostic_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    form = ChallengeForm()
    form.theme.choices = [("", _("No particular theme"))] + [(t.id, t.name) for t in council.themes]
    if request.method == "POST":
        if form.validate_on_submit():
            data = services.ChallengeInput(
                title=form.title.data,
                description=form.description.data,
                theme_id=form.theme.data,
                language=current_language().code,
            )
            try:
                challenge = services.propose_challenge(current_user, diagnostic, data, now=utcnow())
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                if challenge.status == ChallengeStatus.ACCEPTED:
                    flash(_("Your challenge is published."), "success")
                else:
                    flash(_("Thank you: your challenge will be published once a facilitator has read it."), "success")
                return _to_show(slug, diagnostic.id, anchor=f"challenge-{challenge.id}")
        return render_template("diagnostic/propose.html", council=council, diagnostic=diagnostic, form=form), 422
    return render_template("diagnostic/propose.html", council=council, diagnostic=diagnostic, form=form)


@bp.post("/<int:diagnostic_id>/challenges/<int:challenge_id>/moderate")
@access.authenticated
def moderate(slug: str, diagnostic_id: int, challenge_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    if not can_manage_diagnostic(access.current_actor(), council.id):
        raise NotAllowed()
    challenge = services.challenge_in_diagnostic(diagnostic, challenge_id)
    accepted = [c for c in services.challenges_of(access.current_actor(), diagnostic) if c.status == "accepted"]
    form = _moderate_form(challenge, accepted, data=request.form)
    if form.validate_on_submit():
        try:
            services.moderate_challenge(
                current_user,
                challenge,
                form.decision.data,
                reason=form.reason.data or "",
                target_id=form.target.data,
                now=utcnow(),
            )
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Decision saved."), "success")
            return _to_show(slug, diagnostic.id, anchor=f"challenge-{challenge.id}")
    return _render_show(council, diagnostic, failed=("moderate", challenge.id, form), status=422)


@bp.post("/<int:diagnostic_id>/challenges/<int:challenge_id>/workshops")
@access.authenticated
def link_workshop(slug: str, diagnostic_id: int, challenge_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    if not can_manage_diagnostic(access.current_actor(), council.id):
        raise NotAllowed()
    challenge = services.challenge_in_diagnostic(diagnostic, challenge_id)
    form = _link_form(challenge, services.workshops_for_linking(diagnostic), data=request.form)
    if form.validate_on_submit():
        try:
            services.link_workshop(current_user, challenge, form.workshop.data)
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The challenge will be discussed in this workshop."), "success")
            return _to_show(slug, diagnostic.id, anchor=f"challenge-{challenge.id}")
    return _render_show(council, diagnostic, failed=("link", challenge.id, form), status=422)


@bp.post("/<int:diagnostic_id>/challenges/<int:challenge_id>/workshops/<int:workshop_id>/remove")
@access.authenticated
def unlink_workshop(slug: str, diagnostic_id: int, challenge_id: int, workshop_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    if not can_manage_diagnostic(access.current_actor(), council.id):
        raise NotAllowed()
    challenge = services.challenge_in_diagnostic(diagnostic, challenge_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.unlink_workshop(current_user, challenge, workshop_id)
    db.session.commit()
    flash(_("The workshop link is removed."), "success")
    return _to_show(slug, diagnostic.id, anchor=f"challenge-{challenge.id}")


@bp.post("/<int:diagnostic_id>/prioritise")
@access.authenticated
def prioritise(slug: str, diagnostic_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    if not can_manage_diagnostic(access.current_actor(), council.id):
        raise NotAllowed()
    form = _prioritise_form(data=request.form)
    if form.validate_on_submit():
        try:
            vote = services.open_prioritisation(
                current_user, diagnostic, method=form.method.data, language=current_language().code, now=utcnow()
            )
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The prioritisation vote is open to the council's residents."), "success")
            return redirect(url_for("votes.show", slug=slug, vote_id=vote.id))
    return _render_show(council, diagnostic, failed=("prioritise", 0, form), status=422)


@bp.post("/<int:diagnostic_id>/ranking")
@access.authenticated
def publish_ranking(slug: str, diagnostic_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    if not can_manage_diagnostic(access.current_actor(), council.id):
        raise NotAllowed()
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.publish_ranking(current_user, diagnostic, now=utcnow())
    db.session.commit()
    flash(_("The ranking is published: it is dated and will not change."), "success")
    return redirect(url_for(".ranking", slug=slug, diagnostic_id=diagnostic.id))


@bp.get("/<int:diagnostic_id>/ranking")
@access.public
def ranking(slug: str, diagnostic_id: int):
    council, diagnostic = _diagnostic(slug, diagnostic_id)
    return render_template(
        "diagnostic/ranking.html", council=council, diagnostic=diagnostic, ranking=services.ranking_of(diagnostic)
    )
