"""Risk levels in the relay: possible danger is looked at soon without a crisis reply; the level
is read over the conversation and only rises; the bot's own text and answers to the identity
form are not read; the category follows what the client writes."""

from dataclasses import replace
from datetime import UTC, time, timedelta

from tests.builders import T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain import notices
from triage.domain.model import CONSENT_MARK, State
from triage.domain.notices import Kind
from triage.domain.outbox import Target
from triage.domain.rules.classify import BIASA, MENDESAK, PERLU_DICEK, Decision
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets, deadlines, waiting_for
from triage.effects.assess import RelaySetup
from triage.usecases import board
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages

CRISIS = "Kami mendengar Anda. SAPA 129, 112."
SEEN: list[str] = []


def decide(body: str) -> Decision:
    """A stand-in for the rules: "pukul" is danger now, "beban" possible danger, "makan" a
    toddler's topic; "capek" and "pergi" are possible danger only read together."""
    SEEN.append(body)
    if "pukul" in body:
        return Decision(True, "kekerasan", ("urgent.violence: pukul",), {}, MENDESAK)
    if "beban" in body or ("capek" in body and "pergi" in body):
        return Decision(False, "lainnya", ("concept.farewell_burden: beban",), {}, PERLU_DICEK)
    if "makan" in body:
        return Decision(False, "balita", ("category.balita: 2",), {}, BIASA)
    return Decision(False, "lainnya", (), {}, BIASA)


TRIAGE = RelaySetup(decide, CRISIS, alert_to=(2001,))


def write(uows, n, body, at=T0):
    conv = ingest(inbound(n, text=body, at=at), uow_factory=uows, now=at).conversation_id
    relay_new_messages(uow_factory=uows, now=at, triage=TRIAGE)
    return uows.db.conversations[conv]


def hotline_replies(uows):
    return [o.text for o in uows.db.outbox.values() if o.target is Target.HOTLINE]


def alerts(uows):
    return [o for o in uows.db.outbox.values() if o.options.get("kind") == Kind.ALERT]


def test_possible_danger_alerts_staff_without_a_crisis_reply_and_tops_the_queue():
    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "aku cuma jadi beban")
    assert conv.risk == PERLU_DICEK and not conv.urgent
    assert CRISIS not in hotline_replies(uows)
    told = alerts(uows)
    assert {o.recipient for o in told} == {"staff:2001", notices.group(conv.id)}
    assert all(o.options["level"] == PERLU_DICEK for o in told)
    assert all("beban" not in o.text for o in told)  # where to look, not what was said
    card = next(o for o in uows.db.outbox.values() if o.options.get("kind") == Kind.CARD)
    assert card.priority == notices.REVIEW_PRIORITY and card.options["review"] == "1"
    steps = [s.step for s in uows.db.steps if s.conversation_id == conv.id]
    assert "marked_review" in steps
    write(uows, 2, "beban lagi")  # the same level again: no second alert
    assert len(alerts(uows)) == 2


def test_the_level_only_rises_and_danger_later_gets_the_crisis_reply():
    uows = FakeUnitOfWorkFactory()
    write(uows, 1, "aku cuma jadi beban")
    conv = write(uows, 2, "dia pukul aku")
    assert conv.risk == MENDESAK and conv.urgent and conv.category == "kekerasan"
    assert hotline_replies(uows).count(CRISIS) == 1
    conv = write(uows, 3, "sudah lebih tenang sekarang")
    assert conv.risk == MENDESAK  # only staff lower it


def test_danger_told_over_two_messages_is_read_together():
    uows = FakeUnitOfWorkFactory()
    assert write(uows, 1, "aku capek banget").risk == BIASA
    conv = write(uows, 2, "pengen pergi aja")
    assert conv.risk == PERLU_DICEK
    assert any("capek" in seen and "pergi" in seen for seen in SEEN)


