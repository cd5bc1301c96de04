"""The contract page's actions that file applications (kept apart from services.contracts so
the applications' rules can read contracts without a cycle)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from chalicelib.domain import contracts as rules
from chalicelib.domain.principal import Principal
from chalicelib.services import applications
from chalicelib.services.access import require_customer
from chalicelib.services.contracts import require_contract, today


def renew(
    principal: Principal, customer_no: str, contract_no: str, data: dict[str, Any]
) -> dict[str, Any]:
    """File the renewal (a year from the current end, unless a date is given)."""
    require_customer(principal, customer_no)
    contract = require_contract(customer_no, contract_no)
    if data.get("new_end_date"):
        end = date.fromisoformat(data["new_end_date"])
    else:
        current = date.fromisoformat(contract.end_date) if contract.end_date else today()
        end = rules.add_months(current, 12) if contract.end_date else current + timedelta(days=365)
    return applications.file_renewal(principal, customer_no, contract_no, end)
