"""Attendance: the sign-in sheet the facilitator ticks, self check-in by code, walk-ins, the PDF sheet."""

import io

import pikepdf
import pytest
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.permissions import Role
from consultation.workshops.models import Attendance, Registration
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_user, make_workshop
from tests.factories_workshops import give_join_code

EN = {"Accept-Language": "en"}


def sheet_url(workshop):
    return f"/councils/{workshop.council.slug}/workshops/{workshop.id}/console/attendance"


def register(workshop, user):
    db.session.add(Registration(workshop_id=workshop.id, user_id=user.id, status="confirmed"))
    db.session.commit()


def test_the_facilitator_ticks_the_sheet_and_people_check_in_by_code(client, app, login):
    council = make_council()
    workshop = make_workshop(council)
    code = give_join_code(workshop)
    rose, jean = make_user(name="Rose"), make_user(name="Jean")
    register(workshop, rose)
    register(workshop, jean)
    phone = app.test_client()
    phone.post(f"/join/{code}", data={"display_name": "Wilner", "charter": "y"})
    assert phone.post(f"/join/{code}/check-in", data={"channel": "room"}).status_code == 302
    assert "You are checked in, in the room." in phone.get(f"/join/{code}", headers=EN).get_data(as_text=True)
    login(client, make_user(Role.FACILITATOR, council))
    page = client.get(sheet_url(workshop), headers=EN).get_data(as_text=True)
    assert "Rose" in page and "Jean" in page and "Wilner" in page and "checked in by phone" in page
    client.post(sheet_url(workshop), data={"person": f"user:{rose.id}", "mark": "present-online"})
    client.post(sheet_url(workshop), data={"person": f"user:{jean.id}", "mark": "excused"})
    client.post(sheet_url(workshop) + "/walk-in", data={"name": "Nadège", "channel": "room"})
    marks = dict(db.session.execute(select(Attendance.name, Attendance.status + "/" + Attendance.channel)).all())
    assert marks == {
        "Rose": "present/online",
        "Jean": "excused/room",
        "Wilner": "present/room",
        "Nadège": "present/room",
    }
    page = client.get(sheet_url(workshop), headers=EN).get_data(as_text=True)
    assert "2 people present in the room" in page and "1 person present online" in page and "1 person excused" in page
    # Ticking again changes the line, never adds one.
    client.post(sheet_url(workshop), data={"person": f"user:{jean.id}", "mark": "absent"})
    assert db.session.scalar(select(func.count(Attendance.id))) == 4


def test_bad_marks_are_refused(client, login):
    council = make_council()
    workshop = make_workshop(council)
    other = make_workshop(make_council())
    stranger = make_user()
    register(other, stranger)
    login(client, make_user(Role.FACILITATOR, council))
    assert client.post(sheet_url(workshop), data={"person": f"user:{stranger.id}", "mark": "absent"}).status_code == 404
    assert client.post(sheet_url(workshop), data={"person": "user:x", "mark": "absent"}).status_code == 404
    assert client.post(sheet_url(workshop), data={"person": "user:1", "mark": "asleep"}).status_code == 409
    response = client.post(sheet_url(workshop) + "/walk-in", data={"name": "", "channel": "moon"}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page
    assert "Write the person" in page
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.MEMBER])
def test_only_facilitators_see_and_tick_the_sheet(app, ctx, login, role):
    council = make_council()
    workshop = make_workshop(council)
    client = app.test_client()
    if role is not None:
        login(client, make_user(role, council))
    expected = 302 if role is None else 403
    assert client.get(sheet_url(workshop)).status_code == expected
    assert client.get(sheet_url(workshop) + ".pdf").status_code == expected
    assert client.post(sheet_url(workshop) + "/walk-in", data={"name": "X", "channel": "room"}).status_code == expected
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_check_in_needs_a_participant_and_an_open_workshop(client):
    workshop = make_workshop(make_council())
    code = give_join_code(workshop)
    assert client.post(f"/join/{code}/check-in", data={"channel": "room"}).status_code == 302
    client.post(f"/join/{code}", data={"charter": "y"})
    assert client.post(f"/join/{code}/check-in", data={"channel": "moon"}).status_code == 409
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_the_printable_sign_in_sheet_is_a_tagged_pdf(client, login):
    council = make_council()
    workshop = make_workshop(council, title="Atelier mobilités")
    register(workshop, make_user(name="Marie-José"))
    login(client, make_user(Role.FACILITATOR, council))
    response = client.get(sheet_url(workshop) + ".pdf", headers=EN)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    with pikepdf.open(io.BytesIO(response.data)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en"
        assert "Atelier mobilités" in str(pdf.docinfo["/Title"])


def test_a_closed_workshops_sheet_is_read_only(client, login):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.CLOSED)
    user = make_user()
    register(workshop, user)
    login(client, make_user(Role.FACILITATOR, council))
    assert client.get(sheet_url(workshop)).status_code == 200
    assert client.post(sheet_url(workshop), data={"person": f"user:{user.id}", "mark": "absent"}).status_code == 409
