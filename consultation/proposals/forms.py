"""The proposal form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


def _theme_id(value: str | int | None) -> int | None:
    """The select sends a string; "" (no theme) and anything not a number mean no theme."""
    if isinstance(value, int):
        return value
    return int(value) if value and str(value).isdigit() else None


class ProposalForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("One sentence that says what you propose."),
        validators=[
            DataRequired(message=_l("Give your proposal a title.")),
            Length(min=5, max=200, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    body = TextAreaField(
        _l("Your proposal"),
        description=_l("Explain what you propose and why."),
        validators=[
            DataRequired(message=_l("Describe your proposal.")),
            Length(min=10, max=5000, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    theme = SelectField(_l("Theme"), coerce=_theme_id, validate_choice=True)
