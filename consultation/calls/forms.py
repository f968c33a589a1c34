"""Forms of calls for projects: the terms, an application, the jury, a jury member's marks and conflicts,
and the results."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from consultation.calls.rules import MAX_CRITERIA, MAX_PARTNERS, MAX_SCORE
from consultation.forms import AT_MOST_MESSAGE, LENGTH_MESSAGE, MultiCheckboxField, optional_id
from consultation.workshops.forms import SmallIntegerField

WHOLE_NUMBER = _l("Give a whole number.")


class CriterionForm(Form):
    name = StringField(_l("Criterion"), validators=[Optional(), Length(max=200, message=AT_MOST_MESSAGE)])
    weight = SmallIntegerField(
        _l("Weight"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=100, message=_l("Give a weight between 1 and 100."))],
    )
    description = TextAreaField(
        _l("What the jury looks at"), validators=[Optional(), Length(max=2000, message=AT_MOST_MESSAGE)]
    )


class CallForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the call a title.")), Length(min=3, max=200, message=LENGTH_MESSAGE)],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What the call funds and why. Markdown."),
        validators=[Optional(), Length(max=10000, message=AT_MOST_MESSAGE)],
    )
    themes = StringField(
        _l("Themes"),
        description=_l("The themes the projects should address, separated by commas."),
        validators=[Optional(), Length(max=500, message=AT_MOST_MESSAGE)],
    )
    eligibility = TextAreaField(
        _l("Eligibility"),
        description=_l("Who may apply, and on which conditions."),
        validators=[Optional(), Length(max=5000, message=AT_MOST_MESSAGE)],
    )
    budget = SmallIntegerField(
        _l("Budget (euros)"),
        validators=[
            InputRequired(message=_l("Give the call's budget.")),
            NumberRange(min=1, message=_l("Give a budget of at least 1 euro.")),
        ],
    )
    opens_on = DateField(_l("Applications open on"), validators=[InputRequired(message=_l("Give the opening date."))])
    closes_on = DateField(_l("Applications close on"), validators=[InputRequired(message=_l("Give the closing date."))])
    scoring = RadioField(_l("How the jury scores"), validate_choice=True, default="score")
    min_organisations = SmallIntegerField(
        _l("Organisations required in a group"),
        description=_l("0: people and organisations may apply alone."),
        default=0,
        validators=[
            InputRequired(message=WHOLE_NUMBER),
            NumberRange(min=0, max=MAX_PARTNERS, message=_l("Give a number between 0 and 10.")),
        ],
    )
    workshop = SelectField(
        _l("Workshop where the terms are drafted"),
        description=_l("Actors make proposals and comments on the terms there."),
        coerce=optional_id,
        validate_choice=True,
    )
    challenges = MultiCheckboxField(_l("Challenges the call answers"), coerce=int, validate_choice=True)
    criteria = FieldList(FormField(CriterionForm), min_entries=5, max_entries=MAX_CRITERIA)

    def validate_closes_on(self, field) -> None:
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The call must close after it opens."))

    def validate_criteria(self, field) -> None:
        if not any((entry.form.name.data or "").strip() for entry in field.entries):
            raise ValidationError(_l("Give at least one criterion."))


class ApplicationForm(FlaskForm):
    title = StringField(
        _l("Project title"),
        validators=[
            DataRequired(message=_l("Give your project a title.")),
            Length(min=3, max=200, message=LENGTH_MESSAGE),
        ],
    )
    summary = TextAreaField(
        _l("Summary"),
        description=_l("What the project does, for whom, where and when."),
        validators=[
            DataRequired(message=_l("Summarise your project.")),
            Length(min=10, max=5000, message=LENGTH_MESSAGE),
        ],
    )
    budget_requested = SmallIntegerField(
        _l("Budget requested (euros)"),
        validators=[InputRequired(message=_l("Give the budget you request."))],
    )
    partners = TextAreaField(
        _l("Organisations of the group"),
        description=_l("One organisation per line. Leave empty to apply alone, if the call allows it."),
        validators=[Optional(), Length(max=3000, message=AT_MOST_MESSAGE)],
    )
    attachment = FileField(_l("Image or PDF (optional)"))
    attachment_description = StringField(
        _l("Description of the file (optional)"),
        validators=[Optional(), Length(max=300, message=AT_MOST_MESSAGE)],
    )


def application_form(criteria, **kwargs) -> ApplicationForm:
    """The application form with one answer per criterion of the call (the criteria's names are the call's text)."""

    class CallApplicationForm(ApplicationForm):
        pass

    for criterion in criteria:
        setattr(
            CallApplicationForm,
            f"answer_{criterion.id}",
            TextAreaField(
                criterion.name,
                description=criterion.description or None,
                validators=[
                    DataRequired(message=_l("Answer this criterion.")),
                    Length(max=5000, message=AT_MOST_MESSAGE),
                ],
            ),
        )
    return CallApplicationForm(**kwargs)


class JuryForm(FlaskForm):
    member = SelectField(
        _l("Council member"),
        coerce=optional_id,
        validate_choice=True,
        validators=[InputRequired(message=_l("Choose a council member."))],
    )


class ConflictForm(FlaskForm):
    reason = TextAreaField(
        _l("Your link with this application (optional)"),
        description=_l("For instance: I am a member of one of the organisations."),
        validators=[Optional(), Length(max=2000, message=AT_MOST_MESSAGE)],
    )


def score_form(criteria, grade_names: list[str] | None, current: dict[int, int], **kwargs) -> FlaskForm:
    """One choice per criterion: a score from 0 to 10, or a grade (grade_names given, worst first)."""

    class ScoreForm(FlaskForm):
        pass

    if grade_names is None:
        choices = [SelectChoice("", _l("Not scored"))] + [SelectChoice(v, str(v)) for v in range(MAX_SCORE + 1)]
    else:
        choices = [SelectChoice("", _l("Not graded"))] + [SelectChoice(v, name) for v, name in enumerate(grade_names)]
    for criterion in criteria:
        setattr(
            ScoreForm,
            f"mark_{criterion.id}",
            SelectField(
                criterion.name,
                description=criterion.description or None,
                coerce=optional_id,
                choices=choices,
                validate_choice=True,
                default=current.get(criterion.id),
            ),
        )
    return ScoreForm(**kwargs)


def results_form(applications, **kwargs) -> FlaskForm:
    """For each application: selected or not, the amount granted and the jury's reasons."""

    class ResultsForm(FlaskForm):
        pass

    for application in applications:
        setattr(ResultsForm, f"selected_{application.id}", BooleanField(_l("Selected")))
        setattr(
            ResultsForm,
            f"amount_{application.id}",
            SmallIntegerField(
                _l("Amount granted (euros)"),
                validators=[Optional(), NumberRange(min=0, message=WHOLE_NUMBER)],
            ),
        )
        setattr(
            ResultsForm,
            f"reasons_{application.id}",
            TextAreaField(
                _l("The jury's reasons"),
                validators=[
                    DataRequired(message=_l("Give the jury's reasons.")),
                    Length(max=5000, message=AT_MOST_MESSAGE),
                ],
            ),
        )
    return ResultsForm(**kwargs)
