"""Moderation: the charter, reports, the council's queue (hide, restore, dismiss), the author told,
hidden content out of every public list, and accounts blocked by administrators."""

import pytest
from sqlalchemy import func, select

from consultation.accounts.models import User
from consultation.audit.models import AuditEntry
from consultation.extensions import db
from consultation.moderation.models import Hiding, Report
from consultation.notifications.models import Notification
from consultation.permissions import Role
from consultation.proposals.models import Proposal
from consultation.workshops.phases import Phase
from tests.factories import PASSWORD, make_council, make_proposal, make_user, make_workshop
from tests.factories_workshops import give_join_code

EN = {"Accept-Language": "en"}
TITLE = "Chasser les voisins du quartier Soula"


@pytest.fixture()
def world(ctx):
    council = make_council(slug="macouria")
    other = make_council(slug="pantin")
    workshop = make_workshop(council, phase=Phase.IDEATION)
    author = make_user(Role.RESIDENT, council, name="Auteur")
    proposal = make_proposal(workshop, author, title=TITLE)
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "member": make_user(Role.MEMBER, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "facilitator": make_user(Role.FACILITATOR, council),
        "president": make_user(Role.PRESIDENT, council),
        "admin": make_user(is_admin=True),
    }
    return {"council": council, "workshop": workshop, "author": author, "proposal": proposal, "people": people}


def as_person(app, login, person):
    client = app.test_client()
    return login(client, person) if person is not None else client


def queue_url(world) -> str:
    return f"/councils/{world['council'].slug}/moderation"


def decision_url(world, action: str, proposal=None) -> str:
    proposal = proposal or world["proposal"]
    return f"{queue_url(world)}/proposal/{proposal.id}/{action}"


def report(client, proposal, reason="abuse", details=""):
    return client.post(f"/report/proposal/{proposal.id}", data={"reason": reason, "details": details}, headers=EN)


def workshop_page(client, world) -> str:
    workshop = world["workshop"]
    return client.get(f"/councils/macouria/workshops/{workshop.id}", headers=EN).get_data(as_text=True)


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


# ---------------------------------------------------------------------------------- the charter


def test_the_charter_is_a_public_page_linked_from_joining_and_registering(client, world):
    page = client.get("/charter", headers=EN)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for words in ("Participation charter", "No personal attacks", "personal data", "What moderators do", "report"):
        assert words in text
    code = give_join_code(world["workshop"])
    assert 'href="/charter"' in client.get(f"/join/{code}", headers=EN).get_data(as_text=True)
    assert 'href="/charter"' in client.get("/account/register", headers=EN).get_data(as_text=True)
    assert 'href="/charter"' in client.get("/", headers=EN).get_data(as_text=True)  # the footer


# ---------------------------------------------------------------------------------- reports


def test_each_proposal_has_a_report_link_and_anonymous_visitors_log_in_first(client, world):
    proposal = world["proposal"]
    assert f'href="/report/proposal/{proposal.id}"' in workshop_page(client, world)
    response = client.get(f"/report/proposal/{proposal.id}")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    assert report(client, proposal).status_code == 302
    assert db.session.scalar(select(func.count(Report.id))) == 0


