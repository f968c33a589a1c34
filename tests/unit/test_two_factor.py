"""Time-based one-time passwords: the right code of this step or a neighbouring one, never twice."""

from datetime import UTC, datetime, timedelta

import pyotp

from consultation.accounts.two_factor import accepted_step, grouped, new_secret, provisioning_uri, time_step

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 28, 21, 0, 15, tzinfo=UTC)


def code_at(moment: datetime) -> str:
    return pyotp.TOTP(SECRET).at(moment)


def test_the_current_code_is_accepted_once():
    step = accepted_step(SECRET, code_at(NOW), now=NOW, last_step=None)
    assert step == time_step(NOW)
    assert accepted_step(SECRET, code_at(NOW), now=NOW, last_step=step) is None  # replayed


def test_a_neighbouring_step_is_accepted_for_clock_drift_but_not_further():
    assert accepted_step(SECRET, code_at(NOW - timedelta(seconds=30)), now=NOW, last_step=None) is not None
    assert accepted_step(SECRET, code_at(NOW + timedelta(seconds=30)), now=NOW, last_step=None) is not None
    assert accepted_step(SECRET, code_at(NOW - timedelta(seconds=90)), now=NOW, last_step=None) is None


def test_malformed_codes_are_refused():
    for code in ("", "12345", "1234567", "abcdef", "12 34 5"):
        assert accepted_step(SECRET, code, now=NOW, last_step=None) is None
    spaced = code_at(NOW)[:3] + " " + code_at(NOW)[3:]
    assert accepted_step(SECRET, spaced, now=NOW, last_step=None) is not None


def test_a_new_secret_and_its_link_for_the_app():
    secret = new_secret()
    assert len(secret) >= 16 and secret != new_secret()
    uri = provisioning_uri(secret, "mairie@example.org")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "issuer=Conseils" in uri
    assert grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
