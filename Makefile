# `make demo` renders the sample story; `make test` runs the test suite.
# Both first install whatever is missing (scripts/setup.sh).
.PHONY: setup demo test bench clean

STORY ?= stories/the-tab.txt

setup:
	@scripts/setup.sh

demo: setup
	.venv/bin/storycast render $(STORY) -o output/

test: setup
	.venv/bin/python -m pytest

bench: setup
	.venv/bin/python benchmarks/attribution.py

clean:
	rm -rf output/*/ .pytest_cache
