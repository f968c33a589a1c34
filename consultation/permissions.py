"""Who may do what: pure predicates over an actor's roles (standard library only)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"
    FACILITATOR = "facilitator"
    MEMBER = "member"  # council member (conseiller)
    SECRETARY = "secretary"
    PRESIDENT = "president"
    OFFICER = "officer"  # municipal officer: answers the council's opinions
    ADMIN = "admin"


# Role groups, named after what they let a person do in one council.
WORKSHOP_MANAGERS = frozenset({Role.FACILITATOR, Role.SECRETARY, Role.PRESIDENT, Role.ADMIN})
OPINION_DRAFTERS = frozenset({Role.MEMBER, Role.SECRETARY, Role.PRESIDENT, Role.ADMIN})
OPINION_READERS = OPINION_DRAFTERS | {Role.FACILITATOR, Role.OFFICER}


@dataclass(frozen=True)
class Actor:
    """The facts about a person that permission rules need; anonymous when user_id is None."""

    user_id: int | None = None
    is_admin: bool = False  # platform administrator: every council
    roles: frozenset[tuple[int, Role]] = field(default_factory=frozenset)

    @classmethod
    def anonymous(cls) -> Actor:
        return cls()

    @classmethod
    def of(cls, user_id: int, memberships: Iterable[tuple[int, str]], *, is_admin: bool = False) -> Actor:
        return cls(user_id, is_admin, frozenset((council, Role(role)) for council, role in memberships))

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def roles_in(self, council_id: int) -> frozenset[Role]:
        return frozenset(role for council, role in self.roles if council == council_id)

    def has_any(self, council_id: int, allowed: frozenset[Role]) -> bool:
        return self.is_admin or bool(self.roles_in(council_id) & allowed)


def can_manage_districts(actor: Actor, council_id: int) -> bool:
    """The council's districts are set by its president and secretary, and by administrators."""
    return actor.has_any(council_id, frozenset({Role.PRESIDENT, Role.SECRETARY, Role.ADMIN}))


def can_manage_themes(actor: Actor, council_id: int) -> bool:
    """The council's themes are set by those who prepare its work: facilitators, secretary, president, admins."""
    return actor.has_any(council_id, WORKSHOP_MANAGERS)


def can_manage_consultations(actor: Actor, council_id: int) -> bool:
    """Open, edit and moderate the council's online consultations (and attach their proposals to a workshop)."""
    return actor.has_any(council_id, WORKSHOP_MANAGERS)


MODERATORS = WORKSHOP_MANAGERS  # facilitator, secretary, president, admin
MEMBER_MANAGERS = frozenset({Role.PRESIDENT, Role.ADMIN})


def can_report(actor: Actor) -> bool:
    """Reporting content to the moderators needs an identity, as taking part does."""
    return actor.is_authenticated


def can_moderate(actor: Actor, council_id: int) -> bool:
    """See the council's reports, hide and restore its content: its facilitators, secretary, president, admins."""
    return actor.has_any(council_id, MODERATORS)


def can_block_accounts(actor: Actor) -> bool:
    """Blocking an account (repeated abuse) acts on the whole platform: platform administrators only."""
    return actor.is_admin


def can_manage_councils(actor: Actor) -> bool:
    """Create councils and change their name, identifier and description."""
    return actor.is_admin


def can_manage_members(actor: Actor, council_id: int) -> bool:
    """See and change who holds which role in the council: its president, its administrators."""
    return actor.has_any(council_id, MEMBER_MANAGERS)


def can_assign_role(actor: Actor, council_id: int, role: Role) -> bool:
    """Give, change or take away this role in the council: a president may do it for every role but the
    administrators' one, which only administrators give or take."""
    if role is Role.ADMIN:
        return actor.has_any(council_id, frozenset({Role.ADMIN}))
    return can_manage_members(actor, council_id)


def can_use_two_factor(actor: Actor) -> bool:
    """A second factor protects the accounts that can do the most: administrators and municipal officers."""
    return actor.is_admin or any(role is Role.OFFICER for _council, role in actor.roles)


