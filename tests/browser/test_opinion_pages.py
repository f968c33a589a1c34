"""The opinion's public and working pages in a real browser: zero axe-core violations."""

from __future__ import annotations

from datetime import date

import pytest

from consultation.extensions import db
from consultation.opinions.models import MunicipalAnswer, RecommendationAnswer
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import PASSWORD, make_council, make_opinion, make_proposal, make_user, make_workshop


@pytest.fixture()
def answered(ctx):
    council = make_council(slug="pantin", name="Conseil citoyen de Pantin")
    workshop = make_workshop(council, phase=Phase.CLOSED, title="Les rez-de-chaussée")
    proposals = [make_proposal(workshop, title=f"Proposition {n}", supports=n) for n in range(1, 4)]
    opinion = make_opinion(workshop, status="adopted")
    opinion.number = "2026-01"
    opinion.dissent = "Une minorité préfère des logements."
    opinion.recommendation_list[0].sources = proposals[:2]
    opinion.transmitted_on = date(2026, 10, 1)
    opinion.addressee = "Monsieur le Maire"
    opinion.answer = MunicipalAnswer(answered_on=date(2026, 11, 2), summary="Réponse de la ville.")
    opinion.recommendation_list[0].answer = RecommendationAnswer(status="partly", reason="En partie.")
    draft = make_opinion(make_workshop(council, phase=Phase.DISCUSSION))
    member = make_user(Role.MEMBER, council, email="membre@example.org")
    officer = make_user(Role.OFFICER, council, email="mairie@example.org")
    db.session.commit()
    return {"opinion": opinion.id, "draft": draft.id, "member": member.email, "officer": officer.email}


@pytest.mark.parametrize("locale", ["fr-FR", "en-GB"])
def test_opinion_pages_have_no_accessibility_violation(chromium, live_server, answered, assert_accessible, locale):
    context = chromium.new_context(locale=locale, viewport={"width": 390, "height": 844})
    page = context.new_page()
    base = f"{live_server.url}/councils/pantin"
    for path in ("/opinions", f"/opinions/{answered['opinion']}"):
        page.goto(base + path)
        assert_accessible(page, path)
    page.goto(f"{live_server.url}/account/login")
    page.fill("#email", answered["member"])
    page.fill("#password", PASSWORD)
    page.locator("main button").click()
    for path in (
        f"/opinions/{answered['draft']}",
        f"/opinions/{answered['draft']}/edit",
        f"/opinions/{answered['draft']}/history",
    ):
        page.goto(base + path)
        assert_accessible(page, path)
    context.close()

    context = chromium.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/account/login")
    page.fill("#email", answered["officer"])
    page.fill("#password", PASSWORD)
    page.locator("main button").click()
    page.goto(f"{base}/opinions/{answered['opinion']}/answer")
    assert_accessible(page, "answer form")
    page.goto(f"{live_server.url}/notifications")
    assert_accessible(page, "notifications")
    context.close()
