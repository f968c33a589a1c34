"""The accessibility statement: public page, footer link on every page, edit form for administrators."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from consultation.extensions import db
from consultation.pages.models import AccessibilityStatement
from tests.factories import make_council, make_user

VALID = {
    "status": "partially_compliant",
    "compliance_rate": "62",
    "established_on": "2026-11-20",
    "entity": "Commune de Macouria",
    "contact": "accessibilite@macouria.example\n0594 00 00 00",
    "non_accessible_content": "- Les PDF anciens ne sont pas balisés.",
    "recourse": "",
}


def test_anyone_reads_the_statement_even_before_it_is_filled_in(client):
    page = client.get("/accessibility", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "<h1>Déclaration d'accessibilité</h1>" in page
    assert "non conforme au RGAA 4.1" in page
    assert "Libre réponse 71120" in page and "https://formulaire.defenseurdesdroits.fr/" in page
    assert "Modifier la déclaration" not in page


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("resident", 403), ("council_member", 403), ("admin", 200)],
)
def test_only_platform_administrators_reach_the_edit_form(client, login, who, expected):
    if who != "anonymous":
        council = make_council()
        user = (
            make_user(is_admin=True)
            if who == "admin"
            else make_user({"council_member": "member"}.get(who, who), council)
        )
        login(client, user)
    response = client.get("/accessibility/edit")
    assert response.status_code == expected
    if expected == 302:
        assert "/account/login" in response.headers["Location"]
    assert client.post("/accessibility/edit", data=VALID).status_code == (expected if expected != 200 else 302)


def test_an_administrator_fills_in_the_statement_and_every_footer_announces_it(client, login):
    council = make_council()
    login(client, make_user(is_admin=True, locale="fr"))
    response = client.post("/accessibility/edit", data=VALID)
    assert response.status_code == 302 and response.headers["Location"].endswith("/accessibility")
    statement = db.session.scalars(select(AccessibilityStatement)).one()
    assert statement.status == "partially_compliant" and statement.established_on == date(2026, 11, 20)
    assert statement.compliance_rate == 62 and statement.language == "fr"

    page = client.get("/accessibility").get_data(as_text=True)
    assert "partiellement conforme au RGAA 4.1" in page
    assert "20 novembre 2026" in page and "62" in page and "Commune de Macouria s'engage" in page
    assert "accessibilite@macouria.example" in page and "<li>Les PDF anciens ne sont pas balisés.</li>" in page
    for path in ("/", f"/councils/{council.slug}", "/accessibility/edit", "/no-such-page"):
        footer = client.get(path).get_data(as_text=True).split('<footer class="site-footer">')[1]
        assert 'href="/accessibility">Accessibilité : partiellement conforme</a>' in footer, path

    client.post("/accessibility/edit", data={**VALID, "status": "fully_compliant"})
    assert db.session.scalar(select(db.func.count(AccessibilityStatement.id))) == 1


def test_bad_input_is_explained_and_kept(client, login):
    login(client, make_user(is_admin=True))
    response = client.post(
        "/accessibility/edit",
        data={**VALID, "compliance_rate": "140", "established_on": "28/11/2026", "contact": ""},
        headers={"Accept-Language": "es"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in page and 'aria-invalid="true"' in page
    assert "Escriba un número entre 0 y 100." in page
    assert "Indique al menos una forma de contacto." in page
    assert 'value="140"' in page and "Commune de Macouria" in page
    assert db.session.scalar(select(AccessibilityStatement)) is None


def test_the_statement_shows_its_texts_in_the_language_they_were_written_in(client, login):
    login(client, make_user(is_admin=True, locale="fr"))
    client.post("/accessibility/edit", data=VALID)
    # An Arabic-speaking visitor, with a browser of their own.
    visitor = client.application.test_client()
    page = visitor.get("/accessibility", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert 'lang="fr" dir="ltr">accessibilite@macouria.example' in page
    assert "إمكانية الوصول: مطابقة جزئيًا" in page


def test_the_database_refuses_an_unknown_status(ctx):
    db.session.add(AccessibilityStatement(status="compliant-ish", established_on=date(2026, 1, 1), contact="x"))
    with pytest.raises(Exception, match="(?i)check"):
        db.session.commit()
    db.session.rollback()
