"""Registration, login, language, password and profile forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError

from consultation.accounts.passwords import is_common
from consultation.forms import MultiCheckboxField
from consultation.i18n import LANGUAGES

PASSWORD_MIN = 10


# Each form gets its own field objects: these functions keep one set of rules and messages.
def _display_name_field() -> StringField:
    return StringField(
        _l("Name shown to others"),
        description=_l("A first name or a nickname is enough."),
        validators=[
            DataRequired(message=_l("Enter the name others will see.")),
            Length(max=80, message=_l("Use at most %(max)d characters.")),
        ],
    )


def _email_field(label=None) -> EmailField:
    return EmailField(
        label or _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter an email address like name@example.fr."), check_deliverability=False),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
        ],
    )


def _not_common(_form, field) -> None:
    if field.data and is_common(field.data):
        raise ValidationError(_l("This password is among the most used ones, which are tried first: choose another."))


def _new_password_field(label=None) -> PasswordField:
    return PasswordField(
        label or _l("Password"),
        description=_l("At least %(min)d characters, not a common password.", min=PASSWORD_MIN),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(min=PASSWORD_MIN, max=200, message=_l("Use between %(min)d and %(max)d characters.")),
            _not_common,
        ],
    )


def _confirm_field() -> PasswordField:
    return PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(message=_l("Type the password a second time.")),
            EqualTo("password", message=_l("The two passwords are different.")),
        ],
    )


def _current_password_field() -> PasswordField:
    return PasswordField(_l("Current password"), validators=[DataRequired(message=_l("Enter your current password."))])


class RegisterForm(FlaskForm):
    display_name = _display_name_field()
    email = _email_field()
    password = _new_password_field()
    confirm = _confirm_field()
    consent = BooleanField(
        _l("I accept the participation charter and the privacy notice"),
        validators=[
            DataRequired(message=_l("Accept the participation charter and the privacy notice to create an account."))
        ],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Enter your password."))])
    remember = BooleanField(_l("Stay logged in on this device"))
    next = HiddenField()


class LanguageForm(FlaskForm):
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, lang.name) for code, lang in LANGUAGES.items()],
        validators=[DataRequired()],
    )
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    # Only the shape: an existing account may have an address the strict check now refuses (a .test demo).
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Regexp(r"^[^@\s]+@[^@\s]+$", message=_l("Enter an email address like name@example.fr.")),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
        ],
    )


class ResetPasswordForm(FlaskForm):
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class ChangePasswordForm(FlaskForm):
    current_password = _current_password_field()
    password = _new_password_field(_l("New password"))
    confirm = _confirm_field()


class ChangeEmailForm(FlaskForm):
    email = _email_field(_l("New email address"))
    current_password = _current_password_field()


class ProfileForm(FlaskForm):
    display_name = _display_name_field()
    locale = SelectField(
        _l("Language of the pages and of the mail we send you"),
        validators=[Optional()],
    )
    languages_spoken = StringField(
        _l("Languages you speak (optional)"),
        description=_l("For example: French, Haitian Creole, Portuguese. Facilitators can plan interpreting."),
        validators=[Optional(), Length(max=200, message=_l("Use at most %(max)d characters."))],
    )
    email_kinds = MultiCheckboxField(_l("Send me an email when"))
    email_delivery = RadioField(
        _l("How often"),
        choices=[
            SelectChoice("immediate", _l("Right away: one email for each notification")),
            SelectChoice("daily", _l("Once a day: one email that gathers the day's notifications")),
        ],
        default="immediate",
        validators=[DataRequired(message=_l("Choose how often you receive email."))],
    )

    def __init__(self, *args, email_kinds: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = [SelectChoice("", _l("The language of my browser"))] + [
            SelectChoice(code, lang.name) for code, lang in LANGUAGES.items()
        ]
        self.email_kinds.choices = [SelectChoice(kind, label) for kind, label in email_kinds.items()]


class CodeForm(FlaskForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[
            DataRequired(message=_l("Enter the code your app shows.")),
            Regexp(r"^\s*\d{3}\s?\d{3}\s*$", message=_l("The code has six digits.")),
        ],
    )


class DisableTwoFactorForm(CodeForm):
    current_password = _current_password_field()
