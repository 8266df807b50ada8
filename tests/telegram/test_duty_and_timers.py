"""The duty roster and the SLA timers on the local Bot API server: /jadwal seen and changed by
an admin, refused to a counselor; the hand-off says whom it was offered to; a client left
waiting brings a reminder to the topic at the target and an escalation to the head after, and
shows on the queue board pinned in the group."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bot.service import loops as service
from tests.support.office import ADMIN, CLIENT, GROUP, HEAD, MADE, NYOMAN, UNMASKED, move_clock
from tests.support.telegram_office import running_office


@pytest.fixture
def office(tmp_path):
    with running_office(tmp_path, consent=UNMASKED) as running:
        yield running


def test_jadwal_is_shown_and_changed_by_an_admin_and_refused_to_a_counselor(office):
    state = office.state
    state.user_writes(ADMIN, GROUP, "/jadwal besok -Made")
    post = office.wait_for_post(GROUP, "Jadwal piket konselor")
    assert "diubah: −Made" in post["text"]
    tomorrow = office.app.clock().astimezone(office.app.roster.calendar.zone).date() + timedelta(1)
    with office.app.uows() as uow:
        (change,) = uow.roster.between(tomorrow, tomorrow)
    assert (change.staff_id, change.on_duty) == (MADE, False)

    state.user_writes(MADE, text="/jadwal besok +Made")
    office.wait_for_post(MADE, "Hanya ketua dan admin")
    state.user_writes(ADMIN, GROUP, "/jadwal besok +Siapa")
    office.wait_for_post(GROUP, 'Konselor "Siapa" tidak dikenal')
    state.user_writes(NYOMAN, text="/jadwal")
    office.wait_for_post(NYOMAN, "Jadwal piket konselor")


def test_a_waiting_client_brings_a_reminder_then_an_escalation_to_the_head(office):
    app, state = office.app, office.state
    state.user_writes(CLIENT, text="Halo, saya perlu bicara dengan psikolog.")
    thread = office.topic_of(1)
    with app.uows() as uow:
        received = uow.conversations.get(1).steps.received
    calendar, targets = app.timers.calendar, app.timers.targets
    remind = calendar.add_minutes(received, targets.admin_response)
    escalate = calendar.add_minutes(remind, targets.escalate_after)

    move_clock(app, remind - timedelta(seconds=2))
    assert service.sweep_timers(app).fired == 0
    move_clock(app, remind)
    assert service.sweep_timers(app).fired == 1
    office.wait_for_post(GROUP, "klien menunggu jawaban pertama", thread)
    move_clock(app, escalate)
    service.sweep_timers(app)
    office.wait_for_post(HEAD, "Eskalasi #1")
    office.wait_for_post(GROUP, "ketua sudah diberi tahu", thread)
    assert service.sweep_timers(app).fired == 0  # once each

    # the queue board: pinned in the group, edited in place as the wait grows
    office.wait(lambda: state.pinned.get(GROUP), "the queue board pinned")
    pinned = state.pinned[GROUP]
    board = state.message(GROUP, pinned)
    assert "Antrean" in board["text"] and "#1 · menunggu admin" in board["text"]
    first_text = board["text"]
    move_clock(app, escalate + timedelta(minutes=2))
    service.sweep_timers(app)
    office.wait(lambda: state.message(GROUP, pinned)["text"] != first_text, "the board edited")
    assert state.pinned[GROUP] == pinned and "⚠️" in state.message(GROUP, pinned)["text"]

    # the hand-off names whom it was offered to, and why
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    office.tap(ADMIN, card, "handoff:1:1")
    status = office.wait_for_post(GROUP, "Ditawarkan ke:", thread)
    assert "Made" in status["text"] and "Nyoman" in status["text"]


def test_a_counselor_off_duty_cannot_take_a_case_the_head_can_give_them(office):
    """Issue 17, item 8: only whom the hand-off was offered to may take it (or anyone once it
    has waited past its target); the head assigns whom they choose."""
    state = office.state
    calendar = office.app.roster.calendar  # who is on duty "now" needs service hours now
    # half an hour into tomorrow's first opening (next_open of "now" may be minutes before
    # closing, and half an hour later nobody is on duty: the test failed late in the day)
    tomorrow = office.app.clock().astimezone(calendar.zone).date() + timedelta(days=1)
    midnight = datetime.combine(tomorrow, time(0), calendar.zone)
    move_clock(office.app, calendar.next_open(midnight) + timedelta(minutes=30))
    state.user_writes(ADMIN, GROUP, "/jadwal hariini +Made -Nyoman")
    office.wait_for_post(GROUP, "−Nyoman")
    state.user_writes(CLIENT, text="Halo, saya perlu bicara dengan psikolog.")
    thread = office.topic_of(1)
    card = office.wait_for_post(GROUP, "Percakapan #1", thread)
    office.tap(ADMIN, card, "handoff:1:1")
    status = office.wait_for_post(GROUP, "Ditawarkan ke:", thread)
    assert "Made" in status["text"] and "Nyoman" not in status["text"]

    state.user_writes(NYOMAN, text="/ambil 1")
    refusal = office.wait_for_post(NYOMAN, "tidak ditawarkan kepada Anda")
    assert "/tugaskan" in refusal["text"]
    assert not any("Kasus #1" in t and "Sari" in t for t in office.texts(NYOMAN))

    state.user_writes(HEAD, text="/tugaskan Nyo 1")
    office.wait_for_post(HEAD, "Kasus #1 ditugaskan kepada Nyoman")
    case = office.wait_for_post(NYOMAN, "Ditugaskan kepada Anda oleh ketua")
    assert "Kasus #1" in case["text"] and "saya perlu bicara" in case["text"]
    office.wait_for_post(GROUP, "menugaskan kasus kepada konselor Nyoman", thread)
    with office.app.uows() as uow:
        assert uow.conversations.get(1).counselor_id == NYOMAN
        actions = [e.action for e in uow.audit.entries(1)]
    assert "case.claim.denied" in actions
    state.user_writes(HEAD, text="/tugaskan Siapa 1")
    office.wait_for_post(HEAD, "Tulis: /tugaskan NAMA N")
