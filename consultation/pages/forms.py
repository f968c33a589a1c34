"""The accessibility statement form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from consultation.pages.models import ComplianceStatus

STATUS_LABELS = {
    ComplianceStatus.NOT_COMPLIANT: _l("Not compliant"),
    ComplianceStatus.PARTIALLY_COMPLIANT: _l("Partially compliant"),
    ComplianceStatus.FULLY_COMPLIANT: _l("Fully compliant"),
}


class AccessibilityStatementForm(FlaskForm):
    status = SelectField(
        _l("Compliance status"),
        description=_l("Without an audit, the law requires the status “not compliant”."),
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
        validators=[InputRequired(message=_l("Choose a compliance status."))],
    )
    compliance_rate = IntegerField(
        _l("Compliance rate, in percent"),
        description=_l("The share of RGAA criteria met, from the last audit. Leave empty without an audit."),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Enter a number between %(min)d and %(max)d."))],
    )
    established_on = DateField(
        _l("Date of the statement"),
        description=_l("For example 2026-11-28."),
        validators=[InputRequired(message=_l("Enter a date like 2026-11-28."))],
    )
    entity = StringField(
        _l("Body responsible for the platform"),
        description=_l("For example: Town of Macouria."),
        validators=[Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    contact = TextAreaField(
        _l("How to report an accessibility problem"),
        description=_l("An email address, a postal address or a phone number where someone answers."),
        validators=[
            DataRequired(message=_l("Give at least one way to contact you.")),
            Length(max=2000, message=_l("Use at most %(max)d characters.")),
        ],
    )
    non_accessible_content = TextAreaField(
        _l("Content that is not accessible"),
        description=_l("What does not work yet, and what replaces it meanwhile. Markdown is accepted."),
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    recourse = TextAreaField(
        _l("Other ways of recourse"),
        description=_l("Optional: the page always explains how to refer the matter to the Défenseur des droits."),
        validators=[Length(max=5000, message=_l("Use at most %(max)d characters."))],
    )

    def validate_established_on(self, field) -> None:
        # Stops an absurd year typed by mistake; the date itself may be in the past or today.
        if field.data and not 2000 <= field.data.year <= 2100:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Enter a date like 2026-11-28."))
