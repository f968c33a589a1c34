"""Actions of the territory's directory and project requests: list, add, edit and hide organisations;
ask to represent one and decide on it; invite experts to a workshop; submit, take, refer and follow
project requests; the municipality's figures. Pages, CLI and demo call these."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.consultations import rules as search
from consultation.councils.models import Council, District, Theme
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES, UPCOMING_LANGUAGES
from consultation.notifications.services import notify
from consultation.permissions import (
    Actor,
    can_edit_organisation,
    can_follow_project_requests,
    can_manage_directory,
    can_manage_workshop,
    can_take_part,
    can_view_project_request,
)
from consultation.territory import matching, rules
from consultation.territory.models import (
    Organisation,
    OrganisationLanguage,
    OrganisationRepresentative,
    ProjectReferral,
    ProjectRequest,
    ProjectRequestEvent,
    WorkshopExpert,
    organisation_districts,
    organisation_themes,
    project_request_themes,
)
from consultation.territory.rules import RepresentationStatus, RequestStatus
from consultation.web import page_of
from consultation.workshops.models import Workshop

# People speak and write in the platform's languages and in those waiting for their catalog.
SPOKEN_LANGUAGES = {**LANGUAGES, **UPCOMING_LANGUAGES}
PER_PAGE = 20
MAX_REFERRALS = 10
ONLY_MANAGERS = _l("Only the facilitators, secretary and president of this council can do this.")


# ------------------------------------------------------------------------------ directory


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    kind: str
    description: str = ""
    services: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    website: str = ""
    opening_hours: str = ""
    is_welcoming_holders: bool = False
    theme_ids: tuple[int, ...] = ()
    district_ids: tuple[int, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class DirectoryQuery:
    """Everything the directory's URL says: the same query string always gives the same page."""

    q: str = ""
    kind: str | None = None
    theme_id: int | None = None
    district_id: int | None = None
    language: str | None = None
    welcomes: bool = False
    page: int = 1


@dataclass(frozen=True)
class DirectoryPage:
    organisations: list[Organisation]
    total: int
    page: int
    pages: int


def _of_council(model, council: Council, ids: tuple[int, ...]) -> list:
    if not ids:
        return []
    found = list(db.session.scalars(select(model).where(model.id.in_(ids), model.council_id == council.id)))
    if len(found) != len(set(ids)):
        raise Conflict(_l("Choose among the council's themes and districts."))
    return found


def _check_contact(data: OrganisationInput) -> str:
    """The website as stored; a contact detail that is not one is refused (the form checks it first)."""
    if data.kind not in rules.OrganisationKind.__members__.values():
        raise Conflict(_l("Choose the kind of organisation."))
    if not data.name.strip():
        raise Conflict(_l("Give the organisation's name."))
    if data.email and not rules.valid_email(data.email.strip()):
        raise Conflict(_l("Enter an email address like name@example.org."))
    if data.phone and not rules.valid_phone(data.phone.strip()):
        raise Conflict(_l("Enter a phone number with 6 to 15 digits, like 0594 30 12 34 or +594 594 30 12 34."))
    website = ""
    if data.website.strip():
        website = rules.normalise_website(data.website) or ""
        if not website:
            raise Conflict(_l("Enter a web address like https://example.org."))
    if any(code not in SPOKEN_LANGUAGES for code in data.languages):
        raise Conflict(_l("Choose among the languages of the list."))
    return website


def _apply(organisation: Organisation, council: Council, data: OrganisationInput, now: datetime) -> None:
    website = _check_contact(data)
    themes = _of_council(Theme, council, data.theme_ids)
    districts = _of_council(District, council, data.district_ids)
    name = " ".join(data.name.split())
    clash = db.session.scalar(
        select(Organisation.id).where(
            Organisation.council_id == council.id,
            func.lower(Organisation.name) == name.lower(),
            Organisation.id != (organisation.id or 0),
        )
    )
    if clash is not None:
        raise Conflict(_l("An organisation of this name is already in the directory."))
    organisation.name = name
    organisation.kind = data.kind
    organisation.description = data.description.strip()
    organisation.services = data.services.strip()
    organisation.email = data.email.strip()
    organisation.phone = " ".join(data.phone.split())
    organisation.address = data.address.strip()
    organisation.website = website
    organisation.opening_hours = data.opening_hours.strip()
    organisation.is_welcoming_holders = data.is_welcoming_holders
    organisation.themes, organisation.districts = themes, districts
    wanted = list(dict.fromkeys(data.languages))
    kept = [row for row in organisation.language_rows if row.language in wanted]
    have = {row.language for row in kept}
    organisation.language_rows = kept + [OrganisationLanguage(language=code) for code in wanted if code not in have]
    organisation.updated_at = now


