"""The request schemas on their own: strict about shape, silent about rules the services own."""
from __future__ import annotations

import datetime as dt

import pytest
from marshmallow import ValidationError

from schemas.assessment import SectionResponseSchema
from schemas.base import flatten_errors
from schemas.families import FamilyCreateRequestSchema, FamilySearchQuerySchema
from schemas.voice import VoiceRequestSchema


def test_flatten_errors_turns_marshmallows_nested_map_into_dotted_paths():
    nested = {"people": {0: {"role": ["Bad"]}, 2: {"given_name": ["Missing"], "x": ["Unknown field."]}},
              "_schema": ["Whole body"], "tags": {1: ["Not a string"]}}
    assert flatten_errors(nested) == {
        "people.0.role": ["Bad"], "people.2.given_name": ["Missing"], "people.2.x": ["Unknown field."],
        "_schema": ["Whole body"], "tags.1": ["Not a string"]}


def test_family_create_request_fills_defaults_and_leaves_check_digits_to_the_service():
    loaded = FamilyCreateRequestSchema().load({"people": [
        {"role": "child", "given_name": "Robin", "family_name": "Newfamily", "date_of_birth": "2015-06-01",
         "nhs_number": "123"}]})
    assert loaded["confirm_new"] is False
    assert loaded["people"][0] == {"role": "child", "given_name": "Robin", "family_name": "Newfamily",
                                   "date_of_birth": dt.date(2015, 6, 1), "nhs_number": "123", "upn": None}


@pytest.mark.parametrize("body", [
    {"people": [{"role": "child", "given_name": "", "family_name": "X"}]},
    {"people": [{"role": "child", "given_name": "A", "family_name": "X", "date_of_birth": "01/06/2015"}]},
    {"people": "Robin"},
    {"people": [{"role": "child", "given_name": 7, "family_name": "X"}]},
])
def test_family_create_request_refuses_wrong_shapes(body):
    with pytest.raises(ValidationError):
        FamilyCreateRequestSchema().load(body)


def test_search_needs_an_exact_criterion():
    assert FamilySearchQuerySchema().load({"upn": "H801200001001"}) == {"upn": "H801200001001"}
    with pytest.raises(ValidationError) as refused:
        FamilySearchQuerySchema().load({"given_name": "Robin", "family_name": "Newfamily"})
    assert list(refused.value.messages) == ["_schema"]


def test_voice_request_refuses_an_unknown_method_and_a_malformed_child_id():
    with pytest.raises(ValidationError) as refused:
        VoiceRequestSchema().load({"child_id": "7", "words": "Hi", "method": "mime", "recorded_on": "2026-01-01"})
    assert set(refused.value.messages) == {"child_id", "method"}


def test_naive_timestamps_are_dumped_as_utc():
    dumped = SectionResponseSchema().dump({"key": "health", "title": "Health", "hint": "", "sensitivity": "standard",
                                           "content": "", "version": 1,
                                           "updated_at": dt.datetime(2026, 3, 1, 9, 30)})
    assert dumped["updated_at"] == "2026-03-01T09:30:00+00:00"
