"""Safe-contact preferences (/kontak: triage.domain.privacy.safe_contact): what staff write is
read or refused; every automatic message and reminder we send first follows them (the
client's channel, their hours, discreet words, or nothing and the topic told); an answer while
the client is writing goes at once; a staff reply long after is moved, held or refused."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.fakes import FakeSender, FakeUnitOfWorkFactory
from triage.domain.appointments import Wanted
from triage.domain.errors import AccessDenied, NotNow
from triage.domain.model import Channel
from triage.domain.outbox import Target
from triage.domain.privacy.safe_contact import (
    RESPONSE_WINDOW,
    SafeContact,
    TwoRanges,
    Unreadable,
    loads,
    next_open,
    parse,
    plan,
)
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.sla import Targets
from triage.usecases import appointments
from triage.usecases.identity import link_contacts, safe_contact
from triage.usecases.ingest import ingest
from triage.usecases.replies import reply_to_client
from triage.usecases.timers import TimerSetup, sweep

WITA = ZoneInfo("Asia/Makassar")
ZONE = "Asia/Makassar"
CAL = ServiceCalendar(WITA, {d: ((time(8), time(16)),) for d in range(5)}, frozenset())
SETUP = appointments.AppointmentSetup(CAL, lambda a, what: f"{what} {a.at:%d-%m %H.%M} {a.place}")
TIMERS = TimerSetup(Targets(), CAL, appointment_text=SETUP.client_text)
THURSDAY_10 = datetime(2026, 11, 26, 10, 0, tzinfo=WITA)  # T0 is Tuesday 09.00 WITA
LATER = T0 + timedelta(hours=2)  # 11.00 WITA: long after the client's last message


# --- reading /kontak ---------------------------------------------------------------------------


def test_staff_words_are_read_into_preferences():
    prefs = parse("email 09.00-12.00 samar", ZONE)
    assert (prefs.channel, prefs.start, prefs.end, prefs.discreet) == (
        "email", time(9), time(12), True)  # fmt: skip
    assert prefs.write_first and prefs.summary() == "email 09.00-12.00 samar"
    assert not parse("tidak", ZONE).write_first
    assert parse("IG jam 9-12", ZONE).channel == "instagram"
    assert parse("hotline 19:30-24", ZONE).end == time(23, 59)
    assert not parse("bebas", ZONE).any and parse("bebas", ZONE).dumps() is None
    assert loads(parse("tidak samar", ZONE).dumps()) == parse("tidak samar", ZONE)


@pytest.mark.parametrize("words", ["signal", "12.00-12.00", "25-26", "09.70-10", "kadang"])
def test_words_that_cannot_be_read_are_named(words):
    with pytest.raises(Unreadable):
        parse(words, ZONE)


def test_one_range_of_hours_only_and_it_may_run_through_the_night():
    with pytest.raises(TwoRanges):
        parse("09-11 14-16", ZONE)  # the second would silently replace the first
    night = parse("20.00-06.00", ZONE)
    at_23 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 23.00 WITA: inside
    assert next_open(night, at_23) == at_23
    at_5 = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # 05.00 WITA next day: inside
    assert next_open(night, at_5) == at_5
    at_noon = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    assert next_open(night, at_noon) == datetime(2026, 11, 24, 20, 0, tzinfo=WITA)


def test_unreadable_stored_preferences_are_the_strictest():
    prefs = loads("{not json")
    assert not prefs.write_first and prefs.discreet


def test_the_next_safe_moment_is_inside_the_hours_in_the_office_zone():
    prefs = parse("09.00-12.00", ZONE)
    at_8 = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 08.00 WITA
    assert next_open(prefs, at_8) == datetime(2026, 11, 24, 9, 0, tzinfo=WITA)
    at_10 = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert next_open(prefs, at_10) == at_10
    at_13 = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    assert next_open(prefs, at_13) == datetime(2026, 11, 25, 9, 0, tzinfo=WITA)


def test_an_answer_while_the_client_writes_is_not_held():
    strict = SafeContact(write_first=False, discreet=True, zone=ZONE)
    now = T0 + timedelta(hours=5)
    writing = plan(strict, "x", now, last_inbound=now - RESPONSE_WINDOW, discreet="y")
    assert (writing.held, writing.body, writing.at) == (None, "y", now)
    late = plan(strict, "x", now, last_inbound=now - 2 * RESPONSE_WINDOW, discreet="y")
    assert late.held == "never_first"
    discreet = SafeContact(discreet=True, zone=ZONE)
    assert plan(discreet, "x", now, last_inbound=None).held == "no_discreet"
    # no discreet wording: not even while she writes (the office's name would be on her phone)
    assert plan(discreet, "x", now, last_inbound=now).held == "no_discreet"
    assert plan(discreet, "x", now, last_inbound=now, urgent=True).held is None  # the crisis
    quiet = plan(discreet, "x", now, last_inbound=None, discreet="y")
    assert (quiet.body, quiet.quiet) == ("y", True)


# --- what we send first ------------------------------------------------------------------------


def a_case(uows, channel=Channel.HOTLINE):
    return ingest(
        inbound(1, channel=channel, text="Halo"), uow_factory=uows, now=T0
    ).conversation_id


def set_prefs(uows, conv, words, actor=ADMIN):
    return safe_contact(conv, parse(words, ZONE), actor=actor, uow_factory=uows, now=T0)


def to_client(uows):
    return [o for o in uows.db.outbox.values() if o.target is not Target.TELEGRAM]


def held(uows, conv):
    return [o for o in uows.db.outbox.values() if o.options.get("event", "").startswith("contact_")
            and o.recipient == f"group:{conv}"]  # fmt: skip


def test_a_client_not_to_be_written_first_gets_no_reminder_and_staff_see_what_it_said():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    assert set_prefs(uows, conv, "tidak").prefs.write_first is False
    appointments.schedule(conv, Wanted(THURSDAY_10, "Ruang 1"), actor=ADMIN, setup=SETUP,
                          uow_factory=uows, now=LATER)  # fmt: skip
    sweep(uow_factory=uows, now=THURSDAY_10 - timedelta(days=1), setup=TIMERS)
    assert to_client(uows) == []
    said = held(uows, conv)
    assert [o.options["event"] for o in said] == ["contact_never_first"] * 2
    assert said[0].text == "set 26-11 10.00 Ruang 1"  # staff decide whether to pass it on
    assert [s.detail for s in uows.db.steps if s.step == "safe_contact"] == ["tidak"]


def test_a_discreet_reminder_goes_by_email_inside_the_hours_without_place_or_office():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    other = a_case(uows, Channel.EMAIL)
    keep = uows.db.conversations[conv].reply_contact_id
    link_contacts(keep, uows.db.conversations[other].reply_contact_id, actor=ADMIN,
                  uow_factory=uows, now=T0)  # fmt: skip
    set_prefs(uows, conv, "email 13.00-15.00 samar")
    setup = appointments.AppointmentSetup(
        CAL, lambda a, what: f"{what} {a.at:%H.%M}" + ("" if "discreet" in what else " PUSPAGA")
    )
    appointments.schedule(conv, Wanted(THURSDAY_10, "Ruang 1"), actor=ADMIN, setup=setup,
                          uow_factory=uows, now=LATER)  # fmt: skip
    [sent] = to_client(uows)
    assert sent.target is Target.EMAIL and sent.text == "discreet_set 10.00"
    assert sent.next_attempt_at == datetime(2026, 11, 24, 13, 0, tzinfo=WITA)  # their hours
    assert sent.options["discreet"] == "1" and "in_reply_to" not in sent.options
    assert sent.not_before == sent.next_attempt_at  # kept: it holds nothing else back
    # the hour-before reminder (09.00) would only go at 13.00, after the session: not sent
    timers = TimerSetup(Targets(), CAL, appointment_text=setup.client_text)
    sweep(uow_factory=uows, now=THURSDAY_10 - timedelta(hours=1), setup=timers)
    assert "contact_too_late" in {o.options["event"] for o in held(uows, conv)}
    assert all("PUSPAGA" not in o.text for o in to_client(uows))


def test_a_message_without_a_discreet_version_is_not_sent_to_a_discreet_client():
    from triage.effects.workflow_files import tell_client

    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    set_prefs(uows, conv, "samar")
    with uows() as uow:
        tell_client(uow, uow.conversations.get(conv), "survey:1", "Bagaimana layanan PUSPAGA?",
                    LATER)  # fmt: skip
        uow.commit()
    assert to_client(uows) == []
    assert [o.options["event"] for o in held(uows, conv)] == ["contact_no_discreet"]


def test_an_answer_right_after_the_client_wrote_goes_where_they_wrote_still_discreet():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    set_prefs(uows, conv, "tidak samar")
    appointments.schedule(conv, Wanted(THURSDAY_10, "Ruang 1"), actor=ADMIN, setup=SETUP,
                          uow_factory=uows, now=T0 + timedelta(minutes=5))  # fmt: skip
    [sent] = to_client(uows)
    assert sent.text == "discreet_set 26-11 10.00 Ruang 1" and sent.target is Target.HOTLINE
    assert sent.not_before is None  # at once: she is holding her phone


def test_the_crisis_reply_goes_even_to_a_client_not_to_be_written_first_and_late():
    from triage.domain.rules.classify import Decision
    from triage.effects.assess import RelaySetup
    from triage.usecases.relay import relay_new_messages

    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    set_prefs(uows, conv, "tidak samar")
    urgent = T0 + timedelta(hours=1)
    ingest(inbound(2, text="dia memukul saya lagi", at=urgent), uow_factory=uows, now=urgent)
    triage = RelaySetup(lambda t: Decision(True, "kekerasan", ("test",), {}), "SAPA 129, 112.")
    late = urgent + timedelta(minutes=20)  # mail read late: past the window, still answered
    relay_new_messages(uow_factory=uows, now=late, triage=triage)
    assert [o.text for o in to_client(uows)] == ["SAPA 129, 112."]


def test_an_automatic_reply_from_the_client_does_not_open_the_window():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    set_prefs(uows, conv, "tidak")
    away = T0 + timedelta(hours=2)
    ingest(inbound(2, text="Saya sedang cuti", at=away, auto_generated=True), uow_factory=uows,
           now=away)  # fmt: skip
    with pytest.raises(NotNow):
        reply_to_client(conv, "Ibu, apa kabar?", actor=ADMIN, idempotency_key="r1",
                        uow_factory=uows, now=away + timedelta(minutes=1))  # fmt: skip


def test_a_kept_message_holds_nothing_back_and_a_change_withholds_it_before_it_goes():
    from triage.domain.outbox import OutboxStatus, RetryPolicy
    from triage.usecases.dispatch import dispatch_due

    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    set_prefs(uows, conv, "13.00-15.00")
    kept = reply_to_client(conv, "Jadwal Anda besok.", actor=ADMIN, idempotency_key="r1",
                           uow_factory=uows, now=LATER)  # fmt: skip
    answer = LATER + timedelta(minutes=30)
    ingest(inbound(2, text="Bu, saya takut", at=answer), uow_factory=uows, now=answer)
    reply_to_client(conv, "Kami di sini, Bu.", actor=ADMIN, idempotency_key="r2",
                    uow_factory=uows, now=answer)  # fmt: skip
    hotline = FakeSender(Target.HOTLINE)

    def dispatch(at):
        return dispatch_due(uow_factory=uows, senders={Target.HOTLINE: hotline},
                            clock=lambda: at, policy=RetryPolicy(), jitter=lambda: 0.0)  # fmt: skip

    dispatch(answer)
    assert [i.text for i in hotline.sent] == ["Kami di sini, Bu."]  # the kept one did not wait
    set_prefs(uows, conv, "tidak")  # "he found my phone"
    dispatch(datetime(2026, 11, 24, 13, 0, tzinfo=WITA))  # its hour comes
    assert [i.text for i in hotline.sent] == ["Kami di sini, Bu."]
    assert uows.db.outbox[kept.outbox_id].status is OutboxStatus.FAILED
    assert [o.options["event"] for o in held(uows, conv)] == ["contact_withheld"]


# --- staff replies and who may set it ---------------------------------------------------------


def test_a_staff_reply_long_after_is_refused_or_held_to_the_hours():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    set_prefs(uows, conv, "tidak")
    with pytest.raises(NotNow):
        reply_to_client(conv, "Apa kabar?", actor=ADMIN, idempotency_key="r1",
                        uow_factory=uows, now=LATER)  # fmt: skip
    assert to_client(uows) == []  # nothing queued, nothing in the transcript
    fresh = reply_to_client(conv, "Baik, kami dengar.", actor=ADMIN, idempotency_key="r2",
                            uow_factory=uows, now=T0 + timedelta(minutes=3))  # fmt: skip
    assert fresh.later is None and len(to_client(uows)) == 1
    set_prefs(uows, conv, "13.00-15.00")
    done = reply_to_client(conv, "Jadwal Anda besok.", actor=ADMIN, idempotency_key="r3",
                           uow_factory=uows, now=LATER)  # fmt: skip
    assert done.later == datetime(2026, 11, 24, 13, 0, tzinfo=WITA)
    assert uows.db.outbox[done.outbox_id].next_attempt_at == done.later
    again = reply_to_client(conv, "Jadwal Anda besok.", actor=ADMIN, idempotency_key="r3",
                            uow_factory=uows, now=LATER)  # fmt: skip
    assert again.duplicate and again.later == done.later  # a redelivered update says it too


def test_a_channel_the_client_has_no_address_on_is_refused_and_nothing_changes():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    view = set_prefs(uows, conv, "email")
    assert view.missing == "email" and view.channels == ("hotline",)
    assert not safe_contact(conv, None, actor=ADMIN, uow_factory=uows, now=T0).prefs.any


def test_only_staff_who_see_the_client_set_it():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    with pytest.raises(AccessDenied):
        set_prefs(uows, conv, "tidak", actor=COUNSELOR)  # not their case


def test_two_clients_found_to_be_one_keep_what_either_asked_for():
    uows = FakeUnitOfWorkFactory()
    conv = a_case(uows)
    other = a_case(uows, Channel.EMAIL)
    set_prefs(uows, other, "email samar")
    set_prefs(uows, conv, "tidak")
    keep = uows.db.conversations[conv].reply_contact_id
    client = link_contacts(keep, uows.db.conversations[other].reply_contact_id, actor=ADMIN,
                           uow_factory=uows, now=T0)  # fmt: skip
    both = loads(uows.db.clients[client].safe_contact)
    assert (both.write_first, both.channel, both.discreet) == (False, "email", True)