def test_a_report_reaches_the_councils_moderators_once_per_person(app, login, world):
    resident = as_person(app, login, world["people"]["resident"])
    proposal = world["proposal"]
    form = resident.get(f"/report/proposal/{proposal.id}", headers=EN).get_data(as_text=True)
    assert TITLE in form and "Spam or advertising" in form
    first = report(resident, proposal, "personal_data", "Il donne l'adresse d'une voisine.")
    assert first.status_code == 302 and first.headers["Location"].endswith(f"#proposal-{proposal.id}")
    assert report(resident, proposal, "abuse").status_code == 302
    stored = db.session.scalars(select(Report)).all()
    assert [(r.reason, r.details, r.council_id) for r in stored] == [
        ("personal_data", "Il donne l'adresse d'une voisine.", world["council"].id)
    ]
    assert "moderation.reported" in audit_actions()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "", "details": "Je le trouve déplacé"}, "Choose why you report this content."),
        ({"reason": "other", "details": "  "}, "Say in a few words what is wrong."),
        ({"reason": "nonsense", "details": "Je le trouve déplacé"}, "Not a valid choice"),
        ({"reason": "spam", "details": "x" * 1001}, "Use at most 1000 characters."),
    ],
)
def test_a_bad_report_answers_422_and_keeps_what_was_typed(app, login, world, data, message):
    resident = as_person(app, login, world["people"]["resident"])
    response = resident.post(f"/report/proposal/{world['proposal'].id}", data=data, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    if data["details"].strip() and len(data["details"]) < 100:
        assert data["details"] in page
    assert db.session.scalar(select(func.count(Report.id))) == 0


def test_content_that_readers_cannot_see_cannot_be_reported(app, login, world):
    resident = as_person(app, login, world["people"]["resident"])
    draft = make_proposal(make_workshop(world["council"], is_published=False))
    rejected = make_proposal(world["workshop"])
    rejected.status = "rejected"
    db.session.commit()
    assert resident.get(f"/report/proposal/{draft.id}").status_code == 404
    assert report(resident, rejected).status_code == 404
    assert resident.get("/report/proposal/999999").status_code == 404
    assert resident.get(f"/report/comment-of-nothing/{world['proposal'].id}").status_code == 404


# ---------------------------------------------------------------------------------- the queue


def test_report_queue_hide_author_told_hidden_everywhere_then_restored(app, login, world):
    proposal, author, workshop = world["proposal"], world["author"], world["workshop"]
    code = give_join_code(workshop)
    phone = app.test_client()
    phone.post(f"/join/{code}", data={"display_name": "Wilner", "charter": "y"})
    assert TITLE in phone.get(f"/join/{code}", headers=EN).get_data(as_text=True)
    report(as_person(app, login, world["people"]["resident"]), proposal, "abuse", "Il insulte ses voisins.")
    report(as_person(app, login, world["people"]["member"]), proposal, "off_topic")

    facilitator = as_person(app, login, world["people"]["facilitator"])
    queue = facilitator.get(queue_url(world), headers=EN).get_data(as_text=True)
    assert TITLE in queue and "Il insulte ses voisins." in queue
    assert "2 open reports" in queue and "Off topic" in queue and "By <bdi>Auteur</bdi>" in queue
    assert "0 hidden contributions of this person" in queue

    hidden = facilitator.post(decision_url(world, "hide"), data={f"hide-proposal-{proposal.id}-reason": "Attaque"})
    assert hidden.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Proposal, proposal.id)
    assert stored.hidden_at is not None and stored.hidden_reason == "Attaque"
    assert {r.outcome for r in db.session.scalars(select(Report))} == {"hidden"}
    told = db.session.scalars(select(Notification).where(Notification.user_id == author.id)).all()
    assert [(n.kind, n.params["reason"], n.params["title"]) for n in told] == [("content_hidden", "Attaque", TITLE)]
    assert "moderation.hidden" in audit_actions()
    author_page = as_person(app, login, author).get("/notifications", headers=EN).get_data(as_text=True)
    assert "The moderators hid your contribution" in author_page and "Attaque" in author_page

    # Out of the workshop page, its count, the phone, the projector, the console, the open data API.
    anonymous = app.test_client()
    page = workshop_page(anonymous, world)
    assert TITLE not in page and "0 proposals" in page
    assert TITLE not in phone.get(f"/join/{code}", headers=EN).get_data(as_text=True)
    base = f"/councils/macouria/workshops/{workshop.id}"
    assert TITLE not in facilitator.get(f"{base}/projector", headers=EN).get_data(as_text=True)
    assert TITLE not in facilitator.get(f"{base}/console", headers=EN).get_data(as_text=True)
    assert TITLE not in anonymous.get("/api/v1/proposals").get_data(as_text=True)
    supporter = as_person(app, login, world["people"]["resident"])
    assert supporter.post(f"{base}/proposals/{proposal.id}/support").status_code == 409
    assert report(supporter, proposal).status_code == 404  # hidden already

    queue = facilitator.get(queue_url(world), headers=EN).get_data(as_text=True)
    assert "No report is waiting." in queue and "1 hidden contribution" in queue and "Attaque" in queue
    restored = facilitator.post(
        decision_url(world, "restore"), data={f"restore-proposal-{proposal.id}-reason": "Erreur de lecture"}
    )
    assert restored.status_code == 302
    db.session.expire_all()
    assert db.session.get(Proposal, proposal.id).hidden_at is None
    assert db.session.scalar(select(Hiding)).restore_reason == "Erreur de lecture"
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == author.id)).all()
    assert sorted(kinds) == ["content_hidden", "content_restored"]
    assert audit_actions()[-1] == "moderation.restored"
    assert TITLE in workshop_page(anonymous, world)


