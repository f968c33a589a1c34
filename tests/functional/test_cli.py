"""Command-line contracts: users create, opinions export, demo."""

import pikepdf
from sqlalchemy import func, select

from consultation.accounts.models import User
from consultation.councils.models import Council
from consultation.extensions import db
from consultation.workshops.phases import Phase
from tests.factories import make_council, make_opinion, make_proposal, make_workshop


def test_users_create_with_a_role_in_a_council(app, ctx):
    make_council(slug="macouria")
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "Anim@Example.org",
            "--password",
            "a long password",
            "--role",
            "facilitator",
            "--council",
            "macouria",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "anim@example.org"))
    assert [(m.council.slug, m.role) for m in user.memberships] == [("macouria", "facilitator")]
    assert user.check_password("a long password")


def test_users_create_refuses_an_unknown_council_and_a_short_password(app, ctx):
    runner = app.test_cli_runner()
    unknown = runner.invoke(
        args=[
            "users",
            "create",
            "a@example.org",
            "--password",
            "a long password",
            "--role",
            "member",
            "--council",
            "nowhere",
        ]
    )
    short = runner.invoke(args=["users", "create", "a@example.org", "--password", "short", "--role", "resident"])
    assert unknown.exit_code != 0 and short.exit_code != 0
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_platform_administrator_without_a_council(app, ctx):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "root@example.org", "--password", "a long password", "--role", "admin"]
    )
    assert result.exit_code == 0
    assert db.session.scalar(select(User)).is_admin


def test_opinions_export_writes_a_tagged_pdf(app, ctx, tmp_path):
    workshop = make_workshop(make_council(name="Conseil citoyen de Dieppe"), phase=Phase.DISCUSSION)
    make_proposal(workshop, title="Un tiers-lieu", supports=2)
    opinion = make_opinion(workshop)
    target = tmp_path / "avis.pdf"
    result = app.test_cli_runner().invoke(
        args=["opinions", "export", str(opinion.id), "--lang", "en", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    with pikepdf.open(target) as pdf:
        assert str(pdf.Root.Lang) == "en" and "/StructTreeRoot" in pdf.Root


def test_opinions_export_of_an_unknown_id_fails_clearly(app, ctx, tmp_path):
    result = app.test_cli_runner().invoke(args=["opinions", "export", "999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no opinion has the id 999" in result.output


def test_demo_loads_once(app, ctx):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert db.session.scalar(select(func.count(Council.id))) == 3
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 1
    assert db.session.scalar(select(func.count(Council.id))) == 3
