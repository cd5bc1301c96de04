"""Ownership checks for every customer-scoped route (server side, never trust the client)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain import clock
from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.observability import logger
from chalicelib.store import privacy
from chalicelib.store.customers import manager_of

STAFF_READS_KEPT = timedelta(days=730)


def _staff_read(principal: Principal, customer_no: str) -> None:
    """Record that staff read this customer's data ("Moje dane" shows who and when): one
    conditional Put, the first read of the login in the hour kept; never fails the read."""
    now = clock.now()
    at = clock.iso(now)
    try:
        privacy.record_staff_read(
            customer_no, principal.username, principal.role, at, at[:13], now + STAFF_READS_KEPT
        )
    except Exception:  # the log must not take the staff screen down
        logger.warning("staff read not recorded", exc_info=True)


def require_customer(principal: Principal, customer_no: str) -> None:
    """Allow the customer's own logins, its account manager and admins.

    Anything else answers 404, the same as for a customer that does not exist, so a
    caller learns nothing about other customers.
    """
    if principal.role == "admin":
        _staff_read(principal, customer_no)
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
        _staff_read(principal, customer_no)
        return
    raise NotFound()
