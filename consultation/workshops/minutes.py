"""Minutes (compte rendu): drafted from the workshop's own data, edited, versioned, published."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.errors import Conflict
from consultation.extensions import db
from consultation.permissions import Actor
from consultation.proposals.models import Proposal
from consultation.proposals.services import ranked_proposals
from consultation.voting import summaries as vote_summaries
from consultation.voting.labels import grade_labels, method_name
from consultation.voting.services import option_labels
from consultation.workshops import attendance
from consultation.workshops.labels import phase_label
from consultation.workshops.models import Workshop, WorkshopMinutes
from consultation.workshops.services import check_manager, record

MARKDOWN_SPECIALS = "\\`*_{}[]<>()#+-.!|"


def _plain(text: str) -> str:
    """People's words inside generated Markdown: shown as typed, never as formatting."""
    return "".join("\\" + ch if ch in MARKDOWN_SPECIALS else ch for ch in " ".join(text.split()))


def draft_text(workshop: Workshop) -> str:
    """The minutes written from the record: agenda, attendance by channel, proposals and their origin,
    merges, results. Written in the current language; the facilitator edits it before publishing."""
    lines: list[str] = []
    when = format_datetime(workshop.starts_at, "full")
    lines.append(_("Workshop held on %(date)s.", date=when))
    if workshop.location:
        lines.append(_("Place: %(place)s.", place=_plain(workshop.location)))
    if workshop.online_url:
        lines.append(_("Online: %(link)s", link=workshop.online_url))
    if workshop.question:
        lines.append(_("Question worked on: %(question)s.", question=_plain(workshop.question.title)))
    lines.append(_("Phase reached: %(phase)s.", phase=phase_label(workshop.phase)))

    lines.append("\n### " + _("Agenda"))
    if workshop.agenda:
        for item in workshop.agenda:
            minutes = ngettext("%(num)d minute", "%(num)d minutes", item.duration_minutes)
            lines.append(f"- {_plain(item.title)} ({minutes})")
    else:
        lines.append(_("No agenda was set."))

    figures = attendance.figures(workshop)
    lines.append("\n### " + _("Attendance"))
    lines.append(
        "- "
        + ngettext("%(num)d person present in the room", "%(num)d people present in the room", figures.present_room)
    )
    lines.append(
        "- " + ngettext("%(num)d person present online", "%(num)d people present online", figures.present_online)
    )
    lines.append("- " + ngettext("%(num)d person excused", "%(num)d people excused", figures.excused))
    lines.append("- " + ngettext("%(num)d person absent", "%(num)d people absent", figures.absent))
    lines.append(
        "- "
        + ngettext("%(num)d phone joined with the code", "%(num)d phones joined with the code", figures.joined_by_code)
    )

    from consultation.territory.minutes import experts_section  # noqa: PLC0415  (territory imports workshops)

    lines.extend(experts_section(workshop))
    ranked = ranked_proposals(workshop, Actor.anonymous())
    lines.append("\n### " + _("Proposals and results"))
    if ranked:
        lines.append(_("Most supported first; supports given on paper count the same as online."))
        lines.append("")
        for position, each in enumerate(ranked, start=1):
            proposal = each.proposal
            origin = (
                _(
                    "collected on paper by %(name)s at the workshop %(workshop)s",
                    name=_plain(proposal.collected_by.display_name) if proposal.collected_by else _("a facilitator"),
                    workshop=_plain(workshop.title),
                )
                if proposal.is_paper
                else _("submitted online")
            )
            authors = ", ".join(_plain(a) for a in each.authors if a) or _("anonymous")
            if each.paper_supports:
                supports = ngettext(
                    "%(num)d support, including %(paper)d on paper",
                    "%(num)d supports, including %(paper)d on paper",
                    each.support_count,
                    paper=each.paper_supports,
                )
            else:
                supports = ngettext("%(num)d support", "%(num)d supports", each.support_count)
            lines.append(
                f"{position}. **{_plain(proposal.title)}**: "
                + _("%(supports)s; by %(authors)s; %(origin)s", supports=supports, authors=authors, origin=origin)
            )
    else:
        lines.append(_("No proposal was made."))

    lines.extend(_votes_section(workshop))

    merged = db.session.scalars(
        select(Proposal)
        .where(Proposal.workshop_id == workshop.id, Proposal.status == "merged")
        .order_by(Proposal.id)
        .options(selectinload(Proposal.merged_into))
    ).all()
    if merged:
        lines.append("\n### " + _("Merged proposals"))
        for proposal in merged:
            target = proposal.merged_into.title if proposal.merged_into else "?"
            lines.append(
                "- " + _("“%(merged)s” was merged into “%(kept)s”", merged=_plain(proposal.title), kept=_plain(target))
            )
    rejected = db.session.scalars(
        select(Proposal).where(Proposal.workshop_id == workshop.id, Proposal.status == "rejected").order_by(Proposal.id)
    ).all()
    if rejected:
        lines.append("\n### " + _("Proposals not kept"))
        for proposal in rejected:
            lines.append(
                "- "
                + _("“%(title)s”: %(reason)s", title=_plain(proposal.title), reason=_plain(proposal.rejection_reason))
            )
    return "\n".join(lines) + "\n"


