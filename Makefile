# Two commands a user needs (see README.md):
#   make lab    set everything up and open JupyterLab on the first notebook
#   make test   set everything up and run every test
PYTHON ?= python3
SHELL  := /bin/bash
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told to (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab test notebooks lock clean

# pip's own progress lines are the progress report (about a minute with a warm cache, a few
# minutes from nothing); the steps are numbered so a silent pause is never a mystery.
$(STAMP): binder/requirements.txt pyproject.toml
	@tools/check-python $(PYTHON)
	@echo "[1/3] creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@echo "[2/3] installing the $$(grep -c '^[a-z]' binder/requirements.txt) pinned packages of binder/requirements.txt"
	set -o pipefail; $(BIN)/python -m pip install --progress-bar off -r binder/requirements.txt \
	    | { grep -E '^(Collecting|Installing|Successfully)' || true; }
	@echo "[3/3] installing nnkit itself (editable)"
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

setup: $(STAMP)

# The student edition goes to student/ once; after that it holds the student's work and is
# never rebuilt here (nnkit.course refuses to overwrite it anyway). JupyterLab serves only that
# folder (the solutions stay out of reach), without nbgrader's instructor tools (tools/student-lab).
lab: setup
	test -d student || $(BIN)/python -m nnkit.course student-edition student/
	JUPYTER_CONFIG_PATH=$(CURDIR)/tools/student-lab $(BIN)/jupyter lab $(ROOT_FLAG) \
	    --ServerApp.root_dir=student --LabApp.default_url=/lab/tree/00-homework.ipynb

test: setup
	tools/ensure-chromium    # the browser tests drive Debian's chromium (installs it as root)
	tools/ensure-bubblewrap  # grading runs student code in a bwrap sandbox (installs it as root)
	$(BIN)/python -m pytest

# Re-execute every notebook in place, so its stored outputs match its code.
notebooks: setup
	$(BIN)/python tools/build_notebooks.py

# Rebuild the pin list from pyproject.toml for Python 3.10 and 3.11.2 with pip's resolver (no
# interpreter of either version needed); `tools/lock.py check` is run by the tests.
lock: setup
	$(BIN)/python tools/lock.py write

clean:
	rm -rf $(VENV) build *.egg-info

# Benchmarks, run by hand: install torch==2.13.0 (CPU) and micrograd into .venv, then the full
# run (several minutes); writes benchmarks/results/latest.{json,md}. See docs/performance.md.
.PHONY: bench
bench: setup
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python -m benchmarks --threads 1

# Instructor workflow over nbgrader (docs/instructors.md); the course lives in build/course,
# the exchange in build/exchange (options: python -m nnkit.course <command> --help). A course set
# up with `python -m nnkit.course init` needs no options: run the commands themselves.
COURSE := --course-dir=build/course --exchange=build/exchange
.PHONY: student-edition course-release course-collect course-grade formgrader
student-edition: setup
	$(BIN)/python -m nnkit.course student-edition build/student-edition --force

course-release: setup
	$(BIN)/python -m nnkit.course generate $(COURSE)
	$(BIN)/python -m nnkit.course release $(COURSE)

course-collect: setup
	$(BIN)/python -m nnkit.course collect $(COURSE)

# autograde's problems are listed again by `report`, whose exit status says if any remain.
course-grade: setup
	-$(BIN)/python -m nnkit.course autograde $(COURSE)
	$(BIN)/python -m nnkit.course feedback $(COURSE)
	$(BIN)/python -m nnkit.course export $(COURSE)
	$(BIN)/python -m nnkit.course report $(COURSE)

formgrader: setup
	$(BIN)/python -m nnkit.course formgrader $(COURSE)
