"""Pure rules of people's texts in other languages."""

import pytest

from consultation.multilingual.rules import (
    announced_languages,
    is_current,
    may_verify,
    source_fingerprint,
    translation_problem,
)

SHIPPED = ["fr", "en", "es", "pt_BR", "ht", "ar"]


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        ("français, kreyòl, português", ["fr", "ht", "pt_BR"]),
        ("Français et Créole haïtien", ["fr", "ht"]),
        ("FRANCAIS / Español / العربية", ["fr", "es", "ar"]),
        ("fr; pt; ar", ["fr", "pt_BR", "ar"]),
        ("kreyòl ayisyen and arabic", ["ht", "ar"]),
        ("français, français", ["fr"]),
        ("kriyòl gwiyanè, sranantongo", []),  # not shipped yet: no queue for them
        ("", []),
    ],
)
def test_the_languages_a_workshop_announced_are_read_from_free_text(spoken, expected):
    assert announced_languages(spoken, SHIPPED) == expected


def test_only_shipped_languages_are_announced():
    assert announced_languages("français, arabe", ["fr"]) == ["fr"]


def test_a_translation_is_outdated_once_the_original_changes():
    fingerprint = source_fingerprint("Un abri", "Contre la pluie.")
    assert is_current(fingerprint, "Un abri", "Contre la pluie.")
    assert not is_current(fingerprint, "Un abri bus", "Contre la pluie.")
    # The separator keeps title and body apart: moving words between them changes the fingerprint.
    assert source_fingerprint("ab", "c") != source_fingerprint("a", "bc")


def test_a_second_pair_of_eyes_verifies():
    assert may_verify(verifier_id=1, proposer_id=2, is_manager=True)
    assert not may_verify(verifier_id=1, proposer_id=1, is_manager=True)
    assert not may_verify(verifier_id=1, proposer_id=2, is_manager=False)
    assert may_verify(verifier_id=1, proposer_id=None, is_manager=True)  # the proposer's account is gone


def test_a_translation_goes_into_another_shipped_language():
    assert translation_problem(language="ar", original_language="fr", shipped=SHIPPED) is None
    assert translation_problem(language="fr", original_language="fr", shipped=SHIPPED) == "same_language"
    assert translation_problem(language="gcr", original_language="fr", shipped=SHIPPED) == "unknown_language"
