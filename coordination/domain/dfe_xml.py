"""What the DfE's XML returns (the CIN census, SEN2) share: the Message with its Header (CollectionDetails and
Source), elements whose values are written as the DfE's schemas want them (dates as ISO dates, booleans as
true/false, nothing for a value not held), and the file's bytes (UTF-8, with an XML declaration)."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET  # noqa: S405 - we only write XML here, never parse it
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Who sends the file: the Header's Source items."""

    la_code: str
    produced_at: dt.datetime
    serial: int = 1
    software: str = "Early help coordination"
    release: str = "0.1"


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


def message(collection: str, year: int, reference: dt.date, source: Source) -> tuple[ET.Element, ET.Element]:
    """The Message and its Header; returns (the message, the header's Source, for a return's own items)."""
    root = ET.Element("Message")
    header = sub(root, "Header")
    details = sub(header, "CollectionDetails")
    sub(details, "Collection", collection)
    sub(details, "Year", year)
    sub(details, "ReferenceDate", reference)
    items = sub(header, "Source")
    sub(items, "SourceLevel", "L")
    sub(items, "LEA", source.la_code)
    sub(items, "SoftwareCode", source.software)
    sub(items, "Release", source.release)
    sub(items, "SerialNo", f"{source.serial:03d}")
    sub(items, "DateTime", source.produced_at.replace(microsecond=0, tzinfo=None).isoformat())
    return root, items


def file_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
