"""The rules an office starts with: default_rules.toml beside this module, in the format of
toml_rules.py, with the risk lexicon (risk_lexicon.toml) and the learned model
(risk_model.json, written by `make model`), read once when the module is imported (they are
the package's own data, like code). Measured on the labelled corpora in tests/data/
(tests/shell/test_triage.py, docs/BENCHMARKS.md)."""

from __future__ import annotations

from dataclasses import replace
from importlib.resources import files

from triage.domain.rules.lexicon import read as read_lexicon
from triage.domain.rules.model import LinearModel
from triage.domain.rules.toml_rules import read

_HERE = files(__package__)
LEXICON = read_lexicon(_HERE.joinpath("risk_lexicon.toml").read_text("utf-8"))
_MODEL = _HERE.joinpath("risk_model.json")
MODEL = LinearModel.from_json(_MODEL.read_text("utf-8")) if _MODEL.is_file() else None
DEFAULT_RULES = replace(
    read(_HERE.joinpath("default_rules.toml").read_text("utf-8")), lexicon=LEXICON, model=MODEL
)
