"""Administration: councils, members and roles, CSV invitations (CLI and page), and who may do what."""

from io import BytesIO

import pytest
from sqlalchemy import func, select

from consultation.accounts import services as accounts
from consultation.accounts.models import User
from consultation.audit.models import AuditEntry
from consultation.councils.models import Council, Membership
from consultation.extensions import db
from consultation.permissions import Role
from tests.factories import make_council, make_user

EN = {"Accept-Language": "en"}


@pytest.fixture()
def world(ctx):
    council = make_council(slug="macouria", name="Conseil citoyen de Macouria")
    other = make_council(slug="pantin")
    people = {
        "anonymous": None,
        "resident": make_user(Role.RESIDENT, council),
        "facilitator": make_user(Role.FACILITATOR, council),
        "president_elsewhere": make_user(Role.PRESIDENT, other),
        "president": make_user(Role.PRESIDENT, council, name="Présidente"),
        "admin": make_user(is_admin=True),
    }
    return {"council": council, "other": other, "people": people}


def as_person(app, login, person):
    client = app.test_client()
    return login(client, person) if person is not None else client


def counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Membership.id))),
    )


def roles_in(council, email: str) -> list[str]:
    user = accounts.find_by_email(email)
    if user is None:
        return []
    return sorted(
        db.session.scalars(
            select(Membership.role).where(Membership.user_id == user.id, Membership.council_id == council.id)
        )
    )


# ---------------------------------------------------------------------------------- access


ROLES = ["anonymous", "resident", "facilitator", "president_elsewhere", "president", "admin"]
LOGIN = 302
MATRIX = [
    (
        "GET",
        "/admin",
        {"resident": 403, "facilitator": 403, "president_elsewhere": 200, "president": 200, "admin": 200},
    ),
    ("GET", "/admin/councils/new", {"president_elsewhere": 403, "president": 403, "admin": 200}),
    ("GET", "/admin/councils/macouria/edit", {"president": 403, "admin": 200}),
    ("GET", "/admin/councils/macouria/members", {"president_elsewhere": 403, "president": 200, "admin": 200}),
    ("GET", "/admin/councils/nowhere/members", dict.fromkeys(ROLES, 404)),
    ("GET", "/admin/accounts/{resident}", {"president": 403, "admin": 200}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "template", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _e in MATRIX])
def test_admin_pages_answer_each_role(app, login, world, role, method, template, expected):
    client = as_person(app, login, world["people"][role])
    response = client.open(template.format(resident=world["people"]["resident"].id), method=method)
    wanted = LOGIN if role == "anonymous" else expected.get(role, 403)
    assert response.status_code == wanted
    if role == "anonymous":
        assert "/account/login" in response.headers["Location"]


def test_the_administration_link_shows_for_platform_administrators(app, login, world):
    assert 'href="/admin"' in as_person(app, login, world["people"]["admin"]).get("/").get_data(as_text=True)
    assert 'href="/admin"' not in as_person(app, login, world["people"]["resident"]).get("/").get_data(as_text=True)
    page = as_person(app, login, world["people"]["president"]).get("/councils/macouria").get_data(as_text=True)
    assert 'href="/admin/councils/macouria/members"' in page


# ---------------------------------------------------------------------------------- councils


