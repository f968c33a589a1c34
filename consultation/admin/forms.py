"""Forms of the administration pages: a council, a member and a role, the CSV of invitations, a block."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from consultation.moderation.services import DECISION_MAX
from consultation.permissions import Role

ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.MEMBER: _l("Council member"),
    Role.SECRETARY: _l("Council secretary"),
    Role.PRESIDENT: _l("Council president"),
    Role.OFFICER: _l("Municipal officer"),
    Role.ADMIN: _l("Administrator of the council"),
}


class CouncilForm(FlaskForm):
    name = StringField(
        _l("Name of the council"),
        validators=[
            DataRequired(message=_l("Give the council a name.")),
            Length(max=200, message=_l("Use at most %(max)d characters.")),
        ],
    )
    slug = StringField(
        _l("Identifier in addresses"),
        description=_l("Lower-case letters, digits and hyphens, like “macouria”: it appears in the council's links."),
        validators=[
            DataRequired(message=_l("Give the council an identifier.")),
            Length(max=80, message=_l("Use at most %(max)d characters.")),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Use lower-case letters, digits and hyphens only, like “macouria”."),
            ),
        ],
    )
    territory = StringField(
        _l("Territory (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    description = TextAreaField(
        _l("Description (optional)"),
        validators=[Optional(), Length(max=5000, message=_l("Use at most %(max)d characters."))],
    )


class MemberForm(FlaskForm):
    email = EmailField(
        _l("Email address of the account"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Enter the person's email address.")),
            Email(message=_l("Enter an email address like name@example.fr."), check_deliverability=False),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
        ],
    )
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose a role."))], validate_choice=True)


class RoleForm(FlaskForm):
    role = SelectField(_l("New role"), validators=[DataRequired(message=_l("Choose a role."))], validate_choice=True)


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file of the members"),
        description=_l(
            "One line per person under the column names email, display_name, role (and optionally language), "
            "separated by commas or semicolons, saved as CSV UTF-8."
        ),
        validators=[FileRequired(message=_l("Choose the CSV file to import."))],
    )
    check_only = BooleanField(_l("Only check the file, import nothing"))


class BlockForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the person reads it)"),
        validators=[
            DataRequired(message=_l("Give the reason: the person will read it.")),
            Length(max=DECISION_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )
