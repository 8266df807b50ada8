"""Case-file steps inside a transaction: store a new file with its deadlines, tell the client and
the admin topic, find the file of a conversation. Shared by the complaint and psychoeducation
workflows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from triage.domain import notices
from triage.domain.errors import NotFound
from triage.domain.forms.by_mail import label
from triage.domain.forms.spec import FormSpec
from triage.domain.model import Conversation
from triage.domain.notices import Kind
from triage.domain.schedule.sla import Deadline
from triage.domain.workflow import CaseFile, WorkflowSetup, deadlines_of, missing
from triage.effects import notify
from triage.effects.auto_reply import send_auto
from triage.ports import UnitOfWork


def store_new(uow: UnitOfWork, cf: CaseFile, conv: Conversation, remind_at: datetime) -> None:
    uow.casefiles.save(cf)
    add_deadlines(uow, conv, deadlines_of(cf, conv, remind_at))


def add_deadlines(uow: UnitOfWork, conv: Conversation, wanted: Sequence[Deadline]) -> None:
    """The case file's deadlines not stored yet (a key names its wait: a repeat adds nothing);
    looked up in this conversation's rows only."""
    assert conv.id is not None
    known = {d.key for _, d in uow.deadlines.for_conversation(conv.id)}
    uow.deadlines.add([d for d in wanted if d.key not in known])


def tell_client(
    uow: UnitOfWork,
    conv: Conversation,
    key: str,
    body: str,
    now: datetime,
    *,
    discreet: str | None = None,
    before: datetime | None = None,
) -> None:
    """An automatic message to the client on their channel (once per key); `discreet` and
    `before` as in send_auto."""
    contact = uow.contacts.get(conv.reply_contact_id)
    if contact is not None and uow.outbox.find_key(key) is None:
        send_auto(uow, conv, contact.channel, contact.external_id, key, body, now, priority=0,
                  discreet=discreet, before=before)  # fmt: skip


def tell_topic(
    uow: UnitOfWork,
    conv: Conversation,
    spec: FormSpec,
    cf: CaseFile,
    event: str,
    now: datetime,
    **fields: str,
) -> None:
    """The admin topic hears of a step (with the facts still missing); its channel says whether
    the client was told by the bot or must be told by staff (met offline)."""
    assert conv.id is not None
    contact = uow.contacts.get(conv.reply_contact_id)
    notify.queue(
        uow,
        key=f"{event}:{conv.id}:{now.isoformat()}",
        recipient=notices.group(conv.id),
        kind=Kind.STATUS,
        now=now,
        conv=conv,
        event=event,
        missing=", ".join(label(n) for n in missing(spec, cf.facts)) or "—",
        channel=contact.channel.value if contact else "",
        **fields,
    )


Opener = Callable[[UnitOfWork, Conversation, str, WorkflowSetup, datetime], "CaseFile | None"]


def file_of(uow: UnitOfWork, conv_id: int, kind: str) -> CaseFile:
    cf = uow.casefiles.get(conv_id)
    if cf is None or cf.kind != kind:
        raise NotFound(f"{kind} of conversation {conv_id}")
    return cf
