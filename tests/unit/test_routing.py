"""Hand-off and crisis alerts through the duty roster, with the database's knowledge: loads,
the day's /jadwal changes, a returning client's last counselor."""

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from tests.builders import ADMIN, COUNSELOR, HEAD, T0, inbound, next_session
from tests.fakes import FakeUnitOfWorkFactory
from triage.domain.model import Outcome
from triage.domain.notices import Kind
from triage.domain.rules.classify import Decision
from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.roster import DutyChange, Roster, Shift
from triage.effects.assess import RelaySetup
from triage.usecases import casework
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages

WITA = ZoneInfo("Asia/Makassar")
CAL = ServiceCalendar(WITA, {d: ((time(8), time(16)),) for d in range(5)})
MADE, NYOMAN, PUTU = 2001, 2002, 2003
ROSTER = Roster(
    CAL,
    counselors=(MADE, NYOMAN, PUTU),
    shifts=(
        Shift(MADE, frozenset({1})),
        Shift(NYOMAN, frozenset({1})),
        Shift(PUTU, frozenset({2})),
    ),
    names={MADE: "Made", NYOMAN: "Nyoman", PUTU: "Putu"},
)  # T0 is a Tuesday 09.00 WITA: Made and Nyoman are on duty


def offers(uows, conv_id, after: int = 0):
    return sorted(
        i.recipient
        for i in uows.db.outbox.values()
        if i.options.get("kind") == Kind.OFFER
        and i.conversation_id == conv_id
        and (i.id or 0) > after
    )


def hand_off(uows, conv_id, now=T0):
    casework.hand_off(conv_id, actor=ADMIN, roster=ROSTER, uow_factory=uows, now=now)


def test_the_offer_goes_to_the_least_loaded_counselor_on_duty_and_the_admin_sees_why():
    uows = FakeUnitOfWorkFactory()
    busy = ingest(inbound(1, sender="a"), uow_factory=uows, now=T0).conversation_id
    hand_off(uows, busy)
    casework.claim(busy, actor=COUNSELOR, uow_factory=uows, now=T0)  # Made has one case
    conv = ingest(inbound(1, sender="b"), uow_factory=uows, now=T0).conversation_id
    hand_off(uows, conv)
    assert offers(uows, conv) == ["staff:2002"]
    status = next(
        i
        for i in uows.db.outbox.values()
        if i.conversation_id == conv and i.options.get("event") == "handed_off"
    )
    assert (status.options["offered"], status.options["reason"]) == ("Nyoman", "on_duty")


def test_a_day_change_takes_someone_off_duty():
    uows = FakeUnitOfWorkFactory()
    with uows() as uow:
        uow.roster.set(
            DutyChange(T0.astimezone(WITA).date(), NYOMAN, False), by=HEAD.staff_id, at=T0
        )
        uow.roster.set(DutyChange(T0.astimezone(WITA).date(), PUTU, True), by=HEAD.staff_id, at=T0)
        uow.commit()
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    hand_off(uows, conv)
    assert offers(uows, conv) == ["staff:2001", "staff:2003"]


def test_a_returning_client_is_offered_to_their_last_counselor():
    uows = FakeUnitOfWorkFactory()
    conv = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    hand_off(uows, conv)
    casework.claim(conv, actor=COUNSELOR, uow_factory=uows, now=T0)
    next_session(uows, conv)
    casework.close(conv, Outcome.ULANG, actor=COUNSELOR, uow_factory=uows, now=T0)
    later = T0 + timedelta(days=7)  # the next Tuesday: the client writes again (a new round)
    again = ingest(inbound(2, at=later), uow_factory=uows, now=later).conversation_id
    # Made is busier than Nyoman now, but the client comes back to Made
    other = ingest(inbound(1, sender="x", at=later), uow_factory=uows, now=later).conversation_id
    hand_off(uows, other, later)
    casework.claim(other, actor=COUNSELOR, uow_factory=uows, now=later)
    before = max(uows.db.outbox)
    hand_off(uows, again, later)
    assert offers(uows, again, after=before) == ["staff:2001"]
    reasons = [
        i.options.get("reason")
        for i in uows.db.outbox.values()
        if i.conversation_id == again and i.options.get("event") == "handed_off"
    ]
    assert reasons[-1] == "returning"


URGENT = RelaySetup(  # every message urgent: whom its alert reaches
    lambda t: Decision(True, "kekerasan", ("test",), {}),
    "Kami mendengar Anda. SAPA 129, 112.",
    alert_to=(MADE, NYOMAN, PUTU, HEAD.staff_id),
    roster=ROSTER,
    heads=(HEAD.staff_id,),
)


def alerted_by_an_urgent_message(uows) -> list[str]:
    ingest(inbound(1, text="tolong"), uow_factory=uows, now=T0)
    relay_new_messages(uow_factory=uows, now=T0, triage=URGENT)
    return sorted(
        i.recipient for i in uows.db.outbox.values() if i.options.get("kind") == Kind.ALERT
    )


def test_an_urgent_message_alerts_the_counselors_on_duty_and_the_head():
    alerted = alerted_by_an_urgent_message(FakeUnitOfWorkFactory())
    assert alerted == ["staff:2001", "staff:2002", "staff:3001"]
