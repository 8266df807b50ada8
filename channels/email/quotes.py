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
# A reply header in any language ("Am 23.11.2026 um 10:15 schrieb Siti <s@x>:"): a date or an
# address in it, and a colon at its end. A line of the client's own ("Ini pesan suami saya:")
# has neither, so what they quote themselves stays shown.
HEADER_LINE = re.compile(r"^(?=.*(?:\d|@)).{6,300}:\s*$")


def latest_reply(text: str) -> str:
    """What the sender wrote this time; the whole text when nothing is recognisably quoted (a
    message is never reduced to nothing)."""
    below = "\n".join(_after_leading_quote(text.split("\n")))
    message = EmailMessage(text=below, languages=list(LANGUAGES), keep_hyphen_lists=True).read()
    reply = message.replies[0].full_body if message.replies else below
    lines = reply.split("\n")
    popped = False
    while lines and (QUOTE_LINE.match(lines[-1]) or not lines[-1].strip()):
        last = lines.pop()  # a trailing "> …" block
        popped = popped or bool(QUOTE_LINE.match(last))
    if popped and lines and HEADER_LINE.match(lines[-1]):
        lines.pop()  # its header, in a language the rules do not list
    reply = "\n".join(lines).strip()
    return reply or text.strip()


def _after_leading_quote(lines: list[str]) -> list[str]:
    """Written below the quote (bottom-posting: Thunderbird, Apple Mail): a reply header and
    the quoted block under it go, when the sender wrote something after them."""
    at = next((n for n, line in enumerate(lines) if line.strip()), None)
    if at is None or not HEADER_LINE.match(lines[at]):
        return lines
    end = at + 1
    while end < len(lines) and (QUOTE_LINE.match(lines[end]) or not lines[end].strip()):
        end += 1
    quoted = any(QUOTE_LINE.match(line) for line in lines[at + 1 : end])
    rest = lines[end:]
    return rest if quoted and any(line.strip() for line in rest) else lines
