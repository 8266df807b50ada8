"""The rules an office starts with: default_rules.toml beside this module, in the format of
toml_rules.py, read once when the module is imported (it is the package's own data, like code).
Measured on the labelled corpora in tests/data/ (tests/shell/test_triage.py)."""

from __future__ import annotations

from importlib.resources import files

from triage.domain.rules.toml_rules import read

DEFAULT_RULES = read(files(__package__).joinpath("default_rules.toml").read_text("utf-8"))
