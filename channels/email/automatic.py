"""Mail written by a machine (RFC 3834): auto-replies, bounces, lists. It is stored and shown to
staff, but never answered automatically and starts no response timer, so two robots can never
write to each other for ever."""

from __future__ import annotations

from email.message import Message

BULK_PRECEDENCE = {"bulk", "list", "junk", "auto_reply"}
ROBOT_SENDERS = {"mailer-daemon", "postmaster"}
AUTOREPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Failed-Recipients")


def automatic_reason(msg: Message, from_address: str) -> str | None:
    """Why this mail is automatic (the header that says so), or None for a person's mail."""
    auto_submitted = str(msg.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted[:40]}"
    for header in AUTOREPLY_HEADERS:
        if msg.get(header) is not None:
            return header
    precedence = str(msg.get("Precedence", "")).strip().lower()
    if precedence in BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    for header in msg.keys():
        if header.lower().startswith("list-"):
            return header
    if msg.get_content_type() == "multipart/report":
        return "multipart/report"
    if from_address.split("@", 1)[0].lower() in ROBOT_SENDERS:
        return "sender " + from_address.split("@", 1)[0].lower()
    if str(msg.get("Return-Path", "")).strip() == "<>":
        return "Return-Path: <>"
    return None
