import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordination.domain.identifiers import (
    name_match_key,
    nhs_number_is_valid,
    upn_check_letter,
    upn_is_valid,
)


@pytest.mark.parametrize("value", ["943 476 5919", "9434765919", "943-476-5919", "4010232137"])
def test_nhs_number_accepted_when_check_digit_matches(value):
    assert nhs_number_is_valid(value)


@pytest.mark.parametrize("value", ["9434765918", "943476591", "94347659190", "abcdefghij", "", "1000000010"])
def test_nhs_number_refused_when_check_digit_or_shape_wrong(value):
    assert not nhs_number_is_valid(value)


def test_upn_accepted_with_its_check_letter_and_refused_with_another():
    body = "801200001001"
    good = upn_check_letter(body) + body
    assert upn_is_valid(good)
    wrong = ("A" if good[0] != "A" else "B") + body
    assert not upn_is_valid(wrong)


@pytest.mark.parametrize("value", ["", "H80120000100", "8012000010011", "I801200001001"])
def test_upn_refused_when_malformed(value):
    assert not upn_is_valid(value)


# ---- the key a name is matched by ---------------------------------------------------------------------------

@pytest.mark.parametrize(("typed", "recorded"), [
    ("O\u2019Brien", "O'Brien"),          # curly apostrophe (phones, Word)
    ("O\u2018Brien", "O'Brien"),          # left single quote
    ("O\u02bcBrien", "O'Brien"),          # modifier letter apostrophe
    ("O Brien", "O'Brien"),
    ("OBrien", "O'Brien"),
    ("Smith\u2013Jones", "Smith-Jones"),  # en dash
    ("Smith\u2014Jones", "Smith-Jones"),  # em dash
    ("Smith\u2011Jones", "Smith-Jones"),  # non-breaking hyphen
    ("Smith Jones", "Smith-Jones"),       # hyphen added or dropped
    ("SmithJones", "Smith-Jones"),
    ("Quill\u00adfeather", "Quillfeather"),  # soft hyphen
    ("Quill\u200bfeather", "Quillfeather"),  # zero-width space
    ("Quill\u200dfeather", "Quillfeather"),  # zero-width joiner
    ("Quill\u2060feather\ufeff", "Quillfeather"),  # word joiner, byte order mark
    ("Sm\u0456th", "Smith"),              # Cyrillic і
    ("\u0406van", "Ivan"),                # Cyrillic capital І
    ("\u041darris", "Harris"),            # Cyrillic capital Н looks like H (its small form does not)
    ("\u0421\u0430rter", "Carter"),       # Cyrillic С and а
    ("\u0397arris", "Harris"),            # Greek capital Eta
    ("\uff33mith", "Smith"),              # full-width S
    ("ZO\u00cb", "zoe"),                  # case and accents, as before
    ("  Rowan  ", "rowan"),
    ("STRASSE", "Stra\u00dfe"),
])
def test_name_match_key_is_the_same_for_spellings_a_person_would_call_the_same(typed, recorded):
    assert name_match_key(typed) == name_match_key(recorded)


@pytest.mark.parametrize(("one", "other"), [("Ian", "Lan"), ("Rowan", "Rowen"), ("Smith", "Smyth"), ("Ann", "Anne")])
def test_name_match_key_still_tells_different_names_apart(one, other):
    assert name_match_key(one) != name_match_key(other)


def test_name_match_key_of_a_lone_surrogate_is_encodable():
    assert name_match_key("Ro\ud800wan").encode() == name_match_key("Rowan").encode()


_INVISIBLE = st.sampled_from(["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e"])


@given(name=st.text(alphabet=st.characters(codec="ascii", categories=["L"]), min_size=1, max_size=20),
       at=st.integers(min_value=0, max_value=20), invisible=_INVISIBLE)
def test_name_match_key_ignores_case_and_invisible_characters_anywhere(name, at, invisible):
    assert name_match_key(name[:at] + invisible + name[at:]) == name_match_key(name.swapcase())
