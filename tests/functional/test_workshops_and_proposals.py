"""Workshop page, proposals, supports and phases."""

import threading

from sqlalchemy import func, select

from consultation.extensions import db
from consultation.permissions import Role
from consultation.proposals.models import Proposal, Support
from consultation.workshops.models import Workshop
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_proposal, make_user, make_workshop
from tests.statements import recorded_statements


def workshop_url(workshop):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}"


def test_resident_submits_a_proposal_with_a_theme(client, login):
    council = make_council()
    workshop = make_workshop(council)
    login(client, make_user())
    theme = council.themes[0]
    response = client.post(
        workshop_url(workshop) + "/proposals/new",
        data={
            "title": "Un abri à l'arrêt de bus",
            "body": "Les enfants attendent sous la pluie.",
            "theme": str(theme.id),
        },
    )
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.title, proposal.theme_id, proposal.language) == ("Un abri à l'arrêt de bus", theme.id, "fr")
    assert "Un abri à l&#39;arrêt de bus" in client.get(workshop_url(workshop)).get_data(as_text=True)


def test_bad_proposal_is_shown_again_with_what_was_typed(client, login):
    workshop = make_workshop(make_council())
    login(client, make_user())
    response = client.post(
        workshop_url(workshop) + "/proposals/new", data={"title": "Abri", "body": "<b>court</b>", "theme": "999"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Abri"' in page and "&lt;b&gt;court&lt;/b&gt;" in page
    assert "Utilisez entre 5 et 200 caractères." in page
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_no_proposal_outside_ideation(client, login):
    workshop = make_workshop(make_council(), phase=Phase.DISCUSSION)
    login(client, make_user())
    response = client.post(
        workshop_url(workshop) + "/proposals/new", data={"title": "Un abri", "body": "Texte assez long"}
    )
    assert response.status_code == 409
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_support_once_then_withdraw(client, login):
    workshop = make_workshop(make_council())
    proposal = make_proposal(workshop, make_user())
    supporter = make_user()
    login(client, supporter)
    url = f"{workshop_url(workshop)}/proposals/{proposal.id}"
    client.post(url + "/support")
    client.post(url + "/support")  # a double click counts once
    assert db.session.scalar(select(func.count(Support.id))) == 1
    page = client.get(workshop_url(workshop)).get_data(as_text=True)
    assert "1 soutien" in page and "Retirer mon soutien" in page
    client.post(url + "/unsupport")
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_supports_close_with_the_discussion(client, login):
    workshop = make_workshop(make_council(), phase=Phase.VOTE)
    proposal = make_proposal(workshop)
    login(client, make_user())
    assert client.post(f"{workshop_url(workshop)}/proposals/{proposal.id}/support").status_code == 409


def test_a_proposal_cannot_be_reached_through_another_workshop(client, login):
    council = make_council()
    first, second = make_workshop(council), make_workshop(council)
    proposal = make_proposal(first)
    login(client, make_user())
    assert client.post(f"{workshop_url(second)}/proposals/{proposal.id}/support").status_code == 404


def test_concurrent_supports_by_one_person_count_once(app, ctx, login):
    workshop = make_workshop(make_council())
    proposal = make_proposal(workshop)
    supporter = make_user()
    url = f"{workshop_url(workshop)}/proposals/{proposal.id}/support"
    clients = [login(app.test_client(), supporter) for _ in range(8)]
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def click(client):
        barrier.wait()
        statuses.append(client.post(url).status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [302] * len(clients)
    proposal_id = proposal.id
    db.session.rollback()  # end this thread's read snapshot before counting
    assert db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal_id)) == 1


def test_facilitator_closes_the_proposal_phase(client, login):
    council = make_council()
    workshop = make_workshop(council)
    login(client, make_user(Role.FACILITATOR, council))
    page = client.get(workshop_url(workshop)).get_data(as_text=True)
    assert "Clore la phase de propositions" in page
    assert client.post(workshop_url(workshop) + "/phase", data={"phase": "discussion"}).status_code == 302
    db.session.refresh(workshop)
    assert workshop.phase == "discussion"


def test_phases_never_go_back(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.VOTE)
    login(client, make_user(Role.FACILITATOR, council))
    assert client.post(workshop_url(workshop) + "/phase", data={"phase": "ideation"}).status_code == 409
    assert client.post(workshop_url(workshop) + "/phase", data={"phase": "nonsense"}).status_code == 409
    db.session.refresh(workshop)
    assert workshop.phase == "vote"


def test_a_closed_workshop_stays_closed(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.CLOSED)
    login(client, make_user(is_admin=True))
    assert client.post(workshop_url(workshop) + "/phase", data={"phase": "closed"}).status_code == 409


def test_workshop_page_query_count_does_not_grow_with_proposals(app, client, login):
    council = make_council()
    small, large = make_workshop(council), make_workshop(council)
    for _ in range(2):
        make_proposal(small, make_user(), supports=1)
    for _ in range(25):
        make_proposal(large, make_user(), supports=2)
    login(client, make_user())

    def count_queries(url):
        # The test's application context is shared with the client: start from an empty identity map.
        db.session.remove()
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    small_url, large_url = workshop_url(small), workshop_url(large)
    assert count_queries(large_url) == count_queries(small_url)


def test_a_council_page_reads_its_council_once_for_its_language_and_time_zone(app, client):
    """The council loaded for the page gives the locale and time zone selectors their values: no second
    and third query of the same row on every council page."""
    council = make_council()
    council.default_locale, council.time_zone = "es", "America/Cayenne"
    db.session.commit()
    url = workshop_url(make_workshop(council))
    db.session.remove()
    with recorded_statements() as statements:
        page = client.get(url, headers={"Accept-Language": ""})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="es"' in html  # the council's language, for a visitor who asked for none
    assert "7:00" in html  # 10:00 UTC in the council's zone (UTC−3), not in Paris's
    assert len([s for s in statements if "FROM councils" in s]) == 1, statements


def test_draft_workshops_are_hidden_from_the_council_page(client):
    council = make_council()
    make_workshop(council, is_published=False, title="Atelier en préparation")
    assert "Atelier en préparation" not in client.get(f"/councils/{council.slug}").get_data(as_text=True)
    assert db.session.scalar(select(func.count(Workshop.id))) == 1


def test_insert_ignoring_duplicates_tells_whether_a_row_was_written(ctx):
    from consultation.dbutil import insert_ignoring_duplicates

    proposal = make_proposal(make_workshop(make_council()))
    supporter = make_user()
    values = {"proposal_id": proposal.id, "user_id": supporter.id, "created_at": proposal.created_at}
    assert insert_ignoring_duplicates(Support, values, ["proposal_id", "user_id"]) is True
    assert insert_ignoring_duplicates(Support, values, ["proposal_id", "user_id"]) is False
    db.session.rollback()


def test_nul_characters_are_dropped_from_what_people_send(client, login):
    workshop = make_workshop(make_council())
    login(client, make_user())
    response = client.post(
        workshop_url(workshop) + "/proposals/new?x=%00",
        data={"title": "Un abri\x00 au carbet", "body": "Texte\x00 assez long"},
    )
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.title, proposal.body) == ("Un abri au carbet", "Texte assez long")


