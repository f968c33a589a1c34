"""Forms shared by several domains."""

from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A button that changes something: a POST carrying only its CSRF token."""
