"""The product's rules an application must meet beyond its JSON Schema: the contract is the
customer's and of the right product, dates are not in the past, an IBAN is valid, a refund
is at most the overpayment, there are arrears to spread, the meter and premises are the
customer's. ``check`` answers field errors at filing; ``recheck`` is run again at approval
(an overpayment may have been used up meanwhile)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.domain import applications as rules
from chalicelib.domain import clock, identifiers
from chalicelib.domain import contracts as contract_rules
from chalicelib.domain import ledger as ledger_rules
from chalicelib.domain.money import format_pln
from chalicelib.errors import Conflict, FieldError
from chalicelib.store import contracts as contract_store
from chalicelib.store import ledger as ledger_store
from chalicelib.store import outages as premises_store
from chalicelib.store import readings as readings_store

Check = Callable[[str, dict[str, Any], date], list[FieldError]]


def today() -> date:
    return clock.to_warsaw(clock.now()).date()


def account(customer_no: str) -> ledger_rules.Summary:
    """Balance, overpayment and arrears of the customer today."""
    balance = ledger_store.get_balance(customer_no)
    state = balance.state() if balance else ledger_rules.AccountState()
    return ledger_rules.summary(state, today())


def _contract(
    customer_no: str, fields: dict[str, Any], product: str | None
) -> tuple[Any, list[FieldError]]:
    contract = contract_store.contract_of(customer_no, fields["contract_no"])
    if contract is None:
        return None, [FieldError("fields.contract_no", "applications.contract_unknown")]
    if product and contract.product != product:
        return None, [FieldError("fields.contract_no", f"applications.contract_not_{product}")]
    return contract, []


def _not_past(name: str, value: str, day: date) -> list[FieldError]:
    return (
        []
        if date.fromisoformat(value) >= day
        else [FieldError(f"fields.{name}", "applications.date_past")]
    )


def _capacity(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    contract, errors = _contract(customer_no, f, "heat")
    try:
        if Decimal(f["capacity_mw"]) <= 0:
            errors.append(FieldError("fields.capacity_mw", "applications.capacity_positive"))
    except InvalidOperation:
        errors.append(FieldError("fields.capacity_mw", "field.invalid"))
    errors += _not_past("effective_from", f["effective_from"], day)
    if contract is not None and contract.end_date and f["effective_from"] > contract.end_date:
        errors.append(FieldError("fields.effective_from", "applications.after_contract_end"))
    return errors


def _renewal(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    contract, errors = _contract(customer_no, f, None)
    if contract is not None and f["new_end_date"] <= (contract.end_date or day.isoformat()):
        errors.append(FieldError("fields.new_end_date", "applications.renewal_not_later"))
    return errors


def _termination(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    contract, errors = _contract(customer_no, f, None)
    if contract is None:
        return errors
    terms = contract_store.terms_in(contract_store_items(customer_no), contract.contract_no)
    notice = (
        int(terms.notice_period_months)
        if terms
        else contract_rules.DEFAULT_NOTICE_MONTHS[contract.product]
    )
    earliest = contract_rules.earliest_termination(day, notice)
    if date.fromisoformat(f["termination_date"]) < earliest:
        errors.append(
            FieldError(
                "fields.termination_date",
                "applications.notice_period",
                {"date": earliest.isoformat(), "months": notice},
            )
        )
    return errors


def contract_store_items(customer_no: str) -> list[Any]:
    from chalicelib.store.customers import customer_collection

    return customer_collection(customer_no)


def _data_change(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    errors = []
    if "email" in f and identifiers.clean_email(f["email"]) is None:
        errors.append(FieldError("fields.email", "field.email"))
    if "phone" in f and identifiers.clean_phone(f["phone"]) is None:
        errors.append(FieldError("fields.phone", "field.phone"))
    if "address" in f and identifiers.clean_postal_code(f["address"]["postal_code"]) is None:
        errors.append(FieldError("fields.address.postal_code", "field.postal_code"))
    return errors


def _tariff(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    contract, errors = _contract(customer_no, f, "electricity")
    if contract is not None:
        terms = contract_store.terms_on(
            contract.contract_no, date.fromisoformat(f["effective_from"]), contract
        )
        if terms is not None and terms.tariff_group == f["tariff_group"]:
            errors.append(FieldError("fields.tariff_group", "applications.tariff_same"))
    return errors + _not_past("effective_from", f["effective_from"], day)


def _connection(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    errors = _not_past("requested_date", f["requested_date"], day)
    if identifiers.clean_postal_code(f["address"]["postal_code"]) is None:
        errors.append(FieldError("fields.address.postal_code", "field.postal_code"))
    return errors


def _iban(f: dict[str, Any]) -> list[FieldError]:
    return [] if rules.clean_iban(f["iban"]) else [FieldError("fields.iban", "applications.iban")]


def _refund(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    errors = _iban(f)
    overpayment = account(customer_no).overpayment
    if f["amount_grosze"] > overpayment:
        errors.append(
            FieldError(
                "fields.amount_grosze",
                "applications.refund_too_large",
                {"overpayment": format_pln(overpayment)},
            )
        )
    return errors


def _instalments(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    errors = _not_past("first_due", f["first_due"], day)
    if account(customer_no).arrears <= 0:
        errors.append(FieldError("fields.instalments", "applications.no_arrears"))
    return errors


def _mandate(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    return _iban(f)


def _meter(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    if readings_store.customer_meter(customer_no, f["meter_serial"]) is None:
        return [FieldError("fields.meter_serial", "applications.meter_unknown")]
    return []


def _proxy(customer_no: str, f: dict[str, Any], day: date) -> list[FieldError]:
    errors = []
    if premises_store.get_premises(customer_no, f["premises_id"]) is None:
        errors.append(FieldError("fields.premises_id", "applications.premises_unknown"))
    if identifiers.clean_pesel(f["proxy_pesel"]) is None:
        errors.append(FieldError("fields.proxy_pesel", "field.pesel"))
    if identifiers.clean_email(f["proxy_email"]) is None:
        errors.append(FieldError("fields.proxy_email", "field.email"))
    return errors


CHECKS: dict[str, Check] = {
    "capacity_change": _capacity,
    "contract_renewal": _renewal,
    "termination": _termination,
    "customer_data_change": _data_change,
    "tariff_group_change": _tariff,
    "new_connection": _connection,
    "refund": _refund,
    "instalment_plan": _instalments,
    "direct_debit": _mandate,
    "meter_check": _meter,
    "proxy": _proxy,
}


def check(kind: str, customer_no: str, fields: dict[str, Any]) -> list[FieldError]:
    return CHECKS[kind](customer_no, fields, today())


def recheck(kind: str, customer_no: str, fields: dict[str, Any]) -> None:
    """At approval: the account facts may have changed since filing (409, nothing applied)."""
    if kind == "refund" and fields["amount_grosze"] > account(customer_no).overpayment:
        raise Conflict(
            "applications.refund_no_longer",
            overpayment=format_pln(account(customer_no).overpayment),
        )
    if kind == "instalment_plan" and account(customer_no).arrears <= 0:
        raise Conflict("applications.arrears_gone")
