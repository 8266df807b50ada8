"""Steps of the wall clock seen (triage.domain.schedule.clock): back by more than the
tolerance while running, or a row stamped later than now after a restart."""

from datetime import timedelta

from tests.builders import T0
from triage.domain.schedule.clock import ClockWatch, written_ahead


def test_a_step_back_is_seen_once_and_a_step_forward_or_jitter_is_not():
    watch = ClockWatch()
    assert watch.step_back(T0, 100.0) is None  # the first reading
    assert watch.step_back(T0 + timedelta(seconds=10), 110.0) is None
    assert watch.step_back(T0 + timedelta(seconds=11.5), 113.0) is None  # 1.5 s late: jitter
    step = watch.step_back(T0 - timedelta(hours=1), 114.0)
    assert step is not None and abs(step - timedelta(hours=1, seconds=12.5)) < timedelta(seconds=1)
    assert watch.step_back(T0 - timedelta(hours=1) + timedelta(seconds=5), 119.0) is None
    assert watch.step_back(T0 + timedelta(hours=3), 120.0) is None  # forward: nothing to do


def test_a_row_written_later_than_now_says_the_clock_went_back_while_down():
    assert written_ahead(None, T0) is None
    assert written_ahead(T0 + timedelta(seconds=1), T0) is None
    assert written_ahead(T0 + timedelta(hours=8), T0) == timedelta(hours=8)


def test_a_step_whose_replan_failed_is_given_again():
    watch = ClockWatch()
    watch.step_back(T0, 0.0)
    step = watch.step_back(T0 - timedelta(hours=1), 1.0)
    assert step is not None
    watch.owe(step)  # the database was away
    again = watch.step_back(T0 - timedelta(hours=1) + timedelta(seconds=1), 2.0)
    assert again == step
    assert watch.step_back(T0 - timedelta(hours=1) + timedelta(seconds=2), 3.0) is None
