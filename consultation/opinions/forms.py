"""The opinion drafting form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class OpinionForm(FlaskForm):
    title = StringField(
        _l("Title of the opinion"),
        validators=[
            DataRequired(message=_l("Give the opinion a title.")),
            Length(min=5, max=200, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    recommendations = TextAreaField(
        _l("Recommendations"),
        description=_l("One recommendation per paragraph or list item. Markdown is accepted."),
        validators=[
            DataRequired(message=_l("Write the council's recommendations.")),
            Length(max=50000, message=_l("Use at most %(max)d characters.")),
        ],
    )


class NewOpinionForm(OpinionForm):
    top = IntegerField(
        _l("Number of proposals to include"),
        description=_l("The most supported proposals are listed with their counts."),
        default=10,
        validators=[
            InputRequired(message=_l("Enter a number.")),
            NumberRange(min=1, max=500, message=_l("Enter a number between %(min)d and %(max)d.")),
        ],
    )
