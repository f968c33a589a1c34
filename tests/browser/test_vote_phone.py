"""A council member casts a majority-judgment ballot on a 390 px phone, then reads the results (with axe)."""

from __future__ import annotations

import pytest

from consultation.extensions import db
from consultation.permissions import Role
from consultation.voting.models import Vote
from tests.factories import PASSWORD, make_council, make_user
from tests.factories_votes import close, keys, make_vote

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture()
def phone(chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="en-US", is_mobile=True)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def assert_accessible(tab) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab, options=WCAG)
    if results.violations_count:
        print(results.generate_report())
    assert results.violations_count == 0


def assert_fits_the_phone(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def test_member_votes_by_majority_judgment_on_a_phone(live_server, ctx, phone):
    council = make_council()
    member = make_user(Role.MEMBER, council, name="Awa Member")
    facilitator = make_user(Role.FACILITATOR, council)
    vote = make_vote(
        council,
        method="majority_judgment",
        options=("Un abri à l'arrêt de bus", "Des bancs au marché", "Un éclairage du chemin"),
        question="Which proposals should the council support?",
    )
    shelter, benches, lights = keys(vote)
    vote_path = f"/councils/{council.slug}/votes/{vote.id}"

    phone.goto(f"{live_server.url}/account/login")
    phone.get_by_label("Email").fill(member.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_load_state()

    phone.goto(live_server.url + vote_path)
    assert_fits_the_phone(phone)
    assert_accessible(phone)

    # One radio group per option; the grades are chosen by clicking their labels, or with the keyboard.
    phone.get_by_role("group", name="Un abri à l'arrêt de bus").get_by_label("Very good").click()
    phone.get_by_role("group", name="Des bancs au marché").get_by_label("Passable").click()
    lights_group = phone.get_by_role("group", name="Un éclairage du chemin")
    lights_group.get_by_label("Reject").focus()
    phone.keyboard.press("Space")
    for _step in range(4):
        phone.keyboard.press("ArrowRight")  # Reject → Insufficient → Passable → Fairly good → Good
    assert lights_group.get_by_label("Good", exact=True).is_checked()
    phone.get_by_role("button", name="Send my ballot").click()
    phone.wait_for_load_state()
    assert "Your ballot is recorded" in phone.locator("[role=status]").inner_text()

    db.session.rollback()  # see what the browser's requests committed
    close(facilitator, db.session.get(Vote, vote.id))
    stored = db.session.get(Vote, vote.id).result
    assert stored["winners"] == [shelter]
    assert stored["details"]["results"][lights]["majority_grade"] == 4
    assert stored["details"]["results"][benches]["majority_grade"] == 2

    phone.goto(f"{live_server.url}{vote_path}/results")
    table = phone.locator("table").first
    assert "Very good" in table.inner_text() and "Passable" in table.inner_text()
    chart = phone.locator("svg[role=img]")
    assert chart.count() == 1 and chart.locator("title").count() == 1
    assert "Online" in phone.locator("#turnout-title + table").inner_text()
    assert "Awa Member" in phone.locator("#roll-call-title ~ .table-scroll table").inner_text()
    assert_fits_the_phone(phone)
    assert_accessible(phone)
