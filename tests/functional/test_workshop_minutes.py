"""Minutes: drafted from the record (agenda, attendance by channel, proposals with origin, merges,
results), edited, versioned, published, exported as a tagged PDF."""

import io

import pikepdf
import pytest
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.permissions import Role
from consultation.proposals.models import PaperCount, Proposal
from consultation.workshops.models import Attendance, WorkshopMinutes
from tests.factories import make_council, make_proposal, make_user, make_workshop
from tests.factories_workshops import add_agenda, make_participant

EN = {"Accept-Language": "en"}


def url(workshop):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}/minutes"


@pytest.fixture()
def held(ctx):
    council = make_council()
    workshop = make_workshop(council, title="Marché solidaire")
    add_agenda(workshop, ("Accueil", 10), ("Idées", 30))
    facilitator = make_user(Role.FACILITATOR, council, name="Maëlle")
    kept = make_proposal(workshop, make_user(name="Alice"), title="Navette du samedi", supports=2)
    duplicate = make_proposal(workshop, make_user(name="Bruno"), title="Une navette le samedi")
    duplicate.status, duplicate.merged_into_id = "merged", kept.id
    paper = Proposal(
        workshop_id=workshop.id,
        title="Étals pour les producteurs",
        body="Sur papier.",
        language="fr",
        origin="paper",
        collected_by_id=facilitator.id,
        status="accepted",
    )
    db.session.add(paper)
    db.session.flush()
    db.session.add(PaperCount(proposal_id=paper.id, count=7, collected_by_id=facilitator.id))
    phone = make_participant(workshop, name="Wilner")
    db.session.add_all(
        [
            Attendance(
                workshop_id=workshop.id, participant_id=phone.id, name="Wilner", status="present", channel="room"
            ),
            Attendance(workshop_id=workshop.id, name="Lucia", status="present", channel="online"),
            Attendance(workshop_id=workshop.id, name="Jean", status="excused", channel="room"),
        ]
    )
    db.session.commit()
    return {"workshop": workshop, "facilitator": facilitator}


def test_minutes_are_drafted_from_the_workshops_record(client, login, held):
    login(client, held["facilitator"])
    page = client.get(url(held["workshop"]) + "/edit", headers=EN).get_data(as_text=True)
    for expected in (
        "Accueil (10 minutes)",
        "1 person present in the room",
        "1 person present online",
        "1 person excused",
        "1 phone joined with the code",
        "Étals pour les producteurs",
        "7 supports, including 7 on paper",
        "collected on paper by Maëlle at the workshop Marché solidaire",
        "by Alice, Bruno",
        "“Une navette le samedi” was merged into “Navette du samedi”",
    ):
        assert expected in page, expected


def test_minutes_are_versioned_then_published_then_read_by_everyone(client, app, login, held):
    workshop = held["workshop"]
    public = app.test_client()
    assert public.get(url(workshop)).status_code == 404
    login(client, held["facilitator"])
    assert client.post(url(workshop) + "/edit", data={"body": "Première version."}).status_code == 302
    assert client.post(url(workshop) + "/edit", data={"body": "Deuxième **version**."}).status_code == 302
    bad = client.post(url(workshop) + "/edit", data={"body": "   "}, headers=EN)
    assert bad.status_code == 422 and "The minutes cannot be empty." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(WorkshopMinutes.id))) == 2
    assert public.get(url(workshop)).status_code == 404  # drafts stay with the facilitators
    assert client.post(url(workshop) + "/publish").status_code == 302
    page = public.get(url(workshop), headers=EN).get_data(as_text=True)
    assert "Deuxième <strong>version</strong>." in page and "Première" not in page
    old = client.get(url(workshop) + "?version=1").get_data(as_text=True)
    assert "Première version." in old
    assert "Read the minutes of the workshop" in public.get(
        f"/councils/{workshop.council.slug}/workshops/{workshop.id}", headers=EN
    ).get_data(as_text=True)


def test_the_minutes_pdf_is_tagged_and_says_the_same(client, login, held):
    workshop = held["workshop"]
    login(client, held["facilitator"])
    client.post(url(workshop) + "/edit", data={"body": "Le conseil retient la navette du samedi."})
    client.post(url(workshop) + "/publish")
    response = client.get(url(workshop) + ".pdf", headers=EN)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pikepdf.open(io.BytesIO(response.data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en"
        assert "Marché solidaire" in str(pdf.docinfo["/Title"])


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.MEMBER])
def test_only_facilitators_write_and_publish_minutes(app, login, held, role):
    workshop = held["workshop"]
    client = app.test_client()
    if role is not None:
        login(client, make_user(role, workshop.council))
    expected = 302 if role is None else 403
    assert client.get(url(workshop) + "/edit").status_code == expected
    assert client.post(url(workshop) + "/edit", data={"body": "Texte"}).status_code == expected
    assert client.post(url(workshop) + "/publish").status_code == expected
    assert client.get(url(workshop) + ".pdf").status_code == 404
    assert db.session.scalar(select(func.count(WorkshopMinutes.id))) == 0


def test_publishing_nothing_is_refused(client, login, held):
    login(client, held["facilitator"])
    assert client.post(url(held["workshop"]) + "/publish").status_code == 409


def test_minutes_give_each_closed_vote_with_its_channels_and_result(client, login, held):
    from consultation.voting import services as votes
    from tests.factories import NOW
    from tests.factories_votes import keys, make_vote

    workshop, facilitator = held["workshop"], held["facilitator"]
    vote = make_vote(
        workshop.council, workshop=workshop, electorate="workshop", question="Quel jour ?", options=("Samedi", "Mardi")
    )
    saturday, tuesday = keys(vote)
    for name in ("Ana", "Bruno"):
        votes.cast_participant_ballot(make_participant(workshop, name=name), vote, saturday, now=NOW)
    votes.enter_paper_counts(facilitator, vote, channel="room", counts={tuesday: 1, saturday: 2}, now=NOW)
    votes.enter_paper_counts(facilitator, vote, channel="paper", counts={tuesday: 1}, now=NOW)
    votes.close_vote(facilitator, vote, now=NOW)
    db.session.commit()
    login(client, facilitator)
    page = client.get(url(workshop) + "/edit", headers=EN).get_data(as_text=True)
    for expected in (
        "Quel jour ?",
        "(Single choice)",
        "6 ballots: 2 online, 3 by a show of hands in the room, 1 on paper",
        "1\\. Samedi: 4 (Votes)",
        "2\\. Mardi: 2 (Votes)",
        "Outcome: Chosen option: Samedi",
        "Roll call (open ballot):",
        "- Ana: Samedi",
        "- Bruno: Samedi",
    ):
        assert expected in page, expected


def test_a_secret_vote_has_no_roll_call_in_the_minutes(client, login, held):
    from consultation.voting import services as votes
    from tests.factories import NOW
    from tests.factories_votes import keys, make_vote

    workshop, facilitator = held["workshop"], held["facilitator"]
    vote = make_vote(workshop.council, workshop=workshop, electorate="workshop", question="Secret ?", is_secret=True)
    votes.cast_participant_ballot(make_participant(workshop, name="Ana"), vote, keys(vote)[0], now=NOW)
    votes.close_vote(facilitator, vote, now=NOW)
    db.session.commit()
    login(client, facilitator)
    page = client.get(url(workshop) + "/edit", headers=EN).get_data(as_text=True)
    assert "Secret ?" in page and "1 ballot: 1 online" in page
    assert "Roll call" not in page and "Ana:" not in page