def create_organisation(user: User, council: Council, data: OrganisationInput, *, now: datetime) -> Organisation:
    """A facilitator adds an organisation: it is public at once."""
    if not can_manage_directory(user.actor, council.id):
        raise NotAllowed(ONLY_MANAGERS)
    organisation = Organisation(council=council, created_by_id=user.id, created_at=now, approved_at=now)
    _apply(organisation, council, data, now)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def is_approved_representative(user_id: int | None, organisation_id: int) -> bool:
    if user_id is None:
        return False
    return (
        db.session.scalar(
            select(OrganisationRepresentative.id).where(
                OrganisationRepresentative.organisation_id == organisation_id,
                OrganisationRepresentative.user_id == user_id,
                OrganisationRepresentative.status == RepresentationStatus.APPROVED.value,
            )
        )
        is not None
    )


def may_edit(actor: Actor, organisation: Organisation) -> bool:
    return can_edit_organisation(
        actor,
        organisation.council_id,
        is_approved_representative=is_approved_representative(actor.user_id, organisation.id),
    )


def update_organisation(user: User, organisation: Organisation, data: OrganisationInput, *, now: datetime) -> None:
    if not may_edit(user.actor, organisation):
        raise NotAllowed(
            _l("Only the organisation's approved representatives and the council's facilitators can edit it.")
        )
    _apply(organisation, organisation.council, data, now)
    db.session.flush()


def set_hidden(user: User, organisation: Organisation, *, hidden: bool, now: datetime) -> None:
    if not can_manage_directory(user.actor, organisation.council_id):
        raise NotAllowed(ONLY_MANAGERS)
    organisation.hidden_at = now if hidden else None
    organisation.updated_at = now
    db.session.flush()


