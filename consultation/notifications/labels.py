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
    return _("Something changed on the platform.")


# Each kind a person can receive by mail, as its setting reads on the profile page. A kind missing
# here is still mailed; add each new kind so that people can turn it off.
EMAIL_KINDS = {
    "opinion_transmitted": _l("An opinion of my council, or one I follow, is transmitted to the municipality"),
    "opinion_answered": _l("The municipality answers an opinion of my council, or one I follow"),
    "workshop_seat": _l("A seat frees up for me at a workshop where I was on the waiting list"),
}


def link_target(kind: str, params: dict, link: str) -> tuple[str, dict] | str:
    """Where a notification leads: an endpoint and its values, or a same-site path, or ""."""
    if kind.startswith("opinion_") and "slug" in params and "opinion_id" in params:
        return "opinions.show", {"slug": params["slug"], "opinion_id": params["opinion_id"]}
    if kind == "workshop_seat" and "slug" in params and "workshop_id" in params:
        return "workshops.show", {"slug": params["slug"], "workshop_id": params["workshop_id"]}
    return link if is_safe_next(link) else ""
