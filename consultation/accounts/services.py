"""Account actions: register, confirm the address, reset or change the password, edit the profile,
authenticate, create by an administrator, choose a language."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consultation.accounts import tokens, two_factor
from consultation.accounts.models import User
from consultation.audit import services as audit
from consultation.councils.models import Council, Membership
from consultation.errors import Conflict, DomainError, NotAllowed, NotFound
from consultation.extensions import db
from consultation.i18n import LANGUAGES
from consultation.permissions import Role, can_use_two_factor


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register(
    email: str,
    password: str,
    display_name: str,
    *,
    locale: str | None,
    now: datetime,
    accepts_charter: bool = False,
) -> User:
    """A new account, usable at once; its address waits for the confirmation link (consultation.accounts.mail)."""
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise Conflict(_l("An account already exists with this email address. Log in instead."))
    user = User(
        email=email,
        display_name=display_name.strip(),
        locale=locale if locale in LANGUAGES else None,
        created_at=now,
        charter_accepted_at=now if accepts_charter else None,
    )
    user.set_password(password)
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # the same address registered at the same instant
        raise Conflict(_l("An account already exists with this email address. Log in instead.")) from error
    return user


class AccountBlocked(NotAllowed):
    """The right password of an account that administrators blocked (consultation.moderation)."""


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is not None and user.blocked_at is not None and user.is_active_account and user.check_password(password):
        # Only someone who knows the password learns that the account is blocked, and why.
        raise AccountBlocked(
            _l(
                "This account is blocked by the platform's administrators: %(reason)s. "
                "Write to the council if you think this is a mistake.",
                reason=user.blocked_reason or "",
            )
        )
    if user is None or not user.is_active:
        # Hash anyway so that timing does not reveal which addresses have an account.
        User(password_hash="").set_password(password)  # nosec B106 (a throwaway hash, for even timing)
        return None
    return user if user.check_password(password) else None


def set_locale(user: User, locale: str) -> None:
    if locale in LANGUAGES:
        user.locale = locale


def grant_role(user: User, council: Council, role: Role, *, now: datetime) -> Membership:
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.council_id == council.id, Membership.role == role.value
        )
    )
    if existing is not None:
        return existing
    membership = Membership(user=user, council=council, role=role.value, created_at=now)
    db.session.add(membership)
    db.session.flush()
    audit.record(
        "role.granted", actor_id=None, details={"user": user.id, "council": council.id, "role": role.value}, now=now
    )
    return membership


def create_account(
    email: str,
    password: str,
    *,
    role: Role,
    council_slug: str | None,
    display_name: str | None,
    now: datetime,
) -> User:
    """Used by the CLI: an administrator creates an account with a role, in a council or platform-wide."""
    council = None
    if council_slug:
        council = db.session.scalar(select(Council).where(func.lower(Council.slug) == council_slug.lower()))
        if council is None:
            raise NotFound(_l("No council has this identifier."))
    elif role is not Role.ADMIN and role is not Role.RESIDENT:
        raise Conflict(_l("This role is held in a council: give the council's identifier."))
    user = find_by_email(email)
    if user is None:
        user = register(email, password, display_name or email.split("@")[0], locale=None, now=now)
    else:
        user.set_password(password)
    if role is Role.ADMIN and council is None:
        user.is_admin = True
    if council is not None:
        grant_role(user, council, role, now=now)
    db.session.flush()
    return user


class LinkError(DomainError):
    """A link from a mail that cannot be used (expired, forged, already used); the page says why."""

    status = 400


class WrongPassword(DomainError):
    status = 403


def _secret() -> str:
    return current_app.config["SECRET_KEY"]


def address_to_confirm(user: User) -> str | None:
    """The address waiting for its link: a new one being changed to, else an unconfirmed current one."""
    if user.pending_email:
        return user.pending_email
    return None if user.is_email_confirmed else user.email


def confirmation_token(user: User, *, now: datetime) -> str:
    address = address_to_confirm(user)
    if address is None:
        raise Conflict(_l("Your email address is already confirmed."))
    return tokens.make_confirmation(_secret(), user.id, address, now=now)


def confirmation_target(token: str, *, now: datetime) -> tuple[User, str]:
    """The account and the address a confirmation link is for, or LinkError saying why it cannot serve."""
    try:
        claim = tokens.read_confirmation(_secret(), token, now=now)
    except tokens.TokenError as error:
        if error.reason == "expired":
            raise LinkError(_l("This confirmation link has expired. Ask for a new one.")) from None
        claim = None
    user = db.session.get(User, claim.user_id) if claim else None
    if claim is None or user is None or not user.is_active:
        raise LinkError(
            _l("This confirmation link is not valid. Check that you copied it whole, or ask for a new one.")
        )
    if claim.email not in (user.email, user.pending_email):
        raise LinkError(_l("This link was sent to an address your account does not use any more."))
    return user, claim.email


def confirm_email(token: str, *, now: datetime) -> User:
    """Confirm the address a link was sent to: the current one, or the new one that replaces it."""
    user, address = confirmation_target(token, now=now)
    changed = False
    if address == user.pending_email and address != user.email:
        if find_by_email(address) is not None:
            raise Conflict(_l("Another account uses this email address now."))
        user.email = address
        user.pending_email = None
        user.email_confirmed_at = now
        changed = True
    elif user.email_confirmed_at is None:
        user.email_confirmed_at = now
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:  # the same address taken by another account at the same instant
        raise Conflict(_l("Another account uses this email address now.")) from error
    if changed:
        audit.record("account.email_changed", actor_id=user.id, details={}, now=now)
    return user


def account_for_reset(email: str) -> User | None:
    """The account a reset link may be sent to; None tells nobody anything (the page says the same)."""
    user = find_by_email(email)
    if user is None or not user.is_active or user.is_deleted:
        return None
    return user


def reset_token(user: User, *, now: datetime) -> str:
    return tokens.make_reset(_secret(), user.id, user.password_hash, user.email, now=now)


def user_of_reset_token(token: str, *, now: datetime) -> User:
    try:
        claim = tokens.read_reset(_secret(), token, now=now)
    except tokens.TokenError as error:
        if error.reason == "expired":
            raise LinkError(
                _l("This password reset link has expired: it works for one hour. Ask for a new one.")
            ) from None
        claim = None
    user = db.session.get(User, claim.user_id) if claim else None
    if (
        user is None
        or not user.is_active
        or claim is None
        or claim.fingerprint != tokens.password_fingerprint(user.password_hash, user.email)
    ):
        raise LinkError(_l("This password reset link is not valid or was already used. Ask for a new one."))
    return user


def reset_password(token: str, password: str, *, now: datetime) -> User:
    """Set a new password from a reset link; the new hash makes the link (and any other) useless."""
    user = user_of_reset_token(token, now=now)
    user.set_password(password)
    # The link reached this mailbox: that confirms the address too.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = now
    db.session.flush()
    audit.record("account.password_reset", actor_id=user.id, details={}, now=now)
    return user


def change_password(user: User, current: str, new: str, *, now: datetime) -> None:
    if not user.check_password(current):
        raise WrongPassword(_l("This is not your current password."))
    user.set_password(new)
    db.session.flush()
    audit.record("account.password_changed", actor_id=user.id, details={}, now=now)


def request_email_change(user: User, new_email: str, password: str, *, now: datetime) -> str:
    """Remember the new address until its link is opened; the login stays the old one until then."""
    if not user.check_password(password):
        raise WrongPassword(_l("This is not your current password."))
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise Conflict(_l("This is already your email address."))
    if find_by_email(new_email) is not None:
        raise Conflict(_l("Another account uses this email address."))
    user.pending_email = new_email
    db.session.flush()
    return new_email


def update_profile(
    user: User,
    *,
    display_name: str,
    locale: str | None,
    languages_spoken: str,
    email_kinds: set[str],
    all_kinds: set[str],
    email_delivery: str,
) -> None:
    """Save the profile; mail goes for the kinds ticked, so the others are muted."""
    from consultation.notifications.emails import DELIVERIES

    if email_delivery not in DELIVERIES:
        raise Conflict(_l("Choose how often you receive email."))
    user.display_name = display_name.strip()
    user.locale = locale if locale in LANGUAGES else None
    user.languages_spoken = " ".join(languages_spoken.split())
    # Kinds unknown to this form (added later, or by another domain) keep their setting.
    kept = {kind for kind in (user.email_muted_kinds or []) if kind not in all_kinds}
    user.email_muted_kinds = sorted(kept | (all_kinds - email_kinds))
    user.email_delivery = email_delivery
    db.session.flush()


# ------------------------------------------------------------------ sessions and second factor


def log_out_everywhere(user: User, *, now: datetime) -> None:
    """Every session and remember-me cookie of the account stops working (the caller starts a new one)."""
    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.flush()
    audit.record("account.logged_out_everywhere", actor_id=user.id, details={}, now=now)


def check_second_factor(user: User, code: str, *, now: datetime) -> bool:
    """True when the code is right and unused; the step is remembered so it cannot be played again."""
    if not user.totp_secret:
        return False
    step = two_factor.accepted_step(user.totp_secret, code, now=now, last_step=user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.flush()
    return True


def enable_second_factor(user: User, secret: str, code: str, *, now: datetime) -> bool:
    if not can_use_two_factor(user.actor):
        raise NotAllowed(_l("The second factor is offered to administrators and municipal officers."))
    step = two_factor.accepted_step(secret, code, now=now, last_step=None)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step
    db.session.flush()
    audit.record("account.two_factor_enabled", actor_id=user.id, details={}, now=now)
    return True


def disable_second_factor(user: User, password: str, code: str, *, now: datetime) -> bool:
    if not user.check_password(password) or not check_second_factor(user, code, now=now):
        return False
    user.totp_secret = None
    user.totp_last_step = None
    db.session.flush()
    audit.record("account.two_factor_disabled", actor_id=user.id, details={}, now=now)
    return True
