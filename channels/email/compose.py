"""An outgoing reply as a MIME message: threaded (In-Reply-To, References, "Re:" subject), our
automatic replies marked `Auto-Submitted: auto-replied` (RFC 3834), and a Message-ID derived from
the outbox key, so a resend after a crash carries the same id (docs/OUTBOX.md)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from channels.email.parse import MSGID


def message_id_for(key: str, from_address: str, *, discreet: bool = False) -> str:
    """Ours, found again in Sent after a crash; a discreet mail's names no program."""
    domain = from_address.rsplit("@", 1)[-1] or "localhost"
    prefix = "" if discreet else "puspaga."
    return f"<{prefix}{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def reply_subject(subject: str | None, default: str) -> str:
    subject = " ".join((subject or "").split())
    if not subject:
        return default
    return subject if subject[:3].lower() == "re:" else f"Re: {subject}"


def compose(
    *,
    key: str,
    to: str,
    body: str,
    from_address: str,
    from_name: str,
    options: dict[str, str],
    default_subject: str,
    now: datetime,
    discreet_subject: str = "",
) -> EmailMessage:
    msg = EmailMessage()
    # a discreet mail (triage.domain.privacy.safe_contact): no office name beside the address,
    # a neutral subject, not in the client's thread
    discreet = bool(options.get("discreet"))
    msg["From"] = formataddr(("" if discreet else from_name, from_address))
    msg["To"] = to
    started = options.get("new_subject")  # a mail we start (an alarm to the head): no "Re:"
    if discreet:
        msg["Subject"] = discreet_subject or default_subject
    else:
        msg["Subject"] = started or reply_subject(options.get("subject"), default_subject)
    msg["Message-ID"] = message_id_for(key, from_address, discreet=discreet)
    msg["Date"] = format_datetime(now)
    found = MSGID.match(options.get("in_reply_to", ""))  # "<id>#sender" in the inbox
    if found and not discreet:  # not a digest id ("sha256:…") of a mail that had no Message-ID
        parent = found.group(0)
        msg["In-Reply-To"] = parent
        msg["References"] = " ".join([*options.get("references", "").split(), parent])
    if options.get("auto_reply"):
        msg["Auto-Submitted"] = "auto-replied"
    elif started:
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: an answering robot must not answer
    msg.set_content(body)
    return msg
