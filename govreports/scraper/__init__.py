"""Everything that speaks HTTP. Parsers never import from here."""
