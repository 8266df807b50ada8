from dataclasses import replace
from datetime import timedelta

import pytest

from tests.builders import T0
from tests.fakes import FakeClock, FakeSender, FakeUnitOfWorkFactory
from triage.domain.outbox import OutboxItem, OutboxStatus, RetryPolicy, Target, failure_reason
from triage.ports import NotYet, SendError
from triage.usecases.dispatch import dispatch_due

POLICY = RetryPolicy(max_attempts=3, base=timedelta(seconds=5), lease=timedelta(minutes=2))


def queue(uows, *texts, recipient="c1", priority=0, target=Target.HOTLINE):
    with uows() as uow:
        ids = [
            uow.outbox.add(
                OutboxItem(
                    id=None,
                    idempotency_key=f"{recipient}:{t}",
                    target=target,
                    recipient=recipient,
                    text=t,
                    created_at=T0,
                    next_attempt_at=T0,
                    priority=priority,
                )
            ).id
            for t in texts
        ]
        uow.commit()
    return ids


def run(uows, sender, clock, **kw):
    return dispatch_due(
        uow_factory=uows,
        senders={Target.HOTLINE: sender},
        clock=clock,
        policy=POLICY,
        jitter=lambda: 0.5,
        **kw,
    )


def test_items_are_sent_in_order_per_recipient_and_the_remote_id_recorded():
    uows, sender, clock = FakeUnitOfWorkFactory(), FakeSender(), FakeClock(T0)
    ids = queue(uows, "satu", "dua", "tiga")
    for _ in range(3):
        run(uows, sender, clock)
    assert [i.text for i in sender.sent] == ["satu", "dua", "tiga"]
    assert [uows.db.outbox[i].remote_id for i in ids] == ["hotline-1", "hotline-2", "hotline-3"]
    assert all(uows.db.outbox[i].status is OutboxStatus.SENT for i in ids)


def test_a_transient_failure_is_retried_after_backoff_and_holds_later_items_back():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    sender = FakeSender(failures=[SendError("timeout", transient=True)])
    first, second = queue(uows, "satu", "dua")
    report = run(uows, sender, clock)
    assert report.retrying == 1 and sender.sent == []
    assert run(uows, sender, clock).handled == 0  # "dua" waits behind "satu"
    clock.now = T0 + timedelta(seconds=5)
    run(uows, sender, clock)
    run(uows, sender, clock)
    assert [i.text for i in sender.sent] == ["satu", "dua"]
    assert uows.db.outbox[first].attempts == 1


def test_retry_after_from_the_remote_side_is_respected():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    sender = FakeSender(failures=[SendError("429", transient=True, retry_after=40)])
    (item,) = queue(uows, "satu")
    run(uows, sender, clock)
    assert uows.db.outbox[item].next_attempt_at == T0 + timedelta(seconds=40)


@pytest.mark.parametrize("transient", [True, False])
def test_after_max_attempts_or_a_permanent_error_the_item_fails_visibly(transient):
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    sender = FakeSender(failures=[SendError("bad", transient=transient)] * 5)
    (item,) = queue(uows, "satu")
    for minute in range(10):
        clock.now = T0 + timedelta(minutes=minute)
        run(uows, sender, clock)
    stored = uows.db.outbox[item]
    assert stored.status is OutboxStatus.FAILED
    assert stored.attempts == (POLICY.max_attempts if transient else 1)
    with uows() as uow:  # and its notice for staff (no Telegram sender here: it failed too)
        failed = uow.outbox.failed()
    assert [i.id for i in failed if i.target is Target.HOTLINE] == [item]
    assert [i.options["item"] for i in failed if i.target is Target.TELEGRAM] == [str(item)]


def test_urgent_items_go_first():
    uows, sender, clock = FakeUnitOfWorkFactory(), FakeSender(), FakeClock(T0)
    queue(uows, "biasa", recipient="a")
    queue(uows, "darurat", recipient="b", priority=10)
    run(uows, sender, clock, batch=1)
    assert [i.text for i in sender.sent] == ["darurat"]


def test_a_dispatcher_that_died_after_sending_does_not_cause_a_double():
    uows, sender, clock = FakeUnitOfWorkFactory(), FakeSender(), FakeClock(T0)
    (item,) = queue(uows, "satu")
    with uows() as uow:  # a dispatcher claims, sends, and dies before recording
        (claimed,) = uow.outbox.claim_due(T0, 10, T0 + POLICY.lease)
        uow.commit()
    sender.send(claimed)
    assert run(uows, sender, clock).handled == 0  # the lease still holds
    clock.now = T0 + POLICY.lease
    run(uows, sender, clock)
    assert len(sender.sent) == 1
    stored = uows.db.outbox[item]
    assert stored.status is OutboxStatus.SENT and stored.remote_id == "hotline-1"


