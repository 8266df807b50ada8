"""Sessions with clients (triage.usecases.appointments): scheduled once, the client told and
reminded on their channel (a client met offline through a task for staff), reminders fired
exactly once by the sweeper and dropped when the session is gone, attendance recorded, and a
case closes as Ulang only with its next session."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import ADMIN, COUNSELOR, COUNSELOR_2, HEAD, T0, inbound
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.appointments import ATTENDED, NO_SHOW, Wanted
from triage.domain.errors import AccessDenied, NeedsNextSession, NotFound
from triage.domain.model import Outcome, State
from triage.domain.notices import Kind
from triage.domain.outbox import Target
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets
from triage.usecases import appointments, casework
from triage.usecases.ingest import ingest
from triage.usecases.timers import TimerSetup, sweep

WITA = ZoneInfo("Asia/Makassar")
CAL = ServiceCalendar(WITA, {d: ((time(8), time(16)),) for d in range(5)}, frozenset())
SETUP = appointments.AppointmentSetup(CAL, lambda a, what: f"{what} {a.at:%d-%m %H.%M} {a.place}")
TIMERS = TimerSetup(Targets(), CAL, appointment_text=SETUP.client_text)
THURSDAY_10 = datetime(2026, 11, 26, 10, 0, tzinfo=WITA)  # T0 is Tuesday 09.00 WITA


def a_case(uows):
    return ingest(inbound(1, text="Halo"), uow_factory=uows, now=T0).conversation_id


def to_client(uows):
    return [o.text for o in uows.db.outbox.values() if o.target is Target.HOTLINE]


def scheduled(uows, conv, when=THURSDAY_10, actor=ADMIN, now=T0):
    return appointments.schedule(conv, Wanted(when, "Ruang 1"), actor=actor, setup=SETUP,
                                 uow_factory=uows, now=now)  # fmt: skip


def test_a_session_is_made_once_the_client_told_and_reminded_a_day_and_an_hour_before():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    made = scheduled(uows, conv)
    assert scheduled(uows, conv).id == made.id  # the same command again: the same session
    assert to_client(uows) == ["set 26-11 10.00 Ruang 1"]
    due = sorted(d.due_at for _, d in uows.db.deadlines.values() if d.step.startswith("appoint"))
    assert due == [THURSDAY_10 - timedelta(days=1), THURSDAY_10 - timedelta(hours=1)]
    day_before = THURSDAY_10 - timedelta(days=1)
    assert sweep(uow_factory=uows, now=day_before, setup=TIMERS).fired >= 1
    assert sweep(uow_factory=uows, now=day_before, setup=TIMERS).fired == 0  # exactly once
    assert to_client(uows)[-1] == "reminder 26-11 10.00 Ruang 1"
    topic = [o for o in uows.db.outbox.values() if o.options.get("event") == "appointment_day"]
    assert len(topic) == 1 and topic[0].recipient == f"group:{conv}"


def test_a_session_marked_or_gone_is_not_reminded():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    scheduled(uows, conv)
    after = THURSDAY_10 + timedelta(minutes=50)
    assert appointments.record_attendance(conv, False, actor=ADMIN, uow_factory=uows,
                                          now=after).status == NO_SHOW  # fmt: skip
    sweep(uow_factory=uows, now=THURSDAY_10, setup=TIMERS)
    assert to_client(uows) == ["set 26-11 10.00 Ruang 1"]  # no reminder for a marked session
    assert any(s.step == "appointment_tidak_hadir" for s in uows.db.steps)
    with pytest.raises(NotFound):  # nothing left to mark
        appointments.record_attendance(conv, True, actor=ADMIN, uow_factory=uows, now=after)


def test_the_counselor_of_the_case_schedules_and_is_reminded_another_counselor_may_not():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    casework.hand_off(conv, actor=ADMIN, counselors=[COUNSELOR.staff_id], uow_factory=uows, now=T0)
    casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=T0)
    with pytest.raises(AccessDenied):
        scheduled(uows, conv, actor=COUNSELOR_2)
    made = scheduled(uows, conv, actor=COUNSELOR)
    assert made.counselor_id == COUNSELOR.staff_id
    sweep(uow_factory=uows, now=THURSDAY_10 - timedelta(hours=1), setup=TIMERS)
    mine = [o for o in uows.db.outbox.values() if o.recipient == f"staff:{COUNSELOR.staff_id}"
            and o.options.get("event", "").startswith("appointment")]  # fmt: skip
    assert {o.options["event"] for o in mine} == {"appointment_set", "appointment_day",
                                                 "appointment_hour"}  # fmt: skip
    assert appointments.record_attendance(conv, True, actor=COUNSELOR, uow_factory=uows,
                                          now=THURSDAY_10).status == ATTENDED  # fmt: skip


def test_a_case_closes_as_ulang_only_with_its_next_session():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    with pytest.raises(NeedsNextSession):
        casework.close(conv, Outcome.ULANG, actor=ADMIN, uow_factory=uows, now=T0)
    assert uows.db.conversations[conv].state is not State.CLOSED  # nothing was done
    scheduled(uows, conv)
    closed = casework.close(conv, Outcome.ULANG, actor=ADMIN, uow_factory=uows, now=T0)
    assert closed.state is State.CLOSED
    # the closed case's client is still reminded of the session
    sweep(uow_factory=uows, now=THURSDAY_10 - timedelta(hours=1), setup=TIMERS)
    assert to_client(uows)[-1] == "reminder 26-11 10.00 Ruang 1"


def test_a_client_met_offline_is_reminded_through_a_task_for_staff():
    from datetime import date

    from triage.domain.intake import parse
    from triage.usecases.ingest import register

    uows = FakeUnitOfWorkFactory()
    intake = parse("telepon Ibu R\nminta jadwal konseling", date(2026, 11, 24))
    conv = register(intake, actor=ADMIN, key="t1", uow_factory=uows, now=T0).conversation_id
    scheduled(uows, conv)
    sweep(uow_factory=uows, now=THURSDAY_10 - timedelta(days=1), setup=TIMERS)
    assert all(o.target is Target.TELEGRAM for o in uows.db.outbox.values())
    [task] = [o for o in uows.db.outbox.values() if o.options.get("event") == "appointment_day"]
    assert task.recipient == f"group:{conv}" and task.options["kind"] == Kind.STATUS
    assert task.options["channel"] == "telepon"  # the shell words it as a task (render.py)


def test_the_week_shows_a_counselor_their_own_sessions_and_the_head_every_one():
    uows = FakeUnitOfWorkFactory()
    mine = a_case(uows)
    other = ingest(inbound(2, sender="b"), uow_factory=uows, now=T0).conversation_id
    casework.hand_off(mine, actor=ADMIN, counselors=[COUNSELOR.staff_id], uow_factory=uows, now=T0)
    casework.claim(mine, actor=COUNSELOR, uow_factory=uows, now=T0)
    scheduled(uows, mine, actor=COUNSELOR)
    scheduled(uows, other, when=THURSDAY_10 + timedelta(hours=2))
    start = datetime(2026, 11, 24, tzinfo=UTC)
    assert len(appointments.week(start, actor=HEAD, uow_factory=uows)) == 2
    [own] = appointments.week(start, actor=COUNSELOR, uow_factory=uows)
    assert own.conversation_id == mine
    assert appointments.week(start + timedelta(days=7), actor=HEAD, uow_factory=uows) == []


def test_a_session_is_marked_only_once_held_and_its_slot_can_be_used_again():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    scheduled(uows, conv)
    with pytest.raises(NotFound):  # an hour before it begins: not held yet
        appointments.record_attendance(conv, False, actor=ADMIN, uow_factory=uows,
                                       now=THURSDAY_10 - timedelta(hours=1))  # fmt: skip
    appointments.cancel(conv, actor=ADMIN, uow_factory=uows, now=T0)
    again = scheduled(uows, conv)  # the same slot, made again after the cancel
    assert again.status == "terjadwal"
    sweep(uow_factory=uows, now=THURSDAY_10 - timedelta(hours=1), setup=TIMERS)
    assert to_client(uows).count("reminder 26-11 10.00 Ruang 1") == 2  # the day and the hour


def test_closing_done_cancels_the_sessions_ahead_and_a_cancelled_one_is_not_reminded():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    scheduled(uows, conv)
    casework.close(conv, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=T0)
    sweep(uow_factory=uows, now=THURSDAY_10, setup=TIMERS)
    assert to_client(uows) == ["set 26-11 10.00 Ruang 1"]
    assert [a.status for a in uows.db.appointments.values()] == ["batal"]


def test_an_erased_clients_sessions_are_not_reminded():
    from triage.usecases import erasure

    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    scheduled(uows, conv)
    casework.close(conv, Outcome.ULANG, actor=ADMIN, uow_factory=uows, now=T0)
    client = uows.db.conversations[conv].client_id
    erasure.forget_client(client, actor=HEAD, uow_factory=uows, now=T0, remove=lambda p: None)
    before = len(uows.db.outbox)
    sweep(uow_factory=uows, now=THURSDAY_10, setup=TIMERS)
    assert len(uows.db.outbox) == before


def test_the_counselor_who_has_the_case_now_is_reminded_not_the_one_who_left_it():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    common = {"uow_factory": uows, "now": T0}
    casework.hand_off(conv, actor=ADMIN, counselors=[COUNSELOR.staff_id, COUNSELOR_2.staff_id],
                      **common)  # fmt: skip
    casework.claim(conv, actor=COUNSELOR, **common)
    scheduled(uows, conv, actor=COUNSELOR)
    casework.release(conv, actor=COUNSELOR, counselors=[COUNSELOR_2.staff_id], **common)
    casework.claim(conv, actor=COUNSELOR_2, counselors=[COUNSELOR_2.staff_id], **common)
    sweep(uow_factory=uows, now=THURSDAY_10 - timedelta(days=1), setup=TIMERS)
    told = {o.recipient for o in uows.db.outbox.values()
            if o.options.get("event") == "appointment_day"}  # fmt: skip
    assert told == {f"group:{conv}", f"staff:{COUNSELOR_2.staff_id}"}
    start = THURSDAY_10 - timedelta(days=2)
    assert appointments.week(start, actor=COUNSELOR, uow_factory=uows) == []
    assert len(appointments.week(start, actor=COUNSELOR_2, uow_factory=uows)) == 1
