"""Everything the platform holds about one person, as a JSON-ready document (RGPD art. 15 and 20).

One query per table, whatever the amount of data: every section selects plain columns (never a model
whose relationships would load one by one). Nothing about other people goes in: not the names of a
proposal's co-authors, of the other commenters, of who marked someone present or of a proxy's other party."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy import inspect as sa_inspect

from consultation.accounts.models import User
from consultation.audit.models import AuditEntry
from consultation.calls.models import Application, Call, JuryConflict, JuryMember, JuryScore
from consultation.consultations.models import Consultation, Follow, ProposalAttachment, ProposalComment
from consultation.councils.models import Council, District, Membership, Residence
from consultation.diagnostic.models import Challenge, Diagnostic
from consultation.extensions import db
from consultation.moderation.models import Report
from consultation.notifications.labels import describe
from consultation.notifications.models import Notification
from consultation.opinions.models import MunicipalAnswer, Opinion, OpinionComment, OpinionFollower, OpinionRevision
from consultation.pages.models import AccessibilityStatement
from consultation.privacy.rules import without_other_people
from consultation.proposals.models import PaperCount, Proposal, ProposalRevision, Support
from consultation.territory.models import Organisation, OrganisationRepresentative, ProjectRequest
from consultation.voting.models import PaperEntry, Vote, VoteBallot, VoteOption, VoteParticipation, VoteProxy
from consultation.workshops.models import (
    Attendance,
    Registration,
    Workshop,
    WorkshopEvent,
    WorkshopMinutes,
    WorkshopParticipant,
)

FORMAT = "consultation/personal-data/1"
ACCOUNT_FIELDS_NEVER_EXPORTED = frozenset({"password_hash"})


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _rows(statement: Select, shape: Callable[[Any], dict[str, Any]]) -> list[dict[str, Any]]:
    return [shape(row) for row in db.session.execute(statement)]


def account_fields(user: User) -> dict[str, Any]:
    """Every column of the account but the password hash, read from the mapping so that a field added
    to accounts later is exported without anyone having to remember this function."""
    fields: dict[str, Any] = {}
    for attribute in sa_inspect(User).column_attrs:
        column = attribute.columns[0]
        if column.name in ACCOUNT_FIELDS_NEVER_EXPORTED:
            continue
        value = getattr(user, attribute.key)
        fields[column.name] = _iso(value) if isinstance(value, datetime | date) else value
    return fields


def export_personal_data(user: User, *, now: datetime) -> dict[str, Any]:
    """The person's whole file. `user` is already loaded: reading it costs no query."""
    uid = user.id
    identities = select(WorkshopParticipant.id).where(WorkshopParticipant.user_id == uid).scalar_subquery()
    workshop_council = Council.slug.label("council")
    votes = _votes(uid, identities)
    return {
        "format": FORMAT,
        "generated_at": _iso(now),
        "about": {
            "content": _("This file holds the personal data this platform keeps about you, on the day it was made."),
            "other_people": _(
                "Other people's names and identities are never included, even when they took part in the same "
                "workshop, vote or discussion."
            ),
            "secret_ballots": _(
                "In a secret vote, the platform records that you voted but stores your ballot without any link to "
                "you: nobody can find it again, so it cannot be included here."
            ),
            "password": _("Your password is not included: the platform keeps only a one-way hash of it."),
        },
        "account": account_fields(user),
        "memberships": _rows(
            select(Council.slug, Council.name, Membership.role, Membership.created_at)
            .join(Council, Council.id == Membership.council_id)
            .where(Membership.user_id == uid)
            .order_by(Membership.created_at, Membership.id),
            lambda r: {"council": r.slug, "council_name": r.name, "role": r.role, "since": _iso(r.created_at)},
        ),
        "districts": _rows(
            select(Council.slug, District.name)
            .join(Residence, Residence.council_id == Council.id)
            .join(District, District.id == Residence.district_id)
            .where(Residence.user_id == uid)
            .order_by(Council.slug),
            lambda r: {"council": r.slug, "district": r.name},
        ),
        "proposals": _rows(
            select(
                Proposal.id,
                Proposal.title,
                Proposal.body,
                Proposal.language,
                Proposal.status,
                Proposal.origin,
                Proposal.rejection_reason,
                Proposal.merged_into_id,
                Proposal.created_at,
                Proposal.updated_at,
                Workshop.id.label("workshop_id"),
                Workshop.title.label("workshop"),
                Consultation.id.label("consultation_id"),
                Consultation.title.label("consultation"),
                Council.slug.label("council"),
                ProposalAttachment.content_type.label("attachment_type"),
                ProposalAttachment.size.label("attachment_size"),
                ProposalAttachment.description.label("attachment_description"),
            )
            # A proposal lives in a workshop or in an online consultation: outer joins keep both.
            .outerjoin(Workshop, Workshop.id == Proposal.workshop_id)
            .outerjoin(Consultation, Consultation.id == Proposal.consultation_id)
            .join(Council, Council.id == func.coalesce(Workshop.council_id, Consultation.council_id))
            .outerjoin(ProposalAttachment, ProposalAttachment.proposal_id == Proposal.id)
            .where(or_(Proposal.author_id == uid, Proposal.participant_id.in_(identities)))
            .order_by(Proposal.created_at, Proposal.id),
            lambda r: {
                "id": r.id,
                "council": r.council,
                "workshop_id": r.workshop_id,
                "workshop": r.workshop,
                "consultation_id": r.consultation_id,
                "consultation": r.consultation,
                "attachment": (
                    {"type": r.attachment_type, "size": r.attachment_size, "description": r.attachment_description}
                    if r.attachment_type
                    else None
                ),
                "title": r.title,
                "body": r.body,
                "language": r.language,
                "status": r.status,
                "origin": r.origin,
                "rejection_reason": r.rejection_reason or None,
                "merged_into_proposal_id": r.merged_into_id,
                "created_at": _iso(r.created_at),
                "updated_at": _iso(r.updated_at),
            },
        ),
        "supports": _rows(
            select(Support.proposal_id, Support.created_at, Proposal.title, Proposal.workshop_id)
            .join(Proposal, Proposal.id == Support.proposal_id)
            .where(or_(Support.user_id == uid, Support.participant_id.in_(identities)))
            .order_by(Support.created_at, Support.id),
            lambda r: {
                "proposal_id": r.proposal_id,
                "proposal": r.title,
                "workshop_id": r.workshop_id,
                "created_at": _iso(r.created_at),
            },
        ),
        "proposal_comments": _rows(
            select(
                ProposalComment.id,
                ProposalComment.proposal_id,
                ProposalComment.parent_id,
                ProposalComment.body,
                ProposalComment.language,
                ProposalComment.created_at,
                ProposalComment.edited_at,
                ProposalComment.hidden_at,
                ProposalComment.hidden_reason,
                Proposal.title,
            )
            .join(Proposal, Proposal.id == ProposalComment.proposal_id)
            .where(ProposalComment.author_id == uid)
            .order_by(ProposalComment.created_at, ProposalComment.id),
            # The comment replied to is named by its id only: its text belongs to someone else.
            lambda r: {
                "id": r.id,
                "proposal_id": r.proposal_id,
                "proposal": r.title,
                "reply_to_comment_id": r.parent_id,
                "body": r.body,
                "language": r.language,
                "created_at": _iso(r.created_at),
                "edited_at": _iso(r.edited_at),
                "hidden_at": _iso(r.hidden_at),
                "hidden_reason": r.hidden_reason,
            },
        ),
        "followed": _rows(
            select(Follow.proposal_id, Follow.consultation_id, Follow.created_at, Proposal.title, Consultation.title)
            .outerjoin(Proposal, Proposal.id == Follow.proposal_id)
            .outerjoin(Consultation, Consultation.id == Follow.consultation_id)
            .where(Follow.user_id == uid)
            .order_by(Follow.created_at, Follow.id),
            lambda r: {
                "proposal_id": r.proposal_id,
                "consultation_id": r.consultation_id,
                "title": r[3] if r.proposal_id is not None else r[4],
                "since": _iso(r.created_at),
            },
        ),
        "reports_made": _rows(
            select(
                Report.target_kind, Report.target_id, Report.reason, Report.details, Report.created_at, Report.outcome
            )
            .where(Report.reporter_id == uid)
            .order_by(Report.created_at, Report.id),
            lambda r: {
                "content": r.target_kind,
                "content_id": r.target_id,
                "reason": r.reason,
                "details": r.details,
                "created_at": _iso(r.created_at),
                "outcome": r.outcome,
            },
        ),
        **_territory(uid),
        "opinion_comments": _rows(
            select(OpinionComment.id, OpinionComment.opinion_id, OpinionComment.body, OpinionComment.created_at)
            .add_columns(Opinion.title)
            .join(Opinion, Opinion.id == OpinionComment.opinion_id)
            .where(OpinionComment.author_id == uid)
            .order_by(OpinionComment.created_at, OpinionComment.id),
            lambda r: {
                "id": r.id,
                "opinion_id": r.opinion_id,
                "opinion": r.title,
                "body": r.body,
                "created_at": _iso(r.created_at),
            },
        ),
        "opinions_followed": _rows(
            select(OpinionFollower.opinion_id, OpinionFollower.created_at, Opinion.title)
            .join(Opinion, Opinion.id == OpinionFollower.opinion_id)
            .where(OpinionFollower.user_id == uid)
            .order_by(OpinionFollower.created_at, OpinionFollower.id),
            lambda r: {"opinion_id": r.opinion_id, "opinion": r.title, "since": _iso(r.created_at)},
        ),
        "workshop_registrations": _rows(
            select(
                Registration.workshop_id,
                Registration.status,
                Registration.requested_at,
                Registration.updated_at,
                Workshop.title,
                Workshop.starts_at,
                workshop_council,
            )
            .join(Workshop, Workshop.id == Registration.workshop_id)
            .join(Council, Council.id == Workshop.council_id)
            .where(Registration.user_id == uid)
            .order_by(Registration.requested_at, Registration.id),
            lambda r: {
                "council": r.council,
                "workshop_id": r.workshop_id,
                "workshop": r.title,
                "starts_at": _iso(r.starts_at),
                "status": r.status,
                "requested_at": _iso(r.requested_at),
                "updated_at": _iso(r.updated_at),
            },
        ),
        "workshop_identities": _rows(
            select(
                WorkshopParticipant.id,
                WorkshopParticipant.workshop_id,
                WorkshopParticipant.display_name,
                WorkshopParticipant.charter_accepted_at,
                WorkshopParticipant.joined_at,
                Workshop.title,
            )
            .join(Workshop, Workshop.id == WorkshopParticipant.workshop_id)
            .where(WorkshopParticipant.user_id == uid)
            .order_by(WorkshopParticipant.joined_at, WorkshopParticipant.id),
            lambda r: {
                "id": r.id,
                "workshop_id": r.workshop_id,
                "workshop": r.title,
                "display_name": r.display_name or None,
                "charter_accepted_at": _iso(r.charter_accepted_at),
                "joined_at": _iso(r.joined_at),
            },
        ),
        "attendance": _rows(
            select(
                Attendance.workshop_id,
                Attendance.name,
                Attendance.status,
                Attendance.channel,
                Attendance.is_self_check_in,
                Attendance.updated_at,
                Workshop.title,
            )
            .join(Workshop, Workshop.id == Attendance.workshop_id)
            .where(or_(Attendance.user_id == uid, Attendance.participant_id.in_(identities)))
            .order_by(Attendance.updated_at, Attendance.id),
            lambda r: {
                "workshop_id": r.workshop_id,
                "workshop": r.title,
                "name_on_sheet": r.name or None,
                "status": r.status,
                "channel": r.channel,
                "checked_in_yourself": r.is_self_check_in,
                "updated_at": _iso(r.updated_at),
            },
        ),
        "votes": votes,
        "proxies": _rows(
            select(VoteProxy.vote_id, VoteProxy.giver_id, VoteProxy.created_at, Vote.question)
            .join(Vote, Vote.id == VoteProxy.vote_id)
            .where(or_(VoteProxy.giver_id == uid, VoteProxy.holder_id == uid))
            .order_by(VoteProxy.created_at, VoteProxy.id),
            # Given or held, never to or from whom: that is the other person's data.
            lambda r: {
                "vote_id": r.vote_id,
                "question": r.question,
                "direction": "given" if r.giver_id == uid else "held",
                "created_at": _iso(r.created_at),
            },
        ),
        "notifications": _rows(
            select(
                Notification.kind, Notification.params, Notification.link, Notification.created_at, Notification.read_at
            )
            .where(Notification.user_id == uid)
            .order_by(Notification.created_at, Notification.id),
            lambda r: {
                "kind": r.kind,
                "text": describe(r.kind, r.params or {}),
                "params": r.params or {},
                "link": r.link or None,
                "created_at": _iso(r.created_at),
                "read_at": _iso(r.read_at),
            },
        ),
        "audit_entries": _rows(
            select(AuditEntry.at, AuditEntry.action, AuditEntry.details)
            .where(AuditEntry.actor_id == uid)
            .order_by(AuditEntry.id),
            lambda r: {"at": r.at, "action": r.action, "details": without_other_people(r.details or {})},
        ),
        "actions_in_a_role": _actions_in_a_role(uid),
    }


