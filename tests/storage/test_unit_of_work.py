"""The SQL unit of work on SQLite and on a real PostgreSQL: the same behaviour as the fake."""

from datetime import timedelta

import pytest
from sqlalchemy import inspect

from storage.migrate import current_revision, head_revision
from tests.builders import ADMIN, COUNSELOR, T0, inbound
from tests.fakes import FakeClock, FakeSender
from triage.domain.errors import Conflict
from triage.domain.model import Attachment, Channel, Client, Outcome, State
from triage.domain.outbox import OutboxItem, OutboxStatus, RetryPolicy, Target
from triage.usecases import casework
from triage.usecases.dispatch import dispatch_due
from triage.usecases.identity import link_contacts
from triage.usecases.inbox import as_json, snapshot
from triage.usecases.ingest import Cursor, ingest
from triage.usecases.replies import reply_to_client


def test_migrations_create_every_table_and_reach_head(engine):
    tables = set(inspect(engine).get_table_names())
    assert {
        "client",
        "contact",
        "conversation",
        "message",
        "step_log",
        "outbox",
        "channel_cursor",
    } <= tables
    assert current_revision(engine) == head_revision()


def test_ingesting_twice_stores_once_and_times_stay_aware_utc(uows):
    msg = inbound(1, attachments=(Attachment("foto.jpg", "image/jpeg", 2048),), subject="Halo")
    first = ingest(msg, uow_factory=uows, now=T0, cursor=Cursor("hotline", "7"))
    again = ingest(msg, uow_factory=uows, now=T0)
    assert first.stored and not again.stored and again.message_id == first.message_id
    with uows() as uow:
        (stored,) = uow.messages.for_conversation(first.conversation_id)
        conv = uow.conversations.get(first.conversation_id)
        assert uow.cursors.get("hotline") == "7"
    assert stored.attachments == msg.attachments and stored.subject == "Halo"
    assert stored.created_at == msg.received_at and stored.created_at.tzinfo is not None
    assert conv.steps.received == msg.received_at


def test_a_whole_case_round_trips_through_the_database(uows):
    conv_id = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    reply_to_client(
        conv_id,
        "Halo Ibu",
        actor=ADMIN,
        idempotency_key="k1",
        uow_factory=uows,
        now=T0 + timedelta(minutes=2),
    )
    casework.hand_off(conv_id, actor=ADMIN, uow_factory=uows, now=T0 + timedelta(minutes=4))
    casework.claim(conv_id, actor=COUNSELOR, uow_factory=uows, now=T0 + timedelta(minutes=5))
    casework.close(
        conv_id, Outcome.TUNTAS, actor=COUNSELOR, uow_factory=uows, now=T0 + timedelta(minutes=30)
    )
    (view,) = snapshot(uows)
    data = as_json(view)
    assert data["state"] == "closed" and data["outcome"] == "tuntas"
    assert data["steps"]["claimed"] == (T0 + timedelta(minutes=5)).isoformat()
    assert [m["direction"] for m in data["messages"]] == ["in", "out"]
    assert data["messages"][1]["delivery"] == "pending"
    assert [s["step"] for s in data["step_log"]] == [
        "received",
        "first_admin_response",
        "handed_off",
        "claim_open",  # no duty roster: any counselor may take it
        "claimed",
        "closed",
    ]


def test_only_one_open_conversation_per_client_is_allowed(uows):
    conv_id = ingest(inbound(1), uow_factory=uows, now=T0).conversation_id
    with pytest.raises(Conflict):
        with uows() as uow:
            conv = uow.conversations.get(conv_id)
            uow.conversations.add(conv)
            uow.commit()


def test_the_outbox_dispatches_in_order_and_keeps_failures_visible(uows):
    with uows() as uow:
        for n, recipient in enumerate(["a", "a", "b"]):
            uow.outbox.add(
                OutboxItem(
                    id=None,
                    idempotency_key=f"k{n}",
                    target=Target.HOTLINE,
                    recipient=recipient,
                    text=f"pesan {n}",
                    created_at=T0,
                    next_attempt_at=T0,
                    options={"x": "y"},
                )
            )
        uow.commit()
    sender, clock = FakeSender(), FakeClock(T0)
    policy = RetryPolicy()
    first = dispatch_due(
        uow_factory=uows,
        senders={Target.HOTLINE: sender},
        clock=clock,
        policy=policy,
        jitter=lambda: 0.0,
    )
    assert first.sent == 2 and [i.text for i in sender.sent] == ["pesan 0", "pesan 2"]
    dispatch_due(
        uow_factory=uows,
        senders={Target.HOTLINE: sender},
        clock=clock,
        policy=policy,
        jitter=lambda: 0.0,
    )
    with uows() as uow:
        item = uow.outbox.find_key("k1")
    assert item.status is OutboxStatus.SENT and item.remote_id == "hotline-3"
    assert item.options == {"x": "y"} and item.claims == 1


