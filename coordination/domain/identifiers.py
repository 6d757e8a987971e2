"""NHS number (modulus 11) and Unique Pupil Number (check letter) validation, the key a name is matched by
(duplicates and exact-match search go through blind indexes of these forms), and a record's id read from a
form or a query string."""
from __future__ import annotations

import re
import string
import unicodedata
import uuid

import icu  # PyICU (from the pyicu-wheels wheel, which bundles its own ICU): the reference TR39 skeleton

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O, S
_UPN_CHECK_LETTERS = _UPN_LETTERS


def uuid_or_none(value: object) -> uuid.UUID | None:
    """The id a form field or query parameter names; None when it is blank or not an id."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


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


# The TR39 confusables skeleton from ICU's own data. The data ships inside the pinned wheel, so every host computes
# the same keys; a new version of it (or any change below) needs `flask keys reindex` (deploy/README.md).
_skeleton = icu.SpoofChecker().getSkeleton
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Mn", "Me", "Zs", "Zl", "Zp", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"})


def _plain(text: str) -> str:
    """Without accents, format characters (soft hyphen, zero-width space/joiner), spaces and punctuation
    (every apostrophe, hyphen and dash)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) not in _DROPPED)


def _lower_key(char: str) -> str:
    return _plain(_skeleton(0, char))


# A capital is confusable as written (Cyrillic Н looks like H, not like its own small н, which looks like ʜ), and
# TR39 folds capital I into small l; so a capital that looks like a Latin capital takes that letter's key.
_LOOKS_LIKE_CAPITAL = {_plain(_skeleton(0, c)): _lower_key(c.lower()) for c in string.ascii_uppercase}


def name_match_key(value: str) -> str:
    """The form of a name that two spellings of it share, for matching only (the name shown never changes).

    NFKC (full-width and compatibility forms), case folded, accents, format characters (Unicode category Cf:
    soft hyphens, zero-width spaces and joiners), spaces and all punctuation removed, so `O’Brien` = `O'Brien` =
    `O Brien` = `OBrien`, `Smith–Jones` = `Smith-Jones` = `Smith Jones` = `SmithJones`; then each letter is
    replaced by its Unicode TR39 confusables skeleton, so a Cyrillic `і` matches a Latin `i` (and `m` matches
    `rn`). This finds more candidates, never fewer: a person confirms a real duplicate.
    """
    text = unicodedata.normalize("NFKC", "".join(c for c in value if unicodedata.category(c) not in ("Cf", "Cs")))
    key = []
    for char in _plain(text):
        folded = char.casefold()
        capital = _LOOKS_LIKE_CAPITAL.get(_plain(_skeleton(0, char))) if folded != char else None
        key.append(capital if capital is not None else "".join(_lower_key(c) for c in folded))
    return "".join(key)


# Partial name search (services.families.search_families): the starts of a name's match key that are indexed.
SHORTEST_PREFIX = 3   # fewer letters match too many people to be worth the leak (docs/architecture.md)
LONGEST_PREFIX = 10   # a longer search uses the first 10, then checks the candidates' names themselves


def name_prefixes(value: str) -> list[str]:
    """The indexed starts of a name: its match key's first 3, 4, … up to 10 characters (none when shorter than 3)."""
    key = name_match_key(value)
    return [key[:n] for n in range(SHORTEST_PREFIX, min(len(key), LONGEST_PREFIX) + 1)]
