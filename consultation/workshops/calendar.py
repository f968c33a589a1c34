"""Calendar files (iCalendar, RFC 5545) for one workshop and for a council's agenda."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from icalendar import Calendar, Event

from consultation.councils.models import Council
from consultation.workshops.models import Workshop

PRODUCT_ID = "-//Citizen councils//Workshops//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(workshop: Workshop, url: str, host: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"workshop-{workshop.id}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.ends_at)
    event.add("summary", workshop.title)
    description = workshop.description
    if workshop.online_url:
        description = f"{description}\n\n{workshop.online_url}".strip()
    if description:
        event.add("description", description)
    if workshop.location:
        event.add("location", workshop.location)
    event.add("url", url)
    event.add("status", "CONFIRMED")
    return event


def workshop_calendar(workshop: Workshop, *, url: str, host: str, now: datetime) -> bytes:
    calendar = _calendar(workshop.title)
    calendar.add_component(_event(workshop, url, host, now))
    return calendar.to_ical()


def council_calendar(council: Council, workshops: Iterable[tuple[Workshop, str]], *, host: str, now: datetime) -> bytes:
    calendar = _calendar(council.name)
    for workshop, url in workshops:
        calendar.add_component(_event(workshop, url, host, now))
    return calendar.to_ical()
