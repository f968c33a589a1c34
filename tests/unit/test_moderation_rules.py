"""Moderation and administration rules: who moderates, who blocks, who manages which members and roles."""

import pytest

from consultation.permissions import (
    Actor,
    Role,
    can_assign_role,
    can_block_accounts,
    can_manage_councils,
    can_manage_members,
    can_moderate,
    can_report,
)

COUNCIL, OTHER = 1, 2


def actor(role: Role | None, council: int = COUNCIL, *, is_admin: bool = False) -> Actor:
    return Actor.of(7, [(council, role.value)] if role else [], is_admin=is_admin)


@pytest.mark.parametrize(
    ("role", "moderate", "manage_members", "assign_admin"),
    [
        (Role.RESIDENT, False, False, False),
        (Role.FACILITATOR, True, False, False),
        (Role.MEMBER, False, False, False),
        (Role.SECRETARY, True, False, False),
        (Role.PRESIDENT, True, True, False),
        (Role.OFFICER, False, False, False),
        (Role.ADMIN, True, True, True),
    ],
)
def test_each_role_gets_exactly_its_moderation_and_member_rights(role, moderate, manage_members, assign_admin):
    person = actor(role)
    assert can_moderate(person, COUNCIL) is moderate
    assert can_manage_members(person, COUNCIL) is manage_members
    assert can_assign_role(person, COUNCIL, Role.ADMIN) is assign_admin
    assert not can_block_accounts(person) and not can_manage_councils(person)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_a_president_assigns_every_role_but_the_administrators_one(role):
    president = actor(Role.PRESIDENT)
    assert can_assign_role(president, COUNCIL, role)
    assert not can_assign_role(president, COUNCIL, Role.ADMIN)


@pytest.mark.parametrize("role", list(Role))
def test_a_role_in_one_council_gives_no_moderation_or_member_right_in_another(role):
    person = actor(role, council=OTHER)
    assert not can_moderate(person, COUNCIL)
    assert not can_manage_members(person, COUNCIL)
    assert not any(can_assign_role(person, COUNCIL, each) for each in Role)


def test_platform_administrators_block_accounts_and_manage_every_council():
    admin = actor(None, is_admin=True)
    assert can_block_accounts(admin) and can_manage_councils(admin)
    assert can_moderate(admin, OTHER) and can_manage_members(admin, OTHER)
    assert all(can_assign_role(admin, OTHER, role) for role in Role)


def test_anonymous_visitors_neither_report_nor_moderate():
    anonymous = Actor.anonymous()
    assert not can_report(anonymous) and not can_moderate(anonymous, COUNCIL)
    assert not can_block_accounts(anonymous) and not can_manage_members(anonymous, COUNCIL)
    assert can_report(actor(Role.RESIDENT))
