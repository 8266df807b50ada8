"""Outside service hours: the client hears the hours, the help numbers and
when a person will answer, once per closed spell; urgent messages get the crisis reply."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.builders import inbound
from tests.fakes import FakeUnitOfWorkFactory
from tests.unit.test_form_dialogue import calm
from triage.domain.outbox import Target
from triage.domain.schedule.calendar import ServiceCalendar
from triage.effects.assess import AfterHours, RelaySetup
from triage.usecases.ingest import ingest
from triage.usecases.relay import relay_new_messages

WITA = ZoneInfo("Asia/Makassar")
CAL = ServiceCalendar(WITA, {d: ((time(8), time(16)),) for d in range(5)}, frozenset())
TRIAGE = RelaySetup(
    calm,
    "Kami mendengar Anda. SAPA 129.",
    after_hours=AfterHours(CAL, lambda at: f"Di luar jam layanan; kami membalas {at:%A %H.%M}."),
)


def say(uows, n, body, at, relayed_at=None):
    before = set(uows.db.outbox)
    ingest(inbound(n, text=body, at=at), uow_factory=uows, now=at)
    relay_new_messages(uow_factory=uows, now=relayed_at or at, triage=TRIAGE)
    return [
        o.text for k, o in uows.db.outbox.items() if k not in before and o.target is Target.HOTLINE
    ]


def test_one_reply_per_closed_spell_naming_when_service_resumes():
    uows = FakeUnitOfWorkFactory()
    friday_night = datetime(2026, 11, 27, 20, 0, tzinfo=WITA)
    assert say(uows, 1, "halo kak", friday_night) == [
        "Di luar jam layanan; kami membalas Monday 08.00."
    ]
    assert say(uows, 2, "kak?", friday_night + timedelta(hours=14)) == []  # same spell
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=WITA)
    assert say(uows, 3, "pagi kak", monday) == []  # open: a person answers
    assert say(uows, 4, "kak lagi?", monday + timedelta(hours=10)) == [
        "Di luar jam layanan; kami membalas Tuesday 08.00."
    ]


def test_an_urgent_message_at_night_gets_the_crisis_reply_only():
    uows = FakeUnitOfWorkFactory()
    night = datetime(2026, 11, 27, 23, 0, tzinfo=WITA)
    assert say(uows, 1, "tolong suami memukul saya", night) == ["Kami mendengar Anda. SAPA 129."]


def test_a_message_written_at_night_but_passed_on_in_service_hours_gets_no_such_reply():
    uows = FakeUnitOfWorkFactory()
    night = datetime(2026, 11, 27, 20, 0, tzinfo=WITA)
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=WITA)  # e.g. mail caught up after a pause
    assert say(uows, 1, "halo kak", night, relayed_at=monday) == []


def test_the_admins_see_the_answer_on_the_new_conversations_card_one_post_not_two():
    """A new conversation costs the admin group one post of its 20 a minute: the automatic
    answer rides on the card; answered again later, it rides on the client's next post."""
    from triage.domain import notices
    from triage.domain.notices import Kind

    uows = FakeUnitOfWorkFactory()
    friday_night = datetime(2026, 11, 27, 20, 0, tzinfo=WITA)
    say(uows, 1, "halo kak", friday_night)
    posts = [o for o in uows.db.outbox.values() if o.recipient.startswith("group:")]
    assert [o.options["kind"] for o in posts] == [Kind.CARD]
    entries = notices.load(posts[0].text)
    assert [(e.author, e.text) for e in entries] == [
        ("client", "halo kak"),
        ("bot", "Di luar jam layanan; kami membalas Monday 08.00."),
    ]
    monday_night = datetime(2026, 11, 30, 20, 0, tzinfo=WITA)
    say(uows, 2, "kak, masih ada?", monday_night)  # the card is still waiting: joined to it
    posts = [o for o in uows.db.outbox.values() if o.recipient.startswith("group:")]
    assert [o.options["kind"] for o in posts] == [Kind.CARD]
    assert [e.author for e in notices.load(posts[0].text)] == ["client", "bot", "client", "bot"]
