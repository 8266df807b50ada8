"""The duty roster and hand-off routing: shifts, day changes (/jadwal),
specialties, weekday themes, load, a returning client's counselor; the crisis alert's
recipients."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from triage.domain.schedule.calendar import ServiceCalendar
from triage.domain.schedule.roster import DutyChange, Roster, Shift, alert_to, route

WITA = ZoneInfo("Asia/Makassar")
HOURS = {d: ((time(8), time(16)),) for d in range(4)} | {4: ((time(8), time(11, 30)),)}
CAL = ServiceCalendar(WITA, HOURS, frozenset({date(2026, 12, 25)}))
AYU, BUDI, CITRA = 2001, 2002, 2003
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=WITA)
TUESDAY_NIGHT = datetime(2026, 11, 24, 22, 0, tzinfo=WITA)
SATURDAY_10 = datetime(2026, 11, 28, 10, 0, tzinfo=WITA)
CHRISTMAS_10 = datetime(2026, 12, 25, 10, 0, tzinfo=WITA)  # a Friday holiday

ROSTER = Roster(
    calendar=CAL,
    counselors=(AYU, BUDI, CITRA),
    shifts=(
        Shift(AYU, frozenset({0, 1, 2})),  # Mon-Wed, office hours
        Shift(BUDI, frozenset({1, 3}), categories=frozenset({"remaja", "pranikah"})),  # a theme
        Shift(CITRA, frozenset({5}), periods=((time(9), time(12)),)),  # Saturday on call
    ),
    specialties={AYU: frozenset({"kekerasan"}), CITRA: frozenset({"kekerasan"})},
)


def test_who_is_on_duty_follows_shifts_hours_and_holidays():
    assert ROSTER.on_duty(TUESDAY_10) == [AYU, BUDI]
    assert ROSTER.on_duty(TUESDAY_NIGHT) == []
    assert ROSTER.on_duty(SATURDAY_10) == [CITRA]  # a deliberate on-call shift
    assert ROSTER.on_duty(SATURDAY_10.replace(hour=13)) == []
    assert ROSTER.on_duty(CHRISTMAS_10) == []


def test_day_changes_add_and_remove_people():
    tuesday = TUESDAY_10.date()
    changes = [DutyChange(tuesday, AYU, False), DutyChange(tuesday, CITRA, True)]
    assert ROSTER.on_duty(TUESDAY_10, changes) == [BUDI, CITRA]
    assert ROSTER.on_duty(TUESDAY_NIGHT, changes) == []  # added for the day's service hours
    # on a closed day someone added is on duty the whole day (piket libur)
    holiday = [DutyChange(CHRISTMAS_10.date(), BUDI, True)]
    assert ROSTER.on_duty(CHRISTMAS_10.replace(hour=20), holiday) == [BUDI]
    # a change for another day changes nothing today
    assert ROSTER.on_duty(TUESDAY_10, [DutyChange(date(2026, 11, 25), AYU, False)]) == [AYU, BUDI]


def test_without_shifts_every_counselor_is_on_duty_in_office_hours():
    plain = Roster(calendar=CAL, counselors=(AYU, BUDI))
    assert plain.on_duty(TUESDAY_10) == [AYU, BUDI]
    assert plain.on_duty(SATURDAY_10) == []


def test_routing_prefers_specialty_then_lightest_load():
    offer = route(ROSTER, TUESDAY_10, category="kekerasan", loads={}, last_counselor=None)
    assert (offer.to, offer.reason) == ((AYU,), "specialty")
    # Budi's shift serves the Tuesday theme (remaja) even without the specialty
    offer = route(ROSTER, TUESDAY_10, category="remaja", loads={BUDI: 5}, last_counselor=None)
    assert (offer.to, offer.reason) == ((BUDI,), "specialty")
    # nobody matches: the on-duty counselors with the lightest load
    offer = route(
        ROSTER, TUESDAY_10, category="lansia", loads={AYU: 2, BUDI: 1}, last_counselor=None
    )
    assert (offer.to, offer.reason) == ((BUDI,), "on_duty")
    # ties share the offer; general categories do not filter
    offer = route(ROSTER, TUESDAY_10, category="informasi", loads={}, last_counselor=None)
    assert offer.to == (AYU, BUDI)


def test_a_returning_client_is_offered_to_their_last_counselor_when_on_duty():
    offer = route(ROSTER, TUESDAY_10, category="lansia", loads={BUDI: 9}, last_counselor=BUDI)
    assert (offer.to, offer.reason) == ((BUDI,), "returning")
    # not on duty: the usual routing
    offer = route(ROSTER, TUESDAY_10, category="lansia", loads={}, last_counselor=CITRA)
    assert offer.reason == "on_duty" and CITRA not in offer.to


def test_nobody_on_duty_offers_everyone_by_the_same_rules():
    offer = route(ROSTER, TUESDAY_NIGHT, category="kekerasan", loads={AYU: 3}, last_counselor=None)
    assert (offer.to, offer.reason) == ((CITRA,), "specialty")
    offer = route(ROSTER, TUESDAY_NIGHT, category=None, loads={}, last_counselor=None)
    assert (offer.to, offer.reason) == ((AYU, BUDI, CITRA), "everyone")
    assert route(Roster(CAL, ()), TUESDAY_10, category=None, loads={}, last_counselor=None).to == ()


def test_alerts_reach_the_counselors_on_duty_and_the_heads_never_nobody():
    head = 3001
    assert alert_to(ROSTER, [head], TUESDAY_10) == [AYU, BUDI, head]
    assert alert_to(ROSTER, [head], TUESDAY_NIGHT) == [AYU, BUDI, CITRA, head]
