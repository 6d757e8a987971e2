"""NHS number (modulus 11) and Unique Pupil Number (check letter) validation."""
from __future__ import annotations

import re

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O, S
_UPN_CHECK_LETTERS = _UPN_LETTERS


def clean_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_is_valid(value: str) -> bool:
    """Ten digits; the tenth is the modulus-11 check digit of the first nine (weights 10..2)."""
    digits = clean_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def nhs_check_digit(first_nine: str) -> int | None:
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    return 0 if check == 11 else (None if check == 10 else check)


def clean_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def _upn_char_value(ch: str) -> int | None:
    if ch.isdigit():
        return int(ch)
    if ch in _UPN_LETTERS:
        return _UPN_LETTERS.index(ch)
    return None


def upn_check_letter(body: str) -> str:
    """Check letter for the 12 characters after it (DfE: weights 2..13, sum mod 23)."""
    total = 0
    for weight, ch in zip(range(2, 14), body, strict=True):
        val = _upn_char_value(ch)
        if val is None:
            raise ValueError(ch)
        total += val * weight
    return _UPN_CHECK_LETTERS[total % 23]


def upn_is_valid(value: str) -> bool:
    """13 characters: a check letter, the LA code (3 digits), the establishment (4), year (2), serial (3).

    The final serial character may be a letter for temporary UPNs. The check letter is computed over
    characters 2–13 with weights 2–13, modulo 23, mapped onto A–Z without I, O and S.
    """
    upn = clean_upn(value)
    if not re.fullmatch(r"[A-Z]\d{11}[0-9A-Z]", upn):
        return False
    try:
        return upn[0] == upn_check_letter(upn[1:])
    except ValueError:
        return False
