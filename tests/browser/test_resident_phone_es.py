"""A resident on a phone, in Spanish: registers (accepting the charter), confirms the address from the
mail, opens the council's consultation, supports a proposal and comments on it. axe-core checks each
page and nothing scrolls sideways at 390 px. Labels are read from the Spanish catalog, so the test
fails if a string of this path is missing from it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from consultation import mail
from consultation.accounts.models import User
from consultation.consultations.models import ProposalComment
from consultation.extensions import db
from consultation.proposals.models import Support
from tests.factories import make_council, make_user
from tests.factories_consultations import make_consultation, make_consultation_proposal

pytestmark = pytest.mark.browser

CATALOG = Path(__file__).resolve().parents[2] / "translations" / "es" / "LC_MESSAGES" / "messages.po"


@cache
def _spanish() -> dict[str, str]:
    with CATALOG.open("rb") as handle:
        return {message.id: message.string for message in read_po(handle) if isinstance(message.id, str)}


def es(msgid: str) -> str:
    translation = _spanish().get(msgid)
    assert translation, f"not translated into Spanish: {msgid!r}"
    return translation


def fits_the_phone(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"


def test_a_resident_registers_and_comments_on_a_phone_in_spanish(
    live_server, csrf_app, ctx, chromium, assert_accessible
):
    council = make_council()
    consultation = make_consultation(council, title="Ideas para el barrio")
    proposal = make_consultation_proposal(
        consultation, make_user(), title="Una huerta compartida", body="Detrás de la escuela.", language="es"
    )
    mail.outbox(csrf_app).clear()
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="es-ES", is_mobile=True)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    try:
        tab.goto(f"{live_server.url}/account/register")
        assert tab.locator("html").get_attribute("lang") == "es"
        fits_the_phone(tab)
        assert_accessible(tab, "register")
        tab.get_by_label(es("Name shown to others")).fill("Lucía")
        tab.get_by_label(es("Email address")).fill("lucia@example.org")
        tab.get_by_label(es("Password"), exact=True).fill("una frase larga y secreta")
        tab.get_by_label(es("Password again")).fill("una frase larga y secreta")
        tab.get_by_label(es("I accept the participation charter and the privacy notice")).check()
        tab.get_by_role("button", name=es("Create my account")).click()
        tab.wait_for_load_state()

        [sent] = [m for m in mail.outbox(csrf_app) if m.to == "lucia@example.org"]
        assert sent.language == "es"
        path = re.search(r"/account/confirm/[^\s\"'<]+", sent.text).group(0)
        tab.goto(live_server.url + path)
        assert_accessible(tab, "confirm")
        tab.get_by_role("button", name=es("Confirm my address")).click()
        tab.wait_for_load_state()
        db.session.rollback()
        user = db.session.scalar(select(User).where(User.email == "lucia@example.org"))
        assert user.email_confirmed_at is not None and user.charter_accepted_at is not None

        tab.goto(f"{live_server.url}/councils/{council.slug}/consultations/{consultation.id}")
        fits_the_phone(tab)
        assert_accessible(tab, "consultation")
        tab.get_by_role("link", name="Una huerta compartida").click()
        tab.wait_for_load_state()
        fits_the_phone(tab)
        assert_accessible(tab, "proposal")
        tab.get_by_role("button", name=es("Support this proposal")).click()
        tab.wait_for_load_state()
        tab.get_by_label(es("Your comment")).fill("¡Muy buena idea! Puedo ayudar los sábados.")
        tab.get_by_role("button", name=es("Publish my comment")).click()
        tab.wait_for_load_state()
        assert tab.get_by_text("¡Muy buena idea! Puedo ayudar los sábados.").is_visible()
        fits_the_phone(tab)
        assert_accessible(tab, "proposal with the comment")
    finally:
        context.close()

    db.session.rollback()  # end the test's read snapshot: the server committed after it began
    assert db.session.scalar(select(Support.id).where(Support.proposal_id == proposal.id, Support.user_id == user.id))
    comment = db.session.scalar(select(ProposalComment).where(ProposalComment.proposal_id == proposal.id))
    assert comment.author_id == user.id and comment.body == "¡Muy buena idea! Puedo ayudar los sábados."
