"""The complaint workflow (seed 004, issue 6 item 5). When triage sorts a conversation as
`pengaduan`, a complaint file opens: the complainant is told it is recorded, by when it will be
settled (4 working days) and which facts are still needed; the facts come as "Label: value"
lines from the complainant or from staff (/pengaduan). Then the head's disposition to a division
(/disposisi), clarification (/klarifikasi), the response to the complainant with a request for
feedback (/tanggapan), the feedback recorded from the complainant's next message, and the
closing report (/selesai). A reminder falls a working day before the deadline, the escalation
to the head at it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from triage import access, casefile, casework, notices
from triage.casefile import (
    COMPLAINT,
    CaseFile,
    WorkflowSetup,
    facts_text,
    in_transaction,
    merged,
    missing,
    questions,
    read_facts,
    store_new,
    tell_client,
    tell_topic,
    text_field,
)
from triage.identity_form import FormSpec
from triage.model import Actor, Conversation, Outcome, StoredMessage
from triage.notices import Kind
from triage.ports import UnitOfWork, UnitOfWorkFactory
from triage.replies import reply_to_client

RECORDING = "recording"  # facts still missing
WAITING = "waiting_disposition"  # complete: the head decides who handles it
DISPOSED = "disposed"  # with a division: clarification, investigation, mediation
RESPONDED = "responded"  # the response sent, the complainant's feedback awaited
FEEDBACK = "feedback"  # the feedback recorded: the closing report remains
CLOSED = "closed"

COMPLAINT_FORM = FormSpec(
    (
        text_field(
            "pengaduan",
            "Apa yang Anda adukan (singkat)?",
            "What is your complaint (briefly)?",
            "aduan",
            "complaint",
            max_len=2000,
        ),
        text_field(
            "nama",
            "Nama jelas pengadu:",
            "Your full name:",
            "nama pengadu",
            "name",
            max_len=80,
            personal=True,
        ),  # fmt: skip
        text_field(
            "alamat",
            "Alamat jelas pengadu:",
            "Your address:",
            "address",
            personal=True,
            kind="address",
        ),
        text_field(
            "terlapor",
            "Siapa yang diadukan (nama, jabatan atau unit)?",
            "Who is the complaint about (name, position or unit)?",
            "pihak terlapor",
            "reported",
            personal=True,
        ),
        text_field(
            "objek", "Layanan atau hal yang diadukan:", "The service or matter:", "obyek", "object"
        ),  # fmt: skip
        text_field("waktu", "Kapan kejadiannya?", "When did it happen?", "waktu kejadian", "time"),
        text_field(
            "tempat", "Di mana kejadiannya?", "Where did it happen?", "tempat kejadian", "place"
        ),  # fmt: skip
        text_field(
            "kronologi",
            "Kronologi kejadian (satu paragraf):",
            "What happened, in order (one paragraph):",
            "kronologis",
            "chronology",
            max_len=3000,
        ),
    )
)


def open_file(
    uow: UnitOfWork, conv: Conversation, story: str, setup: WorkflowSetup, now: datetime
) -> CaseFile | None:
    """Open the complaint file of `conv` (once), told to the complainant and the admin topic."""
    assert conv.id is not None
    if uow.casefiles.get(conv.id) is not None:
        return None
    days = setup.complaint_days
    due = setup.calendar.add_working_days(now, days)
    remind = setup.calendar.add_working_days(now, days - 1) if days > 1 else now
    facts = read_facts(COMPLAINT_FORM, story, now.date())
    if "pengaduan" not in facts and story.strip():
        facts["pengaduan"] = " ".join(story.split())[:2000]
    cf = CaseFile(conv.id, COMPLAINT, RECORDING, facts, now, due)
    cf = _settle(cf)
    store_new(uow, cf, conv, remind)
    casework.log_steps(uow, conv, ["complaint_opened"], now)
    ask = missing(COMPLAINT_FORM, cf.facts)
    body = setup.texts["complaint.received"].format(due=setup.when(due))
    if ask:
        body += "\n\n" + setup.texts["complaint.ask"] + "\n\n"
        body += questions(COMPLAINT_FORM, setup.lang, ask)
    tell_client(uow, conv, f"complaint:{conv.id}:opened", body, now)
    tell_topic(uow, conv, COMPLAINT_FORM, cf, "complaint_opened", now, due=setup.when(due))
    return cf


def on_client_messages(
    uow: UnitOfWork,
    conv: Conversation,
    cf: CaseFile,
    messages: list[StoredMessage],
    setup: WorkflowSetup,
    now: datetime,
) -> CaseFile:
    """Inside the relay: facts the complainant sends are recorded; after the response, the
    next message is the complainant's feedback."""
    changed = cf
    for m in messages:
        if m.auto_generated or not m.text:
            continue
        if changed.status == RESPONDED:
            data = {**changed.data, "feedback": m.text[:2000], "feedback_at": now.isoformat()}
            changed = replace(changed, status=FEEDBACK, data=data)
            tell_topic(uow, conv, COMPLAINT_FORM, changed, "complaint_feedback", now)
            continue
        if changed.status == RECORDING:
            given = read_facts(COMPLAINT_FORM, m.text, now.date())
            if given:
                changed = _settle(merged(changed, given))
    if changed != cf:
        uow.casefiles.save(changed)
        if cf.status == RECORDING and changed.status == WAITING:
            _complete(uow, conv, changed, setup, now)
    return changed


