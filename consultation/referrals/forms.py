"""The form for recording a question put to a council."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError


class QuestionForm(FlaskForm):
    title = StringField(
        _l("Question"),
        validators=[
            DataRequired(message=_l("Write the question.")),
            Length(min=5, max=200, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    text = TextAreaField(
        _l("Details"),
        description=_l("The letter of referral, or why the council takes the question up."),
        validators=[Optional(), Length(max=10000, message=_l("Use at most %(max)d characters."))],
    )
    kind = SelectField(
        _l("Kind"),
        choices=[
            SelectChoice("referral", _l("Referred to the council")),
            SelectChoice("self", _l("Taken up by the council itself")),
        ],
        validate_choice=True,
    )
    referred_by = StringField(
        _l("Referred by"),
        description=_l("For a referral: the mayor, a deputy mayor, a department."),
        validators=[Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    referred_on = DateField(_l("Date of the referral"), validators=[InputRequired(message=_l("Give a date."))])
    answer_expected_on = DateField(_l("Answer expected by (optional)"), validators=[Optional()])

    def validate_referred_by(self, field) -> None:
        if self.kind.data == "referral" and not (field.data or "").strip():
            raise ValidationError(_l("Say who referred the question to the council."))

    def validate_answer_expected_on(self, field) -> None:
        if field.data and self.referred_on.data and field.data < self.referred_on.data:
            raise ValidationError(_l("The answer cannot be expected before the referral."))