def organisation_in_council(actor: Actor, council: Council, organisation_id: int) -> Organisation:
    """An organisation of this council the actor may see: public ones for everyone; waiting or hidden ones
    for the directory's managers and the organisation's own representatives. The same 404 otherwise."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or organisation.council_id != council.id:
        raise NotFound()
    if not organisation.is_public and not (
        can_manage_directory(actor, council.id) or _represents_at_all(actor.user_id, organisation.id)
    ):
        raise NotFound()
    return organisation


def _represents_at_all(user_id: int | None, organisation_id: int) -> bool:
    if user_id is None:
        return False
    return (
        db.session.scalar(
            select(OrganisationRepresentative.id).where(
                OrganisationRepresentative.organisation_id == organisation_id,
                OrganisationRepresentative.user_id == user_id,
            )
        )
        is not None
    )


def _public(statement: Select) -> Select:
    return statement.where(Organisation.approved_at.is_not(None), Organisation.hidden_at.is_(None))


def _filtered(council: Council, query: DirectoryQuery) -> Select:
    statement = _public(select(Organisation.id).where(Organisation.council_id == council.id))
    if query.kind:
        statement = statement.where(Organisation.kind == query.kind)
    if query.welcomes:
        statement = statement.where(Organisation.is_welcoming_holders.is_(True))
    if query.theme_id is not None:
        statement = statement.where(
            Organisation.id.in_(
                select(organisation_themes.c.organisation_id).where(organisation_themes.c.theme_id == query.theme_id)
            )
        )
    if query.district_id is not None:
        # An organisation that names no district serves the whole territory, so every district.
        named = select(organisation_districts.c.organisation_id)
        statement = statement.where(
            Organisation.id.in_(named.where(organisation_districts.c.district_id == query.district_id))
            | Organisation.id.not_in(named)
        )
    if query.language:
        statement = statement.where(
            Organisation.id.in_(
                select(OrganisationLanguage.organisation_id).where(OrganisationLanguage.language == query.language)
            )
        )
    for term in search.search_terms(query.q):
        statement = statement.where(Organisation.search_text.like(search.like_pattern(term), escape="\\"))
    return statement


def _with_lists(statement: Select) -> Select:
    return statement.options(
        selectinload(Organisation.themes),
        selectinload(Organisation.districts),
        selectinload(Organisation.language_rows),
    )


def directory(council: Council, query: DirectoryQuery, *, per_page: int = PER_PAGE) -> DirectoryPage:
    """One page of the public directory in five queries, whatever its size: the count, the page, and
    the themes, districts and languages of the organisations shown."""
    ids = _filtered(council, query).subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    page, pages = page_of(total, per_page, query.page)
    statement = (
        select(Organisation)
        .where(Organisation.id.in_(select(ids.c.id)))
        .order_by(Organisation.name, Organisation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return DirectoryPage(list(db.session.scalars(_with_lists(statement))), total, page, pages)


def all_public(council: Council, query: DirectoryQuery | None = None) -> list[Organisation]:
    """Every public organisation matching the filters (for the exports), in four queries."""
    ids = _filtered(council, query or DirectoryQuery())
    statement = select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name, Organisation.id)
    return list(db.session.scalars(_with_lists(statement)))


def hidden_or_waiting(council: Council) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.council_id == council.id,
                Organisation.approved_at.is_(None) | Organisation.hidden_at.is_not(None),
            )
            .order_by(Organisation.name)
        )
    )


EXPORT_FIELDS = (
    "id",
    "name",
    "kind",
    "description",
    "services",
    "themes",
    "districts",
    "languages",
    "opening_hours",
    "welcomes_project_holders",
    "email",
    "phone",
    "address",
    "website",
    "updated_at",
)


def export_row(organisation: Organisation) -> dict:
    """What the directory publishes of an organisation: its public entry and the contact it gave for
    the public; never its representatives or who created it."""
    return {
        "id": organisation.id,
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "services": organisation.services,
        "themes": [theme.name for theme in organisation.themes],
        "districts": [district.name for district in organisation.districts],
        "languages": organisation.languages,
        "opening_hours": organisation.opening_hours,
        "welcomes_project_holders": organisation.is_welcoming_holders,
        "email": organisation.email,
        "phone": organisation.phone,
        "address": organisation.address,
        "website": organisation.website,
        "updated_at": organisation.updated_at.isoformat(),
    }


# ------------------------------------------------------------------------------ representatives


def request_representation(
    user: User,
    council: Council,
    *,
    organisation: Organisation | None = None,
    new: OrganisationInput | None = None,
    role_title: str = "",
    message: str = "",
    now: datetime,
) -> OrganisationRepresentative:
    """A resident asks to speak for an organisation of the directory, or for a new one (kept out of the
    public directory until a facilitator approves the request)."""
    if not can_take_part(user.actor):
        raise NotAllowed()
    if (organisation is None) == (new is None):
        raise Conflict(_l("Choose an organisation of the directory, or describe a new one."))
    if organisation is not None:
        if organisation.council_id != council.id or not organisation.is_public:
            raise NotFound()
        existing = db.session.scalar(
            select(OrganisationRepresentative).where(
                OrganisationRepresentative.organisation_id == organisation.id,
                OrganisationRepresentative.user_id == user.id,
            )
        )
        if existing is not None and existing.status != RepresentationStatus.REFUSED.value:
            raise Conflict(_l("You already asked to represent this organisation."))
        if existing is not None:
            db.session.delete(existing)
            db.session.flush()
    else:
        organisation = Organisation(council=council, created_by_id=user.id, created_at=now)
        _apply(organisation, council, new, now)
        db.session.add(organisation)
        db.session.flush()
    representative = OrganisationRepresentative(
        organisation_id=organisation.id,
        user_id=user.id,
        role_title=" ".join(role_title.split())[:120],
        message=message.strip(),
        created_at=now,
    )
    db.session.add(representative)
    db.session.flush()
    return representative


def pending_representations(council: Council) -> list[OrganisationRepresentative]:
    return list(
        db.session.scalars(
            select(OrganisationRepresentative)
            .join(Organisation)
            .where(
                Organisation.council_id == council.id,
                OrganisationRepresentative.status == RepresentationStatus.PENDING.value,
            )
            .order_by(OrganisationRepresentative.created_at, OrganisationRepresentative.id)
            .options(
                selectinload(OrganisationRepresentative.organisation), selectinload(OrganisationRepresentative.user)
            )
        )
    )


def representation_in_council(council: Council, representation_id: int) -> OrganisationRepresentative:
    representation = db.session.get(OrganisationRepresentative, representation_id)
    if representation is None or representation.organisation.council_id != council.id:
        raise NotFound()
    return representation


def decide_representation(
    user: User, representation: OrganisationRepresentative, *, approve: bool, now: datetime
) -> None:
    organisation = representation.organisation
    if not can_manage_directory(user.actor, organisation.council_id):
        raise NotAllowed(ONLY_MANAGERS)
    if not rules.can_decide_representation(representation.status):
        raise Conflict(_l("This request was already decided."))
    status = RepresentationStatus.APPROVED if approve else RepresentationStatus.REFUSED
    representation.status, representation.decided_at, representation.decided_by_id = status.value, now, user.id
    if approve and organisation.approved_at is None:
        organisation.approved_at = now
    link = f"/councils/{organisation.council.slug}/territory/actors/{organisation.id}"
    notify(
        [representation.user_id],
        kind="organisation_representative",
        params={
            "slug": organisation.council.slug,
            "organisation_id": organisation.id,
            "title": organisation.name,
            "status": status.value,
        },
        link=link,
        now=now,
    )
    db.session.flush()


def representations_of(user_id: int | None, council: Council) -> list[OrganisationRepresentative]:
    if user_id is None:
        return []
    return list(
        db.session.scalars(
            select(OrganisationRepresentative)
            .join(Organisation)
            .where(OrganisationRepresentative.user_id == user_id, Organisation.council_id == council.id)
            .order_by(Organisation.name)
            .options(selectinload(OrganisationRepresentative.organisation))
        )
    )


def representatives_of(organisation: Organisation) -> list[OrganisationRepresentative]:
    return list(
        db.session.scalars(
            select(OrganisationRepresentative)
            .where(
                OrganisationRepresentative.organisation_id == organisation.id,
                OrganisationRepresentative.status == RepresentationStatus.APPROVED.value,
            )
            .options(selectinload(OrganisationRepresentative.user))
        )
    )


# ------------------------------------------------------------------------------ workshop experts


def invite_expert(
    user: User, workshop: Workshop, organisation: Organisation, *, person_name: str, role: str, now: datetime
) -> WorkshopExpert:
    if not can_manage_workshop(user.actor, workshop.council_id):
        raise NotAllowed(ONLY_MANAGERS)
    if organisation.council_id != workshop.council_id or not organisation.is_public:
        raise Conflict(_l("Choose an organisation of the council's directory."))
    person_name = " ".join(person_name.split())
    if not person_name:
        raise Conflict(_l("Give the expert's name."))
    clash = db.session.scalar(
        select(WorkshopExpert.id).where(
            WorkshopExpert.workshop_id == workshop.id,
            WorkshopExpert.organisation_id == organisation.id,
            WorkshopExpert.person_name == person_name[:120],
        )
    )
    if clash is not None:
        raise Conflict(_l("This person is already invited to the workshop."))
    expert = WorkshopExpert(
        workshop_id=workshop.id,
        organisation_id=organisation.id,
        person_name=person_name[:120],
        role=" ".join(role.split())[:120],
        invited_by_id=user.id,
        created_at=now,
    )
    db.session.add(expert)
    db.session.flush()
    return expert


def remove_expert(user: User, workshop: Workshop, expert_id: int) -> None:
    if not can_manage_workshop(user.actor, workshop.council_id):
        raise NotAllowed(ONLY_MANAGERS)
    expert = db.session.get(WorkshopExpert, expert_id)
    if expert is None or expert.workshop_id != workshop.id:
        raise NotFound()
    db.session.delete(expert)
    db.session.flush()


def experts_of(workshop_id: int) -> list[WorkshopExpert]:
    """The workshop's experts with their organisation, in one query."""
    return list(
        db.session.scalars(
            select(WorkshopExpert)
            .where(WorkshopExpert.workshop_id == workshop_id)
            .join(Organisation)
            .order_by(Organisation.name, WorkshopExpert.person_name, WorkshopExpert.id)
            .options(selectinload(WorkshopExpert.organisation))
        )
    )


