# Quick start: `make demo` (the main job) and `make test` (the suite). Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

BENCH_VENV := .venv-bench

.PHONY: demo test system-deps bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,viz]'
	touch $(STAMP)

# Debian packages: graphviz (the `dot` program), the Fashion-MNIST IDX files, and chromium +
# chromium-driver (the stepper's browser test). Installed when run as root; otherwise we say
# what to install.
system-deps:
	@if command -v dot >/dev/null 2>&1 && [ -d /usr/share/datasets/fashion-mnist ] \
		&& [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz dataset-fashion-mnist chromium chromium-driver >/dev/null; \
	else \
		echo "note: install Debian's graphviz, dataset-fashion-mnist, chromium and chromium-driver (apt-get install graphviz dataset-fashion-mnist chromium chromium-driver) for graph rendering, the real data and the browser tests"; \
	fi

# The main job: LeNet-5 on Fashion-MNIST (falls back to examples.xo without the data set).
demo: $(STAMP) system-deps
	$(PY) -m examples.fashion_mnist

# One BLAS thread: the tests' matrices are small, and a second thread only adds contention.
test: $(STAMP) system-deps
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-ci} OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} \
		$(PY) -m pytest -q

# Side by side with PyTorch CPU (installed only in this separate venv, never a dependency).
# `make bench BENCH_PY=/path/to/python` uses an interpreter that already has torch and
# threadpoolctl instead of building .venv-bench. The instruction counts need valgrind.
BENCH_PY ?= $(BENCH_VENV)/bin/python

$(BENCH_VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install -q torch==2.13.0 numpy tqdm threadpoolctl
	$(BENCH_VENV)/bin/pip install -q -e . --no-deps
	touch $@

bench: $(if $(filter $(BENCH_VENV)/bin/python,$(BENCH_PY)),$(BENCH_VENV)/.installed)
	$(BENCH_PY) bench/run.py --json bench/results/run.json
	@if command -v valgrind >/dev/null 2>&1; then \
		$(BENCH_PY) bench/instructions.py --json bench/results/instructions.json; \
	else echo "note: install valgrind for bench/instructions.py's instruction counts"; fi

clean:
	rm -rf $(VENV) $(BENCH_VENV) .pytest_cache .hypothesis runs