def _territory(uid: int) -> dict[str, list[dict[str, Any]]]:
    """Challenges proposed, project requests, representations of organisations, applications to calls
    and the person's part in a jury (the marks they gave, not the applications' other people)."""
    return {
        "challenges_proposed": _rows(
            select(
                Challenge.diagnostic_id,
                Challenge.number,
                Challenge.title,
                Challenge.description,
                Challenge.status,
                Challenge.moderation_reason,
                Challenge.created_at,
                Diagnostic.title,
            )
            .join(Diagnostic, Diagnostic.id == Challenge.diagnostic_id)
            .where(Challenge.author_id == uid)
            .order_by(Challenge.created_at, Challenge.id),
            lambda r: {
                "diagnostic_id": r.diagnostic_id,
                "diagnostic": r[7],
                "number": r.number,
                "title": r[2],
                "description": r.description,
                "status": r.status,
                "reason_given": r.moderation_reason or None,
                "created_at": _iso(r.created_at),
            },
        ),  # fmt: skip
        "project_requests": _rows(
            select(
                ProjectRequest.id,
                ProjectRequest.title,
                ProjectRequest.description,
                ProjectRequest.needs,
                ProjectRequest.needs_other,
                ProjectRequest.language,
                ProjectRequest.status,
                ProjectRequest.created_at,
                ProjectRequest.updated_at,
                Council.slug,
            )
            .join(Council, Council.id == ProjectRequest.council_id)
            .where(ProjectRequest.holder_id == uid)
            .order_by(ProjectRequest.created_at, ProjectRequest.id),
            # The team's notes are the team's work about the request, not the holder's data.
            lambda r: {
                "id": r.id,
                "council": r.slug,
                "title": r.title,
                "description": r.description,
                "needs": list(r.needs or []),
                "other_needs": r.needs_other or None,
                "language": r.language,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "updated_at": _iso(r.updated_at),
            },
        ),  # fmt: skip
        "organisations_represented": _rows(
            select(
                OrganisationRepresentative.organisation_id,
                Organisation.name,
                OrganisationRepresentative.status,
                OrganisationRepresentative.role_title,
                OrganisationRepresentative.message,
                OrganisationRepresentative.created_at,
                OrganisationRepresentative.decided_at,
            )
            .join(Organisation, Organisation.id == OrganisationRepresentative.organisation_id)
            .where(OrganisationRepresentative.user_id == uid)
            .order_by(OrganisationRepresentative.created_at, OrganisationRepresentative.id),
            lambda r: {
                "organisation_id": r.organisation_id,
                "organisation": r.name,
                "status": r.status,
                "role": r.role_title,
                "message": r.message,
                "asked_at": _iso(r.created_at),
                "decided_at": _iso(r.decided_at),
            },
        ),  # fmt: skip
        "call_applications": _rows(
            select(
                Application.id,
                Application.call_id,
                Call.title,
                Application.title,
                Application.summary,
                Application.budget_requested,
                Application.answers,
                Application.submitted_at,
                Application.is_selected,
                Application.amount_granted,
            )
            .join(Call, Call.id == Application.call_id)
            .where(Application.applicant_id == uid)
            .order_by(Application.submitted_at, Application.id),
            lambda r: {
                "id": r.id,
                "call_id": r.call_id,
                "call": r[2],
                "title": r[3],
                "summary": r.summary,
                "budget_requested": r.budget_requested,
                "answers": r.answers or {},
                "submitted_at": _iso(r.submitted_at),
                "selected": r.is_selected,
                "amount_granted": r.amount_granted,
            },
        ),  # fmt: skip
        "jury": _rows(
            select(
                JuryMember.call_id,
                Call.title,
                JuryMember.named_at,
                select(func.count(JuryScore.id))
                .join(Application, Application.id == JuryScore.application_id)
                .where(JuryScore.user_id == uid, Application.call_id == JuryMember.call_id)
                .scalar_subquery(),
                select(func.count(JuryConflict.id))
                .join(Application, Application.id == JuryConflict.application_id)
                .where(JuryConflict.user_id == uid, Application.call_id == JuryMember.call_id)
                .scalar_subquery(),
            )
            .join(Call, Call.id == JuryMember.call_id)
            .where(JuryMember.user_id == uid)
            .order_by(JuryMember.named_at, JuryMember.id),
            lambda r: {
                "call_id": r.call_id,
                "call": r.title,
                "named_at": _iso(r.named_at),
                "marks_given": int(r[3] or 0),
                "conflicts_declared": int(r[4] or 0),
            },
        ),  # fmt: skip
    }


