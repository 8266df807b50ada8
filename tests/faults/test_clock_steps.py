"""The wall clock stepped back (issue 17, item 9): NTP correcting a wrong time zone moves the
clock back hours at once. What was planned by the old clock (a retry, a lease, a reminder)
must not wait the size of the step: it is moved back, on the fakes, SQLite and PostgreSQL
alike, and by the running service as soon as it sees the step."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from tests.builders import T0, inbound
from tests.support.office import ADMIN, CLIENT, move_clock
from tests.support.telegram_office import running_office
from triage.domain.model import Actor, Role
from triage.domain.outbox import OutboxItem, OutboxStatus, Target
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client
from triage.usecases.timers import TimerSetup, plan, replan, replan_after_restart

HOUR = timedelta(hours=1)
ALWAYS = ServiceCalendar(ZoneInfo("Asia/Makassar"), {d: ((time(0), time.max),) for d in range(7)})


def _item(key: str, due, **kw) -> OutboxItem:
    return OutboxItem(None, key, Target.TELEGRAM, f"staff:{key}", "x", T0, due, **kw)


def test_what_waits_moves_back_by_the_step_and_nothing_earlier_than_now(any_uows):
    uows = any_uows
    conv = ingest(inbound(1, at=T0), uow_factory=uows, now=T0).conversation_id
    setup = TimerSetup(Targets(), ALWAYS, counselors=(2001,))
    assert plan(uow_factory=uows, setup=setup) > 0
    with uows() as uow:
        soon = uow.outbox.add(_item("soon", T0 + timedelta(seconds=5)))
        due = uow.outbox.add(_item("due", T0 - timedelta(seconds=1)))
        uow.commit()
    with uows() as uow:  # one item taken by a dispatcher: its lease ends in two minutes
        (taken,) = uow.outbox.claim_due(T0, 1, T0 + timedelta(minutes=2))
        uow.commit()
    assert taken.id == due.id
    with uows() as uow:
        before = {(d.step, d.level): d.due_at for _, d in uow.deadlines.for_conversation(conv)}

    now = T0 - HOUR  # the clock stepped back an hour
    done = replan(HOUR, uow_factory=uows, now=now)
    assert (done.outbox, done.deadlines) == (2, len(before))
    with uows() as uow:
        moved = uow.outbox.get(soon.id)
        leased = uow.outbox.get(due.id)
        after = {(d.step, d.level): d.due_at for _, d in uow.deadlines.for_conversation(conv)}
        assert moved.next_attempt_at == now + timedelta(seconds=5)
        assert leased.status is OutboxStatus.SENDING
        assert leased.lease_until == now + timedelta(minutes=2)
        # five seconds away stays five seconds away: not due yet, due then
        assert uow.outbox.claim_due(now, 10, now + HOUR) == []
        assert [i.id for i in uow.outbox.claim_due(now + timedelta(seconds=5), 10, now + HOUR)] == [
            soon.id
        ]
    assert after == {k: max(now, at - HOUR) for k, at in before.items()}


def test_after_a_restart_a_row_written_in_the_future_gives_the_step(any_uows):
    uows = any_uows
    with uows() as uow:
        item = uow.outbox.add(_item("later", T0 + timedelta(seconds=30)))
        uow.commit()
    assert replan_after_restart(uow_factory=uows, now=T0 + timedelta(seconds=1)) is None
    now = T0 - 8 * HOUR  # the zone was wrong by eight hours, corrected while we were down
    done = replan_after_restart(uow_factory=uows, now=now)
    assert done is not None and done.step == 8 * HOUR and done.outbox == 1
    with uows() as uow:
        assert uow.outbox.get(item.id).next_attempt_at == now + timedelta(seconds=30)


def test_the_running_service_sends_at_once_after_the_clock_steps_back(tmp_path):
    """Telegram answers 502 for a while: the admin's reply waits for its retry (0.3 s away). The
    clock is stepped back an hour and Telegram comes back: the reply reaches the client within
    seconds, not an hour later."""
    with running_office(tmp_path) as office:
        api, app, state = office.api, office.app, office.state
        state.user_writes(CLIENT, text="Halo, saya butuh bantuan.")
        office.topic_of(1)
        api.fail_with(502)
        try:
            admin = Actor(ADMIN, Role.ADMIN, "Wayan")
            reply_to_client(1, "Baik, kami bantu.", actor=admin, idempotency_key="step-1",
                            uow_factory=app.uows, now=app.clock())  # fmt: skip
            app.wake.set()
            failed = state.failed_calls
            office.wait(lambda: state.failed_calls >= failed + 3, "tries during the outage")
            move_clock(app, app.clock() - HOUR)
        finally:
            api.fail_with(None)
        office.wait(lambda: "Baik, kami bantu." in office.texts(CLIENT), "the reply", timeout=10)


def test_a_restart_soon_after_a_replan_does_not_shift_the_same_step_again(any_uows):
    """A second reading found the restart check moving everything a second time (a deploy a
    minute after the step): the reminders then fired at once."""
    uows = any_uows
    with uows() as uow:
        item = uow.outbox.add(_item("later", T0 + timedelta(seconds=30)))
        uow.commit()
    now = T0 - HOUR
    replan(HOUR, uow_factory=uows, now=now)  # seen while running
    assert replan_after_restart(uow_factory=uows, now=now + timedelta(minutes=1)) is None
    with uows() as uow:
        assert uow.outbox.get(item.id).next_attempt_at == now + timedelta(seconds=30)
