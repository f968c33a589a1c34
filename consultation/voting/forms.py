"""Vote forms: setting a vote up, a ballot for each method, paper counts, a proxy."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from consultation.forms import optional_id
from consultation.voting import rules
from consultation.voting.labels import ELECTORATE_NAMES, MAJORITY_NAMES, METHOD_NAMES
from consultation.voting.methods import METHODS, InvalidBallot
from consultation.voting.rules import Channel, Electorate


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices; values become strings, as the browser sends them."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def _between(low: int, high: int) -> NumberRange:
    return NumberRange(min=low, max=high, message=_l("Enter a number between %(min)d and %(max)d."))


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class VoteForm(FlaskForm):
    question = StringField(
        _l("Question"),
        description=_l("What the voters answer, in one sentence."),
        validators=[
            DataRequired(message=_l("Write the question put to the vote.")),
            Length(min=5, max=300, message=_l("Use between %(min)d and %(max)d characters.")),
        ],
    )
    description = TextAreaField(
        _l("Explanation (optional)"),
        validators=[Length(max=5000, message=_l("Use at most %(max)d characters."))],
    )
    method = SelectField(
        _l("Voting method"),
        choices=choices((m, METHOD_NAMES[m]) for m in METHODS),
        validators=[InputRequired(message=_l("Choose one of the voting methods."))],
    )
    proposals = SelectMultipleField(
        _l("Proposals of the workshop put to the vote"),
        description=_l("Each chosen proposal becomes an option."),
        coerce=int,
        validate_choice=True,
    )
    options = TextAreaField(
        _l("Other options"),
        description=_l("One option per line. A motion needs none: its options are yes, no and abstain."),
        validators=[Length(max=10000, message=_l("Use at most %(max)d characters."))],
    )
    opinion = SelectField(
        _l("Opinion to adopt (motion only)"),
        description=_l("Link the motion to the opinion it adopts."),
        coerce=optional_id,
        validate_choice=True,
    )
    electorate = SelectField(
        _l("Who may vote"),
        choices=choices((e.value, ELECTORATE_NAMES[e]) for e in Electorate),
        default=Electorate.MEMBERS.value,
    )
    district = SelectField(
        _l("Only the residents of this district (optional)"),
        description=_l("With the council's residents as electorate: those who said they live in the district."),
        coerce=optional_id,
        validate_choice=True,
    )
    is_secret = BooleanField(_l("Secret ballot (names and choices are never linked)"))
    allows_change = BooleanField(_l("Voters may change their ballot until the vote closes (open ballot only)"))
    max_score = IntegerField(
        _l("Highest score (score vote)"),
        default=5,
        validators=[Optional(), _between(1, 100)],
    )
    points = IntegerField(
        _l("Points per voter (dot voting)"),
        default=5,
        validators=[
            Optional(),
            _between(1, 1000),
        ],
    )
    grades = TextAreaField(
        _l("Grades (majority judgment)"),
        description=_l(
            "One grade per line, the worst first. Leave empty for the usual six grades, from “Reject” to “Very good”."
        ),
        validators=[Length(max=2000, message=_l("Use at most %(max)d characters."))],
    )
    majority = SelectField(_l("Majority required (motion)"), choices=choices(MAJORITY_NAMES.items()), default="simple")
    quorum = IntegerField(
        _l("Quorum: minimum number of ballots (optional)"),
        validators=[
            Optional(),
            _between(0, 1000000),
        ],
    )
    electorate_size = IntegerField(
        _l("Number of people who may vote (optional)"),
        description=_l("Leave empty to count the council's roles when the vote closes."),
        validators=[
            Optional(),
            _between(1, 1000000),
        ],
    )
    max_proxies = IntegerField(
        _l("Proxies one person may hold"),
        default=1,
        validators=[
            InputRequired(message=_l("Enter a number.")),
            _between(0, 10),
        ],
    )
    opens_at = DateTimeLocalField(_l("Planned opening (optional)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Planned closing (optional)"), format="%Y-%m-%dT%H:%M", validators=[Optional()])

    def option_lines(self) -> list[str]:
        return _lines(self.options.data)

    def grade_lines(self) -> list[str] | None:
        return _lines(self.grades.data) or None


class ProxyForm(FlaskForm):
    holder = SelectField(
        _l("Give my proxy to"),
        description=_l("This person will vote for you in this vote. You can withdraw it until the vote opens."),
        coerce=optional_id,
        validate_choice=True,
        validators=[InputRequired(message=_l("Choose a person."))],
    )


def field_name(key: str) -> str:
    return f"option_{key}"


def build_ballot_form(
    method: str,
    options: list[tuple[str, str]],
    *,
    grades: list[str],
    max_score: int | None = None,
    points: int | None = None,
    voters: list[tuple[int, str]] | None = None,
    paper: bool = False,
    counts: bool = False,
    formdata: Any = ...,
    data: dict[str, Any] | None = None,
) -> FlaskForm:
    """A form class made for this vote's options: one field per option (or one choice), labelled by the option.

    `counts`: the facilitator's per-option count form instead of a ballot."""

    class BallotForm(FlaskForm):
        pass

    if voters:
        BallotForm.voter = SelectField(_l("Vote for"), choices=choices(voters), coerce=int, validate_choice=True)
    if paper:
        BallotForm.channel = SelectField(
            _l("Where were these ballots cast?"),
            choices=choices(
                [(Channel.PAPER.value, _l("On paper")), (Channel.ROOM.value, _l("In the room (show of hands)"))]
            ),
        )
    if counts:
        number = _between(0, 1000000)
        for key, label in options:
            setattr(BallotForm, field_name(key), IntegerField(label, validators=[Optional(), number]))
        if method == "approval":
            BallotForm.ballots = IntegerField(
                _l("Number of ballot papers"),
                description=_l("How many people voted; an option cannot be ticked more often."),
                validators=[InputRequired(message=_l("Enter a number.")), number],
            )
    elif method in ("plurality", "motion"):
        BallotForm.choice = RadioField(
            _l("Your choice"),
            choices=choices(options),
            validate_choice=False,
            validators=[InputRequired(message=_l("Choose one option."))],
        )
    else:
        for key, label in options:
            if method == "approval":
                field = BooleanField(label)
            elif method == "majority_judgment":
                field = RadioField(label, choices=choices(enumerate(grades)), validate_choice=False)
            elif method == "schulze":
                ranks = [("", _l("Not ranked"))] + [(i, i) for i in range(1, len(options) + 1)]
                field = SelectField(label, choices=choices(ranks), validate_choice=False)
            elif method == "score":
                field = IntegerField(
                    label,
                    description=_l("From 0 to %(max)s", max=max_score),
                    validators=[Optional()],
                )
            else:
                field = IntegerField(label, description=_l("Points, 0 or more"), validators=[Optional()])
            setattr(BallotForm, field_name(key), field)
    if formdata is ...:
        return BallotForm(data=data)
    return BallotForm(formdata=formdata, data=data)


