"""A council's online consultations: their public pages and lists, residents' proposals, supports,
comments and follows, and the managers' pages to open, edit and moderate them."""

from __future__ import annotations

import secrets

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from consultation import access, uploads
from consultation.consultations import (
    moderated,  # noqa: F401  (registers comments with consultation.moderation)
    rules,
    services,
)
from consultation.consultations.forms import (
    CommentForm,
    ConsultationForm,
    ListForm,
    MergeForm,
    ProposalForm,
    RejectForm,
    RetainForm,
    optional_id,
)
from consultation.consultations.labels import SORTS, consultation_status_label, proposal_status_label
from consultation.councils.services import council_by_slug
from consultation.councils.zones import zone_label
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db, limiter
from consultation.forms import ButtonForm
from consultation.i18n import LANGUAGES, current_language
from consultation.permissions import can_draft_opinion, can_manage_consultations, can_take_part
from consultation.referrals.services import questions_of
from consultation.text import render_markdown
from consultation.web import utcnow
from consultation.workshops.forms import to_local, to_utc
from consultation.workshops.models import Workshop

bp = Blueprint("consultations", __name__, url_prefix="/councils/<slug>/consultations")


@bp.context_processor
def _helpers() -> dict:
    return {
        "render_markdown": render_markdown,
        "consultation_status_label": consultation_status_label,
        "proposal_status_label": proposal_status_label,
        "language_name": _language_name,
    }


def _language_name(code: str) -> str:
    language = services.CONTENT_LANGUAGES.get(code)
    return language.name if language else code


# ------------------------------------------------------------------------------ consultations


@bp.get("/")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    actor = access.current_actor()
    now = utcnow()
    consultations = services.consultations_of(actor, council)
    return render_template(
        "consultations/index.html",
        council=council,
        consultations=[(c, c.status_at(now)) for c in consultations],
        can_manage=can_manage_consultations(actor, council.id),
    )


def _consultation_form(council, consultation=None) -> ConsultationForm:
    if consultation is not None and request.method == "GET":
        form = ConsultationForm(
            obj=consultation,
            data={
                "question": consultation.question_id,
                "themes": [t.id for t in consultation.themes],
                "districts": [d.id for d in consultation.districts],
            },
        )
        # WTForms reads `obj` before `data`: stored UTC times are shown in the council's zone.
        form.opens_at.data = to_local(consultation.opens_at)
        form.closes_at.data = to_local(consultation.closes_at)
    else:
        form = ConsultationForm()
    form.opens_at.description = form.closes_at.description = zone_label(council.time_zone, get_locale())
    form.question.choices = [SelectChoice("", _("No question"))] + [
        SelectChoice(str(q.id), q.title) for q in questions_of(council)
    ]
    form.themes.choices = [(t.id, t.name) for t in council.themes]
    form.districts.choices = [(d.id, d.name) for d in council.districts]
    return form


def _details(form: ConsultationForm) -> services.ConsultationDetails:
    return services.ConsultationDetails(
        title=form.title.data,
        description=form.description.data or "",
        opens_at=to_utc(form.opens_at.data),
        closes_at=to_utc(form.closes_at.data),
        question_id=form.question.data,
        theme_ids=tuple(form.themes.data or ()),
        district_ids=tuple(form.districts.data or ()),
        is_published=bool(form.is_published.data),
        language=current_language().code if current_language().code in LANGUAGES else "fr",
    )


def _check_manager(council) -> None:
    if not can_manage_consultations(access.current_actor(), council.id):
        raise NotAllowed(_("Only the facilitators, secretary and president of this council can do this."))


@bp.route("/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str):
    council = council_by_slug(slug)
    _check_manager(council)
    form = _consultation_form(council)
    if form.validate_on_submit():
        try:
            consultation = services.create_consultation(current_user, council, _details(form), now=utcnow())
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The consultation is saved."), "success")
            return redirect(url_for(".show", slug=slug, consultation_id=consultation.id))
    status = 422 if request.method == "POST" else 200
    return render_template("consultations/edit.html", council=council, consultation=None, form=form), status


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, consultation_id: int):
    council = council_by_slug(slug)
    _check_manager(council)
    consultation = services.consultation_in_council(access.current_actor(), council, consultation_id)
    form = _consultation_form(council, consultation)
    if form.validate_on_submit():
        try:
            services.update_consultation(current_user, consultation, _details(form), now=utcnow())
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("The consultation is saved."), "success")
            return redirect(url_for(".show", slug=slug, consultation_id=consultation.id))
    status = 422 if request.method == "POST" else 200
    return render_template("consultations/edit.html", council=council, consultation=consultation, form=form), status


