"""The public accessibility statement and its edit form for platform administrators."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from consultation import access
from consultation.errors import NotAllowed
from consultation.extensions import db
from consultation.i18n import current_language, language
from consultation.pages import services
from consultation.pages.forms import STATUS_LABELS, AccessibilityStatementForm
from consultation.pages.models import ComplianceStatus
from consultation.text import render_markdown
from consultation.web import utcnow

bp = Blueprint("pages", __name__)
log = logging.getLogger(__name__)


@bp.get("/accessibility")
@access.public
def accessibility():
    statement = services.current_statement()
    return render_template(
        "pages/accessibility.html",
        statement=statement,
        status=statement.status_enum if statement else ComplianceStatus.NOT_COMPLIANT,
        statuses=ComplianceStatus,
        non_accessible_html=render_markdown(statement.non_accessible_content) if statement else None,
        content_language=language(statement.language if statement else None),
        can_edit=services.can_edit_statement(access.current_actor()),
    )


@bp.route("/accessibility/edit", methods=["GET", "POST"])
@access.authenticated
def edit_accessibility():
    actor = access.current_actor()
    if not services.can_edit_statement(actor):
        raise NotAllowed()
    statement = services.current_statement()
    form = AccessibilityStatementForm(obj=statement)
    if request.method == "GET" and statement is None:
        form.established_on.data = utcnow().date()
    if form.validate_on_submit():
        services.save_statement(
            actor,
            status=ComplianceStatus(form.status.data),
            established_on=form.established_on.data,
            contact=form.contact.data,
            compliance_rate=form.compliance_rate.data,
            entity=form.entity.data or "",
            non_accessible_content=form.non_accessible_content.data or "",
            recourse=form.recourse.data or "",
            language=current_language().code,
            now=utcnow(),
        )
        db.session.commit()
        flash(_("The accessibility statement is saved."), "success")
        return redirect(url_for("pages.accessibility"))
    return render_template(
        "pages/accessibility_edit.html", form=form, status_labels=STATUS_LABELS
    ), 422 if request.method == "POST" else 200


def footer_accessibility_status() -> ComplianceStatus:
    """Jinja global: the status in every page's footer, read once per request."""
    if "accessibility_status" not in g:
        try:
            g.accessibility_status = services.footer_status()
        except SQLAlchemyError:  # an error page must still render when the database is down
            log.warning("accessibility status unavailable", exc_info=True)
            g.accessibility_status = ComplianceStatus.NOT_COMPLIANT
    return g.accessibility_status
