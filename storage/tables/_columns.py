"""What the tables' columns share."""

from __future__ import annotations

from sqlalchemy import Column

from storage.types import UtcDateTime
from triage.domain.model import DEFAULT_OFFICE

# Which office a row belongs to: on the rows found without a client or a conversation to follow
# (and on clients and conversations themselves). One install serves the default office today.
OFFICE = {"server_default": DEFAULT_OFFICE}


def _time(nullable: bool = True, index: bool = False) -> Column:
    return Column(UtcDateTime(), nullable=nullable, index=index)
