"""The privacy notice, "download my data", "delete my account" and a council's retention setting."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from consultation import access
from consultation.councils.services import all_councils, council_by_slug
from consultation.errors import Conflict, NotAllowed
from consultation.extensions import db, limiter
from consultation.forms import ButtonForm
from consultation.i18n import SESSION_KEY
from consultation.pages.services import current_statement
from consultation.privacy import rules, services
from consultation.privacy.export import export_personal_data
from consultation.privacy.forms import DeleteAccountForm, RetentionForm
from consultation.web import utcnow

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
@access.public
def notice():
    statement = current_statement()
    return render_template(
        "privacy/notice.html",
        councils=all_councils(),
        entity=statement.entity if statement and statement.entity else None,
    )


@bp.get("/account/data")
@access.authenticated
def my_data():
    return render_template("privacy/data.html", form=ButtonForm())


@bp.post("/account/data")
@access.authenticated
@limiter.limit("10 per minute")
def export():
    now = utcnow()
    document = export_personal_data(current_user._get_current_object(), now=now)
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="my-data-{now.date().isoformat()}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@access.authenticated
@limiter.limit("10 per minute", methods=["POST"])
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        language = session.get(SESSION_KEY) or user.locale
        try:
            services.delete_account(user, password=form.password.data, now=utcnow())
        except services.WrongPassword as error:
            db.session.rollback()
            form.password.errors = [*form.password.errors, str(error.message)]
        except Conflict as error:
            db.session.rollback()
            form.form_errors.append(str(error.message))
        else:
            db.session.commit()
            logout_user()
            session.clear()
            if language:
                session[SESSION_KEY] = language
            flash(_("Your account is deleted. Your contributions stay, without your name."), "success")
            return redirect(url_for("main.index"))
    return render_template("privacy/delete.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/councils/<slug>/privacy", methods=["GET", "POST"])
@access.authenticated
def edit_council(slug: str):
    if not rules.can_set_retention(access.current_actor()):
        raise NotAllowed()
    council = council_by_slug(slug)
    form = RetentionForm(obj=council)
    if form.validate_on_submit():
        try:
            services.set_retention(current_user, council, form.retention_months.data, now=utcnow())
        except Conflict as error:
            db.session.rollback()
            form.retention_months.errors = [*form.retention_months.errors, str(error.message)]
        else:
            db.session.commit()
            flash(_("The privacy settings of the council are saved."), "success")
            return redirect(url_for("councils.show", slug=council.slug))
    return render_template("privacy/council.html", council=council, form=form), 200 if request.method == "GET" else 422
