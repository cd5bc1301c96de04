"""A proxy (pełnomocnik) sees only the premises granted to it by an approved application:
its login carries no customer number (every customer route answers 404), and these views
read the grants of the login."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.services import contracts
from chalicelib.store import applications as store
from chalicelib.store import customers as customer_store
from chalicelib.store.customers import Meter, Premises


def my_premises(principal: Principal) -> dict[str, Any]:
    return {
        "premises": [
            {"customer_no": g.customer_no, "premises_id": g.premises_id, "granted_at": g.granted_at}
            for g in store.grants_of(principal.username)
        ]
    }


def premises_view(principal: Principal, customer_no: str, premises_id: str) -> dict[str, Any]:
    """The granted premises with its contracts and meters; anything else answers 404."""
    if store.grant(principal.username, customer_no, premises_id) is None:
        raise NotFound()
    items = customer_store.customer_collection(customer_no)
    premises = next(
        (i for i in items if isinstance(i, Premises) and i.premises_id == premises_id), None
    )
    if premises is None:
        raise NotFound()
    return {
        "customer_no": customer_no,
        "premises_id": premises_id,
        "label": premises.label,
        "address": premises.address.one_line(),
        "contracts": [
            c for c in contracts.contract_summaries(customer_no) if c["premises_id"] == premises_id
        ],
        "meters": [
            {"serial": m.serial, "product": m.product, "registers": list(m.registers)}
            for m in items
            if isinstance(m, Meter) and m.premises_id == premises_id
        ],
    }
