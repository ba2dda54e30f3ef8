"""A generative harness for the flattened-table reader (issue 13 point 5).

tables.py makes gold tables (the real fixtures' gold, and synthetic tables that satisfy every
identity of their template), render.py prints one into a page in each flattened form with a
per-table habit and records what the page truly shows, score.py parses the renderings and
scores every gold cell with cell_verdict. `python -m tests.fuzz --seed S --count N` runs it.
"""