def _votes_section(workshop: Workshop) -> list[str]:
    """Each closed vote: its question and method, the ballots by channel (paper and show of hands
    included), the count by option, and what it decided."""
    summaries = vote_summaries.workshop_vote_summaries(workshop.id)
    if not summaries:
        return []
    lines = ["\n### " + _("Votes")]
    for summary in summaries:
        vote = summary.vote
        lines.append(f"\n**{_plain(vote.question)}** ({method_name(vote.method)})\n")
        lines.append("- " + vote_summaries.channels_sentence(summary))
        column = str(vote_summaries.COLUMN_NAMES[summary.main_column])
        for row in summary.results.rows:
            figure = vote_summaries.figure_text(row.figures[summary.main_column])
            lines.append(f"- {row.rank}\\. {_plain(row.label)}: {figure} ({column})")  # "1." stays text
        lines.append("- " + _("Outcome: %(outcome)s", outcome=vote_summaries.outcome_sentence(summary)))
        if summary.roll_call:
            lines.append("\n" + _("Roll call (open ballot):") + "\n")
            option_names, grades = option_labels(vote), grade_labels(vote.grades)
            for entry in summary.roll_call:
                who = _plain(entry.voter) if entry.voter else _("Anonymous participant")
                if entry.cast_by:
                    who = _("%(name)s (by proxy, cast by %(holder)s)", name=who, holder=_plain(entry.cast_by))
                ballot = vote_summaries.ballot_words(entry.ballot, vote.method, option_names, grades)
                lines.append(f"- {who}: {_plain(ballot)}")
    return lines


def versions_of(workshop: Workshop) -> list[WorkshopMinutes]:
    return list(
        db.session.scalars(
            select(WorkshopMinutes)
            .where(WorkshopMinutes.workshop_id == workshop.id)
            .order_by(WorkshopMinutes.version.desc())
            .options(selectinload(WorkshopMinutes.created_by))
        )
    )


def published_minutes(workshop: Workshop) -> WorkshopMinutes | None:
    return db.session.scalar(
        select(WorkshopMinutes)
        .where(WorkshopMinutes.workshop_id == workshop.id, WorkshopMinutes.is_published.is_(True))
        .order_by(WorkshopMinutes.version.desc())
        .limit(1)
    )


def save_version(user: User, workshop: Workshop, *, body: str, language: str, now: datetime) -> WorkshopMinutes:
    """Every save keeps the earlier versions; the new one is a draft until published."""
    check_manager(user.actor, workshop)
    if not body.strip():
        raise Conflict(_l("The minutes cannot be empty."))
    last = db.session.scalar(
        select(func.max(WorkshopMinutes.version)).where(WorkshopMinutes.workshop_id == workshop.id)
    )
    minutes = WorkshopMinutes(
        workshop_id=workshop.id,
        version=(last or 0) + 1,
        body=body.strip() + "\n",
        language=language,
        created_by_id=user.id,
        created_at=now,
    )
    db.session.add(minutes)
    db.session.flush()
    record(workshop, user, "minutes_saved", now=now, version=minutes.version)
    return minutes


def publish(user: User, workshop: Workshop, *, now: datetime) -> WorkshopMinutes:
    """Publish the latest version: it becomes what everyone reads and downloads."""
    check_manager(user.actor, workshop)
    versions = versions_of(workshop)
    if not versions:
        raise Conflict(_l("Write the minutes before publishing them."))
    latest = versions[0]
    latest.is_published = True
    latest.published_at = now
    db.session.flush()
    record(workshop, user, "minutes_published", now=now, version=latest.version)
    return latest