def public_organisations(council: Council) -> list[Organisation]:
    return list(
        db.session.scalars(
            _public(select(Organisation).where(Organisation.council_id == council.id)).order_by(Organisation.name)
        )
    )


# ------------------------------------------------------------------------------ project requests


@dataclass(frozen=True)
class RequestInput:
    title: str
    description: str
    needs: tuple[str, ...] = ()
    needs_other: str = ""
    theme_ids: tuple[int, ...] = ()
    district_id: int | None = None
    language: str = "fr"


def _event(request: ProjectRequest, kind: str, actor: User | None, now: datetime, **values) -> ProjectRequestEvent:
    event = ProjectRequestEvent(
        request_id=request.id, kind=kind, actor_id=actor.id if actor else None, created_at=now, **values
    )
    db.session.add(event)
    return event


def submit_request(user: User, council: Council, data: RequestInput, *, now: datetime) -> ProjectRequest:
    if not can_take_part(user.actor):
        raise NotAllowed()
    if not data.title.strip() or not data.description.strip():
        raise Conflict(_l("Describe your project: a title and a few sentences."))
    if any(need not in rules.Need.__members__.values() for need in data.needs):
        raise Conflict(_l("Choose among the needs of the list."))
    if data.language not in SPOKEN_LANGUAGES:
        raise Conflict(_l("Choose among the languages of the list."))
    themes = _of_council(Theme, council, data.theme_ids)
    district = None
    if data.district_id is not None:
        [district] = _of_council(District, council, (data.district_id,))
    request = ProjectRequest(
        council_id=council.id,
        holder_id=user.id,
        title=" ".join(data.title.split())[:200],
        description=data.description.strip(),
        needs=[need.value for need in rules.Need if need.value in data.needs],
        needs_other=data.needs_other.strip()[:300] if rules.Need.OTHER.value in data.needs else "",
        district_id=district.id if district else None,
        language=data.language,
        themes=themes,
        created_at=now,
        updated_at=now,
    )
    db.session.add(request)
    db.session.flush()
    _event(request, "received", user, now, status=RequestStatus.RECEIVED.value)
    db.session.flush()
    return request


