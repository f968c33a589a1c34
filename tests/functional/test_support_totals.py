"""proposals.support_total: kept by the database's triggers through every path that writes supports or
paper counts, and the order of every ranking built on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from consultation.accounts.models import User
from consultation.extensions import db
from consultation.permissions import Actor, Role
from consultation.privacy import services as privacy
from consultation.proposals import services as proposals
from consultation.proposals.models import PaperCount, Proposal, Support
from consultation.workshops.models import Workshop, WorkshopParticipant
from tests.factories import NOW, PASSWORD, make_council, make_proposal, make_user, make_workshop
from tests.factories_workshops import make_participant
from tests.statements import recorded_statements


def recounted() -> dict[int, int]:
    """Every proposal's supports and paper counts, counted from the rows."""
    online = select(func.count()).where(Support.proposal_id == Proposal.id).scalar_subquery()
    paper = (
        select(func.coalesce(func.sum(PaperCount.count), 0)).where(PaperCount.proposal_id == Proposal.id)
    ).scalar_subquery()
    return {pid: int(total) for pid, total in db.session.execute(select(Proposal.id, online + paper))}


def stored() -> dict[int, int]:
    return {pid: total for pid, total in db.session.execute(select(Proposal.id, Proposal.support_total))}


def assert_totals_right(**expected: int) -> None:
    """Stored totals equal the rows' count for every proposal, and the named ones have the expected total."""
    db.session.flush()
    assert stored() == recounted()
    totals = stored()
    assert {name: totals[pid] for name, pid in _ids.items() if name in expected} == expected


_ids: dict[str, int] = {}


@pytest.fixture()
def room(ctx):
    council = make_council()
    facilitator = make_user(Role.FACILITATOR, council)
    workshop = make_workshop(council)
    people = {name: make_user(Role.MEMBER, council, name=name) for name in ("alice", "bob", "carol")}
    outsider = make_user(name="dan")  # no membership: nothing but his supports points at him
    bus, bikes, benches = (make_proposal(workshop, people["alice"], title=t) for t in ("Bus", "Vélos", "Bancs"))
    _ids.clear()
    _ids.update(bus=bus.id, bikes=bikes.id, benches=benches.id)
    yield {
        "workshop": workshop,
        "facilitator": facilitator,
        "outsider": outsider,
        "bus": bus,
        "bikes": bikes,
        "benches": benches,
        **people,
    }
    _ids.clear()


def test_every_write_of_supports_and_paper_counts_keeps_the_stored_total_right(room):
    alice, bob, carol, dan = room["alice"], room["bob"], room["carol"], room["outsider"]
    bus, bikes, benches, facilitator = room["bus"], room["bikes"], room["benches"], room["facilitator"]
    assert_totals_right(bus=0, bikes=0, benches=0)

    # Supports by account (INSERT … ON CONFLICT DO NOTHING): a replayed one counts once.
    for person in (alice, bob, carol, dan):
        assert proposals.support(person, bus, now=NOW)
    assert proposals.support(alice, bus, now=NOW) is False
    for person in (bob, dan):
        proposals.support(person, benches, now=NOW)
    proposals.support(carol, bikes, now=NOW)
    assert_totals_right(bus=4, bikes=1, benches=2)

    # Supports from phones in the room (ON CONFLICT on either unique constraint), one linked to Bob.
    phone = make_participant(room["workshop"], name="Téléphone")
    bobs_phone = make_participant(room["workshop"], name="Bob au téléphone", user=bob)
    assert proposals.support_as_participant(phone, bikes, now=NOW)
    assert proposals.support_as_participant(bobs_phone, bus, now=NOW) is False  # Bob supports it already
    assert proposals.support_as_participant(phone, benches, now=NOW)
    assert_totals_right(bus=4, bikes=2, benches=3)

    # Withdrawals, by account and by phone.
    assert proposals.withdraw_support(carol, bus)
    assert proposals.withdraw_support(carol, bus) is False
    assert proposals.withdraw_as_participant(bobs_phone, benches)  # Bob's own support, through his phone
    assert_totals_right(bus=3, bikes=2, benches=2)

    # Paper counts: recorded, corrected, moved by hand, deleted.
    first = proposals.add_paper_count(facilitator, bus, count=7, now=NOW)
    second = proposals.add_paper_count(facilitator, bikes, count=3, now=NOW)
    proposals.add_paper_count(facilitator, benches, count=5, now=NOW)
    assert_totals_right(bus=10, bikes=5, benches=7)
    first.count = 9
    assert_totals_right(bus=12, bikes=5, benches=7)
    second.proposal_id, second.count = benches.id, 4
    assert_totals_right(bus=12, bikes=2, benches=11)
    db.session.delete(second)
    assert_totals_right(bus=12, bikes=2, benches=7)
    db.session.execute(delete(PaperCount).where(PaperCount.id == first.id))
    assert_totals_right(bus=3, bikes=2, benches=7)

    # A merge: supports move (UPDATE of proposal_id) or go when the person supports the target already,
    # paper counts move. Benches (Bob, Dan, the phone + 5 on paper) into Bus (Alice, Bob, Dan).
    proposals.merge_proposals(facilitator, bus, [benches], now=NOW)
    assert_totals_right(bus=9, bikes=2, benches=0)
    db.session.commit()

    # Privacy deletion anonymises an account: its supports stay, and so do the totals.
    privacy.delete_account(alice, password=PASSWORD, now=NOW)
    assert_totals_right(bus=9, bikes=2, benches=0)

    # A row deleted outright takes its supports with it by foreign-key cascade: the triggers still fire.
    db.session.execute(delete(User).where(User.id == dan.id))
    assert_totals_right(bus=8, bikes=2, benches=0)
    db.session.execute(delete(WorkshopParticipant).where(WorkshopParticipant.id == phone.id))
    assert_totals_right(bus=7, bikes=1, benches=0)
    db.session.commit()

    # A deleted proposal takes its supports along; the triggers find no row left to update.
    db.session.execute(delete(Proposal).where(Proposal.id == bikes.id))
    del _ids["bikes"]
    assert_totals_right(bus=7, benches=0)
    db.session.execute(delete(Workshop).where(Workshop.id == room["workshop"].id))
    assert stored() == recounted() == {}
    db.session.commit()


