"""Forms of the privacy pages: delete one's account, a council's retention period."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField
from wtforms.validators import DataRequired, NumberRange, Optional

from consultation.privacy.rules import MAX_RETENTION_MONTHS


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your current password"),
        description=_l("To make sure it is you who asks."),
        validators=[DataRequired(message=_l("Enter your password."))],
    )
    confirm = BooleanField(
        _l("I understand that my account will be deleted for good"),
        validators=[DataRequired(message=_l("Tick the box to confirm that you want to delete your account."))],
    )


class RetentionForm(FlaskForm):
    retention_months = IntegerField(
        _l("Months personal data is kept after a workshop"),
        description=_l(
            "After this many months, names on sign-in sheets, names chosen when joining with a code and "
            "registrations of ended workshops are erased. Leave empty to keep them until people delete them."
        ),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=MAX_RETENTION_MONTHS, message=_l("Enter a number of months between %(min)d and %(max)d.")
            ),
        ],
    )
