"""A council's settings that platform administrators set."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired


class TimeZoneForm(FlaskForm):
    time_zone = SelectField(
        _l("Time zone of the council"),
        description=_l("Times of workshops and votes are typed and shown in this zone, with its name."),
        validators=[DataRequired()],
        validate_choice=True,
    )
