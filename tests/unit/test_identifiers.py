import pytest

from coordination.domain.identifiers import nhs_number_is_valid, upn_check_letter, upn_is_valid


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
