"""The sentences of each kind of notification, in the reader's language."""

from flask_babel import gettext as _


def describe(kind: str, params: dict) -> str:
    if kind == "opinion_answered":
        return _("The municipality answered the opinion “%(title)s”.", title=params.get("title", ""))
    if kind == "opinion_transmitted":
        return _("The opinion “%(title)s” was transmitted to the municipality.", title=params.get("title", ""))
    return _("Something changed on the platform.")
