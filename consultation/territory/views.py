"""Pages of the territory: the public directory of local actors and its exports, organisations' entries
and their representatives, experts invited to workshops, and project holders' requests with their
follow-up and the municipality's figures."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.csv_cells import neutralise
from consultation.errors import Conflict, NotAllowed
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import current_language
from consultation.permissions import (
    can_follow_project_requests,
    can_manage_directory,
    can_manage_workshop,
    can_see_territory_figures,
    can_take_part,
)
from consultation.territory import labels, services
from consultation.territory.forms import (
    DirectoryForm,
    ExpertForm,
    NoteForm,
    OrganisationForm,
    ProjectRequestForm,
    ReferForm,
    RepresentForm,
    StatusForm,
    optional_id,
)
from consultation.territory.rules import Need, OrganisationKind, RequestStatus, next_statuses
from consultation.web import utcnow
from consultation.workshops.services import workshop_in_council

bp = Blueprint("territory", __name__, url_prefix="/councils/<slug>/territory")


@bp.context_processor
def _helpers() -> dict:
    return {
        "kind_label": labels.kind_label,
        "need_label": labels.need_label,
        "status_label": labels.status_label,
        "representation_label": labels.representation_label,
        "reason_label": labels.reason_label,
        "language_name": _language_name,
    }


@bp.app_template_global()
def workshop_experts(workshop_id: int) -> list:
    """For the workshop's page: the organisations' experts invited to it (one query)."""
    return services.experts_of(workshop_id)


# For `map(...)` in templates: Jinja maps with filters only.
bp.add_app_template_filter(labels.need_label, "territory_need")
bp.add_app_template_filter(labels.reason_label, "territory_reason")


@bp.app_template_filter("territory_language")
def _language_name(code: str) -> str:
    language = services.SPOKEN_LANGUAGES.get(code)
    return language.name if language else code


def _check_button() -> None:
    if not ButtonForm().validate_on_submit():
        raise Conflict()


def _status(form) -> int:
    return 422 if request.method == "POST" else 200


# ------------------------------------------------------------------------------ directory


def _directory_query(council) -> services.DirectoryQuery:
    args = request.args
    themes = {t.id for t in council.themes}
    districts = {d.id for d in council.districts}
    theme, district = optional_id(args.get("theme")), optional_id(args.get("district"))
    kind = args.get("kind")
    language = args.get("language")
    return services.DirectoryQuery(
        q=args.get("q", "")[:200],
        kind=kind if kind in OrganisationKind.__members__.values() else None,
        theme_id=theme if theme in themes else None,
        district_id=district if district in districts else None,
        language=language if language in services.SPOKEN_LANGUAGES else None,
        welcomes=args.get("welcomes") in ("y", "1", "on"),
        page=max(1, min(args.get("page", 1, type=int) or 1, 100_000)),
    )


def _directory_args(query: services.DirectoryQuery) -> dict:
    """The query string of a directory state, without its defaults: one state, one URL."""
    values = {
        "q": query.q.strip(),
        "kind": query.kind,
        "theme": query.theme_id,
        "district": query.district_id,
        "language": query.language,
        "welcomes": "y" if query.welcomes else None,
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def _directory_form(council) -> DirectoryForm:
    form = DirectoryForm(request.args)
    form.kind.choices = [("", _("All kinds"))] + [(kind.value, labels.kind_label(kind)) for kind in OrganisationKind]
    form.theme.choices = [("", _("All themes"))] + [(str(t.id), t.name) for t in council.themes]
    form.district.choices = [("", _("All districts"))] + [(str(d.id), d.name) for d in council.districts]
    form.language.choices = [("", _("All languages"))] + [
        (code, language.name) for code, language in services.SPOKEN_LANGUAGES.items()
    ]
    return form


@bp.get("/actors")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    query = _directory_query(council)
    listing = services.directory(council, query)
    args = _directory_args(query)
    can_manage = can_manage_directory(actor, council.id)
    return render_template(
        "territory/actors.html",
        council=council,
        listing=listing,
        list_args=args,
        list_form=_directory_form(council),
        is_filtered=bool(args),
        can_manage=can_manage,
        can_take_part=can_take_part(actor),
        waiting=services.hidden_or_waiting(council) if can_manage else [],
    )


@bp.get("/actors.<any(csv, json):extension>")
@access.public
def export(slug: str, extension: str):
    council = council_by_slug(slug)
    rows = [services.export_row(o) for o in services.all_public(council, _directory_query(council))]
    filename = f"{council.slug}-local-actors.{extension}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if extension == "json":
        body = json.dumps({"council": council.slug, "organisations": rows}, ensure_ascii=False, indent=1)
        return Response(body, mimetype="application/json", headers=headers)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=services.EXPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        flat = {
            key: " | ".join(value)
            if isinstance(value, list)
            else ("yes" if value is True else "no" if value is False else value)
            for key, value in row.items()
        }
        writer.writerow({key: neutralise(value) for key, value in flat.items()})
    # A byte-order mark: spreadsheets then read the accents right.
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers=headers)


@bp.get("/actors/<int:organisation_id>")
@access.public
def show(slug: str, organisation_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    organisation = services.organisation_in_council(actor, council, organisation_id)
    mine = [r for r in services.representations_of(actor.user_id, council) if r.organisation_id == organisation.id]
    return render_template(
        "territory/actor.html",
        council=council,
        organisation=organisation,
        representation=mine[0] if mine else None,
        can_edit=services.may_edit(actor, organisation),
        can_manage=can_manage_directory(actor, council.id),
        can_take_part=can_take_part(actor),
        representatives=services.representatives_of(organisation) if can_manage_directory(actor, council.id) else [],
        button_form=ButtonForm(),
    )


def _organisation_choices(form: OrganisationForm, council) -> None:
    form.kind.choices = [(kind.value, labels.kind_label(kind)) for kind in OrganisationKind]
    form.themes.choices = [(t.id, t.name) for t in council.themes]
    form.districts.choices = [(d.id, d.name) for d in council.districts]
    form.languages.choices = [(code, language.name) for code, language in services.SPOKEN_LANGUAGES.items()]


def _organisation_input(form: OrganisationForm) -> services.OrganisationInput:
    return services.OrganisationInput(
        name=form.name.data or "",
        kind=form.kind.data or "",
        description=form.description.data or "",
        services=form.services.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        address=form.address.data or "",
        website=form.website.data or "",
        opening_hours=form.opening_hours.data or "",
        is_welcoming_holders=bool(form.is_welcoming_holders.data),
        theme_ids=tuple(form.themes.data or ()),
        district_ids=tuple(form.districts.data or ()),
        languages=tuple(form.languages.data or ()),
    )


@bp.route("/actors/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str):
    council = council_by_slug(slug)
    if not can_manage_directory(access.current_actor(), council.id):
        raise NotAllowed(_("Only the facilitators, secretary and president of this council can do this."))
    form = OrganisationForm(data={"kind": OrganisationKind.ASSOCIATION.value})
    _organisation_choices(form, council)
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(current_user, council, _organisation_input(form), now=utcnow())
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The organisation is in the directory."), "success")
            return redirect(url_for(".show", slug=slug, organisation_id=organisation.id))
    return render_template("territory/actor_form.html", council=council, organisation=None, form=form), _status(form)


@bp.route("/actors/<int:organisation_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, organisation_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    organisation = services.organisation_in_council(actor, council, organisation_id)
    if not services.may_edit(actor, organisation):
        raise NotAllowed(
            _("Only the organisation's approved representatives and the council's facilitators can edit it.")
        )
    if request.method == "GET":
        form = OrganisationForm(
            obj=organisation,
            data={
                "themes": [t.id for t in organisation.themes],
                "districts": [d.id for d in organisation.districts],
                "languages": organisation.languages,
            },
        )
    else:
        form = OrganisationForm()
    _organisation_choices(form, council)
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, organisation, _organisation_input(form), now=utcnow())
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The organisation's entry is saved."), "success")
            return redirect(url_for(".show", slug=slug, organisation_id=organisation.id))
    return render_template("territory/actor_form.html", council=council, organisation=organisation, form=form), _status(
        form
    )


@bp.post("/actors/<int:organisation_id>/hide")
@access.authenticated
def hide(slug: str, organisation_id: int):
    return _set_hidden(slug, organisation_id, hidden=True)


@bp.post("/actors/<int:organisation_id>/unhide")
@access.authenticated
def unhide(slug: str, organisation_id: int):
    return _set_hidden(slug, organisation_id, hidden=False)


def _set_hidden(slug: str, organisation_id: int, *, hidden: bool):
    council = council_by_slug(slug)
    organisation = services.organisation_in_council(access.current_actor(), council, organisation_id)
    _check_button()
    services.set_hidden(current_user, organisation, hidden=hidden, now=utcnow())
    db.session.commit()
    flash(
        _("The organisation is hidden from the directory.") if hidden else _("The organisation is shown again."),
        "success",
    )
    return redirect(url_for(".show", slug=slug, organisation_id=organisation.id))


# ------------------------------------------------------------------------------ representatives


@bp.route("/actors/represent", methods=["GET", "POST"])
@access.authenticated
def represent(slug: str):
    council = council_by_slug(slug)
    chosen = optional_id(request.args.get("organisation"))
    form = RepresentForm(data={"kind": OrganisationKind.ASSOCIATION.value, "organisation": chosen})
    _organisation_choices(form, council)
    form.organisation.choices = [SelectChoice("", _("A new organisation"))] + [
        SelectChoice(str(o.id), o.name) for o in services.public_organisations(council)
    ]
    if form.validate_on_submit():
        existing = None
        if form.organisation.data is not None:
            existing = services.organisation_in_council(access.current_actor(), council, form.organisation.data)
        try:
            services.request_representation(
                current_user,
                council,
                organisation=existing,
                new=None if existing else _organisation_input(form),
                role_title=form.role_title.data or "",
                message=form.message.data or "",
                now=utcnow(),
            )
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your request is sent: a facilitator of the council will approve it."), "success")
            return redirect(url_for(".index", slug=slug))
    return render_template("territory/represent.html", council=council, form=form), _status(form)


def _check_directory_manager(council) -> None:
    if not can_manage_directory(access.current_actor(), council.id):
        raise NotAllowed(_("Only the facilitators, secretary and president of this council can do this."))


@bp.get("/representatives")
@access.authenticated
def representatives(slug: str):
    council = council_by_slug(slug)
    _check_directory_manager(council)
    return render_template(
        "territory/representatives.html",
        council=council,
        pending=services.pending_representations(council),
        button_form=ButtonForm(),
    )


@bp.post("/representatives/<int:representation_id>/<any(approve, refuse):decision>")
@access.authenticated
def decide(slug: str, representation_id: int, decision: str):
    council = council_by_slug(slug)
    _check_directory_manager(council)
    representation = services.representation_in_council(council, representation_id)
    _check_button()
    services.decide_representation(current_user, representation, approve=decision == "approve", now=utcnow())
    db.session.commit()
    flash(_("The request is approved.") if decision == "approve" else _("The request is refused."), "success")
    return redirect(url_for(".representatives", slug=slug))


# ------------------------------------------------------------------------------ workshop experts


@bp.route("/workshops/<int:workshop_id>/experts", methods=["GET", "POST"])
@access.authenticated
def experts(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    workshop = workshop_in_council(actor, council, workshop_id)
    if not can_manage_workshop(actor, council.id):
        raise NotAllowed(_("Only the facilitators, secretary and president of this council can do this."))
    form = ExpertForm()
    form.organisation.choices = [SelectChoice("", _("Choose an organisation"))] + [
        SelectChoice(str(o.id), o.name) for o in services.public_organisations(council)
    ]
    if form.validate_on_submit():
        organisation = services.organisation_in_council(actor, council, form.organisation.data)
        try:
            services.invite_expert(
                current_user,
                workshop,
                organisation,
                person_name=form.person_name.data or "",
                role=form.role.data or "",
                now=utcnow(),
            )
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The expert is invited to the workshop."), "success")
            return redirect(url_for(".experts", slug=slug, workshop_id=workshop.id))
    return render_template(
        "territory/experts.html",
        council=council,
        workshop=workshop,
        form=form,
        experts=services.experts_of(workshop.id),
        button_form=ButtonForm(),
    ), _status(form)


@bp.post("/workshops/<int:workshop_id>/experts/<int:expert_id>/remove")
@access.authenticated
def remove_expert(slug: str, workshop_id: int, expert_id: int):
    council = council_by_slug(slug)
    workshop = workshop_in_council(access.current_actor(), council, workshop_id)
    _check_button()
    services.remove_expert(current_user, workshop, expert_id)
    db.session.commit()
    flash(_("The expert is no longer invited."), "success")
    return redirect(url_for(".experts", slug=slug, workshop_id=workshop.id))


# ------------------------------------------------------------------------------ project requests


@bp.route("/projects/new", methods=["GET", "POST"])
@access.authenticated
def new_request(slug: str):
    council = council_by_slug(slug)
    form = ProjectRequestForm(data={"language": current_language().code})
    form.needs.choices = [(need.value, labels.need_label(need)) for need in Need]
    form.themes.choices = [(t.id, t.name) for t in council.themes]
    form.district.choices = [SelectChoice("", _("No particular district"))] + [
        SelectChoice(str(d.id), d.name) for d in council.districts
    ]
    form.language.choices = [(code, language.name) for code, language in services.SPOKEN_LANGUAGES.items()]
    if form.validate_on_submit():
        data = services.RequestInput(
            title=form.title.data or "",
            description=form.description.data or "",
            needs=tuple(form.needs.data or ()),
            needs_other=form.needs_other.data or "",
            theme_ids=tuple(form.themes.data or ()),
            district_id=form.district.data,
            language=form.language.data,
        )
        try:
            project = services.submit_request(current_user, council, data, now=utcnow())
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your request is sent. Here are organisations that may help you."), "success")
            return redirect(url_for(".project", slug=slug, request_id=project.id))
    return render_template("territory/project_new.html", council=council, form=form), _status(form)


@bp.get("/projects/mine")
@access.authenticated
def my_requests(slug: str):
    council = council_by_slug(slug)
    return render_template(
        "territory/my_projects.html",
        council=council,
        projects=services.requests_of_holder(current_user.id, council),
    )


@bp.get("/projects")
@access.authenticated
def requests(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    status = request.args.get("status")
    status = status if status in RequestStatus.__members__.values() else None
    mine = request.args.get("mine") == "1"
    listing = services.requests_of_council(
        actor, council, status=status, mine=mine, page=max(1, min(request.args.get("page", 1, type=int) or 1, 100_000))
    )
    args = {key: value for key, value in {"status": status, "mine": "1" if mine else None}.items() if value}
    return render_template(
        "territory/projects.html",
        council=council,
        listing=listing,
        list_args=args,
        status=status,
        mine=mine,
        statuses=list(RequestStatus),
    )


@bp.get("/projects/<int:request_id>")
@access.authenticated
def project(slug: str, request_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    project, seen_as = services.request_in_council(actor, council, request_id)
    return _render_project(council, project, seen_as)


def _render_project(council, project, seen_as, *, refer_form=None, status_form=None, note_form=None, code=200):
    suggested = services.suggestions(project) if (seen_as.is_holder or seen_as.is_team) else []
    if seen_as.is_team:
        refer_form = refer_form or ReferForm(formdata=None)
        already = {r.organisation_id for r in project.referrals}
        refer_form.organisations.choices = [
            (o.id, o.name) for o in services.public_organisations(council) if o.id not in already
        ]
        status_form = status_form or StatusForm(formdata=None)
        status_form.status.choices = [(s.value, labels.status_label(s)) for s in next_statuses(project.status)]
        note_form = note_form or NoteForm(formdata=None)
    return render_template(
        "territory/project.html",
        council=council,
        project=project,
        seen_as=seen_as,
        suggested=suggested,
        suggested_ids={m.id for m, _o in suggested},
        events=services.timeline(project, with_notes=seen_as.is_team),
        refer_form=refer_form,
        status_form=status_form,
        note_form=note_form,
        button_form=ButtonForm(),
    ), code


def _team_request(slug: str, request_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    project, seen_as = services.request_in_council(actor, council, request_id)
    if not seen_as.is_team:
        raise NotAllowed(_("Only the council's facilitators and the municipality's officers can do this."))
    return council, project, seen_as


def _to_project(slug: str, project, anchor: str | None = None):
    return redirect(url_for(".project", slug=slug, request_id=project.id, _anchor=anchor))


@bp.post("/projects/<int:request_id>/take")
@access.authenticated
def take(slug: str, request_id: int):
    _council, project, _seen = _team_request(slug, request_id)
    _check_button()
    services.take_request(current_user, project, now=utcnow())
    db.session.commit()
    flash(_("You follow this request."), "success")
    return _to_project(slug, project)


def _form_failed(council, project, seen_as, **forms):
    db.session.rollback()
    return _render_project(council, project, seen_as, code=422, **forms)


@bp.post("/projects/<int:request_id>/refer")
@access.authenticated
def refer(slug: str, request_id: int):
    council, project, seen_as = _team_request(slug, request_id)
    form = ReferForm()
    already = {r.organisation_id for r in project.referrals}
    form.organisations.choices = [(o.id, o.name) for o in services.public_organisations(council) if o.id not in already]
    if form.validate_on_submit():
        try:
            services.refer_request(
                current_user, project, tuple(form.organisations.data), message=form.message.data or "", now=utcnow()
            )
        except Conflict as error:
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The request is referred: the holder and the organisations are told."), "success")
            return _to_project(slug, project)
    return _form_failed(council, project, seen_as, refer_form=form)


@bp.post("/projects/<int:request_id>/status")
@access.authenticated
def status(slug: str, request_id: int):
    council, project, seen_as = _team_request(slug, request_id)
    form = StatusForm()
    form.status.choices = [(s.value, labels.status_label(s)) for s in next_statuses(project.status)]
    if form.validate_on_submit():
        try:
            services.change_status(current_user, project, form.status.data, now=utcnow())
        except Conflict as error:
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The status of the request is changed."), "success")
            return _to_project(slug, project)
    return _form_failed(council, project, seen_as, status_form=form)


@bp.post("/projects/<int:request_id>/notes")
@access.authenticated
def note(slug: str, request_id: int):
    council, project, seen_as = _team_request(slug, request_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(current_user, project, form.body.data or "", now=utcnow())
        except Conflict as error:
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The note is saved."), "success")
            return _to_project(slug, project, "timeline")
    return _form_failed(council, project, seen_as, note_form=form)


@bp.get("/projects/referrals")
@access.authenticated
def referrals(slug: str):
    council = council_by_slug(slug)
    return render_template(
        "territory/referrals.html",
        council=council,
        referrals=services.referrals_for_representative(current_user.id, council),
        representations=services.representations_of(current_user.id, council),
    )


@bp.get("/projects/figures")
@access.authenticated
def figures(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    if not can_see_territory_figures(actor, council.id):
        raise NotAllowed(_("Only the council's facilitators and the municipality's officers can do this."))
    data = services.figures(actor, council)
    median = data.median_first_answer
    return render_template(
        "territory/figures.html",
        council=council,
        figures=data,
        median_days=round(median.total_seconds() / 86400, 1) if median is not None else None,
        peak=max((count for _m, count in data.by_month), default=0),
        can_follow=can_follow_project_requests(actor, council.id),
    )
