"""Daily payment notices: arrears reminders and overpayment notices (services.notices)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron

from chalicelib.lazy import lazy_module

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import notices
else:
    notices = lazy_module("chalicelib.services.notices")

blueprint = Blueprint(__name__)


@blueprint.schedule(Cron(0, 7, "*", "*", "?", "*"), name="payment_notices")
def payment_notices(event: Any) -> dict[str, Any]:
    """Every day at 07:00 UTC. ``detail.date`` (YYYY-MM-DD) runs it as of another day
    locally (``python -m devstack job payment_notices --set date=2026-12-01``)."""
    detail = event.to_dict().get("detail", {}) or {}
    day = date.fromisoformat(detail["date"]) if detail.get("date") else None
    return notices.run(day).as_dict()
