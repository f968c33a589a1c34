"""Mail of accounts and notifications: confirm an address, reset or change a password, the profile,
notification mail at once or in a daily digest, and a mail server that fails without breaking a page."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from consultation import mail
from consultation.accounts import tokens
from consultation.accounts.models import User
from consultation.config import ConfigError
from consultation.db import utcnow
from consultation.extensions import db, limiter
from consultation.notifications.models import Notification
from consultation.notifications.services import notify
from consultation.permissions import Role
from consultation.workshops.phases import Phase
from tests.factories import PASSWORD, make_council, make_opinion, make_user, make_workshop

EN = {"Accept-Language": "en"}
SECRET = "tests-only-secret"
NEW_PASSWORD = "a brand new password"


@pytest.fixture()
def outbox(app, data_app):
    """Mail sent by the pages (the web app); `cli_outbox` holds what the command line and the test's
    own transactions sent (the data app)."""
    for application in (app, data_app):
        mail.outbox(application).clear()
    yield mail.outbox(app)
    for application in (app, data_app):
        mail.outbox(application).clear()


@pytest.fixture()
def cli_outbox(data_app, outbox):
    return mail.outbox(data_app)


@pytest.fixture()
def rate_limited(make_app):
    """An app with the rate limits on; the limiter is shared by every app of the process: leave it as found."""
    try:
        yield make_app(RATELIMIT_ENABLED=True)
    finally:
        limiter.reset()
        limiter.enabled = False


def link_in(message: mail.Mail, pattern: str) -> str:
    """The path of the first link of the text part that matches `pattern`."""
    urls = [url for url in re.findall(r"https?://\S+", message.text) if pattern in url]
    assert urls, message.text
    return urlsplit(urls[0]).path


def confirmed_user(**kwargs) -> User:
    user = make_user(**kwargs)
    user.email_confirmed_at = utcnow()
    db.session.commit()
    return user


def register(client, **overrides):
    data = {
        "display_name": "Wilner",
        "email": "wilner@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "consent": "y",
        **overrides,
    }
    return client.post("/account/register", data=data, headers=EN)


# Registration and confirmation


def test_the_confirmation_mail_is_in_the_language_the_form_was_read_in(client, outbox):
    """No language chosen: the browser's (Spanish here) is the one the person read, so the mail follows it."""
    data = {"display_name": "Lucía", "email": "lucia@example.org", "password": PASSWORD, "confirm": PASSWORD}
    response = client.post("/account/register", data=data | {"consent": "y"}, headers={"Accept-Language": "es-ES"})
    assert response.status_code == 302
    [sent] = outbox
    assert sent.language == "es" and '<html lang="es"' in sent.html
    assert db.session.scalar(select(User.locale).where(User.email == "lucia@example.org")) == "es"


def test_registration_sends_a_confirmation_link_that_confirms_the_address(client, outbox):
    client.post("/language", data={"language": "en"})
    response = register(client)
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email_confirmed_at is None and user.charter_accepted_at is not None
    assert "We sent a link to wilner@example.org" in client.get("/", headers=EN).get_data(as_text=True)

    [sent] = outbox
    assert sent.to == "wilner@example.org" and sent.subject == "Confirm your email address"
    assert sent.language == "en" and '<html lang="en" dir="ltr">' in sent.html
    message = sent.as_message("Conseils <no-reply@example.org>")
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]

    path = link_in(sent, "/account/confirm/")
    page = client.get(path, headers=EN)
    assert page.status_code == 200 and "Confirm my address" in page.get_data(as_text=True)
    assert client.post(path, headers=EN).headers["Location"] == "/account"
    db.session.refresh(user)
    assert user.email_confirmed_at is not None
    assert "already confirmed" in client.get(path, headers=EN).get_data(as_text=True)


def test_the_confirmation_link_works_logged_out_too(app, client, outbox):
    register(client)
    path = link_in(outbox[0], "/account/confirm/")
    other_device = app.test_client()
    assert other_device.post(path).headers["Location"] == "/account/login"
    assert db.session.scalar(select(User)).email_confirmed_at is not None