def test_an_administrator_creates_and_edits_a_council(app, login, world):
    admin = as_person(app, login, world["people"]["admin"])
    data = {"name": "Conseil citoyen de Dieppe", "slug": "dieppe", "territory": "Dieppe", "description": "Neuf."}
    assert admin.post("/admin/councils/new", data=data).status_code == 302
    council = db.session.scalar(select(Council).where(Council.slug == "dieppe"))
    assert (council.name, council.territory, council.description) == ("Conseil citoyen de Dieppe", "Dieppe", "Neuf.")
    edited = admin.post("/admin/councils/dieppe/edit", data={**data, "name": "Conseil de Dieppe", "slug": "dieppe-2"})
    assert edited.status_code == 302
    db.session.expire_all()
    assert (db.session.get(Council, council.id).slug, db.session.get(Council, council.id).name) == (
        "dieppe-2",
        "Conseil de Dieppe",
    )
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("council.created") == 1 and actions.count("council.updated") == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Un autre conseil", "slug": "pantin"}, "Another council already has this identifier."),
        ({"name": "Un autre conseil", "slug": "Pas Bon!"}, "Use lower-case letters, digits and hyphens only"),
        ({"name": "", "slug": "vide"}, "Give the council a name."),
    ],
)
def test_a_bad_council_answers_422_and_keeps_what_was_typed(app, login, world, data, message):
    admin = as_person(app, login, world["people"]["admin"])
    response = admin.post("/admin/councils/new", data=data, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert f'value="{data["slug"]}"' in page.replace("&#34;", '"')
    assert db.session.scalar(select(func.count(Council.id))) == 2


# ---------------------------------------------------------------------------------- members and roles


def test_a_president_gives_changes_and_takes_away_roles_but_not_the_administrators_one(app, login, world):
    council = world["council"]
    person = make_user(email="rose@example.org", name="Rose")
    boss = make_user(Role.ADMIN, council, email="boss@example.org")
    president = as_person(app, login, world["people"]["president"])
    page = president.get("/admin/councils/macouria/members", headers=EN).get_data(as_text=True)
    assert "Only administrators change this role." in page and 'value="admin"' not in page

    assert (
        president.post(
            "/admin/councils/macouria/members", data={"email": "ROSE@example.org ", "role": "member"}
        ).status_code
        == 302
    )
    assert roles_in(council, "rose@example.org") == ["member"]
    membership = db.session.scalar(select(Membership).where(Membership.user_id == person.id))
    url = f"/admin/councils/macouria/members/{membership.id}"
    assert president.post(f"{url}/role", data={f"role-{membership.id}-role": "secretary"}).status_code == 302
    assert roles_in(council, "rose@example.org") == ["secretary"]
    assert president.post(f"{url}/delete").status_code == 302
    assert roles_in(council, "rose@example.org") == []

    refused = president.post("/admin/councils/macouria/members", data={"email": "rose@example.org", "role": "admin"})
    assert refused.status_code == 422 and roles_in(council, "rose@example.org") == []
    boss_membership = db.session.scalar(select(Membership).where(Membership.user_id == boss.id))
    boss_url = f"/admin/councils/macouria/members/{boss_membership.id}"
    assert president.post(f"{boss_url}/delete").status_code == 403
    assert president.post(f"{boss_url}/role", data={f"role-{boss_membership.id}-role": "member"}).status_code == 403
    assert roles_in(council, "boss@example.org") == ["admin"]
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert ["role.granted", "role.changed", "role.removed"] == [a for a in actions if a.startswith("role.")]


def test_a_platform_administrator_gives_the_administrators_role(app, login, world):
    make_user(email="boss@example.org")
    admin = as_person(app, login, world["people"]["admin"])
    response = admin.post("/admin/councils/macouria/members", data={"email": "boss@example.org", "role": "admin"})
    assert response.status_code == 302
    assert roles_in(world["council"], "boss@example.org") == ["admin"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "nobody@example.org", "role": "member"}, "No account has this email address"),
        ({"email": "not an address", "role": "member"}, "Enter an email address like name@example.fr."),
        ({"email": "rose@example.org", "role": "emperor"}, "Not a valid choice"),
        ({"email": "rose@example.org", "role": "resident"}, "This person already holds this role in the council."),
    ],
)
def test_adding_a_member_refuses_bad_input_with_422_and_keeps_it(app, login, world, data, message):
    make_user(Role.RESIDENT, world["council"], email="rose@example.org")
    before = counts()
    response = as_person(app, login, world["people"]["admin"]).post(
        "/admin/councils/macouria/members", data=data, headers=EN
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert f'value="{data["email"]}"' in page
    assert counts() == before


def test_a_president_of_another_council_cannot_change_roles_here(app, login, world):
    membership = db.session.scalar(select(Membership).where(Membership.user_id == world["people"]["resident"].id))
    other = as_person(app, login, world["people"]["president_elsewhere"])
    url = f"/admin/councils/macouria/members/{membership.id}"
    assert other.post(f"{url}/delete").status_code == 403
    assert other.post(f"/admin/councils/pantin/members/{membership.id}/delete").status_code == 404
    assert db.session.get(Membership, membership.id) is not None


# ---------------------------------------------------------------------------------- CSV invitations

GOOD_CSV = (
    "email,display_name,role,language\n"
    "marie.dupont@example.fr,Marie Dupont,member,fr\n"
    "joao@example.org,João Silva,resident,pt-BR\n"
    "rose@example.org,Rose,facilitator,\n"
    "rose@example.org,Rose,resident,\n"
)


def write(tmp_path, text: str, name: str = "members.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["members", "import", *args])


def test_the_cli_imports_a_valid_file_whole(app, world, tmp_path):
    make_user(Role.RESIDENT, world["council"], email="rose@example.org", name="Rose")
    result = invoke(app, write(tmp_path, GOOD_CSV), "--council", "macouria")
    assert result.exit_code == 0, result.output + result.stderr
    council = world["council"]
    assert roles_in(council, "marie.dupont@example.fr") == ["member"]
    assert roles_in(council, "joao@example.org") == ["resident"]
    assert roles_in(council, "rose@example.org") == ["facilitator", "resident"]
    joao = accounts.find_by_email("joao@example.org")
    assert (joao.display_name, joao.locale, joao.email_confirmed_at) == ("João Silva", "pt_BR", None)
    assert not joao.check_password("") and accounts.account_for_reset("joao@example.org") is not None
    assert "accounts created: 2" in result.output and "roles given: 3 (already held: 1)" in result.output
    assert "Forgot your password?" in result.output
    assert "Importing" in result.stderr  # the progress bar


def test_one_bad_line_imports_nothing_and_says_which(app, world, tmp_path):
    before = counts()
    bad = (
        GOOD_CSV
        + "not-an-address,Quelqu'un,member,\nsam@example.org,Sam,emperor,\nmarie.dupont@example.fr,Marie,member,\n"
    )
    result = invoke(app, write(tmp_path, bad), "--council", "macouria")
    assert result.exit_code == 1
    assert "nothing was imported" in result.stderr
    assert "line 6: 'not-an-address' This is not a valid email address." in result.stderr
    assert "line 7: 'emperor' Unknown role" in result.stderr
    assert "line 8: 'marie.dupont@example.fr' Same email address and role as line 2." in result.stderr
    assert counts() == before


def test_dry_run_writes_nothing(app, world, tmp_path):
    before = counts()
    result = invoke(app, write(tmp_path, GOOD_CSV), "--council", "macouria", "--dry-run")
    assert result.exit_code == 0, result.output + result.stderr
    assert "dry run, nothing written" in result.output and "accounts that would be created: 3" in result.output
    assert counts() == before
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("mail,name,role\na@example.org,A,member\n", "line 1", "The first line must name the columns"),
        ("email;display_name;role\na@example.org;" + "N" * 81 + ";member\n", "line 2", "longer than 80"),
        ("email,display_name,role\na@example.org,,member\n", "line 2", "The name is missing."),
        ("email,display_name,role\na@example.org,A,member,extra\n", "line 2", "has 4 values"),
        ("email,display_name,role,language\na@example.org,A,member,klingon\n", "line 2", "Unknown language"),
        ("email,display_name,role\n", "file", "The file holds no member"),
    ],
)
def test_each_kind_of_bad_line_is_reported(app, world, tmp_path, text, line, reason):
    result = invoke(app, write(tmp_path, text), "--council", "macouria")
    assert result.exit_code == 1
    assert f"{line}:" in result.stderr and reason in result.stderr
    assert counts()[1] == 4  # the world's memberships only


