"""Words shown for organisations' kinds, project needs, request statuses and matching reasons."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from consultation.territory.matching import Reason
from consultation.territory.rules import Need, OrganisationKind, RepresentationStatus, RequestStatus

KINDS = {
    OrganisationKind.ASSOCIATION: _l("Association"),
    OrganisationKind.COOPERATIVE: _l("Cooperative"),
    OrganisationKind.SOCIAL_ENTERPRISE: _l("Social enterprise"),
    OrganisationKind.PUBLIC_SERVICE: _l("Public service"),
    # TRANSLATORS: a shared place (tiers-lieu): coworking, fab lab, community workshop …
    OrganisationKind.THIRD_PLACE: _l("Third place"),
    OrganisationKind.OTHER: lazy_pgettext("organisation kind", "Other"),
}

NEEDS = {
    Need.FUNDING: _l("Funding"),
    Need.PREMISES: _l("Premises"),
    Need.TRAINING: _l("Training"),
    # TRANSLATORS: choosing the legal form of a project (association, cooperative, company …).
    Need.LEGAL_FORM: _l("Legal form"),
    Need.PARTNERS: _l("Partners"),
    Need.OTHER: lazy_pgettext("project need", "Other"),
}

STATUSES = {
    # TRANSLATORS: a project holder's request, received and not handled yet.
    RequestStatus.RECEIVED: lazy_pgettext("project request", "Received"),
    # TRANSLATORS: a project holder's request, sent on to one or more organisations.
    RequestStatus.REFERRED: lazy_pgettext("project request", "Referred"),
    RequestStatus.IN_PROGRESS: lazy_pgettext("project request", "In progress"),
    RequestStatus.CLOSED: lazy_pgettext("project request", "Closed"),
}

REPRESENTATION = {
    RepresentationStatus.PENDING: lazy_pgettext("representation", "Waiting for approval"),
    RepresentationStatus.APPROVED: lazy_pgettext("representation", "Approved"),
    RepresentationStatus.REFUSED: lazy_pgettext("representation", "Refused"),
}

REASONS = {
    Reason.THEME: _l("works on the same themes"),
    Reason.DISTRICT: _l("serves your district"),
    Reason.NEED: _l("offers what you need"),
    Reason.WELCOMES: _l("welcomes project holders"),
    Reason.LANGUAGE: _l("speaks your language"),
}


def kind_label(kind: str) -> str:
    return str(KINDS.get(kind, kind))


def need_label(need: str) -> str:
    return str(NEEDS.get(need, need))


def status_label(status: str) -> str:
    return str(STATUSES.get(status, status))


def representation_label(status: str) -> str:
    return str(REPRESENTATION.get(status, status))


def reason_label(reason: str) -> str:
    return str(REASONS.get(reason, reason))
