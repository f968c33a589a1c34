"""An opinion gathers online consultations: it can start from a closed consultation, or gather one
beside its workshops. Their most supported visible proposals join the annex with frozen counts, the
method section gives their participation figures, and the page, the PDF and the API say the same."""

import re
import subprocess

import pytest
from sqlalchemy import select

from consultation.consultations.models import ProposalComment
from consultation.extensions import db
from consultation.opinions.models import Opinion, OpinionItem, Recommendation
from consultation.opinions.pdf import render_opinion_pdf
from consultation.permissions import Role
from consultation.web import utcnow
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_proposal, make_user, make_workshop
from tests.factories_consultations import make_consultation, make_consultation_proposal

EN = {"Accept-Language": "en"}


@pytest.fixture()
def closed(ctx):
    council = make_council()
    consultation = make_consultation(council, status="closed", title="Le bourg en 2030")
    resident = make_user()
    make_consultation_proposal(consultation, resident, title="Des bancs à l'ombre", supports=3, comments=2)
    make_consultation_proposal(consultation, make_user(), title="Un marché le soir", supports=1)
    hidden = make_consultation_proposal(consultation, make_user(), title="Texte masqué", supports=9)
    hidden.hidden_at = utcnow()
    make_consultation_proposal(consultation, make_user(), title="Retirée", status="withdrawn", supports=7)
    db.session.commit()
    return {"council": council, "consultation": consultation, "resident": resident}


def _new_url(council, consultation) -> str:
    return f"/councils/{council.slug}/consultations/{consultation.id}/opinions/new"


