"""README.md and the operator guide name only what exists: every `puspaga` command, every
`[section] key` of config.toml (in backticks, or any key with an underscore), every staff
command the guide shows in backticks, and every file of the repository they mention (in
backticks, or a path under one of its folders, code blocks included). An office follows them
literally; a renamed key or command must fail here, not at the office."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.main import app
from bot.config.settings import Settings
from bot.telegram.commands.registered import REGISTRY
from bot.telegram.enrol import GROUP_COMMAND, PERSON_COMMAND
from triage.domain.consent import STOP_WORDS
from triage.domain.rules.toml_rules import SECTIONS as RULE_SECTIONS

ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", ROOT / "docs" / "panduan-operator.md"]
TOP = {p.name for p in ROOT.iterdir()}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_puspaga_command_named_exists(doc):
    commands = {
        c.name or c.callback.__name__.replace("_", "-")  # type: ignore[union-attr]
        for c in app.registered_commands
    }
    # not "sudo -u puspaga bash", "createdb -O puspaga puspaga", "install -g puspaga config…"
    # (the user, its group, the database)
    named = set(re.findall(r"(?<!-u )(?<!-O )(?<!-g )\bpuspaga ([a-z][a-z-]*)", _read(doc)))
    assert named, "the doc names no command: the pattern is wrong"
    assert named - commands == set()


def _sections() -> dict[str, set[str] | None]:
    """Each section of config.toml with its keys (None: a table of free keys or a list)."""
    found: dict[str, set[str] | None] = {}
    for name, field in Settings.model_fields.items():
        kinds = [field.annotation, *getattr(field.annotation, "__args__", ())]
        model = next((k for k in kinds if isinstance(k, type) and hasattr(k, "model_fields")), None)
        found[name] = set(model.model_fields) if model is not None else None
        for inner in getattr(field.annotation, "__args__", ()):  # list[StaffConfig]
            if isinstance(inner, type) and hasattr(inner, "model_fields"):
                found[name] = set(inner.model_fields)
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_config_key_named_exists(doc):
    sections = _sections()
    said = _read(doc)
    pairs = re.findall(r"`\[\[?([a-z_]+)\]\]? ([a-z_]+)`", said)  # `[telegram] admin_chat_id`
    pairs += re.findall(r"\[\[?([a-z_]+)\]\]? ([a-z]+_[a-z_]+)", said)  # [limits] flood_per_minute
    alone = re.findall(r"`\[\[?([a-z_]+)\]\]?`", said)  # `[email]`
    assert pairs, "the doc names no key: the pattern is wrong"
    others = set(RULE_SECTIONS) | {"field"}  # an office's rules file, its identity form file
    named = {s for s, _ in pairs} | set(alone)
    assert sorted(named - others - sections.keys()) == []
    wrong = {
        f"[{s}] {k}" for s, k in pairs if s in sections and (keys := sections[s]) is not None
        and k not in keys
    }  # fmt: skip
    assert sorted(wrong) == []


def test_every_telegram_command_in_the_guide_exists():
    said = _read(DOCS[1])
    named = set(re.findall(r"`/([a-z_]+)\b(?!/)", said))  # `/jadwal …`, not `/etc/…`
    named -= {"etc", "var", "opt", "usr", "home", "tmp"}
    assert named, "the guide names no Telegram command: the pattern is wrong"
    botfather = {"newbot", "mybots"}  # @BotFather's own, to make the bot
    clients = {w.removeprefix("/") for w in STOP_WORDS if w.startswith("/")}  # a client's own
    assert named - REGISTRY.names() - botfather - clients == set()
    assert {GROUP_COMMAND, PERSON_COMMAND} <= REGISTRY.names()  # answered once the service runs


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_repository_file_named_exists(doc):
    ending = r"\.(?:md|py|toml|service|timer|ini|cfg|txt)"
    said = _read(doc)
    paths = set(re.findall(r"`([A-Za-z_.][\w./-]*" + ending + ")`", said))
    folders = "|".join(sorted(p for p in TOP if (ROOT / p).is_dir() and not p.startswith(".")))
    paths |= set(re.findall(rf"(?<![\w/.-])((?:{folders})/[\w./-]*{ending})\b", said))  # code too
    ours = {p for p in paths if p.split("/")[0] in TOP}  # not config.toml (the office's own)
    assert ours, "the doc names no file: the pattern is wrong"
    assert sorted(p for p in ours if not (ROOT / p).exists()) == []
