"""One rule for every piece of text the service takes in: JSON bodies and query strings, web forms, headers
and imported files.

Text is stored (PostgreSQL's text cannot hold NUL), encrypted and blind-indexed (both need its UTF-8 bytes,
and a lone surrogate has none), and shown again in pages, CSV files and returns. So text may hold any
character except:

- a lone surrogate, U+D800 to U+DFFF: JSON's "\\ud800" decodes to one, and it is no character at all;
- a C0 control character, U+0000 to U+001F, other than tab, line feed and carriage return: NUL cannot be
  stored, and the others are invisible, mean nothing in a case record and upset the systems text goes to.
  Carriage return stays allowed because browsers send a textarea's line breaks as CRLF.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# The control-character part of the rule as a JSON Schema / ECMA-262 `pattern`, for the OpenAPI document;
# and the same for text that must also say something (not only spaces), as the services check with
# `value.strip()`. Lone surrogates cannot be written in a pattern that regex engines working on Unicode scalar
# values accept (ECMA-262's `u` mode, Rust's regex): the document states that part in words.
PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F]*$"
NOT_BLANK_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F]*[^\s\x00-\x1F][^\x00-\x08\x0B\x0C\x0E-\x1F]*$"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# The words each channel shows. None quotes the text: it may be case data.
API_MESSAGE = "Send text without control characters (such as NUL) or lone surrogates (\\ud800 to \\udfff)"
FORM_MESSAGE = "Enter text without control characters (such as a NUL byte)"
CELL_MESSAGE = "Remove the control characters (such as a NUL byte) from this cell"
HEADER_MESSAGE = "Send printable ASCII characters only"
# How deep a JSON body may nest. The deepest the API's schemas need is 4; past this nothing is read.
MAX_DEPTH = 32


def is_plain_text(value: str) -> bool:
    """True when `value` may be taken in: no lone surrogate, no C0 control but tab, line feed and CR."""
    return _FORBIDDEN.search(value) is None


def bad_cells(rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, int]]:
    """(line, column index) of every cell of a file's (line, cells) rows that breaks the rule."""
    for line, cells in rows:
        for at, value in enumerate(cells):
            if not is_plain_text(value):
                yield line, at
