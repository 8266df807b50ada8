"""Any sequence of events keeps the conversation coherent (hypothesis)."""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from tests.builders import T0
from triage.domain import lifecycle
from triage.domain.errors import TransitionNotAllowed
from triage.domain.model import STEP_NAMES, Conversation, Outcome, State, Steps

events = st.one_of(
    st.just(lifecycle.AdminReplied()),
    st.just(lifecycle.FormCompleted()),
    st.just(lifecycle.HandedOff()),
    st.builds(lifecycle.Claimed, st.sampled_from([2001, 2002])),
    st.just(lifecycle.Released()),
    st.just(lifecycle.CounselorReplied()),
    st.builds(lifecycle.Closed, st.sampled_from(list(Outcome))),
    st.just(lifecycle.Reopened()),
)


@given(st.lists(events, max_size=40))
def test_any_event_sequence_keeps_the_conversation_coherent(sequence):
    conv = Conversation(
        id=1,
        client_id=1,
        state=State.NEW,
        opened_at=T0,
        last_message_at=T0,
        reply_contact_id=1,
        steps=Steps(received=T0),
    )
    for minute, event in enumerate(sequence, start=1):
        now = T0 + timedelta(minutes=minute)
        before = conv
        try:
            conv, logged = lifecycle.apply(conv, event, now)
        except TransitionNotAllowed:
            continue
        assert (conv.state is State.WITH_COUNSELOR) == (
            conv.counselor_id is not None and conv.state is not State.CLOSED
        ) or conv.state is State.CLOSED
        assert (conv.outcome is not None) == (conv.state is State.CLOSED)
        assert conv.steps.received is not None
        if conv.round == before.round:  # within a round, a stamped step never moves
            for name in STEP_NAMES:
                if getattr(before.steps, name) is not None:
                    assert getattr(conv.steps, name) == getattr(before.steps, name)
        assert all(at is None or at <= now for at in conv.steps.as_dict().values())
        assert set(logged) <= set(STEP_NAMES) | {"released", "reopened"}
