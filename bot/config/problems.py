"""What is wrong with a config.toml, said to the person who installs the service: which key,
the value found (never a secret), what is allowed and how to fix it, in the office's language
(Bahasa Indonesia unless the file says `language = "en"`). The texts are the catalogue's
`config.*` keys; the settings' own checks raise `wrong(kind, …)` so their texts are there too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic_core import PydanticCustomError

from triage.texts.catalog import Lang, text

OURS = "puspaga_"  # the prefix of the error types the settings' own checks raise
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
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return text("config.unknown_key", lang, key=key)
    if kind == "missing":
        env = secrets.get(loc[:2])  # type: ignore[arg-type]
        hint = text("config.or_env", lang, env=env) if env else ""
        return text("config.missing", lang, key=key, name=name, hint=hint)
    got = error.get("input")
    secret = loc[:2] in secrets
    hidden = secret or isinstance(got, dict | list)
    shown = "" if hidden else text("config.found", lang, value=repr(got))
    context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    if kind.startswith(OURS):
        what = text(f"config.{kind.removeprefix(OURS)}", lang, **context)
    elif kind in TYPES:
        fallback = {"float_type": "1.5", "float_parsing": "1.5", "bool_type": "true"}
        ids = {"admin_chat_id": "-1001234567890", "counselor_chat_id": "-1001234567890"}
        shown_example = (
            example(loc)
            or ids.get(name)
            or ("123456789" if name in ("telegram_id", "staff") else None)
            or fallback.get(kind, "true" if "bool" in kind else "30")
        )
        what = text(
            f"config.type.{kind}", lang, name=name, example=shown_example, **_allowed(context)
        )
    else:  # a check of pydantic's the catalogue does not word: its own text
        what = str(error["msg"]).removeprefix("Value error, ")
    fix = text("config.fix_word", lang)
    if shown and f". {fix}" in what:  # the value found before the fix, not after it
        what = what.replace(f". {fix}", f"{shown}. {fix}", 1)
        shown = ""
    return text("config.problem", lang, key=key, what=what, found=shown)


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


def _allowed(context: Mapping[str, str]) -> dict[str, str]:
    """pydantic's context as the texts name it: the choices of a Literal, the bounds."""
    out = {"expected": context.get("expected", "").replace("'", '"')}
    for bound in ("gt", "ge", "lt", "le"):
        out[bound] = context.get(bound, "")
    return out