def _list_query(consultation) -> services.ListQuery:
    args = request.args
    themes = {t.id for t in services.themes_for(consultation)}
    districts = {d.id for d in services.districts_for(consultation)}
    theme, district = optional_id(args.get("theme")), optional_id(args.get("district"))
    sort = args.get("sort", "recent")
    return services.ListQuery(
        q=args.get("q", "")[:200],
        theme_id=theme if theme in themes else None,
        district_id=district if district in districts else None,
        status=args.get("status") if args.get("status") in services.LIST_STATUSES else None,
        language=args.get("language") if args.get("language") in services.CONTENT_LANGUAGES else None,
        sort=sort if sort in rules.SORTS else "recent",
        seed=rules.parse_seed(args.get("seed")),
        page=max(1, min(request.args.get("page", 1, type=int) or 1, 100_000)),
    )


def _list_args(query: services.ListQuery) -> dict:
    """The query string of a list state, without its defaults: one state, one URL."""
    values = {
        "q": query.q.strip(),
        "theme": query.theme_id,
        "district": query.district_id,
        "status": query.status,
        "language": query.language,
        "sort": query.sort if query.sort != "recent" else None,
        "seed": query.seed if query.sort == "random" else None,
    }
    return {key: value for key, value in values.items() if value not in (None, "")}


def _list_form(consultation, query: services.ListQuery) -> ListForm:
    form = ListForm(request.args)
    form.theme.choices = [("", _("All themes"))] + [(str(t.id), t.name) for t in services.themes_for(consultation)]
    form.district.choices = [("", _("All districts"))] + [
        (str(d.id), d.name) for d in services.districts_for(consultation)
    ]
    form.status.choices = [("", _("Received or accepted"))] + [
        (status, proposal_status_label(status)) for status in services.LIST_STATUSES
    ]
    form.language.choices = [("", _("All languages"))] + [
        (code, language.name) for code, language in services.CONTENT_LANGUAGES.items()
    ]
    form.sort.choices = [(key, str(label)) for key, label in SORTS.items()]
    form.sort.data = query.sort
    return form


