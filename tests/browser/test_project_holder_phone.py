"""A project holder on a 390 px phone, in Portuguese: logs in, sends a request for help in Portuguese
(after a first try with a mistake), sees the suggested local actors; a facilitator refers the request to
one of them; the holder then reads "referred" on the request's page. axe-core checks every page of the
territory on the way, for the holder and for the facilitator, and nothing scrolls sideways."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from consultation.councils.models import District
from consultation.extensions import db
from consultation.permissions import Role
from consultation.territory.models import ProjectRequest
from tests.factories import PASSWORD, make_council, make_user, make_workshop
from tests.factories_territory import make_organisation, make_representative

pytestmark = pytest.mark.browser

CATALOG = Path(__file__).resolve().parents[2] / "translations" / "pt_BR" / "LC_MESSAGES" / "messages.po"


@cache
def _portuguese() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if isinstance(message.id, str)}


def pt(msgid: str) -> str:
    translation = _portuguese().get(msgid)
    assert translation, f"not translated into Portuguese: {msgid!r}"
    return translation


def fits_the_phone(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def log_in(tab, url: str, user) -> None:
    tab.goto(f"{url}/account/login")
    tab.locator("#email").fill(user.email)
    tab.locator("#password").fill(PASSWORD)
    tab.get_by_role("button", name=pt("Log in")).click()
    tab.wait_for_load_state()


def test_a_project_holder_asks_for_help_in_portuguese_on_a_phone_and_is_referred(
    live_server, csrf_app, ctx, chromium, assert_accessible
):
    council = make_council(slug="macouria", themes=("Emploi et économie solidaire", "Alimentation"))
    council.districts.extend([District(name="Tonate"), District(name="Soula")])
    db.session.commit()
    emploi = council.themes[0]
    couveuse = make_organisation(
        council,
        name="Couveuse d'entreprises de Guyane",
        kind="social_enterprise",
        services="Formation à la création d'entreprise et micro-crédit",
        themes=[emploi],
        languages=("fr", "pt_BR"),
    )
    make_organisation(council, name="Club de foot", services="Football", welcomes=False)
    make_representative(couveuse, make_user(Role.RESIDENT, council))
    workshop = make_workshop(council, title="Atelier emploi")
    holder = make_user(Role.RESIDENT, council, name="Joana")
    facilitator = make_user(Role.FACILITATOR, council, name="Maëlle")
    base = f"{live_server.url}/councils/macouria/territory"

    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="pt-BR", is_mobile=True)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    team = chromium.new_context(viewport={"width": 390, "height": 844}, locale="pt-BR", is_mobile=True)
    desk = team.new_page()
    desk.set_default_timeout(15000)
    try:
        # The public directory, then the holder's form.
        tab.goto(f"{base}/actors")
        assert tab.locator("html").get_attribute("lang") == "pt-BR"
        fits_the_phone(tab)
        assert_accessible(tab, "directory")
        tab.goto(f"{base}/actors/{couveuse.id}")
        assert_accessible(tab, "organisation")

        log_in(tab, live_server.url, holder)
        tab.goto(f"{base}/projects/new")
        fits_the_phone(tab)
        assert_accessible(tab, "request form")
        tab.locator("#title").fill("Uma padaria comunitária")
        tab.locator("#description").fill("curto")  # too short: the form says so and keeps it
        tab.locator("#send-request").click()
        tab.wait_for_load_state()
        assert tab.locator(".error-summary").is_visible()
        assert tab.locator("#title").input_value() == "Uma padaria comunitária"
        assert tab.locator("#description").get_attribute("aria-invalid") == "true"
        assert_accessible(tab, "request form with errors")

        tab.locator("#description").fill(
            "Quero abrir uma padaria com as mulheres de Tonate; falta dinheiro e formação."
        )
        tab.locator("input[name=needs][value=funding]").check()
        tab.locator("input[name=needs][value=training]").check()
        tab.locator(f"input[name=themes][value='{emploi.id}']").check()
        tab.locator("#district").select_option(label="Tonate")
        assert tab.locator("#language").input_value() == "pt_BR"  # the language of the page, by default
        tab.locator("#send-request").click()
        tab.wait_for_load_state()
        db.session.rollback()
        project = db.session.scalar(select(ProjectRequest))
        assert project.language == "pt_BR" and project.needs == ["funding", "training"]
        assert tab.locator("#request-status").get_attribute("data-status") == "received"
        suggested = tab.locator("#suggested")
        assert "Couveuse d'entreprises de Guyane" in suggested.inner_text()
        assert "Club de foot" not in suggested.inner_text()
        fits_the_phone(tab)
        assert_accessible(tab, "request, as its holder")

        # The facilitator refers it to the suggested organisation.
        log_in(desk, live_server.url, facilitator)
        desk.goto(f"{base}/projects")
        assert_accessible(desk, "team list")
        desk.goto(f"{base}/projects/{project.id}")
        fits_the_phone(desk)
        assert_accessible(desk, "request, for the team")
        desk.locator(f"input[name=organisations][value='{couveuse.id}']").check()
        desk.locator("#message").fill("Ligue para a Couveuse de minha parte.")
        desk.locator("form[action$='/refer'] button[type=submit]").click()
        desk.wait_for_load_state()
        assert desk.locator("#request-status").get_attribute("data-status") == "referred"
        desk.goto(f"{base}/projects/figures")
        assert_accessible(desk, "figures")
        desk.goto(f"{base}/representatives")
        assert_accessible(desk, "representatives")
        desk.goto(f"{base}/actors/new")
        assert_accessible(desk, "new organisation")
        desk.goto(f"{base}/workshops/{workshop.id}/experts")
        assert_accessible(desk, "experts")

        # The holder sees where the request stands.
        tab.goto(f"{base}/projects/{project.id}")
        assert tab.locator("#request-status").get_attribute("data-status") == "referred"
        timeline = tab.locator("#timeline").inner_text()
        assert "Couveuse d'entreprises de Guyane" in timeline and "Ligue para a Couveuse" in timeline
        fits_the_phone(tab)
        assert_accessible(tab, "referred request, as its holder")
        tab.goto(f"{base}/projects/mine")
        assert_accessible(tab, "my requests")
        tab.goto(f"{base}/actors/represent")
        assert_accessible(tab, "represent an organisation")
        tab.goto(f"{live_server.url}/notifications")
        assert tab.locator(f"main a[href$='/projects/{project.id}']").count() == 1
    finally:
        context.close()
        team.close()