def test_a_rolled_back_support_leaves_the_total_as_it_was(room):
    proposals.support(room["bob"], room["bus"], now=NOW)
    db.session.rollback()
    assert_totals_right(bus=0)


def test_the_migration_backfills_the_totals_of_existing_rows(ctx):
    from flask_migrate import downgrade, upgrade

    from consultation import MIGRATIONS_DIR

    workshop = make_workshop(make_council())
    counted = make_proposal(workshop, supports=3)
    db.session.add(PaperCount(proposal_id=counted.id, count=4))
    make_proposal(workshop)
    db.session.commit()
    counted_id = counted.id
    db.session.remove()
    downgrade(directory=str(MIGRATIONS_DIR), revision="0020_support_totals@-1")
    upgrade(directory=str(MIGRATIONS_DIR), revision="heads")
    assert stored() == recounted() and stored()[counted_id] == 7


# ---------------------------------------------------------------------------------- rankings


def _ranking_world(proposal_count: int) -> Workshop:
    """Proposals with supports, paper counts, ties (same total, then older first) and some out of the list."""
    council = make_council()
    workshop = make_workshop(council)
    people = [make_user() for _ in range(4)]
    made = []
    for n in range(proposal_count):
        proposal = Proposal(
            workshop_id=workshop.id,
            title=f"Proposition {n:03d}",
            body="Un texte.",
            language="fr",
            created_at=NOW + timedelta(minutes=n % 5),
            updated_at=NOW,
        )
        if n % 11 == 10:
            proposal.status = "rejected"
        if n % 13 == 12:
            proposal.hidden_at = NOW
        made.append(proposal)
    db.session.add_all(made)
    db.session.flush()
    for n, proposal in enumerate(made):
        db.session.add_all(Support(proposal_id=proposal.id, user_id=person.id) for person in people[: n % 4])
        if n % 3 == 0:
            db.session.add(PaperCount(proposal_id=proposal.id, count=1 + n % 2))
    db.session.commit()
    return workshop


def _expected(workshop: Workshop) -> list[tuple[int, int, int, int]]:
    """(id, total, online, paper), in the ranking's order, worked out in Python from the rows."""
    rows = db.session.scalars(
        select(Proposal).where(
            Proposal.workshop_id == workshop.id,
            Proposal.status.in_(("submitted", "accepted")),
            Proposal.hidden_at.is_(None),
        )
    ).all()
    online = {
        pid: n for pid, n in db.session.execute(select(Support.proposal_id, func.count()).group_by(Support.proposal_id))
    }
    paper = {
        pid: n
        for pid, n in db.session.execute(
            select(PaperCount.proposal_id, func.sum(PaperCount.count)).group_by(PaperCount.proposal_id)
        )
    }
    facts = [(p, online.get(p.id, 0), int(paper.get(p.id, 0))) for p in rows]
    facts.sort(key=lambda f: (-(f[1] + f[2]), f[0].created_at, f[0].id))
    return [(p.id, o + pa, o, pa) for p, o, pa in facts]


def _ranked(workshop: Workshop, **page) -> list[tuple[int, int, int, int]]:
    return [
        (r.proposal.id, r.support_count, r.online_supports, r.paper_supports)
        for r in proposals.ranked_proposals(workshop, Actor.anonymous(), **page)
    ]


def test_the_ranking_is_by_total_then_age_with_the_same_counts_on_every_page(ctx):
    workshop = _ranking_world(40)
    expected = _expected(workshop)
    assert len({total for _id, total, _o, _p in expected}) > 3  # ties and differences both
    assert _ranked(workshop) == expected
    pages = [_ranked(workshop, limit=7, offset=offset) for offset in range(0, 42, 7)]
    assert [row for page in pages for row in page] == expected
    db.session.expire_all()
    totals = stored()
    assert all(totals[pid] == total for pid, total, _online, _paper in expected)


def _statements(action) -> int:
    db.session.remove()
    with recorded_statements() as statements:
        action()
    return len(statements)


def test_a_ranking_page_takes_the_same_statements_for_few_and_many_proposals(client):
    few, many = _ranking_world(6), _ranking_world(150)
    few_id, many_id = few.id, many.id
    few_url = f"/councils/{few.council.slug}/workshops/{few_id}"
    many_url = f"/councils/{many.council.slug}/workshops/{many_id}?page=2"

    def rank(workshop_id: int, **page) -> None:
        proposals.ranked_proposals(db.session.get(Workshop, workshop_id), Actor.anonymous(), **page)

    assert _statements(lambda: rank(few_id, limit=50)) == _statements(lambda: rank(many_id, limit=50, offset=50))
    assert _statements(lambda: client.get(few_url)) == _statements(lambda: client.get(many_url))
    assert "Proposition" in client.get(many_url).get_data(as_text=True)
