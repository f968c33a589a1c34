"""An opinion's PDF says what its page says, is tagged, carries its language, and is reproducible."""

import io
import re
import subprocess

import pikepdf
import pytest

from consultation.extensions import db
from consultation.opinions.pdf import render_opinion_pdf
from consultation.opinions.services import OpinionDraft, RecommendationDraft, create_opinion
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_proposal, make_user, make_workshop


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture()
def opinion(ctx, data_app):
    council = make_council(name="Conseil citoyen de Pantin")
    workshop = make_workshop(council, phase=Phase.DISCUSSION, title="Les rez-de-chaussée des Quatre-Chemins")
    for title, supports in (("Une recyclerie", 4), ("Un café associatif", 2), ("Une épicerie solidaire", 7)):
        make_proposal(workshop, title=title, supports=supports)
    member = make_user(Role.MEMBER, council)
    with data_app.test_request_context():
        draft = OpinionDraft(
            title="Avis sur les rez-de-chaussée",
            recommendations=(RecommendationDraft("**Réserver** des locaux à l'ESS."),),
            dissent="Une minorité préfère des logements.",
        )
        made = create_opinion(member, workshop, draft, language="fr", top=10, now=workshop.starts_at)
    db.session.commit()
    return made


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_pdf_is_tagged_with_language_title_and_author(data_app, opinion, lang):
    with data_app.test_request_context():
        data = render_opinion_pdf(opinion, lang)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == lang
        assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
        assert str(pdf.docinfo["/Title"]) == "Avis sur les rez-de-chaussée"
        assert str(pdf.docinfo["/Author"]) == "Conseil citoyen de Pantin"


def test_pdf_lists_the_proposals_with_the_counts_of_the_page(client, login, data_app, opinion):
    with data_app.test_request_context():
        text = pdf_text(render_opinion_pdf(opinion, "fr"))
    login(client, make_user(Role.MEMBER, opinion.council))
    page = client.get(f"/councils/{opinion.council.slug}/opinions/{opinion.id}").get_data(as_text=True)
    for title, count in (("Une épicerie solidaire", 7), ("Une recyclerie", 4), ("Un café associatif", 2)):
        assert re.search(rf"{title}\s+{count}\b", text), text
        assert re.search(rf"{title}</td>\s*<td class=\"numeric\">{count}</td>", page)
    assert text.index("Une épicerie solidaire") < text.index("Une recyclerie") < text.index("Un café associatif")
    assert "Réserver des locaux à l'ESS" in text and "Conseil citoyen de Pantin" in text
    assert re.search(r"Page 1 sur \d+", text)


def test_the_same_opinion_exported_twice_gives_the_same_text(data_app, opinion):
    with data_app.test_request_context():
        assert pdf_text(render_opinion_pdf(opinion, "fr")) == pdf_text(render_opinion_pdf(opinion, "fr"))


def test_hostile_text_is_printed_not_executed(data_app, opinion):
    opinion.recommendation_list[0].text = "<script>alert(1)</script> [lien](javascript:alert(1)) =SUM(A1)"
    with data_app.test_request_context():
        text = pdf_text(render_opinion_pdf(opinion, "fr"))
    assert "<script>alert(1)</script>" in text
    db.session.rollback()


def test_a_300_proposal_opinion_exports_every_proposal(ctx, data_app):
    from consultation.opinions.models import OpinionItem
    from consultation.proposals.models import Proposal

    council = make_council(name="Conseil citoyen de Dieppe-Maritime")
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    author = make_user()
    proposals = [
        Proposal(workshop=workshop, author=author, title=f"Proposition numéro {n:03d}", body="Texte.", language="fr")
        for n in range(1, 301)
    ]
    db.session.add_all(proposals)
    db.session.flush()
    from tests.factories import make_opinion

    opinion = make_opinion(workshop)
    for position, proposal in enumerate(proposals, start=1):
        opinion.items.append(OpinionItem(proposal_id=proposal.id, position=position, support_count=301 - position))
    db.session.commit()
    with data_app.test_request_context():
        data = render_opinion_pdf(opinion, "fr")
    text = pdf_text(data)
    assert all(f"Proposition numéro {n:03d}" in text for n in range(1, 301))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) > 5 and "/StructTreeRoot" in pdf.Root


