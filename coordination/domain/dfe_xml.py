"""What the DfE's XML returns (the CIN census, SEN2) share: the Message with its Header (CollectionDetails and
Source), elements whose values are written as the DfE's schemas want them (dates as ISO dates, booleans as
true/false, nothing for a value not held), and the file's bytes (UTF-8, with an XML declaration)."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML here, never parse it
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Who sends the file: the Header's Source items."""

    la_code: str
    produced_at: dt.datetime
    serial: int = 1
    software: str = "Early help coordination"
    release: str = "0.1"


# The Header's Source items and where they come from, for each return's ITEMS (docs/exports.md shows the words).
SOURCE_ITEMS: tuple[tuple[str, str], ...] = (
    ("Header/Source/SourceLevel", "Always L (local authority)."),
    ("Header/Source/LEA", "The `LA_CODE` setting (the demo's 999, which no authority has)."),
    ("Header/Source/SoftwareCode", "This service's name."),
    ("Header/Source/Release", "This service's release."),
    ("Header/Source/SerialNo", "001."),
    ("Header/Source/DateTime", "When the file was made (UTC)."),
)


def sub(parent: ET.Element, tag: str, value: object | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return element


def optional(parent: ET.Element, tag: str, value: object | None) -> None:
    """The element only when the value is held."""
    if value not in (None, ""):
        sub(parent, tag, value)


@dataclass(frozen=True)
class IfHeld:
    """An item whose element is written only when its value is held (not None, not "")."""

    value: object | None


def items(parent: ET.Element, **values: object) -> None:
    """An element under `parent` for each item, in the order given (the schema's; each keyword is the element's
    tag): an `IfHeld` one only when its value is held."""
    for tag, value in values.items():
        if isinstance(value, IfHeld):
            optional(parent, tag, value.value)
        else:
            sub(parent, tag, value)


def held_items(parent: ET.Element, **values: object | None) -> None:
    """`items` where every item is written only when held."""
    items(parent, **{tag: IfHeld(value) for tag, value in values.items()})


def element(parent: ET.Element, tag: str, **values: object) -> ET.Element:
    """The element `tag` under `parent`, with its `items`."""
    made = sub(parent, tag)
    items(made, **values)
    return made


def codes(parent: ET.Element, tag: str, item_tag: str, values: Iterable[object]) -> None:
    """The element `tag` holding one `item_tag` for each of `values`, or nothing when there are none."""
    values = tuple(values)
    if values:
        listing = sub(parent, tag)
        for value in values:
            sub(listing, item_tag, value)


# The child's identifiers as both returns write them (the DfE's common basic data set).
def sex(code: str | None) -> str:
    """Sex: U (not known or not recorded) when none is recorded."""
    return code or "U"


def ethnicity(code: str | None) -> str:
    """Ethnicity: NOBT (information not yet obtained) when none is recorded."""
    return code or "NOBT"


def upn_unknown(upn: str | None, reason: str | None) -> str | None:
    """UPNunknown: the reason there is no UPN, only when there is none."""
    return None if upn else reason


def message(collection: str, year: int, reference: dt.date, source: Source) -> tuple[ET.Element, ET.Element]:
    """The Message and its Header; returns (the message, the header's Source, for a return's own items)."""
    root = ET.Element("Message")
    header = sub(root, "Header")
    element(header, "CollectionDetails", Collection=collection, Year=year, ReferenceDate=reference)
    source_items = element(header, "Source", SourceLevel="L", LEA=source.la_code, SoftwareCode=source.software,
                           Release=source.release, SerialNo=f"{source.serial:03d}",
                           DateTime=source.produced_at.replace(microsecond=0, tzinfo=None).isoformat())
    return root, source_items


def file_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
