"""Use case: send what is due in the outbox, record the outcome, retry or give up.

Claim and record are separate commits around the send, so a crash between them leaves the item
SENDING with a lease; when the lease ends another pass takes it again as `interrupted` and asks
the sender whether the first try got through (see docs/OUTBOX.md for each channel). The claim
number fences the record: a dispatcher that stalled past its lease cannot overwrite the outcome
of the one that took over, and never starts a send after its lease.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta

from triage.domain.outbox import (
    OutboxItem,
    OutboxStatus,
    RetryPolicy,
    Target,
    after_failure,
    delivered,
)
from triage.ports import Clock, NotYet, Sender, SendError, UnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0  # held back by a send budget: not attempts

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def dispatch_due(
    *,
    uow_factory: UnitOfWorkFactory,
    senders: Mapping[Target, Sender],
    clock: Clock,
    policy: RetryPolicy,
    jitter: Callable[[], float],
    batch: int = 20,
) -> DispatchReport:
    """One pass: claim up to `batch` due items (the oldest per recipient, urgent first)."""
    now = clock()
    with uow_factory() as uow:
        items = uow.outbox.claim_due(now, batch, now + policy.lease)
        uow.commit()
    sent = retrying = failed = deferred = 0
    for item in items:
        if item.lease_until is not None and clock() >= item.lease_until:
            continue  # too slow: another dispatcher may hold it now; never send past the lease
        if item.attempts >= policy.max_attempts:  # interrupted again and again: a crash loop
            outcome = replace(
                item,
                status=OutboxStatus.FAILED,
                lease_until=None,
                last_error=f"interrupted {item.attempts} times",
            )
        else:
            outcome = _deliver(item, senders.get(item.target), clock, policy, jitter)
        with uow_factory() as uow:
            recorded = uow.outbox.record(outcome)
            uow.commit()
        if not recorded:
            log.warning("outbox item %s was claimed again meanwhile; outcome dropped", item.id)
            continue
        if outcome.status is OutboxStatus.PENDING and outcome.attempts == item.attempts:
            deferred += 1  # a budget wait or an unreachable remote: not an attempt
        elif outcome.status is OutboxStatus.SENT:
            sent += 1
        elif outcome.status is OutboxStatus.FAILED:
            failed += 1
            # The error text may quote an address: it stays in the row (staff see it), not the log.
            log.warning("outbox item %s to %s failed for good", outcome.id, outcome.target.value)
        else:
            retrying += 1
    return DispatchReport(sent, retrying, failed, deferred)


def _deliver(
    item: OutboxItem,
    sender: Sender | None,
    clock: Clock,
    policy: RetryPolicy,
    jitter: Callable[[], float],
) -> OutboxItem:
    if sender is None:
        error = f"no sender configured for {item.target.value}"
        return after_failure(
            item, error, transient=True, now=clock(), policy=policy, jitter=jitter()
        )
    try:
        result = sender.already_sent(item) if item.interrupted else None
        if result is None:
            result = sender.send(item)
    except NotYet as exc:
        return replace(
            item,
            status=OutboxStatus.PENDING,
            lease_until=None,
            next_attempt_at=clock() + timedelta(seconds=max(0.0, exc.seconds)),
        )
    except SendError as exc:
        return after_failure(
            item,
            str(exc),
            transient=exc.transient,
            now=clock(),
            policy=policy,
            jitter=jitter(),
            retry_after=exc.retry_after,
            counts=exc.counts,
        )
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not stop the other items
        log.error(
            "sender for %s raised %s on outbox item %s",
            item.target.value,
            type(exc).__name__,
            item.id,
        )
        log.debug("traceback (may contain personal data; DEBUG only)", exc_info=True)
        return after_failure(
            item,
            f"{type(exc).__name__}: {exc}",
            transient=True,
            now=clock(),
            policy=policy,
            jitter=jitter(),
        )
    return delivered(item, result.remote_id, clock())
