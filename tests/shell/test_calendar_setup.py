"""The office's calendar from its configuration: national holidays and cuti bersama from the
`holidays` package, the office's own closed days, periods up to 24:00."""

from datetime import date, datetime

from bot.config.calendar import office_calendar, when
from bot.config.settings import from_mapping


def settings(**office):
    return from_mapping({"office": {"name": "Uji", **office}}, environ={})


def test_holidays_cuti_bersama_and_the_offices_own_days_are_closed():
    calendar = office_calendar(settings(closed_days=["2026-12-31"]), date(2026, 11, 24))
    assert not calendar.is_working_day(date(2026, 12, 25))  # Christmas
    assert not calendar.is_working_day(date(2026, 12, 24))  # cuti bersama
    assert not calendar.is_working_day(date(2026, 12, 31))  # the office's own
    assert calendar.is_working_day(date(2026, 12, 30))
    assert calendar.is_working_day(date(2027, 12, 1))  # the coming years are known too


def test_a_period_may_end_at_midnight_and_must_end_after_it_starts():
    calendar = office_calendar(settings(hours={"mon": ["20:00-24:00"]}), date(2026, 11, 24))
    zone = calendar.zone
    assert calendar.is_open(datetime(2026, 11, 30, 23, 59, tzinfo=zone))
    try:
        settings(hours={"mon": ["16:00-08:00"]})
    except Exception as exc:  # noqa: BLE001 - the ConfigError names the key
        assert "berakhir sebelum dimulai" in str(exc) and "[office] hours" in str(exc)
    else:
        raise AssertionError("a period that ends before it starts must stop the start")


def test_when_service_resumes_is_said_the_way_people_say_it():
    office = settings(timezone="Asia/Makassar")
    at = datetime.fromisoformat("2026-11-30T00:00:00+00:00")  # 08.00 WITA
    assert when(at, office) == "Senin, 30 November pukul 08.00 WITA"
