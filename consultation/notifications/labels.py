"""The sentences of each kind of notification, in the reader's language."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from consultation.web import is_safe_next


def describe(kind: str, params: dict) -> str:
    if kind == "opinion_answered":
        return _("The municipality answered the opinion “%(title)s”.", title=params.get("title", ""))
    if kind == "opinion_transmitted":
        return _("The opinion “%(title)s” was transmitted to the municipality.", title=params.get("title", ""))
    if kind == "workshop_seat":
        return _(
            "A seat is free for you at the workshop “%(title)s”: you are registered, no longer on the waiting list.",
            title=params.get("title", ""),
        )
    if kind in PROPOSAL_KINDS:
        return _describe_proposal(kind, params)
    if kind == "content_hidden":
        return _(
            "The moderators hid your contribution “%(title)s”. Reason: %(reason)s",
            title=params.get("title", ""),
            reason=params.get("reason", ""),
        )
    if kind == "content_restored":
        return _(
            "The moderators show your contribution “%(title)s” again. Reason: %(reason)s",
            title=params.get("title", ""),
            reason=params.get("reason", ""),
        )
    if kind == "account_blocked":
        return _(
            "Your account is blocked by the platform's administrators. Reason: %(reason)s",
            reason=params.get("reason", ""),
        )
    if kind == "account_unblocked":
        return _("Your account is unblocked: you can log in again. Reason: %(reason)s", reason=params.get("reason", ""))
    if kind in TERRITORY_KINDS:
        return _describe_territory(kind, params)
    return _("Something changed on the platform.")


# Notifications about local actors and project requests (consultation.territory).
TERRITORY_KINDS = ("organisation_representative", "project_request_status", "project_referral")


def _describe_territory(kind: str, params: dict) -> str:
    title, status = params.get("title", ""), params.get("status")
    if kind == "organisation_representative":
        if status == "approved":
            return _(
                "You now represent “%(title)s” in the directory of local actors: you can edit its entry.", title=title
            )
        return _(
            "Your request to represent “%(title)s” in the directory of local actors was not accepted.", title=title
        )
    if kind == "project_referral":
        return _("A project request, “%(title)s”, was referred to your organisation.", title=title)
    if status == "referred":
        return _("Your project “%(title)s” was referred to local actors who can help.", title=title)
    if status == "in_progress":
        return _("Your project “%(title)s” is being followed by the council's team.", title=title)
    if status == "closed":
        return _("The follow-up of your project “%(title)s” is closed.", title=title)
    return _("Where your project “%(title)s” stands has changed.", title=title)


# Notifications about proposals of an online consultation (consultation.consultations).
PROPOSAL_KINDS = ("comment_reply", "proposal_comment", "proposal_status", "consultation_proposal")


def _describe_proposal(kind: str, params: dict) -> str:
    title = params.get("title", "")
    if kind == "comment_reply":
        return _("Someone replied to your comment on the proposal “%(title)s”.", title=title)
    if kind == "proposal_comment":
        return _("A new comment was posted on the proposal “%(title)s”, which you follow.", title=title)
    if kind == "consultation_proposal":
        return _(
            "A new proposal, “%(title)s”, was sent to the consultation “%(consultation)s”, which you follow.",
            title=title,
            consultation=params.get("consultation", ""),
        )
    status = params.get("status")
    if status == "accepted":
        return _("Your proposal “%(title)s” was accepted by the council.", title=title)
    if status == "rejected":
        return _("Your proposal “%(title)s” was not accepted: read the reason on its page.", title=title)
    if status == "merged":
        return _("Your proposal “%(title)s” was merged with a similar one.", title=title)
    if status == "retained":
        return _("Your proposal “%(title)s” was retained for a workshop of the council.", title=title)
    return _("The status of your proposal “%(title)s” changed.", title=title)


# Each kind a person can receive by mail, as its setting reads on the profile page. A kind missing
# here is still mailed; add each new kind so that people can turn it off.
EMAIL_KINDS = {
    "opinion_transmitted": _l("An opinion of my council, or one I follow, is transmitted to the municipality"),
    "opinion_answered": _l("The municipality answers an opinion of my council, or one I follow"),
    "workshop_seat": _l("A seat frees up for me at a workshop where I was on the waiting list"),
    "proposal_status": _l("The council handles one of my proposals (accepted, merged, retained for a workshop…)"),
    "comment_reply": _l("Someone replies to one of my comments"),
    "proposal_comment": _l("A proposal I follow gets a new comment"),
    "consultation_proposal": _l("A consultation I follow gets a new proposal"),
    # account_blocked and account_unblocked are missing on purpose: a person must learn it by mail.
    "content_hidden": _l("Moderators hide one of my contributions"),
    "content_restored": _l("Moderators show one of my hidden contributions again"),
    "organisation_representative": _l("A request of mine to represent an organisation is decided"),
    "project_request_status": _l("The council's team moves one of my project requests on"),
    "project_referral": _l("A project request is referred to an organisation I represent"),
}


def link_target(kind: str, params: dict, link: str) -> tuple[str, dict] | str:
    """Where a notification leads: an endpoint and its values, or a same-site path, or ""."""
    if kind.startswith("opinion_") and "slug" in params and "opinion_id" in params:
        return "opinions.show", {"slug": params["slug"], "opinion_id": params["opinion_id"]}
    if kind == "workshop_seat" and "slug" in params and "workshop_id" in params:
        return "workshops.show", {"slug": params["slug"], "workshop_id": params["workshop_id"]}
    if kind in PROPOSAL_KINDS and {"slug", "consultation_id", "proposal_id"} <= params.keys():
        values = {key: params[key] for key in ("slug", "consultation_id", "proposal_id")}
        return "consultations.proposal", values
    return link if is_safe_next(link) else ""
