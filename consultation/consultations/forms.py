"""Forms of online consultations: the consultation itself, a proposal, a comment, moderation, and the
list's search and filters (a GET form: its state is the URL)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Form,
    HiddenField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from consultation.forms import AT_MOST_MESSAGE, LENGTH_MESSAGE, MultiCheckboxField, optional_id


class ConsultationForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Give the consultation a title.")),
            Length(min=3, max=200, message=LENGTH_MESSAGE),
        ],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the council asks residents, and what it will do with their proposals. Markdown."),
        validators=[Optional(), Length(max=10000, message=AT_MOST_MESSAGE)],
    )
    question = SelectField(
        _l("Question worked on"),
        description=_l("The referral or self-referral this consultation feeds."),
        coerce=optional_id,
        validate_choice=True,
    )
    opens_at = DateTimeLocalField(
        _l("Opens at"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the date and time the consultation opens."))],
    )
    closes_at = DateTimeLocalField(
        _l("Closes at"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(message=_l("Give the date and time the consultation closes."))],
    )
    themes = MultiCheckboxField(
        _l("Themes covered"),
        description=_l("Proposals are filed under one of them; none ticked means all the council's themes."),
        coerce=int,
        validate_choice=True,
    )
    districts = MultiCheckboxField(
        _l("Districts covered"),
        description=_l("None ticked means the whole territory."),
        coerce=int,
        validate_choice=True,
    )
    is_published = BooleanField(_l("Published: the consultation is announced on the public pages"))

    def validate_closes_at(self, field) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The consultation must close after it opens."))


class ProposalForm(FlaskForm):
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
        description=_l("Explain what you propose and why. You can use Markdown: **bold**, *italics*, lists."),
        validators=[
            DataRequired(message=_l("Describe your proposal.")),
            Length(min=10, max=5000, message=LENGTH_MESSAGE),
        ],
    )
    theme = SelectField(_l("Theme"), coerce=optional_id, validate_choice=True)
    district = SelectField(_l("District"), coerce=optional_id, validate_choice=True)
    language = SelectField(
        _l("Language of your text"),
        description=_l("Write in the language you prefer: say which one, so that readers and translators know."),
        validate_choice=True,
    )
    # Its hint names the size limit, set by the view from the configuration.
    attachment = FileField(_l("Image or PDF (optional)"))
    attachment_description = StringField(
        _l("Description of the image (optional)"),
        description=_l("What the image shows, for people who cannot see it."),
        validators=[Optional(), Length(max=300, message=AT_MOST_MESSAGE)],
    )
    remove_attachment = BooleanField(_l("Remove the attached file"))


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        description=_l("Be kind and stay on the subject. You can use Markdown."),
        validators=[
            DataRequired(message=_l("Write your comment.")),
            Length(min=2, max=3000, message=LENGTH_MESSAGE),
        ],
    )
    parent_id = HiddenField()


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("The author reads it."),
        validators=[DataRequired(message=_l("Give the reason: the author will read it.")), Length(max=2000)],
    )


class MergeForm(FlaskForm):
    target = SelectField(_l("Merge into"), coerce=optional_id, validate_choice=True)


class RetainForm(FlaskForm):
    workshop = SelectField(_l("Workshop"), coerce=optional_id, validate_choice=True)


class ListForm(Form):
    """Search, filters and sort of a consultation's proposals, read from and written to the query string."""

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)])
    theme = SelectField(_l("Theme"), validate_choice=False)
    district = SelectField(_l("District"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)
    sort = SelectField(_l("Sort by"), validate_choice=False)
