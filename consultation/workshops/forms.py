"""Forms for preparing and running a workshop, and for joining it by code."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from consultation.councils.zones import current_zone
from consultation.forms import AT_MOST_MESSAGE, LENGTH_MESSAGE, optional_id


def to_utc(value: datetime) -> datetime:
    """A time typed in the platform's time zone, as an aware UTC datetime."""
    return value.replace(tzinfo=current_zone()).astimezone(UTC)


def to_local(value: datetime) -> datetime:
    """An aware datetime shown back in a datetime-local field (naive, in the platform's zone)."""
    return value.astimezone(current_zone()).replace(tzinfo=None)


class SmallIntegerField(IntegerField):
    """An integer of at most 9 digits: longer input is refused before any validator sees it
    (WTForms' NumberRange cannot compare integers too large for a float)."""

    def process_formdata(self, valuelist) -> None:
        if valuelist and len(str(valuelist[0]).strip()) > 9:
            self.data = None
            raise ValueError(_l("Give a whole number."))
        super().process_formdata(valuelist)


class WorkshopForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Give the workshop a title.")),
            Length(min=3, max=200, message=LENGTH_MESSAGE),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the workshop is about, and who is welcome."),
        validators=[Optional(), Length(max=5000, message=AT_MOST_MESSAGE)],
    )
    question = SelectField(
        _l("Question worked on"),
        description=_l("The referral or self-referral this workshop feeds."),
        coerce=optional_id,
        validate_choice=True,
    )
    location = StringField(
        _l("Place"),
        description=_l("The address of the room; leave empty for an online-only workshop."),
        validators=[Optional(), Length(max=300, message=AT_MOST_MESSAGE)],
    )
    online_url = StringField(
        _l("Online link"),
        description=_l("The video meeting link, for people who take part from home."),
        validators=[
            Optional(),
            URL(require_tld=False, message=_l("Give a full web address, starting with https://.")),
            Length(max=500, message=AT_MOST_MESSAGE),
        ],
    )
    starts_at = DateTimeLocalField(
        _l("Starts at"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the date and time the workshop starts."))],
    )
    ends_at = DateTimeLocalField(
        _l("Ends at"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the date and time the workshop ends."))],
    )
    capacity = SmallIntegerField(
        _l("Capacity"),
        description=_l("Number of seats; leave empty for no limit. Beyond it, people join a waiting list."),
        validators=[
            Optional(),
            NumberRange(min=1, max=100000, message=_l("Give a number between %(min)s and %(max)s.")),
        ],
    )
    languages_spoken = StringField(
        _l("Languages spoken"),
        description=_l("For example: français, kreyòl ayisyen, português."),
        validators=[Optional(), Length(max=300, message=AT_MOST_MESSAGE)],
    )
    is_published = BooleanField(_l("Published: the workshop is announced on the public pages"))

    def validate_ends_at(self, field) -> None:
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The workshop must end after it starts."))


class AgendaItemForm(FlaskForm):
    item_title = StringField(
        _l("Agenda item"),
        validators=[DataRequired(message=_l("Name the agenda item.")), Length(min=2, max=200, message=LENGTH_MESSAGE)],
    )
    duration = SmallIntegerField(
        _l("Time box in minutes"),
        validators=[
            InputRequired(message=_l("Give the time box in minutes.")),
            NumberRange(min=1, max=600, message=_l("Give a number between %(min)s and %(max)s.")),
        ],
    )


class JoinCodeForm(FlaskForm):
    code = StringField(
        _l("Workshop code"),
        description=_l("The six characters shown in the room, for example: KT4 MXA."),
        validators=[
            DataRequired(message=_l("Type the code shown in the room.")),
            Length(max=20, message=AT_MOST_MESSAGE),
        ],
    )


class JoinForm(FlaskForm):
    display_name = StringField(
        _l("Name shown to others (optional)"),
        description=_l("Leave empty to take part anonymously."),
        validators=[Optional(), Length(max=80, message=AT_MOST_MESSAGE)],
    )
    charter = BooleanField(
        _l("I accept the participation charter"),
        validators=[DataRequired(message=_l("Accept the participation charter to take part."))],
    )


class PhoneProposalForm(FlaskForm):
    title = StringField(
        _l("Title"),
        description=_l("One sentence that says what you propose."),
        validators=[
            DataRequired(message=_l("Give your proposal a title.")),
            Length(min=5, max=200, message=LENGTH_MESSAGE),
        ],
    )
    body = TextAreaField(
        _l("Your proposal"),
        description=_l("Explain what you propose and why."),
        validators=[
            DataRequired(message=_l("Describe your proposal.")),
            Length(min=10, max=5000, message=LENGTH_MESSAGE),
        ],
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason, shown to the author"),
        validators=[
            DataRequired(message=_l("Give the reason: the author will read it.")),
            Length(max=1000, message=AT_MOST_MESSAGE),
        ],
    )


class EditProposalForm(PhoneProposalForm):
    pass


class MergeForm(FlaskForm):
    target = SelectField(_l("Keep this proposal"), coerce=optional_id, validate_choice=True)
    source = SelectField(_l("Merge this duplicate into it"), coerce=optional_id, validate_choice=True)

    def validate_source(self, field) -> None:
        if field.data is not None and field.data == self.target.data:
            raise ValidationError(_l("Choose two different proposals."))


class PaperProposalForm(PhoneProposalForm):
    paper_author = StringField(
        _l("Name written on the note (optional)"),
        validators=[Optional(), Length(max=80, message=AT_MOST_MESSAGE)],
    )


class PaperCountForm(FlaskForm):
    proposal = SelectField(_l("Proposal"), coerce=optional_id, validate_choice=True)
    count = SmallIntegerField(
        _l("Hands raised or paper ballots"),
        validators=[
            InputRequired(message=_l("Give the number counted.")),
            NumberRange(min=1, max=100000, message=_l("Give a number between %(min)s and %(max)s.")),
        ],
    )


class WalkInForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Write the person's name.")), Length(max=120, message=AT_MOST_MESSAGE)],
    )
    channel = SelectField(
        _l("Taking part"),
        choices=[SelectChoice("room", _l("In the room")), SelectChoice("online", _l("Online"))],
        validate_choice=True,
    )


class MinutesForm(FlaskForm):
    body = TextAreaField(
        _l("Minutes"),
        description=_l("Markdown: **bold**, lists with - or 1. Each save keeps the earlier versions."),
        validators=[
            DataRequired(message=_l("The minutes cannot be empty.")),
            Length(max=100000, message=AT_MOST_MESSAGE),
        ],
    )