@bp.get("/<int:consultation_id>")
@access.public
def show(slug: str, consultation_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    consultation = services.consultation_in_council(actor, council, consultation_id)
    query = _list_query(consultation)
    if query.sort == "random" and query.seed is None:
        # A random order gets its seed in the URL: reloading, paging and sharing keep the same order.
        seeded = {**_list_args(query), "sort": "random", "seed": secrets.randbelow(rules.SEED_LIMIT)}
        return redirect(url_for(".show", slug=slug, consultation_id=consultation.id, **seeded))
    now = utcnow()
    status = consultation.status_at(now)
    listing = services.list_proposals(consultation, actor, query)
    args = _list_args(query)
    return render_template(
        "consultations/show.html",
        council=council,
        consultation=consultation,
        status=status,
        listing=listing,
        list_args=args,
        list_form=_list_form(consultation, query),
        is_filtered=bool(set(args) - {"sort", "seed"}),
        own=services.own_proposals(actor.user_id, consultation),
        is_open=rules.accepts_contributions(status),
        can_take_part=can_take_part(actor),
        can_manage=can_manage_consultations(actor, council.id),
        can_draft_opinion=can_draft_opinion(actor, council.id),
        following=services.is_following(actor.user_id, consultation_id=consultation.id),
        button_form=ButtonForm(),
    )


@bp.get("/<int:consultation_id>/similar")
@access.public
@limiter.limit("120 per minute")
def similar(slug: str, consultation_id: int):
    """Proposals whose title looks like the one being typed (JSON, for the suggestion script)."""
    council = council_by_slug(slug)
    consultation = services.consultation_in_council(access.current_actor(), council, consultation_id)
    title = request.args.get("title", "")[:200]
    found = services.similar_proposals(consultation, title, exclude_id=request.args.get("exclude", type=int))
    return jsonify(
        {
            "proposals": [
                {
                    "id": each.id,
                    "title": each.title,
                    "url": url_for(".proposal", slug=slug, consultation_id=consultation.id, proposal_id=each.id),
                }
                for each in found
            ]
        }
    )


@bp.post("/<int:consultation_id>/follow")
@access.authenticated
def follow(slug: str, consultation_id: int):
    consultation = services.consultation_in_council(access.current_actor(), council_by_slug(slug), consultation_id)
    _check_button()
    services.follow(current_user, consultation=consultation, now=utcnow())
    db.session.commit()
    flash(_("You follow this consultation: you will hear of its new proposals."), "success")
    return redirect(url_for(".show", slug=slug, consultation_id=consultation.id))


@bp.post("/<int:consultation_id>/unfollow")
@access.authenticated
def unfollow(slug: str, consultation_id: int):
    consultation = services.consultation_in_council(access.current_actor(), council_by_slug(slug), consultation_id)
    _check_button()
    services.unfollow(current_user, consultation=consultation)
    db.session.commit()
    flash(_("You no longer follow this consultation."), "success")
    return redirect(url_for(".show", slug=slug, consultation_id=consultation.id))


def _check_button() -> None:
    if not ButtonForm().validate_on_submit():
        raise Conflict()


# ------------------------------------------------------------------------------ proposals


def _proposal_form(consultation, proposal=None) -> ProposalForm:
    if proposal is not None and request.method == "GET":
        attachment = services.attachment_of(proposal)
        form = ProposalForm(
            obj=proposal,
            data={
                "theme": proposal.theme_id,
                "district": proposal.district_id,
                "language": proposal.language,
                "attachment_description": attachment.description if attachment else "",
            },
        )
    else:
        form = ProposalForm(data={"language": current_language().code})
    form.theme.choices = [SelectChoice("", _("No particular theme"))] + [
        SelectChoice(str(t.id), t.name) for t in services.themes_for(consultation)
    ]
    form.district.choices = [SelectChoice("", _("No particular district"))] + [
        SelectChoice(str(d.id), d.name) for d in services.districts_for(consultation)
    ]
    form.language.choices = [(code, language.name) for code, language in services.CONTENT_LANGUAGES.items()]
    size = format_decimal(uploads.max_bytes() / (1024 * 1024), format="#,##0.#")
    form.attachment.description = _("A PNG, JPEG or WebP image, or a PDF document, of at most %(size)s MB.", size=size)
    return form


def _input(form: ProposalForm) -> services.ProposalInput:
    return services.ProposalInput(
        title=form.title.data or "",
        body=form.body.data or "",
        theme_id=form.theme.data,
        district_id=form.district.data,
        language=form.language.data,
        attachment_description=form.attachment_description.data or "",
    )


def _read_upload(form: ProposalForm) -> uploads.Upload | None:
    """The attached file, read and recognised by its content; a problem becomes the field's error."""
    file = form.attachment.data
    if not file:
        return None
    try:
        return uploads.read_upload(file.stream, limit=uploads.max_bytes())
    except Conflict as error:
        form.attachment.errors = [*form.attachment.errors, str(error.message)]
        return None


def _similar_for(consultation, form: ProposalForm, exclude_id: int | None = None) -> list:
    return services.similar_proposals(consultation, form.title.data or "", exclude_id=exclude_id)


@bp.route("/<int:consultation_id>/proposals/new", methods=["GET", "POST"])
@access.authenticated
def submit(slug: str, consultation_id: int):
    council = council_by_slug(slug)
    consultation = services.consultation_in_council(access.current_actor(), council, consultation_id)
    now = utcnow()
    if not rules.accepts_contributions(consultation.status_at(now)):
        raise Conflict(_("This consultation is not open: it takes no proposals, supports or comments now."))
    form = _proposal_form(consultation)
    preview = similar = None
    if request.method == "POST":
        valid = form.validate_on_submit()
        upload = _read_upload(form) if valid else None
        if valid and not form.attachment.errors and "preview" not in request.form:
            try:
                proposal = services.submit_proposal(current_user, consultation, _input(form), upload=upload, now=now)
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("Thank you, your proposal is published."), "success")
                return redirect(
                    url_for(".proposal", slug=slug, consultation_id=consultation.id, proposal_id=proposal.id)
                )
        similar = _similar_for(consultation, form)
        if "preview" in request.form and not form.errors and not form.form_errors:
            preview = render_markdown(form.body.data or "")
            return render_template(
                "consultations/submit.html", **_submit_context(council, consultation, form, preview, similar)
            )
        return render_template(
            "consultations/submit.html", **_submit_context(council, consultation, form, preview, similar)
        ), 422
    return render_template("consultations/submit.html", **_submit_context(council, consultation, form, None, None))


