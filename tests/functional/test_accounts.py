"""Registration, login, logout and the language switcher."""

import pytest

from consultation.accounts.models import User
from consultation.extensions import db
from tests.factories import PASSWORD, make_user


def test_resident_registers_and_is_logged_in(client):
    response = client.post(
        "/account/register",
        data={
            "display_name": "Wilner",
            "email": "Wilner@Example.org",
            "password": "un mot de passe",
            "confirm": "un mot de passe",
            "consent": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(db.select(User))
    assert user.email == "wilner@example.org" and user.check_password("un mot de passe")
    assert user.password_hash.startswith("scrypt:")
    assert "Wilner" in client.get("/").get_data(as_text=True)


def test_bad_registration_is_shown_again_with_messages_and_typed_values(client):
    response = client.post(
        "/account/register",
        data={"display_name": "Ana", "email": "not-an-email", "password": "short", "confirm": "other"},
        headers={"Accept-Language": "fr"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Ana"' in page and 'value="not-an-email"' in page
    assert 'class="error-summary"' in page and 'aria-invalid="true"' in page
    assert "Saisissez une adresse électronique" in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_an_email_address_registers_only_once(client):
    make_user(email="ana@example.org")
    response = client.post(
        "/account/register",
        data={
            "display_name": "Ana",
            "email": "ANA@example.org",
            "password": "un mot de passe",
            "confirm": "un mot de passe",
            "consent": "y",
        },
    )
    assert response.status_code == 422
    assert "ANA@example.org" in response.get_data(as_text=True)
    assert "Un compte existe déjà" in response.get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client):
    user = make_user()
    response = client.post("/account/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 422
    assert user.email in response.get_data(as_text=True)


def test_login_follows_only_same_site_next(client):
    user = make_user()
    response = client.post(
        "/account/login", data={"email": user.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/"


def test_login_renews_the_session(client):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_ends_the_session(client, login):
    login(client, make_user())
    assert client.post("/account/logout").status_code == 302
    assert "Se connecter" in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_french_is_the_default_language(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in page


def test_browser_language_is_followed(client):
    assert '<html lang="en"' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)


def test_language_switch_is_remembered_for_a_visitor(client):
    response = client.post("/language", data={"language": "en", "next": "/councils/x"})
    assert response.headers["Location"] == "/councils/x"
    page = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="en"' in page and "Take part in your citizen council" in page


def test_language_switch_is_saved_in_the_profile(client, login):
    user = make_user()
    login(client, user)
    client.post("/language", data={"language": "en"})
    db.session.refresh(user)
    assert user.locale == "en"
    other_device = client.application.test_client()
    login(other_device, user)
    assert '<html lang="en"' in other_device.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"language": "xx"})
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)


def test_csrf_token_is_required_when_protection_is_on(csrf_app, ctx):
    client = csrf_app.test_client()
    response = client.post("/account/register", data={"display_name": "A", "email": "a@example.test"})
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_login_is_rate_limited_with_a_message(ctx, make_app):
    from consultation.extensions import limiter

    limited = make_app(RATELIMIT_ENABLED=True)
    try:
        client = limited.test_client()
        statuses = [
            client.post("/account/login", data={"email": "x@example.test", "password": "nope"}).status_code
            for _ in range(12)
        ]
        assert statuses[:10] == [422] * 10 and statuses[-1] == 429
        page = client.post("/account/login", data={}, headers={"Accept-Language": "fr"}).get_data(as_text=True)
        assert "Trop de tentatives" in page
    finally:
        # The limiter is one object shared by every app in this process: leave it as found.
        limiter.reset()
        limiter.enabled = False


def test_security_headers_are_sent(client):
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_health_checks_the_database(client):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("password", ["password123", "Azertyuiop", "1234567890", "qwertyuiop!"])
def test_a_common_password_is_refused_with_a_message_and_the_form_kept(client, password):
    response = client.post(
        "/account/register",
        data={
            "display_name": "Wilner",
            "email": "w@example.org",
            "password": password,
            "confirm": password,
            "consent": "y",
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "among the most used ones" in page and "w@example.org" in page
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_the_cli_refuses_a_common_password(app, ctx):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "admin@example.org", "--password", "password1234", "--role", "admin"]
    )
    assert result.exit_code != 0 and "most common" in result.output