def _votes(uid: int, identities) -> list[dict[str, Any]]:
    """Which votes the person took part in (3 queries): the participation, the options' labels and,
    in an open vote, the ballot linked to them."""
    mine = or_(
        VoteParticipation.voter_id == uid,
        VoteParticipation.cast_by_id == uid,
        VoteParticipation.participant_id.in_(identities),
    )
    participations = db.session.execute(
        select(
            VoteParticipation.vote_id,
            VoteParticipation.voter_id,
            VoteParticipation.cast_by_id,
            VoteParticipation.channel,
            Vote.question,
            Vote.method,
            Vote.status,
            Vote.is_secret,
            Council.slug.label("council"),
        )
        .join(Vote, Vote.id == VoteParticipation.vote_id)
        .join(Council, Council.id == Vote.council_id)
        .where(mine)
        .order_by(Vote.id)
    ).all()
    if not participations:
        return []
    vote_ids = select(VoteParticipation.vote_id).where(mine).scalar_subquery()
    ballots = {
        vote_id: content
        for vote_id, content in db.session.execute(
            select(VoteBallot.vote_id, VoteBallot.content)
            .join(Vote, Vote.id == VoteBallot.vote_id)
            # A secret ballot has no voter anyway; the condition says it twice on purpose.
            .where(
                Vote.is_secret.is_(False),
                or_(VoteBallot.voter_id == uid, VoteBallot.participant_id.in_(identities)),
            )
        )
    }
    options: dict[int, dict[str, str]] = {}
    for vote_id, option_id, label in db.session.execute(
        select(VoteOption.vote_id, VoteOption.id, VoteOption.label)
        .where(VoteOption.vote_id.in_(vote_ids))
        .order_by(VoteOption.vote_id, VoteOption.position)
    ):
        options.setdefault(vote_id, {})[str(option_id)] = label
    secret_note = _("Secret ballot: what you voted is stored without any link to you, so it is not included.")
    proxy_note = _("You cast this ballot for a person who gave you their proxy: it is theirs, so it is not included.")
    entries = []
    for row in participations:
        for_someone_else = row.voter_id is not None and row.voter_id != uid
        entry: dict[str, Any] = {
            "vote_id": row.vote_id,
            "council": row.council,
            "question": row.question,
            "method": row.method,
            "status": row.status,
            "is_secret": row.is_secret,
            "channel": row.channel,
            "cast_for_someone_else": for_someone_else,
            "cast_by_your_proxy_holder": row.voter_id == uid and row.cast_by_id not in (None, uid),
            "options": options.get(row.vote_id, {}),
            "ballot": None,
            "ballot_note": None,
        }
        if for_someone_else:
            entry["ballot_note"] = proxy_note
        elif row.is_secret:
            entry["ballot_note"] = secret_note
        else:
            entry["ballot"] = ballots.get(row.vote_id)
        entries.append(entry)
    return entries


