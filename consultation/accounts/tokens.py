"""Signed, expiring links sent by mail: confirm an email address, reset a password.

Pure functions over itsdangerous (no Flask, no database): the secret and the time come in as
arguments, so that expiry is tested without waiting. Tokens are signed, not encrypted: anyone
can read their payload, so it holds an account id, an address the reader already has, and
fingerprints, never a password hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadData, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

CONFIRM_SALT = "accounts.confirm-email"
RESET_SALT = "accounts.reset-password"
CONFIRM_MAX_AGE = timedelta(days=3)
RESET_MAX_AGE = timedelta(hours=1)


class TokenError(Exception):
    """A link that cannot be used; `reason` is "expired" or "invalid"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Confirmation:
    user_id: int
    email: str


@dataclass(frozen=True)
class Reset:
    user_id: int
    fingerprint: str


def fingerprint(*values: str) -> str:
    """A short digest that changes whenever one of the values changes (a password hash, an address)."""
    return hashlib.sha256("\n".join(values).encode()).hexdigest()[:32]


def password_fingerprint(password_hash: str, email: str) -> str:
    # A new password, or a new address, kills every reset link sent before: a link works once.
    return fingerprint(password_hash, email)


def _serializer(secret: str, salt: str, now: datetime) -> URLSafeTimedSerializer:
    stamp = int(now.timestamp())

    class ClockSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return stamp

    return URLSafeTimedSerializer(secret, salt=salt, signer=ClockSigner)


def _load(secret: str, salt: str, token: str, max_age: timedelta, now: datetime) -> dict:
    try:
        payload = _serializer(secret, salt, now).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise TokenError("expired") from None
    except BadData:
        raise TokenError("invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        raise TokenError("invalid")
    return payload


def make_confirmation(secret: str, user_id: int, email: str, *, now: datetime) -> str:
    return _serializer(secret, CONFIRM_SALT, now).dumps({"id": user_id, "email": email})


def read_confirmation(secret: str, token: str, *, now: datetime) -> Confirmation:
    payload = _load(secret, CONFIRM_SALT, token, CONFIRM_MAX_AGE, now)
    if not isinstance(payload.get("email"), str):
        raise TokenError("invalid")
    return Confirmation(payload["id"], payload["email"])


def make_reset(secret: str, user_id: int, password_hash: str, email: str, *, now: datetime) -> str:
    return _serializer(secret, RESET_SALT, now).dumps({"id": user_id, "fp": password_fingerprint(password_hash, email)})


def read_reset(secret: str, token: str, *, now: datetime) -> Reset:
    payload = _load(secret, RESET_SALT, token, RESET_MAX_AGE, now)
    if not isinstance(payload.get("fp"), str):
        raise TokenError("invalid")
    return Reset(payload["id"], payload["fp"])
