"""Home page, language switcher and health endpoint."""

from __future__ import annotations

from flask import Blueprint, render_template, session
from flask_login import current_user
from sqlalchemy import text

from consultation import access
from consultation.accounts.forms import LanguageForm
from consultation.accounts.services import set_locale
from consultation.councils.services import all_councils
from consultation.extensions import db
from consultation.i18n import SESSION_KEY
from consultation.web import redirect_next
from consultation.workshops.services import open_workshops

bp = Blueprint("main", __name__)


@bp.get("/")
@access.public
def index():
    return render_template("main/index.html", councils=all_councils(), workshops=open_workshops())


@bp.post("/language")
@access.public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session[SESSION_KEY] = form.language.data
        if current_user.is_authenticated:
            set_locale(current_user, form.language.data)
            db.session.commit()
    return redirect_next(form.next.data)


@bp.get("/healthz")
@access.public
def health():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", which is the answer, not a crash
        db.session.rollback()
        return {"status": "unavailable", "database": "error"}, 503
    return {"status": "ok", "database": "ok"}