@dataclass(frozen=True)
class RequestAccess:
    is_holder: bool
    is_team: bool
    referred_organisation_ids: frozenset[int] = field(default_factory=frozenset)


def _approved_organisation_ids(user_id: int | None, council_id: int) -> set[int]:
    if user_id is None:
        return set()
    return set(
        db.session.scalars(
            select(OrganisationRepresentative.organisation_id)
            .join(Organisation)
            .where(
                OrganisationRepresentative.user_id == user_id,
                OrganisationRepresentative.status == RepresentationStatus.APPROVED.value,
                Organisation.council_id == council_id,
            )
        )
    )


def request_in_council(actor: Actor, council: Council, request_id: int) -> tuple[ProjectRequest, RequestAccess]:
    """A request of this council and what the actor may see of it; the same 404 for absent and refused."""
    request = db.session.get(ProjectRequest, request_id)
    if request is None or request.council_id != council.id:
        raise NotFound()
    mine = _approved_organisation_ids(actor.user_id, council.id)
    referred = frozenset(r.organisation_id for r in request.referrals if r.organisation_id in mine)
    is_holder = actor.user_id is not None and request.holder_id == actor.user_id
    if not can_view_project_request(
        actor, council.id, is_holder=is_holder, represents_a_referred_organisation=bool(referred)
    ):
        raise NotFound()
    return request, RequestAccess(is_holder, can_follow_project_requests(actor, council.id), referred)


def _check_team(user: User, request: ProjectRequest) -> None:
    if not can_follow_project_requests(user.actor, request.council_id):
        raise NotAllowed(_l("Only the council's facilitators and the municipality's officers can do this."))


def take_request(user: User, request: ProjectRequest, *, now: datetime) -> None:
    _check_team(user, request)
    if request.assigned_to_id == user.id:
        raise Conflict(_l("You already follow this request."))
    request.assigned_to_id, request.updated_at = user.id, now
    _event(request, "assigned", user, now)
    db.session.flush()


def _request_link(request: ProjectRequest) -> str:
    return f"/councils/{request.council.slug}/territory/projects/{request.id}"


def _tell_holder(request: ProjectRequest, status: str, now: datetime) -> None:
    params = {"slug": request.council.slug, "request_id": request.id, "title": request.title, "status": status}
    notify([request.holder_id], kind="project_request_status", params=params, link=_request_link(request), now=now)


