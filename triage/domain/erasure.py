"""Erasure (UU 27/2022 Pasal 42–44): on a client's request, and when a kind of
data has been kept its retention period after the case closed, the personal content is blanked
and what the reports count is kept (channel, category, dates, outcome, gender and age, the SOP
steps), so the monthly and yearly figures stay true.

One pass serves both: `erase` blanks the chosen kinds of one conversation and marks when, so
a purge does not do the same work twice, while a case reopened after a purge is due again
when it closes, and a request erases everything whatever was purged before.
Files (attachments, letters) are removed through the shell's `remove` before the commit: a
crash leaves the rows to be erased again, never a row pointing at a file thought gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# What each kind blanks (storage.repositories.erasure does it in SQL, tests/fakes.py in memory):
KINDS: Mapping[str, str] = {
    "messages": "message texts, subjects and ids; our replies' texts and addresses; survey "
    "comments; referral reasons; the places of sessions (those still ahead are cancelled)",
    "attachments": "attachment files and their names",
    "forms": "identity-form answers except gender and age (the report counts them)",
    "case_files": "complaint and psychoeducation facts and decisions",
    "records": "the psychological record (every version), referral letters, and the number "
    "and date of the letter the client was referred with (the referring body is kept)",
    "identity": "the client's name and their addresses on every channel",
}
ALL_KINDS = tuple(KINDS)
KEPT_ANSWERS = ("jenis_kelamin", "usia")


@dataclass(frozen=True)
class LegalHold:
    """The head holds a case handled by the police, a court or UPTD PPA: none of its data is
    purged or erased on request, nor the client's name and addresses, until the hold is lifted
    (both audited)."""

    conversation_id: int
    by: int
    at: datetime
    reason: str


@dataclass(frozen=True)
class Retention:
    """Days a kind is kept after its case closed; None keeps it."""

    days: Mapping[str, int | None]

    def cutoff(self, kind: str, now: datetime) -> datetime | None:
        days = self.days.get(kind)
        return None if days is None else now - timedelta(days=days)
