"""Sanitised Markdown, safe redirects and configuration rules."""

import pytest

from consultation import config
from consultation.text import render_markdown
from consultation.web import is_safe_next


def test_markdown_keeps_structure_and_drops_scripts():
    html = str(render_markdown("1. **Éclairer** la rue\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"))
    assert "<strong>Éclairer</strong>" in html and "<ol>" in html
    assert "<script" not in html and 'href="javascript' not in html


def test_markdown_links_are_marked_nofollow():
    assert 'rel="noopener noreferrer nofollow"' in str(render_markdown("[site](https://example.org)"))


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        ("/councils/x", True),
        ("//evil.example", False),
        ("https://evil.example/", False),
        ("", False),
        (None, False),
        ("/\\evil.example", False),
        ("javascript:alert(1)", False),
    ],
)
def test_only_same_site_paths_are_followed_after_login(target, safe):
    assert is_safe_next(target) is safe


def test_missing_secret_key_stops_start_up_with_a_clear_message(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY is not set"):
        config.from_environment(str(tmp_path))


def test_debug_mode_gets_a_development_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    assert config.from_environment(str(tmp_path))["SECRET_KEY"]


def test_embedded_default_is_sqlite_in_instance_and_migrates_itself(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("AUTO_MIGRATE", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    settings = config.from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'consultation.sqlite'}"
    assert settings["AUTO_MIGRATE"] is True


def test_postgres_urls_get_the_psycopg_driver(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    monkeypatch.setenv("SECRET_KEY", "x")
    settings = config.from_environment(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@localhost/db"
    assert settings["AUTO_MIGRATE"] is False


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    assert "connect_args" not in config.from_environment(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "0")
    options = config.from_environment(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["connect_args"] == {"prepare_threshold": None}
