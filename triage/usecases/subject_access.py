"""The data subject's right of access (UU 27/2022): everything the office holds
about one client, in one structure the shell writes as JSON and as a readable file. Only the
head exports; the export itself goes into the audit log, as do the records it opens.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from triage.domain.errors import AccessDenied, NotFound
from triage.domain.intake import INTAKE, OFFLINE, IncomingReferral
from triage.domain.model import Actor, Role
from triage.domain.records import AuditEntry, Sealer
from triage.ports import UnitOfWorkFactory


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_client(
    client_id: int,
    *,
    actor: Actor,
    sealer: Sealer,
    uow_factory: UnitOfWorkFactory,
    now: datetime,
) -> dict[str, Any]:
    with uow_factory() as uow:
        if actor.role is not Role.HEAD:
            denied = AuditEntry(
                now, actor.staff_id, actor.role.value, "client.export.denied", None,
                f"client {client_id}",
            )  # fmt: skip
            uow.audit.append(denied)
            uow.commit()
            raise AccessDenied(actor.staff_id, "export_client")
        client = uow.clients.get(client_id)
        if client is None:
            raise NotFound(f"client {client_id}")
        conversations = []
        for conv in sorted(uow.conversations.all_for_client(client_id), key=lambda c: c.id or 0):
            assert conv.id is not None
            form = uow.forms.get(conv.id)
            casefile = uow.casefiles.get(conv.id)
            versions = uow.records.versions(conv.id)
            conversations.append(
                {
                    "id": conv.id,
                    "state": conv.state.value,
                    "outcome": conv.outcome.value if conv.outcome else None,
                    "category": conv.category,
                    "urgent": conv.urgent,
                    "round": conv.round,
                    "steps": {k: _iso(v) for k, v in conv.steps.as_dict().items()},
                    "identity_form": dict(form.answers) if form else None,
                    "register_no": form.register_no if form else None,
                    "case_file": (
                        {
                            "kind": casefile.kind,
                            "status": casefile.status,
                            "facts": dict(casefile.facts),
                            "data": dict(casefile.data),
                        }
                        if casefile
                        else None
                    ),  # fmt: skip
                    "messages": [
                        {
                            "at": _iso(m.created_at),
                            "direction": m.direction.value,
                            "channel": m.channel.value,
                            "text": m.text,
                            "attachments": [a.filename for a in m.attachments],
                            "internal_note": m.internal,
                            "written_by_staff": m.external_id.startswith(INTAKE),
                        }
                        for m in uow.messages.for_conversation(conv.id)
                    ],
                    "psychological_record": [
                        {
                            "version": v.version,
                            "written_at": _iso(v.written_at),
                            "parts": json.loads(sealer.open(v.sealed)),
                        }
                        for v in versions
                    ],
                    "access_log": [
                        {"at": _iso(e.at), "staff_id": e.staff_id, "action": e.action}
                        for e in uow.audit.entries(conv.id)
                    ],
                    "referrals": [
                        {
                            "round": r.round,
                            "at": _iso(r.at),
                            "target": r.target,
                            "addressee": r.addressee,
                            "reason": r.reason,
                        }
                        for n in range(1, conv.round + 1)
                        if (r := uow.referrals.get(conv.id, n)) is not None
                    ],  # fmt: skip
                    "referred_by": _referred_by(uow.referrals.incoming(conv.id)),
                    "sessions": [
                        {"at": _iso(a.at), "place": a.place, "status": a.status}
                        for a in uow.appointments.for_conversation(conv.id)
                    ],
                    "surveys": [
                        {
                            "round": v.round,
                            "asked_at": _iso(v.asked_at),
                            "answered_at": _iso(v.answered_at),
                            "scores": list(v.scores),
                            "comment": v.comment,
                        }
                        for n in range(1, conv.round + 1)
                        if (v := uow.surveys.get(conv.id, n)) is not None
                    ],  # fmt: skip
                }
            )
            if versions:
                uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value,
                                            "record.read", conv.id, "export"))  # fmt: skip
        contacts = [
            {
                "channel": c.channel.value,
                "address": None if c.channel in OFFLINE else c.external_id,  # none: met offline
                "name": c.display_name,
            }
            for c in uow.contacts.for_client(client_id)
        ]
        uow.audit.append(AuditEntry(now, actor.staff_id, actor.role.value, "client.exported",
                                    None, f"client {client_id}"))  # fmt: skip
        uow.commit()
    return {
        "exported_at": _iso(now),
        "client": {"id": client.id, "name": client.display_name, "since": _iso(client.created_at)},
        "contacts": contacts,
        "conversations": conversations,
    }


def _referred_by(referral: IncomingReferral | None) -> dict[str, str | None] | None:
    if referral is None:
        return None
    day = referral.letter_date.isoformat() if referral.letter_date else None
    return {"origin": referral.origin, "letter_number": referral.letter_number, "letter_date": day}
