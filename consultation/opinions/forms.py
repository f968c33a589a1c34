"""Forms of the opinion's life: drafting, comments, adoption vote, transmission, answer."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from consultation.forms import MultiCheckboxField, optional_id
from consultation.opinions.rules import AnswerStatus

MAX_RECOMMENDATIONS = 40


class RecommendationForm(Form):
    text = TextAreaField(
        _l("Recommendation"), validators=[Optional(), Length(max=5000, message=_l("Use at most %(max)d characters."))]
    )
    sources = MultiCheckboxField(_l("It comes from the proposals"), coerce=int, validate_choice=True)


class OpinionForm(FlaskForm):
    title = StringField(
        _l("Title of the opinion"),
        validators=[
            DataRequired(message=_l("Give the opinion a title.")),
            Length(min=5, max=200, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    question = SelectField(_l("Question referred to the council"), coerce=optional_id, validate_choice=True)
    context = TextAreaField(
        _l("Context and question"),
        description=_l("Why the council speaks, and on what. Markdown is accepted."),
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    findings = TextAreaField(
        _l("Findings"),
        description=_l("What the workshops and votes showed."),
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    recommendations = FieldList(FormField(RecommendationForm), min_entries=1, max_entries=MAX_RECOMMENDATIONS)
    dissent = TextAreaField(
        _l("Dissenting opinions and alternative proposals"),
        description=_l("Views that differ from the majority are recorded here, as the national framework asks."),
        validators=[Length(max=20000, message=_l("Use at most %(max)d characters."))],
    )
    add_recommendation = SubmitField(_l("Add a recommendation"))


class NewOpinionForm(OpinionForm):
    top = IntegerField(
        _l("Number of proposals to include"),
        description=_l("The most supported proposals are listed with their counts."),
        default=10,
        validators=[
            InputRequired(message=_l("Enter a number.")),
            NumberRange(min=1, max=500, message=_l("Enter a number between %(min)d and %(max)d.")),
        ],
    )


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        validators=[
            DataRequired(message=_l("Write your comment.")),
            Length(max=5000, message=_l("Use at most %(max)d characters.")),
        ],
    )


class AdoptionVoteForm(FlaskForm):
    majority = SelectField(
        _l("Majority required"),
        choices=[
            SelectChoice("simple", _l("Simple majority: more yes than no")),
            SelectChoice("absolute", _l("Absolute majority: more than half of the ballots")),
            SelectChoice("two_thirds", _l("Two thirds of the yes and no")),
        ],
    )
    quorum = IntegerField(
        _l("Quorum (minimum number of ballots)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=10000, message=_l("Enter a number between %(min)d and %(max)d.")),
        ],
    )
    is_secret = BooleanField(_l("Secret ballot"))


class TransmitForm(FlaskForm):
    addressee = StringField(
        _l("Addressee"),
        description=_l("For example: the mayor, a deputy mayor, a department."),
        validators=[DataRequired(message=_l("Say to whom the opinion is sent.")), Length(max=200)],
    )
    on = DateField(_l("Date of transmission"), validators=[InputRequired(message=_l("Enter a date."))])


class AcknowledgeForm(FlaskForm):
    on = DateField(_l("Date of the acknowledgement"), validators=[InputRequired(message=_l("Enter a date."))])


ANSWER_CHOICES = [
    SelectChoice(AnswerStatus.ACCEPTED.value, _l("Accepted")),
    SelectChoice(AnswerStatus.PARTLY.value, _l("Partly accepted")),
    SelectChoice(AnswerStatus.REFUSED.value, _l("Refused")),
    SelectChoice(AnswerStatus.UNDER_STUDY.value, _l("Under study")),
]


class RecommendationAnswerForm(Form):
    status = SelectField(_l("Answer"), choices=ANSWER_CHOICES)
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Give the reason of the answer.")), Length(max=5000)],
    )
    expected_on = DateField(_l("Expected date (optional)"), validators=[Optional()])


class AnswerForm(FlaskForm):
    answered_on = DateField(_l("Date of the answer"), validators=[InputRequired(message=_l("Enter a date."))])
    summary = TextAreaField(
        _l("Overall answer"), validators=[DataRequired(message=_l("Write the overall answer.")), Length(max=20000)]
    )
    answers = FieldList(FormField(RecommendationAnswerForm), min_entries=0)
