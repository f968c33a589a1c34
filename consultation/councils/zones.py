"""Time zones of French municipalities, and the zone a request's pages are shown in."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import get_timezone_name

# Mainland France and the overseas territories, in the order a French administrator looks for them.
FRENCH_ZONES = (
    "Europe/Paris",
    "America/Cayenne",
    "America/Guadeloupe",
    "America/Martinique",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Miquelon",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "Pacific/Marquesas",
    "Pacific/Gambier",
    "Pacific/Wallis",
    "America/St_Barthelemy",
    "America/Marigot",
)


def is_zone(name: str) -> bool:
    return name in available_timezones()


def zone_label(name: str, locale, moment: datetime | None = None) -> str:
    """The zone as people read it ("heure de la Guyane française"), in the reader's language."""
    return _zone_label(name, locale)


@lru_cache(maxsize=1024)
def _zone_label(name: str, locale) -> str:
    # Remembered per process: CLDR's names never change while it runs, and a page listing twenty
    # workshops asked Babel twenty times (a fifth of the home page's time).
    try:
        return get_timezone_name(ZoneInfo(name), width="long", locale=locale, uncommon=True)
    except (LookupError, ValueError):
        return name


def current_zone() -> ZoneInfo:
    """The request's zone as a zoneinfo object. Flask-Babel gives a pytz zone, and
    `datetime.replace(tzinfo=<pytz zone>)` silently uses the zone's 19th-century local mean time
    (Paris +00:09, Cayenne -03:29): never attach a pytz zone with replace()."""
    from flask_babel import get_timezone

    return ZoneInfo(str(get_timezone()))