def test_the_proposals_download_as_csv_and_json_as_the_page_lists_them(client):
    import csv
    import io
    import json

    council = make_council()
    workshop = make_workshop(council)
    make_proposal(workshop, make_user(name="Alice"), title='=HYPERLINK("http://evil")', supports=1)
    make_proposal(workshop, make_user(name="Bruno"), title="Des bancs à l'ombre", supports=3)
    base = f"/councils/{council.slug}/workshops/{workshop.id}/proposals"
    table = client.get(base + ".csv")
    assert table.status_code == 200 and table.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(table.get_data(as_text=True))))
    assert [(r["rank"], r["title"], r["supports"], r["authors"]) for r in rows] == [
        ("1", "Des bancs à l'ombre", "3", "Bruno"),
        ("2", '\'=HYPERLINK("http://evil")', "1", "Alice"),  # no formula runs in a spreadsheet
    ]
    data = json.loads(client.get(base + ".json").get_data(as_text=True))
    assert data["workshop"]["id"] == workshop.id and data["proposals"][0]["title"] == "Des bancs à l'ombre"
    draft = make_workshop(council, is_published=False)
    assert client.get(f"/councils/{council.slug}/workshops/{draft.id}/proposals.csv").status_code == 404


def test_a_large_workshop_lists_its_proposals_fifty_a_page_in_a_fixed_number_of_queries(app, client):
    english = {"Accept-Language": "en"}
    council = make_council()
    small, large = make_workshop(council), make_workshop(council)
    make_proposal(small, make_user())
    db.session.add_all(
        Proposal(workshop_id=large.id, title=f"Proposition {n:03d}", body="Un texte.", language="fr")
        for n in range(120)
    )
    db.session.commit()
    base = f"/councils/{council.slug}/workshops/{large.id}"
    first = client.get(base, headers=english).get_data(as_text=True)
    assert "120 proposals" in first and "Page 1 of 3" in first and "Proposition 049" in first
    assert "Proposition 050" not in first and f"{base}?page=2" in first
    last = client.get(base + "?page=3", headers=english).get_data(as_text=True)
    assert "Proposition 119" in last and 'start="101"' in last and "Proposition 000" not in last
    assert client.get(base + "?page=99").status_code == 200  # clamped to the last page
    assert client.get(base + "?page=abc").status_code == 200

    def count(url):
        db.session.remove()
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    small_page = f"/councils/{council.slug}/workshops/{small.id}"
    assert count(base + "?page=2") == count(small_page)
