"""Online consultations: themes and districts, consultations, proposals with attachments, similar titles,
supports, comments, follows, notifications, moderation, the author's timeline, lists and the API."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from consultation.consultations.models import (
    Consultation,
    Follow,
    ProposalAttachment,
    ProposalComment,
    ProposalEvent,
)
from consultation.councils.models import District, Theme
from consultation.db import utcnow
from consultation.extensions import db
from consultation.notifications.models import Notification
from consultation.opinions.models import MunicipalAnswer
from consultation.permissions import Role
from consultation.proposals.models import Proposal, Support
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_user, make_workshop
from tests.factories_consultations import (
    EXECUTABLE,
    JPEG,
    PDF,
    PNG,
    WEBP,
    make_consultation,
    make_consultation_proposal,
)
from tests.statements import recorded_statements

EN = {"Accept-Language": "en"}
LOGIN = 302


@pytest.fixture()
def uploads(app, tmp_path, monkeypatch):
    """Attachments go to a folder of the test's own."""
    monkeypatch.setitem(app.config, "UPLOADS_DIR", str(tmp_path))
    return tmp_path / "proposals"


@pytest.fixture()
def world(ctx):
    council = make_council(slug="macouria", themes=("Mobilités", "Environnement"))
    council.districts.extend([District(name="Sainte-Agathe"), District(name="Soula")])
    other = make_council(slug="pantin")
    db.session.commit()
    consultation = make_consultation(council, title="Mieux vivre à Soula")
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "facilitator_elsewhere": make_user(Role.FACILITATOR, other),
        "facilitator": make_user(Role.FACILITATOR, council),
        "secretary": make_user(Role.SECRETARY, council),
        "member": make_user(Role.MEMBER, council),
        "admin": make_user(is_admin=True),
    }
    return {"council": council, "other": other, "consultation": consultation, "people": people}


def base(world) -> str:
    return f"/councils/macouria/consultations/{world['consultation'].id}"


def client_as(app, login, person):
    client = app.test_client()
    if person is not None:
        login(client, person)
    return client


def proposal_data(**overrides):
    return {
        "title": "Éclairer le chemin de l'école",
        "body": "Le soir, les enfants marchent dans le noir.",
        **overrides,
    }


def notifications(user, kind=None):
    query = select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------------------------- access matrix

ROLES = ["anonymous", "resident", "facilitator_elsewhere", "facilitator", "secretary", "member", "admin"]
MANAGERS = {"facilitator", "secretary", "admin"}


def _expect(allowed, ok, refused=403):
    return {role: (LOGIN if role == "anonymous" else ok if role in allowed else refused) for role in ROLES}


