import string
from pathlib import Path

from triage.domain.model import STEP_NAMES, Channel, Outcome, State
from triage.texts.catalog import text, texts


def test_every_text_has_indonesian_and_english():
    missing = [k for k, v in texts().items() if not v.get("id") or not v.get("en")]
    assert missing == []


def test_every_state_outcome_channel_and_step_has_a_label():
    keys = (
        [f"state.{s.value}" for s in State]
        + [f"outcome.{o.value}" for o in Outcome]
        + [f"channel.{c.value}" for c in Channel]
        + [f"step.{s}" for s in STEP_NAMES]
    )
    assert [k for k in keys if k not in texts()] == []


def test_placeholders_are_filled_and_indonesian_is_the_default():
    assert text("state.new") == "Baru"
    assert text("reply.signature", "en", office="PUSPAGA Gianyar") == "— PUSPAGA Gianyar"


def test_both_languages_fill_the_same_placeholders():
    """A translator who drops or renames a {placeholder} would break the text at run time."""
    names = string.Formatter()
    differ = {
        key: (fields(names, entry["id"]), fields(names, entry["en"]))
        for key, entry in texts().items()
        if fields(names, entry["id"]) != fields(names, entry["en"])
    }
    assert differ == {}


def fields(formatter: string.Formatter, template: str) -> set[str]:
    return {name for _, name, _, _ in formatter.parse(template) if name}


def test_the_translation_files_hold_each_key_once():
    for lang in ("id", "en"):
        po = (Path(__file__).parents[2] / "triage/texts/locale" / f"{lang}.po").read_text()
        keys = [
            line for line in po.splitlines() if line.startswith('msgid "') and line != 'msgid ""'
        ]
        assert len(keys) == len(set(keys)) == len(texts()), lang