def test_dismissing_closes_the_reports_and_the_content_stays(app, login, world):
    proposal = world["proposal"]
    report(as_person(app, login, world["people"]["resident"]), proposal, "spam")
    facilitator = as_person(app, login, world["people"]["facilitator"])
    assert facilitator.post(decision_url(world, "dismiss")).status_code == 302
    assert [r.outcome for r in db.session.scalars(select(Report))] == ["dismissed"]
    assert db.session.get(Proposal, proposal.id).hidden_at is None
    assert audit_actions()[-1] == "moderation.dismissed"
    assert "No report is waiting." in facilitator.get(queue_url(world), headers=EN).get_data(as_text=True)
    assert facilitator.post(decision_url(world, "dismiss")).status_code == 409  # nothing left to dismiss
    assert TITLE in workshop_page(app.test_client(), world)
    assert not db.session.scalars(select(Notification)).all()  # the author is not bothered


def test_hiding_without_a_reason_answers_422_and_keeps_what_was_typed(app, login, world):
    proposal = world["proposal"]
    report(as_person(app, login, world["people"]["resident"]), proposal)
    facilitator = as_person(app, login, world["people"]["facilitator"])
    field = f"hide-proposal-{proposal.id}-reason"
    empty = facilitator.post(decision_url(world, "hide"), data={field: "   "}, headers=EN)
    assert empty.status_code == 422
    assert "Give the reason: the author will read it." in empty.get_data(as_text=True)
    long = facilitator.post(decision_url(world, "hide"), data={field: "Trop long " * 200}, headers=EN)
    assert long.status_code == 422 and "Trop long Trop long" in long.get_data(as_text=True)
    assert db.session.get(Proposal, proposal.id).hidden_at is None
    assert (
        facilitator.post(
            decision_url(world, "restore"), data={f"restore-proposal-{proposal.id}-reason": "x"}
        ).status_code
        == 409
    )


def test_the_queue_counts_each_persons_hidden_contributions(app, login, world):
    author, workshop = world["author"], world["workshop"]
    facilitator = as_person(app, login, world["people"]["facilitator"])
    resident = as_person(app, login, world["people"]["resident"])
    for number in range(3):
        proposal = make_proposal(workshop, author, title=f"Proposition fâcheuse {number}")
        report(resident, proposal)
        if number < 2:
            facilitator.post(decision_url(world, "hide", proposal), data={f"hide-proposal-{proposal.id}-reason": "Non"})
    page = facilitator.get(queue_url(world), headers=EN).get_data(as_text=True)
    assert "2 hidden contributions of this person" in page
    assert "People whose contributions are hidden" in page
    assert f"/admin/accounts/{author.id}" not in page  # blocking is for platform administrators
    admin_page = as_person(app, login, world["people"]["admin"]).get(queue_url(world), headers=EN)
    assert f"/admin/accounts/{author.id}" in admin_page.get_data(as_text=True)


