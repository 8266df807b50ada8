"""Use cases: staff open a complaint or psychoeducation file by hand on a conversation that
triage sorted otherwise, and read a file's card."""

from __future__ import annotations

from datetime import datetime

from triage.domain import access
from triage.domain.errors import NotFound
from triage.domain.model import Actor, Conversation
from triage.domain.records import AuditEntry
from triage.domain.workflow import CaseFile, WorkflowSetup
from triage.effects import consent
from triage.effects.workflow_files import Opener
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.usecases._retry import in_transaction


def start(
    conv_id: int,
    open_file: Opener,
    *,
    actor: Actor,
    setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> CaseFile:
    """/pengaduan or /psikoedukasi on a conversation triage sorted otherwise: staff open the
    file, from the conversation's first message (an open file is returned as it is)."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_edit_form(actor, conv), actor, "open_case_file")
        existing = uow.casefiles.get(conv_id)
        if existing is not None:
            return existing
        first = next((m.text for m in uow.messages.for_conversation(conv_id) if m.text), "")
        opened = open_file(uow, conv, first, setup, now)
        assert opened is not None
        consent.reveal(uow, conv, now)  # a complaint is shown (triage.domain.consent)
        return opened

    return in_transaction(conv_id, uow_factory, step)


def view(
    conv_id: int, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> CaseFile | None:
    """A case file as staff read it (its card names the client and what they told): whoever
    may see the client's identity may read it, and each reading is in the audit log."""
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
        if conv is None:
            raise NotFound(f"conversation {conv_id}")
        access.require(access.may_view_identity(actor, conv), actor, "casefile.read")
        found = uow.casefiles.get(conv_id)
        if found is not None:
            entry = AuditEntry(now, actor.staff_id, actor.role.value, "casefile.read", conv_id,
                               found.kind)  # fmt: skip
            uow.audit.append(entry)
            uow.commit()
    return found
