"""Preparing a workshop: questions, details, agenda, registrations with a waiting list, calendar files."""

import icalendar
import pytest
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.permissions import Role
from consultation.referrals.models import Question
from consultation.workshops.models import AgendaItem, Registration, Workshop, WorkshopEvent
from consultation.workshops.services import JOIN_CODE_ALPHABET
from tests.factories import make_council, make_user, make_workshop
from tests.factories_workshops import add_agenda, give_join_code, make_question

EN = {"Accept-Language": "en"}


def base(council):
    return f"/councils/{council.slug}/workshops"


def valid_workshop(**overrides):
    data = {
        "title": "Se déplacer à Sainte-Agathe",
        "description": "Atelier ouvert à toutes et à tous.",
        "question": "",
        "location": "MILSH, Macouria",
        "online_url": "",
        "starts_at": "2026-12-05T18:00",
        "ends_at": "2026-12-05T20:00",
        "capacity": "30",
        "languages_spoken": "français, kreyòl",
        "is_published": "y",
    }
    data.update(overrides)
    return data


def test_facilitator_prepares_a_workshop_on_a_question(client, login):
    council = make_council()
    question = make_question(council)
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(base(council) + "/new", data=valid_workshop(question=str(question.id)), headers=EN)
    assert response.status_code == 302
    workshop = db.session.scalar(select(Workshop))
    assert (workshop.question_id, workshop.capacity, workshop.languages_spoken) == (question.id, 30, "français, kreyòl")
    assert workshop.join_code and set(workshop.join_code) <= set(JOIN_CODE_ALPHABET) and len(workshop.join_code) == 6
    assert workshop.starts_at.hour == 17  # 18:00 in Paris, stored in UTC
    assert db.session.scalar(select(WorkshopEvent.action)) == "created"
    page = client.get(f"{base(council)}/{workshop.id}", headers=EN).get_data(as_text=True)
    assert question.title in page and "kreyòl" in page


def test_bad_workshop_is_shown_again_with_what_was_typed(client, login):
    council = make_council()
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(
        base(council) + "/new",
        data=valid_workshop(
            title="<b>Atelier</b>", ends_at="2026-12-05T17:00", capacity="-3", online_url="pas une url"
        ),
        headers=EN,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "&lt;b&gt;Atelier&lt;/b&gt;" in page
    assert "The workshop must end after it starts." in page
    assert "Give a full web address" in page
    assert db.session.scalar(select(func.count(Workshop.id))) == 0


def test_a_workshop_needs_a_place_or_a_link(client, login):
    council = make_council()
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(base(council) + "/new", data=valid_workshop(location=""), headers=EN)
    assert response.status_code == 422
    assert "Give a place, an online link, or both." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("resident", 403), ("facilitator_elsewhere", 403), ("member", 403), ("facilitator", 200)],
)
def test_only_the_councils_facilitators_prepare_workshops(app, ctx, login, who, expected):
    council, other = make_council(), make_council()
    workshop = make_workshop(council)
    people = {
        "resident": make_user(Role.RESIDENT, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "member": make_user(Role.MEMBER, council),
        "facilitator": make_user(Role.FACILITATOR, council),
    }
    client = app.test_client()
    if who != "anonymous":
        login(client, people[who])
    assert client.get(base(council) + "/new").status_code == expected
    assert client.get(f"{base(council)}/{workshop.id}/edit").status_code == expected
    posted = client.post(f"{base(council)}/{workshop.id}/agenda", data={"item_title": "Accueil", "duration": "10"})
    assert posted.status_code == (302 if who in ("anonymous", "facilitator") else expected)
    if who != "facilitator":
        assert db.session.scalar(select(func.count(AgendaItem.id))) == 0


def test_agenda_items_are_added_reordered_and_removed(client, login):
    council = make_council()
    workshop = make_workshop(council)
    login(client, make_user(Role.FACILITATOR, council))
    url = f"{base(council)}/{workshop.id}/agenda"
    for title, minutes in (("Accueil", "10"), ("Idées", "30"), ("Vote", "15")):
        assert client.post(url, data={"item_title": title, "duration": minutes}).status_code == 302
    items = db.session.scalars(select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [(i.title, i.duration_minutes) for i in items] == [("Accueil", 10), ("Idées", 30), ("Vote", 15)]
    assert client.post(f"{url}/{items[2].id}/up").status_code == 302
    assert client.post(f"{url}/{items[0].id}/remove").status_code == 302
    db.session.expire_all()
    titles = db.session.scalars(select(AgendaItem.title).order_by(AgendaItem.position)).all()
    assert titles == ["Vote", "Idées"]


def test_bad_agenda_item_is_shown_again(client, login):
    council = make_council()
    workshop = make_workshop(council)
    login(client, make_user(Role.FACILITATOR, council))
    response = client.post(
        f"{base(council)}/{workshop.id}/agenda", data={"item_title": "Pause café", "duration": "abc"}, headers=EN
    )
    assert response.status_code == 422
    assert 'value="Pause café"' in response.get_data(as_text=True)
    assert client.post(f"{base(council)}/{workshop.id}/agenda/999/up").status_code == 404


def test_capacity_and_waiting_list(app, ctx, login):
    council = make_council()
    workshop = make_workshop(council)
    workshop.capacity = 1
    db.session.commit()
    first, second, third = make_user(), make_user(), make_user()
    clients = {person.id: login(app.test_client(), person) for person in (first, second, third)}
    url = f"{base(council)}/{workshop.id}"
    for person in (first, second, third):
        assert clients[person.id].post(url + "/register").status_code == 302
    clients[second.id].post(url + "/register")  # twice: still one registration
    statuses = dict(db.session.execute(select(Registration.user_id, Registration.status)).all())
    assert statuses == {first.id: "confirmed", second.id: "waiting", third.id: "waiting"}
    page = clients[third.id].get(url, headers=EN).get_data(as_text=True)
    assert "You are number 2 on the waiting list." in page
    assert clients[first.id].post(url + "/cancel").status_code == 302
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Registration.user_id, Registration.status)).all())
    assert statuses == {first.id: "cancelled", second.id: "confirmed", third.id: "waiting"}
    # The person who got the seat is told, in the app (and by mail if they chose it); nobody else is.
    from consultation.notifications.models import Notification

    told = db.session.execute(select(Notification.user_id, Notification.kind)).all()
    assert told == [(second.id, "workshop_seat")]
    notices = clients[second.id].get("/notifications", headers=EN).get_data(as_text=True)
    assert "A seat is free for you at the workshop" in notices and url in notices


