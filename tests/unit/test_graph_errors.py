"""What each Graph API answer means for the outbox (docs/META.md): slow down without counting,
give up, or the token refused (the channel down until it is renewed)."""

from __future__ import annotations

import httpx
import pytest

from channels.meta.graph import GraphError, send_error
from triage.domain.outbox import failure_reason


@pytest.mark.parametrize(
    ("error", "transient", "counts", "down", "reason"),
    [
        (GraphError(400, 131047, "Re-engagement message"), False, True, False, "window"),
        (GraphError(400, 131026, "Message undeliverable"), False, True, False, "recipient"),
        (GraphError(400, 130403, "blocked"), False, True, False, "blocked"),
        (GraphError(429, 130429, "Rate limit hit"), True, False, False, "refused"),
        (GraphError(400, 131056, "pair rate limit"), True, False, False, "refused"),
        (GraphError(401, 190, "Session has expired"), True, False, True, "login"),
        (GraphError(503, None, "Service Unavailable"), True, False, None, "refused"),
        (GraphError(400, 100, "Invalid parameter"), True, True, False, "refused"),
        # Messenger and Instagram: the window, a permission not granted, a person unreachable
        (GraphError(400, 10, "outside of allowed window", 2018278), False, True, False,
         "window_messaging"),
        (GraphError(403, 10, "outside of allowed window", 2534022), False, True, False,
         "window_messaging"),
        (GraphError(400, 10, "no permission", 2018065), False, True, False, "refused"),
        (GraphError(400, 551, "This person isn't available right now"), False, True, False,
         "recipient"),
        (GraphError(400, 613, "exceeded the rate limit"), True, False, False, "refused"),
        (httpx.ReadTimeout("read timed out"), True, True, True, "refused"),  # may have arrived
        (httpx.ConnectError("connection refused"), True, False, None, "refused"),
    ],
)  # fmt: skip
def test_each_answer_has_its_meaning(error, transient, counts, down, reason):
    said = send_error(error)
    assert (said.transient, said.counts, said.down) == (transient, counts, down)
    assert failure_reason(str(said)) == reason
