"""Words shown for an opinion's states, in the reader's language."""

from flask_babel import lazy_gettext as _l

from consultation.opinions.rules import AnswerStatus, FollowUpState

ANSWER_LABELS = {
    AnswerStatus.ACCEPTED.value: _l("Accepted"),
    AnswerStatus.PARTLY.value: _l("Partly accepted"),
    AnswerStatus.REFUSED.value: _l("Refused"),
    AnswerStatus.UNDER_STUDY.value: _l("Under study"),
}

FOLLOW_UP_LABELS = {
    FollowUpState.NOT_TRANSMITTED.value: _l("Not transmitted yet"),
    FollowUpState.DUE.value: _l("Answer due"),
    FollowUpState.OVERDUE.value: _l("Answer overdue"),
    FollowUpState.ANSWERED.value: _l("Answered"),
}

TIMELINE_LABELS = {
    "referred": _l("Question referred to the council"),
    "drafted": _l("Drafting started"),
    "adopted": _l("Adopted by the council"),
    "transmitted": _l("Transmitted to the municipality"),
    "acknowledged": _l("Receipt acknowledged by the municipality"),
    "answered": _l("Answered by the municipality"),
}
