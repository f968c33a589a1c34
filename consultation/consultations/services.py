"""Consultation actions: open and edit a consultation; submit, edit, withdraw, support, comment on and
follow its proposals; moderate them (accept, reject, merge, retain for a workshop); read its lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Select, delete, func, literal, select
from sqlalchemy.orm import selectinload

from consultation import uploads
from consultation.accounts.models import User
from consultation.consultations import rules
from consultation.consultations.models import (
    Consultation,
    Follow,
    ProposalAttachment,
    ProposalComment,
    ProposalEvent,
)
from consultation.councils.models import Council, District, Theme
from consultation.dbutil import insert_ignoring_duplicates
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES, UPCOMING_LANGUAGES
from consultation.notifications.services import notify
from consultation.opinions.models import Opinion, Recommendation, recommendation_sources
from consultation.permissions import Actor, can_manage_consultations, can_take_part
from consultation.proposals.models import VISIBLE_STATUSES, Proposal, Support
from consultation.proposals.services import move_supports
from consultation.referrals.models import Question
from consultation.web import page_of
from consultation.workshops.models import Workshop
from consultation.workshops.phases import Phase

# People write in the languages of the platform and in those waiting for their catalog (Guianese Creole …).
CONTENT_LANGUAGES = {**LANGUAGES, **UPCOMING_LANGUAGES}
# Seen by everyone; rejected and withdrawn proposals only by their author and the council's managers.
PUBLIC_STATUSES = ("submitted", "accepted", "merged")
PER_PAGE = 20
LIST_STATUSES = ("submitted", "accepted", "retained", "merged")


# ------------------------------------------------------------------------------ consultations


@dataclass(frozen=True)
class ConsultationDetails:
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    question_id: int | None = None
    theme_ids: tuple[int, ...] = ()
    district_ids: tuple[int, ...] = ()
    is_published: bool = False
    language: str = "fr"


def consultations_of(actor: Actor, council: Council) -> list[Consultation]:
    query = select(Consultation).where(Consultation.council_id == council.id)
    if not can_manage_consultations(actor, council.id):
        query = query.where(Consultation.is_published.is_(True))
    return list(db.session.scalars(query.order_by(Consultation.opens_at.desc(), Consultation.id.desc())))


def consultation_in_council(actor: Actor, council: Council, consultation_id: int) -> Consultation:
    """A consultation of this council the actor may see; the same 404 whether absent or a draft."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None or consultation.council_id != council.id:
        raise NotFound()
    if not consultation.is_published and not can_manage_consultations(actor, council.id):
        raise NotFound()
    return consultation


def _check_manager(actor: Actor, council_id: int) -> None:
    if not can_manage_consultations(actor, council_id):
        raise NotAllowed(_l("Only the facilitators, secretary and president of this council can do this."))


def _apply(consultation: Consultation, council: Council, details: ConsultationDetails) -> None:
    if details.closes_at <= details.opens_at:
        raise Conflict(_l("The consultation must close after it opens."))
    if details.question_id is not None:
        question = db.session.get(Question, details.question_id)
        if question is None or question.council_id != council.id:
            raise Conflict(_l("Choose one of the council's questions."))
    themes = _of_council(Theme, council, details.theme_ids)
    districts = _of_council(District, council, details.district_ids)
    consultation.title = details.title.strip()
    consultation.description = details.description.strip()
    consultation.opens_at, consultation.closes_at = details.opens_at, details.closes_at
    consultation.question_id = details.question_id
    consultation.themes, consultation.districts = themes, districts
    consultation.is_published = details.is_published
    consultation.language = details.language


def _of_council(model, council: Council, ids: tuple[int, ...]) -> list:
    if not ids:
        return []
    found = list(db.session.scalars(select(model).where(model.id.in_(ids), model.council_id == council.id)))
    if len(found) != len(set(ids)):
        raise Conflict(_l("Choose among the council's themes and districts."))
    return found


def create_consultation(user: User, council: Council, details: ConsultationDetails, *, now: datetime) -> Consultation:
    _check_manager(user.actor, council.id)
    consultation = Consultation(council=council, created_by_id=user.id, created_at=now, updated_at=now)
    _apply(consultation, council, details)
    db.session.add(consultation)
    db.session.flush()
    return consultation


