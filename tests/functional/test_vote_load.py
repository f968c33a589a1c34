"""Integrity under load: 40 concurrent clients vote through two separate app processes sharing only the
database (SQLite or PostgreSQL, whichever the suite runs on). Each sends its ballot twice at the same
moment, once to each process. Every accepted ballot is counted once, every refused one gets a clear
answer, and none is lost."""

from __future__ import annotations

import multiprocessing
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from sqlalchemy import func, select

from consultation.extensions import db
from consultation.permissions import Role
from consultation.voting.models import VoteBallot, VoteParticipation
from consultation.workshops.phases import Phase
from tests.conftest import BASE_CONFIG
from tests.factories import PASSWORD, make_council, make_user, make_workshop
from tests.factories_votes import keys, make_vote
from tests.factories_workshops import give_join_code

MEMBERS = 24
PHONES = 16
ALREADY_CAST = "This ballot has already been cast"


def _serve(config: dict, ports: multiprocessing.Queue) -> None:
    """One app process: its own interpreter, engine and connection pool, as under gunicorn."""
    from werkzeug.serving import make_server

    from consultation import create_app

    server = make_server("127.0.0.1", 0, create_app(config), threaded=True)
    ports.put(server.server_port)
    server.serve_forever()


@pytest.fixture()
def two_processes():
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    config = {**BASE_CONFIG, "WTF_CSRF_ENABLED": False}
    processes = [context.Process(target=_serve, args=(config, ports), daemon=True) for _ in range(2)]
    for process in processes:
        process.start()
    urls = [f"http://127.0.0.1:{ports.get(timeout=60)}" for _ in processes]
    yield urls
    for process in processes:
        process.terminate()
        process.join(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to record, not a page to follow


class Browser:
    """One person's cookies, shared by both processes (they share nothing else)."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def post(self, url: str, data: dict[str, str]) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310  (a local test server)
            url, data=urllib.parse.urlencode(data).encode(), headers={"Accept-Language": "en"}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode()


def test_forty_clients_through_two_processes_count_every_ballot_once(ctx, two_processes):
    council = make_council()
    members = [make_user(Role.MEMBER, council) for _ in range(MEMBERS)]
    council_vote = make_vote(council, electorate="members")
    workshop = make_workshop(council, phase=Phase.VOTE)
    code = give_join_code(workshop)
    room_vote = make_vote(council, workshop=workshop, electorate="workshop")
    council_keys, room_keys = keys(council_vote), keys(room_vote)
    slug, council_vote_id, room_vote_id = council.slug, council_vote.id, room_vote.id
    emails = [m.email for m in members]
    db.session.commit()

    # Everyone gets in first: members log in, phones join by code, alternating between the processes.
    people = []
    for number, email in enumerate(emails):
        browser = Browser()
        status, _ = browser.post(f"{two_processes[number % 2]}/account/login", {"email": email, "password": PASSWORD})
        assert status == 302
        ballot = {"choice": council_keys[number % len(council_keys)]}
        people.append((browser, f"/councils/{slug}/votes/{council_vote_id}/ballot", ballot))
    for number in range(PHONES):
        browser = Browser()
        status, _ = browser.post(f"{two_processes[number % 2]}/join/{code}", {"display_name": "", "charter": "y"})
        assert status == 302
        people.append((browser, f"/join/{code}/votes/{room_vote_id}", {"choice": room_keys[number % len(room_keys)]}))

    # Then every person sends the same ballot to both processes at the same moment.
    answers: list[list[tuple[int, str]]] = [[] for _ in people]
    barrier = threading.Barrier(2 * len(people))

    def send(index: int, base: str) -> None:
        browser, path, ballot = people[index]
        barrier.wait()
        answers[index].append(browser.post(base + path, ballot))

    threads = [threading.Thread(target=send, args=(i, base)) for i in range(len(people)) for base in two_processes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    for index, pair in enumerate(answers):
        statuses = sorted(status for status, _ in pair)
        assert statuses == [302, 409], (index, statuses, [body[:300] for _, body in pair])
        refused = next(body for status, body in pair if status == 409)
        assert ALREADY_CAST in refused  # a clear answer, in the reader's language
    db.session.rollback()
    for vote_id, expected in ((council_vote_id, MEMBERS), (room_vote_id, PHONES)):
        participations = db.session.scalar(select(func.count()).where(VoteParticipation.vote_id == vote_id))
        ballots = db.session.scalar(select(func.count()).where(VoteBallot.vote_id == vote_id))
        assert participations == ballots == expected
