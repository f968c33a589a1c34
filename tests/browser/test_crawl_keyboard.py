"""Keyboard-only journey: log in, submit a proposal with an error, follow the error summary to the
field and fix it, with Tab, typing and Enter only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consultation.extensions import db
from consultation.proposals.models import Proposal
from tests.factories import PASSWORD, make_council, make_user, make_workshop

pytestmark = pytest.mark.browser
MAX_TABS = 60


@pytest.fixture()
def keyboard_chromium(chromium):
    """The session's browser: one Playwright driver per process (a second sync driver cannot start
    while the first runs, which test order under pytest-xdist makes likely)."""
    return chromium


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"
            )
            assert outline, f"{selector} has no visible focus"
            return
    pytest.fail(f"{selector} cannot be reached with Tab")


def submit_with_enter(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_resident_fixes_a_proposal_error_with_the_keyboard_only(keyboard_chromium, live_server, ctx):
    council = make_council()
    workshop = make_workshop(council)
    resident = make_user("resident", council, locale="fr")
    context = keyboard_chromium.new_context(viewport={"width": 390, "height": 800}, locale="fr-FR")
    page = context.new_page()

    page.goto(f"{live_server.url}/account/login")
    tab_to(page, "#email")
    page.keyboard.type(resident.email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    submit_with_enter(page)

    page.goto(f"{live_server.url}/councils/{council.slug}/workshops/{workshop.id}")
    tab_to(page, "#title")
    page.keyboard.type("Des bancs à l'ombre sur la place")
    tab_to(page, "form.stack-form button[type=submit]")
    submit_with_enter(page)

    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#title") == "Des bancs à l'ombre sur la place"  # nothing typed is lost
    assert page.get_attribute("#body", "aria-invalid") == "true"
    tab_to(page, '.error-summary a[href="#body"]')
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "body"
    page.keyboard.type("Les enfants attendent le bus au soleil : trois bancs et un arbre suffiraient.")
    tab_to(page, "form.stack-form button[type=submit]")
    submit_with_enter(page)

    assert "Merci, votre proposition est publiée." in page.content()
    db.session.rollback()  # end the test's read snapshot to see what the server committed
    proposal = db.session.scalars(select(Proposal)).one()
    assert proposal.title == "Des bancs à l'ombre sur la place" and proposal.author_id == resident.id
    context.close()


def test_a_phone_joins_by_code_and_votes_with_the_keyboard_only(keyboard_chromium, live_server, ctx):
    from consultation.voting.models import VoteParticipation
    from tests.factories_votes import make_vote
    from tests.factories_workshops import give_join_code

    council = make_council()
    workshop = make_workshop(council, phase="vote")
    code = give_join_code(workshop)
    make_vote(council, workshop=workshop, electorate="workshop", options=("Des bancs", "Un arbre"))
    context = keyboard_chromium.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()

    page.goto(f"{live_server.url}/join")
    tab_to(page, "#code")
    page.keyboard.type(code.lower())
    submit_with_enter(page)
    tab_to(page, "#display_name")
    page.keyboard.type("Wilner")
    tab_to(page, "#charter")
    page.keyboard.press("Space")
    tab_to(page, "form.stack-form button[type=submit]")
    submit_with_enter(page)

    tab_to(page, "a[id^=vote-link-]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "input[name=choice]")
    page.keyboard.press("ArrowDown")  # the second option, as a keyboard user moves in a radio group
    tab_to(page, "form.ballot-form button[type=submit]")
    submit_with_enter(page)

    assert "Votre bulletin est enregistré" in page.content()
    db.session.rollback()
    assert db.session.scalar(select(VoteParticipation.participant_id)) is not None
    context.close()


def test_a_facilitator_moves_the_workshop_to_the_next_phase_with_the_keyboard_only(keyboard_chromium, live_server, ctx):
    from consultation.workshops.models import Workshop

    council = make_council()
    workshop = make_workshop(council, phase="ideation")
    facilitator = make_user("facilitator", council, locale="fr")
    context = keyboard_chromium.new_context(viewport={"width": 1024, "height": 800}, locale="fr-FR")
    page = context.new_page()

    page.goto(f"{live_server.url}/account/login")
    tab_to(page, "#email")
    page.keyboard.type(facilitator.email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    submit_with_enter(page)

    page.goto(f"{live_server.url}/councils/{council.slug}/workshops/{workshop.id}/console")
    tab_to(page, "#phase-select")
    assert page.input_value("#phase-select") == "discussion"  # the next phase is offered first
    tab_to(page, "#phase-select ~ button[type=submit]")
    submit_with_enter(page)

    db.session.rollback()
    assert db.session.get(Workshop, workshop.id).phase == "discussion"
    assert "Discussion" in page.locator("#phase-title").inner_text()
    context.close()
