"""Time-based one-time passwords (RFC 6238) with pyotp: a secret, the link an authenticator app reads,
and the check of a code, which refuses a code already used."""

from __future__ import annotations

from datetime import datetime

import pyotp

STEP_SECONDS = 30
ISSUER = "Conseils citoyens"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def time_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def accepted_step(secret: str, code: str, *, now: datetime, last_step: int | None) -> int | None:
    """The time step the code belongs to (this one, or one step either side for clock drift), or None.
    A step at or before `last_step` is refused: a code works once."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = time_step(now)
    for step in (current, current - 1, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def grouped(secret: str) -> str:
    """The secret as people type it into an app by hand: groups of four."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
