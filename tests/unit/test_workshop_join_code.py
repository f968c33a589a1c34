"""Join codes: easy to read aloud, no look-alike characters, forgiving when typed."""

from consultation.workshops.services import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, new_join_code, normalise_join_code


def test_the_alphabet_has_no_ambiguous_characters():
    assert not set("0O1IL2Z5S8BGQ") & set(JOIN_CODE_ALPHABET)


def test_codes_use_the_alphabet_only():
    for _ in range(200):
        code = new_join_code()
        assert len(code) == JOIN_CODE_LENGTH and set(code) <= set(JOIN_CODE_ALPHABET)


def test_typed_codes_are_normalised():
    assert normalise_join_code(" kt4 mxa ") == "KT4MXA"
    assert normalise_join_code("KT4-MXA") == "KT4MXA"


def test_ambiguous_or_wrong_length_codes_are_refused():
    assert normalise_join_code("KT0MXA") == ""
    assert normalise_join_code("KT4MX") == ""
    assert normalise_join_code("<script>") == ""
    assert normalise_join_code("") == ""