ROLES = ["anonymous", "resident", "member", "facilitator_elsewhere", "facilitator", "president", "admin"]
MODERATORS = {"facilitator", "president", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_councils_moderators_reach_the_queue_and_decide(app, login, world, role):
    proposal = world["proposal"]
    report(as_person(app, login, world["people"]["resident"]), proposal)
    client = as_person(app, login, world["people"][role])
    queue = client.get(queue_url(world))
    dismiss = client.post(decision_url(world, "dismiss"))
    hide = client.post(decision_url(world, "hide"), data={f"hide-proposal-{proposal.id}-reason": "Injure"})
    if role == "anonymous":
        assert {queue.status_code, dismiss.status_code, hide.status_code} == {302}
        assert "/account/login" in queue.headers["Location"]
    elif role in MODERATORS:
        assert (queue.status_code, dismiss.status_code, hide.status_code) == (200, 302, 302)
    else:
        assert (queue.status_code, dismiss.status_code, hide.status_code) == (403, 403, 403)
    still_open = db.session.scalar(select(func.count(Report.id)).where(Report.closed_at.is_(None)))
    assert still_open == (0 if role in MODERATORS else 1)
    # Moderators may hide content nobody reported (yet).
    assert (db.session.get(Proposal, proposal.id).hidden_at is not None) is (role in MODERATORS)


def test_a_facilitator_of_another_council_cannot_hide_through_their_own_queue(app, login, world):
    elsewhere = as_person(app, login, world["people"]["facilitator_elsewhere"])
    url = f"/councils/pantin/moderation/proposal/{world['proposal'].id}/hide"
    assert elsewhere.post(url, data={f"hide-proposal-{world['proposal'].id}-reason": "Non"}).status_code == 404
    assert db.session.get(Proposal, world["proposal"].id).hidden_at is None


def test_the_council_page_links_the_queue_for_moderators_only(app, login, world):
    link = 'href="/councils/macouria/moderation"'
    assert link in as_person(app, login, world["people"]["facilitator"]).get("/councils/macouria").get_data(
        as_text=True
    )
    assert link not in as_person(app, login, world["people"]["resident"]).get("/councils/macouria").get_data(
        as_text=True
    )


def test_a_moderation_post_without_a_csrf_token_is_refused(csrf_app, world):
    import re

    client = csrf_app.test_client()
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/account/login").get_data(as_text=True)
    )
    logged_in = client.post(
        "/account/login",
        data={"email": world["people"]["facilitator"].email, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert logged_in.status_code == 302 and client.get(queue_url(world)).status_code == 200
    response = client.post(decision_url(world, "hide"), data={f"hide-proposal-{world['proposal'].id}-reason": "x"})
    assert response.status_code == 400
    assert db.session.get(Proposal, world["proposal"].id).hidden_at is None


# ---------------------------------------------------------------------------------- blocks


def block(client, user, reason="Insultes répétées"):
    return client.post(f"/admin/accounts/{user.id}/block", data={"reason": reason}, headers=EN)


def test_a_blocked_account_cannot_log_in_and_its_sessions_end(app, login, world):
    author = world["author"]
    session = as_person(app, login, author)
    assert session.get("/account").status_code == 200
    admin = as_person(app, login, world["people"]["admin"])
    assert block(admin, author).status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, author.id)
    assert stored.blocked_at is not None and stored.blocked_reason == "Insultes répétées" and not stored.is_active
    assert session.get("/account").status_code == 302  # the open session ended
    base = f"/councils/macouria/workshops/{world['workshop'].id}"
    assert (
        session.post(f"{base}/proposals/new", data={"title": "Encore moi", "body": "Un texte assez long"}).status_code
        == 302
    )
    assert db.session.scalar(select(func.count(Proposal.id))) == 1
    refused = app.test_client().post("/account/login", data={"email": author.email, "password": PASSWORD}, headers=EN)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "This account is blocked by the platform's administrators" in text and "Insultes répétées" in text
    wrong = app.test_client().post(
        "/account/login", data={"email": author.email, "password": "not the one"}, headers=EN
    )
    assert wrong.status_code == 422 and "blocked" not in wrong.get_data(as_text=True)  # only the password tells
    told = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert told.kind == "account_blocked" and told.params["reason"] == "Insultes répétées"
    assert "account.blocked" in audit_actions()

    assert admin.post(f"/admin/accounts/{author.id}/unblock", data={"reason": "Excuses reçues"}).status_code == 302
    assert (
        app.test_client().post("/account/login", data={"email": author.email, "password": PASSWORD}).status_code == 302
    )
    assert audit_actions()[-1] == "account.unblocked"


@pytest.mark.parametrize("role", ["resident", "facilitator", "president"])
def test_only_platform_administrators_block_accounts(app, login, world, role):
    client = as_person(app, login, world["people"][role])
    author = world["author"]
    assert client.get(f"/admin/accounts/{author.id}").status_code == 403
    assert block(client, author).status_code == 403
    assert db.session.get(User, author.id).blocked_at is None


def test_a_block_needs_a_reason_and_an_administrator_cannot_block_themselves(app, login, world):
    admin_user = world["people"]["admin"]
    admin = as_person(app, login, admin_user)
    empty = block(admin, world["author"], reason="")
    assert empty.status_code == 422 and "Give the reason: the person will read it." in empty.get_data(as_text=True)
    assert block(admin, admin_user).status_code == 409
    page = admin.get(f"/admin/accounts/{world['author'].id}", headers=EN).get_data(as_text=True)
    assert "Block the account" in page and "Hidden contributions now" in page
