# Every target that runs code first makes sure .venv exists and the project is installed in it,
# so `make demo` and `make test` work on a fresh machine with only Python 3.11 and PyPI.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The extras installed with the project: `make test EXTRAS=dev,ocr` adds OCR (as CI does).
EXTRAS ?= dev

.PHONY: demo test eval fuzz bench typecheck lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/govreports demo

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/govreports eval

# The generative harness over many seeds' worth of tables; exits 1 on any silently wrong cell.
fuzz: $(STAMP)
	$(BIN)/python -m tests.fuzz --synthetic 200

bench: $(STAMP)
	$(BIN)/python benchmarks/parse_speed.py
	$(BIN)/python benchmarks/pdf_speed.py
	$(BIN)/python benchmarks/flat_speed.py
	$(BIN)/python benchmarks/crawl_speed.py
	$(BIN)/python benchmarks/export_speed.py
	$(BIN)/python benchmarks/reparse_speed.py
	$(BIN)/python benchmarks/hostile_input.py

typecheck: $(STAMP)
	$(BIN)/python -m mypy

# What CI checks: lint rules and formatting. `make format` rewrites the files to pass.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache
