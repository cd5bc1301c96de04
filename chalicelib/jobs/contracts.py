"""Daily contract expiry reminders (90 and 30 days before the end; services.contracts)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from chalice import Blueprint, Cron

from chalicelib.lazy import lazy_module

if TYPE_CHECKING:
    from chalicelib.services import contracts
else:
    contracts = lazy_module("chalicelib.services.contracts")

blueprint = Blueprint(__name__)


@blueprint.schedule(Cron(0, 6, "*", "*", "?", "*"), name="contract_reminders")
def contract_reminders(event: Any) -> dict[str, Any]:
    """Every day at 06:00 UTC; ``detail.date`` runs it as of another day
    (``python -m devstack job contract_reminders --set date=2026-12-01``). Once per
    contract, end date and stage: a rerun sends nothing new."""
    detail = (event.to_dict().get("detail") or {}) if hasattr(event, "to_dict") else {}
    day = date.fromisoformat(detail["date"]) if detail.get("date") else None
    return contracts.send_reminders(day).as_dict()
