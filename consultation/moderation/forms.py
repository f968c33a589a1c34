"""The report form, and the reason a moderator or an administrator gives for a decision."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from consultation.moderation.models import REASONS
from consultation.moderation.services import DECISION_MAX, DETAILS_MAX

REASON_LABELS = {
    "abuse": _l("Insult, harassment, personal attack or discrimination"),
    "personal_data": _l("Personal data of someone else (address, phone number, health…)"),
    "spam": _l("Spam or advertising"),
    "off_topic": _l("Off topic: nothing to do with the question asked"),
    "other": _l("Something else (say what below)"),
}


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Why do you report this content?"),
        choices=[SelectChoice(reason, REASON_LABELS[reason]) for reason in REASONS],
        validators=[DataRequired(message=_l("Choose why you report this content."))],
    )
    details = TextAreaField(
        _l("A few words for the moderators (optional)"),
        description=_l(
            "Do not copy the personal data you report here. Moderators do not show your name to the author."
        ),
        validators=[Optional(), Length(max=DETAILS_MAX, message=_l("Use at most %(max)d characters."))],
    )

    def validate_details(self, field) -> None:
        if self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("Say in a few words what is wrong."))


class DecisionForm(FlaskForm):
    """Hide or restore content, block or unblock an account: the reason is shown to the person concerned."""

    reason = TextAreaField(
        _l("Reason (the author reads it)"),
        validators=[
            DataRequired(message=_l("Give the reason: the author will read it.")),
            Length(max=DECISION_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )
