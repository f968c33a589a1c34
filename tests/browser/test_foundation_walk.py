"""The foundation's whole path in a real browser: register, propose, support, close, opinion, PDF."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from playwright.sync_api import expect

from consultation.extensions import db
from consultation.permissions import Role
from tests.factories import PASSWORD, make_council, make_user, make_workshop

OTHER = {"fr": "en", "en": "fr"}
TEXT = {
    "fr": {
        "register": "Créer un compte",
        "submit": "Déposer ma proposition",
        "support": "Soutenir",
        "withdraw": "Retirer mon soutien",
        "close": "Clore la phase de propositions",
        "login": "Se connecter",
        "logout": "Se déconnecter",
        "draft": "Rédiger un avis à partir de cet atelier",
        "save": "Enregistrer le projet d'avis",
        "pdf": "Télécharger le PDF",
        "change": "Changer de langue",
        "one_support": "1 soutien",
        "recommendations": "Recommandations",
    },
    "en": {
        "register": "Create an account",
        "submit": "Submit my proposal",
        "support": "Support",
        "withdraw": "Withdraw my support",
        "close": "Close the proposal phase",
        "login": "Log in",
        "logout": "Log out",
        "draft": "Draft an opinion from this workshop",
        "save": "Save the draft opinion",
        "pdf": "Download the PDF",
        "change": "Change language",
        "one_support": "1 support",
        "recommendations": "Recommendations",
    },
}


@pytest.fixture()
def territory(ctx):
    council = make_council(slug="macouria", name="Conseil citoyen de Macouria", themes=("Mobilités", "Jeunesse"))
    workshop = make_workshop(council, title="Se déplacer à Sainte-Agathe")
    facilitator = make_user(Role.FACILITATOR, council, email="animatrice@example.org")
    member = make_user(Role.MEMBER, council, email="conseiller@example.org")
    return {"council": council, "workshop_id": workshop.id, "facilitator": facilitator.email, "member": member.email}


def new_page(chromium, lang: str):
    context = chromium.new_context(locale="fr-FR" if lang == "fr" else "en-GB", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    return context, context.new_page()


def log_in(page, base: str, email: str, lang: str, check) -> None:
    page.goto(f"{base}/account/login")
    check(page, "login")
    page.get_by_label(re.compile("Adresse électronique|Email address")).fill(email)
    page.get_by_label(re.compile("^(Mot de passe|Password)$")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name=TEXT[lang]["login"]).click()
    expect(page.get_by_role("button", name=TEXT[lang]["logout"])).to_be_visible()


@pytest.mark.parametrize("first_language", ["fr", "en"])
def test_the_whole_path_from_registration_to_the_pdf(
    chromium, live_server, territory, assert_accessible, first_language
):
    base = live_server.url
    lang, other = first_language, OTHER[first_language]
    workshop_url = f"{base}/councils/macouria/workshops/{territory['workshop_id']}"

    # 1. A resident registers, logs out and in again, switches language, submits a proposal.
    context, page = new_page(chromium, lang)
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    assert_accessible(page, "home")
    page.get_by_role("link", name=TEXT[lang]["register"]).first.click()
    assert_accessible(page, "register")
    page.locator("main").get_by_role("button").click()  # empty form: errors shown, nothing lost
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page, "register with errors")
    page.get_by_label(re.compile("Nom affiché|Name shown")).fill("Wilner")
    page.get_by_label(re.compile("Adresse électronique|Email address")).fill(f"wilner-{lang}@example.org")
    page.get_by_label(re.compile("^(Mot de passe|Password)$")).fill(PASSWORD)
    page.get_by_label(re.compile("confirmation|Password again")).fill(PASSWORD)
    page.locator("#consent").check()
    page.locator("main").get_by_role("button").click()
    page.get_by_role("button", name=TEXT[lang]["logout"]).click()
    log_in(page, base, f"wilner-{lang}@example.org", lang, assert_accessible)
    page.get_by_label(re.compile("^(Langue|Language)$")).select_option(other)
    page.get_by_role("button", name=TEXT[lang]["change"]).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    page.goto(workshop_url)
    assert_accessible(page, "workshop")
    page.get_by_label(re.compile("^(Titre|Title)$")).fill("Un abri à l'arrêt de car scolaire")
    page.get_by_label(re.compile("^(Votre proposition|Your proposal)$")).fill(
        "Les enfants attendent sous la pluie le matin."
    )
    page.get_by_label(re.compile("^(Thème|Theme)$")).select_option(label="Mobilités")
    page.get_by_role("button", name=TEXT[other]["submit"]).click()
    proposal = page.locator(".proposal", has_text="Un abri à l'arrêt de car scolaire")
    expect(proposal).to_be_visible()
    assert_accessible(page, "workshop after proposal")
    context.close()

    # 2. Another resident supports it; a second click withdraws the support; then supports again.
    context, page = new_page(chromium, lang)
    page.goto(f"{base}/account/register")
    page.get_by_label(re.compile("Nom affiché|Name shown")).fill("Ana")
    page.get_by_label(re.compile("Adresse électronique|Email address")).fill(f"ana-{lang}@example.org")
    page.get_by_label(re.compile("^(Mot de passe|Password)$")).fill(PASSWORD)
    page.get_by_label(re.compile("confirmation|Password again")).fill(PASSWORD)
    page.locator("#consent").check()
    page.locator("main").get_by_role("button").click()
    page.goto(workshop_url)
    proposal = page.locator(".proposal", has_text="Un abri à l'arrêt de car scolaire")
    proposal.get_by_role("button", name=re.compile(TEXT[lang]["support"])).click()
    expect(proposal.locator(".support-count")).to_have_text(TEXT[lang]["one_support"])
    assert_accessible(page, "workshop after support")
    proposal.get_by_role("button", name=re.compile(TEXT[lang]["withdraw"])).click()
    expect(proposal.locator(".support-count")).to_have_text(re.compile("^0 "))
    proposal.get_by_role("button", name=re.compile(TEXT[lang]["support"])).click()
    expect(proposal.locator(".support-count")).to_have_text(TEXT[lang]["one_support"])
    context.close()

    # 3. The facilitator closes the proposal phase.
    context, page = new_page(chromium, lang)
    log_in(page, base, territory["facilitator"], lang, assert_accessible)
    page.goto(workshop_url)
    assert_accessible(page, "workshop as facilitator")
    page.get_by_role("button", name=TEXT[lang]["close"]).click()
    expect(page.locator(".phases [aria-current=step]")).to_have_text("Discussion")
    context.close()

    # 4. A council member drafts the opinion from the top proposals and downloads its PDF.
    context, page = new_page(chromium, lang)
    log_in(page, base, territory["member"], lang, assert_accessible)
    page.goto(workshop_url)
    page.get_by_role("link", name=TEXT[lang]["draft"]).click()
    expect(page.locator("table")).to_contain_text("Un abri à l'arrêt de car scolaire")
    expect(page.locator("table tbody tr").first.locator("td").last).to_have_text("1")
    assert_accessible(page, "new opinion")
    page.get_by_label(re.compile("^(Texte de la recommandation 1|Text of recommendation 1)$")).fill(
        "1. **Installer** des abris aux arrêts de car.\n2. Éclairer le passage piéton."
    )
    page.get_by_role("button", name=TEXT[lang]["save"]).click()
    expect(page.get_by_role("heading", level=2, name=TEXT[lang]["recommendations"])).to_be_visible()
    assert_accessible(page, "opinion")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=TEXT[lang]["pdf"]).click()
    pdf_bytes = Path(download_info.value.path()).read_bytes()
    context.close()

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert "Se déplacer à Sainte-Agathe" in str(pdf.docinfo["/Title"])
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf_bytes, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "Conseil citoyen de Macouria",
        "Installer des abris aux arrêts de car",
        "Un abri à l'arrêt de car scolaire",
        TEXT[lang]["recommendations"],
    ):
        assert expected in text, text
    assert re.search(r"Un abri à l'arrêt de car scolaire\s+1\b", text), text
    db.session.remove()