def _submit_context(council, consultation, form, preview, similar) -> dict:
    return {
        "council": council,
        "consultation": consultation,
        "form": form,
        "preview": preview,
        "similar": similar,
        "proposal": None,
        "attachment": None,
    }


def _proposal_of(slug: str, consultation_id: int, proposal_id: int):
    council = council_by_slug(slug)
    actor = access.current_actor()
    consultation = services.consultation_in_council(actor, council, consultation_id)
    return council, consultation, services.proposal_in_consultation(actor, consultation, proposal_id)


def _to_proposal(slug: str, proposal, anchor: str | None = None):
    return redirect(
        url_for(
            ".proposal", slug=slug, consultation_id=proposal.consultation_id, proposal_id=proposal.id, _anchor=anchor
        )
    )


@bp.get("/<int:consultation_id>/proposals/<int:proposal_id>")
@access.public
def proposal(slug: str, consultation_id: int, proposal_id: int):
    return _proposal_page(*_proposal_of(slug, consultation_id, proposal_id))


def _moderation_forms(council, proposal, failed: FlaskForm | None) -> dict:
    """The moderation forms of the page; the one that failed keeps what was typed and its errors."""
    merge_form = failed if isinstance(failed, MergeForm) else MergeForm(prefix="merge", formdata=None)
    merge_form.target.choices = [SelectChoice("", _("Choose a proposal"))] + [
        SelectChoice(str(p.id), p.title) for p in services.merge_targets(proposal)
    ]
    retain_form = failed if isinstance(failed, RetainForm) else RetainForm(prefix="retain", formdata=None)
    retain_form.workshop.choices = [SelectChoice("", _("Choose a workshop"))] + [
        SelectChoice(str(w.id), w.title) for w in services.workshops_to_retain_for(council)
    ]
    reject_form = failed if isinstance(failed, RejectForm) else RejectForm(prefix="reject", formdata=None)
    return {"merge_form": merge_form, "retain_form": retain_form, "reject_form": reject_form}


def _proposal_page(council, consultation, proposal, *, failed: FlaskForm | None = None, status: int = 200):
    actor = access.current_actor()
    now = utcnow()
    is_open = rules.accepts_contributions(consultation.status_at(now))
    can_manage = can_manage_consultations(actor, council.id)
    threads = services.comments_of(proposal)
    is_author = actor.user_id is not None and proposal.author_id == actor.user_id
    is_visible = proposal.hidden_at is None  # hidden by moderators: its author and the managers still read it
    moderation = {}
    if can_manage and proposal.status not in ("merged", "withdrawn"):
        moderation = _moderation_forms(council, proposal, failed)
    return render_template(
        "consultations/proposal.html",
        council=council,
        consultation=consultation,
        proposal=proposal,
        attachment=services.attachment_of(proposal),
        threads=threads,
        comment_count=sum(1 + len(thread.replies) for thread in threads),
        editable_comments={
            c.id
            for thread in threads
            for c in [thread.comment, *thread.replies]
            if services.may_edit_comment(actor, c, now=now)
        },
        comment_form=CommentForm(formdata=None),
        steps=services.timeline(proposal),
        supports=services.support_count(proposal),
        supported=services.supported_by(actor.user_id, proposal),
        following=services.is_following(actor.user_id, proposal_id=proposal.id),
        is_open=is_open,
        is_author=is_author,
        can_take_part=can_take_part(actor),
        can_support=is_open and can_take_part(actor) and is_visible and proposal.status in ("submitted", "accepted"),
        can_comment=is_open and can_take_part(actor) and is_visible and proposal.status in services.PUBLIC_STATUSES,
        is_visible=is_visible,
        can_edit=services.author_may_edit(actor, proposal, now=now),
        can_withdraw=is_author and rules.author_may_withdraw(status=proposal.status),
        can_manage=can_manage,
        button_form=ButtonForm(),
        form=failed,  # the page title says "Error" when a moderation form failed
        **moderation,
    ), status


