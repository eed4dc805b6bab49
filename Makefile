# eventwire: the two commands are `make run` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLES := src/eventwire/samples
DB ?= eventwire.duckdb

.PHONY: run test install bench clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY)"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-installs only when the project's dependency list changes: running it twice is cheap.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,spark]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/eventwire ingest --db $(DB) $(SAMPLES)
	@echo
	@echo "Events are in $(DB). Look at them:"
	@echo "  $(BIN)/eventwire code --format table $(SAMPLES)/*.txt | less -R"
	@echo "  $(BIN)/eventwire serve --db $(DB)     # then open http://127.0.0.1:8000/"

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/bench.py

clean:
	rm -rf $(VENV) $(DB) build *.egg-info src/*.egg-info
