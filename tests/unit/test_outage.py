"""When the head is told of an outage (triage/domain/outage.py): once it has lasted `after`,
once when it ends, never for a blip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from triage.domain.outage import AlarmKind, OutageBook

T0 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def test_a_blip_shorter_than_the_wait_is_never_told():
    book = OutageBook(after=15 * MIN)
    book.saw("email:x", False, T0)
    assert book.due(T0 + 14 * MIN) == []
    book.saw("email:x", True, T0 + 14 * MIN)
    assert book.due(T0 + 60 * MIN) == []


def test_an_outage_is_told_once_when_it_has_lasted_and_its_end_once():
    book = OutageBook(after=15 * MIN)
    book.saw("send:telegram", False, T0)
    book.saw("send:telegram", False, T0 + 10 * MIN)  # still down: the outage began at T0
    (down,) = book.due(T0 + 15 * MIN)
    assert (down.kind, down.name, down.since) == (AlarmKind.DOWN, "send:telegram", T0)
    book.sent(down)
    assert book.due(T0 + 40 * MIN) == []  # told once, not every pass
    book.saw("send:telegram", True, T0 + 41 * MIN)
    (back,) = book.due(T0 + 41 * MIN)
    assert (back.kind, back.since, back.until) == (AlarmKind.BACK, T0, T0 + 41 * MIN)
    book.sent(back)
    assert book.due(T0 + 50 * MIN) == []


def test_a_mail_that_could_not_go_is_due_again_and_a_new_outage_is_its_own():
    book = OutageBook(after=5 * MIN)
    book.saw("database", False, T0)
    assert len(book.due(T0 + 5 * MIN)) == 1  # not marked sent: due on the next pass too
    assert len(book.due(T0 + 6 * MIN)) == 1
    book.saw("database", True, T0 + 7 * MIN)
    (back,) = book.due(T0 + 7 * MIN)  # its end tells it, down mail or not
    book.sent(back)
    book.saw("database", False, T0 + 8 * MIN)
    (again,) = book.due(T0 + 13 * MIN)
    assert again.since == T0 + 8 * MIN


def test_several_outages_are_told_oldest_first():
    book = OutageBook(after=MIN)
    book.saw("send:hotline", False, T0 + MIN)
    book.saw("email:x", False, T0)
    assert [a.name for a in book.due(T0 + 5 * MIN)] == ["email:x", "send:hotline"]


def test_an_outage_that_could_not_be_told_while_it_lasted_is_told_when_it_ends():
    """The office's mail server was what was down: the head hears of it once it is back."""
    book = OutageBook(after=15 * MIN)
    book.saw("send:email", False, T0)
    assert len(book.due(T0 + 20 * MIN)) == 1  # the mail cannot go: not marked sent
    book.saw("send:email", True, T0 + 30 * MIN)
    (back,) = book.due(T0 + 30 * MIN)
    assert (back.kind, back.since, back.until) == (AlarmKind.BACK, T0, T0 + 30 * MIN)


def test_an_end_seen_while_the_down_mail_was_going_out_is_still_told():
    """Another thread (IDLE, Instagram) saw the channel come back during the send."""
    book = OutageBook(after=15 * MIN)
    book.saw("email:x", False, T0)
    (down,) = book.due(T0 + 16 * MIN)
    book.saw("email:x", True, T0 + 16 * MIN)  # meanwhile
    book.sent(down)
    (back,) = book.due(T0 + 17 * MIN)
    assert back.kind is AlarmKind.BACK and back.since == T0
