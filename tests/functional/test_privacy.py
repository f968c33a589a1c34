"""Privacy: the notice, the personal data export, account deletion, retention settings and the purge."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect

from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.audit.models import AuditEntry
from consultation.councils.models import Council, Membership
from consultation.extensions import db
from consultation.i18n import force_locale
from consultation.notifications.models import Notification
from consultation.notifications.services import notify
from consultation.opinions.models import OpinionComment, OpinionFollower
from consultation.permissions import Actor, Role
from consultation.privacy import services as privacy
from consultation.privacy.export import export_personal_data
from consultation.proposals.models import Proposal, Support
from consultation.proposals.services import ranked_proposals
from consultation.voting import services as voting
from consultation.voting.models import Vote, VoteBallot, VoteParticipation, VoteProxy
from consultation.voting.rules import Status
from consultation.workshops import services as workshops
from consultation.workshops.models import Attendance, Registration, Workshop, WorkshopEvent, WorkshopParticipant
from consultation.workshops.phases import Phase
from tests.factories import NOW, PASSWORD, make_council, make_opinion, make_proposal, make_user, make_workshop
from tests.factories_votes import cast, close, keys, make_vote
from tests.factories_workshops import make_participant
from tests.statements import recorded_statements

EN = {"Accept-Language": "en"}
FAR_FUTURE = NOW.replace(year=2040)


def coming_workshop(council, *, capacity: int | None = None) -> Workshop:
    workshop = make_workshop(council, phase=Phase.WELCOME)
    workshop.starts_at, workshop.ends_at, workshop.capacity = FAR_FUTURE, FAR_FUTURE + timedelta(hours=2), capacity
    db.session.commit()
    return workshop


# ------------------------------------------------------------------------------ a world of two people


@pytest.fixture()
def world(ctx):
    """Alice and Bob take part in the same workshop, support each other's proposals, comment the same
    draft opinion and vote in the same open and secret votes; Carol gives Alice her proxy."""
    council = make_council(slug="macouria")
    facilitator = make_user(Role.FACILITATOR, council, name="Fatou Facilitatrice")
    alice = make_user(Role.MEMBER, council, email="alice@example.org", name="Alice Kouassi", locale="en")
    bob = make_user(Role.MEMBER, council, email="bob@example.org", name="Bob Marchal", locale="en")
    carol = make_user(Role.MEMBER, council, email="carol@example.org", name="Carol Pinas", locale="en")
    workshop = make_workshop(council, phase=Phase.IDEATION, title="Atelier mobilités")

    alice_proposal = make_proposal(workshop, alice, title="Une piste cyclable le long de la RN1")
    bob_proposal = make_proposal(workshop, bob, title="Un bus le dimanche")
    bob_proposal.body = "Le texte privé de Bob sur le bus."
    alice_identity = make_participant(workshop, name="Alice K. au téléphone", user=alice)
    bob_identity = make_participant(workshop, name="Bobby du quartier", user=bob)
    db.session.add_all(
        [
            Support(proposal_id=bob_proposal.id, user_id=alice.id),
            Support(proposal_id=alice_proposal.id, user_id=bob.id),
            Support(proposal_id=alice_proposal.id, participant_id=bob_identity.id, user_id=None),
            Registration(workshop_id=workshop.id, user_id=alice.id, status="confirmed"),
            Registration(workshop_id=workshop.id, user_id=bob.id, status="confirmed"),
            Attendance(
                workshop_id=workshop.id,
                user_id=alice.id,
                participant_id=alice_identity.id,
                name="Alice Kouassi",
                status="present",
            ),
            Attendance(workshop_id=workshop.id, user_id=bob.id, name="Bob Marchal", status="present"),
            Attendance(workshop_id=workshop.id, name="Une personne sans téléphone", status="present"),
        ]
    )
    opinion = make_opinion(workshop, facilitator)
    db.session.add_all(
        [
            OpinionComment(opinion_id=opinion.id, author_id=alice.id, body="Commentaire d'Alice sur l'avis"),
            OpinionComment(opinion_id=opinion.id, author_id=bob.id, body="Commentaire secret de Bob"),
            OpinionFollower(opinion_id=opinion.id, user_id=alice.id),
            OpinionFollower(opinion_id=opinion.id, user_id=bob.id),
        ]
    )
    db.session.commit()
    workshops.record(workshop, facilitator, "attendance", now=NOW, name="Alice Kouassi", status="present")
    workshops.record(workshop, facilitator, "attendance", now=NOW, name="Bob Marchal", status="present")
    db.session.commit()

    open_vote = make_vote(council, question="Quel jour pour le marché ?")
    secret_vote = make_vote(council, question="Élection du bureau", is_secret=True)
    proxy_vote = make_vote(council, question="Horaires de la médiathèque", status=Status.DRAFT)
    cast(alice, open_vote, keys(open_vote)[0])
    cast(bob, open_vote, keys(open_vote)[1])
    cast(alice, secret_vote, keys(secret_vote)[2])
    cast(bob, secret_vote, keys(secret_vote)[1])
    voting.give_proxy(carol, proxy_vote, alice, now=NOW)  # proxies are given before the vote opens
    proxy_vote.status, proxy_vote.opened_at = Status.OPEN.value, NOW
    db.session.commit()
    cast(alice, proxy_vote, keys(proxy_vote)[1], on_behalf_of=carol)
    pending = make_vote(council, question="Vote en préparation", status=Status.DRAFT)
    voting.give_proxy(bob, pending, alice, now=NOW)
    db.session.commit()

    notify([alice.id, bob.id], kind="opinion_transmitted", params={"title": "Avis mobilités"}, now=NOW)
    audit.record("test.alice_acted", actor_id=alice.id, details={"vote": open_vote.id, "user": bob.id}, now=NOW)
    audit.record("test.bob_acted", actor_id=bob.id, details={"vote": open_vote.id}, now=NOW)
    db.session.commit()
    return {
        "council": council,
        "workshop": workshop,
        "facilitator": facilitator,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "alice_proposal": alice_proposal,
        "bob_proposal": bob_proposal,
        "alice_identity": alice_identity,
        "bob_identity": bob_identity,
        "open_vote": open_vote,
        "secret_vote": secret_vote,
        "proxy_vote": proxy_vote,
        "pending_vote": pending,
        "opinion": opinion,
    }


BOB_TRACES = (
    "bob@example.org",
    "Bob Marchal",
    "Bobby du quartier",
    "Commentaire secret de Bob",
    "Le texte privé de Bob",
    "carol@example.org",
    "Carol Pinas",
    "Fatou",
    "test.bob_acted",
)


# ------------------------------------------------------------------------------ the notice


def test_privacy_notice_is_public_and_shows_each_councils_retention(client, ctx):
    make_council(name="Conseil citoyen de Macouria").retention_months = 18
    make_council(name="Conseil citoyen de Pantin")
    db.session.commit()
    response = client.get("/privacy", headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "article 9" in page and "Secret ballots" in page
    assert "18 months after the workshop" in page and "Until the person deletes their account" in page
    assert 'href="/privacy"' in page  # the footer links to it


def test_privacy_notice_links_to_the_rights_of_a_logged_in_person(client, login, ctx):
    login(client, make_user(locale="en"))
    page = client.get("/privacy").get_data(as_text=True)
    assert 'href="/account/data"' in page and 'href="/account/delete"' in page


# ------------------------------------------------------------------------------ export


def test_export_holds_everything_about_the_person_and_nothing_about_others(world):
    document = export_personal_data(world["alice"], now=NOW)
    text = json.dumps(document, ensure_ascii=False)
    for trace in BOB_TRACES:
        assert trace not in text, trace
    assert "password" not in json.dumps(document["account"]) and "scrypt" not in text

    assert document["account"]["email"] == "alice@example.org"
    assert document["account"]["display_name"] == "Alice Kouassi"
    assert set(document["account"]) == {column.name for column in User.__table__.columns} - {"password_hash"}
    assert [(m["council"], m["role"]) for m in document["memberships"]] == [("macouria", "member")]
    assert [p["title"] for p in document["proposals"]] == ["Une piste cyclable le long de la RN1"]
    assert [s["proposal_id"] for s in document["supports"]] == [world["bob_proposal"].id]
    assert [c["body"] for c in document["opinion_comments"]] == ["Commentaire d'Alice sur l'avis"]
    assert [f["opinion_id"] for f in document["opinions_followed"]] == [world["opinion"].id]
    assert [r["status"] for r in document["workshop_registrations"]] == ["confirmed"]
    assert [i["display_name"] for i in document["workshop_identities"]] == ["Alice K. au téléphone"]
    assert [(a["name_on_sheet"], a["status"]) for a in document["attendance"]] == [("Alice Kouassi", "present")]
    assert [n["kind"] for n in document["notifications"]] == ["opinion_transmitted"]
    assert [(e["action"], e["details"]) for e in document["audit_entries"]] == [
        ("test.alice_acted", {"vote": world["open_vote"].id})
    ]

    votes = {entry["vote_id"]: entry for entry in document["votes"]}
    assert set(votes) == {world["open_vote"].id, world["secret_vote"].id, world["proxy_vote"].id}
    assert votes[world["open_vote"].id]["ballot"] == keys(world["open_vote"])[0]
    assert votes[world["secret_vote"].id]["is_secret"] is True
    assert votes[world["secret_vote"].id]["ballot"] is None and votes[world["secret_vote"].id]["ballot_note"]
    assert votes[world["proxy_vote"].id]["cast_for_someone_else"] is True
    assert votes[world["proxy_vote"].id]["ballot"] is None
    assert "secret_ballots" in document["about"]
    proxies = sorted((p["vote_id"], p["direction"]) for p in document["proxies"])
    assert proxies == sorted([(world["proxy_vote"].id, "held"), (world["pending_vote"].id, "held")])


def test_export_of_the_other_person_mirrors_it(world):
    document = export_personal_data(world["bob"], now=NOW)
    text = json.dumps(document, ensure_ascii=False)
    for trace in ("alice@example.org", "Alice Kouassi", "Alice K. au téléphone", "Commentaire d'Alice", "test.alice"):
        assert trace not in text, trace
    assert [p["title"] for p in document["proposals"]] == ["Un bus le dimanche"]
    # Supported once by account and once by the workshop identity linked to the account.
    assert sorted(s["proposal_id"] for s in document["supports"]) == [world["alice_proposal"].id] * 2
    assert [p["direction"] for p in document["proxies"]] == ["given"]


def test_export_page_and_download(client, login, world):
    login(client, world["alice"])
    page = client.get("/account/data")
    assert page.status_code == 200 and 'action="/account/data"' in page.get_data(as_text=True)
    response = client.post("/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.get_data(as_text=True))
    assert document["account"]["email"] == "alice@example.org"


def _fill(person: User, other: User, rows: int) -> None:
    """`rows` rows of every kind the export reads, for one person."""
    for number in range(rows):
        council = make_council()
        db.session.add(Membership(user_id=person.id, council_id=council.id, role=Role.MEMBER.value))
        workshop = make_workshop(council)
        participant = make_participant(workshop, name=f"Identité {number}", user=person)
        proposal = make_proposal(workshop, person)
        proposal.collected_by_id = person.id
        opinion = make_opinion(workshop, person)
        vote = make_vote(council, workshop=workshop)
        vote.created_by_id = person.id
        db.session.add_all(
            [
                Support(proposal_id=proposal.id, user_id=person.id),
                Registration(workshop_id=workshop.id, user_id=person.id, status="confirmed"),
                Attendance(
                    workshop_id=workshop.id,
                    user_id=person.id,
                    participant_id=participant.id,
                    name="x",
                    status="present",
                    marked_by_id=person.id,
                ),
                OpinionComment(opinion_id=opinion.id, author_id=person.id, body=f"Commentaire {number}"),
                OpinionFollower(opinion_id=opinion.id, user_id=person.id),
                VoteParticipation(vote_id=vote.id, voter_id=person.id, cast_by_id=person.id),
                VoteBallot(vote_id=vote.id, voter_id=person.id, content=keys(vote)[0]),
                VoteProxy(vote_id=vote.id, giver_id=other.id, holder_id=person.id),
            ]
        )
        db.session.flush()
        workshops.record(workshop, person, "phase", now=NOW, phase="discussion")
        notify([person.id], kind="opinion_answered", params={"title": f"Avis {number}"}, now=NOW)
    db.session.commit()


def test_export_query_count_does_not_grow_with_the_data(ctx):
    other = make_user()
    few, many = make_user(), make_user()
    _fill(few, other, 1)
    _fill(many, other, 20)
    counts = {}
    documents = {}
    for label, person in (("few", few), ("many", many)):
        person = db.session.get(User, person.id)
        assert person.email  # loaded before counting
        with recorded_statements() as statements:
            documents[label] = export_personal_data(person, now=NOW)
        counts[label] = len(statements)
        db.session.rollback()
    assert len(documents["many"]["proposals"]) == 20 and len(documents["many"]["votes"]) == 20
    assert len(documents["many"]["actions_in_a_role"]["workshop_history"]) == 20
    assert len(documents["few"]["memberships"]) == 1 and len(documents["many"]["notifications"]) == 20
    assert counts["few"] == counts["many"] <= 36, counts


# ------------------------------------------------------------------------------ deletion


def _support_counts(workshop) -> list[tuple[int, int]]:
    return [(row.proposal.id, row.support_count) for row in ranked_proposals(workshop, Actor.anonymous())]


def _vote_facts(vote: Vote) -> tuple:
    vote = db.session.get(Vote, vote.id)
    turnout = voting.turnout(vote)
    result = voting.current_result(vote)
    return (
        sorted(map(json.dumps, voting.all_ballots(vote))),
        result["ranking"],
        result["winners"],
        result["ballots"],
        turnout.by_channel,
        turnout.total,
        turnout.proxies,
    )


def test_deleting_an_account_anonymises_it_and_keeps_every_count(client, login, world):
    alice, bob = world["alice"], world["bob"]
    close(world["facilitator"], world["open_vote"])
    close(world["facilitator"], world["secret_vote"])
    closed_results = {v.id: dict(v.result) for v in (world["open_vote"], world["secret_vote"])}
    votes = [world["open_vote"], world["secret_vote"], world["proxy_vote"]]
    before_votes = [_vote_facts(vote) for vote in votes]
    before_supports = _support_counts(world["workshop"])
    secret_ballots = sorted(
        map(json.dumps, db.session.scalars(select(VoteBallot.content).where(VoteBallot.vote_id == votes[1].id)))
    )
    comments_before = db.session.scalar(select(func.count(OpinionComment.id)))
    bob_before = export_personal_data(db.session.get(User, bob.id), now=NOW)
    alice_id = alice.id
    login(client, alice)

    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()

    tombstone = db.session.get(User, alice_id)
    assert tombstone.deleted_at is not None and not tombstone.is_active_account
    assert tombstone.email.startswith("deleted-") and tombstone.email.endswith("@invalid")
    assert tombstone.stored_name == ""
    with force_locale("en"):
        assert tombstone.display_name == "Deleted account"  # translated when shown, never stored
    with force_locale("fr"):
        assert db.session.scalar(select(User.display_name).where(User.id == alice_id)) == "Compte supprimé"
    assert not tombstone.check_password(PASSWORD) and tombstone.locale is None
    leftovers = {
        column.name: value
        for column, value in ((c, getattr(tombstone, a.key)) for a in sa_inspect(User).column_attrs for c in a.columns)
        if column.nullable and column.name != "deleted_at" and value is not None
    }
    assert leftovers == {}  # every optional account field (language, pending address …) is emptied
    assert db.session.scalar(select(func.count()).where(Membership.user_id == alice_id)) == 0
    assert db.session.scalar(select(func.count()).where(Notification.user_id == alice_id)) == 0
    assert db.session.scalar(select(func.count()).where(OpinionFollower.user_id == alice_id)) == 0
    assert db.session.get(WorkshopParticipant, world["alice_identity"].id).display_name == ""
    assert db.session.scalar(select(Attendance.name).where(Attendance.user_id == alice_id)) == ""
    history = [event.details.get("name") for event in db.session.scalars(select(WorkshopEvent))]
    assert "Alice Kouassi" not in history and "Bob Marchal" in history
    # The proxy Bob gave her in a vote still open is dropped: he may vote himself.
    assert db.session.scalar(select(func.count()).where(VoteProxy.vote_id == world["pending_vote"].id)) == 0

    # Contributions stay and count the same.
    assert db.session.get(Proposal, world["alice_proposal"].id).author_id == alice_id
    assert _support_counts(world["workshop"]) == before_supports
    assert [_vote_facts(vote) for vote in votes] == before_votes
    assert {v.id: db.session.get(Vote, v.id).result for v in votes[:2]} == closed_results
    assert (
        sorted(map(json.dumps, db.session.scalars(select(VoteBallot.content).where(VoteBallot.vote_id == votes[1].id))))
        == secret_ballots
    )
    assert db.session.scalar(select(func.count(OpinionComment.id))) == comments_before

    # Bob's data is untouched.
    bob_after = export_personal_data(db.session.get(User, bob.id), now=NOW)
    bob_before.pop("proxies"), bob_after.pop("proxies")  # his pending proxy to Alice is gone
    assert bob_after == bob_before
    assert db.session.get(WorkshopParticipant, world["bob_identity"].id).display_name == "Bobby du quartier"

    # The audit log says it happened, not who it was.
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.deleted")).one()
    assert "alice" not in json.dumps(entry.details).lower()
    assert audit.verify()[1] == []


def test_a_deleted_account_is_shown_as_such_and_cannot_log_in(client, login, world):
    login(client, world["alice"])
    other_device = client.application.test_client()
    login(other_device, world["alice"])
    assert client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302

    assert client.get("/account/data").status_code == 302  # logged out here …
    assert other_device.get("/account/data").status_code == 302  # … and on any other device
    response = client.post("/account/login", data={"email": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 422
    bob = login(client.application.test_client(), world["bob"])
    page = bob.get(f"/councils/macouria/opinions/{world['opinion'].id}", headers=EN).get_data(as_text=True)
    assert "Alice Kouassi" not in page and "Deleted account" in page
    # The address is free again: the person may come back with a new account.
    again = client.post(
        "/account/register",
        data={
            "display_name": "Alice",
            "email": "alice@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "consent": "y",
        },
    )
    assert again.status_code == 302


def test_deleted_accounts_get_distinct_placeholder_addresses(ctx):
    first, second = make_user(), make_user()
    privacy.delete_account(first, password=PASSWORD, now=NOW)
    privacy.delete_account(second, password=PASSWORD, now=NOW)
    db.session.commit()
    assert first.email != second.email
    assert db.session.scalar(select(func.count()).where(User.deleted_at.is_not(None))) == 2


def test_deletion_gives_a_seat_to_come_back_to_the_waiting_list(ctx):
    council = make_council()
    workshop = coming_workshop(council, capacity=1)
    leaving, waiting = make_user(), make_user()
    workshops.register(leaving, workshop, now=NOW)
    workshops.register(waiting, workshop, now=NOW + timedelta(minutes=1))
    db.session.commit()
    privacy.delete_account(leaving, password=PASSWORD, now=NOW)
    db.session.commit()
    statuses = dict(db.session.execute(select(Registration.user_id, Registration.status)).all())
    assert statuses == {leaving.id: "cancelled", waiting.id: "confirmed"}


def test_wrong_password_is_refused_and_the_form_is_kept(client, login, ctx):
    person = make_user(locale="en", email="keep@example.org")
    login(client, person)
    response = client.post("/account/delete", data={"password": "not my password", "confirm": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This is not the password of your account." in page and 'class="error-summary"' in page
    assert 'aria-invalid="true"' in page and "checked" in page  # the ticked box stays ticked
    db.session.expire_all()
    assert db.session.get(User, person.id).email == "keep@example.org"
    assert client.get("/account/data").status_code == 200  # still logged in


def test_deletion_needs_the_confirmation_box(client, login, ctx):
    person = make_user(locale="en")
    login(client, person)
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert response.status_code == 422
    assert "Tick the box" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, person.id).deleted_at is None


def test_the_last_platform_administrator_cannot_delete_their_account(client, login, ctx):
    admin = make_user(is_admin=True, locale="en")
    login(client, admin)
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 422
    assert "only platform administrator" in response.get_data(as_text=True)
    make_user(is_admin=True)
    assert client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"}).status_code == 302


def test_deleting_without_a_csrf_token_is_refused(csrf_app, login, ctx):
    person = make_user()
    client = csrf_app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/account/login", data={"email": person.email, "password": PASSWORD, "csrf_token": token})
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, person.id).deleted_at is None


# ------------------------------------------------------------------------------ retention


def test_admin_sets_a_councils_retention_period(client, login, ctx):
    council = make_council(slug="dieppe")
    login(client, make_user(is_admin=True, locale="en"))
    form = client.get("/councils/dieppe/privacy")
    assert form.status_code == 200 and 'name="retention_months"' in form.get_data(as_text=True)
    assert client.post("/councils/dieppe/privacy", data={"retention_months": "24"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Council, council.id).retention_months == 24
    bad = client.post("/councils/dieppe/privacy", data={"retention_months": "0"})
    assert bad.status_code == 422 and 'value="0"' in bad.get_data(as_text=True)
    assert client.post("/councils/dieppe/privacy", data={"retention_months": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Council, council.id).retention_months is None
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("council.retention_set") == 2


def _purge_world():
    """A council keeping 12 months: a workshop ended 2 years ago and one ended a month ago; another
    council keeping everything, with an old workshop too."""
    keeping = make_council(slug="keeps-12")
    keeping.retention_months = 12
    forever = make_council(slug="keeps-all")
    facilitator = make_user(Role.FACILITATOR, keeping)
    made = {}
    for label, council, ended in (
        ("old", keeping, NOW - timedelta(days=730)),
        ("recent", keeping, NOW - timedelta(days=30)),
        ("forever", forever, NOW - timedelta(days=3650)),
    ):
        workshop = make_workshop(council, phase=Phase.CLOSED, title=label)
        workshop.starts_at, workshop.ends_at = ended - timedelta(hours=2), ended
        person = make_user()
        identity = make_participant(workshop, name=f"Nom {label}", user=person)
        db.session.add_all(
            [
                Registration(workshop_id=workshop.id, user_id=person.id, status="confirmed"),
                Attendance(workshop_id=workshop.id, name=f"Sans téléphone {label}", status="present"),
                Attendance(workshop_id=workshop.id, participant_id=identity.id, name=f"Nom {label}", status="present"),
                Proposal(
                    workshop_id=workshop.id,
                    title="Note papier",
                    body="Texte",
                    language="fr",
                    origin="paper",
                    paper_author=f"Auteur {label}",
                ),
            ]
        )
        db.session.flush()
        workshops.record(workshop, facilitator, "attendance", now=NOW, name=f"Sans téléphone {label}")
        made[label] = workshop
    db.session.commit()
    return made


def _personal_data_of(workshop: Workshop) -> dict:
    db.session.expire_all()
    return {
        "participants": sorted(
            db.session.scalars(
                select(WorkshopParticipant.display_name).where(WorkshopParticipant.workshop_id == workshop.id)
            )
        ),
        "attendance": sorted(db.session.scalars(select(Attendance.name).where(Attendance.workshop_id == workshop.id))),
        "paper": sorted(db.session.scalars(select(Proposal.paper_author).where(Proposal.workshop_id == workshop.id))),
        "history": sorted(
            e.details.get("name", "")
            for e in db.session.scalars(select(WorkshopEvent).where(WorkshopEvent.workshop_id == workshop.id))
        ),
        "registrations": db.session.scalar(select(func.count()).where(Registration.workshop_id == workshop.id)),
        "attendance_rows": db.session.scalar(select(func.count()).where(Attendance.workshop_id == workshop.id)),
    }


def test_purge_dry_run_counts_and_changes_nothing(app, ctx):
    made = _purge_world()
    before = {label: _personal_data_of(w) for label, w in made.items()}
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--dry-run", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output
    assert "council keeps-12" in result.output and "keeps-all" not in result.output
    assert "would erase 1 names chosen when joining a workshop by code" in result.output
    assert "would erase 2 names on sign-in sheets" in result.output
    assert "would erase 1 workshop registrations" in result.output
    assert {label: _personal_data_of(w) for label, w in made.items()} == before


def test_purge_anonymises_only_past_the_cutoff_and_is_idempotent(app, ctx):
    made = _purge_world()
    recent_before, forever_before = _personal_data_of(made["recent"]), _personal_data_of(made["forever"])
    runner = app.test_cli_runner()
    first = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat()])
    assert first.exit_code == 0, first.output
    assert "erased 1 names chosen when joining a workshop by code" in first.output
    assert "total: erased 6 pieces of personal data" in first.output

    old = _personal_data_of(made["old"])
    assert old["participants"] == [""] and old["attendance"] == ["", ""] and old["paper"] == [""]
    assert old["history"] == [""] and old["registrations"] == 0
    assert old["attendance_rows"] == 2  # presence still counts
    assert _personal_data_of(made["recent"]) == recent_before
    assert _personal_data_of(made["forever"]) == forever_before
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "privacy.purged")) == 1

    second = runner.invoke(args=["privacy", "purge", "--now", NOW.isoformat()])
    assert second.exit_code == 0 and "total: erased 0 pieces of personal data" in second.output
    assert _personal_data_of(made["old"]) == old
    assert db.session.scalar(select(func.count()).where(AuditEntry.action == "privacy.purged")) == 1


def test_purge_later_reaches_the_recent_workshop(app, ctx):
    made = _purge_world()
    later = (NOW + timedelta(days=400)).date().isoformat()
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--now", later])
    assert result.exit_code == 0, result.output
    assert _personal_data_of(made["recent"])["participants"] == [""]
    assert _personal_data_of(made["forever"])["participants"] == ["Nom forever"]


def test_purge_refuses_a_malformed_date(app, ctx):
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--now", "yesterday"])
    assert result.exit_code != 0 and "2026-11-28" in result.output


# ------------------------------------------------------------------------------ access


AUTHENTICATED_ROUTES = [
    ("GET", "/account/data"),
    ("POST", "/account/data"),
    ("GET", "/account/delete"),
    ("POST", "/account/delete"),
    ("GET", "/councils/macouria/privacy"),
    ("POST", "/councils/macouria/privacy"),
]


@pytest.mark.parametrize(("method", "url"), AUTHENTICATED_ROUTES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, method, url):
    make_council(slug="macouria")
    response = client.open(url, method=method, data={})
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.FACILITATOR, Role.MEMBER, Role.PRESIDENT, Role.ADMIN])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_only_platform_administrators_set_retention(client, login, role, method):
    council = make_council(slug="macouria")
    login(client, make_user(role, council))  # a council's own administrator role is not enough
    response = client.open("/councils/macouria/privacy", method=method, data={"retention_months": "6"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Council, council.id).retention_months is None


def test_council_page_links_its_privacy_settings_for_administrators_only(client, login, ctx):
    make_council(slug="macouria")
    assert "/councils/macouria/privacy" not in client.get("/councils/macouria").get_data(as_text=True)
    login(client, make_user(is_admin=True))
    assert "/councils/macouria/privacy" in client.get("/councils/macouria").get_data(as_text=True)
    assert client.get("/councils/nowhere/privacy").status_code == 404


@pytest.mark.parametrize("url", ["/privacy", "/account/data", "/account/delete"])
def test_privacy_pages_render_for_a_logged_in_person(client, login, url):
    login(client, make_user(locale="en"))
    assert client.get(url).status_code == 200


def test_navigation_links_to_my_data_and_deletion(client, login, ctx):
    login(client, make_user(locale="en"))
    page = client.get("/").get_data(as_text=True)
    assert ">My data</a>" in page and ">Delete my account</a>" in page


# ------------------------------------------------------------------ online consultations


def test_export_and_deletion_cover_online_consultations(ctx):
    from consultation.consultations.models import Follow, ProposalAttachment, ProposalComment
    from consultation.moderation.models import Report
    from tests.factories_consultations import make_consultation, make_consultation_proposal

    council = make_council()
    consultation = make_consultation(council, title="Vos idées pour le bourg")
    alice, bob = make_user(name="Alice Kouassi"), make_user(name="Bob Étienne")
    mine = make_consultation_proposal(consultation, alice, title="Des bancs à l'ombre")
    theirs = make_consultation_proposal(consultation, bob, title="Un marché le soir")
    db.session.add(ProposalAttachment(proposal_id=mine.id, stored_name="x" * 32, content_type="image/png", size=12))
    bob_comment = ProposalComment(proposal_id=mine.id, author_id=bob.id, body="Texte de Bob", language="fr")
    db.session.add(bob_comment)
    db.session.flush()
    db.session.add_all(
        [
            ProposalComment(
                proposal_id=mine.id, parent_id=bob_comment.id, author_id=alice.id, body="Réponse d'Alice", language="fr"
            ),
            Follow(user_id=alice.id, proposal_id=theirs.id),
            Follow(user_id=alice.id, consultation_id=consultation.id),
            Report(
                target_kind="proposal",
                target_id=theirs.id,
                council_id=council.id,
                reporter_id=alice.id,
                reason="spam",
                details="Publicité",
                created_at=NOW,
            ),
        ]
    )
    db.session.commit()

    document = export_personal_data(alice, now=NOW)
    text = json.dumps(document, ensure_ascii=False)
    assert "Texte de Bob" not in text and "Bob Étienne" not in text
    [proposal] = document["proposals"]
    assert (proposal["title"], proposal["consultation"], proposal["council"]) == (
        "Des bancs à l'ombre",
        "Vos idées pour le bourg",
        council.slug,
    )
    assert proposal["workshop_id"] is None and proposal["attachment"] == {
        "type": "image/png",
        "size": 12,
        "description": "",
    }
    assert [(c["body"], c["reply_to_comment_id"]) for c in document["proposal_comments"]] == [
        ("Réponse d'Alice", bob_comment.id)
    ]
    assert sorted(f["title"] for f in document["followed"]) == ["Un marché le soir", "Vos idées pour le bourg"]
    assert [(r["reason"], r["details"]) for r in document["reports_made"]] == [("spam", "Publicité")]

    privacy.delete_account(db.session.get(User, alice.id), password=PASSWORD, now=NOW)
    db.session.commit()
    assert db.session.scalar(select(func.count(Follow.id)).where(Follow.user_id == alice.id)) == 0
    # Her proposal and comment stay, counted, under an anonymised account.
    assert db.session.get(Proposal, mine.id).title == "Des bancs à l'ombre"
    assert db.session.scalar(select(func.count(ProposalComment.id)).where(ProposalComment.author_id == alice.id)) == 1
    assert "Alice Kouassi" not in json.dumps(export_personal_data(db.session.get(User, alice.id), now=NOW))


def test_export_and_deletion_cover_the_territory(ctx):
    from consultation.calls.models import JuryMember, JuryScore
    from consultation.territory.models import OrganisationRepresentative, ProjectRequest
    from tests.factories_calls import make_application, make_call, make_challenge, make_diagnostic
    from tests.factories_territory import make_organisation, make_project_request, make_representative

    council = make_council()
    alice, bob = make_user(name="Alice Kouassi"), make_user(name="Bob Étienne")
    diagnostic = make_diagnostic(council, title="Diagnostic du bourg")
    make_challenge(diagnostic, alice, title="Le manque de bus le soir")
    make_challenge(diagnostic, bob, title="Défi de Bob")
    make_project_request(council, alice, title="Une épicerie solidaire")
    make_project_request(council, bob, title="Projet de Bob")
    make_representative(make_organisation(council, name="Soula Solidaire"), alice)
    call = make_call(council, title="Appel solidaire")
    application = make_application(call, bob)
    db.session.add(JuryMember(call_id=call.id, user_id=alice.id))
    db.session.add(
        JuryScore(application_id=application.id, criterion_id=call.criteria[0].id, user_id=alice.id, value=7)
    )
    db.session.commit()

    document = export_personal_data(alice, now=NOW)
    text = json.dumps(document, ensure_ascii=False)
    assert "Défi de Bob" not in text and "Projet de Bob" not in text and "Bob Étienne" not in text
    assert [c["title"] for c in document["challenges_proposed"]] == ["Le manque de bus le soir"]
    assert [p["title"] for p in document["project_requests"]] == ["Une épicerie solidaire"]
    assert [o["organisation"] for o in document["organisations_represented"]] == ["Soula Solidaire"]
    assert [(j["call"], j["marks_given"]) for j in document["jury"]] == [("Appel solidaire", 1)]
    assert export_personal_data(bob, now=NOW)["call_applications"][0]["call"] == "Appel solidaire"

    privacy.delete_account(db.session.get(User, alice.id), password=PASSWORD, now=NOW)
    db.session.commit()
    holders = set(db.session.scalars(select(ProjectRequest.holder_id)))
    assert holders == {bob.id}  # her request went with her account, Bob's stays
    assert db.session.scalar(select(func.count(OrganisationRepresentative.id))) == 0
    assert db.session.scalar(select(func.count(JuryScore.id))) == 1  # the jury's marks stay, like votes
