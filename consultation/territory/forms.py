"""Forms of the territory: an organisation's entry, a request to represent one, an expert's invitation,
a project request and its follow-up, and the directory's search (a GET form: its state is the URL)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Form,
    SearchField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from consultation.forms import AT_MOST_MESSAGE, LENGTH_MESSAGE, MultiCheckboxField, optional_id
from consultation.territory import rules


def _check_email(form, field) -> None:
    if field.data and not rules.valid_email(field.data.strip()):
        raise ValidationError(_l("Enter an email address like name@example.org."))


def _check_phone(form, field) -> None:
    if field.data and not rules.valid_phone(field.data.strip()):
        raise ValidationError(_l("Enter a phone number with 6 to 15 digits, like 0594 30 12 34 or +594 594 30 12 34."))


def _check_website(form, field) -> None:
    if field.data and field.data.strip() and rules.normalise_website(field.data) is None:
        raise ValidationError(_l("Enter a web address like https://example.org."))


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[
            DataRequired(message=_l("Give the organisation's name.")),
            Length(min=2, max=200, message=LENGTH_MESSAGE),
        ],
    )
    kind = SelectField(_l("Kind of organisation"), validate_choice=True)
    description = TextAreaField(
        _l("Presentation"),
        description=_l("What the organisation is and does, in a few sentences."),
        validators=[Optional(), Length(max=3000, message=AT_MOST_MESSAGE)],
    )
    services = TextAreaField(
        _l("Services offered"),
        description=_l("What people can come for: advice, funding, premises, training, tools…"),
        validators=[Optional(), Length(max=3000, message=AT_MOST_MESSAGE)],
    )
    themes = MultiCheckboxField(_l("Themes"), coerce=int, validate_choice=True)
    districts = MultiCheckboxField(
        _l("Districts served"),
        description=_l("None ticked means the whole territory."),
        coerce=int,
        validate_choice=True,
    )
    languages = MultiCheckboxField(_l("Languages spoken"), validate_choice=True)
    opening_hours = TextAreaField(
        _l("Opening hours"),
        description=_l("For example: Monday to Friday, 8:30 to 12:30."),
        validators=[Optional(), Length(max=500, message=AT_MOST_MESSAGE)],
    )
    is_welcoming_holders = BooleanField(_l("Welcomes project holders"))
    email = EmailField(
        _l("Public email address"),
        validators=[Optional(), Length(max=254, message=AT_MOST_MESSAGE), _check_email],
    )
    phone = TelField(
        _l("Public phone number"), validators=[Optional(), Length(max=40, message=AT_MOST_MESSAGE), _check_phone]
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300, message=AT_MOST_MESSAGE)])
    website = StringField(
        _l("Website"),
        description=_l("For example: https://example.org"),
        validators=[Optional(), Length(max=300, message=AT_MOST_MESSAGE), _check_website],
    )


class RepresentForm(OrganisationForm):
    """Ask to represent an organisation of the directory, or describe a new one."""

    organisation = SelectField(
        _l("Organisation"),
        description=_l(
            "Choose it in the directory; if it is not there yet, choose “A new organisation” and describe it."
        ),
        coerce=optional_id,
        validate_choice=True,
    )
    role_title = StringField(
        _l("Your role in the organisation"),
        description=_l("For example: president, employee, volunteer."),
        validators=[
            DataRequired(message=_l("Say what your role in the organisation is.")),
            Length(max=120, message=AT_MOST_MESSAGE),
        ],
    )
    message = TextAreaField(
        _l("Message to the facilitators (optional)"),
        validators=[Optional(), Length(max=2000, message=AT_MOST_MESSAGE)],
    )

    def validate(self, extra_validators=None) -> bool:
        if self.organisation.data is not None:
            # An existing organisation: its entry is not retyped, so its fields are not checked.
            for name in (
                "name",
                "kind",
                "description",
                "services",
                "themes",
                "districts",
                "languages",
                "opening_hours",
                "email",
                "phone",
                "address",
                "website",
            ):
                self._fields[name].validators = [Optional()]
                self._fields[name].flags.required = False
            self.kind.validate_choice = False
        return super().validate(extra_validators)


class ExpertForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=optional_id, validate_choice=True)
    person_name = StringField(
        _l("Name of the expert"),
        validators=[
            DataRequired(message=_l("Give the expert's name.")),
            Length(max=120, message=AT_MOST_MESSAGE),
        ],
    )
    role = StringField(
        _l("Role or subject"),
        description=_l("For example: director, funding adviser."),
        validators=[Optional(), Length(max=120, message=AT_MOST_MESSAGE)],
    )

    def validate_organisation(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose an organisation of the council's directory."))


class ProjectRequestForm(FlaskForm):
    title = StringField(
        _l("Your project in a few words"),
        validators=[
            DataRequired(message=_l("Give your project a name or a short title.")),
            Length(min=3, max=200, message=LENGTH_MESSAGE),
        ],
    )
    description = TextAreaField(
        _l("Describe your project"),
        description=_l("What you want to do, for whom, where you are now. A few sentences are enough."),
        validators=[
            DataRequired(message=_l("Describe your project in a few sentences.")),
            Length(min=10, max=5000, message=LENGTH_MESSAGE),
        ],
    )
    needs = MultiCheckboxField(_l("What do you need?"), validate_choice=True)
    needs_other = StringField(
        _l("Other need"),
        description=_l("If you ticked “Other”: say which."),
        validators=[Optional(), Length(max=300, message=AT_MOST_MESSAGE)],
    )
    themes = MultiCheckboxField(_l("Themes of the project"), coerce=int, validate_choice=True)
    district = SelectField(_l("District"), coerce=optional_id, validate_choice=True)
    language = SelectField(
        _l("Language of your request"),
        description=_l("Write in the language you prefer: we look for organisations that speak it."),
        validate_choice=True,
    )

    def validate_needs(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one need."))


class ReferForm(FlaskForm):
    organisations = MultiCheckboxField(_l("Organisations to refer the request to"), coerce=int, validate_choice=True)
    message = TextAreaField(
        _l("Message (optional)"),
        description=_l("The holder reads it on the request's page, and so do the organisations."),
        validators=[Optional(), Length(max=2000, message=AT_MOST_MESSAGE)],
    )

    def validate_organisations(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one organisation."))


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), validate_choice=True)


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Note for the team"),
        description=_l("Only the facilitators and officers read it; the holder does not."),
        validators=[DataRequired(message=_l("Write the note.")), Length(max=3000, message=AT_MOST_MESSAGE)],
    )


class DirectoryForm(Form):
    """The directory's search and filters, read from and written to the query string."""

    q = SearchField(_l("Search by name or service"), validators=[Optional(), Length(max=200)])
    kind = SelectField(_l("Kind of organisation"), validate_choice=False)
    theme = SelectField(_l("Theme"), validate_choice=False)
    district = SelectField(_l("District"), validate_choice=False)
    language = SelectField(_l("Language spoken"), validate_choice=False)
    welcomes = BooleanField(_l("Welcomes project holders"))
