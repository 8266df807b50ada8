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

from dataclasses import replace

from triage.domain.forms.spec import FormSpec
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
