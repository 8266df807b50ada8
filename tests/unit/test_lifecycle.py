from dataclasses import replace
from datetime import timedelta

import pytest

from tests.builders import T0
from triage.domain import lifecycle
from triage.domain.errors import TransitionNotAllowed
from triage.domain.model import Conversation, Outcome, State, Steps


def conv(state: State = State.NEW) -> Conversation:
    return Conversation(
        id=1,
        client_id=1,
        state=state,
        opened_at=T0,
        last_message_at=T0,
        reply_contact_id=1,
        steps=Steps(received=T0),
    )


def at(minutes: int):
    return T0 + timedelta(minutes=minutes)


def test_a_case_walks_every_step_and_each_is_stamped_once():
    c = conv()
    c, logged = lifecycle.apply(c, lifecycle.AdminReplied(), at(2))
    assert (c.state, logged) == (State.WITH_ADMIN, ["first_admin_response"])
    c, logged = lifecycle.apply(c, lifecycle.AdminReplied(), at(3))
    assert logged == [] and c.steps.first_admin_response == at(2)
    c, _ = lifecycle.apply(c, lifecycle.FormCompleted(), at(4))
    c, _ = lifecycle.apply(c, lifecycle.HandedOff(), at(6))
    c, _ = lifecycle.apply(c, lifecycle.Claimed(2001), at(8))
    assert (c.state, c.counselor_id) == (State.WITH_COUNSELOR, 2001)
    c, _ = lifecycle.apply(c, lifecycle.CounselorReplied(), at(10))
    c, logged = lifecycle.apply(c, lifecycle.Closed(Outcome.RUJUKAN), at(40))
    assert (c.state, c.outcome, logged) == (State.CLOSED, Outcome.RUJUKAN, ["closed"])
    assert c.steps == Steps(at(0), at(2), at(4), at(6), at(8), at(10), at(40))


@pytest.mark.parametrize(
    "state, event",
    [
        (State.NEW, lifecycle.Claimed(5)),
        (State.WITH_COUNSELOR, lifecycle.Claimed(5)),  # the second tap loses
        (State.WITH_COUNSELOR, lifecycle.HandedOff()),
        (State.WITH_COUNSELOR, lifecycle.AdminReplied()),
        (State.WITH_ADMIN, lifecycle.CounselorReplied()),
        (State.CLOSED, lifecycle.AdminReplied()),
        (State.CLOSED, lifecycle.Closed(Outcome.TUNTAS)),
        (State.NEW, lifecycle.Reopened()),
        (State.HANDED_OFF, lifecycle.Released()),
    ],
)
def test_events_outside_their_states_are_refused(state, event):
    with pytest.raises(TransitionNotAllowed):
        lifecycle.apply(conv(state), event, at(1))


def test_release_returns_the_case_to_the_queue_and_a_new_claim_is_logged():
    c = replace(conv(State.HANDED_OFF), steps=Steps(received=T0, handed_off=at(1)))
    c, _ = lifecycle.apply(c, lifecycle.Claimed(2001), at(2))
    c, logged = lifecycle.apply(c, lifecycle.Released(), at(3))
    assert (c.state, c.counselor_id, logged) == (State.HANDED_OFF, None, ["released"])
    c, logged = lifecycle.apply(c, lifecycle.Claimed(2002), at(4))
    assert logged == ["claimed"] and c.counselor_id == 2002
    assert c.steps.claimed == at(2)  # the SLA counts the first claim


def test_reopen_starts_a_new_round_with_fresh_timers():
    c, _ = lifecycle.apply(conv(State.WITH_ADMIN), lifecycle.Closed(Outcome.ULANG), at(5))
    c, logged = lifecycle.apply(c, lifecycle.Reopened(), at(60))
    assert c.state is State.NEW and c.round == 2 and c.outcome is None
    assert c.steps == Steps(received=at(60))
    assert logged == ["reopened", "received"]