def test_page_and_pdf_give_the_same_participation_figures(client, login, data_app, opinion):
    from consultation.proposals.models import PaperCount, Proposal
    from consultation.workshops.models import Attendance

    workshop = opinion.workshop
    paper = Proposal(workshop=workshop, title="Notée sur un post-it", body="Texte.", language="fr", origin="paper")
    db.session.add(paper)
    db.session.flush()
    db.session.add(PaperCount(proposal_id=paper.id, count=5))
    db.session.add_all(
        [Attendance(workshop_id=workshop.id, name=f"P{n}", status="present", channel="room") for n in range(3)]
    )
    db.session.add(Attendance(workshop_id=workshop.id, name="En ligne", status="present", channel="online"))
    db.session.commit()
    with data_app.test_request_context():
        text = pdf_text(render_opinion_pdf(opinion, "en"))
    login(client, make_user(Role.MEMBER, opinion.council))
    page = client.get(
        f"/councils/{opinion.council.slug}/opinions/{opinion.id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    # online / in the room: present 1 / 3, proposals 3 / 1, supports 13 / 5
    for label, online, room in (("People present", 1, 3), ("Proposals", 3, 1), ("Supports", 13, 5)):
        assert re.search(rf"{label}\s+{online}\s+{room}\b", text), text
        assert re.search(
            rf"<th scope=\"row\">{label}</th><td class=\"numeric\">{online}</td><td class=\"numeric\">{room}</td>", page
        )


def test_arabic_pdf_is_right_to_left_and_in_arabic(data_app, opinion):
    with data_app.test_request_context():
        data = render_opinion_pdf(opinion, "ar")
    text = pdf_text(data)
    assert "مجلس" in text or "المجلس" in text  # "council", from the Arabic catalog
    assert "Une épicerie solidaire" in text  # people's text stays in its own language
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == "ar"


def test_recommendations_cite_the_workshops_vote_and_the_annex_lists_it_on_page_and_pdf(
    client, login, data_app, opinion
):
    from consultation.proposals.models import Proposal
    from consultation.voting import services as votes
    from tests.factories import NOW
    from tests.factories_votes import keys, make_vote
    from tests.factories_workshops import make_participant

    workshop = opinion.workshop
    proposals = db.session.scalars(
        db.select(Proposal).where(Proposal.workshop_id == workshop.id).order_by(Proposal.id)
    ).all()
    shop = next(p for p in proposals if p.title == "Une épicerie solidaire")
    vote = make_vote(workshop.council, workshop=workshop, electorate="workshop", question="Quel local ?", options=())
    facilitator = make_user(Role.FACILITATOR, workshop.council)
    votes.update_vote(
        facilitator,
        vote,
        votes.VoteSettings(
            question="Quel local ?", method="plurality", electorate="workshop", proposal_ids=[p.id for p in proposals]
        ),
    )
    shop_key = next(o.key for o in vote.options if o.proposal_id == shop.id)
    for name in ("Ana", "Bruno", "Chen"):
        votes.cast_participant_ballot(make_participant(workshop, name=name), vote, shop_key, now=NOW)
    # One paper ballot for another option (not the first key: the options follow the proposals' order).
    other_key = next(key for key in keys(vote) if key != shop_key)
    votes.enter_paper_counts(facilitator, vote, channel="paper", counts={other_key: 1}, now=NOW)
    votes.close_vote(facilitator, vote, now=NOW)
    opinion.recommendation_list[0].sources.append(shop)
    db.session.commit()
    with data_app.test_request_context():
        text = " ".join(pdf_text(render_opinion_pdf(opinion, "en")).split())
    login(client, make_user(Role.MEMBER, opinion.council))
    page = client.get(
        f"/councils/{opinion.council.slug}/opinions/{opinion.id}", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    for where in (text, " ".join(page.split())):
        assert "rank 1 in the vote “Quel local ?” (Votes: 3)" in where
        assert "Annex: the workshop's votes" in where.replace("&#39;", "'")
        assert "4 ballots: 3 online, 1 on paper" in where
