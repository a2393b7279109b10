# Quick start: `make demo` (the main job) and `make test` (the suite). Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test system-deps bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,viz]'
	touch $(STAMP)

# Debian packages: graphviz (the `dot` program) and the Fashion-MNIST IDX files.
# Installed when run as root; otherwise we say what to install.
system-deps:
	@if command -v dot >/dev/null 2>&1 && [ -d /usr/share/datasets/fashion-mnist ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz dataset-fashion-mnist >/dev/null; \
	else \
		echo "note: install Debian's graphviz and dataset-fashion-mnist (apt-get install graphviz dataset-fashion-mnist) for graph rendering and the real data"; \
	fi

demo: $(STAMP) system-deps
	$(PY) -m examples.demo

test: $(STAMP) system-deps
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis runs