@bp.get("/<int:consultation_id>/proposals/<int:proposal_id>/attachment")
@access.public
def attachment(slug: str, consultation_id: int, proposal_id: int):
    _council, _consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    stored = services.attachment_of(proposal)
    if stored is None:
        raise NotFound()
    try:
        path = uploads.path_of(stored.stored_name)
    except ValueError:
        raise NotFound() from None
    if not path.is_file():
        raise NotFound()
    filename = f"proposal-{proposal.id}.{stored.extension}"
    # Read whole (at most a few MB): no file handle left open, whatever the client does with the response.
    response = Response(path.read_bytes(), mimetype=stored.content_type)
    disposition = "inline" if stored.is_image else "attachment"  # an image is shown; a PDF is downloaded
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.set_etag(stored.stored_name)  # a stored file never changes: a new one gets a new name
    response.make_conditional(request)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even opened on its own, the file runs nothing and embeds nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/<int:consultation_id>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit_proposal(slug: str, consultation_id: int, proposal_id: int):
    council, consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    now = utcnow()
    if proposal.author_id != current_user.id:
        raise NotAllowed(_("Only its author can edit a proposal."))
    if not services.author_may_edit(current_user.actor, proposal, now=now):
        raise Conflict(_("This proposal can no longer be edited: the council has started handling it."))
    form = _proposal_form(consultation, proposal)
    preview = similar = None
    status = 200
    if request.method == "POST":
        valid = form.validate_on_submit()
        upload = _read_upload(form) if valid else None
        if valid and not form.attachment.errors and "preview" not in request.form:
            try:
                services.edit_own_proposal(
                    current_user,
                    proposal,
                    _input(form),
                    upload=upload,
                    remove_attachment=bool(form.remove_attachment.data),
                    now=now,
                )
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("Your proposal is saved."), "success")
                return _to_proposal(slug, proposal)
        similar = _similar_for(consultation, form, exclude_id=proposal.id)
        if "preview" in request.form and not form.errors and not form.form_errors:
            preview = render_markdown(form.body.data or "")
        else:
            status = 422
    return render_template(
        "consultations/submit.html",
        council=council,
        consultation=consultation,
        form=form,
        preview=preview,
        similar=similar,
        proposal=proposal,
        attachment=services.attachment_of(proposal),
    ), status


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/withdraw")
@access.authenticated
def withdraw(slug: str, consultation_id: int, proposal_id: int):
    _council, _consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    _check_button()
    services.withdraw_proposal(current_user, proposal, now=utcnow())
    db.session.commit()
    flash(_("Your proposal is withdrawn. It stays visible to you only."), "success")
    return _to_proposal(slug, proposal)


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/support")
@access.authenticated
def support(slug: str, consultation_id: int, proposal_id: int):
    _council, _consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    _check_button()
    services.support(current_user, proposal, now=utcnow())
    db.session.commit()
    flash(_("You support this proposal: %(title)s", title=proposal.title), "success")
    return _back(slug, proposal)


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/unsupport")
@access.authenticated
def unsupport(slug: str, consultation_id: int, proposal_id: int):
    _council, _consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    _check_button()
    services.withdraw_support(current_user, proposal, now=utcnow())
    db.session.commit()
    flash(_("You no longer support this proposal: %(title)s", title=proposal.title), "success")
    return _back(slug, proposal)


def _back(slug: str, proposal):
    """Back to the list the button was pressed in (same filters and page), or to the proposal."""
    target = request.form.get("next", "")
    prefix = url_for(".show", slug=slug, consultation_id=proposal.consultation_id)
    if target.startswith(prefix) and "//" not in target and "\\" not in target:
        return redirect(f"{target}#proposal-{proposal.id}")
    return _to_proposal(slug, proposal)


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/follow")
@access.authenticated
def follow_proposal(slug: str, consultation_id: int, proposal_id: int):
    _council, _consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    _check_button()
    services.follow(current_user, proposal=proposal, now=utcnow())
    db.session.commit()
    flash(_("You follow this proposal: you will hear of its new comments."), "success")
    return _to_proposal(slug, proposal)


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/unfollow")
@access.authenticated
def unfollow_proposal(slug: str, consultation_id: int, proposal_id: int):
    _council, _consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    _check_button()
    services.unfollow(current_user, proposal=proposal)
    db.session.commit()
    flash(_("You no longer follow this proposal."), "success")
    return _to_proposal(slug, proposal)


