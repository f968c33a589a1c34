"""Keyboard-only journey: log in, submit a proposal with an error, follow the error summary to the
field and fix it, with Tab, typing and Enter only."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright
from sqlalchemy import select

from consultation.extensions import db
from consultation.proposals.models import Proposal
from tests.browser.test_crawl_a11y import CHROMIUM, LAUNCH_ARGS
from tests.factories import PASSWORD, make_council, make_user, make_workshop

pytestmark = pytest.mark.browser
MAX_TABS = 60


@pytest.fixture(scope="module")
def keyboard_chromium():
    with sync_playwright() as driver:
        instance = driver.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()


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
