"""Linking two contacts merges their open conversations: the merged-away one's record,
surveys, referrals and grants follow the survivor (on the fakes, SQLite and PostgreSQL);
a merge never fails on them."""

from datetime import timedelta

from tests.builders import ADMIN, COUNSELOR, HEAD, T0, inbound
from tests.fakes import FakeSealer
from triage.domain.model import Channel, Outcome
from triage.usecases import casework, records
from triage.usecases.identity import link_contacts
from triage.usecases.ingest import ingest


def test_a_merge_carries_the_record_and_the_survey_along(any_uows):
    uows, box = any_uows, FakeSealer()
    common = {"uow_factory": uows, "now": T0}
    first = ingest(inbound(1, sender="a"), **common).conversation_id
    casework.hand_off(first, actor=ADMIN, **common)
    casework.claim(first, actor=COUNSELOR, **common)
    records.write(first, "Keluhan: cemas", actor=COUNSELOR, sealer=box, **common)
    casework.close(first, Outcome.TUNTAS, actor=COUNSELOR, survey_question="Nilai?", **common)
    later = T0 + timedelta(hours=1)
    reopened = ingest(inbound(2, sender="a", text="Saya masih bingung", at=later),
                      uow_factory=uows, now=later)  # fmt: skip
    assert reopened.reopened and reopened.conversation_id == first
    other = ingest(inbound(3, channel=Channel.EMAIL, sender="a@mail.example"), **common)
    second = other.conversation_id
    casework.hand_off(second, actor=ADMIN, **common)
    casework.claim(second, actor=COUNSELOR, **common)
    records.write(second, "Asesmen: stres", actor=COUNSELOR, sealer=box, **common)
    with uows() as uow:
        keep = uow.contacts.find(Channel.EMAIL, "a@mail.example").id
        merge = uow.contacts.find(Channel.HOTLINE, "a").id
    link_contacts(keep, merge, actor=HEAD, uow_factory=uows, now=later)
    with uows() as uow:
        assert uow.conversations.get(first) is None  # merged away into the counselor's case
        versions = uow.records.versions(second)
        assert [v.version for v in versions] == [1, 2]
        assert [box.open(v.sealed) for v in versions] == [
            b'{"asesmen": "stres"}',
            b'{"keluhan": "cemas"}',
        ]
        assert uow.surveys.get(second, 1) is not None
