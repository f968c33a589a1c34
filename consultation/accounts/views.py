"""Register, confirm the address, log in and out, reset or change the password, edit the profile."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from consultation import access
from consultation.accounts import emails, services, two_factor
from consultation.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    DisableTwoFactorForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from consultation.accounts.models import User
from consultation.errors import Conflict, NotAllowed
from consultation.extensions import db, limiter
from consultation.forms import ButtonForm
from consultation.i18n import SESSION_KEY, current_language
from consultation.notifications.labels import EMAIL_KINDS
from consultation.permissions import can_use_two_factor
from consultation.web import redirect_next, utcnow
from consultation.workshops.qr import join_qr_svg

bp = Blueprint("accounts", __name__, url_prefix="/account")

# Mail costs the recipient's attention: few per person, per address and per network address.
RESEND_LIMIT = "5 per hour"
FORGOT_LIMIT = "10 per hour"
FORGOT_PER_ADDRESS_LIMIT = "3 per hour"
TWO_FACTOR_KEY = "two_factor_pending"
TWO_FACTOR_SETUP_KEY = "two_factor_setup"
CODE_WINDOW_SECONDS = 300  # the code must follow the password within five minutes
PASSWORD_CHECK_LIMIT = "10 per hour"  # noqa: S105  # nosec B105 (a rate, not a password)


def _per_person() -> str:
    # Limits are checked before the view's access rule: an anonymous visitor counts by network address.
    if current_user.is_authenticated:
        return f"person:{current_user.id}"
    return f"network:{get_remote_address()}"


def _per_address() -> str:
    return "address:" + services.normalise_email(request.form.get("email", ""))


def _status() -> int:
    return 200 if request.method == "GET" else 422


def _start_session(user, remember: bool = False) -> None:
    # A fresh session at login, so that a session id planted before login is worth nothing.
    remembered_language = session.get(SESSION_KEY)
    session.clear()
    if remembered_language:
        session[SESSION_KEY] = remembered_language
    login_user(user, remember=remember)


def _privacy_notice_url() -> str | None:
    # The privacy notice belongs to consultation.privacy; link to it whenever it is installed.
    return url_for("privacy.notice") if "privacy.notice" in current_app.view_functions else None


def _send_confirmation(user) -> bool:
    return emails.send_confirmation(user, services.confirmation_token(user, now=utcnow()))


@bp.route("/register", methods=["GET", "POST"])
@access.public
@limiter.limit("10 per minute", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.register(
                form.email.data,
                form.password.data,
                form.display_name.data,
                # The language the form was read in (chosen, or the browser's): the mail follows it.
                locale=session.get(SESSION_KEY) or current_language().code,
                now=utcnow(),
                accepts_charter=form.consent.data,
            )
        except Conflict as error:
            form.email.errors = [*form.email.errors, str(error.message)]
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
            if _send_confirmation(user):
                flash(_("We sent a link to %(email)s: open it to confirm your address.", email=user.email), "info")
            else:
                flash(_("We could not send the email to confirm your address. Ask for it again later."), "error")
            return redirect_next(request.args.get("next"))
    return render_template("accounts/register.html", form=form, privacy_url=_privacy_notice_url()), _status()


@bp.route("/confirm", methods=["GET", "POST"])
@access.authenticated
@limiter.limit(RESEND_LIMIT, key_func=_per_person, methods=["POST"])
def confirmation():
    """Where the address stands, and a button to send the link again."""
    form = ButtonForm()
    if form.validate_on_submit():
        address = services.address_to_confirm(current_user)
        if address is None:
            flash(_("Your email address is already confirmed."), "info")
        elif _send_confirmation(current_user):
            flash(_("We sent a new link to %(email)s. It works for 3 days.", email=address), "success")
        else:
            flash(_("We could not send the email. Try again in a few minutes."), "error")
        return redirect(url_for("accounts.confirmation"))
    return render_template("accounts/confirmation.html", address=services.address_to_confirm(current_user), form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@access.public
@limiter.limit("20 per minute", methods=["POST"])
def confirm_email(token: str):
    """The link in the mail shows a button: mail scanners that open links confirm nothing."""
    try:
        user, address = services.confirmation_target(token, now=utcnow())
    except services.LinkError as error:
        return _link_error(error, retry_endpoint="accounts.confirmation")
    form = ButtonForm()
    if form.validate_on_submit():
        services.confirm_email(token, now=utcnow())
        db.session.commit()
        flash(_("Thank you: your email address %(email)s is confirmed.", email=address), "success")
        return redirect(url_for("accounts.profile" if current_user.is_authenticated else "accounts.login"))
    is_done = address == user.email and user.is_email_confirmed
    return render_template("accounts/confirm_email.html", form=form, address=address, is_done=is_done)


def _link_error(error: services.LinkError, *, retry_endpoint: str):
    return render_template("accounts/link_error.html", message=error.message, retry_endpoint=retry_endpoint), 400


@bp.route("/login", methods=["GET", "POST"])
@access.public
@limiter.limit("10 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None and user.totp_secret:
            # The password was right; the session starts only once the code from the app is too.
            session[TWO_FACTOR_KEY] = {
                "user": user.id,
                "remember": bool(form.remember.data),
                "next": form.next.data or "",
                "at": int(utcnow().timestamp()),
            }
            return redirect(url_for("accounts.login_code"))
        if user is not None:
            _start_session(user, remember=form.remember.data)
            if user.locale:
                session[SESSION_KEY] = user.locale
            flash(_("You are logged in."), "success")
            return redirect_next(form.next.data)
        form.password.errors = [_("This email address and password do not match an account.")]
    return render_template("accounts/login.html", form=form), _status()


def _pending_second_factor() -> tuple[User | None, dict]:
    pending = session.get(TWO_FACTOR_KEY)
    if not isinstance(pending, dict) or int(utcnow().timestamp()) - int(pending.get("at", 0)) > CODE_WINDOW_SECONDS:
        return None, {}
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.is_active or not user.totp_secret:
        return None, {}
    return user, pending


@bp.route("/login/code", methods=["GET", "POST"])
@access.public
@limiter.limit("10 per minute", methods=["POST"])
def login_code():
    user, pending = _pending_second_factor()
    if user is None:
        session.pop(TWO_FACTOR_KEY, None)
        flash(_("Log in again: the code must follow the password within five minutes."), "info")
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if services.check_second_factor(user, form.code.data, now=utcnow()):
            db.session.commit()
            _start_session(user, remember=pending.get("remember", False))
            if user.locale:
                session[SESSION_KEY] = user.locale
            flash(_("You are logged in."), "success")
            return redirect_next(pending.get("next", ""))
        db.session.rollback()
        form.code.errors = [_("This code is not right, or it was already used: wait for the next one.")]
    return render_template("accounts/login_code.html", form=form), _status()


@bp.route("/two-factor", methods=["GET", "POST"])
@access.authenticated
def two_factor_settings():
    if not can_use_two_factor(current_user.actor):
        raise NotAllowed(_("The second factor is offered to administrators and municipal officers."))
    if current_user.totp_secret:
        form = DisableTwoFactorForm()
        if form.validate_on_submit():
            if services.disable_second_factor(current_user, form.current_password.data, form.code.data, now=utcnow()):
                db.session.commit()
                flash(_("The second factor is turned off: your password alone opens your account."), "success")
                return redirect(url_for("accounts.two_factor_settings"))
            db.session.rollback()
            form.code.errors = [_("The password or the code is not right.")]
        return render_template("accounts/two_factor.html", enabled=True, form=form), _status()
    secret = session.get(TWO_FACTOR_SETUP_KEY) or two_factor.new_secret()
    session[TWO_FACTOR_SETUP_KEY] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if services.enable_second_factor(current_user, secret, form.code.data, now=utcnow()):
            session.pop(TWO_FACTOR_SETUP_KEY, None)
            db.session.commit()
            flash(_("The second factor is on: from now on, logging in asks for a code from your app."), "success")
            return redirect(url_for("accounts.two_factor_settings"))
        form.code.errors = [_("This code is not right: check the time of your phone, then try the next code.")]
    uri = two_factor.provisioning_uri(secret, current_user.email)
    return render_template(
        "accounts/two_factor.html",
        enabled=False,
        form=form,
        secret=two_factor.grouped(secret),
        qr=join_qr_svg(uri, _("QR code to add this account to an authenticator app")),
    ), _status()


@bp.post("/logout-everywhere")
@access.authenticated
def logout_everywhere():
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    user = current_user._get_current_object()
    services.log_out_everywhere(user, now=utcnow())
    db.session.commit()
    _start_session(user)  # this device gets a session that matches the new count
    flash(_("Every other session of your account is closed; you stay logged in on this device."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/logout")
@access.authenticated
def logout():
    form = ButtonForm()
    if form.validate_on_submit():
        language = session.get(SESSION_KEY)
        logout_user()
        session.clear()
        if language:
            session[SESSION_KEY] = language
        flash(_("You are logged out."), "success")
    return redirect(url_for("main.index"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@access.public
@limiter.limit(FORGOT_LIMIT, methods=["POST"])
@limiter.limit(FORGOT_PER_ADDRESS_LIMIT, key_func=_per_address, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.account_for_reset(form.email.data)
        if user is not None:
            emails.send_reset(user, services.reset_token(user, now=utcnow()))
        # The same words whether or not an account uses the address: this page tells nobody who has one.
        flash(
            _(
                "If an account uses the address %(email)s, we sent it a link to choose a new password. "
                "The link works for one hour.",
                email=services.normalise_email(form.email.data),
            ),
            "success",
        )
        return redirect(url_for("accounts.forgot_password"))
    return render_template("accounts/forgot_password.html", form=form), _status()


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@access.public
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    try:
        services.user_of_reset_token(token, now=utcnow())
    except services.LinkError as error:
        return _link_error(error, retry_endpoint="accounts.forgot_password")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data, now=utcnow())
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your new password is saved. Log in with it."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), _status()


@bp.route("", methods=["GET", "POST"])
@access.authenticated
def profile():
    user = current_user
    initial = None
    if request.method == "GET":
        muted = set(user.email_muted_kinds or ())
        initial = {
            "display_name": user.stored_name,
            "locale": user.locale or "",
            "languages_spoken": user.languages_spoken,
            "email_kinds": [kind for kind in EMAIL_KINDS if kind not in muted],
            "email_delivery": user.email_delivery,
        }
    form = ProfileForm(email_kinds=EMAIL_KINDS, data=initial)
    if form.validate_on_submit():
        services.update_profile(
            user,
            display_name=form.display_name.data,
            locale=form.locale.data or None,
            languages_spoken=form.languages_spoken.data or "",
            email_kinds=set(form.email_kinds.data or ()),
            all_kinds=set(EMAIL_KINDS),
            email_delivery=form.email_delivery.data,
        )
        db.session.commit()
        if user.locale:
            session[SESSION_KEY] = user.locale
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", form=form, user=user, can_use_two_factor=can_use_two_factor(user.actor)
    ), _status()


@bp.route("/email", methods=["GET", "POST"])
@access.authenticated
@limiter.limit(PASSWORD_CHECK_LIMIT, key_func=_per_person, methods=["POST"])
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            new_email = services.request_email_change(
                current_user, form.email.data, form.current_password.data, now=utcnow()
            )
        except services.WrongPassword as error:
            form.current_password.errors = [str(error.message)]
        except Conflict as error:
            form.email.errors = [str(error.message)]
        else:
            db.session.commit()
            if _send_confirmation(current_user):
                emails.send_change_notice(current_user)
                flash(
                    _(
                        "We sent a link to %(new)s. Your address changes when you open it; "
                        "until then, log in with %(old)s.",
                        new=new_email,
                        old=current_user.email,
                    ),
                    "success",
                )
            else:
                flash(_("We could not send the email. Try again in a few minutes."), "error")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_email.html", form=form), _status()


@bp.route("/password", methods=["GET", "POST"])
@access.authenticated
@limiter.limit(PASSWORD_CHECK_LIMIT, key_func=_per_person, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data, now=utcnow())
        except services.WrongPassword as error:
            form.current_password.errors = [str(error.message)]
        else:
            db.session.commit()
            # The new password ends every session of the account: start this one again.
            _start_session(current_user._get_current_object())
            flash(_("Your new password is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form), _status()
