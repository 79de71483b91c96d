# Two commands a user needs (see README.md):
#   make lab    set everything up and open JupyterLab on the first notebook
#   make test   set everything up and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab refuses to run as root unless told to (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: setup lab test notebooks lock clean

$(STAMP): binder/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r binder/requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
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
	tools/ensure-chromium  # the browser tests drive Debian's chromium (installs it as root)
	$(BIN)/python -m pytest

# Re-execute every notebook in place, so its stored outputs match its code.
notebooks: setup
	$(BIN)/python tools/build_notebooks.py

# Rebuild the pin list from pyproject.toml's extras in a throwaway environment.
lock:
	rm -rf build/lock && $(PYTHON) -m venv build/lock
	build/lock/bin/python -m pip install --quiet --upgrade pip
	build/lock/bin/python -m pip install --quiet '.[lab,grading,test]'
	{ sed -n '1,/^# Regenerate/p' binder/requirements.txt; \
	  build/lock/bin/python -m pip freeze --exclude nnkit; } > binder/requirements.tmp
	mv binder/requirements.tmp binder/requirements.txt

clean:
	rm -rf $(VENV) build *.egg-info

# Benchmarks, run by hand: install torch==2.13.0 (CPU) and micrograd into .venv, then the full
# run (several minutes); writes benchmarks/results/latest.{json,md}. See docs/performance.md.
.PHONY: bench
bench: setup
	$(BIN)/python -m pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python -m benchmarks

# Instructor workflow over nbgrader (docs/instructors.md); the course lives in build/course,
# the exchange in build/exchange (options: python -m nnkit.course <command> --help).
.PHONY: student-edition course-release course-collect course-grade formgrader
student-edition: setup
	$(BIN)/python -m nnkit.course student-edition build/student-edition --force

course-release: setup
	$(BIN)/python -m nnkit.course generate
	$(BIN)/python -m nnkit.course release

course-collect: setup
	$(BIN)/python -m nnkit.course collect

# autograde's problems are listed again by `report`, whose exit status says if any remain.
course-grade: setup
	-$(BIN)/python -m nnkit.course autograde
	$(BIN)/python -m nnkit.course feedback
	$(BIN)/python -m nnkit.course export
	$(BIN)/python -m nnkit.course report

formgrader: setup
	$(BIN)/python -m nnkit.course formgrader
