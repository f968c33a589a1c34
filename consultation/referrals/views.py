"""A council's questions: the public list, one question with its workshops, and recording a new one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consultation import access
from consultation.councils.services import council_by_slug
from consultation.errors import NotAllowed
from consultation.extensions import db
from consultation.permissions import can_refer_question
from consultation.referrals import services
from consultation.referrals.forms import QuestionForm
from consultation.web import utcnow
from consultation.workshops.models import Workshop

bp = Blueprint("referrals", __name__, url_prefix="/councils/<slug>/questions")


@bp.get("/")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    return render_template(
        "referrals/index.html",
        council=council,
        questions=services.questions_of(council),
        can_refer=can_refer_question(access.current_actor(), council.id),
    )


@bp.get("/<int:question_id>")
@access.public
def show(slug: str, question_id: int):
    council = council_by_slug(slug)
    question = services.question_in_council(council, question_id)
    workshops = db.session.scalars(
        select(Workshop)
        .where(Workshop.question_id == question.id, Workshop.is_published.is_(True))
        .order_by(Workshop.starts_at)
    ).all()
    return render_template("referrals/show.html", council=council, question=question, workshops=workshops)


@bp.route("/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str):
    council = council_by_slug(slug)
    if not can_refer_question(access.current_actor(), council.id):
        raise NotAllowed(_("Only the council's members and facilitators can record its questions."))
    form = QuestionForm()
    if form.validate_on_submit():
        question = services.record_question(
            current_user,
            council,
            title=form.title.data,
            text=form.text.data or "",
            kind=form.kind.data,
            referred_by=form.referred_by.data or "",
            referred_on=form.referred_on.data,
            answer_expected_on=form.answer_expected_on.data,
            now=utcnow(),
        )
        db.session.commit()
        flash(_("The question is recorded."), "success")
        return redirect(url_for("referrals.show", slug=slug, question_id=question.id))
    status = 422 if request.method == "POST" else 200
    return render_template("referrals/new.html", council=council, form=form), status
