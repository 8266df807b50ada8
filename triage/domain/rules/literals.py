"""Words a regular expression cannot match without, so a rule is searched only when one of them
is in the text (a substring test costs a fraction of a search with many alternatives).

`needles(pattern)` is a set of strings such that every match of the pattern contains one of
them, or None when no such set is found (the rule is then always searched). It reads the
pattern with the standard library's own parser; if that parser changes, rules are searched as
before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:  # Python 3.11+: the parser behind re
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older or other Pythons: no shortcut
    _sre = None

_CASELESS = re.compile(r"\(\?[a-zA-Z]*i")  # (?i), (?mi:…), (?ai:…)
_MIN = 2  # a one-letter needle would reject nothing


def needles(pattern: str) -> frozenset[str] | None:
    if _sre is None:
        return None
    try:
        parsed = _sre.parse(pattern)
        if parsed.state.flags & re.IGNORECASE or _CASELESS.search(pattern):
            return None  # letters of either case match: a needle as written may not occur
        found = _sequence(list(parsed))
    except Exception:  # noqa: BLE001 - any surprise: search as before
        return None
    if not found or min(len(n) for n in found) < _MIN:
        return None
    return frozenset(found)


def requirements(pattern: str) -> list[frozenset[str]]:
    """Every set of words a match must hold one of (a literal run, a group's, a branch's): the
    needles above are the best of them; a phrase whose needle is found is searched only when
    it holds a word of each of the others too. Empty when none is found."""
    if _sre is None:
        return []
    try:
        parsed = _sre.parse(pattern)
        if parsed.state.flags & re.IGNORECASE or _CASELESS.search(pattern):
            return []
        found = _every(list(parsed))
    except Exception:  # noqa: BLE001 - any surprise: no requirement
        return []
    return list(dict.fromkeys(frozenset(s) for s in found if min(map(len, s)) >= _MIN))


def _every(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """All the requirements of a sequence: each mandatory part's, a group's all of them."""
    return _parts(items, _every)


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The best requirement of a sequence: its longest literal run, or the requirement of one
    of its mandatory parts, whichever has the longest shortest needle."""
    candidates = _parts(items, _best)
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(len(n) for n in s), -len(s)))


def _best(items: list[tuple[Any, Any]]) -> list[set[str]]:
    best = _sequence(items)
    return [best] if best else []


def _parts(
    items: list[tuple[Any, Any]], inner: Callable[[list[tuple[Any, Any]]], list[set[str]]]
) -> list[set[str]]:
    """The requirements of a sequence's mandatory parts, in order: each literal run, each
    branch's (one of its alternatives' best), and what `inner` takes of a group or of a part
    repeated at least once (`_every` all of them, `_best` the best)."""
    found: list[set[str]] = []
    run = ""
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run += chr(av)
            continue
        if run:
            found.append({run})
            run = ""
        if name == "SUBPATTERN":
            found += inner(list(av[-1]))
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in av[1]:
                alternative = _sequence(list(branch))
                if not alternative:
                    union = set()
                    break
                union |= alternative
            if union:
                found.append(union)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            found += inner(list(av[2]))
    if run:
        found.append({run})
    return found


def plain_start(phrase: str) -> bool:
    """Whether every match of `phrase` is non-empty and begins with a character re can skip to
    (a literal, a class, or alternatives each beginning with a literal): re's search then looks
    only where a match can begin, if nothing else (a \\b) stands before it."""
    if _sre is None:
        return False
    try:
        parsed = _sre.parse(phrase)
        return parsed.getwidth()[0] > 0 and _plain_first(list(parsed))
    except Exception:  # noqa: BLE001 - any surprise: searched as before
        return False


def _plain_first(items: list[tuple[Any, Any]]) -> bool:
    if not items:
        return False
    op, av = items[0]
    name = str(op)
    if name == "SUBPATTERN":
        return _plain_first(list(av[-1]))
    if name == "BRANCH":
        return all(branch and str(branch[0][0]) == "LITERAL" for branch in av[1])
    return name in ("LITERAL", "IN")
