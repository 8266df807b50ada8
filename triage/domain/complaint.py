"""The complaint workflow (the complaint standard). When triage sorts a conversation as
`pengaduan`, a complaint file opens: the complainant is told it is recorded, by when it will be
settled (4 working days) and which facts are still needed; the facts come as "Label: value"
lines from the complainant or from staff (/pengaduan). Then the head's disposition to a division
(/disposisi), clarification (/klarifikasi), the response to the complainant with a request for
feedback (/tanggapan), the feedback recorded from the complainant's next message, and the
closing report (/selesai). A reminder falls a working day before the deadline, the escalation
to the head at it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from triage.domain.forms.spec import FormSpec
from triage.domain.model import StepRecord
from triage.domain.workflow import (
    CaseFile,
    facts_text,
    missing,
    text_field,
)

RECORDING = "recording"  # facts still missing
WAITING = "waiting_disposition"  # complete: the head decides who handles it
DISPOSED = "disposed"  # with a division: clarification, investigation, mediation
RESPONDED = "responded"  # the response sent, the complainant's feedback awaited
FEEDBACK = "feedback"  # the feedback recorded: the closing report remains
CLOSED = "closed"
OUTSIDE_REMIT = "outside_remit"  # the head decided it is not the office's to handle (reasons kept)

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


def settle(cf: CaseFile) -> CaseFile:
    if cf.status == RECORDING and not missing(COMPLAINT_FORM, cf.facts):
        return replace(cf, status=WAITING)
    return cf


def summary(cf: CaseFile) -> str:
    """The file's facts as "Label: value" lines (for the card staff see)."""
    return facts_text(COMPLAINT_FORM, cf.facts)


ANONYMOUS = frozenset({"anonim", "anonymous", "tanpa nama", "rahasia", "hamba allah", "-", "x"})


def anonymous(cf: CaseFile) -> bool:
    """A complainant who gave their name as none ("anonim"): handled last (the complaint
    standard). A name not given yet, or erased since, is not anonymity."""
    return " ".join((cf.facts or {}).get("nama", "").casefold().split()) in ANONYMOUS


# The complaint standard's 16 steps, each shown done by step-log entries (who, when). Steps 1-4
# happen as the complaint arrives: received on a channel (or registered by staff), in the admin
# group's topic, filed, sorted on the queue board (urgent first, anonymous last). Steps 8, 10
# and 11 are one action, /klarifikasi: what the division found, clarified, investigated or
# mediated. After an answer outside the remit, 8-14 do not apply, and the head's reasons are
# the handling report (15), sent to the complainant with them (16).
OPENED, FORWARDED, SHEET = "complaint_opened", "complaint_forwarded", "complaint_sheet"
DISPOSED_STEP, REMIT_STEP = "complaint_disposed", "complaint_outside_remit"
FACTS, CLARIFIED = "complaint_facts", "complaint_clarified"
RESPONDED_STEP, FEEDBACK_STEP = "complaint_responded", "complaint_feedback"
CLOSED_STEP, REPORT_SENT = "complaint_closed", "complaint_report_sent"
DELIVERED = "complaint_report_delivered"  # to a party among the staff (the reported, a division)
STEP_MARKS: tuple[tuple[str, ...], ...] = (
    (OPENED,), (OPENED,), (OPENED,), (OPENED,), (FORWARDED,), (SHEET,),
    (DISPOSED_STEP, REMIT_STEP), (CLARIFIED,), (FACTS,), (CLARIFIED,), (CLARIFIED,),
    (RESPONDED_STEP,), (RESPONDED_STEP,), (FEEDBACK_STEP,), (CLOSED_STEP, REMIT_STEP),
    (REPORT_SENT, REMIT_STEP, DELIVERED),
)  # fmt: skip
NOT_AFTER_REMIT = frozenset(range(8, 15))


@dataclass(frozen=True)
class StepDone:
    """One of the 16 steps: done (when, by whom; `staff_id` None: the bot or the client), not
    yet (`at` None), or not applicable to this complaint (`skipped`)."""

    number: int
    at: datetime | None = None
    staff_id: int | None = None
    skipped: bool = False


def trail(steps: Sequence[StepRecord], *, spoken: bool = False) -> list[StepDone]:
    """The 16 steps of a complaint from its conversation's step log. Not applicable: the
    interview (9) for a complaint complete in its first message, the disposition sheet (6) for
    one told by phone or in person (`spoken`) unless made, forwarding (5) once the head decided
    without it, and 8-14 not done before an answer outside the remit."""
    first: dict[str, StepRecord] = {}
    for record in sorted(steps, key=lambda r: r.at):
        first.setdefault(record.step, record)
    facts = [r for r in steps if r.step == FACTS]
    if facts:  # the interview is done when the last fact came in
        first[FACTS] = max(facts, key=lambda r: r.at)
    outside = REMIT_STEP in first
    decided = outside or DISPOSED_STEP in first
    done = []
    for number, marks in enumerate(STEP_MARKS, start=1):
        found = next((first[m] for m in marks if m in first), None)
        if found is not None:
            done.append(StepDone(number, found.at, found.staff_id))
        elif (
            (outside and number in NOT_AFTER_REMIT)
            or (number == 9 and FORWARDED in first)
            or (number == 6 and spoken)
            or (number == 5 and decided)
        ):
            done.append(StepDone(number, skipped=True))
        else:
            done.append(StepDone(number))
    return done


@dataclass(frozen=True)
class Paper:
    """What the disposition sheet and the handling report are written from."""

    file: CaseFile
    channel: str
    urgent: bool
    steps: Sequence[StepDone]


@dataclass(frozen=True)
class ComplaintFigures:
    """The month's complaints for the report (the complaint standard's performance figures):
    received, settled and settled by their deadline (4 working days), still open past it, by
    the object complained about and by the division the head gave them to."""

    received: int = 0
    anonymous: int = 0
    settled: int = 0
    on_time: int = 0
    outside_remit: int = 0  # of the settled: answered with the head's reasons, not handled
    overdue_open: int = 0
    by_object: Mapping[str, int] = field(default_factory=dict)
    by_division: Mapping[str, int] = field(default_factory=dict)


def figures(
    files: Sequence[CaseFile], start: datetime, end: datetime, now: datetime | None = None
) -> ComplaintFigures:
    """`now`: a month still running is counted up to now (what is overdue so far)."""
    mine = [f for f in files if f.kind == "pengaduan"]
    cutoff = min(end, now) if now is not None else end
    received = [f for f in mine if start <= f.opened_at < end]
    settled = [f for f in mine if f.closed_at is not None and start <= f.closed_at < end]
    objects = Counter(" ".join((f.facts or {}).get("objek", "").split())[:60] or "-"
                      for f in received)  # fmt: skip
    divisions = Counter(str((f.data or {}).get("division") or "-")[:60] for f in received)
    return ComplaintFigures(
        received=len(received),
        anonymous=sum(anonymous(f) for f in received),
        settled=len(settled),
        on_time=sum(f.closed_at is not None and f.closed_at <= f.due_at for f in settled),
        outside_remit=sum(f.status == OUTSIDE_REMIT for f in settled),
        overdue_open=sum(
            f.opened_at < cutoff
            and f.due_at < cutoff
            and (f.closed_at is None or f.closed_at >= cutoff)
            for f in mine
        ),  # open at the month's end (or now) and past its deadline, whenever it closed later
        by_object=dict(objects),
        by_division=dict(divisions),
    )
