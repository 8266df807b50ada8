"""Quoted history stripped for display (the original is kept): mail-parser-reply, taught the
Indonesian forms of Gmail ("Pada … menulis:"), Yahoo and Outlook ("Dari: … Dikirim: …")."""

from __future__ import annotations

import re

from mailparser_reply import constants
from mailparser_reply.parser import EmailMessage

_QUOTED = constants.QUOTED_MATCH_INCLUDE
constants.MAIL_LANGUAGES.setdefault(
    "id",
    {
        "wrote_header": r"^(" + _QUOTED + r"Pada\s(?:.+?\s?.+?)\s?menulis\s?:)$",
        "from_header": r"((?:(?:^|\n|\n"
        + _QUOTED
        + r")[* ]*(?:Dari|Dikirim|Kepada|Untuk|Subjek|Perihal|Tanggal|Cc|Tembusan):[ *]*"
        r"(?:\s{,2}).*){2,}(?:\n.*){,1})",
        "disclaimers": [],
        "signatures": [],
        "sent_from": "Dikirim dari",
    },
)
LANGUAGES = ["id", "en"]
QUOTE_LINE = re.compile(r"^\s*>")


def latest_reply(text: str) -> str:
    """What the sender wrote this time; the whole text when nothing is recognisably quoted (a
    message is never reduced to nothing)."""
    message = EmailMessage(text=text, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    reply = message.replies[0].full_body if message.replies else text
    lines = reply.split("\n")
    while lines and (QUOTE_LINE.match(lines[-1]) or not lines[-1].strip()):
        lines.pop()  # a trailing "> …" block with no header line before it
    reply = "\n".join(lines).strip()
    return reply or text.strip()
