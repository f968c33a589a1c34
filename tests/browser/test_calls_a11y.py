"""The diagnostic and calls-for-projects pages in a real browser, on a phone and on a desktop, with their
forms in an error state: zero axe-core violations."""

from __future__ import annotations

import pytest

from consultation.calls.models import JuryConflict
from consultation.diagnostic.rules import ChallengeStatus
from consultation.extensions import db
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import PASSWORD, make_council, make_proposal, make_user, make_workshop
from tests.factories_calls import (
    add_jury,
    give_marks,
    make_application,
    make_call,
    make_challenge,
    make_diagnostic,
    make_ranking,
)


@pytest.fixture()
def territory(ctx):
    council = make_council(slug="macouria", name="Conseil citoyen de Macouria")
    facilitator = make_user(Role.FACILITATOR, council, email="animatrice@example.org")
    juror = make_user(Role.MEMBER, council, email="jure@example.org", name="Juré")
    applicant = make_user(Role.RESIDENT, council, email="porteuse@example.org")
    workshop = make_workshop(council, phase=Phase.IDEATION, title="Règles de l'appel")
    make_proposal(workshop, applicant, title="Ouvrir aux collectifs", supports=1)

    collecting = make_diagnostic(council, title="Diagnostic en cours")
    accepted = make_challenge(collecting, title="Transports")
    accepted.workshops.append(workshop)
    make_challenge(collecting, applicant, status=ChallengeStatus.PROPOSED, title="Jeunesse")
    ranked = make_diagnostic(council, title="Diagnostic 2026")
    ranking = make_ranking(ranked, [make_challenge(ranked, title="Emploi"), make_challenge(ranked, title="Santé")])

    drafting = make_call(council, status="drafting", workshop=workshop, title="Appel en préparation")
    drafting.challenges = [ranking[0]]
    open_call = make_call(council, title="Appel ouvert")
    add_jury(open_call, juror)
    application = make_application(open_call, applicant, partners=("Asso A", "Asso B"))
    give_marks(application, juror, (7, 6))
    conflicted = make_application(open_call, make_user(), title="Projet lié")
    db.session.add(JuryConflict(application_id=conflicted.id, user_id=juror.id, reason="Membre"))
    closed = make_call(council, closed=True, title="Appel clos")
    add_jury(closed, juror)
    give_marks(make_application(closed, applicant, title="Cantine"), juror, (8, 9))
    db.session.commit()
    return {
        "collecting": collecting.id,
        "ranked": ranked.id,
        "drafting": drafting.id,
        "open": open_call.id,
        "application": application.id,
        "conflicted": conflicted.id,
        "closed": closed.id,
        "facilitator": facilitator.email,
        "juror": juror.email,
        "applicant": applicant.email,
    }


def _log_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/account/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main button").click()


@pytest.mark.parametrize(("locale", "width"), [("fr-FR", 390), ("ar", 1280)])
def test_diagnostic_and_call_pages_have_no_accessibility_violation(
    chromium, live_server, territory, assert_accessible, locale, width
):
    base = f"{live_server.url}/councils/macouria"
    t = territory
    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    for path in (
        "/diagnostics",
        f"/diagnostics/{t['collecting']}",
        f"/diagnostics/{t['ranked']}",
        f"/diagnostics/{t['ranked']}/ranking",
        "/calls",
        f"/calls/{t['drafting']}",
        f"/calls/{t['open']}",
    ):
        page.goto(base + path)
        assert_accessible(page, path)
    context.close()

    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    _log_in(page, live_server.url, t["facilitator"])
    for path in (
        "/diagnostics/new",
        f"/diagnostics/{t['collecting']}",
        "/calls/new",
        f"/calls/{t['drafting']}/edit",
        f"/calls/{t['open']}/jury",
        f"/calls/{t['open']}/applications",
        f"/calls/{t['closed']}/results/edit",
    ):
        page.goto(base + path)
        assert_accessible(page, path)
    # Forms in their error state: the summary, the messages and their links.
    page.goto(base + "/diagnostics/new")
    page.locator("main form.stack-form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page, "diagnostic form with errors")
    page.goto(base + "/calls/new")
    page.fill("#title", "")
    page.locator("main form.stack-form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page, "call form with errors")
    page.goto(f"{base}/diagnostics/{t['collecting']}")
    page.locator("details summary").first.click()
    page.locator("details form button[type=submit]").first.click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page, "moderation with errors")
    page.goto(f"{base}/calls/{t['closed']}/results/edit")
    page.locator("main form.stack-form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page, "results with errors")
    page.locator("main form.stack-form input[type=checkbox]").first.check()
    page.locator("main form.stack-form textarea").first.fill("Un projet solide et coopératif.")
    page.locator("main form.stack-form button[type=submit]").click()
    page.wait_for_url(f"**/calls/{t['closed']}/results")
    assert_accessible(page, "published results")
    context.close()

    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    _log_in(page, live_server.url, t["juror"])
    for path in (
        f"/calls/{t['open']}/applications/{t['application']}",
        f"/calls/{t['open']}/applications/{t['conflicted']}",
    ):
        page.goto(base + path)
        assert_accessible(page, path)
    context.close()

    context = chromium.new_context(locale=locale, viewport={"width": width, "height": 900})
    page = context.new_page()
    _log_in(page, live_server.url, t["applicant"])
    page.goto(f"{base}/calls/{t['open']}/apply")
    assert_accessible(page, "apply")
    page.fill("#title", "Jardin")
    page.locator("main form.stack-form button[type=submit]").click()
    page.wait_for_selector(".error-summary")
    assert_accessible(page, "apply with errors")
    page.goto(f"{base}/diagnostics/{t['collecting']}/challenges/new")
    assert_accessible(page, "propose a challenge")
    page.goto(f"{base}/calls/{t['open']}/applications/{t['application']}")
    assert_accessible(page, "own application")
    context.close()
