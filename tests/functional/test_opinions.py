"""An opinion's whole life: drafting with sources, history and comments, adoption by a council vote,
freezing and correction, transmission, the municipality's answer, follow-up, exports and PDFs."""

import csv
import io
import json
from datetime import date, timedelta

import pikepdf
import pytest
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.opinions import adoption
from consultation.opinions.models import Opinion, OpinionRevision
from consultation.permissions import Role
from consultation.voting import services as voting
from consultation.workshops.phases import Phase
from tests.factories import NOW, make_council, make_opinion, make_proposal, make_user, make_workshop
from tests.statements import recorded_statements

EN = {"Accept-Language": "en"}


def new_opinion_url(workshop):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}/opinions/new"


def opinion_url(opinion):
    return f"/councils/{opinion.council.slug}/opinions/{opinion.id}"


def test_member_drafts_an_opinion_with_recommendations_linked_to_their_sources(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    low = make_proposal(workshop, title="Peu soutenue", supports=1)
    high = make_proposal(workshop, title="La plus soutenue", supports=3)
    make_proposal(workshop, title="Sans soutien")
    login(client, make_user(Role.MEMBER, council))
    form_page = client.get(new_opinion_url(workshop)).get_data(as_text=True)
    assert form_page.index("La plus soutenue") < form_page.index("Peu soutenue")
    response = client.post(
        new_opinion_url(workshop),
        data={
            "title": "Avis sur les mobilités",
            "context": "Le conseil s'est saisi de la question.",
            "recommendations-0-text": "**Éclairer** les passages.",
            "recommendations-0-sources": [str(high.id), str(low.id)],
            "dissent": "Une minorité préfère des ralentisseurs.",
            "top": "2",
        },
    )
    assert response.status_code == 302
    opinion = db.session.scalar(select(Opinion))
    assert [(i.proposal.title, i.support_count) for i in opinion.items] == [
        ("La plus soutenue", 3),
        ("Peu soutenue", 1),
    ]
    assert [p.title for p in opinion.recommendation_list[0].sources] == ["Peu soutenue", "La plus soutenue"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Éclairer</strong>" in page and "Une minorité préfère des ralentisseurs." in page
    assert db.session.scalar(select(func.count(OpinionRevision.id))) == 1


def test_add_a_recommendation_keeps_what_was_typed(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    login(client, make_user(Role.MEMBER, council))
    response = client.post(
        new_opinion_url(workshop),
        data={"title": "Avis en cours", "recommendations-0-text": "Première", "top": "3", "add_recommendation": "1"},
    )
    page = response.get_data(as_text=True)
    assert 'name="recommendations-1-text"' in page and "Première" in page and 'value="Avis en cours"' in page
    assert db.session.scalar(select(func.count(Opinion.id))) == 0


def test_no_opinion_while_proposals_are_still_coming(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    login(client, make_user(Role.MEMBER, council))
    assert client.get(new_opinion_url(workshop)).status_code == 409


def test_bad_opinion_input_is_shown_again(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    login(client, make_user(Role.MEMBER, council))
    response = client.post(
        new_opinion_url(workshop), data={"title": "Avis complet", "recommendations-0-text": "", "top": "abc"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Avis complet"' in page and 'value="abc"' in page
    assert db.session.scalar(select(func.count(Opinion.id))) == 0


def test_an_opinion_needs_a_recommendation(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    login(client, make_user(Role.MEMBER, council))
    response = client.post(new_opinion_url(workshop), data={"title": "Avis sans rien", "top": "3"}, headers=EN)
    assert response.status_code == 422 and "Write at least one recommendation." in response.get_data(as_text=True)


def test_each_save_is_a_revision_with_a_diff(client, login):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION))
    login(client, make_user(Role.MEMBER, council))
    for text in ("Première version du texte.", "Seconde version du texte."):
        assert (
            client.post(
                opinion_url(opinion) + "/edit", data={"title": "Avis révisé", "recommendations-0-text": text}
            ).status_code
            == 302
        )
    page = client.get(opinion_url(opinion) + "/history?from=1&to=2", headers=EN).get_data(as_text=True)
    assert '<del><span class="visually-hidden">Removed: </span>1. Première version du texte.</del>' in page
    assert '<ins><span class="visually-hidden">Added: </span>1. Seconde version du texte.</ins>' in page


def test_members_comment_on_a_draft(client, login):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION))
    login(client, make_user(Role.MEMBER, council))
    assert client.post(opinion_url(opinion) + "/comments", data={"body": "Ajoutons un chiffre."}).status_code == 302
    assert "Ajoutons un chiffre." in client.get(opinion_url(opinion)).get_data(as_text=True)


def _vote_on(opinion, secretary, members, ballots, *, quorum=None, majority="simple"):
    with db.session.no_autoflush:
        vote = adoption.start_adoption_vote(
            secretary, opinion, is_secret=False, majority=majority, quorum=quorum, language="fr", now=NOW
        )
    voting.open_vote(secretary, vote, now=NOW)
    for member, ballot in zip(members, ballots, strict=False):
        voting.cast_ballot(member, vote, ballot, now=NOW)
    voting.close_vote(secretary, vote, now=NOW + timedelta(hours=1))
    db.session.commit()
    return vote


@pytest.fixture()
def council_with_members(ctx):
    council = make_council()
    secretary = make_user(Role.SECRETARY, council)
    members = [make_user(Role.MEMBER, council) for _ in range(4)]
    return council, secretary, members


@pytest.mark.parametrize(
    ("ballots", "quorum", "adopted"),
    [
        (["yes", "yes", "no", "abstain"], None, True),
        (["yes", "no", "no"], None, False),
        (["yes", "yes"], 4, False),
    ],
    ids=["adopted", "rejected", "quorum-not-reached"],
)
def test_adoption_by_the_councils_vote(client, login, council_with_members, ballots, quorum, adopted):
    council, secretary, members = council_with_members
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION))
    _vote_on(opinion, secretary, members, ballots, quorum=quorum)
    login(client, secretary)
    assert client.post(opinion_url(opinion) + "/record").status_code == 302
    db.session.refresh(opinion)
    assert opinion.is_frozen is adopted
    if adopted:
        assert opinion.number == f"{NOW.year}-01" and opinion.adopted_at is not None
        edit = client.post(opinion_url(opinion) + "/edit", data={"title": "Changé", "recommendations-0-text": "x"})
        assert edit.status_code == 409
    else:
        assert opinion.number is None and opinion.status == "draft"


def test_a_correction_is_a_new_linked_version(client, login, council_with_members):
    council, secretary, members = council_with_members
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION))
    _vote_on(opinion, secretary, members, ["yes", "yes", "yes"])
    login(client, secretary)
    client.post(opinion_url(opinion) + "/record")
    response = client.post(opinion_url(opinion) + "/correct")
    newer = db.session.scalar(select(Opinion).where(Opinion.previous_version_id == opinion.id))
    assert response.status_code == 302 and newer.version == 2 and newer.status == "draft"
    assert [r.text for r in newer.recommendation_list] == [r.text for r in opinion.recommendation_list]
    db.session.refresh(opinion)
    assert opinion.is_frozen


