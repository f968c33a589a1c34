"""Pure rules of online consultations: status from dates, authors' rights, folding and search terms,
similar titles, the stable shuffle, and recognising files by their first bytes."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.consultations import rules
from consultation.consultations.rules import Candidate, ConsultationStatus
from consultation.uploads import sniff

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("published", "opens", "closes", "expected"),
    [
        (False, NOW - DAY, NOW + DAY, ConsultationStatus.DRAFT),
        (False, NOW - 3 * DAY, NOW - DAY, ConsultationStatus.DRAFT),
        (True, NOW + DAY, NOW + 2 * DAY, ConsultationStatus.UPCOMING),
        (True, NOW, NOW + DAY, ConsultationStatus.OPEN),  # opens on the minute
        (True, NOW - DAY, NOW + DAY, ConsultationStatus.OPEN),
        (True, NOW - DAY, NOW, ConsultationStatus.CLOSED),  # closes on the minute
        (True, NOW - 3 * DAY, NOW - DAY, ConsultationStatus.CLOSED),
    ],
)
def test_a_consultation_status_comes_from_its_dates_and_publication(published, opens, closes, expected):
    status = rules.consultation_status(is_published=published, opens_at=opens, closes_at=closes, now=NOW)
    assert status is expected
    assert rules.accepts_contributions(status) is (expected is ConsultationStatus.OPEN)


@pytest.mark.parametrize(
    ("status", "events", "is_open", "expected"),
    [
        ("submitted", ["received"], True, True),
        ("submitted", ["received", "edited", "edited"], True, True),
        ("submitted", ["received"], False, False),  # closed: the text stays as sent
        ("accepted", ["received", "accepted"], True, False),
        ("submitted", ["received", "hidden"], True, False),
        ("submitted", ["received", "retained"], True, False),
        ("rejected", ["received", "rejected"], True, False),
        ("withdrawn", ["received", "withdrawn"], True, False),
    ],
)
def test_the_author_edits_until_a_moderator_acts(status, events, is_open, expected):
    assert rules.author_may_edit(status=status, events=events, consultation_open=is_open) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [("submitted", True), ("accepted", True), ("rejected", True), ("merged", False), ("withdrawn", False)],
)
def test_a_proposal_is_withdrawn_unless_merged_or_withdrawn_already(status, expected):
    assert rules.author_may_withdraw(status=status) is expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (timedelta(0), True),
        (timedelta(minutes=14, seconds=59), True),
        (timedelta(minutes=15), True),
        (timedelta(minutes=15, seconds=1), False),
        (-timedelta(minutes=1), False),  # a clock gone backwards never widens the window
    ],
)
def test_a_comment_is_editable_for_fifteen_minutes(age, expected):
    assert rules.comment_editable(created_at=NOW - age, now=NOW) is expected


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Éclairage PUBLIC", "eclairage public"),
        ("  Œuvre   d’art\n à l'école ", "oeuvre d'art a l'ecole"),
        ("Straße", "strasse"),
        ("Ação São João", "acao sao joao"),
        ("Kreyòl ayisyen", "kreyol ayisyen"),
        ("", ""),
    ],
)
def test_folding_ignores_case_accents_ligatures_and_spaces(text, folded):
    assert rules.fold(text) == folded


def test_search_terms_are_folded_unique_and_bounded():
    assert rules.search_terms("Éclairage  eclairage, école!") == ["eclairage", "ecole"]
    assert rules.search_terms("a b") == []
    assert len(rules.search_terms(" ".join(f"mot{i}" for i in range(20)))) == 8


@pytest.mark.parametrize(
    ("term", "pattern"),
    [("ecole", "%ecole%"), ("50%", "%50\\%%"), ("a_b", "%a\\_b%"), ("c:\\x", "%c:\\\\x%")],
)
def test_like_wildcards_are_escaped(term, pattern):
    assert rules.like_pattern(term) == pattern


@pytest.mark.parametrize(
    ("left", "right", "at_least", "at_most"),
    [
        ("Éclairage du chemin de l'école", "eclairage chemin ecole", 0.99, 1.0),
        ("Des pistes cyclables", "Une piste cyclable", 0.9, 1.0),
        ("Planter des arbres rue Gaston", "Des arbres dans la rue Gaston", 0.6, 1.0),
        ("Un marché le dimanche", "Éclairer le stade", 0.0, 0.15),
        ("le la les", "le la les", 0.0, 0.0),  # only common words: nothing to compare
    ],
)
def test_similarity_of_titles(left, right, at_least, at_most):
    score = rules.similarity(left, right)
    assert at_least <= score <= at_most
    assert score == rules.similarity(right, left)


def test_the_most_similar_titles_come_first_and_unrelated_ones_not_at_all():
    candidates = [
        Candidate(1, "Un marché couvert le dimanche"),
        Candidate(2, "Piste cyclable avenue Gaston Monnerville"),
        Candidate(3, "Des pistes cyclables sécurisées"),
        Candidate(4, "Une piscine municipale"),
    ]
    found = rules.most_similar("Pistes cyclables sécurisées vers l'école", candidates)
    assert [candidate.id for candidate, _score in found] == [3, 2]
    assert rules.most_similar("", candidates) == []
    assert len(rules.most_similar("pistes cyclables", candidates * 5, limit=3)) == 3


@given(st.integers(min_value=0, max_value=rules.SEED_LIMIT - 1))
def test_a_seed_shuffles_ids_without_collisions(seed):
    keys = [rules.shuffle_key(proposal_id, seed) for proposal_id in range(1, 300)]
    assert len(set(keys)) == len(keys)
    assert all(0 <= key < rules.SHUFFLE_MODULUS for key in keys)
    assert 1 <= rules.shuffle_factor(seed) < rules.SHUFFLE_MODULUS


def test_different_seeds_give_different_orders_and_the_same_seed_the_same():
    ids = list(range(1, 21))
    orders = {tuple(sorted(ids, key=lambda i, s=seed: rules.shuffle_key(i, s))) for seed in range(20)}
    assert len(orders) > 15
    assert sorted(ids, key=lambda i: rules.shuffle_key(i, 7)) == sorted(ids, key=lambda i: rules.shuffle_key(i, 7))
    assert (2**31 - 2) * rules.shuffle_factor(999_999) < 2**63  # fits a 64-bit SQL integer


@pytest.mark.parametrize(
    ("value", "seed"),
    [(None, None), ("", None), ("abc", None), ("-5", None), ("1234567", None), ("42", 42), ("000123", 123)],
)
def test_a_seed_from_the_url(value, seed):
    assert rules.parse_seed(value) == seed


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.4\n", "application/pdf"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),  # a sound, not a WebP image
        (b"MZ\x90\x00", None),  # a Windows executable
        (b"\x7fELF\x02\x01", None),
        (b"<svg xmlns=", None),  # SVG runs scripts: never accepted
        (b"GIF89a", None),
        (b"", None),
        (b" %PDF-1.4", None),  # the signature must come first
    ],
)
def test_files_are_recognised_by_their_signature(head, kind):
    assert sniff(head) == kind


@pytest.mark.parametrize(
    ("roles", "is_admin", "themes", "consultations", "districts"),
    [
        ((), False, False, False, False),
        (("resident",), False, False, False, False),
        (("member",), False, False, False, False),
        (("officer",), False, False, False, False),
        (("facilitator",), False, True, True, False),
        (("secretary",), False, True, True, True),
        (("president",), False, True, True, True),
        ((), True, True, True, True),
    ],
)
def test_who_sets_themes_districts_and_consultations(roles, is_admin, themes, consultations, districts):
    from consultation.permissions import Actor, can_manage_consultations, can_manage_districts, can_manage_themes

    actor = Actor.of(1, [(7, role) for role in roles], is_admin=is_admin)
    assert can_manage_themes(actor, 7) is themes
    assert can_manage_consultations(actor, 7) is consultations
    assert can_manage_districts(actor, 7) is districts
    elsewhere = Actor.of(1, [(8, role) for role in roles])  # the same roles in another council give nothing here
    assert not (can_manage_themes(elsewhere, 7) or can_manage_consultations(elsewhere, 7))
