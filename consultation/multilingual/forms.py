"""Forms: propose a translation, reject one with a reason, write an easy-to-read summary."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class TranslationForm(FlaskForm):
    language = SelectField(
        _l("Into which language?"),
        validate_choice=False,  # the service says why a language is refused, in words
        validators=[DataRequired(message=_l("Choose a language."))],
    )
    title = StringField(
        _l("Translated title"),
        validators=[DataRequired(message=_l("Translate the title.")), Length(max=300)],
    )
    body = TextAreaField(
        _l("Translated text"),
        validators=[Optional(), Length(max=10000, message=_l("Use at most %(max)d characters."))],
    )


class RejectTranslationForm(FlaskForm):
    reason = StringField(
        _l("Why is this translation not kept?"),
        validators=[DataRequired(message=_l("Say why, so the translator can do better.")), Length(max=500)],
    )


class EasyReadForm(FlaskForm):
    easy_read = TextAreaField(
        _l("Easy-to-read version"),
        description=_l("Short sentences, everyday words, one idea per sentence. Markdown: **bold**, lists with - ."),
        validators=[Optional(), Length(max=5000, message=_l("Use at most %(max)d characters."))],
    )
