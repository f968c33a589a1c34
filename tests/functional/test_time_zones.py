"""Each council types and reads its times in its own zone: a workshop at 18:00 in Cayenne is at
18:00 on its pages, 21:00 UTC in the database and in the calendar file."""

from datetime import UTC, datetime

import icalendar
import pytest
from sqlalchemy import select

from consultation.councils.models import Council
from consultation.extensions import db
from consultation.permissions import Role
from consultation.voting.models import Vote
from consultation.workshops.models import Workshop
from tests.factories import make_council, make_user
from tests.functional.test_workshop_preparation import valid_workshop

EN = {"Accept-Language": "en"}
FR = {"Accept-Language": "fr"}


@pytest.fixture()
def cayenne(ctx):
    council = make_council(slug="macouria")
    council.time_zone = "America/Cayenne"
    db.session.commit()
    return council


def test_a_workshop_typed_at_18_in_cayenne_is_at_18_there_and_21_utc(client, login, cayenne):
    login(client, make_user(Role.FACILITATOR, cayenne))
    response = client.post("/councils/macouria/workshops/new", data=valid_workshop(), headers=EN)
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert workshop.starts_at == datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
    page = client.get(f"/councils/macouria/workshops/{workshop.id}", headers=FR).get_data(as_text=True)
    assert "18:00" in page and "Guyane" in page
    edit = client.get(f"/councils/macouria/workshops/{workshop.id}/edit").get_data(as_text=True)
    assert 'value="2026-12-05T18:00"' in edit  # typed back in the council's zone
    calendar = icalendar.Calendar.from_ical(client.get(f"/councils/macouria/workshops/{workshop.id}.ics").data)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2026, 12, 5, 21, 0, tzinfo=UTC)


def test_a_vote_planned_in_cayenne_keeps_its_local_times(client, login, cayenne):
    login(client, make_user(Role.FACILITATOR, cayenne))
    response = client.post(
        "/councils/macouria/votes/new",
        data={
            "question": "Quel jour ?",
            "method": "plurality",
            "electorate": "members",
            "options": "Samedi\nDimanche",
            "opens_at": "2026-12-10T18:00",
            "closes_at": "2026-12-10T20:00",
            "max_proxies": "1",
        },
    )
    assert response.status_code == 302
    vote = db.session.scalar(select(Vote))
    assert vote.opens_at == datetime(2026, 12, 10, 21, 0, tzinfo=UTC)
    edit = client.get(f"/councils/macouria/votes/{vote.id}/edit").get_data(as_text=True)
    assert 'value="2026-12-10T18:00"' in edit


def test_the_home_page_gives_each_workshop_in_its_councils_zone(client, cayenne):
    from tests.factories import make_workshop

    workshop = make_workshop(cayenne)
    workshop.starts_at = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
    workshop.ends_at = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    paris = make_workshop(make_council())
    paris.starts_at = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    paris.ends_at = datetime(2026, 12, 5, 19, 0, tzinfo=UTC)
    db.session.commit()
    page = client.get("/", headers=FR).get_data(as_text=True)
    assert "18:00:00 (heure : Guyane française)" in page or "18:00 (heure : Guyane française)" in page
    assert "18:00:00 (heure normale d’Europe centrale)" in page or "(heure d’Europe centrale)" in page


@pytest.mark.parametrize(("role", "expected"), [(None, 302), (Role.PRESIDENT, 403), ("admin", 302)])
def test_only_platform_administrators_set_a_councils_zone(app, login, cayenne, role, expected):
    client = app.test_client()
    if role == "admin":
        login(client, make_user(is_admin=True))
    elif role is not None:
        login(client, make_user(role, cayenne))
    response = client.post("/councils/macouria/time-zone", data={"time_zone": "America/Guadeloupe"})
    assert response.status_code == expected
    db.session.expire_all()
    assert db.session.get(Council, cayenne.id).time_zone == (
        "America/Guadeloupe" if role == "admin" else "America/Cayenne"
    )


def test_an_unknown_zone_is_refused(app, login, cayenne):
    client = login(app.test_client(), make_user(is_admin=True))
    assert client.get("/councils/macouria/time-zone", headers=FR).status_code == 200
    response = client.post("/councils/macouria/time-zone", data={"time_zone": "Mars/Olympus"}, headers=EN)
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Council, cayenne.id).time_zone == "America/Cayenne"


def test_a_votes_planned_dates_are_shown_and_typed_in_its_councils_zone(client, login, cayenne):
    from consultation.voting.rules import Status
    from tests.factories_votes import make_vote

    vote = make_vote(cayenne, status=Status.DRAFT)  # far ahead: the schedule leaves it in preparation
    vote.opens_at = datetime(2030, 12, 10, 21, 0, tzinfo=UTC)
    vote.closes_at = datetime(2030, 12, 10, 23, 30, tzinfo=UTC)
    db.session.commit()
    login(client, make_user(Role.FACILITATOR, cayenne))
    page = client.get(f"/councils/macouria/votes/{vote.id}", headers=FR).get_data(as_text=True)
    assert "18:00:00" in page and "20:30:00" in page
    assert page.count("(heure : Guyane française)") == 2
    form = client.get(f"/councils/macouria/votes/{vote.id}/edit", headers=FR).get_data(as_text=True)
    assert 'value="2030-12-10T18:00"' in form and 'value="2030-12-10T20:30"' in form
    assert form.count("heure : Guyane française") == 2  # named under both fields


def test_the_workshop_lists_and_form_name_the_councils_zone(client, login, cayenne):
    from tests.factories import make_workshop

    workshop = make_workshop(cayenne)
    workshop.starts_at = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
    workshop.ends_at = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    db.session.commit()
    for url in ("/councils/macouria", "/councils/macouria/workshops/"):
        page = client.get(url, headers=FR).get_data(as_text=True)
        assert "18:00:00</time> (heure : Guyane française)" in page, url
    login(client, make_user(Role.FACILITATOR, cayenne))
    form = client.get("/councils/macouria/workshops/new", headers=FR).get_data(as_text=True)
    assert form.count("heure : Guyane française") == 2  # under "Starts at" and "Ends at"
