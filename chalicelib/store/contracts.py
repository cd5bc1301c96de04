"""Contract terms beyond the base record, annexes, the history of changes, reminder markers.

- ``PK = CUST#<no>, SK = TERMS#<contract_no>``: ContractTerms (notice period, PPE, price
  list, the signed contract document), in the customer's collection (one Query per page).
- ``PK = CONTRACTLOG#<contract_no>``: ``ANNEX#<effective_from>#<ref>`` ContractAnnex (terms
  from a date), ``HIST#<at>#<id>`` ContractChange (what the contract page lists) and
  ``REMIND#<end_date>#<stage>`` ContractReminder (an expiry e-mail sent at most once per
  contract, end date and stage). ``capacity_on(contract_no, day)`` is one Query here plus,
  only when no annex applies, the contract's own record (GSI1 ``CONTRACTS``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError

from chalicelib.domain import contracts as rules
from chalicelib.store.audit import AuditEntry
from chalicelib.store.base import DecimalAttribute, Item, save_new, transaction
from chalicelib.store.customers import Contract, contract_sk, customer_pk


def terms_sk(contract_no: str) -> str:
    return f"TERMS#{contract_no}"


def log_pk(contract_no: str) -> str:
    return f"CONTRACTLOG#{contract_no}"


def annex_sk(effective_from: str, ref: str) -> str:
    return f"ANNEX#{effective_from}#{ref}"


def history_sk(at: str, change_id: str) -> str:
    return f"HIST#{at}#{change_id}"


def reminder_sk(end_date: str, stage: int) -> str:
    return f"REMIND#{end_date}#{stage}"


class ContractTerms(Item, discriminator="ContractTerms"):
    """What the base Contract record does not hold. SK=TERMS#<contract_no>."""

    contract_no = UnicodeAttribute()
    notice_period_months = NumberAttribute()
    ppe = UnicodeAttribute(null=True)  # electricity: kod punktu poboru energii
    price_list_id = UnicodeAttribute(null=True)  # public document in force
    signed_document_id = UnicodeAttribute(null=True)  # the customer's document


class ContractAnnex(Item, discriminator="ContractAnnex"):
    """Aneks: terms from ``effective_from`` (None fields unchanged)."""

    contract_no = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    effective_from = UnicodeAttribute()
    ref = UnicodeAttribute()  # the application that made it
    capacity_mw = DecimalAttribute(null=True)
    tariff_group = UnicodeAttribute(null=True)
    end_date = UnicodeAttribute(null=True)
    document_id = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute()

    def to_domain(self) -> rules.Annex:
        return rules.Annex(
            effective_from=date.fromisoformat(self.effective_from),
            ref=self.ref,
            capacity_mw=self.capacity_mw,
            tariff_group=self.tariff_group,
            end_date=date.fromisoformat(self.end_date) if self.end_date else None,
        )


class ContractChange(Item, discriminator="ContractChange"):
    """One line of a contract's history (signed, annex, renewal, termination)."""

    contract_no = UnicodeAttribute()
    at = UnicodeAttribute()
    kind = UnicodeAttribute()
    summary_pl = UnicodeAttribute()
    summary_en = UnicodeAttribute()
    by = UnicodeAttribute()
    ref = UnicodeAttribute(null=True)


class ContractReminder(Item, discriminator="ContractReminder"):
    """Marker: the ``stage``-day expiry reminder for this end date was sent."""

    contract_no = UnicodeAttribute()
    stage = NumberAttribute()
    sent_at = UnicodeAttribute()


def condition_failed(exc: TransactWriteError) -> bool:
    """A transaction cancelled by one of its conditions (an idempotency item that exists)."""
    return any(
        r is not None and r.code == "ConditionalCheckFailed" for r in exc.cancellation_reasons
    )


# --- reads -------------------------------------------------------------------------------


def contract_of(customer_no: str, contract_no: str) -> Contract | None:
    try:
        item = Item.get(customer_pk(customer_no), contract_sk(contract_no))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, Contract) else None


def find_contract(contract_no: str) -> Contract | None:
    """A contract by its number alone (GSI1 ``CONTRACTS``)."""
    same_number = Item.GSI1SK == contract_sk(contract_no)  # noqa: SIM300
    for item in Item.gsi1.query("CONTRACTS", same_number):
        if isinstance(item, Contract):
            return item
    return None


def terms_in(items: list[Item], contract_no: str) -> ContractTerms | None:
    return next(
        (i for i in items if isinstance(i, ContractTerms) and i.contract_no == contract_no), None
    )


def contract_log(contract_no: str) -> tuple[list[ContractAnnex], list[ContractChange]]:
    """Annexes (by effective date) and history (oldest first): one Query."""
    items = list(Item.query(log_pk(contract_no)))
    return (
        [i for i in items if isinstance(i, ContractAnnex)],
        [i for i in items if isinstance(i, ContractChange)],
    )


