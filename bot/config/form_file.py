"""An office's own identity form: a TOML file named by `[triage] form_file`, in the
shape of the product's form (triage.domain.forms.spec.DEFAULT_FORM). A mistake stops the start
with the field, the key and the fix. `puspaga check` reads it too.

    [[field]]
    name = "persetujuan"          # the consent field: required, asked first
    kind = "consent"
    prompt_id = "Apakah Anda setuju data Anda dicatat? (ya/tidak)"
    prompt_en = "Do you agree that we record your details? (yes/no)"

    [[field]]
    name = "nama"
    kind = "text"                 # text, age, gender, phone, nik, choice, consent, address
    required = true
    personal = true               # personal data (UU 27/2022)
    prompt_id = "Nama (boleh nama panggilan):"
    prompt_en = "Name (a nickname is fine):"
    aliases = ["nama lengkap"]    # other labels a client may write before ":"
    max_len = 60
    # choices = ["ibu", "ayah"]  (kind = "choice");  first_message = false (never asked first)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.config.settings import ConfigError
from triage.domain.forms.spec import FieldSpec, FormSpec
from triage.texts.catalog import Lang, text

KINDS = ("text", "age", "gender", "phone", "nik", "choice", "consent", "address")
KEYS = {
    "name", "kind", "required", "personal", "prompt_id", "prompt_en", "aliases", "choices",
    "first_message", "max_len",
}  # fmt: skip
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


def load_form(path: Path, lang: Lang = "id") -> FormSpec:
    where = str(path)

    def said(kind: str, **values: object) -> str:
        return f"- {text(f'form_file.{kind}', lang, **values)}"

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(where, [said("no_file")], lang) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(where, [said("toml", error=exc)], lang) from None
    problems: list[str] = []
    entries = raw.get("field")
    if set(raw) - {"field"} or not isinstance(entries, list) or not entries:
        raise ConfigError(where, [said("fields_only")], lang)
    fields = []
    for n, entry in enumerate(entries, start=1):
        spec = _field(n, entry, problems, said)
        if spec is not None:
            fields.append(spec)
    names = [f.name for f in fields]
    problems += [
        said("twice", name=repr(n)) for n in sorted({x for x in names if names.count(x) > 1})
    ]
    consent = [f for f in fields if f.kind == "consent"]
    if not consent or consent[0].name != "persetujuan":
        problems.append(said("consent"))
    if problems:
        raise ConfigError(where, problems, lang)
    return FormSpec(tuple(fields))


def _field(n: int, entry: Any, problems: list[str], said: Callable[..., str]) -> FieldSpec | None:
    where = f"[[field]] #{n}"
    if not isinstance(entry, dict):
        problems.append(said("not_table", where=where))
        return None
    unknown = sorted(set(entry) - KEYS)
    problems += [said("key", where=where, key=k, allowed=", ".join(sorted(KEYS))) for k in unknown]
    name, kind = entry.get("name"), entry.get("kind", "text")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        problems.append(said("name", where=where))
        return None
    where = f"[[field]] {name!r}"
    if kind not in KINDS:
        problems.append(said("kind", where=where, value=repr(kind), allowed=", ".join(KINDS)))
    prompts = {lang: entry.get(f"prompt_{lang}") for lang in ("id", "en")}
    for lang, prompt in prompts.items():
        if not isinstance(prompt, str) or not prompt.strip():
            problems.append(said("prompt", where=where, key=f"prompt_{lang}"))
    lists = {k: entry.get(k, []) for k in ("aliases", "choices")}
    for key, value in lists.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(said("words", where=where, key=key))
            lists[key] = []
    if kind == "choice" and not lists["choices"]:
        problems.append(said("choices", where=where))
    flags = {k: entry.get(k, d) for k, d in (("required", False), ("personal", False),
                                              ("first_message", True))}  # fmt: skip
    for key, value in flags.items():
        if not isinstance(value, bool):
            problems.append(said("flag", where=where, key=key))
    max_len = entry.get("max_len", 120)
    if not isinstance(max_len, int) or isinstance(max_len, bool) or not 1 <= max_len <= 4000:
        problems.append(said("max_len", where=where))
        max_len = 120
    return FieldSpec(
        name,
        kind if kind in KINDS else "text",
        bool(flags["required"]) or kind == "consent",
        bool(flags["personal"]),
        {lang: str(p or "") for lang, p in prompts.items()},
        choices=tuple(c.casefold() for c in lists["choices"]),
        aliases=tuple(a.casefold() for a in lists["aliases"]),
        first_message=bool(flags["first_message"]),
        max_len=max_len,
    )
