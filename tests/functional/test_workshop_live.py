"""Running a workshop live: joining by code without an account, the console, moderation, paper input,
the projector's polling with ETag/304, and the history of facilitator actions."""

import pytest
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.permissions import Role
from consultation.proposals.models import PaperCount, Proposal, ProposalRevision, Support
from consultation.workshops.models import AgendaItem, WorkshopEvent, WorkshopParticipant
from consultation.workshops.phases import Phase
from tests.factories import NOW, make_council, make_proposal, make_user, make_workshop
from tests.factories_workshops import add_agenda, give_join_code, make_participant
from tests.statements import recorded_statements

EN = {"Accept-Language": "en"}


def console(workshop):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}/console"


def projector(workshop):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}/projector"


def join_as(client, code, name=""):
    response = client.post(f"/join/{code}", data={"display_name": name, "charter": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def test_a_person_without_an_account_joins_by_code_submits_and_supports(client):
    workshop = make_workshop(make_council())
    code = give_join_code(workshop)
    entered = client.post("/join", data={"code": code.lower()[:3] + " " + code.lower()[3:]})
    assert entered.status_code == 302 and entered.headers["Location"].endswith(f"/join/{code}")
    assert "participation charter" in client.get(f"/join/{code}", headers=EN).get_data(as_text=True)
    join_as(client, code, "Wilner")
    participant = db.session.scalar(select(WorkshopParticipant))
    assert (participant.display_name, participant.user_id) == ("Wilner", None)
    response = client.post(
        f"/join/{code}/proposals", data={"title": "Un abri à l'arrêt", "body": "Les enfants attendent sous la pluie."}
    )
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.participant_id, proposal.author_id, proposal.origin) == (participant.id, None, "online")
    for _ in range(2):  # a double tap counts once
        assert client.post(f"/join/{code}/proposals/{proposal.id}/support").status_code == 302
    assert db.session.scalar(select(func.count(Support.id))) == 1
    page = client.get(f"/join/{code}", headers=EN).get_data(as_text=True)
    assert "By <bdi>Wilner</bdi>" in page and "1 support" in page and "Withdraw my support" in page
    client.post(f"/join/{code}/proposals/{proposal.id}/unsupport")
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_joining_needs_the_charter_and_keeps_what_was_typed(client):
    workshop = make_workshop(make_council())
    code = give_join_code(workshop)
    response = client.post(f"/join/{code}", data={"display_name": "Ana"}, headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Ana"' in page and "Accept the participation charter to take part." in page
    assert db.session.scalar(select(func.count(WorkshopParticipant.id))) == 0


def test_wrong_codes_are_refused_with_a_message(client):
    workshop = make_workshop(make_council())
    give_join_code(workshop)
    response = client.post("/join", data={"code": "KT0MXA"}, headers=EN)
    assert response.status_code == 422
    assert "No open workshop has this code." in response.get_data(as_text=True)
    assert client.get("/join/AAAAAA").status_code == 404
    assert client.get("/join/%3Cscript%3E").status_code == 404


def test_draft_and_closed_workshops_cannot_be_joined(client):
    draft = make_workshop(make_council(), is_published=False)
    closed = make_workshop(make_council(), phase=Phase.CLOSED)
    for workshop in (draft, closed):
        assert client.get(f"/join/{give_join_code(workshop)}").status_code == 404


def test_phone_actions_need_a_participant_identity(client):
    workshop = make_workshop(make_council())
    code = give_join_code(workshop)
    proposal = make_proposal(workshop)
    assert (
        client.post(f"/join/{code}/proposals", data={"title": "Un titre", "body": "Un texte assez long"}).status_code
        == 302
    )
    assert client.post(f"/join/{code}/proposals/{proposal.id}/support").status_code == 302
    assert client.get(f"/join/{code}/live").status_code == 404
    assert db.session.scalar(select(func.count(Support.id))) == 0
    assert db.session.scalar(select(func.count(Proposal.id))) == 1


def test_a_bad_phone_proposal_is_shown_again(client):
    workshop = make_workshop(make_council())
    code = join_as(client, give_join_code(workshop)) and workshop.join_code
    response = client.post(f"/join/{code}/proposals", data={"title": "Abri", "body": "<i>court</i>"}, headers=EN)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="Abri"' in page and "&lt;i&gt;court&lt;/i&gt;" in page


def test_a_person_with_an_account_who_joins_is_linked_and_supports_once(client, app, login):
    council = make_council()
    workshop = make_workshop(council)
    code = give_join_code(workshop)
    proposal = make_proposal(workshop)
    person = make_user(name="Marie-José")
    login(client, person)
    join_as(client, code)
    participant = db.session.scalar(select(WorkshopParticipant))
    assert participant.user_id == person.id
    client.post(f"/councils/{council.slug}/workshops/{workshop.id}/proposals/{proposal.id}/support")
    client.post(f"/join/{code}/proposals/{proposal.id}/support")
    assert db.session.scalar(select(func.count(Support.id))) == 1
    other_phone = login(app.test_client(), person)  # the same account on another phone finds its identity
    assert other_phone.get(f"/join/{code}").status_code == 200
    assert db.session.scalar(select(func.count(WorkshopParticipant.id))) == 1


def test_proposals_are_closed_outside_ideation_on_phones(client):
    workshop = make_workshop(make_council(), phase=Phase.VOTE)
    code = give_join_code(workshop)
    join_as(client, code)
    response = client.post(f"/join/{code}/proposals", data={"title": "Un titre", "body": "Un texte assez long"})
    assert response.status_code == 409


ROLES = ["anonymous", "resident", "facilitator_elsewhere", "member", "facilitator", "admin"]


@pytest.fixture()
def running(ctx):
    council, other = make_council(), make_council()
    workshop = make_workshop(council)
    give_join_code(workshop)
    proposal = make_proposal(workshop, make_user())
    item = add_agenda(workshop, ("Idées", 20))[0]
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "member": make_user(Role.MEMBER, council),
        "facilitator": make_user(Role.FACILITATOR, council),
        "admin": make_user(is_admin=True),
    }
    return {"workshop": workshop, "proposal": proposal, "item": item, "people": people}


CONSOLE_MATRIX = [
    ("GET", "/console", {}),
    ("GET", "/projector", {}),
    ("GET", "/projector/live", {}),
    ("POST", "/console/agenda/{item}/start", {}),
    ("POST", "/console/agenda/end", {}),
    ("POST", "/console/proposals/{proposal}/accept", {}),
    ("POST", "/console/proposals/{proposal}/reject", {"reject-{proposal}-reason": "Hors sujet"}),
    (
        "POST",
        "/console/proposals/{proposal}/edit",
        {"edit-{proposal}-title": "Titre corrigé", "edit-{proposal}-body": "Texte corrigé ici"},
    ),
    ("POST", "/console/merge", {}),
    ("POST", "/console/paper-proposals", {"paper-title": "Note papier", "paper-body": "Une note collée au mur"}),
    ("POST", "/console/paper-counts", {"count-proposal": "{proposal}", "count-count": "3"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data"), CONSOLE_MATRIX, ids=[f"{m} {p}" for m, p, _d in CONSOLE_MATRIX])
def test_only_the_councils_facilitators_run_the_console(app, running, login, role, method, path, data):
    client = app.test_client()
    if running["people"][role] is not None:
        login(client, running["people"][role])
    ids = {"item": running["item"].id, "proposal": running["proposal"].id}
    url = f"/councils/{running['workshop'].council.slug}/workshops/{running['workshop'].id}" + path.format(**ids)
    form = {k.format(**ids): v.format(**ids) for k, v in data.items()}
    response = client.open(url, method=method, data=form)
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login" in response.headers["Location"]
    elif role in ("facilitator", "admin"):
        assert response.status_code in (200, 302, 422)
    else:
        assert response.status_code == 403
    if role not in ("facilitator", "admin"):
        assert db.session.scalar(select(func.count(WorkshopEvent.id))) == 0


def test_console_starts_an_agenda_item_with_a_visible_timer(client, login):
    council = make_council()
    workshop = make_workshop(council)
    give_join_code(workshop)
    first, second = add_agenda(workshop, ("Accueil", 10), ("Idées", 25))
    login(client, make_user(Role.FACILITATOR, council))
    client.post(f"{console(workshop)}/agenda/{first.id}/start")
    client.post(f"{console(workshop)}/agenda/{second.id}/start")
    db.session.expire_all()
    items = {i.title: i for i in db.session.scalars(select(AgendaItem))}
    assert items["Accueil"].ended_at is not None and items["Idées"].is_running
    page = client.get(console(workshop), headers=EN).get_data(as_text=True)
    assert "25 minutes left" in page and "data-deadline=" in page
    assert '<svg role="img"' in page and "<title>QR code to join the workshop</title>" in page
    assert workshop.join_code in page


def test_a_rejected_proposal_shows_its_reason_to_its_author(client, app, login):
    council = make_council()
    workshop = make_workshop(council)
    code = give_join_code(workshop)
    phone = join_as(app.test_client(), code, "Youssef")
    phone.post(f"/join/{code}/proposals", data={"title": "Vendre mon scooter", "body": "Une annonce personnelle ici."})
    proposal = db.session.scalar(select(Proposal))
    login(client, make_user(Role.FACILITATOR, council))
    empty = client.post(
        f"{console(workshop)}/proposals/{proposal.id}/reject", data={f"reject-{proposal.id}-reason": ""}
    )
    assert empty.status_code == 422
    client.post(
        f"{console(workshop)}/proposals/{proposal.id}/reject",
        data={f"reject-{proposal.id}-reason": "Une annonce, pas une proposition."},
    )
    page = phone.get(f"/join/{code}", headers=EN).get_data(as_text=True)
    assert "Reason: Une annonce, pas une proposition." in page
    assert page.count("Vendre mon scooter") == 1  # out of the public list, only in the author's notice
    assert "Vendre mon scooter" not in client.get(projector(workshop)).get_data(as_text=True)


def test_a_typo_is_corrected_with_a_trace(client, login):
    council = make_council()
    workshop = make_workshop(council)
    proposal = make_proposal(workshop, title="Un abri bus a l'ecole")
    facilitator = make_user(Role.FACILITATOR, council, name="Maëlle")
    login(client, facilitator)
    response = client.post(
        f"{console(workshop)}/proposals/{proposal.id}/edit",
        data={f"edit-{proposal.id}-title": "Un abri bus à l'école", f"edit-{proposal.id}-body": proposal.body},
    )
    assert response.status_code == 302
    revision = db.session.scalar(select(ProposalRevision))
    assert (revision.previous_title, revision.edited_by_id) == ("Un abri bus a l'ecole", facilitator.id)
    page = client.get(console(workshop), headers=EN).get_data(as_text=True)
    assert "Corrected by Maëlle" in page


def test_merging_keeps_every_author_and_every_support_exactly_once(client, app, login):
    council = make_council()
    workshop = make_workshop(council)
    code = give_join_code(workshop)
    alice, bruno = make_user(name="Alice"), make_user(name="Bruno")
    target = make_proposal(workshop, alice, title="Éclairer le chemin de l'école")
    source = make_proposal(workshop, bruno, title="Des lampadaires vers l'école")
    phone_author = make_participant(workshop, name="Inès")
    from_phone = Proposal(
        workshop_id=workshop.id,
        participant_id=phone_author.id,
        title="Lumière sur le chemin",
        body="Il fait nuit à 6 h.",
        language="fr",
    )
    db.session.add(from_phone)
    db.session.commit()
    both, only_source, only_target = make_user(), make_user(), make_user()
    anonymous_phone = make_participant(workshop)
    supports = [
        (target, both),
        (source, both),
        (source, only_source),
        (target, only_target),
        (from_phone, both),
    ]
    for proposal, user in supports:
        db.session.add(Support(proposal_id=proposal.id, user_id=user.id))
    db.session.add(Support(proposal_id=source.id, participant_id=anonymous_phone.id))
    db.session.add(Support(proposal_id=from_phone.id, participant_id=anonymous_phone.id))
    db.session.add(PaperCount(proposal_id=source.id, count=4))
    db.session.commit()
    login(client, make_user(Role.FACILITATOR, council))
    for duplicate in (source, from_phone):
        response = client.post(
            f"{console(workshop)}/merge", data={"merge-target": str(target.id), "merge-source": str(duplicate.id)}
        )
        assert response.status_code == 302
    db.session.expire_all()
    rows = db.session.execute(select(Support.proposal_id, Support.user_id, Support.participant_id)).all()
    assert {r.proposal_id for r in rows} == {target.id}
    assert sorted((r.user_id or 0, r.participant_id or 0) for r in rows) == sorted(
        [(both.id, 0), (only_source.id, 0), (only_target.id, 0), (0, anonymous_phone.id)]
    )
    assert db.session.scalar(select(PaperCount.proposal_id)) == target.id
    statuses = dict(db.session.execute(select(Proposal.id, Proposal.status)).all())
    assert statuses == {target.id: "submitted", source.id: "merged", from_phone.id: "merged"}
    page = join_as(app.test_client(), code).get(f"/join/{code}", headers=EN).get_data(as_text=True)
    assert "By <bdi>Alice</bdi>, <bdi>Bruno</bdi>, <bdi>Inès</bdi>" in page
    assert "8 supports" in page  # 4 people online + 4 hands on paper


def test_a_proposal_cannot_be_merged_into_itself(client, login):
    council = make_council()
    workshop = make_workshop(council)
    proposal = make_proposal(workshop)
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(
        f"{console(workshop)}/merge",
        data={"merge-target": str(proposal.id), "merge-source": str(proposal.id)},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Choose two different proposals." in response.get_data(as_text=True)
    assert client.post(f"{console(workshop)}/merge", data={"merge-target": "x", "merge-source": ""}).status_code == 422


def test_paper_notes_and_counts_add_to_the_results(client, login):
    council = make_council()
    workshop = make_workshop(council)
    online = make_proposal(workshop, make_user(), title="Proposition en ligne", supports=2)
    facilitator = make_user(Role.FACILITATOR, council, name="Karim")
    login(client, facilitator)
    response = client.post(
        f"{console(workshop)}/paper-proposals",
        data={
            "paper-title": "Navette du samedi",
            "paper-body": "Pour aller au marché sans voiture.",
            "paper-paper_author": "Lucia",
        },
    )
    assert response.status_code == 302
    paper = db.session.scalar(select(Proposal).where(Proposal.origin == "paper"))
    assert (paper.collected_by_id, paper.paper_author, paper.author_id) == (facilitator.id, "Lucia", None)
    client.post(f"{console(workshop)}/paper-counts", data={"count-proposal": str(paper.id), "count-count": "5"})
    client.post(f"{console(workshop)}/paper-counts", data={"count-proposal": str(online.id), "count-count": "1"})
    bad = client.post(f"{console(workshop)}/paper-counts", data={"count-proposal": str(online.id), "count-count": "-2"})
    assert bad.status_code == 422
    from consultation.permissions import Actor
    from consultation.proposals.services import ranked_proposals

    ranked = ranked_proposals(workshop, Actor.anonymous())
    assert [(r.proposal.title, r.support_count, r.paper_supports) for r in ranked] == [
        ("Navette du samedi", 5, 5),
        ("Proposition en ligne", 3, 1),
    ]
    page = client.get(f"/councils/{council.slug}/workshops/{workshop.id}", headers=EN).get_data(as_text=True)
    assert "Collected on paper by Karim" in page and "5 supports, including 5 on paper" in page
    history = client.get(console(workshop), headers=EN).get_data(as_text=True)
    assert "Typed in a sticky note collected on paper" in history and "Added 5 paper supports" in history


def test_the_projector_answers_304_until_the_state_changes(client, app, login):
    council = make_council()
    workshop = make_workshop(council)
    code = give_join_code(workshop)
    proposal = make_proposal(workshop, title="Un terrain de sport éclairé")
    login(client, make_user(Role.FACILITATOR, council))
    url = projector(workshop) + "/live"
    first = client.get(url, headers=EN)
    assert first.status_code == 200 and "Un terrain de sport éclairé" in first.get_data(as_text=True)
    etag = first.headers["ETag"]
    assert client.get(url, headers={**EN, "If-None-Match": etag}).status_code == 304
    # Another app instance (another process in production) answers the same.
    from consultation import create_app
    from tests.conftest import BASE_CONFIG

    other_app = create_app({**BASE_CONFIG, "WTF_CSRF_ENABLED": False})
    other = other_app.test_client()
    login(other, make_user(Role.FACILITATOR, council))
    assert other.get(url, headers={**EN, "If-None-Match": etag}).status_code == 304
    with other_app.app_context():
        db.engine.dispose()  # close its connections now, not at garbage collection
    join_as(app.test_client(), code).post(f"/join/{code}/proposals/{proposal.id}/support")
    changed = client.get(url, headers={**EN, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "1 support" in changed.get_data(as_text=True)


def test_the_phone_page_polls_the_same_way(client):
    workshop = make_workshop(make_council())
    code = give_join_code(workshop)
    join_as(client, code)
    first = client.get(f"/join/{code}/live")
    assert first.status_code == 200
    assert client.get(f"/join/{code}/live", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_closing_gives_the_code_back_and_stops_the_console(client, login):
    council = make_council()
    workshop = make_workshop(council)
    code = give_join_code(workshop)
    proposal = make_proposal(workshop)
    login(client, make_user(Role.FACILITATOR, council))
    moved = client.post(f"/councils/{council.slug}/workshops/{workshop.id}/phase", data={"phase": "closed"})
    assert moved.status_code == 302
    db.session.refresh(workshop)
    assert workshop.join_code is None
    assert client.get(f"/join/{code}").status_code == 404
    assert client.post(f"{console(workshop)}/proposals/{proposal.id}/accept").status_code == 409
    events = db.session.scalars(select(WorkshopEvent.action)).all()
    assert events == ["phase"]
    assert "Moved the workshop to the phase: Closed" in client.get(console(workshop), headers=EN).get_data(as_text=True)


def test_phase_moves_from_the_console_are_recorded(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.WELCOME)
    login(client, make_user(Role.FACILITATOR, council, name="Claire"))
    response = client.post(
        f"/councils/{council.slug}/workshops/{workshop.id}/phase", data={"phase": "ideation", "back": "console"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/console")
    event = db.session.scalar(select(WorkshopEvent))
    assert (event.action, event.details, event.actor.display_name) == ("phase", {"phase": "ideation"}, "Claire")


def test_live_pages_query_count_does_not_grow_with_proposals(app, client, login):
    council = make_council()
    small, large = make_workshop(council), make_workshop(council)
    for workshop, how_many in ((small, 2), (large, 20)):
        give_join_code(workshop)
        add_agenda(workshop, ("Idées", 20))
        phone = make_participant(workshop, name="Ana")
        for _ in range(how_many):
            proposal = make_proposal(workshop, make_user(), supports=1)
            db.session.add(Support(proposal_id=proposal.id, participant_id=phone.id))
            db.session.add(PaperCount(proposal_id=proposal.id, count=2))
        merged = make_proposal(workshop, make_user())
        merged.status, merged.merged_into_id = "merged", proposal.id
        db.session.commit()
    login(client, make_user(Role.FACILITATOR, council))

    def count_queries(url):
        db.session.remove()
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    small_base, large_base = projector(small)[: -len("/projector")], projector(large)[: -len("/projector")]
    for path in ("/projector/live", "/projector", "/console"):
        assert count_queries(large_base + path) == count_queries(small_base + path), path


def test_joining_without_a_csrf_token_is_refused(csrf_app, ctx):
    workshop = make_workshop(make_council())
    code = give_join_code(workshop)
    response = csrf_app.test_client().post(f"/join/{code}", data={"display_name": "Ana", "charter": "y"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(WorkshopParticipant.id))) == 0


def _crowded_workshop(council, how_many: int):
    """A running workshop with `how_many` proposals, each from its own account or phone, supported online
    and on paper, one merged, and an open vote of the room with a ballot: more than the 500 keys that
    selectinload sends per IN list once `how_many` passes 500."""
    from consultation.accounts.models import User
    from consultation.voting.models import VoteParticipation
    from tests.factories import PASSWORD_HASH
    from tests.factories_votes import make_vote

    workshop = make_workshop(council)
    give_join_code(workshop)
    add_agenda(workshop, ("Idées", 20))
    people = [
        User(email=f"crowd-{workshop.id}-{n}@example.test", display_name=f"Crowd {n}", password_hash=PASSWORD_HASH)
        for n in range(how_many)
    ]
    phones = [
        WorkshopParticipant(workshop_id=workshop.id, display_name=f"Phone {n}", charter_accepted_at=NOW)
        for n in range(how_many)
    ]
    db.session.add_all(people + phones)
    db.session.flush()
    for n in range(how_many):
        by_phone = n % 2 == 1
        proposal = Proposal(
            workshop_id=workshop.id,
            author_id=people[n].id,
            participant_id=phones[n].id if by_phone else None,
            title=f"Proposition {n}",
            body="Un texte qui explique la proposition.",
            language="fr",
        )
        db.session.add(proposal)
        db.session.flush()
        db.session.add(Support(proposal_id=proposal.id, participant_id=phones[n].id))
        db.session.add(PaperCount(proposal_id=proposal.id, count=1 + n % 3))
        if n == 2:
            top = proposal  # the first of the most supported: shown on the wall and the phone whatever the size
    merged = Proposal(
        workshop_id=workshop.id, author_id=people[0].id, title="Doublon", body="Le même texte.", language="fr"
    )
    merged.status, merged.merged_into_id = "merged", top.id
    db.session.add(merged)
    db.session.commit()
    vote = make_vote(council, workshop=workshop, status="open", electorate="workshop")
    db.session.add(VoteParticipation(vote_id=vote.id, participant_id=phones[0].id))
    db.session.commit()
    return workshop, phones[-1]


def _statements(client, url: str, headers: dict | None = None) -> tuple[list[str], object]:
    db.session.remove()  # the client shares the test's context: start from an empty identity map
    with recorded_statements() as statements:
        response = client.get(url, headers=headers or {})
    return statements, response


def _phone_client(app, workshop, participant):
    from consultation.workshops.join import SESSION_KEY

    phone = app.test_client()
    with phone.session_transaction() as session:
        session[SESSION_KEY] = {str(workshop.id): participant.id}
    return phone


def test_live_polls_cost_the_same_statements_for_a_small_and_a_crowded_workshop(app, client, login):
    council = make_council()
    small, small_phone = _crowded_workshop(council, 3)
    large, large_phone = _crowded_workshop(council, 520)
    login(client, make_user(Role.FACILITATOR, council))
    polls = []
    for name, workshop, participant in (("small", small, small_phone), ("large", large, large_phone)):
        phone = _phone_client(app, workshop, participant)
        polls.append((name, "projector", client, projector(workshop) + "/live"))
        polls.append((name, "phone", phone, f"/join/{workshop.join_code}/live"))
    counts, unchanged_polls = {}, {}
    for name, kind, who, url in polls:
        first = who.get(url, headers=EN)
        assert first.status_code == 200
        statements, response = _statements(who, url, EN)
        assert response.status_code == 200
        again, unchanged = _statements(who, url, {**EN, "If-None-Match": first.headers["ETag"]})
        assert unchanged.status_code == 304 and unchanged.get_data() == b""
        counts[(name, kind)] = (len(statements), len(again))
        # BEGIN (SQLite) reads no table: what is counted below is what reads.
        unchanged_polls[(name, kind)] = [s for s in again if s.strip().upper() != "BEGIN"]
    assert counts[("small", "projector")] == counts[("large", "projector")], counts
    assert counts[("small", "phone")] == counts[("large", "phone")], counts
    # An unchanged poll: the wall's login (account, memberships) or the phone's code and identity, then
    # one SELECT of aggregates; no proposal is loaded.
    for key, selects in unchanged_polls.items():
        assert len(selects) <= 3, (key, selects)
        assert not any(s.lstrip().startswith("SELECT proposals.id") for s in selects), key


def test_the_projector_shows_the_top_proposals_and_counts_them_all(client, login):
    council = make_council()
    workshop, _phone = _crowded_workshop(council, 15)
    login(client, make_user(Role.FACILITATOR, council))
    page = client.get(projector(workshop) + "/live", headers=EN).get_data(as_text=True)
    assert "15 proposals" in page and page.count("projector-title") == 12
    assert page.index("Proposition 2<") < page.index("Proposition 0<")  # most supported first


def test_a_phone_pages_through_many_proposals(app, client):
    council = make_council()
    workshop, participant = _crowded_workshop(council, 55)
    code = workshop.join_code
    phone = _phone_client(app, workshop, participant)
    first = phone.get(f"/join/{code}/live", headers=EN).get_data(as_text=True)
    assert "55 proposals" in first and first.count('class="card proposal"') == 50
    assert "Page 1 of 2" in first and f"/join/{code}?page=2#live" in first
    second = phone.get(f"/join/{code}?page=2", headers=EN).get_data(as_text=True)
    assert second.count('class="card proposal"') == 5 and 'start="51"' in second
    assert f"/join/{code}/live?page=2" in second  # the page polls its own page
    polled = phone.get(f"/join/{code}/live?page=2", headers=EN)
    assert polled.status_code == 200 and polled.headers["ETag"] != phone.get(f"/join/{code}/live").headers["ETag"]


def test_the_wall_poll_sees_every_kind_of_change_without_loading_proposals(client, login):
    from datetime import UTC, datetime

    from consultation.voting.models import Vote

    council = make_council()
    workshop, phone = _crowded_workshop(council, 3)
    login(client, make_user(Role.FACILITATOR, council))
    url = projector(workshop) + "/live"
    vote = db.session.scalar(select(Vote).where(Vote.workshop_id == workshop.id))
    proposal = db.session.scalar(select(Proposal).where(Proposal.workshop_id == workshop.id).order_by(Proposal.id))
    changes = [
        lambda: db.session.execute(Support.__table__.delete().where(Support.participant_id == phone.id)),
        lambda: setattr(vote, "question", "Une autre question ?"),  # open, no ballot of an account yet
        lambda: setattr(proposal, "hidden_at", datetime(2026, 11, 29, tzinfo=UTC)),
        lambda: setattr(proposal, "hidden_at", None),
        lambda: db.session.add(PaperCount(proposal_id=proposal.id, count=1)),
        lambda: setattr(workshop, "phase", Phase.DISCUSSION.value),
    ]
    etag = client.get(url, headers=EN).headers["ETag"]
    for change in changes:
        change()
        db.session.commit()
        polled = client.get(url, headers={**EN, "If-None-Match": etag})
        assert polled.status_code == 200 and polled.headers["ETag"] != etag
        etag = polled.headers["ETag"]
        assert client.get(url, headers={**EN, "If-None-Match": etag}).status_code == 304
