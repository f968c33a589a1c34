"""Naughty strings shown in a real browser: no dialog opens, no script or event handler gets into the
page, on the workshop page, a phone and the projector."""

from __future__ import annotations

from consultation.extensions import db
from consultation.permissions import Role
from consultation.proposals.models import Proposal
from consultation.workshops.phases import Phase
from tests.factories import PASSWORD, make_council, make_user, make_workshop
from tests.factories_workshops import give_join_code
from tests.functional.test_hostile_input import as_stored, naughty_strings

INJECTED = "[onfocus],[onload],[onerror],[onmouseover],[onkeyup],[onclick],script:not([src]),iframe,object,embed"


def test_naughty_proposals_run_nothing_in_the_browser(ctx, chromium, live_server):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    code = give_join_code(workshop)
    db.session.add_all(
        Proposal(workshop_id=workshop.id, title=as_stored(v)[:200] or "-", body=as_stored(v) or "-", language="fr")
        for v in naughty_strings()
    )
    facilitator = make_user(Role.FACILITATOR, council)
    db.session.commit()

    context = chromium.new_context(viewport={"width": 1024, "height": 800})
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = f"{live_server.url}/councils/{council.slug}/workshops/{workshop.id}"
    pages = -(-len(naughty_strings()) // 50)
    for page in range(1, pages + 1):
        tab.goto(f"{base}?page={page}")
        assert tab.locator(INJECTED).count() == 0, page
    tab.goto(f"{live_server.url}/join/{code}")
    tab.check("#charter")
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_load_state()
    assert tab.locator(INJECTED).count() == 0
    tab.goto(f"{live_server.url}/account/login")
    tab.fill("#email", facilitator.email)
    tab.fill("#password", PASSWORD)
    tab.locator("main form button[type=submit]").click()
    tab.wait_for_load_state()
    tab.goto(f"{base}/projector")
    tab.wait_for_timeout(2000)  # let the poll replace the live part once
    assert tab.locator(INJECTED).count() == 0
    assert dialogs == []
    context.close()
