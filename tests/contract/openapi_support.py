"""Reading the OpenAPI document as a client would: which documented operation a request was, and the
JSON Schema (Draft 2020-12) its response must keep."""
from __future__ import annotations

import re
from collections.abc import Iterator

from jsonschema import Draft202012Validator


def operations(spec: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "delete", "patch"):
                yield path, method, operation


def find_operation(spec: dict, method: str, path: str) -> dict | None:
    """The documented operation for a request; a literal path (/families/search) wins over a template."""
    literal = spec["paths"].get(path)
    if literal is not None:
        return literal.get(method.lower())
    for template, verb, operation in operations(spec):
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if verb == method.lower() and re.match(pattern, path):
            return operation
    return None


def response_errors(spec: dict, operation: dict, status: int, mimetype: str, body: object) -> list[str]:
    """Every way `body` breaks the schema the document gives for this status and media type ([] when it
    keeps it; a status or media type the document does not list is an error too)."""
    described = operation["responses"].get(str(status))
    if described is None:
        return [f"status {status} is not documented"]
    content = described.get("content", {})
    if mimetype not in content:
        return [f"{mimetype} is not documented for {status}"] if content else []
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "components": spec["components"],
              **content[mimetype]["schema"]}
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message[:200]}"
            for e in validator.iter_errors(body)]
