# Developer commands. `make run` serves the devstack with demo data; `make test` runs the whole suite.
.PHONY: help run test quality upgrade translations clean bench load

PORT ?= 8000
FIND_PYTHON := devstack/bin/find-python
PYTHON312 := $(shell $(FIND_PYTHON) 3.12)
PYTHON311 := $(shell $(FIND_PYTHON) 3.11)
VENV := .venv
COMPILE := CUSTOM_COMPILE_COMMAND="make upgrade" $(VENV)/bin/pip-compile --quiet --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --strip-extras --upgrade

ifneq ($(PYTHON312),)
  VENV_PYTHON := $(PYTHON312)
  STACK := verawood
else ifneq ($(PYTHON311),)
  VENV_PYTHON := $(PYTHON311)
  STACK := ulmo
else
  VENV_PYTHON :=
endif

help:
	@echo "make run          serve the devstack with demo data on http://127.0.0.1:$(PORT) (PORT= to change)"
	@echo "make test         run the whole suite on every stack whose Python is present, MariaDB included"
	@echo "make load         load the devstack on gunicorn and MariaDB with simulated learners, then check the database"
	@echo "make quality      run the linters"
	@echo "make translations extract and compile the French and Arabic catalogues"
	@echo "make upgrade      recompile the pinned requirements with pip-tools"

$(VENV)/.installed-$(STACK): requirements/$(STACK).txt requirements/tox.txt requirements/pip-tools.txt setup.py
	@test -n "$(VENV_PYTHON)" || { echo "No Python 3.12 or 3.11 found on PATH or under pyenv: install one." >&2; exit 1; }
	@if [ "$(STACK)" = ulmo ]; then echo "Python 3.12 not found: using Python 3.11 with the Ulmo pins."; fi
	rm -rf $(VENV)
	$(VENV_PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements/$(STACK).txt -r requirements/tox.txt -r requirements/pip-tools.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

run: $(VENV)/.installed-$(STACK)
	mkdir -p devstack/var
	$(VENV)/bin/python devstack/manage.py migrate --run-syncdb --verbosity 0
	$(VENV)/bin/python devstack/manage.py raqmya_demo $(if $(MANAGER_PASSWORD),--manager-password="$(MANAGER_PASSWORD)")
	@echo "Workbench (assessments): http://127.0.0.1:$(PORT)/"
	@echo "Programme dashboard:     http://127.0.0.1:$(PORT)/raqmya/dashboard/"
	@echo "Log in:                  http://127.0.0.1:$(PORT)/login/"
	$(VENV)/bin/python devstack/manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-$(STACK)
	RAQMYA_PYTHON312="$(PYTHON312)" RAQMYA_PYTHON311="$(PYTHON311)" $(VENV)/bin/python devstack/bin/run-tests $(ARGS)

# Benchmarks at programme scale, kept in benchmarks/runs/ and written to benchmarks/RESULTS.md:
# `make bench SCALES=1,10,100 BENCH_ARGS="--mysql-url mysql://root@127.0.0.1:3306/raqmya_bench"`.
SCALES ?= 1
bench: $(VENV)/.installed-$(STACK)
	$(VENV)/bin/python -m benchmarks.run --scales $(SCALES) $(BENCH_ARGS)

# Load test on gunicorn, MariaDB and Redis at 127.0.0.1: `make load LOAD_ARGS="--learners 20 --seconds 60"`.
load: $(VENV)/.installed-$(STACK)
	$(VENV)/bin/python -m benchmarks.load $(LOAD_ARGS)

quality: $(VENV)/.installed-$(STACK)
	RAQMYA_PYTHON312="$(PYTHON312)" $(VENV)/bin/tox -e quality

translations: $(VENV)/.installed-$(STACK)
	cd raqmya_reports && ../$(VENV)/bin/django-admin makemessages -l fr -l ar --ignore "tests/*"
	cd raqmya_reports && ../$(VENV)/bin/django-admin compilemessages
	cd raqmya_xblocks && for lang in fr ar; do \
		msgfmt --check -o conf/locale/$$lang/LC_MESSAGES/text.mo conf/locale/$$lang/LC_MESSAGES/text.po; done

upgrade: $(VENV)/.installed-$(STACK)
	@test -n "$(PYTHON312)" -a -n "$(PYTHON311)" || { echo "make upgrade needs Python 3.12 and 3.11." >&2; exit 1; }
	$(COMPILE) -o requirements/pip-tools.txt requirements/pip-tools.in
	$(COMPILE) -o requirements/tox.txt requirements/tox.in
	$(COMPILE) -o requirements/verawood.txt requirements/verawood.in
	$(COMPILE) -o requirements/quality.txt requirements/quality.in
	$(PYTHON311) -m venv .venv-upgrade-ulmo && .venv-upgrade-ulmo/bin/pip install --quiet -r requirements/pip-tools.txt
	CUSTOM_COMPILE_COMMAND="make upgrade" .venv-upgrade-ulmo/bin/pip-compile --quiet --allow-unsafe \
		--no-emit-index-url --no-emit-find-links --strip-extras --upgrade -o requirements/ulmo.txt requirements/ulmo.in
	rm -rf .venv-upgrade-ulmo

clean:
	rm -rf $(VENV) .tox build dist *.egg-info devstack/var