def test_a_target_without_a_sender_waits_and_says_why():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    (item,) = queue(uows, "halo", target=Target.EMAIL)
    run(uows, FakeSender(), clock)
    stored = uows.db.outbox[item]
    assert stored.status is OutboxStatus.PENDING and "no sender" in (stored.last_error or "")


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(base=timedelta(seconds=5), cap=timedelta(minutes=1))
    assert policy.delay(1, 0.999) < policy.delay(3, 0.999) <= timedelta(minutes=1)
    assert policy.delay(10, 0.0) == timedelta(seconds=5)


def test_a_stalled_dispatcher_neither_sends_past_its_lease_nor_overwrites_the_outcome():
    uows, sender, clock = FakeUnitOfWorkFactory(), FakeSender(), FakeClock(T0)
    (item,) = queue(uows, "satu")
    with uows() as uow:  # dispatcher A claims and stalls
        (stale,) = uow.outbox.claim_due(T0, 10, T0 + POLICY.lease)
        uow.commit()
    clock.now = T0 + POLICY.lease  # A's lease ran out: B takes over and sends
    assert run(uows, sender, clock).sent == 1
    with uows() as uow:  # A wakes up and tries to record a failure
        assert uow.outbox.record(replace(stale, status=OutboxStatus.PENDING)) is False
        uow.commit()
    stored = uows.db.outbox[item]
    assert stored.status is OutboxStatus.SENT and len(sender.sent) == 1
    assert stored.attempts == 1  # the lost lease counted as an attempt


def test_items_whose_lease_passes_during_a_slow_batch_are_left_for_the_next_claim():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    queue(uows, "satu", recipient="a")
    queue(uows, "dua", recipient="b")

    class Slow(FakeSender):
        def send(self, item):
            clock.now += POLICY.lease  # the first send takes the whole lease
            return super().send(item)

    sender = Slow()
    run(uows, sender, clock)
    assert [i.text for i in sender.sent] == ["satu"]  # "dua" was not started late


def test_a_stop_hands_back_at_once_what_was_claimed_and_not_tried():
    """Sends may take seconds each (Instagram's): a stop does not wait for the batch, and what
    it did not try goes to the next pass without waiting out the lease or counting an attempt."""
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    (first,) = queue(uows, "satu", recipient="a")
    (second,) = queue(uows, "dua", recipient="b")
    stopping: list[bool] = []

    class Stops(FakeSender):
        def send(self, item):
            stopping.append(True)  # SIGTERM arrives during the first send
            return super().send(item)

    sender = Stops()
    assert run(uows, sender, clock, going=lambda: not stopping).sent == 1
    assert [i.text for i in sender.sent] == ["satu"]
    back = uows.db.outbox[second]
    assert back.status is OutboxStatus.PENDING and back.lease_until is None
    assert back.attempts == 0
    assert run(uows, sender, clock).sent == 1  # at once: no lease to wait out
    assert [i.text for i in sender.sent] == ["satu", "dua"]


def test_a_stop_keeps_an_interrupted_item_sending_and_its_next_taker_asks_about_it():
    """Its next taker must still ask the channel whether the earlier send got through; it
    takes it at once, and the stop costs it no attempt."""
    uows, sender, clock = FakeUnitOfWorkFactory(), FakeSender(), FakeClock(T0)
    (dead,) = queue(uows, "tiga", recipient="c")
    with uows() as uow:  # claimed by a dispatcher that died after sending; its lease ends at T0
        (claimed,) = uow.outbox.claim_due(T0, 10, T0)
        uow.commit()
    sender.send(claimed)
    (fresh,) = queue(uows, "satu", recipient="a")
    assert run(uows, sender, clock, going=lambda: False).handled == 0
    kept, back = uows.db.outbox[dead], uows.db.outbox[fresh]
    assert kept.status is OutboxStatus.SENDING and kept.lease_until == T0
    assert back.status is OutboxStatus.PENDING and back.lease_until is None
    for _ in range(2):
        run(uows, sender, clock)
    after = uows.db.outbox[dead]
    assert after.status is OutboxStatus.SENT and after.remote_id == "hotline-1"  # asked, found
    assert after.attempts == 1  # the dead dispatcher's try, counted once
    assert [i.text for i in sender.sent] == ["tiga", "satu"]  # never sent twice


def test_an_item_that_crashes_every_dispatcher_fails_after_max_attempts():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    (item,) = queue(uows, "satu")
    for n in range(POLICY.max_attempts):  # each claim dies before recording
        clock.now = T0 + POLICY.lease * (n + 1) + timedelta(seconds=1)
        with uows() as uow:
            uow.outbox.claim_due(clock.now, 10, clock.now + POLICY.lease)
            uow.commit()
    clock.now += POLICY.lease
    sender = FakeSender()
    run(uows, sender, clock)
    stored = uows.db.outbox[item]
    assert stored.status is OutboxStatus.FAILED and sender.sent == []
    assert "interrupted" in (stored.last_error or "")


