"""Signed links of accounts (pure: no app) and the shape of an outgoing message."""

from datetime import UTC, datetime, timedelta

import pytest

from consultation.accounts import tokens
from consultation.mail import Mail

SECRET = "unit-secret"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_a_confirmation_link_carries_its_account_and_address():
    token = tokens.make_confirmation(SECRET, 7, "ana@example.org", now=NOW)
    assert tokens.read_confirmation(SECRET, token, now=NOW + timedelta(days=2)) == tokens.Confirmation(
        7, "ana@example.org"
    )


@pytest.mark.parametrize(
    ("age", "works"),
    [(timedelta(0), True), (timedelta(days=3), True), (timedelta(days=3, seconds=1), False)],
)
def test_a_confirmation_link_lasts_three_days(age, works):
    token = tokens.make_confirmation(SECRET, 7, "ana@example.org", now=NOW)
    if works:
        tokens.read_confirmation(SECRET, token, now=NOW + age)
    else:
        with pytest.raises(tokens.TokenError) as error:
            tokens.read_confirmation(SECRET, token, now=NOW + age)
        assert error.value.reason == "expired"


@pytest.mark.parametrize(
    ("age", "works"),
    [(timedelta(minutes=59), True), (timedelta(hours=1), True), (timedelta(hours=1, seconds=1), False)],
)
def test_a_reset_link_lasts_one_hour(age, works):
    token = tokens.make_reset(SECRET, 7, "scrypt:hash", "ana@example.org", now=NOW)
    if works:
        assert tokens.read_reset(SECRET, token, now=NOW + age).user_id == 7
    else:
        with pytest.raises(tokens.TokenError, match="expired"):
            tokens.read_reset(SECRET, token, now=NOW + age)


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "x" + token,
        lambda token: "",
        lambda token: "not.a.token",
        lambda token: tokens.make_confirmation("another secret", 7, "ana@example.org", now=NOW),
        # A reset link is no confirmation link: the salts differ.
        lambda token: tokens.make_reset(SECRET, 7, "scrypt:hash", "ana@example.org", now=NOW),
    ],
    ids=["changed-signature", "prefixed", "empty", "garbage", "other-secret", "other-purpose"],
)
def test_a_forged_link_is_invalid(forge):
    token = forge(tokens.make_confirmation(SECRET, 7, "ana@example.org", now=NOW))
    with pytest.raises(tokens.TokenError) as error:
        tokens.read_confirmation(SECRET, token, now=NOW)
    assert error.value.reason == "invalid"


def test_a_reset_link_dies_with_the_password_or_the_address_it_was_made_for():
    claim = tokens.read_reset(SECRET, tokens.make_reset(SECRET, 7, "hash-1", "ana@example.org", now=NOW), now=NOW)
    assert claim.fingerprint == tokens.password_fingerprint("hash-1", "ana@example.org")
    assert claim.fingerprint != tokens.password_fingerprint("hash-2", "ana@example.org")
    assert claim.fingerprint != tokens.password_fingerprint("hash-1", "other@example.org")


def test_a_reset_link_does_not_show_the_password_hash():
    token = tokens.make_reset(SECRET, 7, "scrypt:32768:8:1$salt$secret-hash", "ana@example.org", now=NOW)
    assert "secret-hash" not in token and "salt" not in token


def test_a_message_is_text_and_html_in_its_language():
    mail = Mail(to="ana@example.org", subject="Bonjour", text="Texte\n", html="<p>Texte</p>", language="pt-BR")
    message = mail.as_message("Conseils citoyens <no-reply@example.org>")
    assert message["Content-Language"] == "pt-BR" and message["To"] == "ana@example.org"
    assert message["Message-ID"].endswith("@example.org>")
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