def update_consultation(user: User, consultation: Consultation, details: ConsultationDetails, *, now: datetime) -> None:
    _check_manager(user.actor, consultation.council_id)
    _apply(consultation, consultation.council, details)
    consultation.updated_at = now
    db.session.flush()


def themes_for(consultation: Consultation) -> list[Theme]:
    """The themes a proposal may be filed under: the consultation's own, or else all of the council's."""
    return consultation.themes or consultation.council.themes


def districts_for(consultation: Consultation) -> list[District]:
    return consultation.districts or consultation.council.districts


# ------------------------------------------------------------------------------ proposals


@dataclass(frozen=True)
class ProposalInput:
    title: str
    body: str
    theme_id: int | None = None
    district_id: int | None = None
    language: str = "fr"
    attachment_description: str = ""


def _check_open(consultation: Consultation, now: datetime) -> None:
    if not rules.accepts_contributions(consultation.status_at(now)):
        raise Conflict(_l("This consultation is not open: it takes no proposals, supports or comments now."))


def _check_choices(consultation: Consultation, data: ProposalInput) -> None:
    if data.theme_id is not None and data.theme_id not in {t.id for t in themes_for(consultation)}:
        raise Conflict(_l("Choose one of the consultation's themes."))
    if data.district_id is not None and data.district_id not in {d.id for d in districts_for(consultation)}:
        raise Conflict(_l("Choose one of the consultation's districts."))
    if data.language not in CONTENT_LANGUAGES:
        raise Conflict(_l("Choose the language you wrote in."))
    if not data.title.strip() or not data.body.strip():
        raise Conflict(_l("Give your proposal a title and a text."))


def _event(proposal: Proposal, kind: str, actor: User | None, now: datetime, **details) -> ProposalEvent:
    event = ProposalEvent(
        proposal_id=proposal.id, kind=kind, actor_id=actor.id if actor else None, details=details, created_at=now
    )
    db.session.add(event)
    return event


def _link_params(proposal: Proposal) -> dict:
    consultation = proposal.consultation
    return {
        "title": proposal.title,
        "slug": consultation.council.slug,
        "consultation_id": consultation.id,
        "proposal_id": proposal.id,
    }