def can_take_part(actor: Actor) -> bool:
    """Submitting and supporting proposals needs an identity, nothing more."""
    return actor.is_authenticated


def can_manage_workshop(actor: Actor, council_id: int) -> bool:
    return actor.has_any(council_id, WORKSHOP_MANAGERS)


def can_view_workshop(actor: Actor, council_id: int, *, is_published: bool) -> bool:
    return is_published or can_manage_workshop(actor, council_id)


def can_draft_opinion(actor: Actor, council_id: int) -> bool:
    return actor.has_any(council_id, OPINION_DRAFTERS)


def can_view_opinion(actor: Actor, council_id: int, *, is_public: bool) -> bool:
    return is_public or actor.has_any(council_id, OPINION_READERS)


VOTE_MANAGERS = WORKSHOP_MANAGERS  # facilitator, secretary, president, admin


def can_manage_vote(actor: Actor, council_id: int) -> bool:
    """Create, open and close a council's votes, and type in its paper ballots and show-of-hands counts."""
    return actor.has_any(council_id, VOTE_MANAGERS)


def can_open_vote(actor: Actor, council_id: int) -> bool:
    return can_manage_vote(actor, council_id)


def can_refer_question(actor: Actor, council_id: int) -> bool:
    """Record a question referred to the council (saisine) or one it takes up itself."""
    return actor.has_any(council_id, WORKSHOP_MANAGERS | OPINION_DRAFTERS)


OPINION_ANSWERERS = frozenset({Role.OFFICER, Role.ADMIN})


def can_answer_opinion(actor: Actor, council_id: int) -> bool:
    """The municipality's officers acknowledge and answer the council's opinions."""
    return actor.has_any(council_id, OPINION_ANSWERERS)


# ------------------------------------------------------------- Territory: diagnostic and calls for projects

TERRITORY_MANAGERS = WORKSHOP_MANAGERS | {Role.OFFICER}
JURY_ROLES = frozenset({Role.MEMBER, Role.SECRETARY, Role.PRESIDENT})


def can_manage_diagnostic(actor: Actor, council_id: int) -> bool:
    """Open a diagnostic and moderate its challenges: the council's workshop managers or the municipality."""
    return actor.has_any(council_id, TERRITORY_MANAGERS)


def can_manage_call(actor: Actor, council_id: int) -> bool:
    """Draft and publish a call's terms, name its jury, publish its results: workshop managers or the municipality."""
    return actor.has_any(council_id, TERRITORY_MANAGERS)


def can_sit_on_jury(actor: Actor, council_id: int) -> bool:
    """A call's jury is named among the council's members (member, secretary, president)."""
    return bool(actor.roles_in(council_id) & JURY_ROLES)


# ------------------------------------------------------------- Territory: local actors and project holders

DIRECTORY_MANAGERS = WORKSHOP_MANAGERS  # facilitator, secretary, president, admin
PROJECT_FOLLOWERS = WORKSHOP_MANAGERS | {Role.OFFICER}


def can_manage_directory(actor: Actor, council_id: int) -> bool:
    """Add, edit and hide any organisation of the directory, approve or refuse its representatives."""
    return actor.has_any(council_id, DIRECTORY_MANAGERS)


def can_edit_organisation(actor: Actor, council_id: int, *, is_approved_representative: bool) -> bool:
    """An organisation's entry is edited by its approved representatives and by the directory's managers."""
    return is_approved_representative or can_manage_directory(actor, council_id)


def can_follow_project_requests(actor: Actor, council_id: int) -> bool:
    """Take, refer and follow project holders' requests: the council's facilitators and the municipality."""
    return actor.has_any(council_id, PROJECT_FOLLOWERS)


def can_view_project_request(
    actor: Actor, council_id: int, *, is_holder: bool, represents_a_referred_organisation: bool
) -> bool:
    """Its holder, the team following requests, and the representatives of an organisation it was referred to."""
    return is_holder or represents_a_referred_organisation or can_follow_project_requests(actor, council_id)


def can_see_territory_figures(actor: Actor, council_id: int) -> bool:
    """The figures of project requests are for the municipality: facilitators, officers, administrators."""
    return can_follow_project_requests(actor, council_id)