def test_after_staff_set_the_level_triage_reads_on_from_then():
    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "aku cuma jadi beban")
    lowered = replace(conv, risk=BIASA, risk_set_at=T0 + timedelta(minutes=1))
    uows.db.conversations[conv.id] = lowered
    later = T0 + timedelta(minutes=2)
    conv = write(uows, 2, "terima kasih kak", at=later)
    assert conv.risk == BIASA  # the old message is not read again


def test_the_consent_marker_is_never_read():
    uows = FakeUnitOfWorkFactory()
    SEEN.clear()
    marker = replace(inbound(1, text="Ya, saya setuju"), external_id=f"{CONSENT_MARK}1:9")
    ingest(marker, uow_factory=uows, now=T0)
    relay_new_messages(uow_factory=uows, now=T0, triage=TRIAGE)
    assert "Ya, saya setuju" not in "\n".join(SEEN)
    [message] = uows.db.messages.values()
    assert message.risk is None


def test_the_category_follows_the_conversation_until_staff_set_it():
    uows = FakeUnitOfWorkFactory()
    assert write(uows, 1, "halo kak").category == "lainnya"
    conv = write(uows, 2, "anak saya susah makan")
    assert conv.category == "balita"
    uows.db.conversations[conv.id] = replace(conv, category="remaja", category_by_staff=True)
    assert write(uows, 3, "susah makan terus").category == "remaja"


def test_possible_danger_is_looked_at_within_two_minutes():
    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "aku cuma jadi beban")
    wait = waiting_for(conv)
    assert wait is not None and wait.step == "first_look"
    every_hour = ((time(0), time(23, 59)),)
    calendar = ServiceCalendar(UTC, {d: every_hour for d in range(7)}, frozenset())
    [remind, _] = deadlines(conv, Targets(), calendar)
    assert remind.step == "first_look" and remind.due_at - wait.since == timedelta(minutes=2)
    calm = replace(conv, risk=BIASA)
    assert waiting_for(calm).step == "first_admin_response"


def test_the_board_lists_possible_danger_after_the_urgent():
    lines = [
        board.Line(1, "first_admin_response", 9, True, False),
        board.Line(2, "first_look", 1, False, False, True),
        board.Line(3, "first_admin_response", 1, False, True),
    ]
    ordered = sorted(lines, key=lambda b: (not b.urgent, not b.review, -b.minutes, b.conv))
    assert [b.conv for b in ordered] == [3, 2, 1]
    raw = board.dump(ordered)
    assert [b.review for b in board.load(raw)[0]] == [False, True, False]


def test_staff_set_the_level_and_the_category_in_one_step_recorded_and_audited():
    from tests.builders import ADMIN
    from triage.usecases.assessment import set_assessment

    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "aku cuma jadi beban")
    at = T0 + timedelta(minutes=3)
    changed = set_assessment(
        conv.id, actor=ADMIN, uow_factory=uows, now=at, risk=BIASA, category="remaja"
    )
    assert (changed.risk, changed.urgent, changed.risk_set_at) == (BIASA, False, at)
    assert changed.category == "remaja" and changed.category_by_staff
    steps = [(s.step, s.staff_id, s.detail) for s in uows.db.steps if s.step.endswith("_set")]
    assert steps == [
        ("risk_set", ADMIN.staff_id, "perlu_dicek->biasa"),
        ("category_set", ADMIN.staff_id, "lainnya->remaja"),
    ]
    assert [e.action for e in uows.db.audit] == ["risk_set", "category_set"]
    assert all("beban" not in (e.detail or "") for e in uows.db.audit)
    urgent = set_assessment(conv.id, actor=ADMIN, uow_factory=uows, now=at, risk=MENDESAK)
    assert urgent.urgent
    import pytest

    with pytest.raises(ValueError):
        set_assessment(conv.id, actor=ADMIN, uow_factory=uows, now=at, risk="sedang")


def test_a_case_marked_urgent_by_hand_stays_urgent_when_the_client_writes_again():
    from tests.builders import ADMIN
    from triage.usecases import casework

    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "halo kak")
    casework.mark_urgent(conv.id, actor=ADMIN, uow_factory=uows, now=T0)
    conv = write(uows, 2, "terima kasih")
    assert conv.urgent and conv.risk == MENDESAK


