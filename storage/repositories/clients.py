"""Clients and their contacts (one per channel address), and the ingest's one-round-trip
lookup of a sender with their open conversation."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import and_, bindparam, delete, insert, select, update

from storage import mapping
from storage.fast import FastStatement
from storage.repositories._base import (
    Repo,
    by_id,
    client_t,
    contact_t,
    conv_t,
    is_open,
    returned_id,
)
from triage.domain.model import Channel, Client, Contact, OpenConversation, State

CLIENT_INSERT = FastStatement(
    insert(client_t).returning(client_t.c.id), keys=["display_name", "created_at", "office_id"]
)
CLIENT_GET = select(client_t).where(by_id(client_t))
CLIENT_LOCK = select(client_t.c.id).where(by_id(client_t)).with_for_update()
CLIENT_DELETE = delete(client_t).where(by_id(client_t))
CLIENT_CONSENT = (
    update(client_t)
    .where(by_id(client_t))
    .values(consent=bindparam("_consent"), consent_at=bindparam("_at"))
)

CLIENT_SAFE_CONTACT = (
    update(client_t).where(by_id(client_t)).values(safe_contact=bindparam("_prefs"))
)


class SqlClients(Repo):
    def add(self, client: Client) -> Client:
        params = {
            "display_name": client.display_name,
            "created_at": client.created_at,
            "office_id": client.office_id,
        }
        return replace(client, id=returned_id(CLIENT_INSERT, self.conn, params))

    def get(self, client_id: int) -> Client | None:
        row = self.conn.execute(CLIENT_GET, {"_id": client_id}).first()
        return mapping.client(row) if row else None

    def lock(self, client_id: int) -> None:
        if self.locks:
            self.conn.execute(CLIENT_LOCK, {"_id": client_id})

    def delete(self, client_id: int) -> None:
        self.conn.execute(CLIENT_DELETE, {"_id": client_id})

    def set_consent(self, client_id: int, consent: str | None, at: datetime) -> None:
        self.conn.execute(CLIENT_CONSENT, {"_id": client_id, "_consent": consent, "_at": at})

    def set_safe_contact(self, client_id: int, prefs: str | None) -> None:
        self.conn.execute(CLIENT_SAFE_CONTACT, {"_id": client_id, "_prefs": prefs})


CONTACT_FIND = select(contact_t).where(
    contact_t.c.channel == bindparam("_channel"), contact_t.c.external_id == bindparam("_ext")
)
CONTACT_GET = select(contact_t).where(by_id(contact_t))
CONTACT_INSERT = FastStatement(
    insert(contact_t).returning(contact_t.c.id),
    keys=["client_id", "channel", "external_id", "display_name"],
)
CONTACT_FOR_CLIENT = (
    select(contact_t).where(contact_t.c.client_id == bindparam("_client")).order_by(contact_t.c.id)
)
CONTACT_MOVE_CLIENT = (
    update(contact_t)
    .where(contact_t.c.client_id == bindparam("_from"))
    .values(client_id=bindparam("_to"))
)
_open_conv = conv_t.alias("open_conv")
CONTACT_FOR_INGEST = (
    select(contact_t, _open_conv.c.id, _open_conv.c.state, _open_conv.c.counselor_id)
    .select_from(
        contact_t.outerjoin(
            _open_conv,
            and_(_open_conv.c.client_id == contact_t.c.client_id, is_open(_open_conv)),
        )
    )
    .where(
        contact_t.c.channel == bindparam("_channel"), contact_t.c.external_id == bindparam("_ext")
    )
)
CONTACT_FOR_INGEST = FastStatement(CONTACT_FOR_INGEST)
_CONTACT_COLUMNS = [c.name for c in contact_t.c]


class SqlContacts(Repo):
    def find(self, channel: Channel, external_id: str) -> Contact | None:
        params = {"_channel": channel.value, "_ext": external_id}
        row = self.conn.execute(CONTACT_FIND, params).first()
        return mapping.contact(row) if row else None

    def get(self, contact_id: int) -> Contact | None:
        row = self.conn.execute(CONTACT_GET, {"_id": contact_id}).first()
        return mapping.contact(row) if row else None

    def add(self, contact: Contact) -> Contact:
        params = {
            "client_id": contact.client_id,
            "channel": contact.channel.value,
            "external_id": contact.external_id,
            "display_name": contact.display_name,
        }
        return replace(contact, id=returned_id(CONTACT_INSERT, self.conn, params))

    def for_client(self, client_id: int) -> list[Contact]:
        rows = self.conn.execute(CONTACT_FOR_CLIENT, {"_client": client_id})
        return [mapping.contact(r) for r in rows]

    def move_client(self, from_client: int, to_client: int) -> None:
        self.conn.execute(CONTACT_MOVE_CLIENT, {"_from": from_client, "_to": to_client})

    def find_for_ingest(
        self, channel: Channel, external_id: str
    ) -> tuple[Contact, OpenConversation | None] | None:
        row = CONTACT_FOR_INGEST.first(self.conn, {"_channel": channel.value, "_ext": external_id})
        if row is None:
            return None
        contact = mapping.contact_from(dict(zip(_CONTACT_COLUMNS, row, strict=False)))
        conv_id, state, counselor_id = row[-3:]
        if conv_id is None:
            return contact, None
        return contact, OpenConversation(conv_id, State(state), counselor_id)
