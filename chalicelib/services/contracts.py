"""Contracts (umowy): the contract page with its exact terms, documents and history; expiry
reminders 90 and 30 days before the end (a daily job, once per contract, end date and
stage); the "renew" action files a renewal application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from chalicelib.adapters import ses
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import contracts as rules
from chalicelib.domain.principal import Principal
from chalicelib.errors import NotFound
from chalicelib.observability import logger
from chalicelib.render import selfservice_mail
from chalicelib.services import documents
from chalicelib.services.access import require_customer
from chalicelib.store import contracts as store
from chalicelib.store import customers as customer_store
from chalicelib.store.contracts import ContractTerms
from chalicelib.store.customers import Contract, Customer, Premises

PAGE = 100
"""Contracts read per page by the reminder job."""


def today() -> date:
    return clock.to_warsaw(clock.now()).date()


def _price_list(product: str) -> dict[str, Any]:
    """The public tariff or price list of the product in force (and the tariffs page)."""
    docs = documents.public_documents()["documents"]
    kinds = [d for d in docs if d["kind"] in ("tariff", "price_list")]
    mine = [d for d in kinds if product in d["document_id"]] or kinds
    doc = mine[-1] if mine else None
    return {
        "page": "#/tariffs",
        "api": "/tariffs",
        "document_id": doc["document_id"] if doc else None,
        "title_pl": doc["title_pl"] if doc else "Taryfa i cenniki",
        "title_en": doc["title_en"] if doc else "Tariff and price lists",
        "url": doc["url"] if doc else None,
    }


def _terms_public(contract: Contract, terms: ContractTerms | None, day: date) -> dict[str, Any]:
    annexes = [a.to_domain() for a in store.annexes(contract.contract_no)]
    base = rules.Terms(
        contract.ordered_capacity_mw,
        contract.tariff_group,
        date.fromisoformat(contract.end_date) if contract.end_date else None,
    )
    now = rules.terms_on(base, annexes, day)
    end = now.end_date.isoformat() if now.end_date else None
    notice = (
        int(terms.notice_period_months) if terms else rules.DEFAULT_NOTICE_MONTHS[contract.product]
    )
    upcoming = [
        {
            "effective_from": a.effective_from.isoformat(),
            "capacity_mw": None if a.capacity_mw is None else str(a.capacity_mw),
            "tariff_group": a.tariff_group,
            "end_date": a.end_date.isoformat() if a.end_date else None,
        }
        for a in sorted(annexes, key=lambda a: a.effective_from)
        if a.effective_from > day
    ]
    return {
        "contract_no": contract.contract_no,
        "premises_id": contract.premises_id,
        "product": contract.product,
        "tariff_group": now.tariff_group,
        "ordered_capacity_mw": None if now.capacity_mw is None else str(now.capacity_mw),
        "start_date": contract.start_date,
        "end_date": end,
        "expires_in_days": (now.end_date - day).days if now.end_date else None,
        "notice_period_months": notice,
        "earliest_termination": rules.earliest_termination(day, notice).isoformat(),
        "ppe": terms.ppe if terms else None,
        "upcoming_changes": upcoming,
    }


@dataclass
class _Collection:
    customer: Customer
    premises: dict[str, Premises] = field(default_factory=dict)
    contracts: list[Contract] = field(default_factory=list)
    terms: dict[str, ContractTerms] = field(default_factory=dict)


def _collection(customer_no: str) -> _Collection:
    items = customer_store.customer_collection(customer_no)
    customer = next((i for i in items if isinstance(i, Customer)), None)
    if customer is None:
        raise NotFound()
    out = _Collection(customer)
    for i in items:
        if isinstance(i, Premises):
            out.premises[i.premises_id] = i
        elif isinstance(i, Contract):
            out.contracts.append(i)
        elif isinstance(i, ContractTerms):
            out.terms[i.contract_no] = i
    return out


def contract_summaries(customer_no: str) -> list[dict[str, Any]]:
    """Every contract of the customer with the terms in force today (no access check)."""
    col = _collection(customer_no)
    day = today()
    return [
        _terms_public(c, col.terms.get(c.contract_no), day)
        | {
            "premises_label": col.premises[c.premises_id].label
            if c.premises_id in col.premises
            else None
        }
        for c in col.contracts
    ]


def list_contracts(principal: Principal, customer_no: str) -> dict[str, Any]:
    require_customer(principal, customer_no)
    return {"contracts": contract_summaries(customer_no)}


def _parties(customer: Customer) -> dict[str, Any]:
    s = settings()
    return {
        "seller": {"name": s.seller_name, "nip": s.seller_nip, "address": s.seller_address},
        "buyer": {
            "customer_no": customer.customer_no,
            "name": customer.name,
            "nip": customer.nip,
            "address": customer.address.one_line(),
        },
    }


def contract_page(
    principal: Principal, customer_no: str, contract_no: str | None = None
) -> dict[str, Any]:
    """Parties, premises (PPE), product, tariff group, ordered capacity, start and end, notice
    period, the price list in force, the signed contract and annexes, the history."""
    require_customer(principal, customer_no)
    col = _collection(customer_no)
    contract = next((c for c in col.contracts if contract_no in (None, c.contract_no)), None)
    if contract is None:
        raise NotFound()
    contract_no = contract.contract_no
    _annexes, history = store.contract_log(contract_no)
    premises = col.premises.get(contract.premises_id)
    docs = [
        documents.customer_public(d)
        for d in documents.documents_of(customer_no)
        if d.contract_no == contract_no
    ]
    return _terms_public(contract, col.terms.get(contract_no), today()) | {
        "parties": _parties(col.customer),
        "premises": None
        if premises is None
        else {
            "premises_id": premises.premises_id,
            "label": premises.label,
            "address": premises.address.one_line(),
        },
        "price_list": _price_list(contract.product),
        "documents": docs,
        "history": [
            {"at": h.at, "kind": h.kind, "summary_pl": h.summary_pl, "summary_en": h.summary_en}
            for h in sorted(history, key=lambda h: h.at, reverse=True)
        ],
    }


def require_contract(customer_no: str, contract_no: str) -> Contract:
    contract = store.contract_of(customer_no, contract_no)
    if contract is None:
        raise NotFound()
    return contract


# --- expiry reminders ----------------------------------------------------------------------


@dataclass
class ReminderReport:
    day: str
    contracts: int = 0
    sent: int = 0
    already: int = 0
    failed: int = 0
    unwanted: int = 0

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _remind(contract: Contract, day: date, report: ReminderReport) -> None:
    if not contract.end_date:
        return
    end_day = date.fromisoformat(contract.end_date)
    stage = rules.reminder_stage(end_day, day)
    if stage is None:
        return
    end_iso = contract.end_date
    if not store.claim_reminder(contract.contract_no, end_iso, stage, clock.now_iso()):
        report.already += 1
        return
    customer = customer_store.get_customer(contract.customer_no)
    if customer is None:
        return
    from chalicelib.services import preferences

    ref = f"{contract.contract_no}#{end_iso}#{stage}"
    terms = preferences.email_terms(customer.customer_no, "contract_expiry", ref)
    if terms is None:
        report.unwanted += 1  # switched off: recorded, and the stage's marker stays
        return
    mail = selfservice_mail.contract_expiry_mail(
        terms[0],
        customer.name,
        customer.customer_no,
        contract.contract_no,
        end_iso,
        (end_day - day).days,
        terms[1],
    )
    try:
        ses.send_email([customer.email], mail.subject, mail.text, mail.html, headers=mail.headers)
    except Exception:
        store.release_reminder(contract.contract_no, end_iso, stage)
        logger.exception("expiry reminder failed", extra={"contract": contract.contract_no})
        report.failed += 1
        return
    report.sent += 1


def send_reminders(day: date | None = None, max_pages: int = 1000) -> ReminderReport:
    """Every contract ending within 90 days gets its reminder once per stage (90, 30).
    Reads every contract by pages (pattern 6); each page is bounded. Idempotent: the
    marker is claimed before the e-mail and released when it cannot be sent."""
    day = day or today()
    report = ReminderReport(day.isoformat())
    horizon = (day + timedelta(days=max(rules.REMINDER_STAGES))).isoformat()
    cursor: dict[str, Any] | None = None
    for _ in range(max_pages):
        page, cursor = customer_store.contracts_page(PAGE, cursor)
        for contract in page:
            report.contracts += 1
            # renewals and terminations move the contract's own end date (store.set_end_date)
            if contract.end_date and contract.end_date <= horizon:
                _remind(contract, day, report)
        if cursor is None:
            break
    logger.info("contract reminders", extra=report.as_dict())
    return report
