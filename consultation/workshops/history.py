"""Sentences for the workshop's history, in the reader's language, from the recorded details."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from consultation.workshops.labels import phase_label
from consultation.workshops.models import WorkshopEvent
from consultation.workshops.phases import Phase


def describe(event: WorkshopEvent) -> str:
    d = event.details
    text = {k: str(v) for k, v in d.items()}
    action = event.action
    if action == "created":
        return _("Created the workshop “%(title)s”", title=text.get("title", ""))
    if action == "edited":
        return _("Edited the workshop's details")
    if action == "phase":
        phase = d.get("phase")
        label = phase_label(phase) if phase in {p.value for p in Phase} else str(phase)
        return _("Moved the workshop to the phase: %(phase)s", phase=label)
    if action == "agenda_added":
        return _(
            "Added the agenda item “%(item)s” (%(minutes)s min)",
            item=text.get("item", ""),
            minutes=text.get("minutes", ""),
        )
    if action == "agenda_moved":
        return _(
            "Moved the agenda item “%(item)s” to position %(position)s",
            item=text.get("item", ""),
            position=text.get("position", ""),
        )
    if action == "agenda_removed":
        return _("Removed the agenda item “%(item)s”", item=text.get("item", ""))
    if action == "agenda_started":
        return _(
            "Started the agenda item “%(item)s” (%(minutes)s min)",
            item=text.get("item", ""),
            minutes=text.get("minutes", ""),
        )
    if action == "agenda_ended":
        return _("Ended the agenda item “%(item)s”", item=text.get("item", ""))
    if action == "accepted":
        return _("Accepted the proposal “%(proposal)s”", proposal=text.get("proposal", ""))
    if action == "rejected":
        return _(
            "Did not keep the proposal “%(proposal)s”: %(reason)s",
            proposal=text.get("proposal", ""),
            reason=text.get("reason", ""),
        )
    if action == "corrected":
        return _(
            "Corrected the proposal “%(previous)s” into “%(proposal)s”",
            previous=text.get("previous", ""),
            proposal=text.get("proposal", ""),
        )
    if action == "merged":
        return _(
            "Merged “%(merged)s” into “%(proposal)s”", merged=text.get("merged", ""), proposal=text.get("proposal", "")
        )
    if action == "paper_proposal":
        return _("Typed in a sticky note collected on paper: “%(proposal)s”", proposal=text.get("proposal", ""))
    if action == "paper_count":
        return _(
            "Added %(count)s paper supports to “%(proposal)s”",
            count=text.get("count", ""),
            proposal=text.get("proposal", ""),
        )
    if action == "attendance":
        return _(
            "Marked %(name)s: %(status)s",
            name=text.get("name", "") or _("a participant"),
            status=attendance_label(text.get("status", ""), text.get("channel", "")),
        )
    if action == "vote_opened":
        return _("Opened the vote “%(question)s”", question=text.get("question", ""))
    if action == "vote_closed":
        return ngettext(
            "Closed the vote “%(question)s” (%(num)d ballot counted)",
            "Closed the vote “%(question)s” (%(num)d ballots counted)",
            _number(d.get("ballots")),
            question=text.get("question", ""),
        )
    if action == "vote_paper":
        if d.get("channel") == "room":
            return ngettext(
                "Typed in %(num)d vote by a show of hands for the vote “%(question)s”",
                "Typed in %(num)d votes by a show of hands for the vote “%(question)s”",
                _number(d.get("ballots")),
                question=text.get("question", ""),
            )
        return ngettext(
            "Typed in %(num)d paper ballot for the vote “%(question)s”",
            "Typed in %(num)d paper ballots for the vote “%(question)s”",
            _number(d.get("ballots")),
            question=text.get("question", ""),
        )
    if action == "minutes_saved":
        return _("Saved version %(version)s of the minutes", version=text.get("version", ""))
    if action == "minutes_published":
        return _("Published version %(version)s of the minutes", version=text.get("version", ""))
    return action


def _number(value: object) -> int:
    return value if isinstance(value, int) else 0


def attendance_label(status: str, channel: str = "room") -> str:
    if status == "present":
        return _("present online") if channel == "online" else _("present in the room")
    if status == "excused":
        return _("excused")
    if status == "absent":
        return _("absent")
    return status