def refer_request(
    user: User, request: ProjectRequest, organisation_ids: tuple[int, ...], *, message: str = "", now: datetime
) -> list[ProjectReferral]:
    _check_team(user, request)
    target = rules.status_after_referral(request.status)
    if target is None:
        raise Conflict(_l("This request is closed: reopen it before referring it."))
    ids = tuple(dict.fromkeys(organisation_ids))
    if not ids:
        raise Conflict(_l("Choose at least one organisation."))
    if len(ids) > MAX_REFERRALS:
        raise Conflict(_l("Choose at most %(num)d organisations.", num=MAX_REFERRALS))
    found = list(
        db.session.scalars(
            _public(select(Organisation).where(Organisation.id.in_(ids), Organisation.council_id == request.council_id))
        )
    )
    if len(found) != len(ids):
        raise Conflict(_l("Choose an organisation of the council's directory."))
    already = {r.organisation_id for r in request.referrals}
    new = [organisation for organisation in found if organisation.id not in already]
    if not new:
        raise Conflict(_l("The request was already referred to these organisations."))
    referrals = [
        ProjectReferral(request=request, organisation_id=o.id, referred_by_id=user.id, created_at=now) for o in new
    ]
    db.session.add_all(referrals)
    previous = request.status
    request.status, request.updated_at = target.value, now
    request.first_answered_at = request.first_answered_at or now
    if request.assigned_to_id is None:
        request.assigned_to_id = user.id
    _event(
        request,
        "referred",
        user,
        now,
        status=target.value,
        body=message.strip(),
        details={"organisations": [o.name for o in new], "organisation_ids": [o.id for o in new]},
    )
    db.session.flush()
    if previous != target.value:
        _tell_holder(request, target.value, now)
    representatives = db.session.scalars(
        select(OrganisationRepresentative.user_id).where(
            OrganisationRepresentative.organisation_id.in_([o.id for o in new]),
            OrganisationRepresentative.status == RepresentationStatus.APPROVED.value,
        )
    )
    notify(
        representatives,
        kind="project_referral",
        params={"slug": request.council.slug, "request_id": request.id, "title": request.title},
        link=_request_link(request),
        now=now,
    )
    return referrals


def change_status(user: User, request: ProjectRequest, status: str, *, now: datetime) -> None:
    _check_team(user, request)
    if status not in RequestStatus.__members__.values() or not rules.can_move(request.status, status):
        raise Conflict(_l("This request cannot go to that status from where it stands."))
    if status == RequestStatus.REFERRED.value and not request.referrals:
        raise Conflict(_l("Refer the request to an organisation first."))
    request.status, request.updated_at = status, now
    request.first_answered_at = request.first_answered_at or now
    _event(request, "status", user, now, status=status)
    db.session.flush()
    if status in (RequestStatus.REFERRED.value, RequestStatus.CLOSED.value):
        _tell_holder(request, status, now)


def add_note(user: User, request: ProjectRequest, body: str, *, now: datetime) -> ProjectRequestEvent:
    _check_team(user, request)
    if not body.strip():
        raise Conflict(_l("Write the note."))
    event = _event(request, "note", user, now, body=body.strip())
    request.updated_at = now
    db.session.flush()
    return event


def timeline(request: ProjectRequest, *, with_notes: bool) -> list[ProjectRequestEvent]:
    """The request's steps, oldest first; the notes only for the team."""
    statement = (
        select(ProjectRequestEvent)
        .where(ProjectRequestEvent.request_id == request.id)
        .order_by(ProjectRequestEvent.created_at, ProjectRequestEvent.id)
        .options(selectinload(ProjectRequestEvent.actor))
    )
    if not with_notes:
        statement = statement.where(ProjectRequestEvent.kind != "note")
    return list(db.session.scalars(statement))


def _candidates(council_id: int) -> list[matching.Candidate]:
    organisations = db.session.scalars(
        _with_lists(_public(select(Organisation).where(Organisation.council_id == council_id)))
    )
    return [
        matching.Candidate(
            id=o.id,
            name=o.name,
            theme_ids=frozenset(t.id for t in o.themes),
            district_ids=frozenset(d.id for d in o.districts),
            services=f"{o.services}\n{o.description}",
            languages=frozenset(o.languages),
            welcomes_holders=o.is_welcoming_holders,
        )
        for o in organisations
    ]


