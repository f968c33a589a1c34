"""An opinion gathers several workshops: their most supported proposals join the annex with frozen
counts, the method section adds up their participation, the page and the PDF say the same."""

import re
import subprocess

import pytest
from sqlalchemy import select

from consultation.extensions import db
from consultation.opinions.models import Opinion, OpinionItem
from consultation.opinions.pdf import render_opinion_pdf
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_proposal, make_user, make_workshop

EN = {"Accept-Language": "en"}


@pytest.fixture()
def two_workshops(ctx):
    council = make_council()
    first = make_workshop(council, phase=Phase.DISCUSSION, title="Premier atelier")
    second = make_workshop(council, phase=Phase.SYNTHESIS, title="Second atelier")
    make_proposal(first, make_user(), title="Des bancs", supports=2)
    make_proposal(second, make_user(), title="Un arbre", supports=5)
    opinion = make_opinion(first)
    opinion.items.append(OpinionItem(proposal_id=first_proposal(first), position=1, support_count=2))
    db.session.commit()
    url = f"/councils/{council.slug}/opinions/{opinion.id}"
    return {"council": council, "first": first, "second": second, "opinion": opinion, "url": url}


def first_proposal(workshop) -> int:
    from consultation.proposals.models import Proposal

    return db.session.scalar(select(Proposal.id).where(Proposal.workshop_id == workshop.id))


def test_a_second_workshop_adds_its_proposals_and_the_page_and_pdf_say_so(app, client, login, data_app, two_workshops):
    member = make_user(Role.MEMBER, two_workshops["council"])
    login(client, member)
    page = client.get(two_workshops["url"], headers=EN).get_data(as_text=True)
    assert "Second atelier" in page  # offered in the gathering form
    response = client.post(two_workshops["url"] + "/workshops", data={"workshop": two_workshops["second"].id})
    assert response.status_code == 302
    db.session.expire_all()
    opinion = db.session.get(Opinion, two_workshops["opinion"].id)
    assert [w.title for w in opinion.workshops] == ["Premier atelier", "Second atelier"]
    assert [(i.position, i.proposal.title, i.support_count) for i in opinion.items] == [
        (1, "Des bancs", 2),
        (2, "Un arbre", 5),
    ]
    page = " ".join(client.get(two_workshops["url"], headers=EN).get_data(as_text=True).split())
    assert "The council worked from 2 workshops" in page and "Annex: proposals from the workshops" in page
    with data_app.test_request_context():
        pdf = subprocess.run(
            ["pdftotext", "-", "-"], input=render_opinion_pdf(opinion, "en"), capture_output=True, check=True
        ).stdout.decode()
    text = " ".join(pdf.split())
    assert "The council worked from 2 workshops" in text and re.search(r"Un arbre\s+5", pdf)
    again = client.post(two_workshops["url"] + "/workshops", data={"workshop": two_workshops["second"].id})
    assert again.status_code == 409  # already gathered

    assert client.post(two_workshops["url"] + f"/workshops/{two_workshops['second'].id}/remove").status_code == 302
    db.session.expire_all()
    opinion = db.session.get(Opinion, two_workshops["opinion"].id)
    assert [w.title for w in opinion.workshops] == ["Premier atelier"]
    assert [(i.position, i.proposal.title) for i in opinion.items] == [(1, "Des bancs")]


def test_gathering_is_for_the_councils_drafters_and_workshops_whose_proposals_are_closed(app, login, two_workshops):
    council = two_workshops["council"]
    url = two_workshops["url"] + "/workshops"
    resident = login(app.test_client(), make_user(Role.RESIDENT, council))
    assert resident.post(url, data={"workshop": two_workshops["second"].id}).status_code == 404  # a draft is hidden
    assert app.test_client().post(url, data={"workshop": two_workshops["second"].id}).status_code == 302  # login
    member = login(app.test_client(), make_user(Role.MEMBER, council))
    elsewhere = make_workshop(make_council(), phase=Phase.SYNTHESIS)
    assert member.post(url, data={"workshop": elsewhere.id}).status_code == 404
    still_open = make_workshop(council, phase=Phase.IDEATION)
    assert member.post(url, data={"workshop": still_open.id}, headers=EN).status_code == 409
    assert member.post(url, data={}).status_code == 409
    assert member.post(two_workshops["url"] + f"/workshops/{two_workshops['first'].id}/remove").status_code == 409
    two_workshops["opinion"].status = "adopted"
    db.session.commit()
    assert member.post(url, data={"workshop": two_workshops["second"].id}).status_code == 409  # frozen


def test_a_workshop_cited_by_a_recommendation_stays(app, login, two_workshops):
    from consultation.proposals.models import Proposal

    member = login(app.test_client(), make_user(Role.MEMBER, two_workshops["council"]))
    member.post(two_workshops["url"] + "/workshops", data={"workshop": two_workshops["second"].id})
    opinion = db.session.get(Opinion, two_workshops["opinion"].id)
    tree = db.session.scalar(select(Proposal).where(Proposal.title == "Un arbre"))
    opinion.recommendation_list[0].sources.append(tree)
    db.session.commit()
    refused = member.post(two_workshops["url"] + f"/workshops/{two_workshops['second'].id}/remove", headers=EN)
    assert refused.status_code == 409 and "remove those sources first" in refused.get_data(as_text=True)
