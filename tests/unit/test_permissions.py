"""Permission predicates: a table of role × rule."""

import pytest

from consultation.permissions import (
    Actor,
    Role,
    can_draft_opinion,
    can_manage_workshop,
    can_take_part,
    can_view_opinion,
    can_view_workshop,
)

COUNCIL, OTHER = 1, 2


def actor(role: Role | None, council: int = COUNCIL, *, is_admin: bool = False) -> Actor:
    return Actor.of(7, [(council, role.value)] if role else [], is_admin=is_admin)


@pytest.mark.parametrize(
    ("role", "manage", "draft", "read_draft"),
    [
        (Role.RESIDENT, False, False, False),
        (Role.FACILITATOR, True, False, True),
        (Role.MEMBER, False, True, True),
        (Role.SECRETARY, True, True, True),
        (Role.PRESIDENT, True, True, True),
        (Role.OFFICER, False, False, True),
        (Role.ADMIN, True, True, True),
    ],
)
def test_each_role_gets_exactly_its_rights_in_its_own_council(role, manage, draft, read_draft):
    person = actor(role)
    assert can_manage_workshop(person, COUNCIL) is manage
    assert can_draft_opinion(person, COUNCIL) is draft
    assert can_view_opinion(person, COUNCIL, is_public=False) is read_draft


@pytest.mark.parametrize("role", list(Role))
def test_a_role_in_one_council_gives_nothing_in_another(role):
    person = actor(role, council=OTHER)
    assert not can_manage_workshop(person, COUNCIL)
    assert not can_draft_opinion(person, COUNCIL)
    assert not can_view_opinion(person, COUNCIL, is_public=False)
    assert not can_view_workshop(person, COUNCIL, is_published=False)


def test_platform_admin_may_act_in_every_council():
    admin = actor(None, is_admin=True)
    assert can_manage_workshop(admin, OTHER) and can_draft_opinion(admin, OTHER)


def test_anonymous_may_only_read_what_is_public():
    anonymous = Actor.anonymous()
    assert not can_take_part(anonymous)
    assert can_view_workshop(anonymous, COUNCIL, is_published=True)
    assert not can_view_workshop(anonymous, COUNCIL, is_published=False)
    assert can_view_opinion(anonymous, COUNCIL, is_public=True)
    assert not can_view_opinion(anonymous, COUNCIL, is_public=False)


def test_a_person_may_hold_several_roles_in_one_council():
    person = Actor.of(3, [(COUNCIL, "member"), (COUNCIL, "facilitator")])
    assert can_manage_workshop(person, COUNCIL) and can_draft_opinion(person, COUNCIL)