MATRIX = [
    ("GET", "/councils/macouria/consultations/", None, dict.fromkeys(ROLES, 200)),
    ("GET", "{base}", None, dict.fromkeys(ROLES, 200)),
    ("GET", "{base}/similar?title=eclairage", None, dict.fromkeys(ROLES, 200)),
    ("GET", "{base}/proposals/{proposal}", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/councils/pantin/consultations/{consultation}", None, dict.fromkeys(ROLES, 404)),
    ("GET", "{draft}", None, {**dict.fromkeys(ROLES, 404), **dict.fromkeys(MANAGERS, 200)}),
    ("GET", "/councils/macouria/consultations/new", None, _expect(MANAGERS, 200)),
    ("GET", "{base}/edit", None, _expect(MANAGERS, 200)),
    ("GET", "{base}/proposals/new", None, _expect(ROLES, 200)),
    ("POST", "{base}/proposals/{proposal}/support", {}, _expect(ROLES, 302)),
    ("POST", "{base}/follow", {}, _expect(ROLES, 302)),
    ("POST", "{base}/proposals/{proposal}/follow", {}, _expect(ROLES, 302)),
    ("GET", "{base}/proposals/{proposal}/edit", None, _expect(set(), 0, 403)),
    ("POST", "{base}/proposals/{proposal}/withdraw", {}, _expect(set(), 0, 403)),
    ("POST", "{base}/proposals/{proposal}/accept", {}, _expect(MANAGERS, 302)),
    ("POST", "{base}/proposals/{proposal}/reject", {"reject-reason": "Hors sujet"}, _expect(MANAGERS, 302)),
    ("GET", "/councils/macouria/themes", None, _expect(MANAGERS, 200)),
    ("POST", "/councils/macouria/themes", {"name": "Culture"}, _expect(MANAGERS, 302)),
    ("POST", "/councils/macouria/districts/{district}/rename", {}, _expect({"secretary", "admin"}, 422)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "template", "data", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _d, _e in MATRIX]
)
def test_access_matrix(app, world, login, role, method, template, data, expected):
    author = make_user()
    proposal = make_consultation_proposal(world["consultation"], author, title="Éclairage du chemin")
    draft = make_consultation(world["council"], status="draft")
    url = template.format(
        base=base(world),
        proposal=proposal.id,
        consultation=world["consultation"].id,
        draft=f"/councils/macouria/consultations/{draft.id}",
        district=world["council"].districts[0].id,
    )
    response = client_as(app, login, world["people"][role]).open(url, method=method, data=data)
    assert response.status_code == expected[role], response.get_data(as_text=True)[:300]
    if expected[role] == LOGIN and role == "anonymous":
        assert "/account/login" in response.headers["Location"]


# ---------------------------------------------------------------------------------- themes and districts


def test_themes_are_added_renamed_and_removed_and_their_proposals_keep_going(app, world, login):
    client = client_as(app, login, world["people"]["facilitator"])
    mobility = world["council"].themes[1]  # ordered by name: Environnement, Mobilités
    proposal = make_consultation_proposal(world["consultation"], theme=mobility)
    assert client.post("/councils/macouria/themes", data={"name": "Culture"}).status_code == 302
    twice = client.post("/councils/macouria/themes", data={"name": "culture"}, headers=EN)
    assert twice.status_code == 422 and "already has this theme" in twice.get_data(as_text=True)
    assert 'value="culture"' in twice.get_data(as_text=True)
    assert client.post("/councils/macouria/themes", data={"name": ""}).status_code == 422
    renamed = client.post(
        f"/councils/macouria/themes/{mobility.id}/rename", data={f"theme-{mobility.id}-name": "Transports"}
    )
    assert renamed.status_code == 302
    clash = client.post(
        f"/councils/macouria/themes/{mobility.id}/rename", data={f"theme-{mobility.id}-name": "CULTURE"}, headers=EN
    )
    assert clash.status_code == 422 and 'value="CULTURE"' in clash.get_data(as_text=True)
    assert client.post(f"/councils/macouria/themes/{mobility.id}/delete").status_code == 302
    assert set(db.session.scalars(select(Theme.name).where(Theme.council_id == world["council"].id))) == {
        "Culture",
        "Environnement",
    }
    assert db.session.get(Proposal, proposal.id).theme_id is None
    foreign = world["other"].themes[0]
    assert client.post(f"/councils/macouria/themes/{foreign.id}/delete").status_code == 404


def test_a_district_is_renamed_and_removing_it_leaves_its_proposals_without_one(app, world, login):
    soula = world["council"].districts[1]
    proposal = make_consultation_proposal(world["consultation"], district=soula)
    world["consultation"].districts = [soula]
    db.session.commit()
    client = client_as(app, login, world["people"]["secretary"])
    response = client.post(
        f"/councils/macouria/districts/{soula.id}/rename", data={f"district-{soula.id}-name": "Soula 2"}
    )
    assert response.status_code == 302
    assert db.session.get(District, soula.id).name == "Soula 2"
    assert client.post(f"/councils/macouria/districts/{soula.id}/delete").status_code == 302
    assert db.session.get(Proposal, proposal.id).district_id is None
    assert db.session.get(Consultation, world["consultation"].id).districts == []


# ---------------------------------------------------------------------------------- consultations


def consultation_form(**overrides):
    return {
        "title": "Nos parcs",
        "description": "Que faire des **parcs** ?",
        "question": "",
        "opens_at": "2026-12-01T09:00",
        "closes_at": "2026-12-31T18:00",
        "is_published": "y",
        **overrides,
    }


def test_a_manager_opens_a_consultation_on_themes_and_districts(app, world, login):
    council = world["council"]
    client = client_as(app, login, world["people"]["facilitator"])
    theme, district = council.themes[0], council.districts[0]
    response = client.post(
        "/councils/macouria/consultations/new",
        data=consultation_form(themes=[str(theme.id)], districts=[str(district.id)]),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    consultation = db.session.scalar(select(Consultation).where(Consultation.title == "Nos parcs"))
    assert [t.id for t in consultation.themes] == [theme.id] and [d.id for d in consultation.districts] == [district.id]
    assert consultation.opens_at.hour == 8  # typed as 9:00 in the council's zone (Paris, winter): 8:00 UTC
    page = client.get(f"/councils/macouria/consultations/{consultation.id}", headers=EN).get_data(as_text=True)
    assert "<strong>parcs</strong>" in page


def test_a_consultation_closing_before_it_opens_is_refused_with_what_was_typed(app, world, login):
    client = client_as(app, login, world["people"]["secretary"])
    response = client.post(
        "/councils/macouria/consultations/new",
        data=consultation_form(title="Nos jardins", closes_at="2026-11-01T09:00"),
        headers=EN,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "must close after it opens" in page and 'value="Nos jardins"' in page
    foreign = world["other"].themes[0]
    refused = client.post(
        "/councils/macouria/consultations/new", data=consultation_form(themes=[str(foreign.id)]), headers=EN
    )
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count(Consultation.id))) == 1


def test_drafts_are_listed_only_for_managers(app, world, login):
    make_consultation(world["council"], status="draft", title="Brouillon secret")
    public = app.test_client().get("/councils/macouria/consultations/").get_data(as_text=True)
    assert "Mieux vivre à Soula" in public and "Brouillon secret" not in public
    manager = client_as(app, login, world["people"]["facilitator"])
    assert "Brouillon secret" in manager.get("/councils/macouria/consultations/").get_data(as_text=True)
    assert "Online consultations" in app.test_client().get("/councils/macouria", headers=EN).get_data(as_text=True)


def test_a_manager_edits_a_consultation(app, world, login):
    client = client_as(app, login, world["people"]["admin"])
    form = client.get(base(world) + "/edit").get_data(as_text=True)
    assert 'value="Mieux vivre à Soula"' in form
    response = client.post(base(world) + "/edit", data=consultation_form(title="Mieux vivre à Soula et Préfontaine"))
    assert response.status_code == 302
    assert db.session.get(Consultation, world["consultation"].id).title == "Mieux vivre à Soula et Préfontaine"


# ---------------------------------------------------------------------------------- proposals


def test_a_resident_sends_a_proposal_with_theme_district_language_and_image(app, world, login, uploads):
    from io import BytesIO

    council = world["council"]
    resident = world["people"]["resident"]
    client = client_as(app, login, resident)
    theme, district = council.themes[0], council.districts[1]
    response = client.post(
        base(world) + "/proposals/new",
        data=proposal_data(
            theme=str(theme.id),
            district=str(district.id),
            language="ht",
            attachment=(BytesIO(PNG), "plan.png", "image/png"),
            attachment_description="Le chemin sans lampadaire",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    proposal = db.session.scalar(select(Proposal))
    assert (proposal.consultation_id, proposal.workshop_id, proposal.theme_id, proposal.district_id) == (
        world["consultation"].id,
        None,
        theme.id,
        district.id,
    )
    assert proposal.language == "ht" and proposal.author_id == resident.id
    assert proposal.search_text.startswith("eclairer le chemin de l'ecole")
    assert [e.kind for e in db.session.scalars(select(ProposalEvent))] == ["received"]
    stored = db.session.scalar(select(ProposalAttachment))
    assert stored.content_type == "image/png" and stored.description == "Le chemin sans lampadaire"
    assert (uploads / stored.stored_name).read_bytes() == PNG and "plan" not in stored.stored_name
    # The author follows their proposal from the start.
    assert db.session.scalar(select(Follow.proposal_id).where(Follow.user_id == resident.id)) == proposal.id
    page = app.test_client().get(response.headers["Location"]).get_data(as_text=True)
    assert 'alt="Le chemin sans lampadaire"' in page and 'lang="ht"' in page

    served = app.test_client().get(f"{base(world)}/proposals/{proposal.id}/attachment")
    assert served.status_code == 200 and served.data == PNG
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Disposition"].startswith("inline;")
    assert "sandbox" in served.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("content", "filename", "declared", "stored_type", "disposition"),
    [
        (PDF, "photo.png", "image/png", "application/pdf", "attachment"),
        (JPEG, "doc.pdf", "application/pdf", "image/jpeg", "inline"),
        (WEBP, "image", "application/octet-stream", "image/webp", "inline"),
    ],
)
def test_the_type_of_a_file_is_read_from_its_content_never_from_its_name(
    app, world, login, uploads, content, filename, declared, stored_type, disposition
):
    from io import BytesIO

    client = client_as(app, login, world["people"]["resident"])
    response = client.post(
        base(world) + "/proposals/new",
        data=proposal_data(attachment=(BytesIO(content), filename, declared)),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    proposal = db.session.scalar(select(Proposal))
    assert db.session.scalar(select(ProposalAttachment.content_type)) == stored_type
    served = app.test_client().get(f"{base(world)}/proposals/{proposal.id}/attachment")
    assert served.headers["Content-Type"] == stored_type
    assert served.headers["Content-Disposition"].startswith(disposition)
    assert served.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (EXECUTABLE, "rapport.pdf", "this file is neither"),
        (b"<html><script>alert(1)</script></html>", "image.png", "this file is neither"),
        (b"", "vide.pdf", "The file is empty"),
        (PNG + b"\x00" * 2048, "grand.png", "The file is too large: send at most"),
    ],
)
def test_a_bad_file_is_refused_and_what_was_typed_is_kept(
    app, world, login, uploads, monkeypatch, content, filename, message
):
    from io import BytesIO

    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1024)
    client = client_as(app, login, world["people"]["resident"])
    response = client.post(
        base(world) + "/proposals/new",
        data=proposal_data(attachment=(BytesIO(content), filename, "application/pdf")),
        content_type="multipart/form-data",
        headers=EN,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "Éclairer le chemin de l&#39;école" in page and "les enfants marchent dans le noir" in page
    assert db.session.scalar(select(func.count(Proposal.id))) == 0
    assert not uploads.exists() or not any(uploads.iterdir())


def test_the_size_limit_is_five_megabytes_by_default(app, world, login, uploads):
    from io import BytesIO

    from werkzeug.test import EnvironBuilder

    assert app.config["ATTACHMENT_MAX_BYTES"] == 5 * 1024 * 1024
    client = client_as(app, login, world["people"]["resident"])
    big = PNG + b"\x00" * (5 * 1024 * 1024)
    builder = EnvironBuilder(
        path=base(world) + "/proposals/new",
        method="POST",
        data=proposal_data(attachment=(BytesIO(big), "grand.png", "image/png")),
        headers=EN,
    )
    environ = builder.get_environ()
    try:  # the test client spools a large upload to a temporary file it does not close itself
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 422 and "at most 5 MB" in response.get_data(as_text=True)


def test_an_empty_title_is_refused_and_the_text_kept(app, world, login):
    client = client_as(app, login, world["people"]["resident"])
    response = client.post(base(world) + "/proposals/new", data=proposal_data(title=""), headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give your proposal a title." in page and "les enfants marchent dans le noir" in page
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_hostile_markdown_and_html_are_stripped_everywhere(app, world, login):
    hostile = (
        "**Important** <script>alert('x')</script> <img src=x onerror=alert(1)> "
        "[clic](javascript:alert(1)) <iframe src=//evil.test></iframe>"
    )
    client = client_as(app, login, world["people"]["resident"])
    assert client.post(base(world) + "/proposals/new", data=proposal_data(body=hostile)).status_code == 302
    proposal = db.session.scalar(select(Proposal))
    url = f"{base(world)}/proposals/{proposal.id}"
    assert client.post(url + "/comments", data={"body": hostile}).status_code == 302
    page = app.test_client().get(url).get_data(as_text=True)
    assert page.count("<strong>Important</strong>") == 2
    for bad in ("<script>alert", "<img src=x", 'href="javascript:', "<iframe"):
        assert bad not in page
    assert "&lt;script&gt;" in page  # shown as the text it is, never run
    preview = client.post(base(world) + "/proposals/new", data=proposal_data(body=hostile, preview="1"))
    assert preview.status_code == 200 and "<script>alert" not in preview.get_data(as_text=True)


def test_proposals_are_taken_only_while_the_consultation_is_open(app, world, login):
    client = client_as(app, login, world["people"]["resident"])
    for status in ("upcoming", "closed"):
        consultation = make_consultation(world["council"], status=status)
        url = f"/councils/macouria/consultations/{consultation.id}/proposals/new"
        assert client.post(url, data=proposal_data()).status_code == 409
        assert client.get(url).status_code == 409
    assert db.session.scalar(select(func.count(Proposal.id))) == 0


def test_the_author_edits_until_a_moderator_acts_then_may_still_withdraw(app, world, login, uploads):
    author = world["people"]["resident"]
    proposal = make_consultation_proposal(world["consultation"], author, title="Des bancs au parc")
    url = f"{base(world)}/proposals/{proposal.id}"
    client = client_as(app, login, author)
    assert "Edit my proposal" in client.get(url, headers=EN).get_data(as_text=True)
    assert client.post(url + "/edit", data=proposal_data(title="Des bancs à l'ombre au parc")).status_code == 302
    assert db.session.get(Proposal, proposal.id).title == "Des bancs à l'ombre au parc"
    other = client_as(app, login, make_user())
    assert other.get(url + "/edit").status_code == 403
    assert other.post(url + "/withdraw").status_code == 403
    manager = client_as(app, login, world["people"]["facilitator"])
    assert manager.post(url + "/accept").status_code == 302
    assert "Edit my proposal" not in client.get(url, headers=EN).get_data(as_text=True)
    assert client.get(url + "/edit").status_code == 409
    assert client.post(url + "/edit", data=proposal_data(title="Trop tard")).status_code == 409
    assert client.post(url + "/withdraw").status_code == 302
    assert db.session.get(Proposal, proposal.id).status == "withdrawn"
    assert app.test_client().get(url).status_code == 404
    assert "Withdrawn by its author" in client.get(url, headers=EN).get_data(as_text=True)
    assert "Des bancs" not in app.test_client().get(base(world)).get_data(as_text=True)


def test_the_author_replaces_then_removes_the_attached_file(app, world, login, uploads):
    from io import BytesIO

    author = world["people"]["resident"]
    client = client_as(app, login, author)
    client.post(
        base(world) + "/proposals/new",
        data=proposal_data(attachment=(BytesIO(PNG), "a.png", "image/png")),
        content_type="multipart/form-data",
    )
    proposal = db.session.scalar(select(Proposal))
    first = db.session.scalar(select(ProposalAttachment.stored_name))
    url = f"{base(world)}/proposals/{proposal.id}/edit"
    response = client.post(
        url,
        data=proposal_data(attachment=(BytesIO(PDF), "b.pdf", "application/pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    second = db.session.scalar(select(ProposalAttachment))
    assert second.content_type == "application/pdf" and not (uploads / first).exists()
    second_name = second.stored_name
    assert (uploads / second_name).exists()
    assert client.post(url, data=proposal_data(remove_attachment="y")).status_code == 302
    assert db.session.scalar(select(func.count(ProposalAttachment.id))) == 0
    assert not (uploads / second_name).exists()


# ---------------------------------------------------------------------------------- similar proposals


def test_similar_titles_are_suggested_in_json_and_after_a_preview_without_javascript(app, world, login):
    consultation = world["consultation"]
    kept = make_consultation_proposal(consultation, title="Éclairage public du chemin de l'école")
    make_consultation_proposal(consultation, title="Eclairer les chemins des écoles", status="withdrawn")
    make_consultation_proposal(consultation, title="Un marché le dimanche")
    found = app.test_client().get(base(world) + "/similar?title=ECLAIRAGE chemin ecole").get_json()
    assert [each["id"] for each in found["proposals"]] == [kept.id]
    assert found["proposals"][0]["url"].endswith(f"/proposals/{kept.id}")
    assert app.test_client().get(base(world) + "/similar?title=").get_json() == {"proposals": []}
    client = client_as(app, login, world["people"]["resident"])
    preview = client.post(
        base(world) + "/proposals/new",
        data=proposal_data(title="Éclairer le chemin de l'école", preview="1"),
        headers=EN,
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Similar proposals already sent" in page
    assert "Éclairage public du chemin de l&#39;école" in page and "Un marché" not in page
    assert db.session.scalar(select(func.count(Proposal.id))) == 3  # a preview sends nothing
    failed = client.post(base(world) + "/proposals/new", data=proposal_data(body=""), headers=EN)
    assert failed.status_code == 422 and "Similar proposals already sent" in failed.get_data(as_text=True)
    assert "js/similar.js" in client.get(base(world) + "/proposals/new").get_data(as_text=True)


# ---------------------------------------------------------------------------------- supports


def test_a_person_supports_a_proposal_once(app, world, login):
    proposal = make_consultation_proposal(world["consultation"], make_user())
    url = f"{base(world)}/proposals/{proposal.id}"
    client = client_as(app, login, world["people"]["resident"])
    client.post(url + "/support")
    client.post(url + "/support")  # a double click counts once
    assert db.session.scalar(select(func.count(Support.id))) == 1
    assert "Withdraw my support" in client.get(url, headers=EN).get_data(as_text=True)
    listed = client.post(url + "/support", data={"next": base(world) + "?sort=supported"})
    assert listed.headers["Location"].endswith(f"?sort=supported#proposal-{proposal.id}")
    hostile = client.post(url + "/support", data={"next": "https://evil.test/"})
    assert hostile.headers["Location"].endswith(f"/proposals/{proposal.id}")
    client.post(url + "/unsupport")
    assert db.session.scalar(select(func.count(Support.id))) == 0


def test_no_support_once_the_consultation_is_closed(app, world, login):
    closed = make_consultation(world["council"], status="closed")
    proposal = make_consultation_proposal(closed)
    client = client_as(app, login, world["people"]["resident"])
    url = f"/councils/macouria/consultations/{closed.id}/proposals/{proposal.id}"
    assert client.post(url + "/support").status_code == 409
    assert client.post(url + "/comments", data={"body": "Trop tard ?"}).status_code == 422


def test_supporting_without_a_csrf_token_is_refused(csrf_app, world):
    proposal = make_consultation_proposal(world["consultation"])
    client = csrf_app.test_client()
    client.post(
        "/account/login", data={"email": world["people"]["resident"].email, "password": "correct horse battery"}
    )
    response = client.post(f"{base(world)}/proposals/{proposal.id}/support")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Support.id))) == 0


# ---------------------------------------------------------------------------------- comments


def test_comments_take_one_level_of_replies_and_tell_the_people_concerned(app, world, login):
    author, commenter, replier, follower = make_user(), make_user(), make_user(), make_user()
    proposal = make_consultation_proposal(world["consultation"], author)
    db.session.add(Follow(user_id=author.id, proposal_id=proposal.id))
    db.session.add(Follow(user_id=follower.id, proposal_id=proposal.id))
    db.session.commit()
    url = f"{base(world)}/proposals/{proposal.id}"
    assert client_as(app, login, commenter).post(url + "/comments", data={"body": "Bonne idée"}).status_code == 302
    first = db.session.scalar(select(ProposalComment))
    assert {n.user_id for n in db.session.scalars(select(Notification))} == {author.id, follower.id}
    replying = client_as(app, login, replier)
    assert replying.post(url + "/comments", data={"body": "D'accord", "parent_id": first.id}).status_code == 302
    reply = db.session.scalar(select(ProposalComment).where(ProposalComment.parent_id == first.id))
    assert [n.kind for n in notifications(commenter)] == ["comment_reply"]
    assert len(notifications(follower, "proposal_comment")) == 2 and len(notifications(replier)) == 0
    deeper = replying.post(url + "/comments", data={"body": "Encore", "parent_id": reply.id}, headers=EN)
    assert deeper.status_code == 422 and "not to a reply" in deeper.get_data(as_text=True)
    assert "Encore" in deeper.get_data(as_text=True)
    elsewhere = make_consultation_proposal(world["consultation"])
    wrong = replying.post(f"{base(world)}/proposals/{elsewhere.id}/comments", data={"body": "X", "parent_id": first.id})
    assert wrong.status_code == 404
    page = app.test_client().get(url, headers=EN).get_data(as_text=True)
    assert "2 comments" in page and f'id="comment-{reply.id}"' in page and 'class="replies"' in page
    link = client_as(app, login, commenter).get("/notifications", headers=EN).get_data(as_text=True)
    assert f"/proposals/{proposal.id}" in link


def test_a_comment_is_edited_by_its_author_within_fifteen_minutes(app, world, login):
    author = make_user()
    proposal = make_consultation_proposal(world["consultation"])
    comment = ProposalComment(proposal_id=proposal.id, author_id=author.id, body="Premier jet", language="fr")
    db.session.add(comment)
    db.session.commit()
    url = f"{base(world)}/proposals/{proposal.id}/comments/{comment.id}/edit"
    client = client_as(app, login, author)
    assert client.get(url).status_code == 200
    assert client.post(url, data={"body": ""}).status_code == 422
    assert client.post(url, data={"body": "Version *corrigée*"}).status_code == 302
    assert db.session.get(ProposalComment, comment.id).edited_at is not None
    assert client_as(app, login, make_user()).post(url, data={"body": "Pirate"}).status_code == 403
    db.session.get(ProposalComment, comment.id).created_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert client.post(url, data={"body": "Trop tard"}).status_code == 409
    assert db.session.get(ProposalComment, comment.id).body == "Version *corrigée*"


# ---------------------------------------------------------------------------------- follows


def test_following_a_consultation_tells_of_its_new_proposals(app, world, login):
    follower = make_user()
    client = client_as(app, login, follower)
    assert client.post(base(world) + "/follow").status_code == 302
    assert client.post(base(world) + "/follow").status_code == 302  # twice is once
    assert db.session.scalar(select(func.count(Follow.id))) == 1
    sender = client_as(app, login, world["people"]["resident"])
    sender.post(base(world) + "/proposals/new", data=proposal_data())
    assert [n.kind for n in notifications(follower)] == ["consultation_proposal"]
    assert client.post(base(world) + "/unfollow").status_code == 302
    sender.post(base(world) + "/proposals/new", data=proposal_data(title="Une deuxième idée"))
    assert len(notifications(follower)) == 1


def test_following_and_unfollowing_a_proposal(app, world, login):
    proposal = make_consultation_proposal(world["consultation"])
    follower = make_user()
    client = client_as(app, login, follower)
    url = f"{base(world)}/proposals/{proposal.id}"
    client.post(url + "/follow")
    assert "Stop following this proposal" in client.get(url, headers=EN).get_data(as_text=True)
    client.post(url + "/unfollow")
    assert db.session.scalar(select(func.count(Follow.id))) == 0


# ---------------------------------------------------------------------------------- moderation and timeline


def test_accepting_and_rejecting_tell_the_author_and_a_rejected_proposal_is_hidden(app, world, login):
    author = make_user()
    proposal = make_consultation_proposal(world["consultation"], author, title="Un skate-park")
    url = f"{base(world)}/proposals/{proposal.id}"
    assert client_as(app, login, world["people"]["facilitator_elsewhere"]).post(url + "/accept").status_code == 403
    assert client_as(app, login, world["people"]["resident"]).post(url + "/accept").status_code == 403
    manager = client_as(app, login, world["people"]["facilitator"])
    assert manager.post(url + "/accept").status_code == 302
    assert [n.params["status"] for n in notifications(author, "proposal_status")] == ["accepted"]
    empty = manager.post(url + "/reject", data={"reject-reason": "  "}, headers=EN)
    assert empty.status_code == 422 and "Give the reason: the author will read it." in empty.get_data(as_text=True)
    assert manager.post(url + "/reject", data={"reject-reason": "Déjà prévu au budget"}).status_code == 302
    assert app.test_client().get(url).status_code == 404
    page = client_as(app, login, author).get(url, headers=EN).get_data(as_text=True)
    assert "Déjà prévu au budget" in page and "Not accepted by the council" in page


def test_merging_moves_the_supports_each_person_counted_once(app, world, login):
    consultation = world["consultation"]
    author = make_user()
    target = make_consultation_proposal(consultation, title="Des arbres rue Gaston")
    duplicate = make_consultation_proposal(consultation, author, title="Planter des arbres rue Gaston", supports=2)
    both = make_user()
    db.session.add_all(
        [Support(proposal_id=target.id, user_id=both.id), Support(proposal_id=duplicate.id, user_id=both.id)]
    )
    db.session.commit()
    manager = client_as(app, login, world["people"]["secretary"])
    url = f"{base(world)}/proposals/{duplicate.id}"
    assert manager.post(url + "/merge", data={"merge-target": str(duplicate.id)}).status_code == 422
    assert manager.post(url + "/merge", data={"merge-target": ""}).status_code == 422
    assert manager.post(url + "/merge", data={"merge-target": str(target.id)}).status_code == 302
    assert db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == target.id)) == 3
    merged = db.session.get(Proposal, duplicate.id)
    assert (merged.status, merged.merged_into_id) == ("merged", target.id)
    page = client_as(app, login, author).get(url, headers=EN).get_data(as_text=True)
    assert "Merged with a similar proposal: Des arbres rue Gaston." in page
    assert [n.params["status"] for n in notifications(author)] == ["merged"]


def test_the_timeline_follows_a_proposal_to_a_workshop_an_opinion_and_the_answer(app, world, login):
    council = world["council"]
    author = make_user()
    proposal = make_consultation_proposal(world["consultation"], author, title="Un abri au stade")
    workshop = make_workshop(council, phase=Phase.IDEATION, title="Atelier du stade")
    manager = client_as(app, login, world["people"]["facilitator"])
    url = f"{base(world)}/proposals/{proposal.id}"
    elsewhere = make_workshop(world["other"])
    refused = manager.post(url + "/retain", data={"retain-workshop": str(elsewhere.id)}, headers=EN)
    assert refused.status_code == 422 and 'id="retain-workshop-error"' in refused.get_data(as_text=True)
    assert manager.post(url + "/retain", data={"retain-workshop": str(workshop.id)}).status_code == 302
    copy = db.session.scalar(select(Proposal).where(Proposal.workshop_id == workshop.id))
    assert (copy.title, copy.author_id, copy.consultation_id) == ("Un abri au stade", author.id, None)
    assert db.session.get(Proposal, proposal.id).retained_as_id == copy.id
    assert manager.post(url + "/retain", data={"retain-workshop": str(workshop.id)}).status_code == 409
    workshop_page = app.test_client().get(f"/councils/macouria/workshops/{workshop.id}").get_data(as_text=True)
    assert "Un abri au stade" in workshop_page

    opinion = make_opinion(workshop, status="adopted")
    opinion.number, opinion.adopted_at = "2026-07", utcnow()
    opinion.recommendation_list[0].sources = [copy]
    db.session.commit()
    page = client_as(app, login, author).get(url, headers=EN).get_data(as_text=True)
    assert "Received by the council." in page and "Atelier du stade" in page
    assert "Part of the council's opinion n° 2026-07: Avis du conseil." in page
    assert "answered the opinion" not in page
    db.session.add(MunicipalAnswer(opinion_id=opinion.id, answered_on=date(2027, 1, 15), summary="Oui"))
    db.session.commit()
    page = client_as(app, login, author).get(url, headers=EN).get_data(as_text=True)
    assert "The municipality answered the opinion n° 2026-07." in page
    assert (
        page.index("Received by the council.")
        < page.index("Retained for a workshop of the council:")
        < page.index("2026-07")
    )
    assert [n.params["status"] for n in notifications(author)] == ["retained"]


def test_content_hidden_by_moderators_leaves_the_lists_and_pages(app, world, login):
    from consultation.moderation import services as moderation

    author, commenter = make_user(), make_user()
    hidden = make_consultation_proposal(world["consultation"], author, title="Un texte injurieux")
    kept = make_consultation_proposal(world["consultation"], title="Un texte correct")
    comment = ProposalComment(proposal_id=kept.id, author_id=commenter.id, body="Propos injurieux", language="fr")
    db.session.add(comment)
    db.session.commit()
    reader = client_as(app, login, make_user())
    kept_url = f"{base(world)}/proposals/{kept.id}"
    page = reader.get(kept_url, headers=EN).get_data(as_text=True)
    assert f"/report/proposal/{kept.id}" in page and f"/report/comment/{comment.id}" in page
    assert reader.post(f"/report/comment/{comment.id}", data={"reason": "abuse"}).status_code == 302
    moderator = world["people"]["facilitator"]
    moderation.hide_content(moderator, world["council"], "proposal", hidden.id, reason="Injures", now=utcnow())
    moderation.hide_content(moderator, world["council"], "comment", comment.id, reason="Injures", now=utcnow())
    db.session.commit()
    assert _titles(app.test_client().get(base(world))) == ["Un texte correct"]
    similar = app.test_client().get(base(world) + "/similar?title=Un texte injurieux").get_json()["proposals"]
    assert hidden.id not in [each["id"] for each in similar]
    assert app.test_client().get(f"{base(world)}/proposals/{hidden.id}").status_code == 404
    own = client_as(app, login, author).get(f"{base(world)}/proposals/{hidden.id}", headers=EN).get_data(as_text=True)
    assert "The moderators hid this proposal" in own and "Injures" in own and "Edit my proposal" not in own
    page = reader.get(kept_url, headers=EN).get_data(as_text=True)
    assert "The moderators hid this comment." in page and "Propos injurieux" not in page
    assert reader.post(kept_url + "/comments", data={"body": "Et alors ?", "parent_id": comment.id}).status_code == 422
    assert reader.post(f"{base(world)}/proposals/{hidden.id}/support").status_code == 404


# ---------------------------------------------------------------------------------- lists


def _titles(response) -> list[str]:
    import re

    return re.findall(r'<h3 class="card-title"><a [^>]*>([^<]*)</a>', response.get_data(as_text=True))


def test_search_ignores_case_and_accents_and_escapes_wildcards(app, world):
    consultation = world["consultation"]
    make_consultation_proposal(consultation, title="Éclairage public", body="Des lampadaires à Soula.")
    make_consultation_proposal(consultation, title="Un marché", body="Baisser les prix de 50% le dimanche.")
    make_consultation_proposal(consultation, title="Une piscine", body="Pour l'été.")
    client = app.test_client()
    assert _titles(client.get(base(world) + "?q=ECLAIRAGE")) == ["Éclairage public"]
    assert _titles(client.get(base(world) + "?q=lampadaires+soula")) == ["Éclairage public"]
    assert _titles(client.get(base(world) + "?q=ete")) == ["Une piscine"]
    assert _titles(client.get(base(world) + "?q=50%25")) == ["Un marché"]
    assert _titles(client.get(base(world) + "?q=%25%25")) == ["Une piscine", "Un marché", "Éclairage public"]
    assert _titles(client.get(base(world) + "?q=_")) == ["Une piscine", "Un marché", "Éclairage public"]
    assert _titles(client.get(base(world) + "?q=introuvable")) == []


def test_filters_and_sorts_each_have_a_stable_url(app, world):
    council, consultation = world["council"], world["consultation"]
    now = utcnow()
    theme, district = council.themes[0], council.districts[0]
    make_consultation_proposal(consultation, title="Ancienne", supports=3, created_at=now - timedelta(days=3))
    make_consultation_proposal(
        consultation, title="Moyenne", comments=2, theme=theme, language="es", created_at=now - timedelta(days=2)
    )
    make_consultation_proposal(consultation, title="Récente", district=district, created_at=now - timedelta(days=1))
    make_consultation_proposal(consultation, title="Refusée", status="rejected")
    make_consultation_proposal(consultation, title="Acceptée", status="accepted", created_at=now - timedelta(days=4))
    client = app.test_client()
    assert _titles(client.get(base(world))) == ["Récente", "Moyenne", "Ancienne", "Acceptée"]
    assert _titles(client.get(base(world) + "?sort=supported"))[0] == "Ancienne"
    assert _titles(client.get(base(world) + "?sort=commented"))[0] == "Moyenne"
    assert _titles(client.get(f"{base(world)}?theme={theme.id}")) == ["Moyenne"]
    assert _titles(client.get(f"{base(world)}?district={district.id}")) == ["Récente"]
    assert _titles(client.get(base(world) + "?language=es")) == ["Moyenne"]
    assert _titles(client.get(base(world) + "?status=accepted")) == ["Acceptée"]
    assert _titles(client.get(base(world) + "?status=rejected&theme=abc&district=999999&sort=nonsense")) == [
        "Récente",
        "Moyenne",
        "Ancienne",
        "Acceptée",
    ]
    randomly = client.get(base(world) + "?sort=random&theme=")
    assert randomly.status_code == 302 and "seed=" in randomly.headers["Location"]
    seeded = randomly.headers["Location"]
    assert _titles(client.get(seeded)) == _titles(client.get(seeded))
    orders = {tuple(_titles(client.get(f"{base(world)}?sort=random&seed={seed}"))) for seed in range(12)}
    assert len(orders) > 1 and all(
        sorted(order) == sorted(["Ancienne", "Moyenne", "Récente", "Acceptée"]) for order in orders
    )


def test_the_list_is_paginated_with_its_filters_kept(app, world):
    for number in range(25):
        make_consultation_proposal(world["consultation"], title=f"Idée {number:02d}", language="pt_BR")
    client = app.test_client()
    first = client.get(base(world) + "?language=pt_BR&sort=supported")
    page = first.get_data(as_text=True)
    assert len(_titles(first)) == 20 and "25 proposals found" in client.get(
        base(world) + "?language=pt_BR", headers=EN
    ).get_data(as_text=True)
    assert "language=pt_BR" in page and "page=2" in page and "sort=supported" in page
    second = client.get(base(world) + "?language=pt_BR&sort=supported&page=2")
    assert len(_titles(second)) == 5
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert len(_titles(client.get(base(world) + "?page=99"))) == 5  # past the end: the last page


def test_the_list_query_count_does_not_grow_with_the_proposals(app, world, login):
    council = world["council"]
    small, large = make_consultation(council), make_consultation(council)
    theme, district = council.themes[0], council.districts[0]
    for consultation, how_many in ((small, 2), (large, 20)):
        for _ in range(how_many):
            make_consultation_proposal(
                consultation, make_user(), supports=2, comments=1, theme=theme, district=district
            )
    client = client_as(app, login, world["people"]["resident"])

    def count_queries(url):
        with recorded_statements() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    for suffix in ("", "?sort=supported", "?sort=commented&q=proposition", "?sort=random&seed=42"):
        small_count = count_queries(f"/councils/macouria/consultations/{small.id}{suffix}")
        assert small_count > 5
        assert count_queries(f"/councils/macouria/consultations/{large.id}{suffix}") == small_count, suffix


# ---------------------------------------------------------------------------------- API


def test_the_api_lists_published_consultations_proposals(app, world):
    consultation = world["consultation"]
    proposal = make_consultation_proposal(consultation, title="Visible dans l'API", supports=1)
    hidden = make_consultation_proposal(make_consultation(world["council"], status="draft"), title="Brouillon")
    make_consultation_proposal(consultation, title="Retirée", status="withdrawn")
    workshop_proposal = Proposal(
        workshop=make_workshop(world["council"]), title="Atelier", body="Texte assez long", language="fr"
    )
    db.session.add(workshop_proposal)
    db.session.commit()
    client = app.test_client()
    listed = client.get("/api/v1/proposals?council=macouria").get_json()["data"]
    by_id = {row["id"]: row for row in listed}
    assert set(by_id) == {proposal.id, workshop_proposal.id}
    assert by_id[proposal.id]["consultation_id"] == consultation.id and by_id[proposal.id]["workshop_id"] is None
    assert by_id[proposal.id]["council"] == "macouria" and by_id[proposal.id]["supports"]["online"] == 1
    assert by_id[workshop_proposal.id]["consultation_id"] is None
    only = client.get(f"/api/v1/proposals?consultation={consultation.id}").get_json()["data"]
    assert [row["id"] for row in only] == [proposal.id]
    assert client.get(f"/api/v1/proposals/{hidden.id}").status_code == 404
    assert client.get(f"/api/v1/proposals?consultation={hidden.consultation_id}").status_code == 400


# ---------------------------------------------------------------------------------- migration


def test_the_migration_keeps_every_workshop_proposal_and_its_supports(ctx):
    """SQLite rebuilds `proposals`: with foreign keys on, that would cascade to supports and opinion items."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from consultation import MIGRATIONS_DIR

    db.session.remove()
    downgrade(directory=str(MIGRATIONS_DIR), revision="base")
    upgrade(directory=str(MIGRATIONS_DIR), revision="0005_opinions")
    statements = [
        "INSERT INTO councils (id, slug, name, territory, description, default_locale, response_months, created_at)"
        " VALUES (1, 'c', 'C', '', '', 'fr', 3, '2026-01-01 00:00:00')",
        "INSERT INTO users (id, email, display_name, password_hash, is_admin, is_active_account, created_at)"
        " VALUES (1, 'a@example.test', 'A', 'x', false, true, '2026-01-01 00:00:00')",
        "INSERT INTO workshops (id, council_id, title, description, language, location, online_url, starts_at,"
        " ends_at, phase, is_published, created_at, phase_changed_at, languages_spoken) VALUES (1, 1, 'W', '', 'fr',"
        " '', '', '2026-01-01 10:00:00', '2026-01-01 12:00:00', 'ideation', true, '2026-01-01 00:00:00',"
        " '2026-01-01 00:00:00', '')",
        "INSERT INTO proposals (id, workshop_id, author_id, title, body, language, created_at, updated_at, status,"
        " rejection_reason, origin, paper_author) VALUES (1, 1, 1, 'Éclairer', 'Texte', 'fr',"
        " '2026-01-01 10:30:00', '2026-01-01 10:30:00', 'submitted', '', 'online', '')",
        "INSERT INTO supports (id, proposal_id, user_id, created_at) VALUES (1, 1, 1, '2026-01-01 10:40:00')",
        "INSERT INTO paper_counts (id, proposal_id, count, recorded_at) VALUES (1, 1, 4, '2026-01-01 10:50:00')",
        "INSERT INTO proposal_revisions (id, proposal_id, previous_title, previous_body, edited_at)"
        " VALUES (1, 1, 'Eclairer', 'Texte', '2026-01-01 10:45:00')",
    ]
    try:
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        upgrade(directory=str(MIGRATIONS_DIR), revision="heads")
    with db.engine.connect() as connection:
        for table in ("proposals", "supports", "paper_counts", "proposal_revisions"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1, table
        assert connection.execute(text("SELECT search_text FROM proposals")).scalar() == "eclairer texte"
        if db.engine.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
