"""Words shown for consultations and their proposals' statuses and steps, in the reader's language."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from consultation.consultations.rules import ConsultationStatus

CONSULTATION_STATUS = {
    # TRANSLATORS: a consultation not published yet.
    ConsultationStatus.DRAFT: lazy_pgettext("consultation", "Draft"),
    ConsultationStatus.UPCOMING: lazy_pgettext("consultation", "Opens soon"),
    ConsultationStatus.OPEN: lazy_pgettext("consultation", "Open"),
    ConsultationStatus.CLOSED: lazy_pgettext("consultation", "Closed"),
}

PROPOSAL_STATUS = {
    # TRANSLATORS: a proposal the council received and has not handled yet.
    "submitted": lazy_pgettext("proposal", "Received"),
    "accepted": lazy_pgettext("proposal", "Accepted"),
    "rejected": lazy_pgettext("proposal", "Not accepted"),
    "merged": lazy_pgettext("proposal", "Merged"),
    "withdrawn": lazy_pgettext("proposal", "Withdrawn"),
    "retained": lazy_pgettext("proposal", "Retained for a workshop"),
}

SORTS = {
    "recent": _l("Most recent"),
    "supported": _l("Most supported"),
    "commented": _l("Most commented"),
    "random": _l("Random order"),
}


def consultation_status_label(status: ConsultationStatus | str) -> str:
    return str(CONSULTATION_STATUS[ConsultationStatus(status)])


def proposal_status_label(status: str) -> str:
    return str(PROPOSAL_STATUS.get(status, status))