def test_a_larger_capacity_seats_the_waiting_list_and_tells_who_got_a_seat(app, ctx, login):
    from datetime import timedelta

    from consultation.notifications.models import Notification
    from consultation.workshops import services as workshop_services
    from tests.factories import NOW

    council = make_council()
    workshop = make_workshop(council)
    workshop.capacity = 1
    db.session.commit()
    seated, first_waiting, second_waiting = make_user(), make_user(), make_user()
    for minutes, person in enumerate((seated, first_waiting, second_waiting)):
        workshop_services.register(person, workshop, now=NOW + timedelta(minutes=minutes))
    db.session.commit()
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    response = facilitator.post(f"{base(council)}/{workshop.id}/edit", data=valid_workshop(capacity="2"))
    assert response.status_code == 302
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Registration.user_id, Registration.status)).all())
    assert statuses == {seated.id: "confirmed", first_waiting.id: "confirmed", second_waiting.id: "waiting"}
    told = db.session.execute(select(Notification.user_id, Notification.kind, Notification.params)).all()
    assert [(user_id, kind) for user_id, kind, _params in told] == [(first_waiting.id, "workshop_seat")]
    assert told[0].params["workshop_id"] == workshop.id
    notices = login(app.test_client(), first_waiting).get("/notifications", headers=EN).get_data(as_text=True)
    assert "A seat is free for you at the workshop" in notices
    assert f'href="{base(council)}/{workshop.id}"' in notices


def test_registration_needs_an_account_and_a_published_workshop(app, ctx, login):
    council = make_council()
    draft = make_workshop(council, is_published=False)
    client = app.test_client()
    assert client.post(f"{base(council)}/{draft.id}/register").status_code == 302  # to the login page
    login(client, make_user())
    assert client.post(f"{base(council)}/{draft.id}/register").status_code == 404


