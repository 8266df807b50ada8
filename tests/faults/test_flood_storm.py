"""Telegram answering 429 to every send for a while (its flood control, e.g. another process
on the same token): each wait Telegram asks for is kept, per chat, the tries are not held
against the items, and when the storm passes everything arrives once, in order."""

from __future__ import annotations

from tests.support.office import ADMIN, CLIENT, GROUP
from tests.support.telegram_office import running_office
from triage.domain.model import Actor, Role
from triage.usecases.replies import reply_to_client


def test_a_storm_of_429s_is_waited_out_as_asked_and_nothing_is_lost_or_doubled(tmp_path):
    with running_office(tmp_path) as office:
        state = office.state
        state.user_writes(CLIENT, text="Halo")
        office.topic_of(1)
        office.wait_for_post(GROUP, "Percakapan #1")
        office.api.storm(1)  # retry_after 1 s, every send, until it passes
        try:
            for n in range(1, 6):
                reply_to_client(1, f"balasan {n}", actor=Actor(ADMIN, Role.ADMIN, "Wayan"),
                                idempotency_key=f"storm-{n}", uow_factory=office.app.uows,
                                now=office.app.clock())  # fmt: skip
            office.app.wake.set()
            office.wait(
                lambda: len([t for chat, t in state.stormed if chat == str(CLIENT)]) >= 3,
                "three tries refused in the client's chat",
            )
        finally:
            office.api.storm(None)
        office.wait(
            lambda: sum(t.startswith("balasan") for t in office.texts(CLIENT)) == 5,
            "every reply after the storm",
            timeout=40,
        )
        assert [t for t in office.texts(CLIENT) if t.startswith("balasan")] == [
            f"balasan {n}" for n in range(1, 6)
        ]  # once each, in order

        def items():
            with office.app.uows() as uow:
                return [
                    o for o in uow.outbox.for_conversation(1) if o.idempotency_key[:5] == "storm"
                ]

        office.wait(lambda: all(o.status.value == "sent" for o in items()), "every send recorded")
        assert [o.attempts for o in items()] == [0] * 5  # a flood wait is not held against one
        tries = [t for chat, t in state.stormed if chat == str(CLIENT)]
        # retry_after kept: never asked again sooner (a little slack for the clock's grain)
        assert all(later - earlier >= 0.9 for earlier, later in zip(tries, tries[1:], strict=False))
