# Support Planner: `make run` opens the app on the sample data; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
PORT ?= 8501

.PHONY: setup run test test-unit test-integration test-app test-e2e lint format sample bench clean

setup: $(READY)

$(READY): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(READY)

run: $(READY)
	$(BIN)/streamlit run app.py --server.headless true --server.address 127.0.0.1 --server.port $(PORT)

test: $(READY)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# One tier at a time (CONTRIBUTING.md): unit is pure and fast (about a minute on two
# workers); integration runs the sample end to end, the CLI, the exports and the store; app
# is AppTest; e2e is Chromium.
test-unit: $(READY)
	$(BIN)/pytest -n 2 --dist worksteal tests/unit

test-integration: $(READY)
	$(BIN)/pytest tests/integration

test-app: $(READY)
	$(BIN)/pytest tests/app

test-e2e: $(READY)
	$(BIN)/pytest tests/e2e

lint: $(READY)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

sample: $(READY)
	$(BIN)/python -m planner sample --out sample_data

bench: $(READY)
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_forecast.py
	$(BIN)/python benchmarks/bench_staffing.py
	$(BIN)/python benchmarks/bench_schedules.py
	$(BIN)/python benchmarks/bench_plan.py
	$(BIN)/python benchmarks/bench_tiers_sites.py
	$(BIN)/python benchmarks/bench_org.py
	$(BIN)/python benchmarks/bench_store.py
	$(BIN)/python benchmarks/bench_export.py
	$(BIN)/python benchmarks/bench_reread.py
	$(BIN)/python benchmarks/bench_upload_memory.py
	$(BIN)/python benchmarks/bench_forecast_accuracy.py
	$(BIN)/python benchmarks/bench_browser.py

clean:
	rm -rf $(VENV) test-output .pytest_cache .ruff_cache .hypothesis
