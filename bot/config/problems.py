"""What is wrong with a config.toml, said to the person who installs the service: which key,
the value found (never a secret), what is allowed and how to fix it, in the office's language
(Bahasa Indonesia unless the file says `language = "en"`). The texts are the catalogue's
`config.*` keys; the settings' own checks raise `wrong(kind, …)` so their texts are there too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic_core import PydanticCustomError

from triage.texts.catalog import Lang, text

OURS = "puspaga_"  # the prefix of the error types the settings' own checks raise
TABLES = frozenset({"staff", "roster"})  # written [[staff]], one table each
# pydantic's error types the catalogue words (config.type.<type>); others show pydantic's text
TYPES = frozenset(
    {
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "string_type",
        "list_type",
        "dict_type",
        "model_type",
        "literal_error",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "date_type",
        "date_from_datetime_parsing",
        "date_parsing",
        "is_instance_of",
        "path_type",
        "date_from_datetime_inexact",
    }
)


def wrong(kind: str, **context: Any) -> PydanticCustomError:
    """A value the office must change; `config.<kind>` in the catalogue says what is wrong and
    what is allowed (the English text stands in pydantic's own message)."""
    shown = {k: str(v) for k, v in context.items()}
    return PydanticCustomError(OURS + kind, text(f"config.{kind}", "en", **shown), shown)


def language_of(raw: Mapping[str, Any]) -> Lang:
    """The office's language as the file names it, read before the file is known to be right."""
    return "en" if raw.get("language") == "en" else "id"


def header(source: str, lang: Lang) -> str:
    return text("config.header", lang, source=source)


def explain(
    error: Mapping[str, Any],
    lang: Lang,
    *,
    sections: frozenset[str],
    secrets: Mapping[tuple[str, str], str],
    example: Callable[[tuple[str, ...]], str | None] = lambda loc: None,
) -> str:
    """One line for one of pydantic's errors; `example` gives a key's default as TOML writes
    it, shown in the fix ("misalnya imap_port = 993")."""
    loc = tuple(str(p) for p in error["loc"])
    key = where(loc, sections)
    kind = str(error["type"])
    words = [p for p in loc if not p.isdigit()]
    name = words[-1] if words else ""
    if kind == "extra_forbidden":
        return text("config.unknown_key", lang, key=key)
    if kind == "missing":
        if len(loc) == 1 and loc[0] in sections:  # a whole section: [office]
            return text("config.missing_section", lang, name=name)
        env = secrets.get(loc[:2])  # type: ignore[arg-type]
        hint = text("config.or_env", lang, env=env) if env else ""
        return text("config.missing", lang, key=key, name=name, hint=hint)
    got = error.get("input")
    holds_secret = loc[:2] in secrets or (len(loc) == 1 and loc[0] in {s for s, _ in secrets})
    context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    # a check of ours names the value itself; a section or a list is not shown whole
    hidden = holds_secret or isinstance(got, dict | list) or "value" in context
    shown = "" if hidden else text("config.found", lang, value=toml_value(got))
    if kind.startswith(OURS):
        what = text(f"config.{kind.removeprefix(OURS)}", lang, **context)
    elif kind in TYPES:
        what = _typed(kind, loc, name, got, lang, context, example)
    else:  # a check of pydantic's the catalogue does not word: its own text
        what = str(error["msg"]).removeprefix("Value error, ")
    fix = text("config.fix_word", lang)
    if shown and f". {fix}" in what:  # the value found before the fix, not after it
        what = what.replace(f". {fix}", f"{shown}. {fix}", 1)
        shown = ""
    if not loc:  # a check of the whole file: its text names the keys itself
        return f"- {what}{shown}"
    return text("config.problem", lang, key=key, what=what, found=shown)


def _typed(
    kind: str,
    loc: tuple[str, ...],
    name: str,
    got: object,
    lang: Lang,
    context: Mapping[str, str],
    example: Callable[[tuple[str, ...]], str | None],
) -> str:
    """A value of the wrong type or out of bounds, with the fix."""
    path = [p for p in loc if not p.isdigit()]
    if kind in ("model_type", "dict_type", "list_type") and path and path[0] in TABLES:
        return text("config.type.tables", lang, name=path[0])
    if kind in ("model_type", "dict_type"):
        return text("config.type.dict_type", lang, section=".".join(path) or name)
    ids = {"admin_chat_id": "-1001234567890", "counselor_chat_id": "-1001234567890"}
    shown_example = (
        example(loc)
        or ids.get(name)
        or (_unquoted(got) if isinstance(got, str) else None)
        or ("true" if "bool" in kind else "1.5" if "float" in kind else "30")
    )
    if kind in ("int_type", "int_parsing", "float_type", "float_parsing", "bool_type"):
        if not isinstance(got, str):  # not quoted: another kind of value (993.0, true)
            kind = {"bool_type": "bool_plain", "float_type": "float_plain"}.get(kind, "int_plain")
    expected = context.get("expected", "")
    choices = ", ".join(re.findall(r"'([^']*)'", expected)) or expected
    bounds = {b: context.get(b, "") for b in ("gt", "ge", "lt", "le")}
    return text(
        f"config.type.{kind}", lang, name=name, example=shown_example, expected=choices, **bounds
    )


def toml_value(value: object) -> str:
    """A value as a config.toml writes it: text in quotes, true/false, 2026-12-31, 08:00."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[no-any-return, attr-defined]
    return str(value)


def _unquoted(value: str) -> str | None:
    """The number or yes/no the admin wrote in quotes, as it should be written."""
    if re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
        return value.strip()
    return {"true": "true", "false": "false"}.get(value.strip().lower())


def where(loc: tuple[str, ...], sections: frozenset[str]) -> str:
    """The key as the file writes it: "[telegram] token", "[[staff]] #2 role", "language"."""
    if not loc:
        return "(top level)"
    if loc[0] in ("staff", "roster") and len(loc) > 1 and loc[1].isdigit():
        head = f"[[{loc[0]}]] #{int(loc[1]) + 1}"
        return f"{head} {'.'.join(loc[2:])}".strip()
    if len(loc) == 1:
        return f"[{loc[0]}]" if loc[0] in sections else loc[0]
    return f"[{loc[0]}] {'.'.join(loc[1:])}"
