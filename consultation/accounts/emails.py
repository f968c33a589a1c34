"""The mail of accounts: confirm an address, reset a password, warn of an address change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from consultation import mail
from consultation.accounts.models import User


def send_confirmation(user: User, token: str) -> bool:
    """To the address waiting for confirmation (a new one being changed to, or the current one)."""
    return mail.send(
        mail.render(
            "confirm_email",
            to=user.pending_email or user.email,
            locale=user.locale,
            subject=_l("Confirm your email address"),
            name=user.display_name,
            is_change=bool(user.pending_email),
            url=mail.external_url("accounts.confirm_email", token=token),
        )
    )


def send_change_notice(user: User) -> bool:
    """To the current address: someone asked to replace it (the person, we hope)."""
    return mail.send(
        mail.render(
            "email_change_notice",
            to=user.email,
            locale=user.locale,
            subject=_l("Your account's email address is about to change"),
            name=user.display_name,
            new_email=user.pending_email,
            url=mail.external_url("accounts.forgot_password"),
        )
    )


def send_reset(user: User, token: str) -> bool:
    return mail.send(
        mail.render(
            "reset_password",
            to=user.email,
            locale=user.locale,
            subject=_l("Choose a new password"),
            name=user.display_name,
            url=mail.external_url("accounts.reset_password", token=token),
        )
    )