def test_a_budget_deferral_keeps_the_place_and_is_not_an_attempt():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    sender = FakeSender(failures=[NotYet(3.0)] * 20)
    first, second = queue(uows, "satu", "dua")
    for _ in range(20):  # far more deferrals than max_attempts
        report = run(uows, sender, clock)
        assert report.deferred == 1 and report.handled == 0
        assert uows.db.outbox[first].next_attempt_at == clock() + timedelta(seconds=3)
        clock.now += timedelta(seconds=3)
    assert uows.db.outbox[first].attempts == 0
    assert uows.db.outbox[second].status is OutboxStatus.PENDING  # still behind the first
    run(uows, sender, clock)
    run(uows, sender, clock)
    assert [i.text for i in sender.sent] == ["satu", "dua"]


def test_an_unreachable_remote_is_waited_out_and_keeps_the_order():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    down = SendError("unreachable", transient=True, counts=False)
    sender = FakeSender(failures=[down] * 10)  # far more than max_attempts (3)
    first, second = queue(uows, "satu", "dua")
    for _ in range(10):
        run(uows, sender, clock)
        item = uows.db.outbox[first]
        assert item.status is OutboxStatus.PENDING and item.attempts == 0
        assert item.last_error == "unreachable"
        clock.now = item.next_attempt_at
    run(uows, sender, clock)
    run(uows, sender, clock)
    assert [i.text for i in sender.sent] == ["satu", "dua"]


def test_an_outage_is_waited_out_for_a_day_then_the_item_fails_for_staff():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    down = SendError("Telegram error: Bad Gateway", transient=True, counts=False)
    sender = FakeSender(failures=[down] * 100_000)
    (first,) = queue(uows, "satu")
    tries = 0
    while uows.db.outbox[first].status is OutboxStatus.PENDING:
        clock.now += timedelta(minutes=10)  # an outage tried every ten minutes, for brevity
        failed_at = clock.now
        run(uows, sender, clock)
        tries += 1
        item = uows.db.outbox[first]
        assert item.next_attempt_at - clock.now <= POLICY.base  # back within one base delay
    item = uows.db.outbox[first]
    assert item.status is OutboxStatus.FAILED and item.attempts == 0
    assert timedelta(hours=24) <= failed_at - T0 < timedelta(hours=24, minutes=10)
    assert item.last_error == "no answer for 24 h: Telegram error: Bad Gateway"
    assert tries > POLICY.max_attempts


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        # what the senders say (bot/telegram/gateway.py, channels/email/smtp_sender.py,
        # channels/instagram/sender.py, the dispatcher)
        ("Telegram refused: Forbidden: bot was blocked by the user", "blocked"),
        ("Telegram refused: Forbidden: bot was kicked from the supergroup chat", "group"),
        ("Telegram refused: Bad Request: message is too long", "too_long"),
        ("Telegram refused: Bad Request: chat not found", "recipient"),
        ("recipient refused", "recipient"),
        ("SMTP 552", "too_long"),
        ("SSLError", "config"),
        ("UserNotFound", "recipient"),
        ("no answer for 24 h: 502 Bad Gateway", "gave_up"),
        ("no answer for 24 h: SMTP login refused", "login"),
        ("no answer for 24 h: LoginRequired", "login"),
        ("interrupted 8 times", "interrupted"),
        ("Telegram refused: Bad Request: can't parse entities", "refused"),
        (None, "refused"),
    ],
)
def test_the_reason_staff_are_told_is_read_from_the_senders_error(error, reason):
    assert failure_reason(error) == reason


def test_an_item_that_fails_for_good_is_announced_once_and_its_notice_is_not():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    (item,) = queue(uows, "satu")
    blocked = FakeSender(failures=[SendError("Forbidden: bot was blocked", transient=False)])
    staff = FakeSender(failures=[SendError("Bad Request: chat not found", transient=False)])
    for _ in range(3):
        dispatch_due(uow_factory=uows, senders={Target.HOTLINE: blocked, Target.TELEGRAM: staff},
                     clock=clock, policy=POLICY, jitter=lambda: 0.0, heads=(7,))  # fmt: skip
    notices = [o for o in uows.db.outbox.values() if o.options.get("kind") == "undelivered"]
    assert [(n.recipient, n.options["item"], n.options["reason"]) for n in notices] == [
        ("group:general", str(item), "blocked")  # no case: the general thread; not urgent
    ]
    assert notices[0].status is OutboxStatus.FAILED  # it failed too, and was not announced