def submit_proposal(
    user: User, consultation: Consultation, data: ProposalInput, *, upload: uploads.Upload | None, now: datetime
) -> Proposal:
    if not can_take_part(user.actor):
        raise NotAllowed()
    _check_open(consultation, now)
    _check_choices(consultation, data)
    proposal = Proposal(
        consultation=consultation,
        author=user,
        theme_id=data.theme_id,
        district_id=data.district_id,
        title=data.title.strip(),
        body=data.body.strip(),
        language=data.language,
        created_at=now,
        updated_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    _event(proposal, "received", user, now)
    if upload is not None:
        _attach(proposal, upload, data.attachment_description, now)
    # The author hears of the comments on their proposal; the consultation's followers of the proposal.
    insert_ignoring_duplicates(
        Follow, {"user_id": user.id, "proposal_id": proposal.id, "created_at": now}, ["user_id", "proposal_id"]
    )
    followers = db.session.scalars(
        select(Follow.user_id).where(Follow.consultation_id == consultation.id, Follow.user_id != user.id)
    )
    notify(
        followers,
        kind="consultation_proposal",
        params={**_link_params(proposal), "consultation": consultation.title},
        now=now,
    )
    db.session.flush()
    return proposal


def _attach(proposal: Proposal, upload: uploads.Upload, description: str, now: datetime) -> None:
    existing = attachment_of(proposal)
    if existing is not None:
        uploads.drop_after_commit(existing.stored_name)
        db.session.delete(existing)
        db.session.flush()
    db.session.add(
        ProposalAttachment(
            proposal_id=proposal.id,
            stored_name=uploads.store(upload),
            content_type=upload.content_type,
            size=upload.size,
            description=description.strip()[:300] if upload.content_type.startswith("image/") else "",
            created_at=now,
        )
    )


def attachment_of(proposal: Proposal) -> ProposalAttachment | None:
    return db.session.scalar(select(ProposalAttachment).where(ProposalAttachment.proposal_id == proposal.id))


def proposal_in_consultation(actor: Actor, consultation: Consultation, proposal_id: int) -> Proposal:
    """A proposal of this consultation the actor may read (the same 404 whether absent or not theirs to see)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.consultation_id != consultation.id:
        raise NotFound()
    is_public = proposal.status in PUBLIC_STATUSES and proposal.hidden_at is None  # hidden: by moderators
    if not is_public and not _is_author_or_manager(actor, proposal, consultation):
        raise NotFound()
    return proposal


def _is_author_or_manager(actor: Actor, proposal: Proposal, consultation: Consultation) -> bool:
    is_author = actor.user_id is not None and proposal.author_id == actor.user_id
    return is_author or can_manage_consultations(actor, consultation.council_id)


def _event_kinds(proposal: Proposal) -> list[str]:
    return list(db.session.scalars(select(ProposalEvent.kind).where(ProposalEvent.proposal_id == proposal.id)))


def author_may_edit(actor: Actor, proposal: Proposal, *, now: datetime) -> bool:
    if actor.user_id is None or proposal.author_id != actor.user_id or proposal.consultation is None:
        return False
    if proposal.hidden_at is not None:  # moderators acted on it
        return False
    return rules.author_may_edit(
        status=proposal.status,
        events=_event_kinds(proposal),
        consultation_open=rules.accepts_contributions(proposal.consultation.status_at(now)),
    )


def edit_own_proposal(
    user: User,
    proposal: Proposal,
    data: ProposalInput,
    *,
    upload: uploads.Upload | None,
    remove_attachment: bool,
    now: datetime,
) -> Proposal:
    if proposal.author_id != user.id:
        raise NotAllowed(_l("Only its author can edit a proposal."))
    if not author_may_edit(user.actor, proposal, now=now):
        raise Conflict(_l("This proposal can no longer be edited: the council has started handling it."))
    _check_choices(proposal.consultation, data)
    proposal.title, proposal.body = data.title.strip(), data.body.strip()
    proposal.theme_id, proposal.district_id, proposal.language = data.theme_id, data.district_id, data.language
    proposal.updated_at = now
    attachment = attachment_of(proposal)
    if upload is not None:
        _attach(proposal, upload, data.attachment_description, now)
    elif remove_attachment and attachment is not None:
        uploads.drop_after_commit(attachment.stored_name)
        db.session.delete(attachment)
    elif attachment is not None and attachment.is_image:
        attachment.description = data.attachment_description.strip()[:300]
    _event(proposal, "edited", user, now)
    db.session.flush()
    return proposal


def withdraw_proposal(user: User, proposal: Proposal, *, now: datetime) -> Proposal:
    if proposal.author_id != user.id:
        raise NotAllowed(_l("Only its author can withdraw a proposal."))
    if not rules.author_may_withdraw(status=proposal.status):
        raise Conflict(_l("This proposal can no longer be withdrawn."))
    proposal.status, proposal.updated_at = "withdrawn", now
    _event(proposal, "withdrawn", user, now)
    db.session.flush()
    return proposal


# ------------------------------------------------------------------------------ supports and follows


def _check_supportable(proposal: Proposal, now: datetime) -> None:
    _check_open(proposal.consultation, now)
    if proposal.status not in VISIBLE_STATUSES or proposal.hidden_at is not None:
        raise Conflict(_l("This proposal can no longer be supported."))


def support(user: User, proposal: Proposal, *, now: datetime) -> bool:
    """Support once: a double click or a replayed request counts once (the unique constraint decides)."""
    if not can_take_part(user.actor):
        raise NotAllowed()
    _check_supportable(proposal, now)
    return insert_ignoring_duplicates(
        Support, {"proposal_id": proposal.id, "user_id": user.id, "created_at": now}, ["proposal_id", "user_id"]
    )


def withdraw_support(user: User, proposal: Proposal, *, now: datetime) -> bool:
    _check_supportable(proposal, now)
    result = db.session.execute(delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id))
    return bool(result.rowcount)


def follow(user: User, *, proposal: Proposal | None = None, consultation: Consultation | None = None, now: datetime):
    if proposal is not None:
        values, unique = {"proposal_id": proposal.id}, ["user_id", "proposal_id"]
    else:
        values, unique = {"consultation_id": consultation.id}, ["user_id", "consultation_id"]
    return insert_ignoring_duplicates(Follow, {"user_id": user.id, "created_at": now, **values}, unique)


def unfollow(user: User, *, proposal: Proposal | None = None, consultation: Consultation | None = None) -> None:
    target = Follow.proposal_id == proposal.id if proposal is not None else Follow.consultation_id == consultation.id
    db.session.execute(delete(Follow).where(Follow.user_id == user.id, target))


def is_following(user_id: int | None, *, proposal_id: int | None = None, consultation_id: int | None = None) -> bool:
    if user_id is None:
        return False
    target = Follow.proposal_id == proposal_id if proposal_id is not None else Follow.consultation_id == consultation_id
    return db.session.scalar(select(Follow.id).where(Follow.user_id == user_id, target).limit(1)) is not None


# ------------------------------------------------------------------------------ comments


@dataclass(frozen=True)
class Thread:
    comment: ProposalComment
    replies: list[ProposalComment] = field(default_factory=list)


def comments_of(proposal: Proposal) -> list[Thread]:
    """Comments oldest first, each with its replies: one query, whatever their number."""
    rows = db.session.scalars(
        select(ProposalComment)
        .where(ProposalComment.proposal_id == proposal.id)
        .order_by(ProposalComment.created_at, ProposalComment.id)
        .options(selectinload(ProposalComment.author))
    ).all()
    threads = {row.id: Thread(row) for row in rows if row.parent_id is None}
    for row in rows:
        if row.parent_id is not None and row.parent_id in threads:
            threads[row.parent_id].replies.append(row)
    return list(threads.values())


def add_comment(
    user: User, proposal: Proposal, *, body: str, parent_id: int | None, language: str, now: datetime
) -> ProposalComment:
    if not can_take_part(user.actor):
        raise NotAllowed()
    _check_open(proposal.consultation, now)
    if proposal.status not in PUBLIC_STATUSES or proposal.hidden_at is not None:
        raise Conflict(_l("This proposal no longer takes comments."))
    if not body.strip():
        raise Conflict(_l("Write your comment."))
    parent = None
    if parent_id is not None:
        parent = db.session.get(ProposalComment, parent_id)
        if parent is None or parent.proposal_id != proposal.id:
            raise NotFound()
        if parent.parent_id is not None:  # one level of replies: answer the comment itself
            raise Conflict(_l("Reply to the comment itself, not to a reply."))
        if parent.hidden_at is not None:
            raise Conflict(_l("The moderators hid this comment: it takes no more replies."))
    comment = ProposalComment(
        proposal_id=proposal.id,
        parent_id=parent.id if parent else None,
        author_id=user.id,
        body=body.strip(),
        language=language if language in CONTENT_LANGUAGES else "fr",
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    params = _link_params(proposal)
    told: set[int] = {user.id}
    if parent is not None and parent.author_id is not None and parent.author_id not in told:
        notify([parent.author_id], kind="comment_reply", params=params, now=now)
        told.add(parent.author_id)
    followers = set(db.session.scalars(select(Follow.user_id).where(Follow.proposal_id == proposal.id))) - told
    notify(followers, kind="proposal_comment", params=params, now=now)
    return comment


def comment_in_proposal(proposal: Proposal, comment_id: int) -> ProposalComment:
    comment = db.session.get(ProposalComment, comment_id)
    if comment is None or comment.proposal_id != proposal.id:
        raise NotFound()
    return comment


def may_edit_comment(actor: Actor, comment: ProposalComment, *, now: datetime) -> bool:
    return (
        actor.user_id is not None
        and comment.author_id == actor.user_id
        and rules.comment_editable(created_at=comment.created_at, now=now)
    )


def edit_comment(user: User, comment: ProposalComment, *, body: str, now: datetime) -> ProposalComment:
    if comment.author_id != user.id:
        raise NotAllowed(_l("Only its author can edit a comment."))
    if not rules.comment_editable(created_at=comment.created_at, now=now):
        raise Conflict(_l("A comment can be edited for 15 minutes after it is sent."))
    if not body.strip():
        raise Conflict(_l("Write your comment."))
    comment.body, comment.edited_at = body.strip(), now
    db.session.flush()
    return comment


# ------------------------------------------------------------------------------ moderation


def _tell_author(proposal: Proposal, status: str, now: datetime, actor: User) -> None:
    if proposal.author_id is not None and proposal.author_id != actor.id:
        params = {**_link_params(proposal), "status": status}
        notify([proposal.author_id], kind="proposal_status", params=params, now=now)


def _check_moderator(user: User, proposal: Proposal) -> None:
    if proposal.consultation is None:
        raise NotFound()
    _check_manager(user.actor, proposal.consultation.council_id)
    if proposal.status in ("merged", "withdrawn"):
        raise Conflict(_l("This proposal was merged or withdrawn: it cannot change any more."))


def accept_proposal(user: User, proposal: Proposal, *, now: datetime) -> Proposal:
    _check_moderator(user, proposal)
    proposal.status, proposal.rejection_reason, proposal.updated_at = "accepted", "", now
    _event(proposal, "accepted", user, now)
    _tell_author(proposal, "accepted", now, user)
    db.session.flush()
    return proposal


def reject_proposal(user: User, proposal: Proposal, *, reason: str, now: datetime) -> Proposal:
    _check_moderator(user, proposal)
    if not reason.strip():
        raise Conflict(_l("Give the reason: the author will read it."))
    proposal.status, proposal.rejection_reason, proposal.updated_at = "rejected", reason.strip(), now
    _event(proposal, "rejected", user, now, reason=proposal.rejection_reason)
    _tell_author(proposal, "rejected", now, user)
    db.session.flush()
    return proposal


def merge_into(user: User, source: Proposal, target: Proposal, *, now: datetime) -> Proposal:
    """A duplicate joins the proposal it repeats: its supports move there (each person counted once)."""
    _check_moderator(user, source)
    if target.id == source.id or target.consultation_id != source.consultation_id:
        raise Conflict(_l("Choose another proposal of this consultation."))
    if target.status not in VISIBLE_STATUSES:
        raise Conflict(_l("Merge into a proposal that is still in the list."))
    move_supports(target, [source.id])
    for earlier in db.session.scalars(select(Proposal).where(Proposal.merged_into_id == source.id)):
        earlier.merged_into_id = target.id
    source.status, source.merged_into_id, source.updated_at = "merged", target.id, now
    target.updated_at = now
    _event(source, "merged", user, now, into=target.id, title=target.title)
    _tell_author(source, "merged", now, user)
    db.session.flush()
    return target


def workshops_to_retain_for(council: Council) -> list[Workshop]:
    """The council's workshops that can still work on a proposal (not closed)."""
    return list(
        db.session.scalars(
            select(Workshop)
            .where(Workshop.council_id == council.id, Workshop.phase != Phase.CLOSED.value)
            .order_by(Workshop.starts_at.desc(), Workshop.id)
        )
    )


def retain_for_workshop(user: User, proposal: Proposal, workshop: Workshop, *, now: datetime) -> Proposal:
    """The council takes a proposal to one of its workshops: it is brought there as a proposal of the workshop
    (same author, text, theme and language), where it is discussed and voted on like the others."""
    _check_moderator(user, proposal)
    if workshop.council_id != proposal.consultation.council_id:
        raise NotFound()
    if workshop.phase_enum is Phase.CLOSED:
        raise Conflict(_l("This workshop is closed."))
    if proposal.status == "rejected":
        raise Conflict(_l("Accept the proposal before retaining it for a workshop."))
    if proposal.retained_as_id is not None:
        raise Conflict(_l("This proposal is already retained for a workshop."))
    copy = Proposal(
        workshop=workshop,
        author_id=proposal.author_id,
        theme_id=proposal.theme_id,
        district_id=proposal.district_id,
        title=proposal.title,
        body=proposal.body,
        language=proposal.language,
        status="accepted",
        created_at=now,
        updated_at=now,
    )
    db.session.add(copy)
    db.session.flush()
    proposal.retained_as_id, proposal.status, proposal.updated_at = copy.id, "accepted", now
    _event(proposal, "retained", user, now, workshop_id=workshop.id, workshop=workshop.title)
    _tell_author(proposal, "retained", now, user)
    db.session.flush()
    return copy


# ------------------------------------------------------------------------------ timeline


@dataclass(frozen=True)
class Step:
    kind: str  # received, edited, accepted, rejected, merged, retained, withdrawn, in_opinion, answered
    at: datetime | date
    details: dict = field(default_factory=dict)

    @property
    def sort_key(self) -> datetime:
        if isinstance(self.at, datetime):
            return self.at
        return datetime.combine(self.at, time.max, tzinfo=UTC)


def timeline(proposal: Proposal) -> list[Step]:
    """The author's view of what became of the proposal: the recorded steps, then what the council's
    later work says (the workshop copy merged, an adopted opinion citing it, the municipality's answer)."""
    steps = [
        Step(event.kind, event.created_at, dict(event.details or {}))
        for event in db.session.scalars(
            select(ProposalEvent)
            .where(ProposalEvent.proposal_id == proposal.id)
            .order_by(ProposalEvent.created_at, ProposalEvent.id)
        )
        if event.kind != "edited"
    ]
    related = {proposal.id}
    if proposal.merged_into_id is not None:
        related.add(proposal.merged_into_id)
    copy = proposal.retained_as
    if copy is not None:
        related.add(copy.id)
        if copy.status == "merged" and copy.merged_into_id is not None:
            related.add(copy.merged_into_id)
            merged_into = copy.merged_into
            steps.append(Step("merged", copy.updated_at, {"title": merged_into.title if merged_into else ""}))
    citing = (
        select(Recommendation.opinion_id)
        .join(recommendation_sources, recommendation_sources.c.recommendation_id == Recommendation.id)
        .where(recommendation_sources.c.proposal_id.in_(related))
    )
    # Opinions are chosen by id (not SELECT DISTINCT: PostgreSQL cannot compare their JSON columns).
    opinions = db.session.scalars(
        select(Opinion)
        .where(Opinion.id.in_(citing), Opinion.status == "adopted")
        .order_by(Opinion.adopted_at, Opinion.id)
        .options(selectinload(Opinion.answer), selectinload(Opinion.council))
    ).all()
    for opinion in opinions:
        link = {"number": opinion.number or "", "title": opinion.title, "opinion_id": opinion.id}
        link["slug"] = opinion.council.slug
        steps.append(Step("in_opinion", opinion.adopted_at or opinion.updated_at, link))
        if opinion.answer is not None:
            steps.append(Step("answered", opinion.answer.answered_on, link))
    steps.sort(key=lambda step: step.sort_key)
    return steps


# ------------------------------------------------------------------------------ lists


@dataclass(frozen=True)
class ListQuery:
    """Everything a list's URL says: the same query string always gives the same page."""

    q: str = ""
    theme_id: int | None = None
    district_id: int | None = None
    status: str | None = None
    language: str | None = None
    sort: str = "recent"
    seed: int | None = None
    page: int = 1


@dataclass(frozen=True)
class Row:
    proposal: Proposal
    supports: int
    comments: int
    supported_by_viewer: bool


@dataclass(frozen=True)
class ListPage:
    rows: list[Row]
    total: int
    page: int
    pages: int


def _filtered(consultation: Consultation, query: ListQuery) -> Select:
    statement = select(Proposal.id).where(Proposal.consultation_id == consultation.id, Proposal.hidden_at.is_(None))
    if query.status == "retained":
        statement = statement.where(Proposal.retained_as_id.is_not(None), Proposal.status.in_(VISIBLE_STATUSES))
    elif query.status in ("submitted", "accepted", "merged"):
        statement = statement.where(Proposal.status == query.status)
    else:
        statement = statement.where(Proposal.status.in_(VISIBLE_STATUSES))
    if query.theme_id is not None:
        statement = statement.where(Proposal.theme_id == query.theme_id)
    if query.district_id is not None:
        statement = statement.where(Proposal.district_id == query.district_id)
    if query.language:
        statement = statement.where(Proposal.language == query.language)
    for term in rules.search_terms(query.q):
        statement = statement.where(Proposal.search_text.like(rules.like_pattern(term), escape="\\"))
    return statement


def list_proposals(
    consultation: Consultation, viewer: Actor, query: ListQuery, *, per_page: int = PER_PAGE
) -> ListPage:
    """One page of a consultation's proposals in four queries, whatever their number: the count, the page
    with its support and comment counts, the viewer's supports, and the authors, themes and districts."""
    ids = _filtered(consultation, query).subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    page, pages = page_of(total, per_page, query.page)
    supports = (
        select(func.count(Support.id)).where(Support.proposal_id == Proposal.id).correlate(Proposal).scalar_subquery()
    )
    comments = (
        select(func.count(ProposalComment.id))
        .where(ProposalComment.proposal_id == Proposal.id, ProposalComment.hidden_at.is_(None))
        .correlate(Proposal)
        .scalar_subquery()
    )
    if query.sort == "supported":
        # The stored total (no paper count here: it is the supports' count), in the order of the index
        # ix_proposals_consultation_ranking: the page is read from it, not from counting every proposal.
        order = [Proposal.support_total.desc(), Proposal.created_at.desc(), Proposal.id.desc()]
    elif query.sort == "commented":
        order = [comments.desc(), Proposal.created_at.desc(), Proposal.id.desc()]
    elif query.sort == "random":
        # rules.shuffle_key, in SQL
        factor = literal(rules.shuffle_factor(query.seed or 0), BigInteger)
        shuffled = (Proposal.id * factor) % literal(rules.SHUFFLE_MODULUS, BigInteger)
        order = [shuffled, Proposal.id]
    else:
        order = [Proposal.created_at.desc(), Proposal.id.desc()]
    # The page's ids first, then the counts of those rows only (not of every proposal before the LIMIT).
    shown = (
        select(Proposal.id)
        .where(Proposal.id.in_(select(ids.c.id)))
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
        .subquery()
    )
    statement = (
        select(Proposal, supports.label("supports"), comments.label("comments"))
        .join(shown, shown.c.id == Proposal.id)
        .order_by(*order)
        .options(selectinload(Proposal.author), selectinload(Proposal.theme), selectinload(Proposal.district))
    )
    rows = db.session.execute(statement).all()
    supported: set[int] = set()
    if rows and viewer.user_id is not None:
        supported = set(
            db.session.scalars(
                select(Support.proposal_id).where(
                    Support.user_id == viewer.user_id, Support.proposal_id.in_([row[0].id for row in rows])
                )
            )
        )
    return ListPage(
        [Row(proposal, int(count), int(said), proposal.id in supported) for proposal, count, said in rows],
        total,
        page,
        pages,
    )


def similar_proposals(
    consultation: Consultation, title: str, *, exclude_id: int | None = None, limit: int = 5
) -> list[rules.Candidate]:
    """Proposals of the consultation whose title looks like this one (to avoid duplicates): one query."""
    if len(title.strip()) < 3:
        return []
    rows = db.session.execute(
        select(Proposal.id, Proposal.title).where(
            Proposal.consultation_id == consultation.id,
            Proposal.status.in_(VISIBLE_STATUSES),
            Proposal.hidden_at.is_(None),
            Proposal.id != (exclude_id or -1),
        )
    ).all()
    candidates = [rules.Candidate(row.id, row.title) for row in rows]
    return [candidate for candidate, _score in rules.most_similar(title, candidates, limit=limit)]


def own_proposals(user_id: int | None, consultation: Consultation) -> list[Proposal]:
    """The viewer's own proposals in the consultation, whatever their status (to follow them up)."""
    if user_id is None:
        return []
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.consultation_id == consultation.id, Proposal.author_id == user_id)
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        )
    )


def support_count(proposal: Proposal) -> int:
    return db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal.id)) or 0


def supported_by(user_id: int | None, proposal: Proposal) -> bool:
    if user_id is None:
        return False
    found = select(Support.id).where(Support.proposal_id == proposal.id, Support.user_id == user_id).limit(1)
    return db.session.scalar(found) is not None


def merge_targets(proposal: Proposal) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(
                Proposal.consultation_id == proposal.consultation_id,
                Proposal.id != proposal.id,
                Proposal.status.in_(VISIBLE_STATUSES),
                Proposal.hidden_at.is_(None),
            )
            .order_by(Proposal.title, Proposal.id)
        )
    )
