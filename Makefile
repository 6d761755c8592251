# `make demo` renders the sample story; `make test` lints, type-checks and runs
# the test suite. Both first install whatever is missing (scripts/setup.sh).
.PHONY: setup demo lint test bench clean

STORY ?= stories/the-tab.txt

setup:
	@scripts/setup.sh

demo: setup
	.venv/bin/storycast render $(STORY) -o output/

lint: setup
	.venv/bin/ruff check src tests benchmarks
	.venv/bin/ruff format --check src tests benchmarks
	.venv/bin/mypy

test: lint
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/python benchmarks/attribution.py

clean:
	rm -rf output/*/ .pytest_cache