# ------------------------------------------------------------------------------ comments


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/comments")
@access.authenticated
def comment(slug: str, consultation_id: int, proposal_id: int):
    council, consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    form = CommentForm()
    parent_id = optional_id(form.parent_id.data)
    if form.validate_on_submit():
        try:
            made = services.add_comment(
                current_user,
                proposal,
                body=form.body.data,
                parent_id=parent_id,
                language=current_language().code,
                now=utcnow(),
            )
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your comment is published."), "success")
            return _to_proposal(slug, proposal, anchor=f"comment-{made.id}")
    return render_template(
        "consultations/comment.html",
        council=council,
        consultation=consultation,
        proposal=proposal,
        form=form,
        comment=None,
        parent=services.comment_in_proposal(proposal, parent_id) if parent_id else None,
    ), 422


@bp.route("/<int:consultation_id>/proposals/<int:proposal_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit_comment(slug: str, consultation_id: int, proposal_id: int, comment_id: int):
    council, consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    comment = services.comment_in_proposal(proposal, comment_id)
    now = utcnow()
    if comment.author_id != current_user.id:
        raise NotAllowed(_("Only its author can edit a comment."))
    if not rules.comment_editable(created_at=comment.created_at, now=now):
        raise Conflict(_("A comment can be edited for 15 minutes after it is sent."))
    form = CommentForm(data={"body": comment.body}) if request.method == "GET" else CommentForm()
    if form.validate_on_submit():
        try:
            services.edit_comment(current_user, comment, body=form.body.data, now=now)
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your comment is saved."), "success")
            return _to_proposal(slug, proposal, anchor=f"comment-{comment.id}")
    status = 422 if request.method == "POST" else 200
    return render_template(
        "consultations/comment.html",
        council=council,
        consultation=consultation,
        proposal=proposal,
        form=form,
        comment=comment,
        parent=None,
    ), status


# ------------------------------------------------------------------------------ moderation


def _moderated(slug: str, consultation_id: int, proposal_id: int):
    council, consultation, proposal = _proposal_of(slug, consultation_id, proposal_id)
    _check_manager(council)
    return council, consultation, proposal


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/accept")
@access.authenticated
def accept(slug: str, consultation_id: int, proposal_id: int):
    _council, _consultation, proposal = _moderated(slug, consultation_id, proposal_id)
    _check_button()
    services.accept_proposal(current_user, proposal, now=utcnow())
    db.session.commit()
    flash(_("The proposal is accepted; its author is told."), "success")
    return _to_proposal(slug, proposal)


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/reject")
@access.authenticated
def reject(slug: str, consultation_id: int, proposal_id: int):
    council, consultation, proposal = _moderated(slug, consultation_id, proposal_id)
    form = RejectForm(prefix="reject")
    if not form.validate_on_submit():
        return _proposal_page(council, consultation, proposal, failed=form, status=422)
    services.reject_proposal(current_user, proposal, reason=form.reason.data, now=utcnow())
    db.session.commit()
    flash(_("The proposal is not accepted; its author reads the reason."), "success")
    return _to_proposal(slug, proposal)


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/merge")
@access.authenticated
def merge(slug: str, consultation_id: int, proposal_id: int):
    council, consultation, proposal = _moderated(slug, consultation_id, proposal_id)
    form = _moderation_forms(council, proposal, MergeForm(prefix="merge"))["merge_form"]
    if not form.validate_on_submit() or form.target.data is None:
        if not form.target.errors:
            form.target.errors = [_("Choose the proposal to merge into.")]
        return _proposal_page(council, consultation, proposal, failed=form, status=422)
    target = services.proposal_in_consultation(access.current_actor(), consultation, form.target.data)
    services.merge_into(current_user, proposal, target, now=utcnow())
    db.session.commit()
    flash(_("The proposal is merged; its supports now count for the other one."), "success")
    return _to_proposal(slug, target)


@bp.post("/<int:consultation_id>/proposals/<int:proposal_id>/retain")
@access.authenticated
def retain(slug: str, consultation_id: int, proposal_id: int):
    council, consultation, proposal = _moderated(slug, consultation_id, proposal_id)
    form = _moderation_forms(council, proposal, RetainForm(prefix="retain"))["retain_form"]
    if not form.validate_on_submit() or form.workshop.data is None:
        if not form.workshop.errors:
            form.workshop.errors = [_("Choose one of the council's workshops.")]
        return _proposal_page(council, consultation, proposal, failed=form, status=422)
    workshop = db.session.get(Workshop, form.workshop.data)
    services.retain_for_workshop(current_user, proposal, workshop, now=utcnow())
    db.session.commit()
    flash(_("The proposal is retained for the workshop %(title)s.", title=workshop.title), "success")
    return _to_proposal(slug, proposal)
