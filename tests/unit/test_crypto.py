import base64

import pytest

from coordination.crypto import BlindIndex, DecryptionError, KeyRing, associated_data


def ring(*ids):
    return KeyRing([(i, bytes([n + 1]) * 32) for n, i in enumerate(ids)])


def test_ciphertext_opens_only_for_its_own_row_and_field():
    r = ring("k1")
    token = r.encrypt("We moved house twice this year", associated_data("person", "given_name", "row-1"))
    assert "moved" not in token
    assert r.decrypt(token, associated_data("person", "given_name", "row-1")) == "We moved house twice this year"
    with pytest.raises(DecryptionError):
        r.decrypt(token, associated_data("person", "given_name", "row-2"))
    with pytest.raises(DecryptionError):
        r.decrypt(token, associated_data("person", "family_name", "row-1"))


def test_old_keys_still_open_and_new_writes_use_the_newest():
    old = ring("k1")
    token = old.encrypt("text", b"aad")
    both = ring("k1", "k2")
    assert both.decrypt(token, b"aad") == "text"
    assert both.needs_rotation(token)
    assert both.key_id_of(both.encrypt("text", b"aad")) == "k2"


def test_unknown_key_id_is_refused():
    token = ring("k1").encrypt("text", b"aad")
    with pytest.raises(DecryptionError):
        KeyRing([("k9", b"\x09" * 32)]).decrypt(token, b"aad")


def test_blind_index_hashes_parts_as_given_under_its_own_key():
    a = BlindIndex(b"a" * 32)
    assert a("name", "zoe", "oneill") == a("name", "zoe", "oneill")
    assert a("name", "zoe", "oneill") != a("name", "zoeo", "neill")
    assert a("name", "Zoe") != BlindIndex(b"b" * 32)("name", "Zoe")
    assert a("nhs", "x") != a("upn", "x")
    assert len(base64.b16decode(a("nhs", "x").upper())) == 32
