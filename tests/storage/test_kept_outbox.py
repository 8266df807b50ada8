"""A message kept for a client's safe hours (outbox.not_before) on the fakes, SQLite and
PostgreSQL: not claimed before its time, and meanwhile it holds back nothing else to the same
client (the crisis reply must never wait on it)."""

from datetime import timedelta

from tests.builders import T0
from triage.domain.outbox import OutboxItem, Target


def item(key: str, not_before=None) -> OutboxItem:
    return OutboxItem(None, key, Target.HOTLINE, "4242", key, T0, not_before or T0,
                      not_before=not_before)  # fmt: skip


def test_a_kept_message_waits_for_its_time_and_holds_nothing_back(any_uows):
    later = T0 + timedelta(hours=4)
    with any_uows() as uow:
        uow.outbox.add(item("kept", later))
        uow.outbox.add(item("crisis"))
        uow.commit()
    with any_uows() as uow:
        now = [i.idempotency_key for i in uow.outbox.claim_due(T0, 10, T0 + timedelta(minutes=2))]
        uow.commit()
    assert now == ["crisis"]
    with any_uows() as uow:
        then = [i.idempotency_key for i in uow.outbox.claim_due(later, 10, later)]
    assert then == ["kept"]
