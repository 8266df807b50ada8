"""One transaction over every repository."""

from __future__ import annotations

from typing import Protocol, Self

from triage.ports.repositories import (
    AppointmentRepository,
    AuditLog,
    CaseFileRepository,
    CaseGrants,
    ClientRepository,
    ContactRepository,
    ConversationRepository,
    CursorStore,
    DeadlineRepository,
    Erasure,
    FormStore,
    MessageRepository,
    OutboxRepository,
    ProgrammeLog,
    RecordStore,
    ReferralRepository,
    ReportSource,
    RosterChanges,
    StepLog,
    SurveyRepository,
)


class UnitOfWork(Protocol):
    """One transaction over every repository. Leaving the block without commit rolls back.
    A unique-key or lock conflict surfaces as `triage.domain.errors.Conflict`. It acts for one
    office (`office_id`): what it creates belongs to that office."""

    office_id: str
    clients: ClientRepository
    contacts: ContactRepository
    conversations: ConversationRepository
    messages: MessageRepository
    steps: StepLog
    outbox: OutboxRepository
    cursors: CursorStore
    forms: FormStore
    deadlines: DeadlineRepository
    roster: RosterChanges
    casefiles: CaseFileRepository
    programme: ProgrammeLog
    records: RecordStore
    audit: AuditLog
    grants: CaseGrants
    reports: ReportSource
    referrals: ReferralRepository
    surveys: SurveyRepository
    appointments: AppointmentRepository
    erasure: Erasure

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...

    def pause(self, attempt: int) -> None:
        """Wait a little before retry `attempt` after a Conflict (the winner commits)."""
