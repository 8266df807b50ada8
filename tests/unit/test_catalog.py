from triage.domain.model import STEP_NAMES, Channel, Outcome, State
from triage.texts.catalog import TEXTS, text


def test_every_text_has_indonesian_and_english():
    missing = [k for k, v in TEXTS.items() if not v.get("id") or not v.get("en")]
    assert missing == []


def test_every_state_outcome_channel_and_step_has_a_label():
    keys = (
        [f"state.{s.value}" for s in State]
        + [f"outcome.{o.value}" for o in Outcome]
        + [f"channel.{c.value}" for c in Channel]
        + [f"step.{s}" for s in STEP_NAMES]
    )
    assert [k for k in keys if k not in TEXTS] == []


def test_placeholders_are_filled_and_indonesian_is_the_default():
    assert text("state.new") == "Baru"
    assert text("reply.signature", "en", office="PUSPAGA Gianyar") == "— PUSPAGA Gianyar"
