"""A council's settings that platform administrators set."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class TimeZoneForm(FlaskForm):
    time_zone = SelectField(
        _l("Time zone of the council"),
        description=_l("Times of workshops and votes are typed and shown in this zone, with its name."),
        validators=[DataRequired()],
        validate_choice=True,
    )


class DistrictForm(FlaskForm):
    name = StringField(
        _l("Name of the district"),
        validators=[
            DataRequired(message=_l("Give the district a name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
        ],
    )


class ResidenceForm(FlaskForm):
    district = SelectField(_l("The district where I live"), validate_choice=True)


class ThemeForm(FlaskForm):
    name = StringField(
        _l("Name of the theme"),
        validators=[
            DataRequired(message=_l("Give the theme a name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
        ],
    )


class RenameForm(FlaskForm):
    """A new name for a theme or a district (each one's form has its own prefix)."""

    name = StringField(
        _l("New name"),
        validators=[
            DataRequired(message=_l("Give the new name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
        ],
    )
