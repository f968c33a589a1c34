"""A second factor for administrators and municipal officers, and logging out on every other device."""

from datetime import timedelta

import pyotp
import pytest

from consultation.accounts.models import User
from consultation.db import utcnow
from consultation.extensions import db
from consultation.permissions import Role
from tests.factories import PASSWORD, make_council, make_user

EN = {"Accept-Language": "en"}


def current_code(user: User, shift: int = 0) -> str:
    db.session.refresh(user)
    return pyotp.TOTP(user.totp_secret).at(utcnow() + timedelta(seconds=shift))


def turn_on(client, user: User) -> None:
    page = client.get("/account/two-factor", headers=EN)
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    with client.session_transaction() as session:
        secret = session["two_factor_setup"]
    assert client.post("/account/two-factor", data={"code": "000000"}, headers=EN).status_code == 422
    code = pyotp.TOTP(secret).now()
    assert client.post("/account/two-factor", data={"code": code}).status_code == 302
    db.session.refresh(user)
    assert user.totp_secret == secret


def log_in_with_password(client, user: User):
    return client.post("/account/login", data={"email": user.email, "password": PASSWORD})


def test_an_officer_turns_it_on_and_then_logs_in_with_a_code_that_works_once(app, client, login):
    officer = make_user(Role.OFFICER, make_council())
    login(client, officer)
    turn_on(client, officer)

    phone = app.test_client()
    answer = log_in_with_password(phone, officer)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/account/login/code")
    assert phone.get("/account").status_code == 302  # not logged in before the code
    wrong = phone.post("/account/login/code", data={"code": "123456"}, headers=EN)
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    code = current_code(officer, shift=30)  # the next step, so that it was not used to turn it on
    assert phone.post("/account/login/code", data={"code": code}).status_code == 302
    assert phone.get("/account").status_code == 200

    again = app.test_client()
    log_in_with_password(again, officer)
    replayed = again.post("/account/login/code", data={"code": code}, headers=EN)
    assert replayed.status_code == 422  # a code works once
    assert again.get("/account").status_code == 302


def test_the_code_page_without_a_password_first_sends_back_to_login(client):
    response = client.post("/account/login/code", data={"code": "123456"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/login")


@pytest.mark.parametrize(("role", "expected"), [(None, 302), (Role.RESIDENT, 403), (Role.FACILITATOR, 403)])
def test_the_second_factor_page_is_for_administrators_and_officers(client, login, role, expected):
    if role is not None:
        login(client, make_user(role, make_council()))
    assert client.get("/account/two-factor").status_code == expected


def test_an_administrator_turns_it_off_with_password_and_code(client, login):
    admin = make_user(is_admin=True)
    login(client, admin)
    turn_on(client, admin)
    refused = client.post(
        "/account/two-factor",
        data={"current_password": "not it", "code": current_code(admin, shift=30)},
        headers=EN,
    )
    assert refused.status_code == 422
    turned_off = client.post(
        "/account/two-factor", data={"current_password": PASSWORD, "code": current_code(admin, shift=30)}
    )
    assert turned_off.status_code == 302
    db.session.refresh(admin)
    assert admin.totp_secret is None


def test_logging_out_everywhere_closes_every_other_session(app, ctx, login):
    person = make_user()
    here, elsewhere = login(app.test_client(), person), login(app.test_client(), person)
    assert elsewhere.get("/account").status_code == 200
    assert here.post("/account/logout-everywhere").status_code == 302
    assert here.get("/account").status_code == 200  # this device stays logged in
    assert elsewhere.get("/account").status_code == 302  # the other one is out
    assert app.test_client().post("/account/logout-everywhere").status_code == 302  # anonymous: to login
