"""An office's own triage rules: a TOML file named by `[triage] rules_file`, in the same format
as the rules the product ships (triage/domain/rules/toml_rules.py describes it), adding to them.
A mistake stops the start with the file, the key and the fix.

    [urgent]
    suicide = ["pengen ngilang selamanya"]     # joins the rule of that name
    bahaya_lokal = ["dikejar {W}{0,1}preman"]  # a new urgent rule ({W}: one word, a fragment)
    [traps]
    phrases = ["mati (?:kita|kau) di game"]
    [calm]
    phrases = ["lomba poster"]
    [categories.lansia]
    posbindu = 2.5                              # a Sastrawi stem (or a plain word) and a weight
"""

from __future__ import annotations

from pathlib import Path

from bot.config.settings import ConfigError
from triage.domain.rules.classify import RuleSet
from triage.domain.rules.toml_rules import RulesProblems, read


def load_rules(path: Path, base: RuleSet) -> RuleSet:
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            where,
            [
                "- the rules file does not exist. Fix: create it, or remove "
                "[triage] rules_file from the configuration."
            ],
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(where, [f"- not UTF-8 text: {exc}. Fix: save it as UTF-8."]) from None
    try:
        return read(text, base)
    except RulesProblems as exc:
        raise ConfigError(where, exc.problems) from None