def annexes(contract_no: str) -> list[ContractAnnex]:
    return [
        i
        for i in Item.query(log_pk(contract_no), Item.SK.startswith("ANNEX#"))
        if isinstance(i, ContractAnnex)
    ]


def _base_terms(contract: Contract) -> rules.Terms:
    return rules.Terms(
        contract.ordered_capacity_mw,
        contract.tariff_group,
        date.fromisoformat(contract.end_date) if contract.end_date else None,
    )


def terms_on(contract_no: str, day: date, contract: Contract | None = None) -> rules.Terms | None:
    """The contract's terms in force on ``day`` (None for an unknown contract)."""
    contract = contract or find_contract(contract_no)
    if contract is None:
        return None
    return rules.terms_on(_base_terms(contract), [a.to_domain() for a in annexes(contract_no)], day)


def capacity_on(contract_no: str, day: date) -> Decimal | None:
    """Ordered heat capacity (MW) in force on ``day``: the latest capacity annex effective on
    or before it, else the contract's own. For pricing, see ``capacity_changes``."""
    terms = terms_on(contract_no, day)
    return None if terms is None else terms.capacity_mw


def capacity_changes(contract_no: str) -> list[tuple[date, Decimal]]:
    """(effective from, MW) of the contract's capacity annexes, for
    ``domain.pricing.price_period(..., capacity_changes=...)``."""
    return rules.capacity_changes(a.to_domain() for a in annexes(contract_no))


# --- writes ------------------------------------------------------------------------------


def put_terms(customer_no: str, contract_no: str, **fields: Any) -> ContractTerms:
    terms = ContractTerms(
        customer_pk(customer_no), terms_sk(contract_no), contract_no=contract_no, **fields
    )
    terms.save()
    return terms


def new_change(
    contract_no: str,
    change_id: str,
    at: str,
    kind: str,
    summary: tuple[str, str],
    by: str,
    ref: str | None = None,
) -> ContractChange:
    return ContractChange(
        log_pk(contract_no),
        history_sk(at, change_id),
        contract_no=contract_no,
        at=at,
        kind=kind,
        summary_pl=summary[0],
        summary_en=summary[1],
        by=by,
        ref=ref,
    )


def put_change(change: ContractChange) -> None:
    change.save(condition=Item.PK.does_not_exist())


def new_annex(
    customer_no: str, contract_no: str, effective_from: str, ref: str, **fields: Any
) -> ContractAnnex:
    return ContractAnnex(
        log_pk(contract_no),
        annex_sk(effective_from, ref),
        contract_no=contract_no,
        customer_no=customer_no,
        effective_from=effective_from,
        ref=ref,
        **fields,
    )


def add_annex(
    annex: ContractAnnex, change: ContractChange, entry: AuditEntry | None = None
) -> bool:
    """The annex, its history line (and audit entry) together; False when this annex (the
    same application) exists already: a replay changes nothing."""
    try:
        with transaction() as tx:
            tx.save(annex, condition=Item.PK.does_not_exist())
            tx.save(change, condition=Item.PK.does_not_exist())
            if entry is not None:
                tx.save(entry)
    except TransactWriteError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def set_end_date(
    contract: Contract, end_date: str, change: ContractChange, marker: Item | None = None
) -> bool:
    """Move the contract's end (renewal, termination) with its history line and the caller's
    idempotency marker; False when the marker exists (a replay)."""
    try:
        with transaction() as tx:
            if marker is not None:
                tx.save(marker, condition=Item.PK.does_not_exist())
            tx.update(contract, actions=[Contract.end_date.set(end_date)])
            tx.save(change, condition=Item.PK.does_not_exist())
    except TransactWriteError as exc:
        if condition_failed(exc):
            return False
        raise
    return True


def claim_reminder(contract_no: str, end_date: str, stage: int, now: str) -> bool:
    """Mark the reminder sent before sending (False: it was sent already)."""
    marker = ContractReminder(
        log_pk(contract_no),
        reminder_sk(end_date, stage),
        contract_no=contract_no,
        stage=stage,
        sent_at=now,
    )
    return save_new(marker)


def release_reminder(contract_no: str, end_date: str, stage: int) -> None:
    """Take a claim back when the e-mail could not be sent (the next run retries)."""
    ContractReminder(log_pk(contract_no), reminder_sk(end_date, stage)).delete()


def get_terms(customer_no: str, contract_no: str) -> ContractTerms | None:
    """A contract's terms record (PPE, notice period), one GetItem (the invoice PDF)."""
    try:
        item = Item.get(customer_pk(customer_no), terms_sk(contract_no))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, ContractTerms) else None
