"""Quiet hours for SMS that can wait (domain.sms): one rule, Europe/Warsaw wall clock, DST
by the zone; the outage path's night is the same rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain import outages, sms


@pytest.mark.parametrize(
    ("utc", "quiet", "hold"),
    [
        (datetime(2026, 11, 18, 9, 30, tzinfo=UTC), False, 0),  # 10:30 CET
        (datetime(2026, 11, 18, 20, 59, 59, tzinfo=UTC), False, 0),  # 21:59:59
        (datetime(2026, 11, 18, 21, 0, tzinfo=UTC), True, 900),  # 22:00: held, looked at again
        (datetime(2026, 11, 19, 4, 2, tzinfo=UTC), True, 900),  # 05:02 (session-4's SMS)
        (datetime(2026, 11, 19, 5, 50, tzinfo=UTC), True, 600),  # 06:50: until 07:00
        (datetime(2026, 11, 19, 5, 59, 59, 500000, tzinfo=UTC), True, 1),  # never 0 at night
        (datetime(2026, 11, 19, 6, 0, tzinfo=UTC), False, 0),  # 07:00 CET: the window opens
        # summer (CEST, UTC+2): 06:55 is quiet, 07:00 CEST is 05:00 UTC
        (datetime(2026, 7, 1, 4, 55, tzinfo=UTC), True, 300),
        (datetime(2026, 7, 1, 5, 0, tzinfo=UTC), False, 0),
        (datetime(2026, 7, 1, 19, 59, tzinfo=UTC), False, 0),  # 21:59 CEST
        (datetime(2026, 7, 1, 20, 0, tzinfo=UTC), True, 900),  # 22:00 CEST
        # the night the clocks go forward (29.03.2026): 06:50 CEST is 04:50 UTC
        (datetime(2026, 3, 29, 4, 50, tzinfo=UTC), True, 600),
        # the night they go back (25.10.2026): 06:50 CET is 05:50 UTC
        (datetime(2026, 10, 25, 5, 50, tzinfo=UTC), True, 600),
    ],
)
def test_an_sms_that_can_wait_is_held_until_seven_warsaw_time(
    utc: datetime, quiet: bool, hold: int
) -> None:
    assert sms.is_quiet(utc) is quiet
    assert sms.hold_seconds(utc) == hold
    assert outages.is_night(utc) is quiet  # one rule for both paths


def test_quiet_hours_end_at_seven_warsaw_time_across_dst() -> None:
    assert sms.quiet_ends(datetime(2026, 3, 28, 22, 0, tzinfo=UTC)) == datetime(
        2026, 3, 29, 5, 0, tzinfo=UTC
    )
    assert sms.quiet_ends(datetime(2026, 10, 24, 22, 0, tzinfo=UTC)) == datetime(
        2026, 10, 25, 6, 0, tzinfo=UTC
    )
    assert outages.next_morning(datetime(2026, 1, 15, 23, 30, tzinfo=UTC)) == datetime(
        2026, 1, 16, 6, 0, tzinfo=UTC
    )
