"""Statutory returns: the query of GET /returns/cin-census (the document itself is XML)."""
from __future__ import annotations

from marshmallow import fields, validate

from .base import BaseSchema


class CensusYearQuerySchema(BaseSchema):
    year = fields.Integer(required=True, strict=False, validate=validate.Range(min=2010, max=9999), metadata={
        "description": "The year the census ends in: 2026 is 1 April 2025 to 31 March 2026 (reference date "
                       "31 March 2026)", "example": 2026})
