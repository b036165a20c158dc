# changebot: one-word targets. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP  := $(VENV)/.run-installed
DEV_STAMP  := $(VENV)/.dev-installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: setup run test test-fast lint fmt fit fit-reader bench test-slow test-llm eval-llm clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(RUN_STAMP)

$(BENCH_STAMP): $(DEV_STAMP)
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $@

setup: $(DEV_STAMP)

## Index the bundled guidance if needed, then start: Slack when configured, else terminal chat.
run: $(RUN_STAMP)
	@$(BIN)/changebot start

## Lint, type-check and run the test suite (exit 5, "no tests collected", counts as failure-free).
test: lint
	@$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

## The fast unit tier: pure parts with a deterministic fake embedder, no index, no servers.
test-fast: $(DEV_STAMP)
	$(BIN)/pytest -m fast -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Heavy, bounded trials (crash loops, full-size bombs) outside the everyday suite.
test-slow: $(DEV_STAMP)
	$(BIN)/pytest -m slow

## Opt-in: the LLM path against a real local model server (builds llama.cpp, ~15 minutes).
test-llm: $(DEV_STAMP)
	./scripts/test_llm.sh

## Opt-in: the dev sets offline and through the local model, side by side (issue 16; slow).
## Files as EVAL_ARGS="SITUATIONS QUESTIONS_DEV QUESTIONS_EXTRA JOURNEYS LOCALDOCS".
eval-llm: $(DEV_STAMP)
	./scripts/eval_llm.sh $(EVAL_ARGS)

## Fine-tune the main-barrier reader (PyTorch, about 40 minutes on 2 cores); then run make fit.
fit-reader: $(DEV_STAMP)
	$(BIN)/pip install -q -e '.[fit-reader]'
	$(BIN)/python -m bot.tools.fit_reader

## Refit the diagnosis calibration after changing training data or a knob in params.py.
fit: $(DEV_STAMP)
	$(BIN)/python -m bot.tools.calibrate
	$(BIN)/python -m bot.tools.ship_cache

## Benchmarks: embeddings, diagnosis, answers, retrieval at scale, ingest, Slack ack latency.
bench: $(BENCH_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .changebot .mypy_cache .ruff_cache .pytest_cache