def test_a_worker_claims_only_the_targets_it_can_send_now(uows):
    """Several workers: the Telegram items wait for the worker holding the bot's lease, the
    others' dispatchers leave them unclaimed (bot/service/leases.py)."""
    with uows() as uow:
        for n, target in enumerate([Target.TELEGRAM, Target.EMAIL, Target.HOTLINE]):
            uow.outbox.add(OutboxItem(None, f"t{n}", target, "r", f"pesan {n}", T0, T0))
        uow.commit()
    with uows() as uow:
        assert uow.outbox.claim_due(T0, 10, T0 + timedelta(seconds=30), set()) == []
        claimed = uow.outbox.claim_due(T0, 10, T0 + timedelta(seconds=30), {Target.EMAIL})
        assert [i.text for i in claimed] == ["pesan 1"]
        rest = uow.outbox.claim_due(T0, 10, T0 + timedelta(seconds=30))
        assert sorted(i.text for i in rest) == ["pesan 0", "pesan 2"]


def test_linking_contacts_merges_their_conversations(uows):
    ingest(inbound(1, channel=Channel.EMAIL, sender="sari@example.org"), uow_factory=uows, now=T0)
    ingest(inbound(2, channel=Channel.INSTAGRAM, sender="ig-5"), uow_factory=uows, now=T0)
    with uows() as uow:
        keep = uow.contacts.find(Channel.EMAIL, "sari@example.org").id
        merge = uow.contacts.find(Channel.INSTAGRAM, "ig-5").id
    link_contacts(keep, merge, actor=ADMIN, uow_factory=uows, now=T0)
    (view,) = snapshot(uows)
    assert len(view.messages) == 2 and len(view.contacts) == 2
    assert view.conversation.state is State.NEW


def test_only_races_are_retried_a_plain_integrity_bug_surfaces(uows, engine):
    from sqlalchemy.exc import IntegrityError

    integrity_errors = (IntegrityError, engine.dialect.dbapi.IntegrityError)
    with pytest.raises(integrity_errors) as caught:  # NOT NULL: a bug, not a race
        with uows() as uow:
            uow.clients.add(Client(id=None, display_name=None, created_at=T0))  # type: ignore[arg-type]
            uow.commit()
    assert not isinstance(caught.value, Conflict)


def test_what_a_unit_of_work_creates_belongs_to_its_office_and_cursors_are_per_office(engine):
    """One office today; the tables and the unit of work carry its id already (migration 0013)."""
    from storage.unit_of_work import SqlUnitOfWorkFactory
    from tests.builders import inbound
    from triage.usecases.ingest import Cursor, ingest

    other = SqlUnitOfWorkFactory(engine, office_id="kota-contoh")
    ingest(inbound(1, sender="c-1"), uow_factory=other, now=inbound(1).received_at,
           cursor=Cursor("hotline:updates", "41"))  # fmt: skip
    with other() as uow:
        conv = uow.conversations.get(1)
        assert conv is not None and conv.office_id == "kota-contoh"
        assert uow.clients.get(conv.client_id).office_id == "kota-contoh"
        assert uow.cursors.get("hotline:updates") == "41"
        assert uow.forms.next_number("2026-12") == 1
    with SqlUnitOfWorkFactory(engine)() as uow:  # the default office has its own cursor, counter
        assert uow.office_id == "default" and uow.cursors.get("hotline:updates") is None
        assert uow.forms.next_number("2026-12") == 1


def test_a_register_continues_after_its_paper_numbers(engine):
    """next_number(period, after): a new month starts after the paper's last number; a month
    already counted jumps to it once when the office sets it later; a lower one changes
    nothing."""
    from storage.unit_of_work import SqlUnitOfWorkFactory

    with SqlUnitOfWorkFactory(engine)() as uow:
        assert uow.forms.next_number("2027-01", after=57) == 58
        assert uow.forms.next_number("2027-01", after=57) == 59
        assert uow.forms.next_number("2027-02") == 1
        assert uow.forms.next_number("2027-02", after=40) == 41
        assert uow.forms.next_number("2027-02", after=3) == 42
        uow.commit()
