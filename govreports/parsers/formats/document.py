"""What a binary document's reader hands parse(): one shape for PDF, Word and Excel files."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Document:
    """A document's content and what is known about how it was read.

    `text` is HTML (tables as <table> markup, for the one grid reader) or plain text lines (for
    the flattened-text reader); `form` says which reading it is (model.FORMS). `notes` are said
    in the report's problems: a PDF read from its text layer because its layout gave no table
    is a weaker reading, and a researcher should be able to tell."""

    text: str
    form: str
    properties: dict[str, str] = field(default_factory=dict)  # its own dates, for dates.py
    notes: list[str] = field(default_factory=list)
