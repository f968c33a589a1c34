"""Opinion pages: draft, revise, comment, put to the vote, transmit, answer, follow, PDFs, exports."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consultation import access
from consultation.consultations.services import consultation_in_council
from consultation.councils.services import council_by_slug
from consultation.csv_cells import neutralise
from consultation.errors import Conflict, NotAllowed, NotFound
from consultation.extensions import db
from consultation.forms import ButtonForm
from consultation.i18n import current_language
from consultation.multilingual import services as texts
from consultation.multilingual.services import reader_language
from consultation.opinions import adoption, services
from consultation.opinions.export import opinions_rows
from consultation.opinions.figures import method_figures, workshop_vote_context
from consultation.opinions.forms import (
    AcknowledgeForm,
    AdoptionVoteForm,
    AnswerForm,
    CommentForm,
    NewOpinionForm,
    OpinionForm,
    TransmitForm,
)
from consultation.opinions.labels import ANSWER_LABELS, FOLLOW_UP_LABELS, TIMELINE_LABELS
from consultation.opinions.pdf import render_opinion_pdf
from consultation.opinions.rules import AnswerStatus
from consultation.permissions import can_answer_opinion, can_draft_opinion, can_manage_vote
from consultation.proposals.services import ranked_proposals
from consultation.referrals.services import questions_of
from consultation.text import render_markdown
from consultation.web import utcnow
from consultation.workshops.services import workshop_in_council

bp = Blueprint("opinions", __name__, url_prefix="/councils/<slug>")


def _prepare(form: OpinionForm, council, proposals: list[tuple[int, str]]) -> None:
    form.question.choices = [SelectChoice("", _("No referred question (the council's own initiative)"))] + [
        SelectChoice(str(q.id), q.title) for q in questions_of(council)
    ]
    for entry in form.recommendations:
        entry.form.sources.choices = [SelectChoice(str(pid), title) for pid, title in proposals]


def _draft_from(form: OpinionForm) -> services.OpinionDraft:
    return services.OpinionDraft(
        title=form.title.data or "",
        context=form.context.data or "",
        findings=form.findings.data or "",
        dissent=form.dissent.data or "",
        question_id=form.question.data,
        recommendations=tuple(
            services.RecommendationDraft(entry.form.text.data or "", tuple(entry.form.sources.data or ()))
            for entry in form.recommendations
        ),
    )


def _wants_another_recommendation(form: OpinionForm) -> bool:
    if form.add_recommendation.data and len(form.recommendations) < form.recommendations.max_entries:
        form.recommendations.append_entry()
        return True
    return False


@bp.route("/workshops/<int:workshop_id>/opinions/new", methods=["GET", "POST"])
@access.authenticated
def create(slug: str, workshop_id: int):
    council = council_by_slug(slug)
    workshop = workshop_in_council(access.current_actor(), council, workshop_id)
    services.check_can_draft_from(current_user, workshop)
    form = NewOpinionForm()
    if request.method == "GET":
        form.title.data = _("Opinion of the council on: %(title)s", title=workshop.title)
        form.question.data = getattr(workshop, "question_id", None)
    top = form.top.data if isinstance(form.top.data, int) and 1 <= form.top.data <= 500 else 10
    proposals = ranked_proposals(workshop, access.current_actor(), limit=top)
    _prepare(form, council, [(r.proposal.id, r.proposal.title) for r in proposals])
    status = 200
    if request.method == "POST" and not _wants_another_recommendation(form):
        if form.validate_on_submit():
            try:
                opinion = services.create_opinion(
                    current_user,
                    workshop,
                    _draft_from(form),
                    language=current_language().code,
                    top=form.top.data,
                    now=utcnow(),
                )
            except Conflict as error:
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The draft opinion is saved."), "success")
                return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))
        status = 422
    return render_template(
        "opinions/new.html", council=council, workshop=workshop, form=form, proposals=proposals
    ), status


def _opinion(slug: str, opinion_id: int):
    council = council_by_slug(slug)
    opinion = services.readable_opinion(access.current_actor(), opinion_id)
    if opinion.council_id != council.id:
        raise NotFound()
    return council, opinion


@bp.get("/opinions")
@access.public
def index(slug: str):
    council = council_by_slug(slug)
    status = request.args.get("status")
    follow = request.args.get("follow")
    today = utcnow().date()
    rows = [
        (o, services.follow_up_of(o, today))
        for o in services.opinions_of_council(access.current_actor(), council.id, status=status)
    ]
    if follow in {"answered", "due", "overdue", "not_transmitted"}:
        rows = [(o, f) for o, f in rows if f.state.value == follow]
    return render_template(
        "opinions/index.html",
        council=council,
        rows=rows,
        status=status,
        follow=follow,
        follow_up_labels=FOLLOW_UP_LABELS,
    )


@bp.get("/opinions.<any(csv, json):fmt>")
@access.public
def export(slug: str, fmt: str):
    council = council_by_slug(slug)
    opinions = services.opinions_of_council(access.current_actor(), council.id, status="adopted")
    rows = opinions_rows(opinions, utcnow().date())
    if fmt == "json":
        body = json.dumps({"council": council.slug, "opinions": rows}, ensure_ascii=False, indent=2, default=str)
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="avis-{council.slug}.json"'},
        )
    output = io.StringIO()
    fields = [
        "number",
        "title",
        "adopted_on",
        "transmitted_on",
        "follow_up",
        "due_on",
        "answered_on",
        "recommendation",
        "recommendation_text",
        "answer",
        "answer_reason",
        "expected_on",
    ]
    writer = csv.DictWriter(output, fieldnames=fields)
    writer.writeheader()
    for opinion in rows:
        base = {
            k: opinion[k]
            for k in ("number", "title", "adopted_on", "transmitted_on", "follow_up", "due_on", "answered_on")
        }
        for number, recommendation in enumerate(opinion["recommendations"], start=1):
            line = {
                **base,
                "recommendation": number,
                "recommendation_text": recommendation["text"],
                "answer": recommendation["answer"],
                "answer_reason": recommendation["answer_reason"],
                "expected_on": recommendation["expected_on"],
            }
            writer.writerow({k: neutralise(v) for k, v in line.items()})
    return Response(
        output.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="avis-{council.slug}.csv"'},
    )


@bp.get("/opinions/<int:opinion_id>")
@access.public
def show(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    actor = access.current_actor()
    drafter = can_draft_opinion(actor, council.id)
    return render_template(
        "opinions/show.html",
        council=council,
        opinion=opinion,
        render_markdown=render_markdown,
        follow_up=services.follow_up_of(opinion, utcnow().date()),
        follow_up_labels=FOLLOW_UP_LABELS,
        answer_labels=ANSWER_LABELS,
        timeline=services.timeline(opinion),
        timeline_labels=TIMELINE_LABELS,
        figures=method_figures(opinion.workshop_ids, opinion.consultation_ids),
        localized=texts.localized(reader_language(), opinion=[opinion]) if opinion.is_public else None,
        **workshop_vote_context(opinion.workshop_ids),
        votes=adoption.adoption_votes(opinion),
        comments=services.comments_of(opinion) if drafter else [],
        newer_version=services.newer_version(opinion),
        can_edit=drafter and not opinion.is_frozen,
        gatherable=services.gatherable_workshops(opinion) if drafter and not opinion.is_frozen else [],
        gatherable_consultations=(
            services.gatherable_consultations(opinion, now=utcnow()) if drafter and not opinion.is_frozen else []
        ),
        can_comment=drafter and not opinion.is_frozen,
        can_put_to_vote=can_manage_vote(actor, council.id) and not opinion.is_frozen,
        can_record=drafter and not opinion.is_frozen,
        can_correct=drafter and opinion.is_frozen,
        can_transmit=drafter and opinion.is_frozen,
        can_answer=can_answer_opinion(actor, council.id) and opinion.transmitted_on is not None,
        is_following=services.is_following(actor.user_id, opinion),
        comment_form=CommentForm(),
        vote_form=AdoptionVoteForm(),
        transmit_form=TransmitForm(),
        acknowledge_form=AcknowledgeForm(),
        button_form=ButtonForm(),
    )


@bp.route("/opinions/<int:opinion_id>/edit", methods=["GET", "POST"])
@access.authenticated
def edit(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    services.check_can_edit(current_user, opinion)
    form = OpinionForm()
    if request.method == "GET":
        form.title.data, form.context.data = opinion.title, opinion.context
        form.findings.data, form.dissent.data = opinion.findings, opinion.dissent
        form.question.data = opinion.question_id
        while len(form.recommendations):
            form.recommendations.pop_entry()
        for recommendation in opinion.recommendation_list or [None]:
            entry = form.recommendations.append_entry()
            if recommendation is not None:
                entry.form.text.data = recommendation.text
                entry.form.sources.data = [p.id for p in recommendation.sources]
    _prepare(form, council, [(i.proposal_id, i.proposal.title) for i in opinion.items])
    status = 200
    if request.method == "POST" and not _wants_another_recommendation(form):
        if form.validate_on_submit():
            try:
                services.update_opinion(current_user, opinion, _draft_from(form), now=utcnow())
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The opinion is saved."), "success")
                return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))
        status = 422
    return render_template("opinions/edit.html", council=council, opinion=opinion, form=form), status


@bp.get("/opinions/<int:opinion_id>/history")
@access.authenticated
def history(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    if not can_draft_opinion(access.current_actor(), council.id):
        raise NotFound()
    revisions = services.revisions_of(opinion)
    changes = None
    older = newer = None
    if request.args.get("from", "").isdigit() and request.args.get("to", "").isdigit():
        older = services.revision_of(opinion, int(request.args["from"]))
        newer = services.revision_of(opinion, int(request.args["to"]))
        changes = services.diff(older, newer)
    return render_template(
        "opinions/history.html",
        council=council,
        opinion=opinion,
        revisions=revisions,
        changes=changes,
        older=older,
        newer=newer,
    )


@bp.post("/opinions/<int:opinion_id>/comments")
@access.authenticated
def comment(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    form = CommentForm()
    if not form.validate_on_submit():
        raise Conflict(_("Write your comment."))
    services.add_comment(current_user, opinion, form.body.data, now=utcnow())
    db.session.commit()
    flash(_("Your comment is published for the council's members."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id, _anchor="comments"))


@bp.post("/opinions/<int:opinion_id>/vote")
@access.authenticated
def put_to_vote(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    form = AdoptionVoteForm()
    if not form.validate_on_submit():
        raise Conflict(_("Check the settings of the vote."))
    vote = adoption.start_adoption_vote(
        current_user,
        opinion,
        is_secret=form.is_secret.data,
        majority=form.majority.data,
        quorum=form.quorum.data,
        language=current_language().code,
        now=utcnow(),
    )
    db.session.commit()
    flash(_("The vote on the opinion is prepared. Open it when the council sits."), "success")
    return redirect(url_for("votes.show", slug=slug, vote_id=vote.id))


@bp.post("/opinions/<int:opinion_id>/record")
@access.authenticated
def record(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    _vote, adopted = adoption.record_result(current_user, opinion)
    db.session.commit()
    if adopted:
        flash(_("The opinion is adopted: opinion no. %(number)s.", number=opinion.number), "success")
    else:
        flash(_("The opinion was not adopted. It stays a draft."), "info")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))


@bp.post("/opinions/<int:opinion_id>/correct")
@access.authenticated
def correct(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    newer = services.correct(current_user, opinion, now=utcnow())
    db.session.commit()
    flash(_("A corrected version is started as a draft."), "success")
    return redirect(url_for("opinions.edit", slug=slug, opinion_id=newer.id))


@bp.post("/opinions/<int:opinion_id>/workshops")
@access.authenticated
def gather(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    workshop_id = request.form.get("workshop", type=int)
    if workshop_id is None:
        raise Conflict(_("Choose a workshop."))
    workshop = workshop_in_council(access.current_actor(), council, workshop_id)
    services.gather_workshop(current_user, opinion, workshop, now=utcnow())
    db.session.commit()
    flash(_("The workshop is gathered: its most supported proposals join the annex."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id, _anchor="method"))


@bp.post("/opinions/<int:opinion_id>/workshops/<int:workshop_id>/remove")
@access.authenticated
def release(slug: str, opinion_id: int, workshop_id: int):
    _council, opinion = _opinion(slug, opinion_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.release_workshop(current_user, opinion, workshop_id, now=utcnow())
    db.session.commit()
    flash(_("The workshop is taken out of the opinion, with its proposals."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id, _anchor="method"))


@bp.post("/opinions/<int:opinion_id>/consultations")
@access.authenticated
def gather_consultation(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    consultation_id = request.form.get("consultation", type=int)
    if consultation_id is None:
        raise Conflict(_("Choose a consultation."))
    consultation = consultation_in_council(access.current_actor(), council, consultation_id)
    services.gather_consultation(current_user, opinion, consultation, now=utcnow())
    db.session.commit()
    flash(_("The consultation is gathered: its most supported proposals join the annex."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id, _anchor="method"))


@bp.post("/opinions/<int:opinion_id>/consultations/<int:consultation_id>/remove")
@access.authenticated
def release_consultation(slug: str, opinion_id: int, consultation_id: int):
    _council, opinion = _opinion(slug, opinion_id)
    if not ButtonForm().validate_on_submit():
        raise Conflict()
    services.release_consultation(current_user, opinion, consultation_id, now=utcnow())
    db.session.commit()
    flash(_("The consultation is taken out of the opinion, with its proposals."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id, _anchor="method"))


@bp.route("/consultations/<int:consultation_id>/opinions/new", methods=["GET", "POST"])
@access.authenticated
def create_from_consultation(slug: str, consultation_id: int):
    council = council_by_slug(slug)
    consultation = consultation_in_council(access.current_actor(), council, consultation_id)
    services.check_can_draft_from_consultation(current_user, consultation, now=utcnow())
    form = NewOpinionForm()
    if request.method == "GET":
        form.title.data = _("Opinion of the council on: %(title)s", title=consultation.title)
        form.question.data = consultation.question_id
    top = form.top.data if isinstance(form.top.data, int) and 1 <= form.top.data <= 500 else 10
    proposals = services.ranked_consultation_proposals(consultation.id, limit=top)
    _prepare(form, council, [(r.proposal.id, r.proposal.title) for r in proposals])
    status = 200
    if request.method == "POST" and not _wants_another_recommendation(form):
        if form.validate_on_submit():
            try:
                opinion = services.create_opinion_from_consultation(
                    current_user,
                    consultation,
                    _draft_from(form),
                    language=current_language().code,
                    top=form.top.data,
                    now=utcnow(),
                )
            except Conflict as error:
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The draft opinion is saved."), "success")
                return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))
        status = 422
    return render_template(
        "opinions/new.html",
        council=council,
        consultation=consultation,
        workshop=None,
        form=form,
        proposals=proposals,
    ), status


@bp.post("/opinions/<int:opinion_id>/transmit")
@access.authenticated
def transmit(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    form = TransmitForm()
    if not form.validate_on_submit():
        raise Conflict(_("Give the addressee and the date of transmission."))
    services.transmit(current_user, opinion, addressee=form.addressee.data, on=form.on.data, now=utcnow())
    db.session.commit()
    flash(_("The transmission is recorded."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))


@bp.post("/opinions/<int:opinion_id>/acknowledge")
@access.authenticated
def acknowledge(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        raise Conflict(_("Enter a date."))
    services.acknowledge(current_user, opinion, on=form.on.data)
    db.session.commit()
    flash(_("The acknowledgement is recorded."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))


@bp.route("/opinions/<int:opinion_id>/answer", methods=["GET", "POST"])
@access.authenticated
def answer(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    if not can_answer_opinion(access.current_actor(), council.id):
        raise NotAllowed(_("Only the municipality's officers can acknowledge or answer an opinion."))
    if opinion.transmitted_on is None:
        raise Conflict(_("This opinion has not been transmitted yet."))
    recommendations = opinion.recommendation_list
    form = AnswerForm()
    if request.method == "GET":
        if opinion.answer:
            form.answered_on.data, form.summary.data = opinion.answer.answered_on, opinion.answer.summary
        else:
            form.answered_on.data = utcnow().date()
        for recommendation in recommendations:
            entry = form.answers.append_entry()
            if recommendation.answer:
                entry.form.status.data = recommendation.answer.status
                entry.form.reason.data = recommendation.answer.reason
                entry.form.expected_on.data = recommendation.answer.expected_on
    status = 200
    if request.method == "POST":
        if form.validate_on_submit() and len(form.answers) == len(recommendations):
            answers = [
                services.AnswerInput(
                    r.id, AnswerStatus(e.form.status.data), e.form.reason.data, e.form.expected_on.data
                )
                for r, e in zip(recommendations, form.answers, strict=True)
            ]
            try:
                services.answer(
                    current_user,
                    opinion,
                    answered_on=form.answered_on.data,
                    summary=form.summary.data,
                    answers=answers,
                    now=utcnow(),
                )
            except Conflict as error:
                db.session.rollback()
                form.form_errors.append(str(error.message))
            else:
                db.session.commit()
                flash(_("The municipality's answer is published."), "success")
                return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))
        status = 422
    return render_template(
        "opinions/answer.html",
        council=council,
        opinion=opinion,
        form=form,
        pairs=list(zip(recommendations, form.answers, strict=False)),
    ), status


@bp.post("/opinions/<int:opinion_id>/follow")
@access.authenticated
def follow(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    services.follow(current_user, opinion, now=utcnow())
    db.session.commit()
    flash(_("You follow this opinion: you will see here when the municipality answers."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))


@bp.post("/opinions/<int:opinion_id>/unfollow")
@access.authenticated
def unfollow(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    services.unfollow(current_user, opinion)
    db.session.commit()
    flash(_("You no longer follow this opinion."), "success")
    return redirect(url_for("opinions.show", slug=slug, opinion_id=opinion.id))


@bp.get("/opinions/<int:opinion_id>.pdf")
@access.public
def pdf(slug: str, opinion_id: int):
    council, opinion = _opinion(slug, opinion_id)
    lang = current_language().code
    archive = request.args.get("variant") == "archive"
    document = render_opinion_pdf(opinion, lang, archive=archive)
    label = opinion.number or f"projet-{opinion.id}"
    filename = f"avis-{council.slug}-{label}-{lang}{'-archive' if archive else ''}.pdf"
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