def _complete(
    uow: UnitOfWork, conv: Conversation, cf: CaseFile, setup: WorkflowSetup, now: datetime
) -> None:
    """Every fact is in: the topic hears it, and the heads get the complaint for disposition
    (seed 004: the admin forwards it to the head)."""
    assert conv.id is not None
    tell_topic(uow, conv, COMPLAINT_FORM, cf, "complaint_complete", now)
    for head in setup.heads:
        notices.queue(
            uow,
            key=f"complaint-disposition:{conv.id}:{head}",
            recipient=notices.staff(head),
            kind=Kind.STATUS,
            now=now,
            conv=conv,
            event="complaint_for_disposition",
            text=summary(cf),
            due=setup.when(cf.due_at),
        )


def _settle(cf: CaseFile) -> CaseFile:
    if cf.status == RECORDING and not missing(COMPLAINT_FORM, cf.facts):
        return replace(cf, status=WAITING)
    return cf


# --- staff steps, each its own transaction ---------------------------------------------------


def start(conv_id: int, **kwargs: Any) -> CaseFile:
    """Staff open the file by hand (triage.casefile.start)."""
    return casefile.start(conv_id, open_file, **kwargs)


def record(
    conv_id: int, lines: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime,
) -> tuple[CaseFile, list[str]]:  # fmt: skip
    """/pengaduan with "Label: value" lines: the facts staff heard (by phone, in person).
    Returns the file and the names of the facts recorded."""

    def step(uow: UnitOfWork, conv: Conversation) -> tuple[CaseFile, list[str]]:
        access.require(access.may_edit_form(actor, conv), actor, "record_complaint")
        cf = casefile.file_of(uow, conv_id, COMPLAINT)
        given = read_facts(COMPLAINT_FORM, lines, now.date())
        changed = _settle(merged(cf, given))
        uow.casefiles.save(changed)
        if cf.status == RECORDING and changed.status == WAITING:
            _complete(uow, conv, changed, setup, now)
        return changed, list(given)

    return in_transaction(conv_id, uow_factory, step)


def dispose(
    conv_id: int, division: str, note: str, *, actor: Actor, uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> CaseFile:  # fmt: skip
    """/disposisi: the head sends the complaint to the division that handles it."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_dispose(actor), actor, "dispose_complaint")
        cf = casefile.file_of(uow, conv_id, COMPLAINT)
        data = {**cf.data, "division": division[:100], "disposition": note[:1000],
                "disposed_at": now.isoformat()}  # fmt: skip
        status = cf.status if cf.status in (RESPONDED, FEEDBACK, CLOSED) else DISPOSED
        changed = replace(cf, status=status, data=data)
        uow.casefiles.save(changed)
        tell_topic(
            uow, conv, COMPLAINT_FORM, changed, "complaint_disposed", now, division=division[:100]
        )
        return changed

    return in_transaction(conv_id, uow_factory, step)


def clarify(
    conv_id: int, note: str, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime
) -> CaseFile:
    """/klarifikasi: what the clarification, investigation or mediation found (kept, dated)."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_edit_form(actor, conv), actor, "clarify_complaint")
        cf = casefile.file_of(uow, conv_id, COMPLAINT)
        notes = [*cf.data.get("clarifications", []), {"at": now.isoformat(), "text": note[:2000]}]
        changed = replace(cf, data={**cf.data, "clarifications": notes})
        uow.casefiles.save(changed)
        return changed

    return in_transaction(conv_id, uow_factory, step)


def respond(
    conv_id: int, answer: str, *, actor: Actor, setup: WorkflowSetup,
    uow_factory: UnitOfWorkFactory, now: datetime, key: str,
) -> CaseFile:  # fmt: skip
    """/tanggapan: the response goes to the complainant, with a request for feedback."""
    body = f"{answer}\n\n{setup.texts['complaint.feedback']}"
    reply_to_client(conv_id, body, actor=actor, idempotency_key=key, uow_factory=uow_factory,
                    now=now)  # fmt: skip

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        cf = casefile.file_of(uow, conv_id, COMPLAINT)
        data = {**cf.data, "response": answer[:3000], "responded_at": now.isoformat()}
        changed = replace(cf, status=RESPONDED, data=data)
        uow.casefiles.save(changed)
        tell_topic(uow, conv, COMPLAINT_FORM, changed, "complaint_responded", now)
        return changed

    return in_transaction(conv_id, uow_factory, step)


def finish(
    conv_id: int, report: str, *, actor: Actor, uow_factory: UnitOfWorkFactory, now: datetime,
    heads: tuple[int, ...] = (),
) -> CaseFile:  # fmt: skip
    """/selesai: the closing report; the complaint and its conversation close (tuntas)."""

    def step(uow: UnitOfWork, conv: Conversation) -> CaseFile:
        access.require(access.may_edit_form(actor, conv), actor, "finish_complaint")
        cf = casefile.file_of(uow, conv_id, COMPLAINT)
        data = {**cf.data, "report": report[:3000]}
        changed = replace(cf, status=CLOSED, data=data, closed_at=now)
        uow.casefiles.save(changed)
        tell_topic(uow, conv, COMPLAINT_FORM, changed, "complaint_closed", now)
        return changed

    done = in_transaction(conv_id, uow_factory, step)
    with uow_factory() as uow:
        conv = uow.conversations.get(conv_id)
    if conv is not None and conv.is_open:
        casework.close(conv_id, Outcome.TUNTAS, actor=actor, uow_factory=uow_factory, now=now,
                       heads=heads, key=f"complaint-close:{conv_id}")  # fmt: skip
    return done


def summary(cf: CaseFile) -> str:
    """The file's facts as "Label: value" lines (for the card staff see)."""
    return facts_text(COMPLAINT_FORM, cf.facts)