def test_a_sent_staff_post_keeps_no_words_and_a_clients_reply_keeps_its_text():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    (reply,) = queue(uows, "Ibu, kami di sini.")
    with uows() as uow:
        posted = OutboxItem(None, "card", Target.TELEGRAM, "group:1", "[cerita]", T0, T0)
        options = {"kind": "card", "conv": "1", "name": "Sari"}
        card = uow.outbox.add(replace(posted, options=options))
        uow.commit()
    senders = {Target.HOTLINE: FakeSender(), Target.TELEGRAM: FakeSender()}
    dispatch_due(uow_factory=uows, senders=senders, clock=clock, policy=POLICY,
                 jitter=lambda: 0.0)  # fmt: skip
    kept = uows.db.outbox
    assert kept[reply].status is OutboxStatus.SENT and kept[reply].text == "Ibu, kami di sini."
    assert kept[card.id].status is OutboxStatus.SENT
    assert (kept[card.id].text, kept[card.id].options) == ("", {"kind": "card", "conv": "1"})


def test_when_the_admin_group_fails_the_heads_hear_it_in_private_once_an_hour():
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    queue(uows, "kartu 1", "kartu 2", recipient="group:5", target=Target.TELEGRAM)
    kicked = SendError("Telegram refused: Forbidden: bot was kicked from the supergroup chat",
                       transient=False)  # fmt: skip
    staff = FakeSender(failures=[kicked] * 2)
    for _ in range(2):
        dispatch_due(uow_factory=uows, senders={Target.TELEGRAM: staff}, clock=clock,
                     policy=POLICY, jitter=lambda: 0.0, heads=(7, 8))  # fmt: skip
    told = [o for o in uows.db.outbox.values() if o.options.get("kind") == "undelivered"]
    # not to the failing group, and once for both posts (sent now: their words are gone)
    assert sorted(n.recipient for n in told) == ["staff:7", "staff:8"]
    assert all(n.status is OutboxStatus.SENT for n in told)


def test_the_report_says_which_channels_answered_and_which_could_not_be_reached():
    """For the outage alarm (bot/service/alarm.py): a refusal is an answer, a 502 is not, and a
    budget's wait says nothing either way."""
    uows, clock = FakeUnitOfWorkFactory(), FakeClock(T0)
    down = FakeSender(failures=[SendError("502 Bad Gateway", transient=True, counts=False)])
    queue(uows, "satu")
    report = run(uows, down, clock)
    assert (report.reached, report.unreachable) == (frozenset(), {"hotline"})
    refusing = FakeSender(failures=[SendError("403 blocked", transient=False)])
    clock.now += timedelta(seconds=5)
    report = run(uows, refusing, clock)
    assert (report.reached, report.unreachable) == ({"hotline"}, frozenset())
    queue(uows, "dua", recipient="c2")
    report = run(uows, FakeSender(failures=[NotYet(3)]), clock)
    assert (report.reached, report.unreachable) == (frozenset(), frozenset())
    clock.now += timedelta(seconds=3)
    assert run(uows, FakeSender(), clock).reached == {"hotline"}


def test_a_send_reported_failed_later_fails_once_or_goes_again_after_a_rate_limit():
    """WhatsApp accepts a send and may report later that it failed (a status post)."""
    from triage.usecases.dispatch import failed_later

    uows, sender, clock = FakeUnitOfWorkFactory(), FakeSender(), FakeClock(T0)
    first, second, third = queue(uows, "satu", "dua", "tiga")
    for _ in range(3):
        run(uows, sender, clock)
    kw = {"uow_factory": uows, "now": T0 + timedelta(minutes=1)}
    done, item = failed_later(Target.HOTLINE, "hotline-1", "window", **kw)
    assert done == "failed" and uows.db.outbox[first].status is OutboxStatus.FAILED
    assert failed_later(Target.HOTLINE, "hotline-1", "window", **kw)[0] == "none"  # told once
    assert failed_later(Target.EMAIL, "hotline-2", "window", **kw)[0] == "none"  # not its target
    done, _ = failed_later(Target.HOTLINE, "wa:unknown", "rate", item_id=second,
                           retry_after=60, **kw)  # fmt: skip
    again = uows.db.outbox[second]
    assert done == "again" and again.status is OutboxStatus.PENDING
    assert again.next_attempt_at == T0 + timedelta(minutes=2) and again.attempts == 0
    with uows() as uow:  # a send still being recorded: asked again later
        uow.outbox.record(replace(uows.db.outbox[third], status=OutboxStatus.SENDING))
        uow.commit()
    assert failed_later(Target.HOTLINE, "x", "window", item_id=third, **kw)[0] == "later"
    notices = [o for o in uows.db.outbox.values() if o.options.get("kind") == "undelivered"]
    assert len(notices) == 1  # the first item's, once
