"""Read and save the accessibility statement."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from consultation.errors import NotAllowed
from consultation.extensions import db
from consultation.pages.models import AccessibilityStatement, ComplianceStatus
from consultation.permissions import Actor


def can_edit_statement(actor: Actor) -> bool:
    return actor.is_admin


def current_statement() -> AccessibilityStatement | None:
    return db.session.scalars(select(AccessibilityStatement).order_by(AccessibilityStatement.id).limit(1)).first()


def save_statement(
    actor: Actor,
    *,
    status: ComplianceStatus,
    established_on: date,
    contact: str,
    compliance_rate: int | None = None,
    entity: str = "",
    non_accessible_content: str = "",
    recourse: str = "",
    language: str,
    now: datetime,
) -> AccessibilityStatement:
    if not can_edit_statement(actor):
        raise NotAllowed(_l("Only a platform administrator can edit the accessibility statement."))
    statement = current_statement()
    if statement is None:
        statement = AccessibilityStatement(established_on=established_on, contact=contact)
        db.session.add(statement)
    statement.status = ComplianceStatus(status).value
    statement.compliance_rate = compliance_rate
    statement.established_on = established_on
    statement.entity = entity.strip()
    statement.contact = contact.strip()
    statement.non_accessible_content = non_accessible_content.strip()
    statement.recourse = recourse.strip()
    statement.language = language
    statement.updated_at = now
    statement.updated_by_id = actor.user_id
    db.session.flush()
    return statement


def footer_status() -> ComplianceStatus:
    """The status every page's footer announces (RGAA asks for it on each page)."""
    # Only the status column: every page asks, and the statement's texts are long.
    status = db.session.scalar(select(AccessibilityStatement.status).order_by(AccessibilityStatement.id).limit(1))
    return ComplianceStatus(status) if status else ComplianceStatus.NOT_COMPLIANT
