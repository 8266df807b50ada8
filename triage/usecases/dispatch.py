"""Use cases: send what is due in the outbox, record the outcome, retry or give up; and try a
message that failed for good again when staff ask (`resend`, the button on its notice).

Claim and record are separate commits around the send, so a crash between them leaves the item
SENDING with a lease; when the lease ends another pass takes it again as `interrupted` and asks
the sender whether the first try got through (see docs/OUTBOX.md for each channel). The claim
number fences the record: a dispatcher that stalled past its lease cannot overwrite the outcome
of the one that took over, and never starts a send after its lease.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from triage.domain import access, notices
from triage.domain.errors import AccessDenied, NotFound
from triage.domain.model import Actor, Role
from triage.domain.outbox import (
    TARGET_CHANNEL,
    OutboxItem,
    OutboxStatus,
    RetryPolicy,
    Target,
    after_failure,
    delivered,
)
from triage.domain.records import AuditEntry
from triage.effects import safe_send, undelivered
from triage.ports import Clock, NotYet, Sender, SendError, UnitOfWorkFactory
from triage.usecases._retry import on_conflict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DispatchReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0  # held back by a send budget: not attempts
    reached: frozenset[str] = frozenset()  # targets that answered (the outage alarm)
    unreachable: frozenset[str] = frozenset()  # targets that could not be reached at all

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
    heads: Sequence[int] = (),
    progress: Callable[[], None] = lambda: None,
    targets: Collection[Target] | None = None,
    going: Callable[[], bool] = lambda: True,
) -> DispatchReport:
    """One pass: claim up to `batch` due items (the oldest per recipient, urgent first). An
    item that fails for good is announced to staff in the same transaction (`heads` hear of
    urgent cases'); `targets`: only items this worker can send now (several workers). Once
    `going` says no (the service stops), the items not yet tried are handed back at once: a
    send can take seconds (Instagram's), and a stop must not wait for twenty of them."""
    now = clock()
    with uow_factory() as uow:
        items = uow.outbox.claim_due(now, batch, now + policy.lease, targets)
        away = uow.roster.inactive()  # deactivated since their notices were queued (/nonaktif)
        uow.commit()
    sent = retrying = failed = deferred = 0
    reached: set[str] = set()
    unreachable: set[str] = set()
    for n, item in enumerate(items):
        if not going():
            _hand_back(uow_factory, items[n:], clock())
            break
        progress()  # the shell's watchdog: a slow send is progress, not a hang
        if item.lease_until is not None and clock() >= item.lease_until:
            continue  # too slow: another dispatcher may hold it now; never send past the lease
        if item.target in TARGET_CHANNEL and _kept_safe(uow_factory, item, clock()):
            deferred += 1  # the client's safe contact: kept for their hours, or withheld
            continue
        if notices.staff_id_of(item.recipient) in away and not item.options.get("deactivated"):
            # never sent, never announced (only the answer telling them they are deactivated)
            with uow_factory() as uow:
                gone = replace(item, status=OutboxStatus.FAILED, lease_until=None,
                               last_error="staff deactivated")  # fmt: skip
                if uow.outbox.record(gone):
                    uow.commit()
            continue
        if item.attempts >= policy.max_attempts:  # interrupted again and again: a crash loop
            outcome = replace(
                item,
                status=OutboxStatus.FAILED,
                lease_until=None,
                last_error=f"interrupted {item.attempts} times",
            )
            answered = None
        else:
            outcome, answered = _deliver(item, senders.get(item.target), clock, policy, jitter)
        with uow_factory() as uow:
            recorded = uow.outbox.record(outcome)
            if recorded and outcome.status is OutboxStatus.FAILED:
                undelivered.announce(uow, outcome, clock(), heads)
            uow.commit()
        if answered is not None:
            (reached if answered else unreachable).add(item.target.value)
        if not recorded:
            log.warning("kiriman %s sudah diambil proses lain; hasilnya diabaikan", item.id)
            continue
        if outcome.status is OutboxStatus.PENDING and outcome.attempts == item.attempts:
            deferred += 1  # a budget wait or an unreachable remote: not an attempt
        elif outcome.status is OutboxStatus.SENT:
            sent += 1
        elif outcome.status is OutboxStatus.FAILED:
            failed += 1
            # The error text may quote an address: it stays in the row (staff see it), not the log.
            log.warning("kiriman %s ke %s gagal untuk selamanya", outcome.id, outcome.target.value)
        else:
            retrying += 1
    return DispatchReport(
        sent, retrying, failed, deferred, frozenset(reached), frozenset(unreachable - reached)
    )


def _hand_back(uow_factory: UnitOfWorkFactory, items: Sequence[OutboxItem], now: datetime) -> None:
    """Claimed and never tried: free for the next pass or worker at once, no attempt counted.
    An item whose earlier claim was interrupted stays `sending` with its lease ended now (and
    the attempt this claim counted taken back, as the next claim counts it again), so whoever
    takes it next still asks the channel whether that earlier try got through. Fenced by the
    claim: an item another dispatcher took meanwhile is left as it is."""
    with uow_factory() as uow:
        for item in items:
            if item.interrupted:
                back = replace(item, lease_until=now, attempts=max(0, item.attempts - 1))
            else:
                back = replace(item, status=OutboxStatus.PENDING, lease_until=None)
            if not uow.outbox.record(back):
                log.debug("kiriman %s sudah diambil proses lain", item.id)
        uow.commit()


def _kept_safe(uow_factory: UnitOfWorkFactory, item: OutboxItem, now: datetime) -> bool:
    """The client's safe-contact preferences as they are now: True when the item was kept for
    later or withheld instead of sent (triage.effects.safe_send)."""
    with uow_factory() as uow:
        kept = safe_send.recheck(uow, item, now)
        if kept is None:
            return False
        if uow.outbox.record(kept):  # else another dispatcher holds it now: not ours to send
            uow.commit()
        return True


def _deliver(
    item: OutboxItem,
    sender: Sender | None,
    clock: Clock,
    policy: RetryPolicy,
    jitter: Callable[[], float],
) -> tuple[OutboxItem, bool | None]:
    """The item's outcome, and whether the remote side answered (True: sent, or refused with a
    reason; False: no answer at all, a 5xx, a timeout; None: not tried)."""
    if sender is None:
        error = f"no sender configured for {item.target.value}"
        failed = after_failure(
            item, error, transient=True, now=clock(), policy=policy, jitter=jitter()
        )
        return failed, None
    try:
        result = sender.already_sent(item) if item.interrupted else None
        if result is None:
            result = sender.send(item)
    except NotYet as exc:
        waiting = replace(
            item,
            status=OutboxStatus.PENDING,
            lease_until=None,
            next_attempt_at=clock() + timedelta(seconds=max(0.0, exc.seconds)),
        )
        return waiting, None
    except SendError as exc:
        failed = after_failure(
            item,
            str(exc),
            transient=exc.transient,
            now=clock(),
            policy=policy,
            jitter=jitter(),
            retry_after=exc.retry_after,
            counts=exc.counts,
        )
        down = exc.transient and not exc.counts if exc.down is None else exc.down
        return failed, not down
    except Exception as exc:  # noqa: BLE001 - an adapter bug must not stop the other items
        log.error(
            "pengirim %s gagal (%s) pada kiriman %s",
            item.target.value,
            type(exc).__name__,
            item.id,
        )
        log.debug("traceback (may contain personal data; DEBUG only)", exc_info=True)
        failed = after_failure(
            item,
            f"{type(exc).__name__}: {exc}",
            transient=True,
            now=clock(),
            policy=policy,
            jitter=jitter(),
        )
        return failed, None
    return delivered(item, result.remote_id, clock()), True


def resend(item_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime) -> bool:
    """True when the item is due again; False when someone tried it again already. Those who
    may see the case's client (or, for a message outside any case, the admins and the head);
    audited."""

    def work() -> bool:
        with uow_factory() as uow:
            item = uow.outbox.get(item_id)
            if item is None:
                raise NotFound(f"outbox item {item_id}")
            conv = uow.conversations.get(item.conversation_id) if item.conversation_id else None
            allowed = (
                access.may_view_identity(actor, conv)
                if conv is not None
                else actor.role in (Role.ADMIN, Role.HEAD)
            )
            again = allowed and uow.outbox.retry(item_id, now)
            action = "outbox.resend" if allowed else "outbox.resend.denied"
            if again or not allowed:
                uow.audit.append(
                    AuditEntry(now, actor.staff_id, actor.role.value, action,
                               item.conversation_id, f"item {item_id}")
                )  # fmt: skip
            uow.commit()
            if not allowed:
                raise AccessDenied(actor.staff_id, "resend")
            return again

    return on_conflict(work, uow_factory.pause)


def failed_later(
    target: Target,
    remote_id: str,
    error: str,
    *,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    heads: Sequence[int] = (),
    item_id: int | None = None,
    retry_after: float | None = None,
) -> tuple[str, OutboxItem | None]:
    """A channel that accepted an item reports later that it was not delivered (WhatsApp's
    `failed` status), naming it by the id it gave (`remote_id`, the last part's) or by ours
    (`item_id`, echoed back, any part's). Returns what was done and the item:
    "failed" (staff told, as for a refusal at sending), "again" (a rate limit: `retry_after`
    given, the item goes once more, uncounted), "later" (the send is still being recorded: ask
    again) or "none" (not found, or no longer sent: a second report, a retry under way)."""

    def work() -> tuple[str, OutboxItem | None]:
        with uow_factory() as uow:
            item = uow.outbox.get(item_id) if item_id is not None else None
            if item is None or item.target is not target:
                item = uow.outbox.find_remote(target, remote_id)
            if item is not None and item.status is OutboxStatus.SENDING:
                return "later", item
            if item is None or item.status is not OutboxStatus.SENT:
                return "none", item
            if retry_after is not None:
                again = replace(item, status=OutboxStatus.PENDING, last_error=error,
                                next_attempt_at=now + timedelta(seconds=retry_after),
                                lease_until=None)  # fmt: skip
                outcome = "again" if uow.outbox.record(again) else "none"
                uow.commit()
                return outcome, again
            failed = replace(item, status=OutboxStatus.FAILED, last_error=error, lease_until=None)
            if not uow.outbox.record(failed):
                return "none", item
            undelivered.announce(uow, failed, now, heads)
            uow.commit()
            return "failed", failed

    return on_conflict(work, uow_factory.pause)
