# The two commands a new user needs: `make demo` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

$(BIN)/pressarchiv: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,web,bench,postgres,workers]'
	touch $@

# The PostgreSQL pass: every test that stores into an archive, each on a fresh schema there.
PG_TEST_DB ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install demo test test-pg lint
install: $(BIN)/pressarchiv

demo: install
	$(BIN)/pressarchiv demo

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest
	PRESSARCHIV_TEST_DB=$(PG_TEST_DB) $(BIN)/pytest

test-pg: install
	PRESSARCHIV_TEST_DB=$(PG_TEST_DB) $(BIN)/pytest

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