def _int_or_invalid(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    raise InvalidBallot("Ballot: not a whole number.", None, "wrong_shape")


def ballot_from(form: FlaskForm, method: str, keys: list[str]) -> Any:
    """The engine's ballot from a validated ballot form (the engine then checks the rules)."""
    if method in ("plurality", "motion"):
        return form.choice.data
    values = {key: form[field_name(key)].data for key in keys}
    if method == "approval":
        return [key for key, ticked in values.items() if ticked]
    if method == "schulze":
        return rules.schulze_ranking(
            {k: _int_or_invalid(v) if v not in (None, "") else None for k, v in values.items()}
        )
    return {k: _int_or_invalid(v) for k, v in values.items() if v not in (None, "")}


def counts_from(form: FlaskForm, keys: list[str]) -> dict[str, int]:
    return {key: form[field_name(key)].data for key in keys if form[field_name(key)].data}


def form_data_of(method: str, ballot: Any) -> dict[str, Any]:
    """A stored ballot back into form values, to show a voter their ballot when they may change it."""
    if ballot is None:
        return {}
    if method in ("plurality", "motion"):
        return {"choice": ballot}
    if method == "approval":
        return {field_name(k): True for k in ballot}
    if method == "schulze":
        return {field_name(k): str(rank) for rank, group in enumerate(ballot, start=1) for k in group}
    if method == "majority_judgment":
        return {field_name(k): str(v) for k, v in ballot.items()}
    return {field_name(k): v for k, v in ballot.items()}
