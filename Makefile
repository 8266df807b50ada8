# Two commands: `make demo` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install test test-slow lint demo bench model clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The office's install (README, Deployment): the program and what it needs, not editable and
# without the test tools. Python 3.11 or newer (Debian 12 and Ubuntu 24.04 have it).
install:
	rm -f $(STAMP)  # `make test` and `make demo` install the test tools again when next run
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else \
	  "Puspaga Inbox memerlukan Python 3.11 atau lebih baru; ini " + sys.version.split()[0] + \
	  ". Lihat README, Deployment.")'
	@$(PYTHON) -c 'import os, stat, sys; p = os.path.realpath(sys.executable); \
	  chain = [p]; \
	  [chain.append(os.path.dirname(chain[-1])) for _ in range(64) if os.path.dirname(chain[-1]) != chain[-1]]; \
	  shut = [d for d in chain if not os.stat(d).st_mode & stat.S_IXOTH]; \
	  sys.exit(0 if not shut else "Python " + p + " ada di folder yang tidak bisa dibuka pengguna lain (" + \
	  shut[-1] + "): pengguna layanan tidak akan bisa menjalankannya. Pakai Python sistem: " + \
	  "sudo make install PYTHON=/usr/bin/python3")'
	@# a .venv another Python made is made again (--clear); the same Python's is kept, so that a
	@# failed download leaves the installed program in place
	$(PYTHON) -m venv $$($(PYTHON) -c 'import os, sys; cfg = "$(VENV)/pyvenv.cfg"; \
	  home = [l.split("=", 1)[1].strip() for l in open(cfg) if l.startswith("home")] \
	  if os.path.exists(cfg) else []; \
	  print("--clear" if home and home[0] != os.path.dirname(os.path.realpath(sys.executable)) \
	  else "")') $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet .
	@echo "Puspaga Inbox terpasang: $$($(BIN)/puspaga --version), perintahnya $(CURDIR)/$(BIN)/puspaga"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Three workers: most tests wait on servers (Telegram's budget, IMAP, PostgreSQL), not the CPU.
# A file's tests stay on one worker (they share its module fixtures).
test: lint
	$(BIN)/python -m pytest -n 3 --dist loadfile -m "not long"

# The slow suite: runs measured in minutes (the learned model trained once per corpus left
# out). CI runs it after `make test`.
test-slow: $(STAMP)
	$(BIN)/python -m pytest -m long

# The demo's email act needs Dovecot: installed here when we may (root with apt-get).
demo: $(STAMP)
	@command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; } || \
	  echo "(Dovecot is not installed; the demo's email act will say how to add it)"
	$(BIN)/puspaga demo

# The learned triage model, from the labelled corpora in tests/data (fixed seed): writes
# triage/domain/rules/risk_model.json, which the product reads (no scikit-learn at run time).
model: $(STAMP)
	$(BIN)/python training/risk_model.py

bench: $(STAMP)
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) demo-data .pytest_cache .ruff_cache .hypothesis
