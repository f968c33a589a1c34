"""Register, log in, log out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from consultation import access
from consultation.accounts import services
from consultation.accounts.forms import LoginForm, RegisterForm
from consultation.errors import Conflict
from consultation.extensions import db, limiter
from consultation.forms import ButtonForm
from consultation.i18n import SESSION_KEY
from consultation.web import redirect_next, utcnow

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _start_session(user, remember: bool = False) -> None:
    # A fresh session at login, so that a session id planted before login is worth nothing.
    remembered_language = session.get(SESSION_KEY)
    session.clear()
    if remembered_language:
        session[SESSION_KEY] = remembered_language
    login_user(user, remember=remember)


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
                locale=session.get(SESSION_KEY),
                now=utcnow(),
            )
        except Conflict as error:
            form.email.errors = [*form.email.errors, str(error.message)]
        else:
            db.session.commit()
            _start_session(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.display_name), "success")
            return redirect_next(request.args.get("next"))
    return render_template("accounts/register.html", form=form), 200 if request.method == "GET" else 422


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
        if user is not None:
            _start_session(user, remember=form.remember.data)
            if user.locale:
                session[SESSION_KEY] = user.locale
            flash(_("You are logged in."), "success")
            return redirect_next(form.next.data)
        form.password.errors = [_("This email address and password do not match an account.")]
    return render_template("accounts/login.html", form=form), 200 if request.method == "GET" else 422


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