def test_the_workshop_calendar_file_parses_back(client):
    council = make_council()
    workshop = make_workshop(council, title="Atelier mobilités")
    response = client.get(f"{base(council)}/{workshop.id}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Atelier mobilités"
    assert event.decoded("dtstart") == workshop.starts_at
    assert event.decoded("dtend") == workshop.ends_at
    assert str(event["location"]) == "MILSH"
    assert str(event["uid"]).startswith(f"workshop-{workshop.id}@")


def test_the_council_agenda_lists_published_workshops_only(client):
    council = make_council()
    make_workshop(council, title="Atelier public")
    draft = make_workshop(council, title="Atelier en préparation", is_published=False)
    calendar = icalendar.Calendar.from_ical(client.get(f"{base(council)}/agenda.ics").data)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Atelier public"]
    assert client.get(f"{base(council)}/{draft.id}.ics").status_code == 404
    assert client.get("/councils/nowhere/workshops/agenda.ics").status_code == 404


def test_a_question_is_recorded_by_the_council(client, login):
    council = make_council()
    login(client, make_user(Role.MEMBER, council))
    url = f"/councils/{council.slug}/questions/new"
    bad = client.post(
        url, data={"title": "Les bus", "kind": "referral", "referred_by": "", "referred_on": "hier"}, headers=EN
    )
    assert bad.status_code == 422
    assert "Say who referred the question to the council." in bad.get_data(as_text=True)
    good = client.post(
        url,
        data={"title": "Comment desservir le quartier ?", "kind": "self", "referred_on": "2026-11-02", "text": ""},
    )
    assert good.status_code == 302
    question = db.session.scalar(select(Question))
    assert (question.kind, question.referred_by) == ("self", "")
    assert "Comment desservir le quartier ?" in client.get(f"/councils/{council.slug}/questions/").get_data(
        as_text=True
    )


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.OFFICER])
def test_residents_cannot_record_questions(app, ctx, login, role):
    council = make_council()
    client = app.test_client()
    if role is not None:
        login(client, make_user(role, council))
    response = client.post(f"/councils/{council.slug}/questions/new", data={"title": "Une question ?"})
    assert response.status_code == (302 if role is None else 403)
    assert db.session.scalar(select(func.count(Question.id))) == 0


def test_workshop_page_shows_its_agenda(client):
    council = make_council()
    workshop = make_workshop(council)
    add_agenda(workshop, ("Accueil et café", 15))
    page = client.get(f"{base(council)}/{workshop.id}", headers=EN).get_data(as_text=True)
    assert "Accueil et café – 15 minutes" in page


NAUGHTY = [
    "",
    " ",
    "\x00",
    "<script>alert(1)</script>",
    "'; DROP TABLE workshops; --",
    "%(title)s %s {0}",
    "Ω≈ç√∫˜µ≤≥÷ 田中さんにあげて下さい مرحبا",
    "\u202etxet desrever",
    "9" * 400,
    "2026-02-30T25:61",
    "-1",
]


@pytest.mark.parametrize("value", NAUGHTY)
def test_no_form_answers_500_on_strange_input(app, ctx, login, value):
    council = make_council()
    workshop = make_workshop(council)
    code = give_join_code(workshop)
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    phone = app.test_client()
    base_url = f"{base(council)}/{workshop.id}"
    requests = [
        (facilitator, base(council) + "/new", {k: value for k in valid_workshop()}),
        (facilitator, base_url + "/edit", {k: value for k in valid_workshop()}),
        (facilitator, base_url + "/agenda", {"item_title": value, "duration": value}),
        (facilitator, f"/councils/{council.slug}/questions/new", {"title": value, "kind": value, "referred_on": value}),
        (facilitator, base_url + "/console/merge", {"merge-target": value, "merge-source": value}),
        (facilitator, base_url + "/console/paper-counts", {"count-proposal": value, "count-count": value}),
        (facilitator, base_url + "/console/attendance", {"person": value, "mark": value}),
        (facilitator, base_url + "/minutes/edit", {"body": value}),
        (phone, "/join", {"code": value}),
        (phone, f"/join/{code}", {"display_name": value, "charter": value}),
        (phone, f"/join/{code}/proposals", {"title": value, "body": value}),
        (phone, f"/join/{code}/check-in", {"channel": value}),
    ]
    for client, url, data in requests:
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, response.status_code)
    assert phone.get("/join/" + value.replace("/", "")).status_code < 500
    assert facilitator.get(base_url + "/minutes?version=" + value).status_code < 500
