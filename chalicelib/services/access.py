"""Ownership checks for every customer-scoped route (server side, never trust the client)."""

from __future__ import annotations

from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.store.customers import manager_of


def require_customer(principal: Principal, customer_no: str) -> None:
    """Allow the customer's own logins, its account manager and admins.

    Anything else answers 404, the same as for a customer that does not exist, so a
    caller learns nothing about other customers.
    """
    if principal.role == "admin":
        return
    if principal.acts_for_customers:
        if customer_no in principal.customer_nos:
            return
        raise NotFound()
    if (
        principal.role == "account_manager"
        and principal.manager_id
        and manager_of(customer_no) == principal.manager_id
    ):
        return
    raise NotFound()
