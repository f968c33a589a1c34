"""Pure rules of the territory: request statuses and their moves, contact checks, figures' arithmetic,
and the matching of project requests with organisations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.territory import matching, rules
from consultation.territory.matching import Candidate, Reason, Request
from consultation.territory.rules import RepresentationStatus, RequestStatus

S = RequestStatus


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.RECEIVED, S.REFERRED, True),
        (S.RECEIVED, S.IN_PROGRESS, True),
        (S.RECEIVED, S.CLOSED, True),
        (S.RECEIVED, S.RECEIVED, False),
        (S.REFERRED, S.IN_PROGRESS, True),
        (S.REFERRED, S.CLOSED, True),
        (S.REFERRED, S.RECEIVED, False),
        (S.REFERRED, S.REFERRED, False),
        (S.IN_PROGRESS, S.REFERRED, True),
        (S.IN_PROGRESS, S.CLOSED, True),
        (S.IN_PROGRESS, S.RECEIVED, False),
        (S.CLOSED, S.IN_PROGRESS, True),
        (S.CLOSED, S.REFERRED, False),
        (S.CLOSED, S.RECEIVED, False),
        (S.CLOSED, S.CLOSED, False),
    ],
)
def test_status_transitions(current, target, allowed):
    assert rules.can_move(current, target) is allowed
    assert (target in rules.next_statuses(current)) is allowed


def test_no_status_goes_back_to_received():
    assert all(S.RECEIVED not in rules.TRANSITIONS[status] for status in S)


@pytest.mark.parametrize(
    ("current", "after"),
    [(S.RECEIVED, S.REFERRED), (S.REFERRED, S.REFERRED), (S.IN_PROGRESS, S.REFERRED), (S.CLOSED, None)],
)
def test_a_referral_makes_a_request_referred_unless_closed(current, after):
    assert rules.status_after_referral(current) == after


def test_a_representation_is_decided_once():
    assert rules.can_decide_representation(RepresentationStatus.PENDING)
    assert not rules.can_decide_representation(RepresentationStatus.APPROVED)
    assert not rules.can_decide_representation("refused")


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("contact@example.org", True),
        ("a.b+c@sous.domaine.gf", True),
        ("not-an-address", False),
        ("a@b", False),
        ("<script>@x.org", False),
        ("a @example.org", False),
        ("x" * 250 + "@example.org", False),
    ],
)
def test_emails(value, valid):
    assert rules.valid_email(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0594 30 12 34", True),
        ("+594 594 30 12 34", True),
        ("05.94.30.12.34", True),
        ("(0594) 30-12-34", True),
        ("12345", False),
        ("call me", False),
        ("+33 1 23 45 67 89 01 23 45 67", False),
        ("0594 30 12 34; DROP TABLE", False),
    ],
)
def test_phones(value, valid):
    assert rules.valid_phone(value) is valid


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("https://example.org", "https://example.org"),
        ("example.org/contact", "https://example.org/contact"),
        ("http://mairie-macouria.fr", "http://mairie-macouria.fr"),
        ("javascript:alert(1)", None),
        ("ftp://example.org", None),
        ("https://user:pw@example.org", None),
        ("https://localhost", None),
        ("exa mple.org", None),
        ("", None),
        ("https://<b>.org", None),
    ],
)
def test_websites(value, stored):
    assert rules.normalise_website(value) == stored


@given(st.text(max_size=400))
def test_website_normalisation_never_raises_and_gives_http_addresses(value):
    result = rules.normalise_website(value)
    assert result is None or result.startswith(("http://", "https://"))


def at(month: int, day: int = 1) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=UTC)


def test_per_month_fills_the_empty_months():
    assert rules.per_month([at(1), at(1, 20), at(4)]) == [
        ("2026-01", 2),
        ("2026-02", 0),
        ("2026-03", 0),
        ("2026-04", 1),
    ]
    assert rules.per_month([]) == []
    assert rules.per_month([datetime(2025, 12, 3, tzinfo=UTC), at(1)]) == [("2025-12", 1), ("2026-01", 1)]


def test_median_delay_counts_the_answered_requests_only():
    assert rules.median_delay([(at(1), None)]) is None
    pairs = [(at(1), at(1, 2)), (at(1), at(1, 4)), (at(1), at(1, 11)), (at(1), None)]
    assert rules.median_delay(pairs) == timedelta(days=3)
    assert rules.median_delay([(at(1), at(1, 2)), (at(1), at(1, 4))]) == timedelta(days=2)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30))
def test_the_median_lies_between_the_smallest_and_the_largest_delay(seconds):
    start = at(1)
    median = rules.median_delay([(start, start + timedelta(seconds=s)) for s in seconds])
    assert timedelta(seconds=min(seconds)) <= median <= timedelta(seconds=max(seconds))


# ------------------------------------------------------------------------------ matching

COUVEUSE = Candidate(
    1,
    "Couveuse",
    theme_ids=frozenset({10}),
    services="Formation à la création d'entreprise, micro-crédit",
    languages=frozenset({"fr", "pt_BR"}),
    welcomes_holders=True,
)
TIERS_LIEU = Candidate(
    2, "Tiers-lieu", theme_ids=frozenset({11}), district_ids=frozenset({5}), services="Salle et coworking"
)
MAIRIE = Candidate(3, "Mairie", services="Accueil", welcomes_holders=True, languages=frozenset({"pt_BR"}))


def test_needs_are_met_by_words_of_the_services():
    assert matching.needs_met("Formation, MICRO-CRÉDIT", {"funding", "training", "premises"}) == ("funding", "training")
    assert matching.needs_met("Un local partagé", {"premises"}) == ("premises",)
    assert matching.needs_met("Vocal", {"premises"}) == ()  # "local" must start a word
    assert matching.needs_met("", {"funding"}) == ()


def test_a_score_adds_the_shared_facts():
    wanted = Request(theme_ids=frozenset({10}), needs=frozenset({"funding", "training"}), language="pt_BR")
    match = matching.score(COUVEUSE, wanted)
    assert match.reasons == (Reason.THEME, Reason.NEED, Reason.WELCOMES, Reason.LANGUAGE)
    assert match.score == 3 + 1 + 2 * 2 + 2 + 2  # theme, whole territory, two needs, welcomes, language
    assert match.needs_met == ("funding", "training")


def test_the_district_served_counts_more_than_the_whole_territory():
    here = Request(theme_ids=frozenset({11}), district_id=5)
    elsewhere = Request(theme_ids=frozenset({11}), district_id=6)
    assert Reason.DISTRICT in matching.score(TIERS_LIEU, here).reasons
    assert matching.score(TIERS_LIEU, here).score > matching.score(TIERS_LIEU, elsewhere).score


def test_suggestions_need_a_theme_or_a_need_and_come_best_first():
    wanted = Request(theme_ids=frozenset({10, 11}), district_id=5, needs=frozenset({"premises"}), language="pt_BR")
    found = matching.suggest([MAIRIE, TIERS_LIEU, COUVEUSE], wanted)
    # Couveuse 3 + 1 + 2 + 2 = 8 (theme, whole territory, welcomes, language); tiers-lieu 3 + 2 + 2 = 7
    # (theme, district, premises); the mairie only welcomes and speaks Portuguese: not enough.
    assert [(m.id, m.score) for m in found] == [(1, 8), (2, 7)]
    assert matching.suggest([MAIRIE], Request(language="pt_BR")) == []


def test_ties_are_broken_by_name_then_id():
    twins = [Candidate(9, "Zèbre", theme_ids=frozenset({1})), Candidate(8, "abeille", theme_ids=frozenset({1}))]
    twins.append(Candidate(7, "Abeille", theme_ids=frozenset({1})))
    assert [m.id for m in matching.suggest(twins, Request(theme_ids=frozenset({1})))] == [7, 8, 9]


def test_the_number_of_suggestions_is_limited():
    many = [Candidate(i, f"Org {i}", theme_ids=frozenset({1})) for i in range(20)]
    assert len(matching.suggest(many, Request(theme_ids=frozenset({1})), limit=5)) == 5


@given(
    st.lists(
        st.builds(
            Candidate,
            id=st.integers(1, 10**6),
            name=st.text(max_size=20),
            theme_ids=st.frozensets(st.integers(1, 5), max_size=3),
            district_ids=st.frozensets(st.integers(1, 5), max_size=2),
            services=st.text(max_size=60),
            languages=st.frozensets(st.sampled_from(["fr", "es", "pt_BR"]), max_size=2),
            welcomes_holders=st.booleans(),
        ),
        max_size=15,
    ),
    st.builds(
        Request,
        theme_ids=st.frozensets(st.integers(1, 5), max_size=3),
        district_id=st.none() | st.integers(1, 5),
        needs=st.frozensets(st.sampled_from(list(matching.NEED_KEYWORDS)), max_size=3),
        language=st.sampled_from(["fr", "es", "pt_BR", ""]),
    ),
)
def test_suggestions_are_sorted_relevant_and_bounded(candidates, wanted):
    found = matching.suggest(candidates, wanted)
    assert len(found) <= 5
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert all(Reason.THEME in m.reasons or Reason.NEED in m.reasons for m in found)
