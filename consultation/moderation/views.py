"""The participation charter, the report form, and each council's moderation queue."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import Conflict
from consultation.extensions import db, limiter
from consultation.forms import ButtonForm
from consultation.moderation import services
from consultation.moderation.forms import REASON_LABELS, DecisionForm, ReportForm
from consultation.permissions import can_block_accounts
from consultation.web import utcnow

bp = Blueprint("moderation", __name__)


def _per_person() -> str:
    return f"person:{current_user.id}" if current_user.is_authenticated else f"network:{request.remote_addr}"


@bp.get("/charter")
@access.public
def charter():
    return render_template("moderation/charter.html")


@bp.route("/report/<kind>/<int:target_id>", methods=["GET", "POST"])
@access.authenticated
@limiter.limit("30 per hour", key_func=_per_person, methods=["POST"])
def report(kind: str, target_id: int):
    moderated, target = services.reportable(kind, target_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            _report, is_new = services.report_content(
                current_user,
                kind,
                target_id,
                reason=form.reason.data,
                details=form.details.data or "",
                now=utcnow(),
            )
        except Conflict as error:
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            if is_new:
                flash(_("Thank you: the council's moderators will read your report."), "success")
            else:
                flash(_("You already reported this content: the council's moderators will read your report."), "info")
            return redirect(moderated.url(target))
    status = 200 if request.method == "GET" else 422
    return render_template(
        "moderation/report.html",
        form=form,
        kind=moderated,
        title=moderated.title(target),
        excerpt=moderated.excerpt(target),
        back_url=moderated.url(target),
    ), status


# ---------------------------------------------------------------------------------- the queue


def _decision_form(action: str, key: str, *, formdata=None) -> DecisionForm:
    form = DecisionForm(prefix=f"{action}-{key}", formdata=formdata)
    if action == "hide":
        form.reason.label.text = _("Reason for hiding it (the author reads it)")
    else:
        form.reason.label.text = _("Reason for showing it again (the author reads it)")
    return form


def _render_queue(council, *, failed: tuple[str, str, DecisionForm] | None = None, status: int = 200):
    data = services.queue(access.current_actor(), council)
    forms: dict[tuple[str, str], DecisionForm] = {}
    for item in data.items:
        forms[("hide", item.key)] = _decision_form("hide", item.key)
        forms[("restore", item.key)] = _decision_form("restore", item.key)
    for hidden in data.hidden:
        forms[("restore", hidden.key)] = _decision_form("restore", hidden.key)
    if failed is not None:
        action, key, form = failed
        forms[(action, key)] = form
    return render_template(
        "moderation/queue.html",
        council=council,
        queue=data,
        forms=forms,
        button_form=ButtonForm(),
        reason_labels=REASON_LABELS,
        can_block=can_block_accounts(access.current_actor()),
        failed_key=f"{failed[0]}-{failed[1]}" if failed else None,
    ), status


@bp.get("/councils/<slug>/moderation")
@access.authenticated
def queue(slug: str):
    return _render_queue(council_by_slug(slug))


def _decide(slug: str, kind: str, target_id: int, action: str):
    council = council_by_slug(slug)
    key = f"{kind}-{target_id}"
    form = _decision_form(action, key, formdata=request.form)
    if not form.validate_on_submit():
        # The queue again, with the message beside the reason and what was typed kept.
        return _render_queue(council, failed=(action, key, form), status=422)
    moderated, target = services.moderated_target(current_user, council, kind, target_id)
    if action == "hide":
        services.hide_content(
            current_user,
            council,
            kind,
            target_id,
            reason=form.reason.data,
            now=utcnow(),
            link=url_for("moderation.charter"),
        )
        message = _("The content is hidden and its author is told why.")
    else:
        services.restore_content(
            current_user, council, kind, target_id, reason=form.reason.data, now=utcnow(), link=moderated.url(target)
        )
        message = _("The content is visible again and its author is told why.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("moderation.queue", slug=slug))


@bp.post("/councils/<slug>/moderation/<kind>/<int:target_id>/hide")
@access.authenticated
def hide(slug: str, kind: str, target_id: int):
    return _decide(slug, kind, target_id, "hide")


@bp.post("/councils/<slug>/moderation/<kind>/<int:target_id>/restore")
@access.authenticated
def restore(slug: str, kind: str, target_id: int):
    return _decide(slug, kind, target_id, "restore")


@bp.post("/councils/<slug>/moderation/<kind>/<int:target_id>/dismiss")
@access.authenticated
def dismiss(slug: str, kind: str, target_id: int):
    council = council_by_slug(slug)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.dismiss_reports(current_user, council, kind, target_id, now=utcnow())
    db.session.commit()
    flash(_("The reports are dismissed: the content stays as it is."), "success")
    return redirect(url_for("moderation.queue", slug=slug))
