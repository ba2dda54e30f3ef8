"""What the document readers share about failing: a document that opens but holds no text."""


class NoText(ValueError):
    """The document is readable but holds (almost) no text: its tables are images, to be read
    by OCR if at all. The page's status is then no_tables, not not_a_report."""