def test_a_semicolon_file_from_a_french_spreadsheet_with_a_bom_imports(app, world, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffEmail;Display name;Role\nlea@example.org;Léa;member\n".encode())
    result = invoke(app, str(path), "--council", "MACOURIA")
    assert result.exit_code == 0, result.output + result.stderr
    assert roles_in(world["council"], "lea@example.org") == ["member"]


def test_the_cli_refuses_an_unknown_council_and_a_file_that_is_not_utf8(app, world, tmp_path):
    assert invoke(app, write(tmp_path, GOOD_CSV), "--council", "nowhere").exit_code != 0
    path = tmp_path / "latin1.csv"
    path.write_bytes("email,display_name,role\nlea@example.org,Léa,member\n".encode("latin-1"))
    result = invoke(app, str(path), "--council", "macouria")
    assert result.exit_code == 1 and "CSV UTF-8" in result.stderr


def upload(client, text: str, *, check_only: bool = False):
    data = {"file": (BytesIO(text.encode()), "members.csv")}
    if check_only:
        data["check_only"] = "y"
    return client.post(
        "/admin/councils/macouria/members/import", data=data, content_type="multipart/form-data", headers=EN
    )


def test_the_members_page_imports_a_valid_file(app, login, world):
    admin = as_person(app, login, world["people"]["admin"])
    response = upload(admin, GOOD_CSV)
    assert response.status_code == 302
    assert roles_in(world["council"], "rose@example.org") == ["facilitator", "resident"]
    page = admin.get("/admin/councils/macouria/members", headers=EN).get_data(as_text=True)
    assert "Import done. Lines: 4. Accounts created: 3. Roles given: 4." in page
    assert "Forgot your password?" in page


def test_the_members_page_rejects_a_file_with_one_bad_line_and_imports_nothing(app, login, world):
    before = counts()
    admin = as_person(app, login, world["people"]["admin"])
    response = upload(admin, GOOD_CSV + "sam@example.org,Sam,emperor,\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "1 line rejected: nothing was imported" in page
    assert '<th scope="row">6</th>' in page and "emperor" in page and "Unknown role" in page
    assert counts() == before


def test_the_members_page_checks_a_file_without_importing_it(app, login, world):
    before = counts()
    response = upload(as_person(app, login, world["people"]["admin"]), GOOD_CSV, check_only=True)
    assert response.status_code == 200
    assert "The file is valid; nothing was imported yet." in response.get_data(as_text=True)
    assert counts() == before


def test_a_president_cannot_import_administrators_and_a_missing_file_is_422(app, login, world):
    before = counts()
    president = as_person(app, login, world["people"]["president"])
    response = upload(president, "email,display_name,role\nboss@example.org,Boss,admin\n")
    assert response.status_code == 422 and "You may not give this role." in response.get_data(as_text=True)
    missing = president.post("/admin/councils/macouria/members/import", data={}, headers=EN)
    assert missing.status_code == 422 and "Choose the CSV file to import." in missing.get_data(as_text=True)
    assert upload(as_person(app, login, world["people"]["facilitator"]), GOOD_CSV).status_code == 403
    assert counts() == before