def test_transmission_answer_and_follow_up(client, login, council_with_members):
    council, secretary, members = council_with_members
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION))
    _vote_on(opinion, secretary, members, ["yes", "yes"])
    officer = make_user(Role.OFFICER, council)
    login(client, secretary)
    client.post(opinion_url(opinion) + "/record")
    transmitted = date(2026, 12, 1)
    assert (
        client.post(
            opinion_url(opinion) + "/transmit", data={"addressee": "Monsieur le Maire", "on": transmitted.isoformat()}
        ).status_code
        == 302
    )
    assert "Answer due on March 1, 2027" in client.get(opinion_url(opinion), headers=EN).get_data(as_text=True)
    assert client.get(opinion_url(opinion) + "/answer").status_code == 403  # the secretary does not answer

    officer_client = client.application.test_client()
    login(officer_client, officer)
    assert officer_client.post(opinion_url(opinion) + "/acknowledge", data={"on": "2026-12-05"}).status_code == 302
    bad = officer_client.post(
        opinion_url(opinion) + "/answer", data={"answered_on": "2027-01-10", "summary": ""}, headers=EN
    )
    assert bad.status_code == 422
    response = officer_client.post(
        opinion_url(opinion) + "/answer",
        data={
            "answered_on": "2027-01-10",
            "summary": "La ville retient la recommandation.",
            "answers-0-status": "partly",
            "answers-0-reason": "Sur deux rues d'abord.",
            "answers-0-expected_on": "2027-06-01",
        },
    )
    assert response.status_code == 302
    page = client.get(opinion_url(opinion), headers=EN).get_data(as_text=True)
    assert "Answered on January 10, 2027" in page and "Partly accepted" in page and "Sur deux rues d&#39;abord." in page


def test_overdue_answers_are_shown_as_such(client, ctx):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="adopted")
    opinion.transmitted_on = date(2020, 1, 15)
    db.session.commit()
    page = client.get(opinion_url(opinion), headers=EN).get_data(as_text=True)
    assert "Answer overdue since April 15, 2020" in page
    listing = client.get(f"/councils/{council.slug}/opinions?follow=overdue", headers=EN).get_data(as_text=True)
    assert opinion.title in listing
    assert opinion.title not in client.get(f"/councils/{council.slug}/opinions?follow=answered").get_data(as_text=True)


