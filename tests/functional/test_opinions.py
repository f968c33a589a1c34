"""Drafting an opinion from a workshop, editing it, and its PDF."""

import io

import pikepdf
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.opinions.models import Opinion
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_proposal, make_user, make_workshop


def new_opinion_url(workshop):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}/opinions/new"


def test_member_drafts_an_opinion_from_the_top_proposals(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    make_proposal(workshop, title="Peu soutenue", supports=1)
    make_proposal(workshop, title="La plus soutenue", supports=3)
    make_proposal(workshop, title="Sans soutien")
    login(client, make_user(Role.MEMBER, council))
    form_page = client.get(new_opinion_url(workshop)).get_data(as_text=True)
    assert form_page.index("La plus soutenue") < form_page.index("Peu soutenue")
    response = client.post(
        new_opinion_url(workshop),
        data={"title": "Avis sur les mobilités", "recommendations": "1. **Éclairer** les passages.", "top": "2"},
    )
    assert response.status_code == 302
    opinion = db.session.scalar(select(Opinion))
    assert [(i.proposal.title, i.support_count) for i in opinion.items] == [("La plus soutenue", 3), ("Peu soutenue", 1)]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Éclairer</strong>" in page and "La plus soutenue" in page


def test_no_opinion_while_proposals_are_still_coming(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    login(client, make_user(Role.MEMBER, council))
    assert client.get(new_opinion_url(workshop)).status_code == 409


def test_bad_opinion_input_is_shown_again(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    login(client, make_user(Role.MEMBER, council))
    response = client.post(new_opinion_url(workshop), data={"title": "Avis complet", "recommendations": "", "top": "abc"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Avis complet"' in page and "Rédigez les recommandations du conseil." in page
    assert db.session.scalar(select(func.count(Opinion.id))) == 0


def test_member_edits_a_draft_but_not_an_adopted_opinion(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    draft, adopted = make_opinion(workshop), make_opinion(workshop, status="adopted")
    login(client, make_user(Role.MEMBER, council))
    base = f"/councils/{council.slug}/opinions"
    assert client.post(f"{base}/{draft.id}/edit", data={"title": "Avis révisé", "recommendations": "Nouveau texte"}).status_code == 302
    db.session.refresh(draft)
    assert draft.title == "Avis révisé"
    assert client.post(f"{base}/{adopted.id}/edit", data={"title": "Changé", "recommendations": "x"}).status_code == 409


def test_opinion_pdf_is_tagged_in_the_interface_language(client, login):
    council = make_council(name="Conseil citoyen de Macouria")
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    make_proposal(workshop, title="Un abri au carbet", supports=2)
    member = make_user(Role.MEMBER, council)
    login(client, member)
    client.post(new_opinion_url(workshop), data={"title": "Avis sur les abris", "recommendations": "Construire des abris.", "top": "5"})
    opinion = db.session.scalar(select(Opinion))
    for lang in ("fr", "en"):
        client.post("/language", data={"language": lang})
        response = client.get(f"/councils/{council.slug}/opinions/{opinion.id}.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        with pikepdf.open(io.BytesIO(response.data)) as pdf:
            assert str(pdf.Root.Lang) == lang
            assert "/StructTreeRoot" in pdf.Root
            assert str(pdf.docinfo["/Title"]) == "Avis sur les abris"
            assert pdf.Root.MarkInfo.Marked