def _actions_in_a_role(uid: int) -> dict[str, list[dict[str, Any]]]:
    """What the person did as a facilitator, council member, officer or administrator (one query each).
    Only the fact and its time: the details often name the other people concerned."""
    return {
        "workshop_history": _rows(
            select(WorkshopEvent.workshop_id, WorkshopEvent.action, WorkshopEvent.created_at)
            .where(WorkshopEvent.actor_id == uid)
            .order_by(WorkshopEvent.created_at, WorkshopEvent.id),
            lambda r: {"workshop_id": r.workshop_id, "action": r.action, "at": _iso(r.created_at)},
        ),
        "attendance_marked": _rows(
            select(Attendance.workshop_id, Attendance.updated_at)
            .where(Attendance.marked_by_id == uid)
            .order_by(Attendance.updated_at, Attendance.id),
            lambda r: {"workshop_id": r.workshop_id, "at": _iso(r.updated_at)},
        ),
        "paper_proposals_typed_in": _rows(
            select(Proposal.id, Proposal.workshop_id, Proposal.created_at)
            .where(Proposal.collected_by_id == uid)
            .order_by(Proposal.created_at, Proposal.id),
            lambda r: {"proposal_id": r.id, "workshop_id": r.workshop_id, "at": _iso(r.created_at)},
        ),
        "paper_counts_typed_in": _rows(
            select(PaperCount.proposal_id, PaperCount.count, PaperCount.recorded_at)
            .where(PaperCount.collected_by_id == uid)
            .order_by(PaperCount.recorded_at, PaperCount.id),
            lambda r: {"proposal_id": r.proposal_id, "count": r.count, "at": _iso(r.recorded_at)},
        ),
        "proposals_corrected": _rows(
            select(ProposalRevision.proposal_id, ProposalRevision.edited_at)
            .where(ProposalRevision.edited_by_id == uid)
            .order_by(ProposalRevision.edited_at, ProposalRevision.id),
            lambda r: {"proposal_id": r.proposal_id, "at": _iso(r.edited_at)},
        ),
        "minutes_versions": _rows(
            select(WorkshopMinutes.workshop_id, WorkshopMinutes.version, WorkshopMinutes.created_at)
            .where(WorkshopMinutes.created_by_id == uid)
            .order_by(WorkshopMinutes.created_at, WorkshopMinutes.id),
            lambda r: {"workshop_id": r.workshop_id, "version": r.version, "at": _iso(r.created_at)},
        ),
        "votes_created": _rows(
            select(Vote.id, Vote.question, Vote.created_at)
            .where(Vote.created_by_id == uid)
            .order_by(Vote.created_at, Vote.id),
            lambda r: {"vote_id": r.id, "question": r.question, "at": _iso(r.created_at)},
        ),
        "paper_ballots_typed_in": _rows(
            select(PaperEntry.vote_id, PaperEntry.channel, PaperEntry.ballots, PaperEntry.entered_at)
            .where(PaperEntry.entered_by_id == uid)
            .order_by(PaperEntry.entered_at, PaperEntry.id),
            lambda r: {"vote_id": r.vote_id, "channel": r.channel, "ballots": r.ballots, "at": _iso(r.entered_at)},
        ),
        "opinions_created": _rows(
            select(Opinion.id, Opinion.title, Opinion.created_at)
            .where(Opinion.created_by_id == uid)
            .order_by(Opinion.created_at, Opinion.id),
            lambda r: {"opinion_id": r.id, "title": r.title, "at": _iso(r.created_at)},
        ),
        "opinion_revisions": _rows(
            select(OpinionRevision.opinion_id, OpinionRevision.number, OpinionRevision.created_at)
            .where(OpinionRevision.author_id == uid)
            .order_by(OpinionRevision.created_at, OpinionRevision.id),
            lambda r: {"opinion_id": r.opinion_id, "revision": r.number, "at": _iso(r.created_at)},
        ),
        "municipal_answers": _rows(
            select(MunicipalAnswer.opinion_id, MunicipalAnswer.answered_on, MunicipalAnswer.created_at)
            .where(MunicipalAnswer.answered_by_id == uid)
            .order_by(MunicipalAnswer.created_at, MunicipalAnswer.id),
            lambda r: {"opinion_id": r.opinion_id, "answered_on": _iso(r.answered_on), "at": _iso(r.created_at)},
        ),
        "accessibility_statement_edits": _rows(
            select(AccessibilityStatement.id, AccessibilityStatement.updated_at).where(
                AccessibilityStatement.updated_by_id == uid
            ),
            lambda r: {"statement_id": r.id, "at": _iso(r.updated_at)},
        ),
    }
