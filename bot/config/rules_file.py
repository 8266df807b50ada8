"""An office's own triage rules: a TOML file named by `[triage] rules_file`, adding
to the rules the product starts with. A mistake stops the start with the key and the fix.

    [urgent]
    suicide = ["pengen ngilang selamanya"]     # joins the rule of that name
    bahaya_lokal = ["dikejar (?:\\w+ )?preman"] # a new urgent rule
    [traps]
    phrases = ["mati (?:kita|kau) di game"]
    [calm]
    phrases = ["lomba poster"]
    [categories.lansia]
    posbindu = 2.5                              # a Sastrawi stem (or a plain word) and a weight
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from bot.config.settings import ConfigError
from triage.domain.rules.classify import Additions, RuleSet, extended


def load_rules(path: Path, base: RuleSet) -> RuleSet:
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            where,
            [
                "- the rules file does not exist. Fix: create it, or remove "
                "[triage] rules_file from the configuration."
            ],
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(where, [f"- not valid TOML: {exc}. Fix: check that line."]) from None
    problems = []
    unknown = set(raw) - {"urgent", "traps", "calm", "categories"}
    problems += [
        f"- [{k}]: unknown section. Fix: use urgent, traps, calm or categories."
        for k in sorted(unknown)
    ]
    urgent = raw.get("urgent", {})
    if not isinstance(urgent, dict) or not all(
        isinstance(v, list) and all(isinstance(p, str) for p in v) for v in urgent.values()
    ):
        problems.append('- [urgent]: each rule is a list of phrases, e.g. suicide = ["..."].')
        urgent = {}
    lists = {}
    for section in ("traps", "calm"):
        section_raw = raw.get(section, {})
        phrases = section_raw.get("phrases", []) if isinstance(section_raw, dict) else None
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            problems.append(f'- [{section}] phrases: a list of phrases, e.g. phrases = ["..."].')
            phrases = []
        lists[section] = phrases
    categories = raw.get("categories", {})
    if not isinstance(categories, dict) or not all(
        isinstance(words, dict)
        and all(isinstance(w, int | float) and not isinstance(w, bool) for w in words.values())
        for words in categories.values()
    ):
        problems.append("- [categories.<code>]: words with a number weight, e.g. posbindu = 2.5.")
        categories = {}
    if problems:
        raise ConfigError(where, problems)
    try:
        return extended(
            base,
            Additions(
                urgent={k: list(v) for k, v in urgent.items()},
                traps=lists["traps"],
                calm=lists["calm"],
                categories={
                    c: {w: float(x) for w, x in ws.items()} for c, ws in categories.items()
                },
            ),
        )
    except ValueError as exc:
        raise ConfigError(where, [f"- {exc}. Fix: correct it in the rules file."]) from None