def test_residents_follow_an_adopted_opinion(client, login):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="adopted")
    login(client, make_user())
    client.post(opinion_url(opinion) + "/follow")
    client.post(opinion_url(opinion) + "/follow")
    assert "Stop following" in client.get(opinion_url(opinion), headers=EN).get_data(as_text=True)
    client.post(opinion_url(opinion) + "/unfollow")
    assert "Follow this opinion" in client.get(opinion_url(opinion), headers=EN).get_data(as_text=True)


def test_open_data_exports_hold_no_personal_data_and_no_formula(client, ctx):
    council = make_council()
    author = make_user(email="secret-person@example.org", name="Nom Privé")
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), author, status="adopted")
    opinion.recommendation_list[0].text = '=HYPERLINK("http://evil")'
    make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="draft")
    db.session.commit()
    as_csv = client.get(f"/councils/{council.slug}/opinions.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(rows) == 1 and rows[0]["recommendation_text"].startswith("'=")
    as_json = client.get(f"/councils/{council.slug}/opinions.json").get_json()
    assert len(as_json["opinions"]) == 1
    for body in (as_csv, json.dumps(as_json)):
        assert "secret-person" not in body and "Nom Privé" not in body


def test_archive_pdf_carries_the_data(client, ctx):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    make_proposal(workshop, title="Un jardin partagé", supports=3)
    opinion = make_opinion(workshop, status="adopted")
    response = client.get(opinion_url(opinion) + ".pdf?variant=archive")
    with pikepdf.open(io.BytesIO(response.data)) as pdf:
        assert set(pdf.attachments) == {"opinion.json", "opinion.csv"}
        data = json.loads(pdf.attachments["opinion.json"].get_file().read_bytes())
        assert data["recommendations"][0]["text"] == "Éclairer les passages piétons."
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "fr"


def test_opinion_pdf_is_tagged_in_the_interface_language(client, login):
    council = make_council(name="Conseil citoyen de Macouria")
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    make_proposal(workshop, title="Un abri au carbet", supports=2)
    login(client, make_user(Role.MEMBER, council))
    client.post(
        new_opinion_url(workshop),
        data={"title": "Avis sur les abris", "recommendations-0-text": "Construire des abris.", "top": "5"},
    )
    opinion = db.session.scalar(select(Opinion))
    for lang in ("fr", "en"):
        client.post("/language", data={"language": lang})
        response = client.get(opinion_url(opinion) + ".pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        with pikepdf.open(io.BytesIO(response.data)) as pdf:
            assert str(pdf.Root.Lang) == lang
            assert "/StructTreeRoot" in pdf.Root
            assert str(pdf.docinfo["/Title"]) == "Avis sur les abris"
            assert pdf.Root.MarkInfo.Marked


def test_opinion_page_query_count_does_not_grow_with_recommendations(client, ctx):
    from consultation.opinions.models import Recommendation

    council = make_council()
    small = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="adopted")
    large = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="adopted")
    for position in range(2, 20):
        large.recommendation_list.append(Recommendation(position=position, text=f"Recommandation {position}"))
    db.session.commit()
    urls = [opinion_url(small), opinion_url(large)]

    def count(url):
        db.session.remove()
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert count(urls[1]) == count(urls[0])


def test_members_and_followers_are_notified_of_the_answer(client, login, council_with_members):
    council, secretary, members = council_with_members
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="adopted")
    opinion.transmitted_on = date(2026, 12, 1)
    resident, officer = make_user(), make_user(Role.OFFICER, council)
    db.session.commit()
    login(client, resident)
    client.post(opinion_url(opinion) + "/follow")
    officer_client = client.application.test_client()
    login(officer_client, officer)
    officer_client.post(
        opinion_url(opinion) + "/answer",
        data={
            "answered_on": "2027-01-10",
            "summary": "Réponse.",
            "answers-0-status": "accepted",
            "answers-0-reason": "Oui.",
        },
    )
    page = client.get("/notifications", headers=EN).get_data(as_text=True)
    assert "The municipality answered the opinion" in page and opinion_url(opinion) in page
    member_client = client.application.test_client()
    login(member_client, members[0])
    assert "The municipality answered the opinion" in member_client.get("/notifications", headers=EN).get_data(
        as_text=True
    )
    assert "You have no notification." in officer_client.get("/notifications", headers=EN).get_data(as_text=True)
    client.post("/notifications/read")
    assert '<strong class="badge">' not in client.get("/notifications").get_data(as_text=True)
