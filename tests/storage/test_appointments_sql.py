"""Sessions with clients on SQLite and PostgreSQL (and the fakes): made once, reminded once by
the sweeper, marked, moved with a merged case, their place blanked by erasure."""

from datetime import timedelta

from tests.builders import ADMIN, HEAD, T0, inbound
from tests.unit.test_appointment_cases import SETUP, THURSDAY_10, TIMERS
from triage.domain.appointments import ATTENDED, SCHEDULED, Wanted
from triage.domain.model import Channel, Outcome
from triage.usecases import appointments, casework
from triage.usecases import erasure as erasure_cases
from triage.usecases.identity import link_contacts
from triage.usecases.ingest import ingest
from triage.usecases.timers import sweep


def reminders(uows, conv: int) -> list[str]:
    with uows() as uow:
        events = [i.options.get("event", "") for i in uow.outbox.for_conversation(conv)]
    return sorted(e for e in events if e in ("appointment_day", "appointment_hour"))


def test_a_session_is_kept_reminded_once_marked_merged_and_erased(any_uows):
    uows = any_uows
    conv = ingest(inbound(1, text="Halo"), uow_factory=uows, now=T0).conversation_id
    made = appointments.schedule(conv, Wanted(THURSDAY_10, "Ruang 1"), actor=ADMIN, setup=SETUP,
                                 uow_factory=uows, now=T0)  # fmt: skip
    with uows() as uow:
        assert uow.appointments.get(made.id) == made and made.status == SCHEDULED
        assert uow.appointments.between(T0, T0 + timedelta(days=7)) == [made]
    day_before = THURSDAY_10 - timedelta(days=1)
    sweep(uow_factory=uows, now=day_before, setup=TIMERS)  # the SLA's reminders fire too
    assert reminders(uows, conv) == ["appointment_day"]
    assert sweep(uow_factory=uows, now=day_before, setup=TIMERS).fired == 0
    marked = appointments.record_attendance(conv, True, actor=ADMIN, uow_factory=uows,
                                            now=THURSDAY_10)  # fmt: skip
    assert marked.status == ATTENDED
    sweep(uow_factory=uows, now=THURSDAY_10, setup=TIMERS)
    assert reminders(uows, conv) == ["appointment_day"]  # the hour's: moot once marked
    other = ingest(inbound(1, channel=Channel.EMAIL, sender="sari@example.org"),
                   uow_factory=uows, now=T0).conversation_id  # fmt: skip
    with uows() as uow:
        keep = uow.conversations.get(conv).reply_contact_id
        gone = uow.conversations.get(other).reply_contact_id
    later_session = THURSDAY_10 + timedelta(days=7)
    appointments.schedule(other, Wanted(later_session, "Ruang 2"), actor=ADMIN, setup=SETUP,
                          uow_factory=uows, now=T0)  # fmt: skip
    link_contacts(keep, gone, actor=ADMIN, uow_factory=uows, now=T0)
    with uows() as uow:
        [kept] = [c for c in (uow.conversations.get(conv), uow.conversations.get(other)) if c]
        first, second = uow.appointments.for_conversation(kept.id)
        assert first.status == ATTENDED and second.place == "Ruang 2"
        client = kept.client_id
    # the merged-away session's reminders followed it into the kept case
    sweep(uow_factory=uows, now=later_session - timedelta(days=1), setup=TIMERS)
    assert reminders(uows, kept.id) == ["appointment_day", "appointment_day"]
    later = THURSDAY_10 + timedelta(days=1)
    casework.close(kept.id, Outcome.TUNTAS, actor=ADMIN, uow_factory=uows, now=later)
    erasure_cases.forget_client(client, actor=HEAD, uow_factory=uows, now=later,
                                remove=lambda paths: None)  # fmt: skip
    with uows() as uow:
        sessions = uow.appointments.for_conversation(kept.id)
        assert [(s.place, s.at) for s in sessions] == [("", THURSDAY_10), ("", later_session)]
