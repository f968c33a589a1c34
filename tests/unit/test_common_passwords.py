"""The shipped list of common passwords and how it is matched."""

from consultation.accounts.passwords import common_passwords, is_common


def test_the_list_is_shipped_and_large():
    assert len(common_passwords()) > 19_000


def test_common_passwords_are_caught_whatever_their_case_or_trailing_digits():
    for password in ("password", "PASSWORD", "Password2026", "azerty", "soleil!", "iloveyou", "motdepasse"):
        assert is_common(password), password


def test_uncommon_passphrases_pass():
    for password in ("correct horse battery", "kreyòl ak lanmè", "Sainte-Agathe à vélo"):
        assert not is_common(password), password
