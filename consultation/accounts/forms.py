"""Registration, login and language forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from consultation.i18n import LANGUAGES

PASSWORD_MIN = 10


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Name shown to others"),
        description=_l("A first name or a nickname is enough."),
        validators=[
            DataRequired(message=_l("Enter the name others will see.")),
            Length(max=80, message=_l("Use at most %(max)d characters.")),
        ],
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Email(message=_l("Enter an email address like name@example.fr."), check_deliverability=False),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least %(min)d characters.", min=PASSWORD_MIN),
        validators=[
            DataRequired(message=_l("Choose a password.")),
            Length(min=PASSWORD_MIN, max=200, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(message=_l("Type the password a second time.")),
            EqualTo("password", message=_l("The two passwords are different.")),
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
