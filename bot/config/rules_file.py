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
from triage.texts.catalog import Lang, text


def load_rules(path: Path, base: RuleSet, lang: Lang = "id") -> RuleSet:
    where = str(path)
    try:
        text_ = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(where, [f"- {text('rules.no_file', lang)}"], lang) from None
    except UnicodeDecodeError as exc:
        said = text("rules.not_utf8", lang, error=str(exc))
        raise ConfigError(where, [f"- {said}"], lang) from None
    try:
        return read(text_, base)
    except RulesProblems as exc:
        said = [f"- {text(f'rules.{kind}', lang, **values)}" for kind, values in exc.problems]
        raise ConfigError(where, said, lang) from None
