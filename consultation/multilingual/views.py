"""Pages: propose a translation, verify or reject it, the facilitators' queue, easy-to-read summaries
and the reader's choice to see them first."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import LANGUAGES, current_language
from consultation.multilingual import services
from consultation.multilingual.forms import EasyReadForm, RejectTranslationForm, TranslationForm
from consultation.opinions.models import Opinion
from consultation.permissions import can_draft_opinion
from consultation.text import render_markdown
from consultation.web import utcnow
from consultation.workshops import services as workshops

bp = Blueprint("texts", __name__)

EASY_READ_KEY = "easy_read_first"


def easy_read_first() -> bool:
    return bool(session.get(EASY_READ_KEY))


@bp.app_template_filter("language_autonym_filter")
def language_autonym(code: str) -> Markup:
    """A language's own name, marked with its language so screen readers pronounce it right."""
    if code not in LANGUAGES:
        return Markup.escape(code)
    found = LANGUAGES[code]
    return Markup('<span lang="{}" dir="{}">{}</span>').format(code.replace("_", "-"), found.direction, found.name)


@bp.app_context_processor
def _multilingual_words() -> dict[str, object]:
    return {
        "easy_read_first": easy_read_first,
        "language_autonym": language_autonym,
        "render_markdown": render_markdown,
    }


# --------------------------------------------------------------------------------- translations


def _translation_form(target, **kwargs) -> TranslationForm:
    form = TranslationForm(**kwargs)
    form.language.choices = [SelectChoice("", _("Choose a language"))] + [
        SelectChoice(code, language.name) for code, language in LANGUAGES.items() if code != target.language
    ]
    return form


@bp.route("/translations/<kind>/<int:target_id>/new", methods=["GET", "POST"])
@access.authenticated
def propose(kind: str, target_id: int):
    found = services.kind_named(kind)
    target = services.public_target(found, target_id)
    reader = current_language().code
    form = _translation_form(target, data={"language": reader if reader != target.language else ""})
    error = None
    if form.validate_on_submit():
        try:
            services.propose(
                current_user,
                found,
                target,
                language=form.language.data,
                title=form.title.data,
                body=form.body.data or "",
                now=utcnow(),
            )
        except Conflict as problem:
            db.session.rollback()
            error = str(problem.message)
        else:
            db.session.commit()
            flash(_("Thank you! A facilitator will check your translation before it is shown."), "success")
            return redirect(found.url(target))
    title, body = found.words(target)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "multilingual/propose.html", kind=found, target=target, title=title, body=body, form=form, error=error
    ), status


@bp.post("/translations/<int:translation_id>/verify")
@access.authenticated
def verify(translation_id: int):
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    translation = services.verify(current_user, translation_id, now=utcnow())
    db.session.commit()
    flash(_("The translation is verified: readers of this language now see it."), "success")
    return redirect(
        request.form.get("next")
        or services.KINDS[translation.target_kind].url(
            services.KINDS[translation.target_kind].load(translation.target_id)
        )
    )


@bp.post("/translations/<int:translation_id>/reject")
@access.authenticated
def reject(translation_id: int):
    form = RejectTranslationForm()
    translation, kind, target = services.translation_for_manager(current_user, translation_id)
    if not form.validate_on_submit():
        raise Conflict(form.reason.errors[0] if form.reason.errors else None)
    services.reject(current_user, translation.id, reason=form.reason.data, now=utcnow())
    db.session.commit()
    flash(_("The translation is not kept; its author sees why."), "success")
    return redirect(request.form.get("next") or kind.url(target))


@bp.get("/councils/<slug>/translations")
@access.authenticated
def queue(slug: str):
    council = council_by_slug(slug)
    found = services.queue(access.current_actor(), council)
    return render_template(
        "multilingual/queue.html",
        council=council,
        queue=found,
        button_form=ButtonForm(),
        reject_form=RejectTranslationForm(formdata=None),
    )


# --------------------------------------------------------------------------------- easy to read


@bp.post("/preferences/easy-read")
@access.public
def toggle_easy_read():
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    session[EASY_READ_KEY] = request.form.get("first") == "1"
    if session[EASY_READ_KEY]:
        flash(_("Easy-to-read versions now come first."), "success")
    else:
        flash(_("Easy-to-read versions no longer come first."), "success")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("main.index"))


def _easy_read_page(council, target, *, back: str, status: int = 200, form: EasyReadForm | None = None):
    form = form or EasyReadForm(formdata=None, data={"easy_read": target.easy_read})
    return render_template(
        "multilingual/easy_read_edit.html", council=council, target=target, form=form, back=back
    ), status


@bp.route("/councils/<slug>/workshops/<int:workshop_id>/easy-read", methods=["GET", "POST"])
@access.authenticated
def workshop_easy_read(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = workshops.managed_workshop(access.current_actor(), council, workshop_id)
    back = url_for("workshops.show", slug=slug, workshop_id=workshop.id)
    return _save_easy_read(council, workshop, back)


@bp.route("/councils/<slug>/opinions/<int:opinion_id>/easy-read", methods=["GET", "POST"])
@access.authenticated
def opinion_easy_read(slug: str, opinion_id: int):
    council = council_by_slug(slug)
    opinion = db.session.get(Opinion, opinion_id)
    if opinion is None or opinion.council_id != council.id:
        raise NotFound()
    if not can_draft_opinion(access.current_actor(), council.id):
        raise NotAllowed()
    back = url_for("opinions.show", slug=slug, opinion_id=opinion.id)
    return _save_easy_read(council, opinion, back)


def _save_easy_read(council, target, back: str):
    form = EasyReadForm()
    if form.validate_on_submit():
        target.easy_read = (form.easy_read.data or "").strip()
        db.session.commit()
        flash(_("The easy-to-read version is saved."), "success")
        return redirect(back)
    if request.method == "POST":
        return _easy_read_page(council, target, back=back, status=422, form=form)
    return _easy_read_page(council, target, back=back)
