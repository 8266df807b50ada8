"""The head's legal hold (/tahan_hukum, triage.domain.erasure.LegalHold) on the fakes, SQLite
and PostgreSQL: a held case is neither purged nor erased on request, its client's name and
addresses stay, both are audited and the topic told; lifted, retention applies again."""

from datetime import timedelta

import pytest

from tests.builders import ADMIN, HEAD, T0
from tests.storage.test_erasure import a_referred_case, remover
from triage.domain import erasure
from triage.domain.errors import AccessDenied, OnLegalHold
from triage.usecases import erasure as erasure_cases

EVERYTHING = erasure.Retention({kind: 30 for kind in erasure.ALL_KINDS})
POLICE = "Polres Contoh, LP/123/XII/2026"


def hold(uows, conv, reason, actor=HEAD, key="h1"):
    return erasure_cases.hold(conv, reason, actor=actor, uow_factory=uows, now=T0, key=key)


def test_a_held_case_is_not_purged_until_the_hold_is_lifted(any_uows, tmp_path):
    held, _ = a_referred_case(any_uows, tmp_path, "client-held", T0)
    other, _ = a_referred_case(any_uows, tmp_path, "client-other", T0)
    assert hold(any_uows, held, POLICE).reason == POLICE
    later = T0 + timedelta(days=40)
    done = erasure_cases.purge(EVERYTHING, uow_factory=any_uows, now=later, remove=remover([]))
    assert all(count == 1 for count in done.values())  # the other case only
    with any_uows() as uow:
        assert "Suami saya memukul saya" in {m.text for m in uow.messages.for_conversation(held)}
        assert {m.text for m in uow.messages.for_conversation(other)} == {""}
        client = uow.clients.get(uow.conversations.get(held).client_id)
        assert client.display_name == "Ibu Sari Dewi"  # the identity stays with the case
        actions = [(e.action, e.detail) for e in uow.audit.entries() if e.conversation_id == held]
    assert ("legal_hold.placed", POLICE) in actions
    hold(any_uows, held, None, key="h2")  # lifted
    with any_uows() as uow:
        told = [o.options.get("event") for o in uow.outbox.for_conversation(held)]
    assert "legal_hold" in told and "legal_hold_lifted" in told  # in the case's topic
    done = erasure_cases.purge(EVERYTHING, uow_factory=any_uows, now=later, remove=remover([]))
    assert all(count == 1 for count in done.values())  # now the held one
    with any_uows() as uow:
        assert {m.text for m in uow.messages.for_conversation(held)} == {""}
        assert uow.erasure.hold_of(held) is None
        lifted = [e for e in uow.audit.entries() if e.action == "legal_hold.lifted"]
    assert [e.detail for e in lifted] == [POLICE]


def test_a_request_to_erase_a_held_client_is_refused_and_audited(any_uows, tmp_path):
    held, _ = a_referred_case(any_uows, tmp_path, "client-held", T0)
    hold(any_uows, held, POLICE)
    with any_uows() as uow:
        client_id = uow.conversations.get(held).client_id
    with pytest.raises(OnLegalHold) as refused:
        erasure_cases.forget_client(client_id, actor=HEAD, uow_factory=any_uows, now=T0,
                                    remove=remover([]))  # fmt: skip
    assert refused.value.conv_ids == [held]
    with any_uows() as uow:
        assert uow.clients.get(client_id).display_name == "Ibu Sari Dewi"
        assert [e.action for e in uow.audit.entries()][-1] == "client.erase.held"


def test_only_the_head_holds_a_case_and_a_refusal_is_audited(any_uows, tmp_path):
    held, _ = a_referred_case(any_uows, tmp_path, "client-held", T0)
    with pytest.raises(AccessDenied):
        hold(any_uows, held, POLICE, actor=ADMIN)
    with any_uows() as uow:
        assert uow.erasure.hold_of(held) is None
        assert [e.action for e in uow.audit.entries()][-1] == "legal_hold.placed.denied"


def test_the_clients_name_stays_while_any_of_their_cases_is_held(any_uows, tmp_path):
    from tests.builders import inbound
    from triage.domain.model import Outcome
    from triage.usecases import casework
    from triage.usecases.ingest import ingest

    held, _ = a_referred_case(any_uows, tmp_path, "client-1", T0)
    later = T0 + timedelta(days=10)  # the same client again: a second, unheld case
    second = ingest(inbound(5, text="Saya kembali", at=later), uow_factory=any_uows, now=later)
    casework.close(second.conversation_id, Outcome.TUNTAS, actor=HEAD, uow_factory=any_uows,
                   now=later)  # fmt: skip
    hold(any_uows, held, POLICE)
    keep = erasure.Retention({"identity": 5})
    done = erasure_cases.purge(keep, uow_factory=any_uows, now=later + timedelta(days=30),
                               remove=remover([]))  # fmt: skip
    assert done == {"identity": 0}
    with any_uows() as uow:
        assert uow.clients.get(uow.conversations.get(held).client_id).display_name != "(dihapus)"


def test_joining_a_held_case_with_another_keeps_the_hold_on_the_joined_case(any_uows):
    from tests.builders import inbound
    from triage.domain.model import Channel
    from triage.usecases.identity import link_contacts
    from triage.usecases.ingest import ingest

    first = ingest(inbound(1, sender="a"), uow_factory=any_uows, now=T0).conversation_id
    mail = inbound(1, channel=Channel.EMAIL, sender="a@example.com")
    other = ingest(mail, uow_factory=any_uows, now=T0).conversation_id
    hold(any_uows, other, POLICE)
    with any_uows() as uow:
        keep = uow.conversations.get(first).reply_contact_id
        merge = uow.conversations.get(other).reply_contact_id
    client = link_contacts(keep, merge, actor=ADMIN, uow_factory=any_uows, now=T0)
    with any_uows() as uow:
        assert uow.erasure.held_for_client(client) != []
        [joined] = [c for c in uow.conversations.all_for_client(client)]
        assert uow.erasure.hold_of(joined.id).reason == POLICE
