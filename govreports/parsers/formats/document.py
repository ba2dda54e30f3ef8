"""What a binary document's reader hands parse(): one shape for PDF, Word and Excel files."""

from __future__ import annotations

from dataclasses import dataclass, field

from govreports.parsers.statuses import Basis


@dataclass
class Document:
    """A document's content and what is known about how it was read.

    `text` is HTML (tables as <table> markup, for the one grid reader) or plain text lines (for
    the flattened-text reader); `form` says which reading it is (model.FORMS). `notes` are said
    in the report's problems: a PDF read from its text layer because its layout gave no table
    is a weaker reading, and a researcher should be able to tell. `basis` goes on every number
    the document gives, for the same reason."""

    text: str
    form: str
    properties: dict[str, str] = field(default_factory=dict)  # its own dates, for dates.py
    notes: list[str] = field(default_factory=list)
    # How every number read from it came to be, where that is not plain reading: a scan's
    # numbers are a recognizer's (Basis.OCR), and each cell says so.
    basis: Basis | None = None