def test_mail_goes_in_the_default_language_without_a_profile_language(client, outbox):
    data = {"display_name": "Wilner", "email": "wilner@example.org", "password": PASSWORD, "confirm": PASSWORD}
    assert client.post("/account/register", data=data | {"consent": "y"}).status_code == 302  # no Accept-Language
    [sent] = outbox
    assert sent.language == "fr" and '<html lang="fr"' in sent.html


def test_registration_needs_the_charter_and_keeps_what_was_typed(client, outbox):
    response = register(client, consent="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Wilner"' in page and 'value="wilner@example.org"' in page
    assert "Accept the participation charter and the privacy notice" in page
    assert 'id="consent-error"' in page and 'aria-describedby="consent-error"' in page
    assert db.session.scalar(select(User)) is None and outbox == []


def test_registration_links_the_privacy_notice_when_it_exists(app, client):
    page = client.get("/account/register", headers=EN).get_data(as_text=True)
    assert "Participation charter" in page
    if "privacy.notice" in app.view_functions:
        assert 'href="/privacy"' in page


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (
            lambda user: tokens.make_confirmation(SECRET, user.id, user.email, now=utcnow() - timedelta(days=4)),
            "expired",
        ),  # noqa: E501
        (lambda user: tokens.make_confirmation(SECRET, user.id, user.email, now=utcnow())[:-3] + "abc", "not valid"),
        (lambda user: tokens.make_confirmation("another secret", user.id, user.email, now=utcnow()), "not valid"),
        (lambda user: tokens.make_reset(SECRET, user.id, user.password_hash, user.email, now=utcnow()), "not valid"),
        (lambda user: tokens.make_confirmation(SECRET, user.id, "old@example.org", now=utcnow()), "does not use"),
    ],
    ids=["expired", "forged", "other-secret", "reset-token", "old-address"],
)
def test_a_bad_confirmation_link_is_refused_with_a_message(client, make_token, message):
    user = make_user()
    for method in ("GET", "POST"):
        response = client.open(f"/account/confirm/{make_token(user)}", method=method, headers=EN)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.email_confirmed_at is None


def test_resend_sends_a_new_link(client, login, outbox):
    user = make_user()
    login(client, user)
    page = client.get("/account/confirm", headers=EN).get_data(as_text=True)
    assert user.email in page and "Send me a new link" in page
    response = client.post("/account/confirm", headers=EN)
    assert response.status_code == 302
    [sent] = outbox
    assert sent.to == user.email
    client.post(link_in(sent, "/account/confirm/"))
    db.session.refresh(user)
    assert user.is_email_confirmed
    client.post("/account/confirm")
    assert len(outbox) == 1  # nothing left to confirm
    assert "is confirmed" in client.get("/account/confirm", headers=EN).get_data(as_text=True)


def test_resend_is_rate_limited(rate_limited, ctx, login, outbox):
    client = rate_limited.test_client()
    login(client, make_user())
    statuses = [client.post("/account/confirm").status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox(rate_limited)) == 5
    # Per person: someone else still gets their link; a visitor is sent to the login page.
    login(other := rate_limited.test_client(), make_user())
    assert other.post("/account/confirm").status_code == 302
    anonymous = rate_limited.test_client().post("/account/confirm")
    assert "/account/login" in anonymous.headers["Location"]


# Password reset


def test_password_reset_works_end_to_end_and_only_once(app, client, login, outbox):
    user = make_user(locale="en")
    logged_in_elsewhere = login(app.test_client(), user)
    response = client.post("/account/password/forgot", data={"email": user.email.upper()}, headers=EN)
    assert response.status_code == 302
    [sent] = outbox
    assert sent.to == user.email and sent.subject == "Choose a new password"
    path = link_in(sent, "/account/password/reset/")

    assert client.get(path, headers=EN).status_code == 200
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": "something else"}, headers=EN)
    assert mismatch.status_code == 422 and "The two passwords are different" in mismatch.get_data(as_text=True)
    short = client.post(path, data={"password": "short", "confirm": "short"}, headers=EN)
    assert short.status_code == 422
    done = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, headers=EN)
    assert done.status_code == 302 and done.headers["Location"] == "/account/login"
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD) and user.is_email_confirmed  # the link reached the mailbox

    again = client.post(path, data={"password": "yet another password", "confirm": "yet another password"}, headers=EN)
    assert again.status_code == 400 and "already used" in again.get_data(as_text=True)
    # The new password ended the sessions opened with the old one.
    assert logged_in_elsewhere.get("/account").status_code == 302
    login(client, user, NEW_PASSWORD)


