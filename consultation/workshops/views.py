"""A council's workshops: the agenda list and calendar, a workshop's public page, preparing it
(details and agenda), registering for it, and the facilitator's phase control."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.councils.zones import zone_label
from consultation.errors import Conflict, NotAllowed
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import LANGUAGES, current_language
from consultation.multilingual import services as texts
from consultation.multilingual.services import reader_language
from consultation.permissions import Actor, can_draft_opinion, can_manage_workshop, can_take_part
from consultation.proposals.forms import ProposalForm
from consultation.proposals.services import count_proposals, own_rejected, ranked_proposals
from consultation.referrals.services import questions_of
from consultation.web import page_of, utcnow
from consultation.workshops import calendar, export, minutes, phases, services
from consultation.workshops.forms import AgendaItemForm, WorkshopForm, to_local, to_utc
from consultation.workshops.labels import phase_label
from consultation.workshops.phases import Phase

PROPOSALS_PER_PAGE = 50  # a workshop of thousands of proposals stays a light page

bp = Blueprint("workshops", __name__, url_prefix="/councils/<slug>/workshops")


def proposal_form_for(council, **kwargs) -> ProposalForm:
    form = ProposalForm(**kwargs)
    form.theme.choices = [SelectChoice("", _("No particular theme"))] + [
        SelectChoice(str(t.id), t.name) for t in council.themes
    ]
    return form


@bp.get("/")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    return render_template(
        "workshops/index.html",
        council=council,
        workshops=services.workshops_of(actor, council),
        can_manage=can_manage_workshop(actor, council.id),
    )


@bp.get("/agenda.ics")
@access.public
def council_calendar(slug: str):
    council = council_by_slug(slug)
    entries = [
        (w, url_for("workshops.show", slug=slug, workshop_id=w.id, _external=True))
        for w in services.published_workshops_of(council)
    ]
    body = calendar.council_calendar(council, entries, host=request.host.split(":")[0], now=utcnow())
    return _ics_response(body, f"{council.slug}.ics")


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/<int:workshop_id>")
@access.public
def show(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    workshop = services.workshop_in_council(actor, council, workshop_id)
    phase = workshop.phase_enum
    registration = services.registration_of(workshop, actor.user_id)
    total = count_proposals(workshop)
    page, pages = page_of(total, PROPOSALS_PER_PAGE, request.args.get("page", type=int))
    proposals = ranked_proposals(workshop, actor, limit=PROPOSALS_PER_PAGE, offset=(page - 1) * PROPOSALS_PER_PAGE)
    return render_template(
        "workshops/show.html",
        council=council,
        workshop=workshop,
        proposals=proposals,
        proposal_total=total,
        page=page,
        pages=pages,
        first_rank=(page - 1) * PROPOSALS_PER_PAGE + 1,
        localized=texts.localized(reader_language(), proposal=[r.proposal for r in proposals], workshop=[workshop]),
        rejected=own_rejected(workshop, actor, None),
        form=proposal_form_for(council) if phases.accepts_proposals(phase) else None,
        button_form=ButtonForm(),
        can_submit=phases.accepts_proposals(phase) and can_take_part(actor),
        can_support=phases.accepts_supports(phase) and can_take_part(actor),
        can_manage=can_manage_workshop(actor, council.id),
        can_draft_opinion=can_draft_opinion(actor, council.id) and phases.proposal_phase_closed(phase),
        next_phase=phases.next_phase(phase),
        later_phases=[p for p in phases.ORDER if phases.can_move(phase, p)],
        seats=services.seats(workshop),
        has_minutes=minutes.published_minutes(workshop) is not None,
        registration=registration,
        waiting_position=services.waiting_position(registration)
        if registration is not None and registration.status == "waiting"
        else None,
    )


@bp.get("/<int:workshop_id>/proposals.<any(csv, json):extension>")
@access.public
def proposals_download(slug: str, workshop_id: int, extension: str):
    """The proposals as the public page lists them, for spreadsheets and open-data tools."""
    council = council_by_slug(slug)
    actor = access.current_actor()
    workshop = services.workshop_in_council(actor, council, workshop_id)
    ranked = ranked_proposals(workshop, Actor.anonymous())
    if extension == "csv":
        body, mimetype = export.proposals_csv(ranked), "text/csv"
    else:
        body, mimetype = export.proposals_json(workshop, ranked), "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="proposals-{council.slug}-{workshop.id}.{extension}"'
    )
    return response


@bp.get("/<int:workshop_id>.ics")
@access.public
def workshop_calendar(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.workshop_in_council(access.current_actor(), council, workshop_id)
    body = calendar.workshop_calendar(
        workshop,
        url=url_for("workshops.show", slug=slug, workshop_id=workshop.id, _external=True),
        host=request.host.split(":")[0],
        now=utcnow(),
    )
    return _ics_response(body, f"workshop-{workshop.id}.ics")


# ---------------------------------------------------------------- preparing


def _workshop_form(council, **kwargs) -> WorkshopForm:
    form = WorkshopForm(**kwargs)
    # Times are typed in the council's zone: name it under each time field (a visitor may be elsewhere).
    form.starts_at.description = form.ends_at.description = zone_label(council.time_zone, get_locale())
    workshop = kwargs.get("obj")
    if workshop is not None:  # a stored workshop shown in the form (never when the form was posted)
        # WTForms reads `obj` before `data`: the stored UTC times must be shown in the council's zone.
        form.starts_at.data = to_local(workshop.starts_at)
        form.ends_at.data = to_local(workshop.ends_at)
    form.question.choices = [SelectChoice("", _("No question yet"))] + [
        SelectChoice(str(q.id), q.title) for q in questions_of(council)
    ]
    return form


def _details(form: WorkshopForm) -> services.WorkshopDetails:
    return services.WorkshopDetails(
        title=form.title.data,
        description=form.description.data or "",
        location=form.location.data or "",
        online_url=form.online_url.data or "",
        starts_at=to_utc(form.starts_at.data),
        ends_at=to_utc(form.ends_at.data),
        capacity=form.capacity.data,
        languages_spoken=form.languages_spoken.data or "",
        language=current_language().code if current_language().code in LANGUAGES else "fr",
        question_id=form.question.data,
        is_published=bool(form.is_published.data),
    )


def _check_can_prepare(council) -> None:
    if not can_manage_workshop(access.current_actor(), council.id):
        raise NotAllowed(_("Only the facilitators of this council can prepare its workshops."))


@bp.route("/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str):
    council = council_by_slug(slug)
    _check_can_prepare(council)
    form = _workshop_form(council)
    if form.validate_on_submit():
        try:
            workshop = services.create_workshop(current_user, council, _details(form), now=utcnow())
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The workshop is created. Add its agenda now."), "success")
            return redirect(url_for("workshops.edit", slug=slug, workshop_id=workshop.id))
    status = 422 if request.method == "POST" else 200
    return render_template("workshops/edit.html", council=council, workshop=None, form=form), status


@bp.route("/<int:workshop_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.managed_workshop(access.current_actor(), council, workshop_id)
    if request.method == "GET":
        form = _workshop_form(
            council,
            obj=workshop,
            data={"question": workshop.question_id},
        )
    else:
        form = _workshop_form(council)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_workshop(current_user, workshop, _details(form), now=utcnow())
        except Conflict as error:
            db.session.rollback()
            workshop = services.managed_workshop(access.current_actor(), council, workshop_id)
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The workshop is saved."), "success")
            return redirect(url_for("workshops.edit", slug=slug, workshop_id=workshop.id))
    if request.method == "POST":
        status = 422
    return _render_edit(council, workshop, form, AgendaItemForm(formdata=None), status)


def _render_edit(council, workshop, form, agenda_form, status):
    return (
        render_template(
            "workshops/edit.html",
            council=council,
            workshop=workshop,
            form=form,
            agenda_form=agenda_form,
            button_form=ButtonForm(),
        ),
        status,
    )


@bp.post("/<int:workshop_id>/agenda")
@access.authenticated
def add_agenda_item(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.managed_workshop(access.current_actor(), council, workshop_id)
    agenda_form = AgendaItemForm()
    if agenda_form.validate_on_submit():
        services.add_agenda_item(
            current_user,
            workshop,
            title=agenda_form.item_title.data,
            duration_minutes=agenda_form.duration.data,
            now=utcnow(),
        )
        db.session.commit()
        flash(_("The agenda item is added."), "success")
        return redirect(url_for("workshops.edit", slug=slug, workshop_id=workshop.id, _anchor="agenda"))
    form = _workshop_form(
        council,
        formdata=None,
        obj=workshop,
        data={"question": workshop.question_id},
    )
    return _render_edit(council, workshop, form, agenda_form, 422)


@bp.post("/<int:workshop_id>/agenda/<int:item_id>/<any(up, down, remove):move>")
@access.authenticated
def change_agenda_item(slug: str, workshop_id: int, item_id: int, move: str):
    council = council_by_slug(slug)
    workshop = services.managed_workshop(access.current_actor(), council, workshop_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    if move == "remove":
        services.remove_agenda_item(current_user, workshop, item_id, now=utcnow())
        flash(_("The agenda item is removed."), "success")
    else:
        services.move_agenda_item(current_user, workshop, item_id, offset=-1 if move == "up" else 1, now=utcnow())
        flash(_("The agenda is reordered."), "success")
    db.session.commit()
    return redirect(url_for("workshops.edit", slug=slug, workshop_id=workshop.id, _anchor="agenda"))


# ---------------------------------------------------------------- registering


@bp.post("/<int:workshop_id>/register")
@access.authenticated
def register(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.workshop_in_council(access.current_actor(), council, workshop_id)
    registration = services.register(current_user, workshop, now=utcnow())
    db.session.commit()
    if registration.status == "confirmed":
        flash(_("You are registered. See you at the workshop!"), "success")
    else:
        flash(_("The workshop is full: you are on the waiting list. You will get a seat if one frees up."), "info")
    return redirect(url_for("workshops.show", slug=slug, workshop_id=workshop.id, _anchor="registration"))


@bp.post("/<int:workshop_id>/cancel")
@access.authenticated
def cancel(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.workshop_in_council(access.current_actor(), council, workshop_id)
    services.cancel_registration(current_user, workshop, now=utcnow())
    db.session.commit()
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("workshops.show", slug=slug, workshop_id=workshop.id, _anchor="registration"))


# ---------------------------------------------------------------- phases


@bp.post("/<int:workshop_id>/phase")
@access.authenticated
def move_phase(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = services.workshop_in_council(access.current_actor(), council, workshop_id)
    target = request.form.get("phase", "")
    if target not in {p.value for p in Phase}:
        raise Conflict(_("Choose one of the workshop's phases."))
    services.move_to_phase(current_user, workshop, Phase(target), now=utcnow())
    db.session.commit()
    flash(_("The workshop moved to the phase: %(phase)s.", phase=phase_label(Phase(target))), "success")
    back = request.form.get("back")
    if back == "console":
        return redirect(url_for("console.show", slug=slug, workshop_id=workshop.id))
    return redirect(url_for("workshops.show", slug=slug, workshop_id=workshop.id))
