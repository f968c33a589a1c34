"""A phone in the room with no account (390×844): join by code, submit, support and vote; the projector,
served by a second app process (its own interpreter) on the same database, shows it within 2 s.
axe-core checks the live pages."""

from __future__ import annotations

import multiprocessing
import re
import time

import pytest

from consultation.extensions import db
from consultation.permissions import Role
from tests.conftest import BASE_CONFIG
from tests.factories import PASSWORD, make_council, make_proposal, make_user, make_workshop
from tests.factories_workshops import add_agenda, give_join_code
from tests.functional.test_vote_load import _serve

pytestmark = pytest.mark.browser

# The Chromium instance comes from tests/browser/conftest.py (session-scoped `chromium`): Playwright's
# sync API cannot run two drivers at once in one thread.
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


class SecondServer:
    """Another application process on the same database: its own interpreter, engine and memory, as a
    second gunicorn worker behind a load balancer would be."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        ports = context.Queue()
        self.process = context.Process(
            target=_serve, args=({**BASE_CONFIG, "WTF_CSRF_ENABLED": True}, ports), daemon=True
        )
        self.process.start()
        self.url = f"http://127.0.0.1:{ports.get(timeout=60)}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(timeout=10)


@pytest.fixture(scope="module")
def second_server(csrf_app):
    server = SecondServer()
    yield server
    server.stop()


def assert_accessible(tab, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options=WCAG)
    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def log_in(tab, base_url: str, user) -> None:
    tab.goto(f"{base_url}/account/login")
    tab.fill("#email", user.email)
    tab.fill("#password", PASSWORD)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_load_state()


def test_a_phone_without_account_takes_part_and_the_projector_follows(ctx, chromium, live_server, second_server):
    council = make_council()
    workshop = make_workshop(council, title="Se déplacer à Sainte-Agathe")
    code = give_join_code(workshop)
    add_agenda(workshop, ("Idées", 20))
    make_proposal(workshop, make_user(), title="Des abris aux arrêts de car")
    facilitator = make_user(Role.FACILITATOR, council)
    db.session.commit()

    wall = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    projector = wall.new_page()
    log_in(projector, second_server.url, facilitator)
    projector.goto(f"{second_server.url}/councils/{council.slug}/workshops/{workshop.id}/console")
    projector.get_by_role("button", name=re.compile("^Start")).first.click()
    assert_accessible(projector, "console")
    projector.goto(f"{second_server.url}/councils/{council.slug}/workshops/{workshop.id}/projector")
    assert projector.locator(".join-code").inner_text() == code
    assert_accessible(projector, "projector")

    phone_context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-GB", is_mobile=True)
    phone = phone_context.new_page()
    phone.goto(f"{live_server.url}/join")
    assert_accessible(phone, "join code page")
    phone.fill("#code", code.lower())
    phone.get_by_role("button", name="Join").click()
    assert_accessible(phone, "charter page")
    phone.fill("#display_name", "Wilner")
    phone.check("#charter")
    phone.get_by_role("button", name="Take part").click()
    phone.fill("#title", "Une navette vers le marché")
    phone.fill("#body", "Le samedi matin, pour les personnes sans voiture.")
    phone.get_by_role("button", name="Send my proposal").click()
    assert phone.get_by_text("Une navette vers le marché").first.is_visible()
    assert_accessible(phone, "phone page")

    projector.evaluate("window.notReloaded = true")
    started = time.monotonic()
    projector.get_by_text("Une navette vers le marché").wait_for(timeout=2500)
    assert time.monotonic() - started < 2.5

    card = phone.locator("li.proposal", has_text="Une navette vers le marché")
    card.get_by_role("button", name=re.compile("^Support")).click()
    assert card.get_by_text("1 support").is_visible()
    started = time.monotonic()
    projector.locator(".projector-proposals li", has_text="Une navette vers le marché").get_by_text(
        "1 support"
    ).wait_for(timeout=2500)
    assert time.monotonic() - started < 2.5
    assert projector.evaluate("window.notReloaded") is True  # updated without reloading

    # The phone follows the room too: a show of hands typed in elsewhere reaches it without a reload.
    from consultation.proposals.models import PaperCount, Proposal

    phone.evaluate("window.notReloaded = true")
    db.session.rollback()
    proposal = db.session.scalar(db.select(Proposal).where(Proposal.title == "Une navette vers le marché"))
    db.session.add(PaperCount(proposal_id=proposal.id, count=4))
    db.session.commit()
    card.get_by_text("5 supports, including 4 on paper").wait_for(timeout=2500)
    assert phone.evaluate("window.notReloaded") is True

    # A formal vote on the proposals: opened from the console, it reaches the phone without a reload;
    # the phone votes without an account; the wall counts the ballot, then shows the result.
    from consultation.voting import services as votes
    from tests.factories_votes import make_vote

    vote = make_vote(council, workshop=workshop, electorate="workshop", status="draft", options=())
    proposal_ids = [p.id for p in db.session.scalars(db.select(Proposal).where(Proposal.workshop_id == workshop.id))]
    votes.update_vote(
        facilitator,
        vote,
        votes.VoteSettings(
            question="Quelle priorité ?", method="plurality", electorate="workshop", proposal_ids=proposal_ids
        ),
    )
    db.session.commit()
    console = wall.new_page()
    console.goto(f"{second_server.url}/councils/{council.slug}/workshops/{workshop.id}/console")
    console.get_by_role("button", name="Open the vote").click()
    phone.get_by_role("link", name=re.compile("^Vote now")).wait_for(timeout=2500)
    assert phone.evaluate("window.notReloaded") is True
    phone.get_by_role("link", name=re.compile("^Vote now")).click()
    assert_accessible(phone, "phone ballot page")
    phone.get_by_label("Une navette vers le marché").check()
    phone.get_by_role("button", name="Send my ballot").click()
    assert phone.get_by_text("You have voted. Thank you.").first.is_visible()
    started = time.monotonic()
    projector.get_by_text("1 ballot cast").wait_for(timeout=2500)
    assert time.monotonic() - started < 2.5
    console.get_by_role("button", name="Close the vote and count").click()
    projector.get_by_text("Chosen option: Une navette vers le marché").wait_for(timeout=2500)
    phone.get_by_text("Chosen option: Une navette vers le marché").wait_for(timeout=2500)
    assert projector.evaluate("window.notReloaded") is True
    assert_accessible(projector, "projector with a vote result")
    assert_accessible(phone, "phone with a vote result")
    phone_context.close()
    wall.close()