def test_forgot_password_answers_the_same_for_an_unknown_address(app, client, outbox):
    user = make_user()
    answers = []
    for address in (user.email, "nobody@example.org"):
        response = client.post("/account/password/forgot", data={"email": address}, headers=EN, follow_redirects=True)
        page = response.get_data(as_text=True)
        # A CSRF token is signed with the second it was made: two requests a second apart differ there.
        page = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1TOKEN", page)
        answers.append((response.status_code, page.replace(address, "ADDRESS")))
    assert answers[0] == answers[1]
    assert "If an account uses the address" in answers[0][1]
    assert [sent.to for sent in outbox] == [user.email]


def test_forgot_password_keeps_a_bad_address_with_a_message(client, outbox):
    response = client.post("/account/password/forgot", data={"email": "not-an-address"}, headers=EN)
    assert response.status_code == 422
    assert 'value="not-an-address"' in response.get_data(as_text=True)
    assert outbox == []


def test_an_expired_reset_link_is_refused(client):
    user = make_user()
    token = tokens.make_reset(SECRET, user.id, user.password_hash, user.email, now=utcnow() - timedelta(minutes=61))
    response = client.get(f"/account/password/reset/{token}", headers=EN)
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_forgot_password_is_rate_limited_per_address(rate_limited, ctx, outbox):
    user = make_user()
    client = rate_limited.test_client()
    statuses = [client.post("/account/password/forgot", data={"email": user.email}).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert len(mail.outbox(rate_limited)) == 3
    # Another address from the same network is still answered.
    assert client.post("/account/password/forgot", data={"email": "other@example.org"}).status_code == 302


# Profile


def test_profile_shows_and_saves_the_settings(client, login):
    user = make_user(name="Ana")
    login(client, user)
    page = client.get("/account", headers=EN).get_data(as_text=True)
    assert 'value="Ana"' in page and user.email in page and "not confirmed" in page
    response = client.post(
        "/account",
        data={
            "display_name": "Ana Lima",
            "locale": "pt_BR",
            "languages_spoken": "Português,  français",
            "email_kinds": ["opinion_answered", "workshop_seat"],
            "email_delivery": "daily",
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.display_name, user.locale, user.languages_spoken) == ("Ana Lima", "pt_BR", "Português, français")
    # Every kind not ticked is muted, the kinds other domains add included.
    from consultation.notifications.labels import EMAIL_KINDS

    unticked = sorted(set(EMAIL_KINDS) - {"opinion_answered", "workshop_seat"})
    assert user.email_delivery == "daily" and user.email_muted_kinds == unticked
    assert "opinion_transmitted" in unticked
    page = client.get("/account").get_data(as_text=True)
    assert '<html lang="pt-BR"' in page
    assert re.search(r'<input[^>]*checked[^>]*value="opinion_answered"|value="opinion_answered"[^>]*checked', page)
    assert not re.search(r'value="opinion_transmitted"[^>]*checked', page)


def test_profile_errors_keep_what_was_typed(client, login):
    user = make_user(name="Ana")
    login(client, user)
    response = client.post(
        "/account",
        data={
            "display_name": "",
            "locale": "xx",
            "languages_spoken": "Kreyòl " * 40,
            "email_kinds": ["opinion_answered"],
            "email_delivery": "daily",
        },
        headers=EN,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the name others will see." in page and "Use at most 200 characters." in page
    assert "Kreyòl Kreyòl" in page and re.search(r'value="daily"[^>]*checked|checked[^>]*value="daily"', page)
    db.session.refresh(user)
    assert user.display_name == "Ana" and user.email_delivery == "immediate"


def test_email_change_waits_for_the_new_address_to_be_confirmed(app, client, login, outbox):
    user = confirmed_user(email="old@example.org")
    make_user(email="taken@example.org")
    login(client, user)
    wrong = client.post("/account/email", data={"email": "new@example.org", "current_password": "not it"}, headers=EN)
    assert wrong.status_code == 422 and "This is not your current password." in wrong.get_data(as_text=True)
    assert 'value="new@example.org"' in wrong.get_data(as_text=True)
    taken = client.post("/account/email", data={"email": "Taken@example.org", "current_password": PASSWORD}, headers=EN)
    assert taken.status_code == 422 and "Another account uses this email address." in taken.get_data(as_text=True)
    assert outbox == []

    old_link = tokens.make_confirmation(SECRET, user.id, "old@example.org", now=utcnow())
    response = client.post("/account/email", data={"email": "New@example.org", "current_password": PASSWORD})
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.email, user.pending_email) == ("old@example.org", "new@example.org")
    confirmation, notice = outbox
    assert confirmation.to == "new@example.org" and notice.to == "old@example.org"
    assert "new@example.org" in notice.text
    login(app.test_client(), user)  # still the old address until the new one is confirmed

    client.post(link_in(confirmation, "/account/confirm/"))
    db.session.refresh(user)
    assert (user.email, user.pending_email) == ("new@example.org", None) and user.is_email_confirmed
    stale = client.get(f"/account/confirm/{old_link}", headers=EN)
    assert stale.status_code == 400 and "does not use any more" in stale.get_data(as_text=True)


def test_password_change_needs_the_current_password(app, client, login):
    user = make_user()
    login(client, user)
    other_device = login(app.test_client(), user)
    wrong = client.post(
        "/account/password",
        data={"current_password": "not it", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        headers=EN,
    )
    assert wrong.status_code == 422 and "This is not your current password." in wrong.get_data(as_text=True)
    response = client.post(
        "/account/password", data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/account").status_code == 200  # this device stays logged in …
    assert other_device.get("/account").status_code == 302  # … the others are logged out


# Notifications by mail


def test_notifications_are_mailed_at_once_only_to_who_chose_it(ctx, cli_outbox):
    at_once = confirmed_user(locale="en")
    daily = confirmed_user()
    daily.email_delivery = "daily"
    muted = confirmed_user()
    muted.email_muted_kinds = ["opinion_answered"]
    unconfirmed = make_user()
    db.session.commit()
    params = {"title": "Éclairage du bourg", "slug": "macouria", "opinion_id": 7}
    notify([at_once.id, daily.id, muted.id, unconfirmed.id], kind="opinion_answered", params=params, now=utcnow())
    assert cli_outbox == []  # nothing leaves before the commit
    db.session.commit()

    [sent] = cli_outbox
    assert sent.to == at_once.email and sent.language == "en"
    assert "The municipality answered the opinion “Éclairage du bourg”." in sent.text
    assert "/councils/macouria/opinions/7" in sent.text and "/account" in sent.html
    emailed = dict(db.session.execute(select(Notification.user_id, Notification.emailed_at)).all())
    assert emailed[at_once.id] is not None
    assert emailed[daily.id] is None and emailed[muted.id] is None and emailed[unconfirmed.id] is None


def test_an_answered_opinion_is_mailed_to_a_follower_after_the_page_commits(client, login, outbox):
    council = make_council()
    opinion = make_opinion(make_workshop(council, phase=Phase.DISCUSSION), status="adopted")
    opinion.transmitted_on = date(2026, 12, 1)
    follower = confirmed_user(locale="en")
    officer = make_user(Role.OFFICER, council)
    db.session.commit()
    login(client, follower)
    client.post(f"/councils/{council.slug}/opinions/{opinion.id}/follow")
    officer_client = login(client.application.test_client(), officer)
    response = officer_client.post(
        f"/councils/{council.slug}/opinions/{opinion.id}/answer",
        data={
            "answered_on": "2027-01-10",
            "summary": "Réponse.",
            "answers-0-status": "accepted",
            "answers-0-reason": "Oui.",
        },
    )
    assert response.status_code == 302
    [sent] = outbox
    assert sent.to == follower.email and sent.subject.startswith("The municipality answered the opinion")
    assert f"http://localhost/councils/{council.slug}/opinions/{opinion.id}" in sent.text


def test_no_mail_leaves_when_the_transaction_rolls_back(ctx, cli_outbox):
    user = confirmed_user()
    notify([user.id], kind="opinion_answered", params={"title": "x"}, now=utcnow())
    db.session.rollback()
    db.session.commit()
    assert cli_outbox == []


def test_the_daily_digest_sends_each_notification_once(app, ctx, cli_outbox):
    reader = confirmed_user(locale="es")
    reader.email_delivery = "daily"
    at_once = confirmed_user()
    db.session.commit()
    now = utcnow()
    both = [reader.id, at_once.id]
    notify(both, kind="opinion_transmitted", params={"title": "Avis 1"}, now=now - timedelta(hours=3))
    notify([reader.id], kind="opinion_answered", params={"title": "Avis 2"}, now=now - timedelta(hours=1))
    notify([reader.id], kind="opinion_answered", params={"title": "Trop ancien"}, now=now - timedelta(days=2))
    db.session.commit()
    cli_outbox.clear()  # the immediate mail of at_once

    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "digest"])
    assert result.exit_code == 0, result.output
    assert "digests sent: 1 (notifications: 2)" in result.output
    [digest] = cli_outbox
    assert digest.to == reader.email and digest.language == "es"
    assert "Avis 1" in digest.text and "Avis 2" in digest.text and "Trop ancien" not in digest.text
    assert digest.text.index("Avis 1") < digest.text.index("Avis 2")

    again = runner.invoke(args=["notifications", "digest"])
    assert again.exit_code == 0 and "digests sent: 0" in again.output
    assert len(cli_outbox) == 1


def test_a_failed_digest_is_retried_by_the_next_run(app, ctx, cli_outbox, data_app, monkeypatch):
    reader = confirmed_user()
    reader.email_delivery = "daily"
    db.session.commit()
    notify([reader.id], kind="opinion_answered", params={"title": "Avis"}, now=utcnow())
    db.session.commit()
    monkeypatch.setitem(data_app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(data_app.config, "MAIL_PORT", _closed_port())
    failed = app.test_cli_runner().invoke(args=["notifications", "digest"])
    assert failed.exit_code == 1
    assert db.session.scalar(select(Notification.emailed_at)) is None
    monkeypatch.setitem(data_app.config, "MAIL_BACKEND", "memory")
    assert app.test_cli_runner().invoke(args=["notifications", "digest"]).exit_code == 0
    assert len(cli_outbox) == 1


# Backends and failures


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_fails_never_breaks_a_page(make_app, ctx):
    broken = make_app(
        MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_closed_port(), BASE_URL="https://example.org"
    )
    client = broken.test_client()
    response = register(client)
    assert response.status_code == 302
    assert "We could not send the email" in client.get("/", headers=EN).get_data(as_text=True)
    user = db.session.scalar(select(User))
    assert user is not None
    forgot = client.post("/account/password/forgot", data={"email": user.email}, headers=EN)
    assert forgot.status_code == 302


def test_the_file_backend_writes_eml_files(make_app, ctx, tmp_path):
    user = make_user()
    files = make_app(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path / "mail"), BASE_URL="https://example.org/civic")
    files.test_client().post("/account/password/forgot", data={"email": user.email})
    [written] = (tmp_path / "mail").glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"] == user.email and message["Auto-Submitted"] == "auto-generated"
    text = message.get_body(("plain",)).get_content()
    # BASE_URL, not the request's Host header, makes the links of mail.
    assert "https://example.org/civic/account/password/reset/" in text


def test_a_reset_request_without_csrf_token_is_refused(csrf_app, ctx, outbox):
    user = make_user()
    before = len(mail.outbox(csrf_app))  # the browser tests share this app and its outbox
    response = csrf_app.test_client().post("/account/password/forgot", data={"email": user.email})
    assert response.status_code == 400
    assert mail.outbox(csrf_app)[before:] == []


@pytest.mark.parametrize(
    "settings",
    [{"MAIL_BACKEND": "pigeon"}, {"MAIL_BACKEND": "smtp", "BASE_URL": ""}, {"MAIL_FROM": "nobody"}],
    ids=["unknown-backend", "smtp-without-base-url", "bad-sender"],
)
def test_mail_settings_are_checked_at_start_up(make_app, settings):
    with pytest.raises(ConfigError):
        make_app(**settings)