def test_danger_that_rises_again_after_staff_lowered_it_alerts_again():
    from tests.builders import ADMIN
    from triage.usecases.assessment import set_assessment

    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "dia pukul aku")
    assert len(alerts(uows)) == 1 and hotline_replies(uows).count(CRISIS) == 1
    set_assessment(
        conv.id, actor=ADMIN, uow_factory=uows, now=T0 + timedelta(minutes=1), risk=BIASA
    )
    write(uows, 2, "dia pukul aku lagi sekarang", at=T0 + timedelta(minutes=2))
    assert len(alerts(uows)) == 2 and hotline_replies(uows).count(CRISIS) == 2


def test_counseling_content_raises_the_level_but_the_admins_see_no_words():
    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "halo kak")
    uows.db.conversations[conv.id] = replace(conv, state=State.WITH_COUNSELOR, counselor_id=2001)
    at = T0 + timedelta(minutes=1)
    ingest(inbound(2, text="aku cuma jadi beban", at=at), uow_factory=uows, now=at)
    for mid, m in list(uows.db.messages.items()):
        if m.text == "aku cuma jadi beban":
            uows.db.messages[mid] = replace(m, confidential=True, counselor_id=2001)
    relay_new_messages(uow_factory=uows, now=at, triage=TRIAGE)
    assert uows.db.conversations[conv.id].risk == PERLU_DICEK
    to_group = [o for o in alerts(uows) if o.recipient == notices.group(conv.id)]
    assert to_group and all(o.options["rules"] == "" for o in to_group)
    to_staff = [o for o in alerts(uows) if o.recipient == "staff:2001"]
    assert to_staff and "beban" in to_staff[0].options["rules"]


def test_a_story_told_while_the_form_waits_is_read_and_plain_answers_are_not():
    from tests.unit.test_form_dialogue import SETUP
    from triage.domain.model import Channel

    with_form = RelaySetup(decide, CRISIS, (2001,), None, SETUP)
    uows = FakeUnitOfWorkFactory()
    for n, body in enumerate(["halo kak", "aku cuma jadi beban buat keluarga"], start=1):
        at = T0 + timedelta(seconds=n)
        message = inbound(n, channel=Channel.INSTAGRAM, text=body, at=at)
        ingest(message, uow_factory=uows, now=at)
        relay_new_messages(uow_factory=uows, now=at, triage=with_form)
    [conv] = uows.db.conversations.values()
    assert conv.risk == PERLU_DICEK  # read although the consent question was open


def test_a_reopened_round_is_read_afresh_and_danger_in_it_gets_the_crisis_reply():
    from tests.builders import ADMIN
    from triage.domain.model import Outcome
    from triage.usecases import casework

    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "dia pukul aku")
    casework.close(conv.id, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0)
    [ask] = [o for o in uows.db.outbox.values() if o.options.get("event") == "confirm_triage"]
    assert ask.options["round"] == "1" and ask.options["risk"] == MENDESAK
    later = T0 + timedelta(hours=1)  # within the reopen window: the case reopens, round 2
    conv = write(uows, 2, "halo kak, mau tanya jam buka", at=later)
    assert conv.round == 2 and conv.risk == BIASA and not conv.urgent  # not round 1's danger
    conv = write(uows, 3, "dia pukul aku lagi", at=later + timedelta(minutes=1))
    assert conv.urgent and hotline_replies(uows).count(CRISIS) == 2


def test_the_first_reading_is_triages_not_the_button():
    from tests.builders import ADMIN
    from triage.domain.triage_checks import check_of
    from triage.usecases import casework

    uows = FakeUnitOfWorkFactory()
    conv = write(uows, 1, "halo kak")
    casework.mark_urgent(conv.id, actor=ADMIN, uow_factory=uows, now=T0)
    conv = uows.db.conversations[conv.id]
    steps = [s for s in uows.db.steps if s.conversation_id == conv.id]
    check = check_of(conv, steps)
    assert (check.auto_risk, check.risk) == (BIASA, MENDESAK)
