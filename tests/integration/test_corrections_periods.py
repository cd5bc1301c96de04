"""Audit finding (issue 12, item 6): on 30 November, ``--period 2026-12`` issued eight
invoices and stored readings dated 31 December. A month that has not ended is refused
with a clear message and nothing is stored or queued; no reading dated in the future is
ever made."""

from __future__ import annotations

from datetime import date

import pytest

from tests.integration.invoicing_helpers import (
    all_invoices,
    load_tariffs,
    queue_depth,
    readings_for_world,
    run_schedule,
)

# Its data and expectations are dated around 18.11.2026 (the suite's default instant).
pytestmark = pytest.mark.usefixtures("at_tests_instant")


def _readings_after(serial: str, day: str) -> list[object]:
    from chalicelib.store import readings as store

    return [r for r in store.history(serial) if r.read_on > day]


def test_period_that_has_not_ended_is_refused_and_nothing_stored(world, caplog) -> None:
    from chalicelib.config import settings

    load_tariffs()
    readings_for_world(world)
    # The tests' clock is 2026-11-18: November and December have not ended.
    for period in ("2026-11", "2026-12"):
        result = run_schedule("invoicing_run", {"period": period})
        assert result["queued"] == 0 and result["contracts"] == 0
        assert "has not ended" in result["refused"] and period in result["refused"]
    assert queue_depth(settings().invoicing_queue) == 0
    assert all_invoices(world) == []
    assert [r.getMessage() for r in caplog.records].count("invoicing refused") == 2


def test_ended_period_is_still_queued(world) -> None:
    load_tariffs()
    readings_for_world(world)
    result = run_schedule("invoicing_run", {"period": "2026-10"})
    assert "refused" not in result and result["queued"] == result["contracts"] > 0


def test_worker_message_for_an_unended_period_stores_no_future_reading(world) -> None:
    """Even a message that reached the worker some other way cannot store a reading
    dated in the future: the estimate for 31 December is refused, the invoice with it."""
    from chalicelib.domain.readings import FutureReading
    from chalicelib.services import invoicing

    load_tariffs()
    readings_for_world(world)
    with pytest.raises(FutureReading):
        invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-12")
    assert _readings_after(world.meters["individual_heat"], "2026-11-18") == []
    assert all_invoices(world) == []


def test_require_ended_boundaries() -> None:
    from chalicelib.domain import invoices as rules

    nov = rules.Period.parse("2026-11")
    with pytest.raises(rules.PeriodNotEnded):
        rules.require_ended(nov, date(2026, 11, 30))  # its last day: not over yet
    rules.require_ended(nov, date(2026, 12, 1))
