"""Forms of the diagnostic: open one, propose a challenge, moderate it, link a workshop, open the vote."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from consultation.diagnostic.rules import DEFAULT_METHOD
from consultation.forms import AT_MOST_MESSAGE, LENGTH_MESSAGE, optional_id


class DiagnosticForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Give the diagnostic a title.")),
            Length(min=3, max=200, message=LENGTH_MESSAGE),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the diagnostic covers and how the challenges will be used. Markdown."),
        validators=[Optional(), Length(max=10000, message=AT_MOST_MESSAGE)],
    )
    opens_on = DateField(_l("Opens on"), validators=[InputRequired(message=_l("Give the opening date."))])
    closes_on = DateField(
        _l("Challenges accepted until (optional)"),
        description=_l("Leave empty to collect challenges until the prioritisation vote opens."),
        validators=[Optional()],
    )

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The diagnostic must close after it opens."))


class ChallengeForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("One sentence that names the challenge."),
        validators=[
            DataRequired(message=_l("Give the challenge a title.")),
            Length(min=5, max=200, message=LENGTH_MESSAGE),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What is at stake for the territory, and for whom."),
        validators=[
            DataRequired(message=_l("Describe the challenge.")),
            Length(min=10, max=5000, message=LENGTH_MESSAGE),
        ],
    )
    theme = SelectField(_l("Theme"), coerce=optional_id, validate_choice=True)


class ModerateForm(FlaskForm):
    decision = RadioField(
        _l("Decision"), validators=[InputRequired(message=_l("Choose a decision."))], validate_choice=True
    )
    target = SelectField(_l("Merge into"), coerce=optional_id, validate_choice=True)
    reason = TextAreaField(
        _l("Reason"),
        description=_l("The author reads it. Needed for a rejection."),
        validators=[Optional(), Length(max=2000, message=AT_MOST_MESSAGE)],
    )


class LinkWorkshopForm(FlaskForm):
    workshop = SelectField(
        _l("Workshop"),
        coerce=optional_id,
        validate_choice=True,
        validators=[InputRequired(message=_l("Choose a workshop."))],
    )


class PrioritiseForm(FlaskForm):
    method = SelectField(_l("Voting method"), validate_choice=True, default=DEFAULT_METHOD)