def _pdf_text(data_app, opinion) -> str:
    with data_app.test_request_context():
        pdf = render_opinion_pdf(opinion, "en")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_an_opinion_starts_from_a_closed_consultation_and_page_pdf_and_api_agree(client, login, data_app, closed):
    council, consultation = closed["council"], closed["consultation"]
    login(client, make_user(Role.MEMBER, council))
    show = client.get(f"/councils/{council.slug}/consultations/{consultation.id}", headers=EN).get_data(as_text=True)
    assert "Draft an opinion from this consultation" in show
    form = client.get(_new_url(council, consultation), headers=EN).get_data(as_text=True)
    assert "Des bancs à l&#39;ombre" in form and "Texte masqué" not in form and "Retirée" not in form
    response = client.post(
        _new_url(council, consultation),
        data={"title": "Avis sur le bourg", "top": "10", "recommendations-0-text": "Planter des arbres"},
        headers=EN,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    opinion = db.session.scalar(select(Opinion).where(Opinion.title == "Avis sur le bourg"))
    assert opinion.workshop_id is None and opinion.consultation_ids == [consultation.id]
    assert [(i.position, i.proposal.title, i.support_count) for i in opinion.items] == [
        (1, "Des bancs à l'ombre", 3),
        (2, "Un marché le soir", 1),
    ]

    page = " ".join(
        client.get(f"/councils/{council.slug}/opinions/{opinion.id}", headers=EN).get_data(as_text=True).split()
    )
    assert "The council worked from an online consultation" in page and "Le bourg en 2030" in page
    assert "Annex: proposals from the consultation" in page
    # 4 proposals received (hidden and withdrawn ones count as participation), 20 supports, 2 comments,
    # and 24 residents: 4 authors + 20 supporters, each counted once.
    figures = re.search(r"Participation in the online consultations.*?</table>", page).group(0)
    cells = re.findall(r'<td class="numeric">([\d ,.\u202f\xa0]+)</td>', figures)
    assert cells == ["24", "4", "20", "2"]

    text = " ".join(_pdf_text(data_app, opinion).split())
    assert "The council worked from an online consultation" in text
    assert "Participation in the online consultations" in text and "Residents who took part 24" in text
    assert re.search(r"Des bancs à l.ombre 3", text)

    opinion.status, opinion.number, opinion.adopted_at = "adopted", "2026-09", utcnow()
    db.session.commit()
    api = client.get(f"/api/v1/opinions/{opinion.id}").get_json()
    assert api["consultation_ids"] == [consultation.id] and api["workshop_id"] is None


def test_only_drafters_of_the_council_start_from_a_closed_consultation(app, login, closed):
    council, consultation = closed["council"], closed["consultation"]
    url = _new_url(council, consultation)
    assert app.test_client().get(url).status_code == 302  # to the login page
    resident = login(app.test_client(), closed["resident"])
    assert resident.get(url).status_code == 403
    assert resident.post(url, data={"title": "x", "top": "10"}).status_code == 403
    outsider = login(app.test_client(), make_user(Role.FACILITATOR, make_council()))
    assert outsider.get(url).status_code == 403
    member = login(app.test_client(), make_user(Role.MEMBER, council))
    still_open = make_consultation(council, status="open")
    assert member.get(_new_url(council, still_open)).status_code == 409
    elsewhere = make_consultation(make_council(), status="closed")
    assert member.get(_new_url(council, elsewhere)).status_code == 404
    draft = make_consultation(council, status="draft")
    assert member.get(_new_url(council, draft)).status_code == 404
    assert member.post(url, data={"title": "", "top": "10"}).status_code == 422  # the form says why


def test_a_workshop_opinion_gathers_a_consultation_then_lets_it_go(client, login, data_app, closed):
    council, consultation = closed["council"], closed["consultation"]
    workshop = make_workshop(council, phase=Phase.SYNTHESIS, title="Atelier du bourg")
    proposal = make_proposal(workshop, make_user(), title="Un arbre", supports=5)
    opinion = make_opinion(workshop)
    opinion.items.append(OpinionItem(proposal_id=proposal.id, position=1, support_count=5))
    db.session.commit()
    url = f"/councils/{council.slug}/opinions/{opinion.id}"
    login(client, make_user(Role.MEMBER, council))
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "Gather a closed online consultation of the council" in page and "Le bourg en 2030" in page
    assert client.post(url + "/consultations", data={"consultation": consultation.id}).status_code == 302
    assert client.post(url + "/consultations", data={"consultation": consultation.id}).status_code == 409
    db.session.expire_all()
    opinion = db.session.get(Opinion, opinion.id)
    assert [i.proposal.title for i in opinion.items] == ["Un arbre", "Des bancs à l'ombre", "Un marché le soir"]
    page = " ".join(client.get(url, headers=EN).get_data(as_text=True).split())
    assert "The council also gathered an online consultation" in page
    assert "Annex: proposals from the workshops and consultations" in page
    text = " ".join(_pdf_text(data_app, opinion).split())
    assert "The council also gathered an online consultation" in text and "Le bourg en 2030" in text

    # A consultation cited by a recommendation stays.
    cited = next(i.proposal for i in opinion.items if i.proposal.consultation_id == consultation.id)
    recommendation = Recommendation(opinion_id=opinion.id, position=99, text="Des bancs")
    recommendation.sources.append(cited)
    db.session.add(recommendation)
    db.session.commit()
    assert client.post(url + f"/consultations/{consultation.id}/remove").status_code == 409
    db.session.delete(recommendation)
    db.session.commit()
    assert client.post(url + f"/consultations/{consultation.id}/remove").status_code == 302
    db.session.expire_all()
    opinion = db.session.get(Opinion, opinion.id)
    assert opinion.consultations == [] and [i.proposal.title for i in opinion.items] == ["Un arbre"]


def test_gathering_a_consultation_is_refused_to_others_and_for_open_or_foreign_ones(app, login, closed):
    council, consultation = closed["council"], closed["consultation"]
    workshop = make_workshop(council, phase=Phase.SYNTHESIS)
    opinion = make_opinion(workshop)
    url = f"/councils/{council.slug}/opinions/{opinion.id}/consultations"
    resident = login(app.test_client(), closed["resident"])
    assert resident.post(url, data={"consultation": consultation.id}).status_code in (403, 404)
    outsider = login(app.test_client(), make_user(Role.FACILITATOR, make_council()))
    assert outsider.post(url, data={"consultation": consultation.id}).status_code in (403, 404)
    member = login(app.test_client(), make_user(Role.MEMBER, council))
    assert member.post(url, data={"consultation": make_consultation(council, status="open").id}).status_code == 409
    assert (
        member.post(url, data={"consultation": make_consultation(make_council(), status="closed").id}).status_code
        == 404
    )
    assert member.post(url, data={}).status_code == 409
    opinion.status = "adopted"
    db.session.commit()
    assert member.post(url, data={"consultation": consultation.id}).status_code in (403, 409)
    assert db.session.get(Opinion, opinion.id).consultations == []


def test_the_method_figures_take_a_fixed_number_of_queries(ctx):
    from consultation.opinions.figures import method_figures
    from tests.statements import recorded_statements

    council = make_council()
    small, large = make_consultation(council, status="closed"), make_consultation(council, status="closed")
    make_consultation_proposal(small, make_user(), supports=1)
    for _ in range(6):
        make_consultation_proposal(large, make_user(), supports=2, comments=1)
    counts = []
    for consultation_id in (small.id, large.id):
        with recorded_statements() as statements:
            figures = method_figures([], [consultation_id])
        counts.append(sum(1 for statement in statements if statement.lstrip().upper().startswith("SELECT")))
    assert figures.consultation_proposals == 6 and figures.consultation_comments == 6
    assert figures.consultation_supports == 12 and figures.consultation_contributors == 18
    assert counts[0] == counts[1] == 1
    assert db.session.scalar(select(ProposalComment.id).limit(1)) is not None