def suggestions(request: ProjectRequest, *, limit: int = 5) -> list[tuple[matching.Match, Organisation]]:
    """The organisations of the directory that suit the request best, with their entry."""
    wanted = matching.Request(
        theme_ids=frozenset(t.id for t in request.themes),
        district_id=request.district_id,
        needs=frozenset(request.needs or ()),
        language=request.language,
    )
    matches = matching.suggest(_candidates(request.council_id), wanted, limit=limit)
    by_id = {
        o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_([m.id for m in matches])))
    }
    return [(m, by_id[m.id]) for m in matches if m.id in by_id]


@dataclass(frozen=True)
class RequestList:
    requests: list[ProjectRequest]
    total: int
    page: int
    pages: int


def requests_of_council(
    actor: Actor, council: Council, *, status: str | None = None, mine: bool = False, page: int = 1
) -> RequestList:
    if not can_follow_project_requests(actor, council.id):
        raise NotAllowed(_l("Only the council's facilitators and the municipality's officers can do this."))
    statement = select(ProjectRequest.id).where(ProjectRequest.council_id == council.id)
    if status:
        statement = statement.where(ProjectRequest.status == status)
    if mine:
        statement = statement.where(ProjectRequest.assigned_to_id == actor.user_id)
    ids = statement.subquery()
    total = db.session.scalar(select(func.count()).select_from(ids)) or 0
    page, pages = page_of(total, PER_PAGE, page)
    rows = db.session.scalars(
        select(ProjectRequest)
        .where(ProjectRequest.id.in_(select(ids.c.id)))
        .order_by(ProjectRequest.created_at.desc(), ProjectRequest.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
        .options(
            selectinload(ProjectRequest.holder),
            selectinload(ProjectRequest.assigned_to),
            selectinload(ProjectRequest.themes),
            selectinload(ProjectRequest.district),
        )
    )
    return RequestList(list(rows), total, page, pages)


def requests_of_holder(user_id: int, council: Council) -> list[ProjectRequest]:
    return list(
        db.session.scalars(
            select(ProjectRequest)
            .where(ProjectRequest.holder_id == user_id, ProjectRequest.council_id == council.id)
            .order_by(ProjectRequest.created_at.desc(), ProjectRequest.id.desc())
        )
    )


def referrals_for_representative(user_id: int | None, council: Council) -> list[ProjectReferral]:
    """The requests sent to the organisations this person represents (approved), newest first."""
    mine = _approved_organisation_ids(user_id, council.id)
    if not mine:
        return []
    return list(
        db.session.scalars(
            select(ProjectReferral)
            .where(ProjectReferral.organisation_id.in_(mine))
            .order_by(ProjectReferral.created_at.desc(), ProjectReferral.id.desc())
            .options(
                selectinload(ProjectReferral.request).selectinload(ProjectRequest.holder),
                selectinload(ProjectReferral.organisation),
            )
        )
    )


# ------------------------------------------------------------------------------ figures


@dataclass(frozen=True)
class Figures:
    total: int
    by_month: list[tuple[str, int]]
    by_theme: list[tuple[str, int]]
    by_status: dict[str, int]
    median_first_answer: timedelta | None
    answered: int


def figures(actor: Actor, council: Council) -> Figures:
    """The municipality's figures in two queries, whatever the number of requests: the requests' dates
    and statuses, and the count of requests by theme."""
    if not can_follow_project_requests(actor, council.id):
        raise NotAllowed(_l("Only the council's facilitators and the municipality's officers can do this."))
    rows = db.session.execute(
        select(ProjectRequest.created_at, ProjectRequest.first_answered_at, ProjectRequest.status).where(
            ProjectRequest.council_id == council.id
        )
    ).all()
    themes = db.session.execute(
        select(Theme.name, func.count(project_request_themes.c.request_id))
        .join(project_request_themes, project_request_themes.c.theme_id == Theme.id)
        .join(ProjectRequest, ProjectRequest.id == project_request_themes.c.request_id)
        .where(ProjectRequest.council_id == council.id)
        .group_by(Theme.name)
        .order_by(func.count(project_request_themes.c.request_id).desc(), Theme.name)
    ).all()
    statuses = Counter(row.status for row in rows)
    return Figures(
        total=len(rows),
        by_month=rules.per_month(row.created_at for row in rows),
        by_theme=[(name, int(count)) for name, count in themes],
        by_status={status.value: statuses.get(status.value, 0) for status in RequestStatus},
        median_first_answer=rules.median_delay((row.created_at, row.first_answered_at) for row in rows),
        answered=sum(1 for row in rows if row.first_answered_at is not None),
    )
