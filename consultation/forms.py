"""Form pieces shared by several domains: a button's form, the checkbox group, the coercion of an
optional id from a select, and the usual length messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

LENGTH_MESSAGE = _l("Use between %(min)d and %(max)d characters.")
AT_MOST_MESSAGE = _l("Use at most %(max)d characters.")


def optional_id(value: str | int | None) -> int | None:
    """A select sends a string; "" and anything not a number (or too long to be an id) mean none."""
    if isinstance(value, int):
        return value
    return int(value) if value and str(value).isdigit() and len(str(value)) <= 9 else None


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes answering one question (a fieldset with a legend, see macros/forms.html):
    easier than a multiple select on a phone and with a screen reader."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ButtonForm(FlaskForm):
    """A button that changes something: a POST carrying only its CSRF token."""
